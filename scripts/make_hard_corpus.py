#!/usr/bin/env python3
"""Write the hard-input corpus under tests/hard/ from the sample dispatches.

Every file is made from real lines of data/raw/s01-s05 (and the usual header
lines of a dispatch): legacy encodings, broken files, scans, a portal page,
nested and bomb archives. tests/test_hard_inputs.py reads them and says what
each must become. Run again after changing this script; the output is
deterministic except the .doc, which needs LibreOffice (``soffice``) and is
kept as committed when soffice is absent.

    .venv/bin/python scripts/make_hard_corpus.py
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from congvan.decode import to_cp1258, to_legacy  # noqa: E402

RAW = REPO / "data" / "raw"
OUT = REPO / "tests" / "hard"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

ISSUER = ["UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
NUMBER = "Số: 12/KH-UBND"
PLACE_DATE = "Lạng Sơn, ngày 16 tháng 7 năm 2019"
HEADER = [*ISSUER, *MOTTO, NUMBER, PLACE_DATE]


def lines(sample: str, count: int, start: int = 0) -> list[str]:
    """Non-blank lines of data/raw/<sample>.txt, NFC, markdown marks kept."""
    text = unicodedata.normalize("NFC", (RAW / f"{sample}.txt").read_text(encoding="utf-8"))
    found = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return found[start:start + count]


def cp1252_safe(line: str) -> str:
    """Drop what neither TCVN3/VNI nor Windows-1252 can write (rare symbols)."""
    out = []
    for ch in line:
        try:
            to_legacy(ch, "tcvn3")
            to_legacy(ch, "vni")
            out.append(ch)
        except UnicodeEncodeError:
            continue
    return "".join(out)


# --------------------------------------------------------------------------- text


def text_files() -> dict[str, bytes]:
    s01 = [cp1252_safe(ln) for ln in HEADER + lines("s01", 14)]
    s02 = [cp1252_safe(ln) for ln in HEADER + lines("s02", 10)]
    s03 = [cp1252_safe(ln) for ln in lines("s03", 16)]
    s04 = lines("s04", 8)
    s05 = [cp1252_safe(ln) for ln in lines("s05", 10, start=2)]
    decomposed = "\n".join([
        "\ufeff" + NUMBER,
        "Kính\u00a0gửi:\u00a0Sở Văn hóa,\u200b Thể thao và Du lịch;",
        "Đồngchí Giám đốc Sở chỉ đạo thực hiện; ngàythángnăm 2019.",
        "Sở Thông tin và Truyền\u00adthông đề nghị UBND các huyện, TP.HCM phối hợp.",
        *lines("s01", 4, start=6),
    ])
    utf8 = "\n".join(HEADER + lines("s02", 10)).encode("utf-8")
    return {
        "tcvn3_s01.txt": to_legacy("\r\n".join(s01), "tcvn3"),
        "vni_s02.txt": to_legacy("\r\n".join(s02), "vni"),
        "cp1258_s03.txt": to_cp1258("\r\n".join(s03)),
        "utf16_s04.txt": "\n".join(s04).encode("utf-16"),
        "utf16le_nobom_s04.txt": "\n".join(s04).encode("utf-16-le"),
        "utf8_bom_s04.md": "\n".join(s04).encode("utf-8-sig"),
        # copied out of a .VnTime document into a UTF-8 editor: the letters are
        # the Windows-1252 characters of the TCVN3 bytes
        "utf8_tcvn3_font_s05.txt": to_legacy("\n".join(s05), "tcvn3").decode("cp1252").encode("utf-8"),
        "decomposed_s01.md": unicodedata.normalize("NFD", decomposed).encode("utf-8"),
        "truncated_utf8_s02.txt": utf8[:utf8.rindex("ư".encode()) + 1],  # cut inside "ư"
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    }


# --------------------------------------------------------------------------- html

PORTAL = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>Cổng thông tin điện tử tỉnh Lạng Sơn</title>
<link rel="stylesheet" href="/style.css"><script>var menu = ["Trang chủ", "Tin tức"];</script></head>
<body class="page-with-sidebar">
<div class="top-bar"><a href="/">Trang chủ</a> | <a href="/lien-he">Liên hệ</a> | <a href="/en">English</a></div>
<header class="site-header"><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH LẠNG SƠN</div></header>
<div id="main-menu"><ul><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li>
<li><a href="/van-ban">Văn bản chỉ đạo điều hành</a></li><li><a href="/dich-vu-cong">Dịch vụ công</a></li></ul></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/van-ban">Văn bản</a> &gt; Công văn</div>
<div class="container"><div class="content-detail">
<article>
<h1 class="title">{title}</h1>
<div class="date">Ban biên tập | 13 June 2019</div>
{body}
</article>
<div class="box-share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Twitter</a> <a href="#">In bài viết</a></div>
<div class="tin-lien-quan"><h3>Tin liên quan</h3><ul>
<li><a href="/tin/1">Phòng, chống mua bán người năm 2020: Vai trò quan trọng của truyền thông</a></li>
<li><a href="/tin/2">Hội nghị tổng kết công tác phòng, chống tội phạm</a></li>
<li><a href="/tin/3">Tăng cường tuyên truyền phòng, chống ma túy</a></li></ul></div>
<div id="comments"><h3>Ý kiến bạn đọc</h3><p>Bài viết rất hay, cảm ơn ban biên tập.</p>
<form><textarea></textarea><button>Gửi bình luận</button></form></div>
</div>
<aside class="sidebar"><h3>Văn bản mới</h3><ul><li><a href="/vb/1">Kế hoạch số 124/KH-UBND</a></li>
<li><a href="/vb/2">Công văn số 38/KH-BCĐ</a></li><li><a href="/vb/3">Quyết định số 1629/QĐ-TTg</a></li></ul></aside>
</div>
<footer><p>Bản quyền thuộc Ủy ban nhân dân tỉnh Lạng Sơn. Địa chỉ: số 1 đường Hùng Vương.</p></footer>
</body></html>
"""


def portal(charset: str, body_lines: list[str], title: str) -> str:
    body = "\n".join(f"<p>{line}</p>" for line in body_lines)
    return PORTAL.format(charset=charset, title=title, body=body)


def html_files() -> dict[str, bytes]:
    s05 = lines("s05", 7, start=2)
    s01 = [cp1252_safe(ln) for ln in lines("s01", 8)]
    tcvn3_page = portal("windows-1252", s01, cp1252_safe("V/v tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"))
    return {
        "portal_s05.html": portal("utf-8", s05, "Lạng Sơn: Hưởng ứng Ngày toàn dân phòng, chống mua bán người").encode("utf-8"),
        # an old page in a .VnTime font: TCVN3 bytes, declared as Windows-1252
        "portal_tcvn3_s01.html": to_legacy(tcvn3_page, "tcvn3"),
    }


# --------------------------------------------------------------------------- docx and doc


def header_table(container, issuer: list[str], motto: list[str], number: str, date: str) -> None:
    from docx.shared import Cm

    # a page header's add_table needs a width; the document body's takes none
    extra = (Cm(16),) if container.__class__.__name__ == "_Header" else ()
    table = container.add_table(2, 2, *extra)
    cells = [["\n".join(issuer), "\n".join(motto)], [number, date]]
    for row, values in zip(table.rows, cells):
        for cell, value in zip(row.cells, values):
            first, *rest = value.split("\n")
            cell.text = first
            for more in rest:
                cell.add_paragraph(more)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def header_footer_docx() -> bytes:
    """The national header in the page header, body lines, a footer with the
    recipients and a page number (which the reader skips)."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    header_table(section.header, ISSUER, MOTTO, NUMBER, PLACE_DATE)
    section.header.paragraphs[0].text = ""
    for line in lines("s01", 8, start=3):
        document.add_paragraph(line)
    footer = section.footer
    footer.paragraphs[0].text = "Nơi nhận: - Như trên; - Lưu: VT, TTBCXB."
    footer.add_paragraph("1")
    section.different_first_page_header_footer = True
    section.first_page_footer.paragraphs[0].text = "2"  # a page number only: skipped
    return docx_bytes(document)


def vntime_docx() -> bytes:
    """A document typed in the .VnTime font: the XML holds the Windows-1252
    characters of the TCVN3 bytes (what Word stores for that 8-bit font)."""
    import docx

    document = docx.Document()
    for line in [cp1252_safe(ln) for ln in HEADER + lines("s03", 8)]:
        run = document.add_paragraph().add_run(to_legacy(line, "tcvn3").decode("cp1252"))
        run.font.name = ".VnTime"
    return docx_bytes(document)


def body_docx() -> bytes:
    import docx

    document = docx.Document()
    header_table(document, ISSUER, MOTTO, NUMBER, PLACE_DATE)
    for line in lines("s04", 6):
        document.add_paragraph(line)
    return docx_bytes(document)


def legacy_doc(docx_data: bytes) -> bytes | None:
    """The same document saved as Word 97-2003 by LibreOffice, if installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "legacy_s04.docx")
        source.write_bytes(docx_data)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                        "--convert-to", "doc", "--outdir", folder, str(source)],
                       check=True, capture_output=True, timeout=300)
        return Path(folder, "legacy_s04.doc").read_bytes()


def docx_files() -> dict[str, bytes]:
    body = body_docx()
    files = {
        "header_footer_s01.docx": header_footer_docx(),
        "vntime_s03.docx": vntime_docx(),
        "truncated_s04.docx": body[: len(body) * 3 // 5],
    }
    doc = legacy_doc(body)
    if doc is not None:
        files["legacy_s04.doc"] = doc
    return files


# --------------------------------------------------------------------------- pdf


def two_column_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    y = 15.0
    for left, right in zip([*ISSUER, NUMBER], [*MOTTO, PLACE_DATE]):
        pdf.set_xy(10, y)
        pdf.cell(80, 6, left, align="C")
        pdf.set_xy(92, y)
        pdf.cell(108, 6, right, align="C")
        y += 7
    pdf.set_xy(10, y + 6)
    for line in lines("s01", 9, start=2):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """Two pages of a 'scan': images of text, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF()
    for page in range(2):
        image = Image.new("L", (600, 300), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines("s02", 6, start=page * 6)):
            draw.text((20, 20 + 40 * i), unicodedata.normalize("NFD", line).encode("ascii", "ignore").decode(), fill=0)
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- zip


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2019, 7, 16, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def zip_files(texts: dict[str, bytes]) -> dict[str, bytes]:
    deepest = zip_of({"cv.txt": "\n".join(lines("s05", 3, start=2)).encode()})
    inner = zip_of({"vni_s02.txt": texts["vni_s02.txt"], "deeper.zip": zip_of({"deepest.zip": deepest})})
    archive = zip_of({
        "a/s01.txt": "\n".join(lines("s01", 10)).encode("utf-8"),
        "a/image.png": b"\x89PNG\r\n\x1a\n",  # not a document type: skipped
        "inner.zip": inner,
    })
    bomb_text = b"0" * (20 * 1024 * 1024)  # 20 MB of one character: about 1000:1
    bomb = zip_of({"bomb.txt": bomb_text, "cv.txt": "\n".join(lines("s04", 3)).encode()})
    # 42.zip in miniature: every level holds copies of the level below
    level = zip_of({"payload.txt": bomb_text})
    for depth in range(3):
        level = zip_of({f"l{depth}_{i}.zip": level for i in range(3)})
    return {"archive.zip": archive, "bomb.zip": bomb, "nested_bomb.zip": level}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    texts = text_files()
    files = {**texts, **html_files(), **docx_files(),
             "two_column_s01.pdf": two_column_pdf(), "scanned.pdf": scanned_pdf(),
             **zip_files(texts)}
    for name, data in sorted(files.items()):
        (OUT / name).write_bytes(data)
        print(f"{len(data):>9}  tests/hard/{name}")
    if "legacy_s04.doc" not in files:
        print("soffice not found: tests/hard/legacy_s04.doc kept as it was", file=sys.stderr)


if __name__ == "__main__":
    main()
