"""What every format reader shares: the text it makes, the failure it raises, the
decoding of bytes that are text, and how table rows become lines."""
from __future__ import annotations

import re
from typing import NamedTuple

from ..decode import DecodeFailure, decode

MAX_FILE_BYTES = 50 * 1024 * 1024  # the largest file (or archive member) read

_BLANK_RUNS_RE = re.compile(r"\n{3,}")


class ReadFailure(Exception):
    """A file that cannot be turned into text; ``reason`` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Text(NamedTuple):
    """What a reader makes of the bytes: text, and the encoding where the bytes
    were text (None where a parser read a binary format)."""

    text: str
    encoding: str | None = None
    confidence: float | None = None
    legacy_hint: bool = True  # False: no TCVN3/VNI characters to repair (decode's scan)
    ocr: str | None = None  # the OCR engine, where pages were scanned images
    ocr_confidence: float | None = None  # the mean confidence of its words, 0..1
    ocr_pages: int = 0  # pages it read


def decode_text(data: bytes, declared: str | None = None) -> Text:
    """Bytes to text (see ``congvan.decode``); a failure is a ``ReadFailure``."""
    try:
        decoded = decode(data, declared)
    except DecodeFailure as exc:
        raise ReadFailure(exc.reason) from None
    return Text(decoded.text, decoded.encoding, decoded.confidence, decoded.legacy_hint)


def join_lines(lines: list[str]) -> str:
    """One line each, runs of blank lines collapsed to one."""
    return _BLANK_RUNS_RE.sub("\n\n", "\n".join(lines)).strip("\n")


def row_lines(cells: list[list[str]]) -> list[str]:
    """One table row as text lines.

    Cells of one line each are joined with `` | ``. A cell of several paragraphs
    marks a layout row, like the borderless two-column header of a dispatch
    ("Số: ..." beside "Lạng Sơn, ngày ..."): its cells are stacked, one after
    another, so each printed line stays whole and on its own line.
    """
    if all(len(cell) <= 1 for cell in cells):
        joined = " | ".join(cell[0] if cell else "" for cell in cells)
        return [joined] if joined.replace("|", "").strip() else []
    return [line for cell in cells for line in cell]
