"""Showing a document: the displaCy page with every span labelled, the plain listing,
and ``congvan show``."""
from __future__ import annotations

from pathlib import Path

import pytest

from congvan.annotate import to_doc
from congvan.cli import main
from congvan.extract import extract
from congvan.models import Deadline, DocumentInfo, Extraction, Field, Obligation, RiskGroup
from congvan.render import render_html, render_text

from conftest import RAW


@pytest.fixture(scope="module")
def s02() -> Extraction:
    return extract((RAW / "s02.txt").read_text(encoding="utf-8"))


def test_page_labels_every_span_with_its_value(s02: Extraction) -> None:
    page = render_html(s02, "s02.txt")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "ref:38/KH-BCĐ" in page and "ref:600/KH-TBCĐKH506" in page
    assert "recipient:to Báo Lạng Sơn" in page
    assert "symbol: STTTT-TTBCXB" in page and "signer: Lê Hải Yến" in page
    assert "references (5)" in page  # the legend counts each kind


def test_page_needs_no_network(s02: Extraction) -> None:
    page = render_html(s02, "s02.txt")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<style>" in page


def test_page_summary_table_has_the_header_fields(s02: Extraction) -> None:
    page = render_html(to_doc(s02), "s02.txt")
    assert "<th>issue_date</th><td>2023-03</td>" in page
    assert "<th>number</th><td>—</td>" in page  # no number printed


def test_page_escapes_the_document() -> None:
    x = extract("Số: 12/UBND-VX\nHà Nội, ngày 3 tháng 5 năm 2021\n"
                "V/v <script>alert(1)</script> & \"báo cáo\"\nKính gửi: Sở <b>Y tế</b>")
    page = render_html(x, "<i>bad</i>.txt")
    assert "<script>" not in page and "<b>Y" not in page and "<i>bad" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;i&gt;bad&lt;/i&gt;.txt" in page


def test_labels_of_obligations_risk_groups_and_deadlines() -> None:
    text = "Sở Y tế chủ trì tuyên truyền cho trẻ em, hoàn thành trước ngày 20/9/2023."
    x = Extraction(
        text=text, document=DocumentInfo(),
        obligations=[Obligation("Sở Y tế", "lead", "Sở Y tế", 0, 7)],
        risk_groups=[RiskGroup("children", "trẻ em", 33, 39)],
        deadlines=[Deadline("2023-09-20", "by", "trước ngày 20/9/2023", 52, 72),
                   Deadline(None, "by", "trước ngày 20/9/2023", 52, 72)],
    )
    listing = render_text(to_doc(x))
    assert "obligation:lead Sở Y tế" in listing
    assert "risk:children" in listing
    assert "deadline:by 2023-09-20" in listing
    assert "deadline:by ?" in listing  # an unresolved date says so
    assert "obligation:support" not in listing


def test_listing_gives_offsets_and_the_words() -> None:
    x = Extraction(text="Lạng Sơn, ngày 16 tháng 7 năm 2019", document=DocumentInfo(
        place=Field("Lạng Sơn", "Lạng Sơn", 0, 8)))
    line = render_text(to_doc(x)).splitlines()[0]
    assert line.split()[:3] == ["header", "place:", "Lạng"]
    assert "0-8" in line and line.endswith("Lạng Sơn")
    assert render_text(to_doc(Extraction(text="", document=DocumentInfo()))) == ""


def test_cli_show_writes_the_page(tmp_path: Path, capsys) -> None:
    out = tmp_path / "s02.html"
    assert main(["show", str(RAW / "s02.txt"), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>s02.txt</title>" in page and "ref:38/KH-BCĐ" in page
    assert str(out) in capsys.readouterr().out


def test_cli_show_without_html_prints_the_spans(capsys) -> None:
    assert main(["show", str(RAW / "s02.txt")]) == 0
    out = capsys.readouterr().out
    assert "ref:38/KH-BCĐ" in out and "Kế hoạch số 38/KH-BCĐ ngày 20/02/2023" in out


def test_cli_show_unreadable_input(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.html"
    assert main(["show", str(tmp_path / "missing.txt"), "--html", str(out)]) == 1
    assert "missing.txt" in capsys.readouterr().err and not out.exists()
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main(["show", str(bad)]) == 1


def test_cli_show_help_has_an_example(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["show", "--help"])
    assert "congvan show data/raw/s02.txt --html s02.html" in capsys.readouterr().out


def test_the_page_keeps_the_text_as_printed_with_labels_beside_it(s02: Extraction) -> None:
    import html
    import re

    from bs4 import BeautifulSoup

    source = render_html(s02, "s02.txt")
    body = source.split('<div class="spans">')[1].rsplit("</div>", 1)[0]  # (parsers fold blank lines)
    text = html.unescape(re.sub(r"</?mark[^>]*>", "", re.sub(r'<span class="lab[^"]*">[^<]*</span>', "", body)))
    assert text == s02.text  # no space before a comma ("Phụ nữ ,"), none lost
    page = BeautifulSoup(source, "lxml")
    marks = page.find("div", class_="spans").find_all("mark")
    assert marks and not any("k-directives" in m["class"] for m in marks)  # a section is not shaded
    css = page.style.get_text()
    assert "position: absolute" not in css and "font-weight: bold" not in css  # labels in the line
    assert "font-size: 0.72em" in css


def test_a_label_is_never_drawn_over_the_text() -> None:
    text = "Công an tỉnh, Sở Tư pháp phối hợp."
    x = Extraction(text=text, document=DocumentInfo(),
                   obligations=[Obligation("Công an tỉnh", "lead", "Công an tỉnh", 0, 12),
                                Obligation("Sở Tư pháp", "support", "Sở Tư pháp", 14, 24)])
    spans = render_html(x, "t").split('<div class="spans">')[1]
    assert spans.startswith('<span class="lab k-obligations">obligation:lead Công an tỉnh</span><mark')
    assert '</mark>, <span class="lab k-obligations">obligation:support Sở Tư pháp</span>' in spans
