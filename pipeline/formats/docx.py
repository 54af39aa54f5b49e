"""Word files (.docx) to text: page headers first, the body with its tables in reading
order, then footers."""
from __future__ import annotations

import io
import zipfile
from typing import Any

from .common import MAX_FILE_BYTES, ReadFailure, Text, describe, join_lines, row_lines

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Runs in reading order: inside hyperlinks, fields, content controls and tracked
# insertions too, but not deleted text or text boxes (those repeat as fallbacks).
_DOCX_RUNS = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def _docx_paragraph(p: Any) -> list[str]:
    text = "".join(run.text for run in p.xpath(_DOCX_RUNS))
    return [line.strip() for line in text.splitlines()] or [""]


def _docx_blocks(parent: Any) -> list[str]:
    """Lines of a body or cell: paragraphs and tables in reading order."""
    from docx.oxml.ns import qn

    lines: list[str] = []
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            lines.extend(_docx_paragraph(child))
        elif child.tag == qn("w:tbl"):
            lines.extend(_docx_table(child))
        elif child.tag == qn("w:sdt"):  # content control wrapping blocks
            for content in child.iterchildren(qn("w:sdtContent")):
                lines.extend(_docx_blocks(content))
    return lines


def _docx_table(tbl: Any) -> list[str]:
    from docx.oxml.ns import qn

    lines: list[str] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            # A vertically merged continuation repeats the cell above: keep it empty.
            merged = tc.xpath("./w:tcPr/w:vMerge[not(@w:val) or @w:val='continue']")
            cells.append([] if merged else [ln for ln in _docx_blocks(tc) if ln])
        lines.extend(row_lines(cells))
    return lines


def _zip_expanded_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(info.file_size for info in zf.infolist())


def _docx_parts(document: Any, kind: str) -> list[str]:
    """Lines of the page headers or footers (``kind``) of every section, each
    distinct one once, skipping those linked to the previous section and lines
    without a letter (page numbers)."""
    seen: set[tuple[str, ...]] = set()
    lines: list[str] = []
    for section in document.sections:
        for variant in ("first_page_", "", "even_page_"):
            part = getattr(section, f"{variant}{kind}")
            if part.is_linked_to_previous:
                continue
            block = tuple(ln for ln in _docx_blocks(part._element) if any(map(str.isalpha, ln)))
            if not block or block in seen:
                continue
            seen.add(block)
            lines.extend(block)
    return lines


def _docx_failure(exc: BaseException) -> ReadFailure:
    if isinstance(exc, zipfile.BadZipFile):
        return ReadFailure(f"corrupt docx: truncated or not a zip archive ({describe(exc)})")
    if isinstance(exc, KeyError):  # a part the package lists is missing
        return ReadFailure(f"corrupt docx: a part is missing ({describe(exc)})")
    return ReadFailure(f"corrupt docx: {describe(exc)}")


def read_docx(data: bytes) -> Text:
    """Page headers first, then the body (tables in reading order), then footers."""
    import docx

    if data.startswith(OLE2_MAGIC):
        raise ReadFailure("corrupt docx: this is a legacy Word .doc file; rename it to .doc")
    try:
        # A docx is a zip; refuse one that would expand past a sane size before parsing it.
        if _zip_expanded_size(data) > 4 * MAX_FILE_BYTES:
            raise ReadFailure("corrupt docx: it expands past 4x the size limit (zip bomb?)")
        document = docx.Document(io.BytesIO(data))
        body = _docx_blocks(document.element.body)
        lines = [*_docx_parts(document, "header"), *body, *_docx_parts(document, "footer")]
    except ReadFailure:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx raise many kinds
        raise _docx_failure(exc) from None
    return Text(join_lines(lines))
