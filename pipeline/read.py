"""Read input files (txt, md, html, docx, pdf, and zip archives of them) to text.

The read stage only turns bytes into text; cleaning is the next stage's job, so
``.txt``/``.md`` text is kept exactly as decoded. A bad input never stops a run:
``read_file`` and ``iter_inputs`` turn every failure into an ``ErrorRecord``.

>>> doc = read_bytes("cv.txt", "Số: 124/KH-UBND".encode("utf-8-sig"))
>>> doc.text, doc.format
('Số: 124/KH-UBND', 'txt')
"""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.models import ErrorRecord, SourceDoc

SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_RATIO = 200
# Small members of repetitive text legitimately compress over 200:1, and they
# cannot blow up memory, so the ratio guard only applies above this size.
ZIP_RATIO_MIN_BYTES = 1024 * 1024
MAX_ZIP_DEPTH = 1  # a zip inside a zip is read; one more level is not
MIN_PDF_TEXT_CHARS = 20

STAGE = "read"


class ReadFailure(Exception):
    """A file that cannot be turned into text; ``reason`` says why, for people."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- text

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab/newline/VT/FF/CR, DEL, and C1 controls (which only
# appear when bytes were decoded with the wrong code page).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.10
# Mainframe code pages are never right for our documents, yet fit random bytes.
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]
# Windows-1258 writes Vietnamese tones as combining marks after the vowel.
_TONE_MARK_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_TONED_VOWEL_RE = re.compile("[aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ][\u0300\u0301\u0303\u0309\u0323]")


def _bom_encoding(data: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte, as ASCII does in UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0) / (len(data) / 2), data[1::2].count(0) / (len(data) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _looks_cp1258(text: str) -> bool:
    """True when combining tone marks exist and nearly all follow a vowel."""
    marks = len(_TONE_MARK_RE.findall(text))
    return marks > 0 and len(_TONED_VOWEL_RE.findall(text)) >= 0.9 * marks


def _detect_legacy(data: bytes) -> str:
    """Decode non-UTF text: Windows-1258 if it reads as Vietnamese, else charset-normalizer."""
    try:
        text = data.decode("cp1258")
        if _looks_cp1258(text):
            return text
    except UnicodeDecodeError:
        pass
    try:  # optional: installed with requests, not a declared dependency
        import charset_normalizer
    except ImportError:
        charset_normalizer = None
    if charset_normalizer is not None:
        best = charset_normalizer.from_bytes(data, cp_exclusion=_EBCDIC).best()
        if best is not None:
            return str(best)
    raise ReadFailure("undecodable text: not UTF-8/UTF-16 and no known encoding fits")


def _decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, UTF-8, a declared charset, then legacy detection."""
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise ReadFailure("binary content: NUL bytes in a text file")
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ReadFailure(f"undecodable text: invalid {encoding}: {exc.reason}") from None
    else:
        text = _decode_unmarked(data, declared)
    _reject_control_chars(text)
    return text


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    for encoding in ("utf-8", declared):
        if encoding is None:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return _detect_legacy(data)


def _reject_control_chars(text: str) -> None:
    controls = len(text) - len(_CONTROL_RE.sub("", text))
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise ReadFailure(f"binary content: {controls / len(text):.0%} control characters")


# --------------------------------------------------------------------------- html

_HTML_DROP = (
    "script", "style", "nav", "header", "footer", "form", "noscript",
    "head", "aside", "template", "svg", "iframe",
)
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
    if name in _HTML_DROP or _html_hidden(tag):
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


def _read_html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    text = _decode(data, declared=_meta_charset(data))
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(list(_HTML_DROP)):
        tag.decompose()
    out = _Lines()
    try:
        _html_render(soup, out)
    except RecursionError:
        raise ReadFailure("html nested too deeply to read") from None
    out.end_line()
    return _join_lines(out.lines)


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


def _read_docx(data: bytes) -> str:
    import docx

    if data.startswith(_OLE2_MAGIC):
        raise ReadFailure("corrupt docx: this is a legacy Word .doc file; convert it to .docx")
    try:
        # A docx is a zip; refuse one that would expand past a sane size before parsing it.
        if _zip_expanded_size(data) > 4 * MAX_FILE_BYTES:
            raise ReadFailure("corrupt docx: it expands past 4x the size limit (zip bomb?)")
        document = docx.Document(io.BytesIO(data))
        lines = _docx_blocks(document.element.body)
    except ReadFailure:
        raise
    except Exception as exc:  # zipfile, lxml and python-docx raise many kinds
        raise ReadFailure(f"corrupt docx: {_describe(exc)}") from None
    return _join_lines(lines)


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


def _read_pdf(data: bytes) -> str:
    reader = _open_pdf(data)
    pages = []
    try:
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:
                raise ReadFailure(f"corrupt pdf: page {number}: {_describe(exc)}") from None
    except ReadFailure:
        raise
    except Exception as exc:  # a broken page tree fails while listing the pages
        raise ReadFailure(f"corrupt pdf: {_describe(exc)}") from None
    text = "\n".join(pages)
    if len(_SPACES_RE.sub("", text)) < MIN_PDF_TEXT_CHARS:
        raise ReadFailure("pdf has no text layer (scanned?): needs OCR")
    return text


# --------------------------------------------------------------------------- dispatch

_READERS: dict[str, tuple[str, Callable[[bytes], str]]] = {
    ".txt": ("txt", _decode),
    ".md": ("md", _decode),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".docx": ("docx", _read_docx),
    ".pdf": ("pdf", _read_pdf),
}
_UNSUPPORTED_HINTS = {
    ".doc": "; convert it to .docx",
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
        shown = suffix or "(no extension)"
        hint = _UNSUPPORTED_HINTS.get(suffix, "")
        raise ReadFailure(f"unsupported file type {shown}: expected one of {', '.join(SUPPORTED)}{hint}")
    if not data:
        raise ReadFailure("empty file")
    fmt, reader = _READERS[suffix]
    text = reader(data)
    if not text.strip():
        raise ReadFailure(f"no text: the {fmt} yields only whitespace")
    return SourceDoc(
        source=name,
        text=text,
        format=fmt,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


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


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & 0x1:
        return "encrypted zip member: needs a password"
    if info.file_size > MAX_FILE_BYTES:
        return _too_large(info.file_size)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
        return f"compression ratio {ratio:.0f}:1 is over {MAX_ZIP_RATIO}:1 (zip bomb?)"
    return None


def _iter_zip(
    source: str, opener: Callable[[], zipfile.ZipFile], depth: int = 0
) -> Iterator[SourceDoc | ErrorRecord]:
    """Every supported member of an archive, read in memory, sorted by name."""
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
        if len(infos) > MAX_ZIP_MEMBERS:
            yield _error(source, f"zip has {len(infos)} members, over the limit of {MAX_ZIP_MEMBERS}")
            return
        members = sorted(
            ((_member_name(info), info) for info in infos if not info.is_dir()),
            key=lambda pair: pair[0],  # ZipInfo does not compare; duplicate names keep zip order
        )
        for name, info in members:
            if _wanted(name):
                yield from _read_member(zf, info, f"{source}!{name}", depth)


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int
) -> Iterator[SourceDoc | ErrorRecord]:
    is_zip = _suffix(source) == ".zip"
    problem = _member_problem(info)
    if problem is None and is_zip and depth >= MAX_ZIP_DEPTH:
        problem = f"zip nested more than {MAX_ZIP_DEPTH} level deep: not read"
    if problem is not None:
        yield _error(source, problem)
        return
    try:
        with zf.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the header's size may lie
    except Exception as exc:  # bad CRC, truncated data, unknown compression
        yield _error(source, f"corrupt zip member: {_describe(exc)}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield _error(source, _too_large(len(data)))
    elif is_zip:
        yield from _iter_zip(source, lambda: zipfile.ZipFile(io.BytesIO(data)), depth + 1)
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


def _wanted(name: str) -> bool:
    suffix = _suffix(name)
    return not _skipped_name(name) and (suffix in SUPPORTED or suffix == ".zip")


def _drain_walk_errors(errors: list[OSError]) -> Iterator[ErrorRecord]:
    """os.walk reports unlistable folders through ``onerror``; turn them into records."""
    for exc in errors:
        yield _error(str(exc.filename), f"cannot list folder: {_os_failure(exc).reason}")
    errors.clear()


def _iter_folder(folder: str) -> Iterator[SourceDoc | ErrorRecord]:
    """Supported files and zips under ``folder``, sorted; symlinked folders are not entered."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append, followlinks=False):
        yield from _drain_walk_errors(errors)
        dirnames[:] = sorted(d for d in dirnames if not _skipped_name(d))
        for name in sorted(filter(_wanted, filenames)):
            path = str(Path(dirpath, name))
            if _suffix(name) == ".zip":
                yield from _iter_zip_file(path)
            else:
                yield read_file(path)
    yield from _drain_walk_errors(errors)


def iter_inputs(inputs: Iterable[str]) -> Iterator[SourceDoc | ErrorRecord]:
    """Documents from files, folders (recursively) and zip archives, in a stable order.

    Inside folders and archives, files of other types are skipped silently; a
    file named explicitly is always answered, with an ``ErrorRecord`` if need be.
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
