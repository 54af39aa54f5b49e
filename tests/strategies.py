"""Hypothesis strategies for the invariant tests: arbitrary text, mutated
dispatches, and input folders of good and broken files.

The dispatches mutated are the repo's samples ``data/raw/s*.txt`` and, when the
dev corpus sits beside the repo, its ``t*.txt``: those are read here at test
time and never written into the repo.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from conftest import DEV, RAW

# --------------------------------------------------------------------------- text

_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_VOWELS = "aăâeêioôơuưy"
_CONSONANTS = "bcdđghklmnpqrstvx"
_LOWER = sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES}
                | set(_CONSONANTS))
VIETNAMESE_LETTERS = "".join(_LOWER) + "".join(c.upper() for c in _LOWER)
DIGITS = "0123456789"
PUNCTUATION = " .,;:/-–—()[]\"“”'‘’!?*_#%&+=<>…•·"
WHITESPACE = "\n\n\n\r\t \u00a0\u2028\u2029\u3000"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
CONTROLS = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x9f]))

# pieces of a dispatch, so that random text also reaches the grammar's paths
FRAGMENTS = (
    "Số:", "Số: 12/KH-UBND", "ngày", "tháng", "năm", "ngày 16 tháng 7 năm 2019",
    "Kính gửi:", "Nơi nhận:", "V/v", "Về việc", "KẾ HOẠCH", "CÔNG VĂN", "QUYẾT ĐỊNH",
    "UBND", "Ủy ban nhân dân tỉnh", "Sở", "Công an", "huyện", "xã", "- ", "+ ", "a) ",
    "I. ", "1. ", "1.2. ", "Điều 1.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)",
    "trước ngày", "từ ngày", "đến ngày", "hằng tháng", "trong thời hạn", "chủ trì",
    "phối hợp", "chịu trách nhiệm", "tổ chức", "triển khai", "báo cáo", "người cao tuổi",
    "trẻ em", "phụ nữ", "căn cứ", "Kế hoạch số", "Lạng Sơn, ", "/QĐ-TTg", "CỘNG HÒA XÃ HỘI",
    "Độc lập - Tự do - Hạnh phúc", "https://", "Tin bài", "Đăng lúc", "20/11/2023",
)

CHARACTERS = (VIETNAMESE_LETTERS + DIGITS + PUNCTUATION + WHITESPACE + INVISIBLE
              + COMBINING + CONTROLS)


def _chars() -> st.SearchStrategy[str]:
    """Mostly the characters of dispatches; now and then any character at all."""
    return st.one_of(st.sampled_from(CHARACTERS), st.characters(codec="utf-8"))


def arbitrary_text(max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Random characters and dispatch fragments run together."""
    piece = st.one_of(st.text(_chars(), max_size=12), st.sampled_from(FRAGMENTS))
    return st.lists(piece, max_size=max_pieces).map("".join)


# --------------------------------------------------------------------------- dispatches

def dispatch_paths() -> list[Path]:
    """The samples, and the dev corpus texts when present (read only)."""
    paths = sorted(RAW.glob("s*.txt"))
    if DEV.is_dir():
        paths += sorted(DEV.glob("t*.txt"))
    return paths


DISPATCHES: tuple[str, ...] = tuple(p.read_text(encoding="utf-8") for p in dispatch_paths())


def _lines_op(op: str):
    def apply(draw, text: str) -> str:
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + draw(st.sampled_from(["", " "])) + lines[i + 1]]
        return "\n".join(lines)
    return apply


def _region(draw, text: str) -> tuple[int, int]:
    i = draw(st.integers(0, len(text)))
    return i, draw(st.integers(i, min(len(text), i + 400)))


def _cut(draw, text: str) -> str:
    i = draw(st.integers(0, len(text)))
    return text[:i] if draw(st.booleans()) else text[i:]


def _insert(draw, text: str) -> str:
    i = draw(st.integers(0, len(text)))
    piece = draw(st.one_of(st.text(_chars(), min_size=1, max_size=8), st.sampled_from(FRAGMENTS)))
    return text[:i] + piece + text[i:]


def _recase(draw, text: str) -> str:
    i, j = _region(draw, text)
    change = draw(st.sampled_from([str.upper, str.lower, str.title, str.swapcase]))
    return text[:i] + change(text[i:j]) + text[j:]


def _redigit(draw, text: str) -> str:
    i, j = _region(draw, text)
    new = draw(st.text(st.sampled_from(DIGITS), min_size=1, max_size=1))
    return text[:i] + "".join(new if c.isdigit() else c for c in text[i:j]) + text[j:]


def _decompose(draw, text: str) -> str:
    i, j = _region(draw, text)
    return text[:i] + unicodedata.normalize("NFD", text[i:j]) + text[j:]


MUTATIONS = {
    "delete line": _lines_op("delete"), "duplicate line": _lines_op("duplicate"),
    "swap lines": _lines_op("swap"), "join lines": _lines_op("join"),
    "cut": _cut, "insert": _insert, "change case": _recase, "replace digits": _redigit,
    "decompose (NFD)": _decompose,
}


@st.composite
def mutated_dispatch(draw, max_mutations: int = 6) -> str:
    """A real dispatch with a few random edits of the kinds of MUTATIONS."""
    text = draw(st.sampled_from(DISPATCHES))
    for name in draw(st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=max_mutations)):
        text = MUTATIONS[name](draw, text)
    return text


def any_text() -> st.SearchStrategy[str]:
    return st.one_of(arbitrary_text(), mutated_dispatch())


# --------------------------------------------------------------------------- folders

@dataclass(frozen=True)
class InputFile:
    """One file to write under the input folder; ``members`` for a zip."""

    path: str  # relative, "/"-separated
    data: bytes
    expected: tuple[str, ...]  # sources it must produce, relative ("a.zip!m.txt")
    ignored: bool = False  # a hidden name, which the reader skips by design

    def __repr__(self) -> str:  # the bytes would fill pages of a failure report
        return f"InputFile({self.path!r}, <{len(self.data)} bytes>, {self.expected!r})"


def shown(path: str) -> str:
    """A path as the tables show it: bytes of a name that is not UTF-8 as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_NAME = st.text(st.sampled_from("abcdeđơư_0123456789- "), min_size=1, max_size=6).map(str.strip) \
    .filter(bool)

_BROKEN_DOCX = b"PK\x03\x04" + b"\x00" * 26 + b"not really a docx"
_BROKEN_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF"


def _contents() -> st.SearchStrategy[tuple[str, bytes]]:
    """(suffix, bytes) of one input: good, empty, junk, or broken."""
    text = st.one_of(mutated_dispatch(max_mutations=2), arbitrary_text(max_pieces=10))
    return st.one_of(
        text.map(lambda t: (".txt", t.encode("utf-8"))),
        text.map(lambda t: (".md", t.encode("utf-16"))),
        text.map(lambda t: (".html", f"<html><body><p>{t}</p></body></html>".encode("utf-8"))),
        st.just((".txt", b"")),
        st.binary(max_size=64).map(lambda b: (".txt", b)),
        st.just((".txt", b"S\xe1\xbb\x91: 12/UBND \xff\xfe\xc3(")),  # bad UTF-8
        st.just((".docx", _BROKEN_DOCX)),
        st.just((".pdf", _BROKEN_PDF)),
        st.binary(max_size=32).map(lambda b: (".pdf", b)),
    )


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


@st.composite
def input_folder(draw, max_files: int = 6) -> list[InputFile]:
    """Files under nested folders: documents, junk, duplicates, zips, other types
    and hidden names."""
    files: dict[str, InputFile] = {}

    def add(f: InputFile) -> None:
        files.setdefault(f.path, f)

    for _ in range(draw(st.integers(1, max_files))):
        kind = draw(st.sampled_from(["file", "file", "duplicate", "zip", "corrupt zip",
                                     "other type", "hidden", "name not UTF-8"]))
        folder = "/".join(draw(st.lists(_NAME, max_size=2)))
        stem = draw(_NAME)
        path = f"{folder}/{stem}" if folder else stem
        if kind == "file" or (kind == "duplicate" and not files):
            suffix, data = draw(_contents())
            add(InputFile(path + suffix, data, (path + suffix,)))
        elif kind == "duplicate":  # the same bytes under another name
            twin = draw(st.sampled_from(sorted(p for p, f in files.items() if not f.ignored)
                                        or sorted(files)))
            if files[twin].ignored:
                continue
            suffix = Path(twin).suffix
            copy = path + "_copy" + suffix
            add(InputFile(copy, files[twin].data,
                          tuple(s.replace(shown(twin), shown(copy), 1)
                                for s in files[twin].expected)))
        elif kind == "zip":
            members: dict[str, tuple[bytes, tuple[str, ...]]] = {}  # name -> data, sources
            for _ in range(draw(st.integers(0, 3))):
                suffix, data = draw(_contents())
                member = f"{'/'.join(draw(st.lists(_NAME, max_size=1)))}/{draw(_NAME)}{suffix}"
                members[member.lstrip("/")] = (data, (member.lstrip("/"),))
            if draw(st.booleans()):  # a zip inside the zip is read too
                suffix, data = draw(_contents())
                members["inner.zip"] = (_zip([(f"a{suffix}", data)]), (f"inner.zip!a{suffix}",))
            if draw(st.booleans()):  # never documents, in an archive either
                members |= {"notes.xyz": (b"x", ("notes.xyz",)),  # an errors row
                            "__MACOSX/._a.txt": (b"y", ())}  # skipped: not a document
            name = path + ".zip"
            add(InputFile(name, _zip([(m, d) for m, (d, _) in sorted(members.items())]),
                          tuple(f"{name}!{src}" for _, (_, srcs) in sorted(members.items())
                                for src in srcs)))
        elif kind == "corrupt zip":
            add(InputFile(path + ".zip", b"PK\x03\x04" + draw(st.binary(max_size=40)),
                          (path + ".zip",)))
        elif kind == "name not UTF-8":  # "báo cáo" in Windows-1258, unpacked here
            suffix, data = draw(_contents())
            name = f"{path}b\udce1o c\udce1o{suffix}"
            add(InputFile(name, data, (shown(name),)))
        elif kind == "other type":  # answered with an errors row
            add(InputFile(path + ".xyz", b"S\xe1\xbb\x91: 1/UBND", (path + ".xyz",)))
        else:  # never documents, and skipped without a row: hidden files, Office lock files
            name = draw(st.sampled_from([f"{folder}/.{stem}.txt", f"{folder}/~${stem}.docx"]))
            add(InputFile(name.lstrip("/"), b"S\xe1\xbb\x91: 1/UBND", (), ignored=True))
    return list(files.values())


def write_folder(root: Path, files: list[InputFile]) -> set[str]:
    """Write ``files`` under ``root``; the sources the run must report, as strings."""
    expected: set[str] = set()
    for f in files:
        path = root / f.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.data)
        expected |= {str(root / s) for s in f.expected}
    return expected
