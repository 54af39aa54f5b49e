"""Bytes to text, one module per format (``.txt``/``.md`` are decoded as they are).

Each reader takes a file's bytes and returns a :class:`Text`, or raises a
:class:`ReadFailure` whose reason a person can act on; ``read`` picks the reader
by the file's extension and turns failures into errors rows.
"""
from __future__ import annotations

from collections.abc import Callable

from .common import MAX_FILE_BYTES, ReadFailure, Text, decode_text, describe
from .doc import read_doc
from .docx import read_docx
from .html import read_html
from .ocr import read_image
from .pdf import read_pdf

__all__ = ["MAX_FILE_BYTES", "OCR_FORMATS", "READERS", "ReadFailure", "Text", "describe"]

# extension -> (format name in the documents table, reader); the readers of OCR_FORMATS
# also take ocr=False (--no-ocr)
READERS: dict[str, tuple[str, Callable[..., Text]]] = {
    ".txt": ("txt", decode_text),
    ".md": ("md", decode_text),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".docx": ("docx", read_docx),
    ".doc": ("doc", read_doc),
    ".pdf": ("pdf", read_pdf),
    ".png": ("image", read_image),
    ".jpg": ("image", read_image),
    ".jpeg": ("image", read_image),
    ".tif": ("image", read_image),
    ".tiff": ("image", read_image),
}
OCR_FORMATS = frozenset({"pdf", "image"})
