"""``congvan report``: the static page with charts, its highlighted document pages, bad
output folders, and the page as a real browser draws it."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from congvan.cli import main
from congvan.extract import extract
from congvan.query import all_tasks, connect
from congvan.render import render_html
from congvan.models import DocumentInfo, SourceDoc
from congvan.report import extraction_from_rows, fig_deadlines, groups_per_year, tasks_per_agency
from congvan.schema import TABLES
from congvan.write import document_rows, read_table

from conftest import RAW

CHARTS = ("chart-documents", "chart-deadlines", "chart-agencies", "chart-groups")

# a dispatch that tasks nobody, names no group and sets no deadline; its subject is hostile
PLAIN = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 12/UBND-VP\nHà Nội, ngày 3 tháng 5 năm 2021\n"
         "V/v lịch họp <script>alert(1)</script> & giao ban\n"
         "Kính gửi: Văn phòng Ủy ban nhân dân thành phố\n"
         "Ủy ban nhân dân thành phố thông báo lịch họp giao ban tháng 5 năm 2021 như sau.\n")


def report(out: Path, html: Path, *extra: str) -> int:
    return main(["report", "--html", str(html), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def raw_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    assert main(["run", str(RAW), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def raw_report(raw_out: Path, tmp_path_factory) -> Path:
    html = tmp_path_factory.mktemp("site") / "report.html"
    assert report(raw_out, html) == 0
    return html


@pytest.fixture(scope="module")
def plain_out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("plain")
    (src / "giao_ban.txt").write_text(PLAIN, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")  # becomes an errors row
    out = tmp_path_factory.mktemp("plain_out")
    assert main(["run", str(src), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def document_links(html: Path) -> list[str]:
    """The links of the documents table."""
    heading = soup(html).find("h2", string="Văn bản")
    return [a["href"] for a in heading.find_next("table").find_all("a")]


# --------------------------------------------------------------------------- the page


def test_page_has_every_chart_and_plotly_inlined_once(raw_report: Path) -> None:
    page = raw_report.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page
    assert page.count("Plotly.newPlot(") == len(CHARTS)
    assert len(re.findall(r"plotly\.js v\d", page)) == 1  # the library's banner, once
    dom = soup(raw_report)
    for div_id in CHARTS:
        assert dom.find(id=div_id) is not None, div_id
    assert not dom.select(".nodata")


def test_page_fetches_nothing(raw_report: Path) -> None:
    dom = soup(raw_report)
    for tag in dom.find_all(["script", "link", "img", "iframe"]):
        assert not tag.get("src") and not tag.get("href"), tag.name
    assert all(not a["href"].startswith(("http:", "https:", "/", "file:")) for a in dom.find_all("a"))


def test_page_shows_vietnamese_names(raw_report: Path) -> None:
    page = raw_report.read_text(encoding="utf-8")
    assert "Sở Thông tin và Truyền thông" in page  # issuer in the documents table, as UTF-8
    assert "Lạng Sơn" in page


def test_every_document_links_to_its_highlighted_page(raw_out: Path, raw_report: Path) -> None:
    links = document_links(raw_report)
    docs = read_table(raw_out, "documents").to_pylist()
    assert len(set(links)) == len(docs) == 5
    for href in links:
        assert re.fullmatch(r"report_files/[0-9a-f]{16}\.html", href)
        assert (raw_report.parent / href).is_file()
    s02 = next(d for d in docs if d["source"].endswith("s02.txt"))
    page = raw_report.parent / "report_files" / f"{s02['doc_id']}.html"
    assert f"report_files/{page.name}" in links
    dom = soup(page)
    back = dom.find("a", string=re.compile("về trang báo cáo"))
    assert (page.parent / back["href"]).resolve() == raw_report.resolve()
    labels = [s.get_text() for s in dom.find_all("span", class_="lab")]
    assert "ref:38/KH-BCĐ" in labels and "recipient:to Báo Lạng Sơn" in labels
    # one mark per stored span of the document
    stored = len(s02["header_spans"]) + sum(
        sum(r["doc_id"] == s02["doc_id"] for r in read_table(raw_out, t).to_pylist())
        for t in ("references", "recipients", "directives", "obligations", "risk_groups",
                  "deadlines"))
    assert len(labels) == stored


def test_document_page_is_the_page_of_congvan_show(raw_out: Path, raw_report: Path) -> None:
    """Rebuilt from the stored rows, the page shows what extracting the file shows."""
    for d in read_table(raw_out, "documents").to_pylist():
        page = (raw_report.parent / "report_files" / f"{d['doc_id']}.html").read_text(encoding="utf-8")
        page = re.sub(r"<p><a href=[^\n]*</p>\n", "", page, count=1)
        shown = render_html(extract(Path(d["source"]).read_text(encoding="utf-8")), d["source"])
        assert page == shown, d["source"]


@pytest.mark.parametrize("name", ["s01.txt", "s02.txt", "s03.txt"])
def test_rows_give_back_the_extraction(name: str) -> None:
    """The inverse of ``document_rows``: every record the page draws comes back whole."""
    text = (RAW / name).read_text(encoding="utf-8")
    x = extract(text)
    rows = document_rows(SourceDoc(name, text, "txt", len(text.encode()), "0" * 64), x)
    back = extraction_from_rows(rows["documents"][0], rows)
    assert back.text == x.text and back.warnings == x.warnings
    for group in ("references", "recipients", "directives", "obligations", "risk_groups",
                  "deadlines"):
        assert getattr(back, group) == getattr(x, group), group
    for field in DocumentInfo.FIELDS:
        a, b = getattr(back.document, field), getattr(x.document, field)
        assert (a and (a.value, a.text, a.start, a.end)) == (b and (b.value, b.text, b.start, b.end))
    assert back.to_json() == x.to_json()


# --------------------------------------------------------------------------- the data


def test_tasks_chart_keeps_the_most_tasked_bodies(raw_out: Path) -> None:
    con = connect(raw_out)
    per_body = all_tasks(con).groupby("body").size()
    top = tasks_per_agency(con, 3)
    assert top.body.nunique() == 3
    assert set(top.body) <= set(per_body.index)
    kept = per_body[top.body.unique()]
    assert kept.min() >= per_body.drop(kept.index).max()  # nobody left out has more
    assert list(dict.fromkeys(top.body)) == sorted(kept.index, key=lambda b: (-kept[b], b))


def test_groups_per_year_counts_documents_not_mentions(raw_out: Path) -> None:
    docs = read_table(raw_out, "documents").to_pandas()[["doc_id", "issue_date"]]
    groups = read_table(raw_out, "risk_groups").to_pandas().merge(docs, on="doc_id")
    groups["year"] = groups.issue_date.str[:4].fillna("unknown")
    expected = groups.groupby(["year", "code"]).doc_id.nunique()
    got = groups_per_year(connect(raw_out)).set_index(["year", "code"]).documents
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    assert len(groups) > len(expected)  # the sample names some groups more than once


def _deadlines(rows: list[tuple]) -> pd.DataFrame:
    cols = ["deadline", "start_date", "kind", "text"]
    df = pd.DataFrame(rows, columns=cols)
    return df.assign(bodies=None, document="5/KH-UBND", doc_type="Kế hoạch", source="a.txt",
                     doc_id="0123456789abcdef")


def test_timeline_puts_a_partial_date_at_the_end_of_its_window() -> None:
    fig = fig_deadlines(_deadlines([
        # "từ nay" in a dispatch dated only "2023": its start is the year, never drawn from January
        ("2023-08", "2023", "until", "từ nay đến hết tháng 8/2023"),
        ("2023-10-31", "2023-10-01", "until", "từ ngày 01/10/2023 đến ngày 31/10/2023"),
        ("2024-02", None, "by", "trong tháng 02/2024"),
        ("2023-09-20", None, "by", "trước ngày 20/9/2023"),
        (None, None, "recurring", "hằng tháng"),  # no date: listed, not drawn
        ("2023-13", None, "by", "tháng 13"),  # not a date: not drawn
    ]), "report_files")
    markers = [t for t in fig.data if t.mode == "markers"]
    days = sorted(str(x)[:10] for t in markers for x in t.x)
    assert days == ["2023-08-31", "2023-09-20", "2023-10-31", "2024-02-29"]
    line = next(t for t in fig.data if t.mode == "lines")
    assert [x and str(x)[:10] for x in line.x] == ["2023-10-01", "2023-10-31", None]
    assert all(c[0] == "report_files/0123456789abcdef.html" for t in markers for c in t.customdata)


def test_timeline_without_a_dated_deadline_is_no_chart() -> None:
    assert fig_deadlines(_deadlines([(None, None, "recurring", "hằng tháng")]), "p") is None
    assert fig_deadlines(_deadlines([]), "p") is None


# --------------------------------------------------------------------------- empty and bad


def test_empty_charts_become_no_data_panels(plain_out: Path, tmp_path: Path, capsys) -> None:
    html = tmp_path / "plain.html"
    assert report(plain_out, html) == 0
    assert "1 documents, 1 errors, 4 charts (3 without data)" in capsys.readouterr().out
    dom = soup(html)
    for div_id in ("chart-deadlines", "chart-agencies", "chart-groups"):
        panel = dom.find(id=div_id)
        assert "nodata" in panel["class"] and panel.get_text().startswith("Không có dữ liệu:"), div_id
    assert "plotly-graph-div" in dom.find(id="chart-documents")["class"]
    page = html.read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot(") == 1
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    errors = dom.find("h2", string="Tệp không đọc được").find_next("table").get_text()
    assert "empty.txt" in errors and "read" in errors


def test_stale_document_pages_are_removed(plain_out: Path, tmp_path: Path) -> None:
    pages = tmp_path / "r_files"
    pages.mkdir()
    (pages / "0123456789abcdef.html").write_text("old", encoding="utf-8")
    (pages / "notes.txt").write_text("mine", encoding="utf-8")
    assert report(plain_out, tmp_path / "r.html") == 0
    assert not (pages / "0123456789abcdef.html").exists()
    assert (pages / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert len(list(pages.glob("*.html"))) == 1


def test_a_second_report_draws_only_the_pages_whose_rows_changed(tmp_path: Path) -> None:
    from congvan.report import build

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "giao_ban.txt").write_text(PLAIN, encoding="utf-8")
    (src / "s01.txt").write_bytes((RAW / "s01.txt").read_bytes())
    assert main(["run", str(src), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    html = tmp_path / "r.html"
    first = build(out, html)
    assert (first.pages, first.pages_drawn) == (2, 2)
    pages = {p.name: p.read_bytes() for p in first.pages_dir.glob("*.html")}

    again = build(out, html)  # nothing changed: every page kept as it was
    assert (again.pages, again.pages_drawn, again.page_bytes) == (2, 0, first.page_bytes)
    assert {p.name: p.read_bytes() for p in again.pages_dir.glob("*.html")} == pages

    (src / "giao_ban.txt").write_text(PLAIN.replace("tháng 5", "tháng 6"), encoding="utf-8")
    assert main(["run", str(src), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    changed = build(out, html)  # the changed file has a new doc_id: one page drawn, one gone
    assert (changed.pages, changed.pages_drawn) == (2, 1)
    assert len(list(changed.pages_dir.glob("*.html"))) == 2

    next(changed.pages_dir.glob("*.html")).unlink()  # a page deleted by hand is drawn again
    assert build(out, html).pages_drawn == 1


@pytest.mark.parametrize("case, code, message", [
    ("missing", 2, "no output folder"),
    ("empty folder", 1, "holds no congvan tables"),
    ("nothing read", 1, "holds no documents and no errors"),
])
def test_no_output_is_a_clear_error(case: str, code: int, message: str, tmp_path: Path,
                                    capsys) -> None:
    out = tmp_path / "out"
    if case != "missing":
        out.mkdir()
    if case == "nothing read":
        (tmp_path / "in").mkdir()
        assert main(["run", str(tmp_path / "in"), "--out", str(out), "--quiet"]) == 1
        capsys.readouterr()
    assert report(out, tmp_path / "r.html") == code
    err = capsys.readouterr().err
    assert err.startswith("congvan report: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "r_files").exists()


def test_bad_options_are_usage_errors(raw_out: Path, tmp_path: Path, capsys) -> None:
    assert report(raw_out, tmp_path / "r.html", "--top", "0") == 2
    assert "--top must be at least 1" in capsys.readouterr().err
    assert report(raw_out, tmp_path / "no" / "such" / "r.html") == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "no folder" in err
    assert not (tmp_path / "no").exists()


# --------------------------------------------------------------------------- in a browser


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.skip("Chromium is not installed (`make test` installs Debian's chromium package)")


def rendered_dom(page: Path, profile: Path) -> BeautifulSoup:
    """The page's DOM after its scripts ran in headless Chromium, offline."""
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
           "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return BeautifulSoup(done.stdout, "lxml")


def test_charts_render_in_a_real_browser(raw_out: Path, raw_report: Path, tmp_path: Path) -> None:
    dom = rendered_dom(raw_report, tmp_path / "profile")
    for div_id in CHARTS:
        div = dom.find(id=div_id)
        assert div.select("svg.main-svg"), f"{div_id} was not drawn"
    for div_id in ("chart-documents", "chart-groups"):  # counts tick at whole numbers, never 0.5
        ticks = [t.get_text() for t in dom.find(id=div_id).select("g.ytick text")]
        assert ticks and all(t.replace(",", "").isdigit() for t in ticks), (div_id, ticks)
    assert dom.find(id="chart-documents").select("text.xtitle")[0].get_text() == "Năm ban hành"
    bodies = [t.get_text() for t in dom.find(id="chart-agencies").select("g.ytick text")]
    assert set(bodies) == set(tasks_per_agency(connect(raw_out), 20).body)
    n_dated = sum(d["date"] is not None for d in read_table(raw_out, "deadlines").to_pylist())
    assert len(dom.find(id="chart-deadlines").select("g.points path.point")) >= n_dated > 0


def test_two_dispatches_printed_without_a_number_get_labels_of_their_own() -> None:
    from types import SimpleNamespace

    from congvan.report import _doc_label

    def row(source: str, document: str | None) -> SimpleNamespace:
        return SimpleNamespace(doc_type="Công văn", document=document, source=source)

    a, b = row("/in/a.txt", "/STTTT-TTBCXB"), row("/in/b.txt", "/STTTT-TTBCXB")
    assert _doc_label(a) == "Công văn STTTT-TTBCXB (a.txt)" != _doc_label(b)
    assert _doc_label(row("/in/c.txt", "124/KH-UBND")) == "Công văn 124/KH-UBND"  # a number: no file name
    assert _doc_label(row("/in/x.zip!d.txt", None)) == "d.txt"


def test_drawing_the_pages_reports_its_progress(raw_out: Path, tmp_path: Path) -> None:
    from congvan.report import build

    seen: list[tuple[int, int]] = []
    build(raw_out, tmp_path / "r.html", on_page=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and [d for d, _ in seen] == [1, 2, 3, 4, 5]
    seen.clear()  # a second report keeps the pages; still counted, so the bar reaches its end
    build(raw_out, tmp_path / "r.html", on_page=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)
