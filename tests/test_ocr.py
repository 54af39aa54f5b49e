"""Scanned pages: page images, multi-page TIFFs and the image pages of a PDF read with
tesseract, the rows they give, and every way OCR can fail (off, not installed, a
page over its time budget, a broken image)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from congvan.cli import main
from congvan.formats import ocr
from congvan.formats.common import ReadFailure
from congvan.models import ErrorRecord, SourceDoc
from congvan.read import read_file
from congvan.write import read_table

from conftest import RAW

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
S01 = (RAW / "s01.txt").read_text(encoding="utf-8").split("\n")
S02 = (RAW / "s02.txt").read_text(encoding="utf-8").split("\n")


def page_image(lines: list[str]):
    """A page of a dispatch as a 200 dpi scan would give it (A4, serif, black on white)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 26) if Path(FONT).is_file() else ImageFont.load_default()
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((120, 100 + 38 * i), line[:95], font=font, fill=0)
    return image


@pytest.fixture(scope="module")
def tesseract() -> str:
    command, why = ocr.engine()
    if command is None:
        pytest.skip(f"{why}; `make test` installs it")
    return why


def test_a_page_image_reads_like_the_text_it_shows(tesseract: str, tmp_path: Path) -> None:
    page_image(S01[:45]).save(tmp_path / "s01.png")
    got = read_file(tmp_path / "s01.png")
    assert isinstance(got, SourceDoc), got
    assert got.format == "image" and got.ocr == f"{tesseract} vie" and got.ocr_confidence > 0.8
    assert "Số: /STTTT-TTBCXB" in got.text and "Kính gửi:" in got.text
    assert main(["run", str(tmp_path / "s01.png"), "--out", str(tmp_path / "out"), "--quiet",
                 "--summary-json", str(tmp_path / "run.json")]) == 0
    import json

    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["ocr_pages"] == 1
    doc = read_table(tmp_path / "out", "documents").to_pylist()[0]
    assert (doc["symbol"], doc["issue_date"], doc["issuer"]) == ("STTTT-TTBCXB", "2019-07", "Sở Thông tin và Truyền thông")
    assert doc["ocr"].startswith("tesseract") and doc["ocr_confidence"] > 0.8
    recipients = read_table(tmp_path / "out", "recipients").to_pylist()
    assert all(doc["text"][r["start"]:r["end"]] == r["text"] for r in recipients)  # offsets into the OCR text


def test_every_page_of_a_multi_page_tiff(tesseract: str, tmp_path: Path) -> None:
    first, second = page_image(S01[:20]), page_image(S02[:30])
    first.save(tmp_path / "two.tif", save_all=True, append_images=[second])
    got = read_file(tmp_path / "two.tif")
    assert isinstance(got, SourceDoc), got
    assert got.ocr_pages == 2
    assert "Kính gửi:" in got.text  # page 1
    assert "38/KH-BCĐ" in got.text  # page 2 (s02 cites Kế hoạch số 38/KH-BCĐ)


def test_a_pdf_with_a_text_page_and_a_scanned_page(tesseract: str, tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=FONT.replace("Serif", "Sans"))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in S01[:25]:
        pdf.cell(0, 6, line[:100], new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    scan = io.BytesIO()
    page_image(S02[:30]).save(scan, "PNG")
    pdf.image(scan, x=0, y=0, w=210)
    pdf.output(str(tmp_path / "mixed.pdf"))
    got = read_file(tmp_path / "mixed.pdf")
    assert isinstance(got, SourceDoc), got
    assert got.ocr and got.format == "pdf" and got.ocr_pages == 1  # the scanned page only
    assert "Kính gửi:" in got.text  # the text layer of page 1, not read again
    assert "38/KH-BCĐ" in got.text  # page 2, from OCR


def test_with_ocr_off_or_not_installed_a_scan_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    page_image(S01[:10]).save(tmp_path / "s.png")
    off = read_file(tmp_path / "s.png", ocr=False)
    assert isinstance(off, ErrorRecord) and off.reason == "needs_ocr: an image; OCR is off (--no-ocr)"
    monkeypatch.setattr(ocr, "engine", lambda: (None, f"tesseract is not installed ({ocr.INSTALL})"))
    missing = read_file(tmp_path / "s.png")
    assert isinstance(missing, ErrorRecord)
    assert missing.reason == "needs_ocr: an image; tesseract is not installed (apt-get install tesseract-ocr " \
                             "tesseract-ocr-vie)"
    assert main(["run", str(tmp_path / "s.png"), "--out", str(tmp_path / "o"), "--no-ocr", "--quiet"]) == 1
    assert read_table(tmp_path / "o", "errors").to_pylist()[0]["reason"].endswith("OCR is off (--no-ocr)")


def test_a_page_over_its_time_budget_is_an_errors_row(tesseract: str, tmp_path: Path, monkeypatch) -> None:
    page_image(S01[:45]).save(tmp_path / "slow.png")
    (tmp_path / "s02.txt").write_text((RAW / "s02.txt").read_text(encoding="utf-8"), encoding="utf-8")
    original = ocr.ocr_png
    monkeypatch.setattr(ocr, "ocr_png", lambda png, number=1, seconds=0: original(png, number, 0.01))
    assert main(["run", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    errors = read_table(tmp_path / "out", "errors").to_pylist()
    assert [(Path(e["source"]).name, e["reason"]) for e in errors] == \
        [("slow.png", "time limit: OCR of page 1 took over 0.01 s")]
    assert len(read_table(tmp_path / "out", "documents")) == 1  # the batch went on


def test_a_broken_image_is_an_errors_row(tesseract: str, tmp_path: Path) -> None:
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    got = read_file(tmp_path / "bad.jpg")
    assert isinstance(got, ErrorRecord) and got.reason.startswith("corrupt image:")


def test_tesseract_blocks_and_lines_become_the_text() -> None:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    words = [  # the issuer's column is block 1, the motto's block 2: one column after the other
        (1, 1, 1, "ỦY", 96), (1, 1, 1, "BAN", 94), (1, 1, 2, "Số:", 90), (1, 1, 2, "124/KH-UBND", 80),
        (2, 1, 1, "CỘNG", 95), (2, 1, 1, "HÒA", 95),
    ]
    rows = [head] + [f"5\t1\t{b}\t{p}\t{ln}\t1\t0\t0\t1\t1\t{c}\t{w}" for b, p, ln, w, c in words]
    page = ocr._page("\n".join(rows))
    assert page.text == "ỦY BAN\nSố: 124/KH-UBND\n\nCỘNG HÒA"  # capitals and the number line stay apart
    assert page.words == 6 and page.confidence == pytest.approx(0.9167, abs=1e-3)
    with pytest.raises(ReadFailure, match="OCR is off"):
        ocr.read_image(b"", ocr=False)


def test_lines_wrapped_by_the_printer_are_one_paragraph_again() -> None:
    full, short = 1500, 700  # right edges: a line that reaches the margin wrapped, a shorter one ended
    lines = [("Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh về phối hợp", full),
             ("tổ chức các hoạt động hưởng ứng; Sở Thông tin và Truyền thông đề nghị:", full),
             ("- Sở Văn hóa, Thể thao và Du lịch;", short), ("- Báo Lạng Sơn, Đài Phát thanh và Truyền hình", full),
             ("tỉnh;", short), ("2. Về địa vị pháp lý của người đại diện.", short),
             ("Địa vị pháp lý được quy định tại Luật Doanh nghiệp và các hợp đồng của", full),
             ("PVN.", short), ("KẾ HOẠCH TUYÊN TRUYỀN", full), ("Tổ chức các hoạt động", short)]
    got = ocr._unwrapped([ocr.Line(text, 100, right) for text, right in lines], 100, full)
    assert got == [
        "Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh về phối hợp tổ chức các "
        "hoạt động hưởng ứng; Sở Thông tin và Truyền thông đề nghị:",
        "- Sở Văn hóa, Thể thao và Du lịch;", "- Báo Lạng Sơn, Đài Phát thanh và Truyền hình tỉnh;",
        "2. Về địa vị pháp lý của người đại diện.",  # a heading ends short of the margin
        "Địa vị pháp lý được quy định tại Luật Doanh nghiệp và các hợp đồng của PVN.",
        "KẾ HOẠCH TUYÊN TRUYỀN", "Tổ chức các hoạt động"]


def test_with_workers_the_scans_are_read_by_them(tesseract: str, tmp_path: Path, monkeypatch) -> None:
    import os

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        page_image(S01[:15] + [f"Bản chụp số {i}."]).save(src / f"scan{i}.png")
    (src / "s02.txt").write_text((RAW / "s02.txt").read_text(encoding="utf-8"), encoding="utf-8")
    pids = tmp_path / "pids"
    original = ocr.ocr_png

    def noted(png: bytes, number: int = 1, seconds: float = ocr.PAGE_SECONDS):
        with open(pids, "a") as handle:  # the forked workers inherit this wrapper
            handle.write(f"{os.getpid()}\n")
        return original(png, number, seconds)

    monkeypatch.setattr(ocr, "ocr_png", noted)
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--workers", "2", "--quiet"]) == 0
    readers = set(pids.read_text().split())
    assert len(pids.read_text().split()) == 3 and str(os.getpid()) not in readers  # not the run's own process
    docs = read_table(tmp_path / "out", "documents").to_pylist()
    assert sorted(Path(d["source"]).name for d in docs) == ["s02.txt", "scan0.png", "scan1.png", "scan2.png"]
    assert all(d["ocr"] for d in docs if d["format"] == "image")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--workers", "2", "--quiet",
                 "--summary-json", str(tmp_path / "again.json")]) == 0  # unchanged scans: not read again
    import json

    assert json.loads((tmp_path / "again.json").read_text())["unchanged_skipped"] == 4
    assert len(pids.read_text().split()) == 3
