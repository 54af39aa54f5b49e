"""Scanned pages to text with tesseract (Debian's ``tesseract-ocr`` and
``tesseract-ocr-vie``, run as a command: nothing is downloaded). Page images
(``.png``, ``.jpg``/``.jpeg``, ``.tif``/``.tiff``, every page of a multi-page TIFF)
and the image-only pages of a PDF are read here.

tesseract finds the blocks of a page before its lines, so the two columns of a
dispatch header (issuer and number on the left; motto, place and date on the right)
come out one column after the other, the order ``segment`` reads a two-column PDF in.
Each page has a time budget (an overrun is a ``ReadFailure``: one errors row, the
batch goes on); the text says which engine read it and with what mean confidence.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from .common import ReadFailure, Text, describe

LANGUAGE = "vie"
PAGE_SECONDS = 120.0  # wall-clock budget of one page (an A4 page at 200 dpi takes ~1 s)
PDF_DPI = 300
MAX_PIXELS = 60_000_000  # a page larger than A3 at 600 dpi is not a scan of a dispatch
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-vie"


@dataclass
class Page:
    text: str
    words: int
    confidence: float  # mean of the words' confidence, 0..1


@cache
def engine() -> tuple[str | None, str]:
    """(the tesseract command, its version) or (None, why it cannot be used)."""
    command = shutil.which("tesseract")
    if command is None:
        return None, f"tesseract is not installed ({INSTALL})"
    try:
        langs = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
        version = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"tesseract does not run: {describe(exc)}"
    if LANGUAGE not in langs.split():
        return None, f"tesseract has no Vietnamese data ({INSTALL})"
    first = version.splitlines()[0] if version else "tesseract"
    return command, first.strip()


def unavailable() -> str | None:
    """Why OCR cannot run here, or None."""
    command, why = engine()
    return None if command else why


def ocr_png(png: bytes, number: int = 1, seconds: float = PAGE_SECONDS) -> Page:
    """One page image (PNG bytes) read by tesseract."""
    command, why = engine()
    if command is None:
        raise ReadFailure(f"needs_ocr: {why}")
    try:
        # one thread: the workers are the parallelism (tesseract's own threads took 1.6 s
        # of wall and 1.9 s of CPU for a page that one thread reads in 1.0 s)
        done = subprocess.run([command, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
                              input=png, capture_output=True, timeout=seconds,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        raise ReadFailure(f"time limit: OCR of page {number} took over {seconds:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ReadFailure(f"ocr failed on page {number}: {message[-1] if message else done.returncode}")
    return _page(done.stdout.decode("utf-8", "replace"))


def _page(tsv: str) -> Page:
    """tesseract's TSV as text: a paragraph per line, as a typed text has it (a printed
    line that wraps within its paragraph is joined to the next), list items and header
    lines kept apart, a blank line between paragraphs and blocks (the columns of a
    header are blocks of their own)."""
    blocks: list[list[list[Line]]] = []  # block -> paragraph -> line
    current: tuple[str, ...] | None = None
    words: list[tuple[str, int, int]] = []  # text, left, right
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        key = tuple(cells[1:5])
        if key != current:
            if words:
                blocks[-1][-1].append(_line(words))
            if current is None or key[:2] != current[:2]:
                blocks.append([[]])
            elif key[:3] != current[:3]:
                blocks[-1].append([])
            current, words = key, []
        left, width = int(cells[6]), int(cells[8])
        words.append((cells[11].strip(), left, left + width))
        confidences.append(max(float(cells[10]), 0.0) / 100)
    if words:
        blocks[-1][-1].append(_line(words))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    paragraphs = []
    for block in blocks:
        lines = [line for paragraph in block for line in paragraph]
        edge = max((line.right for line in lines), default=0)
        start = min((line.left for line in lines), default=0)
        paragraphs += ["\n".join(_unwrapped(p, start, edge)) for p in block if p]
    return Page("\n\n".join(paragraphs), len(confidences), mean)


class Line(NamedTuple):
    text: str
    left: int
    right: int


def _line(words: list[tuple[str, int, int]]) -> Line:
    return Line(" ".join(w for w, _, _ in words), min(x for _, x, _ in words), max(x for _, _, x in words))


# a line that starts an item of its own: a bullet, a numbered or lettered point, the
# number line of a header
_ITEM = re.compile(r"^(?:[-+•*–]|\d+(?:\.\d+)*[.)]|[a-zđ][).]|[IVXLC]+\.|Số\b|Điều\s+\d)", re.IGNORECASE)


def _unwrapped(lines: list[Line], start: int = 0, edge: int = 0) -> list[str]:
    """The printed lines of one paragraph joined where the printer wrapped them: a line
    that reaches the block's right edge (``edge``, within a tenth of its width) goes on
    in the next, unless the next starts an item or the line ends one (``;`` or ``:``);
    lines of two or more words in capitals (an issuer's name, a title) stay lines of
    their own, as in a typed text."""
    reach = edge - (edge - start) // 10 if edge > start else 0
    out: list[str] = []
    last: Line | None = None
    for line in lines:
        if last is not None and last.right >= reach and not _ITEM.match(line.text) \
                and not out[-1].endswith((";", ":")) and not (_capitals(last.text) or _capitals(line.text)):
            out[-1] = f"{out[-1]} {line.text}"
        else:
            out.append(line.text)
        last = line
    return out


def _capitals(text: str) -> bool:
    return text.isupper() and len(text.split()) >= 2


def as_text(pages: list[Page], layered: list[str] | None = None) -> Text:
    """Pages read by OCR (and, for a PDF, ``layered``: each page's text layer, "" where
    it was scanned) as one text, with the engine and the words' mean confidence."""
    total = sum(p.words for p in pages)
    mean = sum(p.confidence * p.words for p in pages) / total if total else 0.0
    _, version = engine()
    texts = [p.text for p in pages] if layered is None else layered
    return Text("\n\n".join(texts), ocr=f"{version} {LANGUAGE}", ocr_confidence=round(mean, 4),
                ocr_pages=len(pages))


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG")
    return buffer.getvalue()


def read_image(data: bytes, ocr: bool = True) -> Text:
    """A page image, or every page of a multi-page TIFF, read by OCR."""
    if not ocr:
        raise ReadFailure("needs_ocr: an image; OCR is off (--no-ocr)")
    why = unavailable()
    if why:
        raise ReadFailure(f"needs_ocr: an image; {why}")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ReadFailure(f"too large: {image.width}x{image.height} pixels, over {MAX_PIXELS} a page")
        pngs = [_png(frame) for frame in ImageSequence.Iterator(image)]
    except ReadFailure:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ReadFailure(f"corrupt image: {describe(exc)}") from None
    pages = [ocr_png(png, n) for n, png in enumerate(pngs, start=1)]
    got = as_text(pages)
    if not got.text.strip():
        raise ReadFailure("no text: OCR found no words in the image")
    return got


def render_pdf_page(data: bytes, index: int) -> bytes:
    """Page ``index`` (from 0) of a PDF as a PNG at ``PDF_DPI`` (pypdfium2: no system
    package needed)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        bitmap = document[index].render(scale=PDF_DPI / 72, grayscale=True)
        return _png(bitmap.to_pil())
    finally:
        document.close()
