"""``congvan serve``: every route over HTTP, bad parameters, nothing from elsewhere,
and a researcher's path through the pages in a real headless Chromium."""
from __future__ import annotations

import csv
import io
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from congvan import browse
from congvan.cli import main
from congvan.mark import Mark, highlight
from congvan.query import interface_texts as texts
from congvan.serve import MARKS, create_app

from conftest import RAW
from sample_archive import build_archive

starlette_testclient = pytest.importorskip("starlette.testclient", reason="httpx is not installed")
TEMPLATES = Path(__file__).resolve().parents[1] / "pipeline" / "templates"


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def client(tables: Path, cache: Path):
    return starlette_testclient.TestClient(create_app(tables, cache), raise_server_exceptions=False)


def page(client, url: str, status: int = 200) -> BeautifulSoup:
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[-500:])
    assert r.headers["content-type"].startswith("text/html")
    return BeautifulSoup(r.text, "lxml")


def rows(soup: BeautifulSoup, table_id: str) -> list[list[str]]:
    table = soup.find(id=table_id)
    assert table is not None, table_id
    return [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in table.find_all("tr") if tr.find("td")]


# ---------------------------------------------------------------- the routes

def test_the_first_page_counts_the_archive(client) -> None:
    soup = page(client, "/")
    assert "7 văn bản" in soup.get_text(" ", strip=True)
    assert soup.html["lang"] == "vi"


def test_documents_filter_sort_and_page_in_sql(client, monkeypatch) -> None:
    every = rows(page(client, "/documents"), "documents")
    assert len(every) == 7
    plans = rows(page(client, "/documents?type=Kế+hoạch"), "documents")
    assert len(plans) == 2 and all("Kế hoạch" in r[1] for r in plans)
    assert [r[0] for r in plans] == ["16/07/2020", "16/07/2019"]  # newest first
    assert [r[0] for r in rows(page(client, "/documents?type=Kế+hoạch&order=asc"), "documents")] == \
        ["16/07/2019", "16/07/2020"]
    assert len(rows(page(client, "/documents?year=2019"), "documents")) >= 2
    in_lang_son = rows(page(client, "/documents?province=L%E1%BA%A1ng+S%C6%A1n"), "documents")
    assert 0 < len(in_lang_son) < 7  # the plans of UBND tỉnh Lạng Sơn, not Cục Thông tin cơ sở's dispatch
    assert page(client, "/documents?province=H%C3%A0+Giang").find(id="documents") is None
    assert len(rows(page(client, "/documents?q=mua+b%C3%A1n+ng%C6%B0%E1%BB%9Di&group=students"), "documents")) >= 1
    nobody = page(client, "/documents?issuer=kh%C3%B4ng+c%C3%B3+c%C6%A1+quan+n%C3%A0y")
    assert nobody.find(id="documents") is None and "Không có dòng nào." in nobody.get_text()
    monkeypatch.setattr(browse, "PAGE_SIZE", 3)  # the page cut is SQL's LIMIT/OFFSET
    first, third = page(client, "/documents"), page(client, "/documents?page=3")
    assert len(rows(first, "documents")) == 3 and len(rows(third, "documents")) == 1
    assert "Trang 1 trên 3" in first.get_text(" ", strip=True)
    assert first.find("a", rel="next")["href"] == "/documents?page=2"


def test_a_body_by_any_spelling_then_its_tasks(client) -> None:
    found = page(client, "/bodies?q=so+van+hoa+the+thao")  # no accents, as typed in a hurry
    links = [a for a in found.find(id="bodies").find_all("a")]
    assert links and links[0].get_text().startswith("Sở Văn hóa, Thể thao và Du lịch")
    tasks = page(client, links[0]["href"])
    task_rows = rows(tasks, "tasks")
    assert task_rows and all(r[1] in ("Chủ trì", "Phối hợp") for r in task_rows)
    assert any("Công văn" in r[0] for r in task_rows)
    document = tasks.find(id="tasks").find("a")["href"]
    assert re.fullmatch(r"/documents/[0-9a-f]{16}", document)


def test_a_document_shows_its_marked_text_and_citations_both_ways(client) -> None:
    plans = page(client, "/documents?type=Kế+hoạch&year=2019").find(id="documents").find_all("a")
    plan_url = [a["href"] for a in plans if a["href"].startswith("/documents/")][0]
    plan = page(client, plan_url)
    text = plan.find("pre", class_="text")
    assert text.find("mark", class_="k-obligation", string="Công an tỉnh") is not None
    assert any("k-deadline" in m["class"] for m in text.find_all("mark"))
    assert "Số:" in text.get_text()  # the text itself, whole: marks only wrap it
    cited_by = plan.find("h2", string=re.compile("Được dẫn chiếu bởi")).find_next("ul").find_all("a")
    assert cited_by, "s01 implements this plan"
    s01 = page(client, cited_by[0]["href"])
    cites = s01.find("h2", string=re.compile("dẫn chiếu \\(có trong kho\\)")).find_next("ul").find_all("a")
    assert plan_url in [a["href"] for a in cites]
    assert "Kế hoạch 124/KH-UBND" in s01.get_text(" ", strip=True)


def test_deadlines_on_a_timeline_with_overdue_marked_against_a_date(client) -> None:
    soup = page(client, "/deadlines?as_of=1/8/2019")
    items = soup.find(id="deadlines").find_all("li")
    assert items
    text = [li.get_text(" ", strip=True) for li in items]
    assert any("30/07/2019" in t and "Quá hạn" in t for t in text)  # due before 1 Aug 2019
    later = page(client, "/deadlines?as_of=1/1/2019").find(id="deadlines").get_text(" ", strip=True)
    assert "30/07/2019" in later and "Quá hạn" not in later
    window = page(client, "/deadlines?from=1/7/2020&to=31/7/2020").find(id="deadlines").get_text(" ", strip=True)
    assert "30/07/2020" in window and "30/07/2019" not in window
    assert page(client, "/deadlines?kind=recurring").find(id="deadlines") is None  # none in this archive


def test_charts_by_year_and_by_province(client) -> None:
    for by in ("year", "province"):
        soup = page(client, f"/charts?by={by}")
        bars = soup.find(id="chart-groups").find_all("tr")
        assert bars and all(float(tr.find("rect")["width"]) > 0 for tr in bars)  # drawn by SVG attributes
        assert soup.find(id="chart-bodies").find("tr") is not None
    assert "Học sinh, sinh viên" in page(client, "/charts").get_text()


def test_every_view_exports_what_it_shows(client) -> None:
    from openpyxl import load_workbook

    r = client.get("/documents?type=Kế+hoạch&format=csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())  # Excel reads the UTF-8
    exported = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(exported) == 2 and {e["doc_type"] for e in exported} == {"Kế hoạch"}
    r = client.get("/tasks?body=Công+an+tỉnh+Lạng+Sơn&format=xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet.max_row >= 2 and sheet["A1"].value == "body"
    assert client.get("/deadlines?format=csv").status_code == 200
    bodies = list(csv.DictReader(io.StringIO(client.get("/bodies?q=cong+an&format=csv").content.decode("utf-8-sig"))))
    assert bodies and bodies[0]["body"].startswith("Công an")
    bars = list(csv.DictReader(io.StringIO(client.get("/charts?by=year&format=csv").content.decode("utf-8-sig"))))
    assert {b["chart"] for b in bars} == {"groups", "bodies"} and all(int(b["value"]) > 0 for b in bars)
    page_links = page(client, "/charts").find_all("a", class_="export")
    assert [a["href"] for a in page_links] == ["/charts?format=csv", "/charts?format=xlsx"]


def test_a_cell_that_would_be_a_formula_is_text_in_an_export(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "=SUM(1,2).txt").write_text("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN\nSố: 5/UBND-VX\nV/v =1+2\n\n"
                                       "Kính gửi: Sở Y tế\n", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    client = starlette_testclient.TestClient(create_app(tmp_path / "out", tmp_path / "cache"))
    exported = list(csv.DictReader(io.StringIO(client.get("/documents?format=csv").content.decode("utf-8-sig"))))
    assert exported[0]["subject"].startswith("'=1+2")  # a spreadsheet shows it, never runs it
    assert not any(value.startswith(("=", "+", "-", "@")) for row in exported for value in row.values())
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/documents?format=xlsx").content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("url", [
    "/documents?page=0", "/documents?page=x", "/documents?sort=zzz", "/documents?order=up",
    "/documents?year=19", "/documents?format=pdf", "/deadlines?from=abc", "/deadlines?from=1/8/2020&to=1/7/2020",
    "/deadlines?kind=soon", "/charts?by=ward", "/tasks",
])
def test_a_bad_parameter_is_a_clear_400_page(client, url: str) -> None:
    soup = page(client, url, 400)
    assert soup.h1.get_text() == "Yêu cầu không hợp lệ"
    assert "Traceback" not in str(soup) and soup.find("p", class_="problem").get_text().strip()


def test_an_unknown_document_or_page_is_404_and_a_failure_500_without_a_traceback(client, monkeypatch) -> None:
    assert page(client, "/documents/0000000000000000", 404).h1.get_text() == "Không tìm thấy"
    page(client, "/no/such/page", 404)

    def broken(con):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(browse, "counts", broken)
    soup = page(client, "/", 500)
    assert "disk on fire" not in str(soup) and "Traceback" not in str(soup)


ROUTES = ["/", "/documents", "/bodies?q=cong+an", "/tasks?body=Công+an+tỉnh+Lạng+Sơn", "/deadlines", "/charts",
          "/charts?by=province"]


def test_nothing_in_a_page_comes_from_outside_the_machine(client) -> None:
    urls = list(ROUTES)
    urls.append(page(client, "/documents").find(id="documents").find("a", href=re.compile("^/documents/"))["href"])
    for url in urls:
        r = client.get(url)
        assert "default-src 'self'" in r.headers["content-security-policy"]
        soup = BeautifulSoup(r.text, "lxml")
        for tag in soup.find_all(["a", "link", "script", "img", "form", "iframe"]):
            for attr in ("href", "src", "action"):
                value = tag.get(attr)
                if value:
                    assert value.startswith(("/", "?", "#")) and not value.startswith("//"), (url, tag)
        assert not soup.find("script") and "@import" not in r.text and "url(" not in r.text
        assert "built-in method" not in r.text and "bound method" not in r.text  # every label is text


def test_every_interface_text_is_in_the_labels_file() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\.([a-z_]+)", source)) | set(re.findall(r"\bt\['([a-z_]+)'\]", source))
    dynamic = {f"sort_{k}" for k in browse.SORTS} | {f"mark_{k}" for k in MARKS}
    missing = sorted((used | dynamic) - set(texts()))
    assert not missing, missing


def test_the_marked_text_keeps_every_character_and_nests_spans() -> None:
    text = "Công an tỉnh chủ trì, hoàn thành trước ngày 30/7/2019."
    marked = highlight(text, [Mark(0, 12, "obligation", "Cơ quan"), Mark(7, 12, "field", "x"),
                              Mark(33, 53, "deadline", "Thời hạn <30/7>")])
    soup = BeautifulSoup(f"<pre>{marked}</pre>", "lxml")
    assert soup.get_text() == text
    assert [m["class"] for m in soup.find_all("mark")] == [["k-obligation"], ["k-obligation", "k-field"],
                                                           ["k-deadline"]]
    assert soup.find_all("mark")[2]["title"] == "Thời hạn <30/7>"  # escaped, then read back
    assert str(highlight("<b>", [])) == "&lt;b&gt;"


def test_the_copy_it_reads_is_made_once_for_each_state_of_the_archive(tmp_path: Path) -> None:
    from congvan.snapshot import open_snapshot

    out, cache, src = tmp_path / "out", tmp_path / "cache", tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "s01.txt", src / "s01.txt")
    assert main(["run", str(src), "--out", str(out), "--quiet"]) == 0
    before = sorted(p.name for p in out.rglob("*"))
    builds: list[int] = []
    count = "SELECT count(*) FROM documents"
    assert open_snapshot(out, cache, lambda: builds.append(1)).execute(count).fetchone() == (1,)
    assert open_snapshot(out, cache, lambda: builds.append(1)).execute(count).fetchone() == (1,)
    assert len(builds) == 1 and len(list(cache.glob("*.duckdb"))) == 1  # the second open reused it
    assert sorted(p.name for p in out.rglob("*")) == before  # nothing written into the output
    shutil.copy(RAW / "s02.txt", src / "s02.txt")
    assert main(["run", str(src), "--out", str(out), "--quiet"]) == 0  # a new commit
    assert open_snapshot(out, cache, lambda: builds.append(1)).execute(count).fetchone() == (2,)
    assert len(builds) == 2 and len(list(cache.glob("*.duckdb"))) == 1  # the old copy is gone
    (src / "s02.txt").unlink()
    assert main(["run", str(src), "--out", str(out), "--prune", "--quiet"]) == 0  # rows removed, no new commit
    assert open_snapshot(out, cache).execute(count).fetchone() == (1,)


def test_serve_refuses_a_folder_without_tables(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--tables", str(tmp_path / "nothing")]) == 2
    assert "no output folder" in capsys.readouterr().err
    assert main(["serve", "--port", "0"]) == 2


# ---------------------------------------------------------------- in a browser

def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(tables: Path, cache: Path):
    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(tables, cache), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not running.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if _chromium() is None:
        pytest.skip("Chromium is not installed (`make test` installs Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _not_blank(png: bytes) -> int:
    """Distinct colours of a screenshot (a blank or broken page has one or two)."""
    from PIL import Image

    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20) or [])


def test_a_researcher_in_the_browser(server: str, browser, tmp_path: Path) -> None:
    outside: list[str] = []
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.on("request", lambda request: None if request.url.startswith(server) else outside.append(request.url))
    tab.goto(server + "/")
    tab.fill("#q", "so van hoa")  # search a body
    tab.click("form.big-search button")
    tab.click("#bodies a >> nth=0")
    assert tab.locator("h1").inner_text().startswith("Nhiệm vụ của Sở Văn hóa")
    tab.click("#tasks a >> nth=0")  # open one of its tasks' document
    assert tab.locator("pre.text mark.k-obligation").count() > 0
    shots = {"document": tab.screenshot(full_page=True)}
    tab.goto(server + "/deadlines")  # filter deadlines
    tab.fill("input[name=from]", "1/7/2020")
    tab.fill("input[name=to]", "31/7/2020")
    tab.click("form.filters button")
    assert "30/07/2020" in tab.locator("#deadlines").inner_text()
    assert "from=1%2F7%2F2020" in tab.url  # the filtered view is a URL to share
    shots["deadlines"] = tab.screenshot(full_page=True)
    with tab.expect_download() as download:  # export the view
        tab.click("a.export >> nth=0")
    saved = tmp_path / "view.csv"
    download.value.save_as(saved)
    assert "30/07/2020" not in saved.read_text(encoding="utf-8-sig") and "2020-07-30" in \
        saved.read_text(encoding="utf-8-sig")
    for name, url in (("home", "/"), ("documents", "/documents"), ("charts", "/charts")):
        tab.goto(server + url)
        shots[name] = tab.screenshot(full_page=True)
    for name, png in shots.items():  # the screenshot check of the main views
        (tmp_path / f"{name}.png").write_bytes(png)
        assert _not_blank(png) > 20, f"the {name} view looks blank"
    assert not outside, outside
    context.close()
