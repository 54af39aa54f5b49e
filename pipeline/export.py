"""Exports for provincial reporting: an Excel workbook and CSV files.

``report_sheets(con) -> dict[str, pd.DataFrame]``
    The report views with Vietnamese column titles, by sheet name: "Văn bản"
    (documents), "Nhiệm vụ theo cơ quan" (every task, body by body, with the
    directive's lead and supporting bodies), "Thời hạn" (deadlines), "Nhóm đối tượng"
    (target groups by year and issuer), "Dẫn chiếu" (citations, found in the archive
    or not). Dates are printed the Vietnamese way (``16/07/2019``, ``07/2019``).
``export_xlsx(con, path) -> dict[str, int]``
    One workbook (openpyxl): a sheet per report view, bold filled header, panes
    frozen below it, an autofilter, widths fitted to the content (capped) and long
    text wrapped. Returns rows per sheet.
``export_csv(con, folder) -> dict[str, int]``
    One UTF-8 CSV with BOM (``utf-8-sig``: Excel opens the Vietnamese text right)
    per output table (``documents.csv`` ..., lists and structs as JSON) and per
    report view (``report_documents.csv`` ...). Returns rows per file name.

``con`` is a connection of :func:`congvan.query.connect`.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .query import (
    all_tasks,
    citations,
    csv_frame,
    deadlines_between,
    groups_by_year,
    is_missing,
    labels,
    plain_value,
)
from .schema import EXPORT_MARK, GENERATOR, TABLES

MAX_WIDTH = 60  # characters; longer text wraps
MIN_WIDTH = 8
EXCEL_CELL_LIMIT = 32767
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# sheet name -> CSV file name of the same view
REPORT_FILES = {
    "Văn bản": "report_documents.csv",
    "Nhiệm vụ theo cơ quan": "report_tasks.csv",
    "Thời hạn": "report_deadlines.csv",
    "Nhóm đối tượng": "report_groups.csv",
    "Dẫn chiếu": "report_citations.csv",
}


def vi_date(iso: object) -> str | None:
    """``2019-07-16`` -> ``16/07/2019``, ``2019-07`` -> ``07/2019``, ``2019`` stays."""
    if is_missing(iso) or not str(iso):
        return None
    parts = str(iso).split("-")
    return "/".join(reversed(parts))


def _label(field: str, value: object) -> str | None:
    if is_missing(value):
        return None
    return labels(field).get(str(value), str(value))


def _groups(value: object) -> str:
    codes = plain_value(value)
    if not isinstance(codes, list):
        codes = []
    return "; ".join(_label("group", c) or "" for c in codes)


def _documents(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    d = con.execute("""
        SELECT doc_symbol(d.number, d.symbol) AS document, d.doc_type, d.issue_date,
               d.issuer, d.subject, d.signer, d.signer_title, d.place,
               (SELECT count(*) FROM obligations o WHERE o.doc_id = d.doc_id) AS tasks,
               d.source
        FROM documents d ORDER BY d.issue_date NULLS LAST, d.source""").df()
    return pd.DataFrame({
        "Số ký hiệu": d.document, "Loại văn bản": d.doc_type,
        "Ngày ban hành": d.issue_date.map(vi_date), "Cơ quan ban hành": d.issuer,
        "Trích yếu": d.subject, "Người ký": d.signer, "Chức vụ người ký": d.signer_title,
        "Nơi ban hành": d.place, "Số nhiệm vụ": d.tasks, "Tệp nguồn": d.source,
    })


def _tasks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    t = all_tasks(con)
    # every body of each directive, so a supporting body's row names its lead
    roles = con.execute("""
        SELECT o.doc_id, o.directive, o.role,
               string_agg(DISTINCT coalesce(a.name, o.canonical, o.assignee), '; '
                          ORDER BY coalesce(a.name, o.canonical, o.assignee)) AS bodies
        FROM obligations o LEFT JOIN agencies a USING (agency_id)
        GROUP BY ALL""").fetchall()
    by_role = {(d, i, r): b for d, i, r, b in roles}
    keys = list(zip(t.doc_id, t.directive, strict=False))
    return pd.DataFrame({
        "Cơ quan thực hiện": t.body, "Vai trò": t.role.map(lambda r: _label("role", r)),
        "Nhiệm vụ": t.task, "Thời hạn": t.deadline.map(vi_date),
        "Nhóm đối tượng": t.groups.map(_groups),
        "Cơ quan chủ trì": [by_role.get((d, i, "lead")) for d, i in keys],
        "Cơ quan phối hợp": [by_role.get((d, i, "support")) for d, i in keys],
        "Số ký hiệu": t.document, "Loại văn bản": t.doc_type,
        "Ngày ban hành": t.issue_date.map(vi_date), "Cơ quan ban hành": t.issuer,
        "Tệp nguồn": t.source,
    })


def _deadlines(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    d = deadlines_between(con)
    return pd.DataFrame({
        "Thời hạn": d.deadline.map(vi_date), "Từ ngày": d.start_date.map(vi_date),
        "Loại thời hạn": d.kind.map(lambda k: _label("kind", k)), "Nội dung": d.text,
        "Cơ quan thực hiện": d.bodies, "Số ký hiệu": d.document, "Loại văn bản": d.doc_type,
        "Ngày ban hành": d.issue_date.map(vi_date), "Cơ quan ban hành": d.issuer,
        "Tệp nguồn": d.source,
    })


def _groups_sheet(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    g = groups_by_year(con)
    return pd.DataFrame({
        "Năm": g.year, "Cơ quan ban hành": g.issuer,
        "Nhóm đối tượng": g.code.map(lambda c: _label("group", c)), "Mã nhóm": g.code,
        "Số văn bản": g.documents, "Số lần nhắc đến": g.mentions,
    })


def _citations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    edges, unresolved = citations(con)
    found = pd.DataFrame({
        "Văn bản dẫn chiếu": edges.citing_document, "Tệp dẫn chiếu": edges.citing_source,
        "Cơ quan ban hành": edges.citing_issuer, "Trích dẫn": edges.text,
        "Loại văn bản được dẫn": edges.cited_doc_type,
        "Số ký hiệu được dẫn": edges.cited_document,
        "Ngày ban hành được dẫn": edges.cited_issue_date.map(vi_date),
        "Tình trạng": "Có trong kho", "Tệp được dẫn": edges.cited_source,
    })
    missing = pd.DataFrame({
        "Văn bản dẫn chiếu": unresolved.citing_document,
        "Tệp dẫn chiếu": unresolved.citing_source, "Cơ quan ban hành": unresolved.citing_issuer,
        "Trích dẫn": unresolved.text, "Loại văn bản được dẫn": unresolved.doc_type,
        "Số ký hiệu được dẫn": [s if is_missing(n) else f"{n}/{s}"
                                for n, s in zip(unresolved.number, unresolved.symbol, strict=False)],
        "Ngày ban hành được dẫn": unresolved.date.map(vi_date),
        "Tình trạng": "Không có trong kho", "Tệp được dẫn": None,
    })
    frames = [f for f in (found, missing) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else found


def report_sheets(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The report views by sheet name (see the module doc)."""
    return {"Văn bản": _documents(con), "Nhiệm vụ theo cơ quan": _tasks(con),
            "Thời hạn": _deadlines(con), "Nhóm đối tượng": _groups_sheet(con),
            "Dẫn chiếu": _citations(con)}


# ---------------------------------------------------------------- xlsx


def _xlsx_value(value: object) -> object:
    value = plain_value(value)
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):  # control characters are not allowed in a workbook
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_LIMIT]
    return value


def _write_sheet(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    ws = wb.create_sheet(title=title[:31])  # Excel's limit on sheet names
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        values = [_xlsx_value(v) for v in row]
        ws.append(values)
        for j, v in enumerate(values, start=1):
            if isinstance(v, str) and v.startswith("="):  # openpyxl would store a formula
                ws.cell(row=ws.max_row, column=j).data_type = "s"
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for j, column in enumerate(frame.columns, start=1):
        lengths = [max((len(ln) for ln in str(v).splitlines()), default=0)
                   for v in frame[column] if not is_missing(v)]
        longest = max([len(str(column)), *lengths])
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = width
        align = WRAP if longest + 2 > MAX_WIDTH else TOP
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            cell.alignment = align
    ws.freeze_panes = "A2"  # the header stays in view
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 1)}"


def frame_xlsx(frame: pd.DataFrame, title: str) -> bytes:
    """One sheet of ``frame`` as a workbook's bytes, with the safety of the report
    workbook (text cells stay text): what ``congvan serve`` exports a view as."""
    import io

    wb = Workbook()
    wb.properties.creator = GENERATOR
    wb.remove(wb.active)
    _write_sheet(wb, title, frame)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_xlsx(con: duckdb.DuckDBPyConnection, path: Path | str) -> dict[str, int]:
    """Write the report workbook; rows per sheet. OSError when it cannot be written."""
    wb = Workbook()
    wb.properties.creator = GENERATOR  # a run over the folder it lands in skips it
    wb.remove(wb.active)
    counts = {}
    for title, frame in report_sheets(con).items():
        _write_sheet(wb, title, frame)
        counts[title] = len(frame)
    wb.save(path)
    return counts


# ---------------------------------------------------------------- csv


def export_csv(con: duckdb.DuckDBPyConnection, folder: Path | str) -> dict[str, int]:
    """Write one CSV (UTF-8 with BOM) per table and per report view; rows per file."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / EXPORT_MARK).touch()  # a run over the folder it lands in skips it
    counts = {}
    for name in TABLES:
        frame = con.execute(f'SELECT * FROM "{name}"').df()
        csv_frame(frame).to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig")
        counts[f"{name}.csv"] = len(frame)
    for title, frame in report_sheets(con).items():
        csv_frame(frame).to_csv(out / REPORT_FILES[title], index=False, encoding="utf-8-sig")
        counts[REPORT_FILES[title]] = len(frame)
    return counts
