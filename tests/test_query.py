"""Questions over an output folder: DuckDB views, `congvan query` and the canned questions."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from congvan.cli import main
from congvan.query import (
    NoOutput, QueryError, citations, connect, deadlines_between, groups_by_year, match_agencies,
    parse_day, run_sql, tasks_of,
)
from congvan.schema import TABLES
from congvan.write import read_table

from sample_archive import build_archive


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module")
def con(out: Path):
    return connect(out)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")}


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ---------------------------------------------------------------- views


def test_every_table_is_a_view_with_its_columns_and_rows(out: Path, con) -> None:
    for name, schema in TABLES.items():
        result = run_sql(con, f'SELECT * FROM "{name}"')
        assert result.column_names == schema.names, name
        assert result.num_rows == read_table(out, name).num_rows, name
    assert run_sql(con, "SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 7}]


def test_references_alias_and_reserved_word(con) -> None:
    quoted = run_sql(con, 'SELECT count(*) AS n FROM "references"').to_pylist()
    assert run_sql(con, "SELECT count(*) AS n FROM refs").to_pylist() == quoted
    with pytest.raises(QueryError, match='syntax error(.|\n)*double quotes'):
        run_sql(con, "SELECT * FROM references")


def test_uncommitted_and_missing_parts(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    # a part whose batch never committed (a run killed before its marker) is not seen
    part = next((copy / "documents").glob("part-*.parquet"))
    shutil.copy(part, copy / "documents" / "part-000099.parquet")
    # a table with no part at all is still a view, with its columns and no rows
    for p in (copy / "deadlines").glob("part-*.parquet"):
        p.unlink()
    c = connect(copy)
    assert run_sql(c, "SELECT count(*) AS n FROM documents").to_pylist() == [{"n": 7}]
    empty = run_sql(c, "SELECT * FROM deadlines")
    assert empty.num_rows == 0 and empty.column_names == TABLES["deadlines"].names
    assert deadlines_between(c).empty


def test_parts_written_before_a_column_was_added(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    part = next((copy / "documents").glob("part-*.parquet"))
    pq.write_table(pq.read_table(part).drop_columns(["signer_title"]), part)
    c = connect(copy)
    assert run_sql(c, "SELECT * FROM documents LIMIT 0").column_names == TABLES["documents"].names
    titles = run_sql(c, "SELECT signer, signer_title FROM documents WHERE signer IS NOT NULL")
    assert titles.num_rows and set(titles.column("signer_title").to_pylist()) == {None}


def test_reading_never_writes_into_the_folder_nor_takes_the_lock(out: Path, capsys) -> None:
    lock = out / "_lock"
    lock.write_text(str(os.getpid()))  # a run is writing right now
    before = _snapshot(out)
    try:
        assert _cli(capsys, "query", "SELECT * FROM obligations", "--out", str(out))[0] == 0
        assert _cli(capsys, "tasks", "--agency", "Công an", "--out", str(out))[0] == 0
        assert _cli(capsys, "citations", "--out", str(out))[0] == 0
        assert _snapshot(out) == before
        assert lock.read_text() == str(os.getpid())
    finally:
        lock.unlink()


def test_missing_and_empty_output_folders(tmp_path: Path, capsys) -> None:
    with pytest.raises(NoOutput) as exc:
        connect(tmp_path / "nowhere")
    assert exc.value.missing
    code, stdout, err = _cli(capsys, "query", "SELECT 1", "--out", str(tmp_path / "nowhere"))
    assert code == 2 and "no output folder" in err and "congvan run" in err
    (tmp_path / "empty").mkdir()
    code, stdout, err = _cli(capsys, "tasks", "--agency", "Công an",
                             "--out", str(tmp_path / "empty"))
    assert code == 1 and "holds no congvan tables" in err and "Traceback" not in err
    assert stdout == ""


def test_a_damaged_part_is_named_not_a_traceback(out: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    next((copy / "deadlines").glob("part-*.parquet")).write_bytes(b"not parquet")
    code, stdout, err = _cli(capsys, "deadlines", "--out", str(copy))
    assert code == 1 and "cannot read the table deadlines" in err and "Traceback" not in err


# ---------------------------------------------------------------- congvan query


def test_query_prints_an_aligned_table(out: Path, capsys) -> None:
    code, stdout, _ = _cli(capsys, "query", "SELECT doc_type, count(*) AS n FROM documents "
                           "GROUP BY ALL ORDER BY doc_type", "--out", str(out))
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["doc_type", "n"] and set(lines[1]) <= {"-", " "}
    assert [ln.split("  ")[0].strip() for ln in lines[2:]] == ["Công văn", "Kế hoạch", "Tin bài"]


def test_query_cuts_long_text_and_rows(out: Path, capsys) -> None:
    code, stdout, _ = _cli(capsys, "query", "SELECT text FROM documents", "--out", str(out),
                           "--max-width", "20", "--max-rows", "2")
    lines = stdout.splitlines()
    assert code == 0 and len(lines) == 5 and "5 more rows" in lines[-1]
    assert all(len(ln) <= 20 for ln in lines[2:4]) and lines[2].endswith("…")


def test_query_formats(out: Path, tmp_path: Path, capsys) -> None:
    sql = "SELECT doc_id, directive, groups FROM directives ORDER BY doc_id, directive"
    expected = run_sql(connect(out), sql).to_pylist()
    code, stdout, _ = _cli(capsys, "query", sql, "--out", str(out), "--format", "json")
    assert code == 0 and [json.loads(ln) for ln in stdout.splitlines()] == expected
    code, stdout, _ = _cli(capsys, "query", sql, "--out", str(out), "--format", "csv")
    rows = pd.read_csv(io.StringIO(stdout)).to_dict(orient="records")
    assert [json.loads(r["groups"]) for r in rows] == [r["groups"] for r in expected]
    target = tmp_path / "d.parquet"
    code, _, _ = _cli(capsys, "query", sql, "--out", str(out), "--format", "parquet",
                      "--output", str(target))
    assert code == 0 and pq.read_table(target).to_pylist() == expected


def test_parquet_needs_an_output_file(out: Path, capsys) -> None:
    code, stdout, err = _cli(capsys, "query", "SELECT 1", "--out", str(out), "--format", "parquet")
    assert code == 2 and "--output FILE" in err and stdout == ""


@pytest.mark.parametrize("sql, message", [
    ("SELEC * FROM documents", "Parser Error: syntax error"),
    ("SELECT * FROM nowhere", "Catalog Error"),
    ("SELECT nonsense FROM documents", "Binder Error"),
    ("COPY documents TO 'x.csv'", "only queries run here"),
    ("DROP VIEW documents", "only queries run here"),
    ("SELECT 1; SELECT 2", "one SQL statement"),
])
def test_a_bad_query_gets_duckdbs_message_not_a_traceback(out: Path, capsys, sql, message) -> None:
    code, stdout, err = _cli(capsys, "query", sql, "--out", str(out))
    assert code == 1 and err.startswith("congvan query: ") and message in err
    assert "Traceback" not in err and stdout == ""


# Statements that would write, read or fetch files, load extensions or change
# settings, the plain way and wrapped in EXPLAIN ANALYZE (which runs what it explains).
_HOSTILE = [
    "COPY (SELECT 'x' AS x) TO '{part}' (FORMAT parquet)",
    "COPY documents TO '{tmp}/out.csv'",
    "CREATE TABLE t AS SELECT 1 AS x",
    "CREATE OR REPLACE VIEW documents AS SELECT 42 AS doc_id",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "INSTALL httpfs",
    "LOAD httpfs",
    "ATTACH '{tmp}/new.duckdb' AS x",
    "EXPORT DATABASE '{tmp}/export'",
    "PRAGMA enable_profiling",
]
_WRAPPERS = ["{sql}", "EXPLAIN ANALYZE {sql}", "EXPLAIN {sql}", "explain  analyse\n{sql}"]


@pytest.mark.parametrize("wrapper", _WRAPPERS)
@pytest.mark.parametrize("statement", _HOSTILE)
def test_query_refuses_what_is_not_a_query_however_wrapped(
        out: Path, tmp_path: Path, capsys, statement: str, wrapper: str) -> None:
    part = next((out / "documents").glob("part-*.parquet"))
    sql = wrapper.format(sql=statement.format(part=part, tmp=tmp_path))
    before = _snapshot(out)
    code, stdout, err = _cli(capsys, "query", sql, "--out", str(out))
    assert code == 1 and err.startswith("congvan query: ") and "Traceback" not in err
    assert _snapshot(out) == before and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sql", [
    "COPY (SELECT 'x' AS x) TO '{part}' (FORMAT parquet)",
    "EXPLAIN ANALYZE COPY (SELECT 'x' AS x) TO '{part}' (FORMAT parquet)",
    "COPY documents TO '{tmp}/out.csv'",
    "SELECT * FROM read_parquet('{part}')",
    "SELECT * FROM read_csv('/etc/hostname')",
    "SELECT * FROM glob('{tmp}/*')",
    "SELECT * FROM 'https://example.com/x.csv'",
    "ATTACH '{tmp}/new.duckdb' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET lock_configuration = false",
    "SET temp_directory = '{tmp}'",
])
def test_the_connection_itself_can_neither_write_read_files_load_nor_reconfigure(
        out: Path, tmp_path: Path, sql: str) -> None:
    # below run_sql's check: the raw connection, as a notebook or the web app gets it
    c = connect(out)
    part = next((out / "documents").glob("part-*.parquet"))
    before = _snapshot(out)
    with pytest.raises(duckdb.Error):
        c.execute(sql.format(part=part, tmp=tmp_path)).fetchall()
    assert _snapshot(out) == before and list(tmp_path.iterdir()) == []
    assert c.execute("SELECT count(*) FROM documents").fetchone() == (7,)


def test_explain_analyze_of_a_query_still_answers(con) -> None:
    plan = run_sql(con, "EXPLAIN ANALYZE SELECT count(*) FROM obligations")
    assert plan.num_rows >= 1


def test_query_helpers_for_partial_dates_and_numbers(con) -> None:
    row = run_sql(con, "SELECT iso_lo('2023-02') AS lo, iso_hi('2024-02') AS hi, "
                       "iso_hi('2019') AS y, doc_symbol('124', 'KH-UBND') AS s, "
                       "doc_symbol(NULL, 'STTTT-TTBCXB') AS draft, "
                       "doc_key('30', '2020/NĐ-CP') = doc_key('030', 'NĐCP') AS same").to_pylist()
    assert row == [{"lo": dt.date(2023, 2, 1), "hi": dt.date(2024, 2, 29),
                    "y": dt.date(2019, 12, 31), "s": "124/KH-UBND", "draft": "/STTTT-TTBCXB",
                    "same": True}]


# ---------------------------------------------------------------- tasks of a body


def test_tasks_of_the_provincial_police(con) -> None:
    tasks = tasks_of(con, "Công an tỉnh")
    assert set(tasks.body) == {"Công an tỉnh Lạng Sơn"}
    by_source = {Path(s).name: d for s, d in zip(tasks.source, tasks.document)}
    assert set(by_source) == {"s05.txt", "ke_hoach_124_2019.txt", "ke_hoach_124_2020.txt"}
    assert by_source["ke_hoach_124_2019.txt"] == "124/KH-UBND"
    plan = tasks[tasks.source.str.endswith("ke_hoach_124_2019.txt")].iloc[0]
    assert plan.role == "lead" and plan.deadline == "2019-07-30"
    assert list(plan.groups) == ["students"]


@pytest.mark.parametrize("name, body", [
    ("cong an tinh lang son", "Công an tỉnh Lạng Sơn"),  # no accents
    ("Cong an tnh Lang Sn", "Công an tỉnh Lạng Sơn"),  # typos
    ("CÔNG AN", "Công an tỉnh Lạng Sơn"),
    ("Hội LHPN", "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn"),  # abbreviation
    ("Hoi Phu nu", "Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn"),  # words left out
    ("Sở Lao động Thương binh Xã hội", "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn"),
    ("Bộ đội Biên phòng", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn"),
])
def test_fuzzy_agency_names(con, name: str, body: str) -> None:
    matched = match_agencies(con, name)
    assert matched.body.iloc[0] == body, matched


@pytest.mark.parametrize("name, not_body", [
    ("công an", "Phòng Văn hóa và Thông tin các huyện, thành phố tỉnh Lạng Sơn"),
    ("Sở Thông tin và Truyền thông", "Trung tâm Công nghệ thông tin và Truyền thông"),
    ("Sở Tư pháp", "Sở Ngoại vụ tỉnh Lạng Sơn"),
])
def test_fuzzy_names_do_not_match_other_bodies(con, name: str, not_body: str) -> None:
    assert not_body not in set(match_agencies(con, name).body)


def test_tasks_command_says_which_bodies_matched(out: Path, capsys) -> None:
    code, stdout, _ = _cli(capsys, "tasks", "--agency", "So Tu phap", "--out", str(out),
                           "--max-width", "0")
    first, *table = stdout.splitlines()
    assert code == 0
    assert first == "bodies matching 'So Tu phap': Sở Tư pháp tỉnh Lạng Sơn (2 tasks, score 100)"
    assert table[0].split()[:3] == ["body", "role", "task"]
    assert sum("support" in ln and "124/KH-UBND" in ln for ln in table) == 2


def test_tasks_command_as_json_keeps_stdout_clean(out: Path, capsys) -> None:
    code, stdout, err = _cli(capsys, "tasks", "--agency", "Công an tỉnh", "--out", str(out),
                             "--format", "json")
    rows = [json.loads(ln) for ln in stdout.splitlines()]
    assert code == 0 and len(rows) == 3 and "bodies matching" in err
    assert {r["body"] for r in rows} == {"Công an tỉnh Lạng Sơn"} and "doc_id" in rows[0]


def test_no_body_matches(out: Path, capsys) -> None:
    code, stdout, err = _cli(capsys, "tasks", "--agency", "Bộ Quốc phòng", "--out", str(out))
    assert code == 1 and "no body matches 'Bộ Quốc phòng'" in err and stdout == ""
    assert _cli(capsys, "tasks", "--agency", "  ", "--out", str(out))[0] == 2
    assert _cli(capsys, "tasks", "--agency", "Công an", "--cutoff", "-5", "--out", str(out))[0] == 2


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize("text, end, day", [
    ("2023-08-15", False, dt.date(2023, 8, 15)),
    ("15/8/2023", False, dt.date(2023, 8, 15)),
    ("2023-08", False, dt.date(2023, 8, 1)),
    ("2024-02", True, dt.date(2024, 2, 29)),
    ("8/2023", True, dt.date(2023, 8, 31)),
    ("2019", True, dt.date(2019, 12, 31)),
])
def test_parse_day(text: str, end: bool, day: dt.date) -> None:
    assert parse_day(text, end) == day


@pytest.mark.parametrize("text", ["31/02/2023", "2023-13-01", "tomorrow", "15.8", ""])
def test_parse_day_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_day(text)


def test_deadlines_between(con) -> None:
    # s03: "từ nay đến hết tháng 8/2023" is due within August, "trước ngày 20 tháng 9"
    window = deadlines_between(con, dt.date(2023, 8, 15), dt.date(2023, 9, 30))
    assert list(window.deadline) == ["2023-08", "2023-09-20"]
    assert set(window.source.map(lambda s: Path(s).name)) == {"s03.txt"}
    assert "Sở Thông tin và Truyền thông các tỉnh, thành phố" in window.bodies.iloc[1]
    assert deadlines_between(con, dt.date(2023, 9, 21), dt.date(2023, 12, 31)).empty
    with pytest.raises(ValueError):
        deadlines_between(con, dt.date(2024, 1, 1), dt.date(2023, 1, 1))


def test_deadlines_command(out: Path, capsys) -> None:
    code, stdout, _ = _cli(capsys, "deadlines", "--from", "01/07/2019", "--to", "2019",
                           "--out", str(out), "--max-width", "0")
    assert code == 0 and stdout.splitlines()[0] == "deadlines from 2019-07-01 to 2019-12-31: 1"
    row = stdout.splitlines()[3]
    assert row.startswith("2019-07-30") and "Công an tỉnh Lạng Sơn; Sở Tư pháp tỉnh Lạng Sơn" in row


@pytest.mark.parametrize("argv, message", [
    (["--from", "2023-02-30"], "not a date: '2023-02-30'"),
    (["--to", "next week"], "not a date"),
    (["--from", "2024", "--to", "2023"], "is before --from"),
])
def test_deadlines_bad_dates_are_usage_errors(out: Path, capsys, argv, message) -> None:
    code, stdout, err = _cli(capsys, "deadlines", *argv, "--out", str(out))
    assert code == 2 and message in err and stdout == "" and "Traceback" not in err


# ---------------------------------------------------------------- groups


def test_groups_by_year_counts_what_the_tables_hold(out: Path, con) -> None:
    groups = groups_by_year(con)
    docs = read_table(out, "documents").to_pandas()[["doc_id", "issuer", "issue_date"]]
    mentions = read_table(out, "risk_groups").to_pandas().merge(docs, on="doc_id")
    mentions["year"] = mentions.issue_date.str[:4]
    expected = (mentions.groupby(["year", "issuer", "code"], dropna=False)
                .agg(documents=("doc_id", "nunique"), mentions=("doc_id", "size")))
    got = groups.set_index(["year", "issuer", "code"])[["documents", "mentions"]]
    assert got.sort_index().astype(int).to_dict() == expected.sort_index().astype(int).to_dict()
    students = groups[(groups.code == "students") & (groups.year == "2019")
                      & (groups.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn")]
    assert students.documents.tolist() == [1]  # the 2019 plan, "học sinh, sinh viên"


# ---------------------------------------------------------------- citations


def test_citations_resolve_to_the_plan_of_the_right_year(con) -> None:
    edges, unresolved = citations(con)
    s01 = edges[edges.citing_source.str.endswith("s01.txt")]
    assert len(s01) == 1
    assert Path(s01.cited_source.iloc[0]).name == "ke_hoach_124_2019.txt"
    assert s01.cited_document.iloc[0] == "124/KH-UBND"
    assert s01.text.iloc[0] == "Kế hoạch số 124/KH-UBND ngày 16/7/2019"
    # the plans with the same number of 2020 is never the one cited
    assert not edges.cited_source.str.endswith("ke_hoach_124_2020.txt").any()
    s02 = unresolved[unresolved.citing_source.str.endswith("s02.txt")]
    assert ("38", "KH-BCĐ", "2023-02-20") in set(zip(s02.number, s02.symbol, s02.date))
    assert not (unresolved.citing_source.str.endswith("s01.txt")).any()


def test_citations_command(out: Path, capsys) -> None:
    code, stdout, _ = _cli(capsys, "citations", "--out", str(out), "--max-width", "0")
    lines = stdout.splitlines()
    assert code == 0 and lines[0] == "citations resolved to documents of the archive: 1"
    assert "124/KH-UBND" in lines[3] and "s01.txt" in lines[3]
    unresolved_at = next(i for i, ln in enumerate(lines) if ln.startswith("references to"))
    assert any("38" in ln and "KH-BCĐ" in ln for ln in lines[unresolved_at:])
    code, stdout, _ = _cli(capsys, "citations", "--out", str(out), "--unresolved",
                           "--format", "csv")
    frame = pd.read_csv(io.StringIO(stdout), dtype=str)
    assert code == 0 and "citing_source" in frame and "124" not in set(frame.number)
