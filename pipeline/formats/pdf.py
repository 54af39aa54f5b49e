"""PDF text layers to text, keeping the two columns of a dispatch header apart; a
scan without a text layer is a ``needs_ocr`` failure."""
from __future__ import annotations

import io
import re
from typing import Any

from .common import ReadFailure, Text, describe, join_lines
from .ocr import as_text, ocr_png, render_pdf_page, unavailable

MIN_PDF_TEXT_CHARS = 20
MAX_PDF_PAGES = 10_000  # a dispatch or plan has tens; a longer file is a book or a dump
_COUNT = re.compile(rb"/Count\s+(\d{1,9})")
_SPACES_RE = re.compile(r"\s+")


def _open_pdf(data: bytes) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadFailure("encrypted pdf: needs a password")
    except ReadFailure:
        raise
    except DependencyError:
        raise ReadFailure("encrypted pdf: AES needs the 'cryptography' package") from None
    except Exception as exc:
        raise ReadFailure(f"corrupt pdf: {describe(exc)}") from None
    return reader


# In pypdf's layout text, words of one line are at most a few spaces apart;
# a wider gap separates columns (the two-column header of a dispatch).
_SEGMENT_RE = re.compile(r"\S+(?: {1,3}\S+)*")
_COLUMN_SLACK = 2  # characters a right-column line may start left of the column


def _segments(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _SEGMENT_RE.finditer(line)]


def _block_lines(block: list[list[tuple[int, str]]]) -> list[str]:
    """One block of layout lines (no blank line between them) as text lines.

    Where lines hold two segments, as in the two-column header (issuer | motto,
    number | place and date) or the signature block (Nơi nhận | KT. GIÁM ĐỐC),
    the left column's lines come first, then the right column's, so each
    printed line stays whole; rows of three or more become "a | b | c".
    """
    pairs = [i for i, segs in enumerate(block) if len(segs) == 2]
    lines = [" | ".join(text for _, text in segs) for segs in block]
    if not pairs:
        return lines
    split = min(block[i][1][0] for i in pairs) - _COLUMN_SLACK
    first, last = pairs[0], pairs[-1]
    while last + 1 < len(block) and len(block[last + 1]) == 1 and block[last + 1][0][0] >= split:
        last += 1  # the right column runs on below the left one
    if any(len(block[i]) > 2 for i in range(first, last + 1)):
        return lines  # a table, not two columns
    region = [seg for segs in block[first:last + 1] for seg in segs]
    left = [text for col, text in region if col < split]
    right = [text for col, text in region if col >= split]
    return lines[:first] + left + right + lines[last + 1:]


def _layout_lines(layout: str) -> list[str]:
    out: list[str] = []
    block: list[list[tuple[int, str]]] = []
    for line in [*layout.split("\n"), ""]:
        segs = _segments(line)
        if segs:
            block.append(segs)
            continue
        out.extend(_block_lines(block))
        block = []
        out.append("")
    return out


def _page_text(page: Any) -> str:
    """A page's text with columns kept apart (pypdf's layout mode, else its plain mode)."""
    try:
        layout = page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode is newer and less forgiving than plain mode
        return page.extract_text() or ""
    return join_lines(_layout_lines(layout or ""))


def _has_images(page: Any) -> bool:
    try:
        objects = page["/Resources"].get_object().get("/XObject")
        objects = objects.get_object() if objects is not None else {}
        return any(obj.get_object().get("/Subtype") == "/Image" for obj in objects.values())
    except Exception:
        return False


def _visible_chars(text: str) -> int:
    return len(_SPACES_RE.sub("", text))


def _too_many_pages(reader: Any, data: bytes) -> str | None:
    """Why the page tree is too large to read, or None. pypdf stops at its own limits
    (an array of 200,000 page references) with a LimitReachedError; then the count is
    the largest ``/Count`` the file declares."""
    from pypdf.errors import LimitReachedError

    try:
        count = len(reader.pages)
    except LimitReachedError:
        counts = [int(c) for c in _COUNT.findall(data)]
        if not counts:
            return "too large: the pdf's page tree passes the reader's limits"
        count = max(counts)
    if count > MAX_PDF_PAGES:
        return f"too large: {count} pages, over the limit of {MAX_PDF_PAGES} pages"
    return None


def read_pdf(data: bytes, ocr: bool = True) -> Text:
    """The text layer of each page; a page without one (an image: a scan) read by OCR
    when ``ocr`` and tesseract can, else the pdf is a ``needs_ocr`` failure when most of
    it is scanned."""
    reader = _open_pdf(data)
    try:
        problem = _too_many_pages(reader, data)
    except Exception as exc:  # a broken page tree fails while counting the pages
        raise ReadFailure(f"corrupt pdf: {describe(exc)}") from None
    if problem:
        raise ReadFailure(problem)
    pages = []
    scanned: list[int] = []  # indexes of the pages that are images without text
    try:
        for number, page in enumerate(reader.pages, start=1):
            try:
                text = _page_text(page)
            except Exception as exc:
                raise ReadFailure(f"corrupt pdf: page {number}: {describe(exc)}") from None
            if _visible_chars(text) < MIN_PDF_TEXT_CHARS and _has_images(page):
                scanned.append(number - 1)
            pages.append(text)
    except ReadFailure:
        raise
    except Exception as exc:  # a broken page tree fails while listing the pages
        raise ReadFailure(f"corrupt pdf: {describe(exc)}") from None
    why = "OCR is off (--no-ocr)" if not ocr else unavailable()
    if scanned and why is None:
        return _with_ocr(data, pages, scanned)
    text = "\n".join(pages)
    hint = f"; {why}" if scanned and why else "; run OCR on it first"
    if _visible_chars(text) < MIN_PDF_TEXT_CHARS:
        raise ReadFailure(f"needs_ocr: the pdf has no text layer (a scan?){hint}")
    if len(scanned) * 2 > len(pages):
        raise ReadFailure(f"needs_ocr: {len(scanned)} of {len(pages)} pages are images without "
                          f"a text layer (a scan?){hint}")
    return Text(text)


def _with_ocr(data: bytes, pages: list[str], scanned: list[int]) -> Text:
    """The scanned pages read by OCR, page by page; the others keep their text layer."""
    read = []
    for index in scanned:
        try:
            png = render_pdf_page(data, index)
        except Exception as exc:
            raise ReadFailure(f"corrupt pdf: page {index + 1} cannot be drawn for OCR: {describe(exc)}") from None
        page = ocr_png(png, index + 1)
        pages[index] = page.text
        read.append(page)
    got = as_text(read, pages)
    if _visible_chars(got.text) < MIN_PDF_TEXT_CHARS:
        raise ReadFailure("no text: OCR found no words on the scanned pages")
    return got
