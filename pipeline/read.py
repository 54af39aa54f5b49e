"""Read input files (txt, md, html, docx, doc, pdf, and zip archives of them) to text:
files, folders and archives here, and one module per format under ``formats/``.

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

import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import IO, NamedTuple

from . import storage
from .decode import repair_legacy
from .formats import MAX_FILE_BYTES, OCR_FORMATS, READERS, ReadFailure, Text, describe
from .models import ErrorRecord, SourceDoc
from .rows import COMMITS, EXPORT_MARK, GENERATOR, GENERATOR_META

SUPPORTED = tuple(READERS)  # ".txt", ".md", ".html", ".htm", ".docx", ".doc", ".pdf"
MAX_ZIP_MEMBERS = 100_000  # in one archive and all the archives inside it
MAX_ZIP_RATIO = 200
# Small members of repetitive text legitimately compress over 200:1, and they
# cannot blow up memory, so the ratio guard only applies above this size.
ZIP_RATIO_MIN_BYTES = 1024 * 1024
MAX_ZIP_DEPTH = 2  # zips inside zips are read two levels down; deeper ones are not
# All the members of one archive (nested ones included) expand to at most this:
# a zip bomb of many members, each under the limits above, stops here.
MAX_ZIP_TOTAL_BYTES = 2 * 1024**3

STAGE = "read"


# --------------------------------------------------------------------------- one file

_UNSUPPORTED_HINTS = {
    ".zip": "; pass archives to iter_inputs",
}


_NAME_SEPARATORS_RE = re.compile(r"[/\\!]")


def _suffix(name: str) -> str:
    """Lower-case extension of the last name in a path or "archive.zip!member" source."""
    # Member names use "/", and may carry "\\" from Windows tools.
    return os.path.splitext(_NAME_SEPARATORS_RE.split(name)[-1])[1].lower()


def read_bytes(name: str, data: bytes, ocr: bool = True) -> SourceDoc:
    """Read one document's raw bytes; the extension of ``name`` picks the reader.
    ``ocr``: read scanned pages and images with tesseract (``formats.ocr``).

    Raises ``ReadFailure`` with a reason a person can act on.
    """
    suffix = _suffix(name)
    if suffix not in READERS:
        raise ReadFailure(_unsupported(suffix))
    if not data:
        raise ReadFailure("empty file")
    fmt, reader = READERS[suffix]
    got = reader(data, ocr=ocr) if fmt in OCR_FORMATS else reader(data)
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
        ocr=got.ocr,
        ocr_confidence=got.ocr_confidence,
        ocr_pages=got.ocr_pages,
    )


def _with_legacy_repaired(got: Text) -> tuple[str, str | None, float | None]:
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


def _read_named(source: str, data: bytes, ocr: bool = True) -> SourceDoc | ErrorRecord:
    try:
        return read_bytes(source, data, ocr)
    except ReadFailure as exc:
        return _error(source, exc.reason)
    except Exception as exc:  # a parser bug must not stop the other files
        return _error(source, f"unexpected error: {describe(exc)}")


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


@dataclass(frozen=True)
class Unread:
    """A PDF's or an image's bytes, to be read to text in a worker: OCR takes seconds a
    page, so a run's workers do it, not the process that lists and writes."""

    source: str
    data: bytes
    sha256: str

    @property
    def size_bytes(self) -> int:
        return len(self.data)

    def finish(self) -> SourceDoc | ErrorRecord:
        """The text, as :func:`read_file` would have given it (OCR on)."""
        return printable(_read_named(self.source, self.data))


def reads_later(path: str) -> bool:
    """A local file of a format that may need OCR (pdf, image): read in a worker."""
    reader = READERS.get(_suffix(path))
    return reader is not None and reader[0] in OCR_FORMATS and not storage.is_url(path)


def read_later(path: str) -> Unread | ErrorRecord:
    """A local file's bytes within the size limit, its text to come (:class:`Unread`)."""
    try:
        data = _load(path)
    except ReadFailure as exc:
        return _error(path, exc.reason)
    return Unread(path, data, hashlib.sha256(data).hexdigest())


def read_file(path: str | Path, ocr: bool = True) -> SourceDoc | ErrorRecord:
    """Read one file; every failure comes back as an ``ErrorRecord``, never raised."""
    source = str(path)
    try:
        data = _load(path)
    except ReadFailure as exc:
        return _error(source, exc.reason)
    return _read_named(source, data, ocr)


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
    if storage.is_url(file):
        return source  # as the listing of its filesystem names it
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
    """The item with its source as :func:`printable_name` writes it (and the names
    quoted in an error's reason readable too)."""
    source = printable_name(item.source)
    if isinstance(item, ErrorRecord):
        reason = _utf8(item.reason)  # OS messages quote the name
        if (source, reason) == (item.source, item.reason):
            return item
        return replace(item, source=source, reason=reason)
    return item if source == item.source else replace(item, source=source)


_ESCAPED = re.compile(r"\\[x\\]")


def printable_name(name: str) -> str:
    """A file name that is not UTF-8 (an archive unpacked from Windows) comes from the
    OS with surrogates, which neither Parquet nor JSON can hold: its bytes are written
    ``\\xNN`` and its backslashes ``\\\\``, the same in every run. A UTF-8 name is
    kept as it is unless it holds ``\\x`` or ``\\\\`` itself; then its backslashes are
    doubled too. So no two names print the same: a raw ``bad<FF><FE>.txt`` is
    ``bad\\xff\\xfe.txt`` and one typed ``bad\\xff\\xfe.txt`` is ``bad\\\\xff\\\\xfe.txt``."""
    try:
        name.encode("utf-8")
        if not _ESCAPED.search(name):
            return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")  # the bytes the OS gave
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    return raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")


def _utf8(text: str) -> str:
    """Text that may quote a raw file name, with the name's bytes as ``\\xNN``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "backslashreplace")
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
    if name[:1] not in (".", "~") and "/" not in name and "\\" not in name and name != "__MACOSX":
        return False  # most names, without the split
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
    source: str, opener: Callable[[], zipfile.ZipFile], depth: int = 0, budget: _Budget | None = None,
    ocr: bool = True,
) -> Iterator[SourceDoc | ErrorRecord]:
    """Every supported member of an archive, read in memory, sorted by name."""
    budget = budget or _Budget()
    try:
        zf = opener()
    except (FileNotFoundError, PermissionError) as exc:
        yield _error(source, _os_failure(exc).reason)
        return
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        yield _error(source, f"corrupt zip: {describe(exc)}")
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
        for name, info in _distinct(members):
            if _skipped_name(name):
                continue
            if _readable(name):
                yield from _read_member(zf, info, member_source(source, name), depth, budget, ocr)
            else:
                yield _error(member_source(source, name), _unsupported(_suffix(name)))


def _distinct(members: list[tuple[str, zipfile.ZipInfo]]) -> Iterator[tuple[str, zipfile.ZipInfo]]:
    """Members under names of their own: a zip may hold two members of one name, and
    each is a document. The second ``a.txt`` is ``a (2).txt`` (``(3)`` and on, past
    any name the archive already has), in zip order, the same in every run."""
    taken = {name for name, _ in members}
    seen: set[str] = set()
    for name, info in members:
        if name in seen:
            stem, ext = os.path.splitext(name)
            n = 2
            while f"{stem} ({n}){ext}" in taken:
                n += 1
            name = f"{stem} ({n}){ext}"
            taken.add(name)
        seen.add(name)
        yield name, info


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, depth: int, budget: _Budget, ocr: bool = True
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
        yield _error(source, f"corrupt zip member: {describe(exc)}")
        return
    if is_zip:
        yield from _iter_zip(source, lambda: zipfile.ZipFile(io.BytesIO(data)), depth + 1, budget, ocr)
    else:
        yield _read_named(source, data, ocr)


def zip_members(path: str) -> int:
    """How many rows a zip archive gives (its members but folders and hidden names; 1
    when it cannot be opened: its errors row), from its directory alone."""
    try:
        with storage.open_file(path) if storage.is_url(path) else open(path, "rb") as handle, \
                zipfile.ZipFile(handle) as zf:
            return max(1, sum(1 for info in zf.infolist()
                              if not info.is_dir() and not _skipped_name(_member_name(info))))
    except Exception:  # the run reports what is wrong with it, in one row
        return 1


def _iter_zip_file(path: str, ocr: bool = True) -> Iterator[SourceDoc | ErrorRecord]:
    try:
        _stat_regular(path)
    except ReadFailure as exc:
        yield _error(path, exc.reason)
        return
    yield from _iter_zip(path, lambda: zipfile.ZipFile(path), ocr=ocr)


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


def _ours(folder: str) -> bool:
    """A folder congvan wrote: an output (its commit markers) or exported CSVs. A walk
    skips it, so ``--out`` inside an input folder is never read back."""
    return os.path.isdir(os.path.join(folder, COMMITS)) or os.path.isfile(os.path.join(folder, EXPORT_MARK))


_OUR_CREATOR = re.compile(rb"<dc:creator[^>]*>" + re.escape(GENERATOR.encode()) + rb"</dc:creator>")


_MARKED = (".html", ".htm", ".xlsx")  # what congvan writes that a walk could take for input


def _written_by_us(path: str, suffix: str) -> bool:
    """A page (``report``, ``show``) or workbook (``export``) congvan wrote, known by
    its generator mark: a look at the head of .html and .xlsx files only."""
    if suffix not in _MARKED or not os.path.isfile(path):  # never open a FIFO
        return False
    return _marked(lambda: open(path, "rb"), suffix)


def _marked(opener: Callable[[], IO[bytes]], suffix: str) -> bool:
    try:
        with opener() as handle:
            if suffix in (".html", ".htm"):
                return GENERATOR_META.encode() in handle.read(2048)
            with zipfile.ZipFile(handle) as zf:
                core = zf.read("docProps/core.xml")[:4096]
            return _OUR_CREATOR.search(core) is not None
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False  # the reader says what is wrong with it


def _iter_folder(folder: str, canonical: bool) -> Iterator[Listed | ErrorRecord]:
    """The files and zips to read under ``folder``, sorted, and errors for what the
    walk cannot take. Symlinked folders are not entered (a link back up would loop,
    and one elsewhere would read files twice); each is an error row, so the run says
    what it left out. ``canonical``: each path as :func:`canonical_source` gives it,
    resolving each folder once (a walk does not leave the resolved tree) and a file
    only when it is a link."""
    if _ours(folder):
        return
    yield from _walk(folder, canonical)


def _walk(dirpath: str, canonical: bool) -> Iterator[Listed | ErrorRecord]:
    """One folder: its files, then its folders, each in name order. The kinds come
    from the directory listing itself (no stat of each file: an archive of a million
    short texts is listed by the process that plans the work)."""
    try:
        with os.scandir(dirpath) as listing:
            entries = list(listing)
    except OSError as exc:
        yield _error(str(exc.filename or dirpath), f"cannot list folder: {_os_failure(exc).reason}")
        return
    folders: list[os.DirEntry] = []
    files: list[os.DirEntry] = []
    for entry in entries:
        if _skipped_name(entry.name):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (folders if is_dir else files).append(entry)
    folders.sort(key=lambda e: e.name)
    files.sort(key=lambda e: e.name)
    inner = []
    for entry in folders:
        if _ours(entry.path):
            continue
        if entry.is_symlink():
            yield _error(str(Path(dirpath, entry.name)), "symlinked folder: not followed")
        else:
            inner.append(entry.path)
    resolved = os.path.realpath(dirpath) if canonical else dirpath
    for entry in files:
        listed = _file_entry(dirpath, resolved, entry, canonical)
        if listed is not None:
            yield listed
    for path in inner:
        yield from _walk(path, canonical)


def _file_entry(dirpath: str, resolved: str, entry: os.DirEntry, canonical: bool) -> Listed | ErrorRecord | None:
    """One file of a walked folder: what to read, an errors row, or None (ours)."""
    name = entry.name
    if "!" in name or "\\" in name:
        suffix = _suffix(name)
    else:  # the common case, without the regex split (names here hold no "/")
        dot = name.rfind(".")
        suffix = name[dot:].lower() if dot > 0 else ""
    if _written_by_us(entry.path, suffix):
        return None
    shown = f"{resolved}/{name}" if canonical else str(Path(dirpath, name))
    if suffix not in SUPPORTED and suffix != ".zip":
        return _error(entry.path if canonical else shown, _unsupported(suffix))
    if not canonical:
        return Listed(shown, -1)
    if entry.is_file(follow_symlinks=False):  # a regular file, not a link: its name in the resolved folder
        return Listed(shown, _size(entry))
    return Listed(canonical_source(entry.path), -1)


def _size(entry: os.DirEntry) -> int:
    """The file's size (one lstat: what plans tasks by their input), -1 if it is gone."""
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:
        return -1


class Listed(NamedTuple):
    """A path to read (a file or a zip archive) and its size, -1 where unknown."""

    path: str
    size: int


def _listed(path: str, shown: str, canonical: bool) -> Listed:
    """``shown`` is the name to read it by: with ``canonical``, the file's name in its
    resolved folder, unless it is a link or not a regular file (those go through
    canonical_source)."""
    try:
        info = os.lstat(path)
    except OSError:
        return Listed(canonical_source(path) if canonical else shown, -1)
    if stat.S_ISREG(info.st_mode):
        return Listed(shown, info.st_size)
    return Listed(canonical_source(path) if canonical else shown, -1)


def list_inputs(inputs: Iterable[str], canonical: bool = False) -> Iterator[Listed | ErrorRecord]:
    """The paths to read (files and zip archives) under the inputs, in a stable order,
    and an ``ErrorRecord`` for each input that cannot be read at all (a missing path,
    a file of a type we do not read). Nothing is read but folder listings. With
    ``canonical``, paths are the sources' one name (:func:`canonical_source`)."""
    for given in inputs:
        source = str(given)
        if storage.is_url(source):
            yield from _iter_url(source)
        elif os.path.isdir(source):
            yield from _iter_folder(source, canonical)
        elif not os.path.exists(source):
            yield _error(source, "no such file or directory")
        else:
            yield _listed(source, canonical_source(source) if canonical else source, canonical)


def read_path(path: str, ocr: bool = True) -> Iterator[SourceDoc | ErrorRecord]:
    """One path of :func:`list_inputs` read: a zip's members, or the file. ``ocr``:
    read images and scanned PDF pages with tesseract (False: they are ``needs_ocr``)."""
    if storage.is_url(path):
        yield from _read_url(path, ocr)
    elif _suffix(path) == ".zip":
        yield from _iter_zip_file(path, ocr)
    else:
        yield read_file(path, ocr)


# --------------------------------------------------------------------------- inputs on a URL


def _iter_url(url: str) -> Iterator[Listed | ErrorRecord]:
    """The files under a URL of an fsspec filesystem, by the rules of a local walk:
    hidden names, congvan's outputs and pages left out, other types an errors row."""
    try:
        found = list(storage.list_files(url))
    except Exception as exc:  # a filesystem's own failures (network, credentials) too
        yield _error(url, _remote_failure(exc))
        return
    root = url.rstrip("/")
    outputs = _output_folders(name for name, _ in found)
    for name, size in found:
        relative = name[len(root):].lstrip("/") if name.startswith(root) else name.rsplit("/", 1)[-1]
        if _skipped_name(relative) or any(name.startswith(folder) for folder in outputs):
            continue
        suffix = _suffix(name)
        if suffix in _MARKED and _marked(partial(storage.open_file, name), suffix):
            continue
        yield Listed(name, size) if _readable(name) else _error(name, _unsupported(suffix))


def _output_folders(names: Iterable[str]) -> set[str]:
    """Folders (with their trailing "/") that hold an output's commit markers or an
    export's mark: what a walk never reads back."""
    out = set()
    for name in names:
        folder, _, file = name.rpartition("/")
        if file == EXPORT_MARK:
            out.add(folder + "/")
        elif folder.endswith("/" + COMMITS):
            out.add(folder[: -len(COMMITS)])
    return out


def _read_url(url: str, ocr: bool = True) -> Iterator[SourceDoc | ErrorRecord]:
    """A file on an fsspec filesystem read as a local one is: within the size limit,
    a zip's members from the open file (it is not downloaded whole)."""
    try:
        if _suffix(url) == ".zip":
            with storage.open_file(url) as handle:
                yield from _iter_zip(url, lambda: zipfile.ZipFile(handle), ocr=ocr)
            return
        data = storage.load(url, MAX_FILE_BYTES)
    except Exception as exc:
        yield _error(url, _remote_failure(exc))
        return
    if len(data) > MAX_FILE_BYTES:
        yield _error(url, _too_large(len(data)))
    else:
        yield _read_named(url, data, ocr)


def _remote_failure(exc: Exception) -> str:
    if isinstance(exc, storage.StorageError):
        return str(exc)
    if isinstance(exc, OSError):
        return _os_failure(exc).reason
    return f"cannot read: {describe(exc)}"


def iter_inputs(inputs: Iterable[str], ocr: bool = True) -> Iterator[SourceDoc | ErrorRecord]:
    """Documents from files, folders (recursively) and zip archives, in a stable order.

    Every file is answered, with an ``ErrorRecord`` if need be (files of types we
    do not read included), except hidden ones (``.name``, ``~$name``, ``__MACOSX``)
    and what congvan wrote.
    """
    for listed in list_inputs(inputs):
        if isinstance(listed, ErrorRecord):
            yield listed
        else:
            yield from read_path(listed.path, ocr)
