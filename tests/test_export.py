"""Exports for provincial reporting: `congvan export --xlsx` and `--csv`."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from congvan.cli import main
from congvan.export import MAX_WIDTH, MIN_WIDTH, REPORT_FILES, vi_date
from congvan.schema import TABLES
from congvan.write import read_table

from sample_archive import build_archive

SHEETS = ["Văn bản", "Nhiệm vụ theo cơ quan", "Thời hạn", "Nhóm đối tượng", "Dẫn chiếu"]
BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module")
def workbook(out: Path, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "bao_cao.xlsx"
    assert main(["export", "--xlsx", str(path), "--out", str(out)]) == 0
    return load_workbook(path)


@pytest.fixture(scope="module")
def csv_dir(out: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("csv") / "exports"
    assert main(["export", "--csv", str(folder), "--out", str(out)]) == 0
    return folder


def _rows(ws) -> list[dict[str, object]]:
    values = list(ws.values)
    return [dict(zip(values[0], row)) for row in values[1:]]


# ---------------------------------------------------------------- xlsx


def test_workbook_has_the_report_sheets_with_vietnamese_headers(workbook) -> None:
    assert workbook.sheetnames == SHEETS
    headers = {ws.title: [c.value for c in ws[1]] for ws in workbook}
    assert headers["Văn bản"][:4] == ["Số ký hiệu", "Loại văn bản", "Ngày ban hành",
                                      "Cơ quan ban hành"]
    assert {"Cơ quan thực hiện", "Cơ quan chủ trì", "Nhiệm vụ", "Thời hạn",
            "Nhóm đối tượng"} <= set(headers["Nhiệm vụ theo cơ quan"])
    assert headers["Thời hạn"][0] == "Thời hạn"
    assert headers["Nhóm đối tượng"][:3] == ["Năm", "Cơ quan ban hành", "Nhóm đối tượng"]


def test_headers_are_bold_filled_and_frozen(workbook) -> None:
    for ws in workbook:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.b and c.fill.fill_type == "solid" for c in ws[1]), ws.title
        assert ws.auto_filter.ref.startswith("A1:")


def test_widths_fit_the_content_and_long_text_wraps(workbook) -> None:
    ws = workbook["Nhiệm vụ theo cơ quan"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in widths.values())
    assert widths["Nhiệm vụ"] == MAX_WIDTH  # tasks are long sentences
    assert widths["Vai trò"] < 15  # "Chủ trì", "Phối hợp"
    task_col = [c.value for c in ws[1]].index("Nhiệm vụ")
    assert all(row[task_col].alignment.wrap_text for row in ws.iter_rows(min_row=2))


def test_tasks_sheet_rows(workbook) -> None:
    rows = _rows(workbook["Nhiệm vụ theo cơ quan"])
    bodies = [r["Cơ quan thực hiện"] for r in rows]
    assert bodies == sorted(bodies)  # body by body
    justice = [r for r in rows if r["Cơ quan thực hiện"] == "Sở Tư pháp tỉnh Lạng Sơn"
               and r["Ngày ban hành"] == "16/07/2019"]
    assert len(justice) == 1
    assert justice[0]["Vai trò"] == "Phối hợp"
    assert justice[0]["Cơ quan chủ trì"] == "Công an tỉnh Lạng Sơn"  # who leads the work
    assert justice[0]["Thời hạn"] == "30/07/2019" and justice[0]["Số ký hiệu"] == "124/KH-UBND"
    assert justice[0]["Nhóm đối tượng"] == "Học sinh, sinh viên"


def test_documents_deadlines_groups_and_citations_sheets(workbook, out: Path) -> None:
    docs = _rows(workbook["Văn bản"])
    assert len(docs) == read_table(out, "documents").num_rows
    s01 = next(r for r in docs if r["Tệp nguồn"].endswith("s01.txt"))
    assert s01["Số ký hiệu"] == "/STTTT-TTBCXB" and s01["Ngày ban hành"] == "07/2019"
    assert s01["Cơ quan ban hành"] == "Sở Thông tin và Truyền thông"
    deadlines = _rows(workbook["Thời hạn"])
    assert [(r["Thời hạn"], r["Loại thời hạn"]) for r in deadlines][2:] == [
        ("08/2023", "Đến ngày"), ("20/09/2023", "Hạn chót")]
    groups = _rows(workbook["Nhóm đối tượng"])
    assert any(r["Mã nhóm"] == "children" and r["Nhóm đối tượng"] == "Trẻ em, người chưa thành niên"
               for r in groups)
    cited = _rows(workbook["Dẫn chiếu"])
    found = [r for r in cited if r["Tình trạng"] == "Có trong kho"]
    assert [(r["Số ký hiệu được dẫn"], Path(r["Tệp dẫn chiếu"]).name) for r in found] == [
        ("124/KH-UBND", "s01.txt")]
    assert any(r["Số ký hiệu được dẫn"] == "38/KH-BCĐ" and r["Tình trạng"] == "Không có trong kho"
               for r in cited)


# ---------------------------------------------------------------- csv


def test_csv_one_file_per_table_and_view_with_bom(csv_dir: Path) -> None:
    names = {p.name for p in csv_dir.iterdir() if not p.name.startswith(".")}
    assert names == {f"{t}.csv" for t in TABLES} | set(REPORT_FILES.values())
    assert (csv_dir / ".congvan-export").is_file()  # a run over the folder skips it
    for name in names:
        assert (csv_dir / name).read_bytes().startswith(BOM), name


def test_csv_round_trips_vietnamese_text_and_lists(csv_dir: Path, out: Path) -> None:
    docs = pd.read_csv(csv_dir / "documents.csv", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    stored = read_table(out, "documents").to_pandas()
    assert list(docs.columns) == TABLES["documents"].names
    assert docs.text.tolist() == stored.text.tolist()  # whole documents, line breaks and all
    assert docs.issuer.tolist() == stored.issuer.fillna("").tolist()
    directives = pd.read_csv(csv_dir / "directives.csv", encoding="utf-8-sig")
    groups = [json.loads(g) for g in directives.groups]
    assert groups == [list(g) for g in read_table(out, "directives").column("groups").to_pylist()]
    tasks = pd.read_csv(csv_dir / "report_tasks.csv", encoding="utf-8-sig")
    assert "Cơ quan chủ trì" in tasks.columns
    assert "Công an tỉnh Lạng Sơn" in set(tasks["Cơ quan thực hiện"])


def test_export_never_writes_into_the_output_folder(out: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in out.rglob("*"))
    assert main(["export", "--csv", str(out / "csv"), "--out", str(out)]) == 2
    assert main(["export", "--xlsx", str(out / "r.xlsx"), "--out", str(out)]) == 2
    assert sorted(p.name for p in out.rglob("*")) == before


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("argv, code, message", [
    ([], 2, "give --xlsx FILE and/or --csv DIR"),
    (["--xlsx", "report.xls"], 2, "must end in .xlsx"),
    (["--xlsx", "/nonexistent/folder/report.xlsx"], 2, "cannot write"),
])
def test_export_bad_options(out: Path, capsys, argv, code, message) -> None:
    assert main(["export", *argv, "--out", str(out)]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_export_from_a_missing_or_empty_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "r.xlsx"
    assert main(["export", "--xlsx", str(target), "--out", str(tmp_path / "nowhere")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["export", "--xlsx", str(target), "--out", str(tmp_path / "empty")]) == 1
    assert "holds no congvan tables" in capsys.readouterr().err and not target.exists()


def test_vi_date() -> None:
    assert [vi_date(d) for d in ("2019-07-16", "2019-07", "2019", None, "")] == [
        "16/07/2019", "07/2019", "2019", None, None]


# ---------------------------------------------------------------- spreadsheet safety


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """An archive of one dispatch whose file name and subject are formulas."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "in").mkdir()
    text = (Path(__file__).parent.parent / "data" / "raw" / "s01.txt").read_text(encoding="utf-8")
    text = text.replace("V/v tuyên truyền", "V/v =1+2 tuyên truyền", 1)
    (root / "in" / "=SUM(1,2).txt").write_text(text, encoding="utf-8")
    assert main(["run", str(root / "in"), "--out", str(root / "out"), "--workers", "1"]) == 0
    return root / "out"


def test_no_value_from_a_document_becomes_a_formula_in_the_workbook(hostile: Path,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.xlsx"
    assert main(["export", "--xlsx", str(path), "--out", str(hostile)]) == 0
    wb = load_workbook(path)
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in texts if c.data_type == "f"]
    assert any(c.value.endswith("=SUM(1,2).txt") for c in texts)  # the file name, as text
    assert any(c.value.startswith("=1+2") for c in texts)  # the subject, as text


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(hostile: Path,
                                                                 tmp_path: Path, capsys) -> None:
    assert main(["export", "--csv", str(tmp_path / "csv"), "--out", str(hostile)]) == 0
    cells = [v for f in (tmp_path / "csv").glob("*.csv")
             for v in pd.read_csv(f, dtype=str, keep_default_na=False).to_numpy().ravel()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(v.startswith("'=1+2") for v in cells)
    capsys.readouterr()
    assert main(["query", "SELECT subject FROM documents", "--format", "csv",
                 "--out", str(hostile)]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert printed.subject[0].startswith("'=1+2")


def test_csv_text_neutralises_only_text(tmp_path: Path) -> None:
    from congvan.query import csv_text
    assert [csv_text(v) for v in ("=A1", "+1", "-2", "@x", "\tx", "\rx", "Sở Y tế", -3, None)] \
        == ["'=A1", "'+1", "'-2", "'@x", "'\tx", "'\rx", "Sở Y tế", -3, None]
