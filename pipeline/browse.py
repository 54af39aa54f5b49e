"""The explorer's questions (``congvan serve``) as SQL over the views of
``query.connect``: every list filtered, sorted and cut to one page in DuckDB, so a
million-document archive is never loaded whole; the same query without the page
cut is what a view's export writes.

Each list function takes a connection, a filter record and a page, and returns a
:class:`Page` (its rows as dicts, and how many rows match in all).

>>> con = connect("data/processed")                      # doctest: +SKIP
>>> page = documents(con, DocumentFilter(doc_type="Kế hoạch"), page=1)  # doctest: +SKIP
>>> page.total, page.rows[0]["subject"]                  # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from .query import labels, match_agencies, parse_day

PAGE_SIZE = 50
SORTS = {  # what a documents list may be sorted by, and the SQL of it
    "date": "d.issue_date", "type": "d.doc_type", "issuer": "d.issuer", "subject": "d.subject",
    "source": "d.source", "tasks": "tasks",
}


class BadRequest(ValueError):
    """A parameter the explorer cannot take (a date it cannot read, an unknown sort);
    the message is for the person who typed it."""


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def _page(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], page: int) -> Page:
    size = PAGE_SIZE  # read at each call: a test may make pages smaller
    if page < 1:
        raise BadRequest("số trang phải từ 1")
    total = con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
    frame = con.execute(f"{sql} LIMIT {int(size)} OFFSET {int((page - 1) * size)}", params).df()
    return Page(_records(frame), int(total[0]) if total else 0, page, size)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    from .query import plain_value

    return [{str(k): plain_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def day(text: str | None, end: bool = False) -> dt.date | None:
    """A date typed in a filter (``2023-08-15``, ``15/8/2023``, ``8/2023``, ``2023``)."""
    if not text or not text.strip():
        return None
    try:
        return parse_day(text.strip(), end)
    except ValueError:
        raise BadRequest(f"không đọc được ngày {text!r}: hãy viết 15/8/2023, 8/2023 hoặc 2023") from None


# ---------------------------------------------------------------- documents


@dataclass
class DocumentFilter:
    doc_type: str = ""
    issuer: str = ""  # part of the issuer's name, accents and case as typed
    year: str = ""
    province: str = ""  # part of the printed place
    group: str = ""  # a risk-group code
    q: str = ""  # words of the subject or the text
    sort: str = "date"
    descending: bool = True


# a province is matched on the printed place or in the issuer's name (UBND tỉnh Lạng Sơn)
_PLACE = "(d.place ILIKE $province OR d.issuer ILIKE $province)"


def _documents_sql(f: DocumentFilter) -> tuple[str, dict[str, Any]]:
    if f.sort not in SORTS:
        raise BadRequest(f"không sắp xếp được theo {f.sort!r}: chọn một trong {', '.join(SORTS)}")
    if f.year and not (f.year.isdigit() and len(f.year) == 4):
        raise BadRequest(f"năm {f.year!r} phải có bốn chữ số")
    where, params = ["TRUE"], {}
    if f.doc_type:
        where.append("d.doc_type = $doc_type")
        params["doc_type"] = f.doc_type
    if f.issuer:
        where.append("d.issuer ILIKE $issuer")
        params["issuer"] = f"%{f.issuer}%"
    if f.province:
        where.append(_PLACE)
        params["province"] = f"%{f.province}%"
    if f.year:
        where.append("left(d.issue_date, 4) = $year")
        params["year"] = f.year
    if f.group:
        where.append("EXISTS (SELECT 1 FROM risk_groups g WHERE g.doc_id = d.doc_id AND g.code = $group)")
        params["group"] = f.group
    if f.q:
        where.append("(d.subject ILIKE $q OR d.text ILIKE $q)")
        params["q"] = f"%{f.q}%"
    order = f"{SORTS[f.sort]} {'DESC' if f.descending else 'ASC'} NULLS LAST, d.source"
    # tasks per document are counted over all obligations only when they are the sort;
    # otherwise for the shown page alone (see documents)
    tasks = ("LEFT JOIN (SELECT doc_id, count(*) AS tasks FROM obligations GROUP BY doc_id) t USING (doc_id)"
             if f.sort == "tasks" else "")
    sql = f"""
SELECT d.doc_id, d.doc_type, doc_symbol(d.number, d.symbol) AS document, d.issuer, d.place,
       d.issue_date, d.subject, d.source{", coalesce(t.tasks, 0) AS tasks" if tasks else ""}
FROM documents d {tasks}
WHERE {' AND '.join(where)}
ORDER BY {order}"""
    return sql, params


def documents(con: duckdb.DuckDBPyConnection, f: DocumentFilter, page: int = 1) -> Page:
    sql, params = _documents_sql(f)
    shown = _page(con, sql, params, page)
    if f.sort != "tasks":
        _add_counts(con, shown.rows, "tasks", "SELECT doc_id, count(*) FROM obligations "
                                              "WHERE list_contains($ids, doc_id) GROUP BY doc_id")
    return shown


def documents_all(con: duckdb.DuckDBPyConnection, f: DocumentFilter) -> pd.DataFrame:
    sql, params = _documents_sql(f)
    return con.execute(sql, params).df()


def _add_counts(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], key: str, sql: str) -> None:
    """``row[key]`` for the rows of one page, by one query over their doc_ids (a
    column computed for the whole archive would cost a scan of it per page)."""
    ids = sorted({row["doc_id"] for row in rows})
    found = dict(con.execute(sql, {"ids": ids}).fetchall()) if ids else {}
    for row in rows:
        row[key] = int(found.get(row["doc_id"], 0))


def choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """What the documents filter offers: types, years and groups present."""
    def column(sql: str) -> list[str]:
        return [str(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None]

    return {
        "doc_type": column("SELECT DISTINCT doc_type FROM documents ORDER BY 1"),
        "year": column("SELECT DISTINCT left(issue_date, 4) FROM documents ORDER BY 1 DESC"),
        "group": column("SELECT DISTINCT code FROM risk_groups ORDER BY 1"),
    }


# ---------------------------------------------------------------- one document


ABOUT = ("references", "recipients", "directives", "obligations", "risk_groups", "deadlines")


def document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """One document's row and the rows of every table about it, None if unknown (on
    the serve copy, sorted by doc_id, each is a look at one block of the table)."""
    frame = con.execute("SELECT * FROM documents WHERE doc_id = $id", {"id": doc_id}).df()
    if frame.empty:
        return None
    rows = {name: _records(con.execute(f'SELECT * FROM "{name}" WHERE doc_id = $id ORDER BY start',
                                       {"id": doc_id}).df()) for name in ABOUT}
    ids = sorted({o["agency_id"] for o in rows["obligations"] if o["agency_id"]})
    names = dict(con.execute("SELECT agency_id, name FROM agencies WHERE list_contains($ids, agency_id)",
                             {"ids": ids}).fetchall()) if ids else {}
    for o in rows["obligations"]:
        o["body"] = names.get(o["agency_id"]) or o["canonical"] or o["assignee"]
    return {"doc": _records(frame)[0], "rows": rows}


_CITED_SQL = """
WITH me AS (SELECT doc_key(number, symbol) AS key, doc_id, issue_date FROM documents WHERE doc_id = $id)
SELECT DISTINCT {select}
FROM "references" r, documents d, me
WHERE {join}
  AND (r.date IS NULL OR {dated} IS NULL OR starts_with(r.date, {dated}) OR starts_with({dated}, r.date))
ORDER BY d.issue_date NULLS LAST, d.source
"""
_DOC_LINK = "d.doc_id, doc_symbol(d.number, d.symbol) AS document, d.doc_type, d.issuer, d.issue_date, d.subject"


def cites(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict[str, Any]]:
    """Documents of the archive this one cites (its references resolved)."""
    sql = _CITED_SQL.format(select=_DOC_LINK, dated="d.issue_date",
                            join="r.doc_id = me.doc_id AND d.doc_id <> me.doc_id "
                                 "AND doc_key(d.number, d.symbol) = doc_key(r.number, r.symbol)")
    return _records(con.execute(sql, {"id": doc_id}).df())


def cited_by(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict[str, Any]]:
    """Documents of the archive that cite this one (a plan and the dispatches that
    implement it)."""
    sql = _CITED_SQL.format(select=_DOC_LINK, dated="me.issue_date",
                            join="r.doc_id = d.doc_id AND d.doc_id <> me.doc_id "
                                 "AND me.key IS NOT NULL AND doc_key(r.number, r.symbol) = me.key")
    return _records(con.execute(sql, {"id": doc_id}).df())


# ---------------------------------------------------------------- bodies and their tasks


def bodies(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """Bodies matching a name as ``congvan tasks --agency`` matches it, best first."""
    if not name.strip():
        return []
    return _records(match_agencies(con, name).head(PAGE_SIZE))


_BODY = "coalesce(a.name, o.canonical, o.assignee)"
_TASKS_SQL = f"""
SELECT {_BODY} AS body, o.role, o.task, o.deadline, o.groups, o.doc_id, o.directive,
       doc_symbol(d.number, d.symbol) AS document, d.doc_type, d.issue_date, d.issuer, d.subject,
       (SELECT string_agg(DISTINCT coalesce(a2.name, o2.canonical, o2.assignee), '; ')
        FROM obligations o2 LEFT JOIN agencies a2 ON a2.agency_id = o2.agency_id
        WHERE o2.doc_id = o.doc_id AND o2.directive = o.directive AND o2.role = 'lead') AS leads,
       (SELECT string_agg(DISTINCT coalesce(a2.name, o2.canonical, o2.assignee), '; ')
        FROM obligations o2 LEFT JOIN agencies a2 ON a2.agency_id = o2.agency_id
        WHERE o2.doc_id = o.doc_id AND o2.directive = o.directive AND o2.role = 'support') AS supports
FROM obligations o LEFT JOIN agencies a USING (agency_id) LEFT JOIN documents d USING (doc_id)
WHERE {_BODY} = $body
ORDER BY d.issue_date DESC NULLS LAST, d.source, o.directive"""


def tasks(con: duckdb.DuckDBPyConnection, body: str, page: int = 1) -> Page:
    """Every task of one body across the archive, newest document first, with the lead
    and supporting bodies of each directive."""
    return _page(con, _TASKS_SQL, {"body": body}, page)


def tasks_all(con: duckdb.DuckDBPyConnection, body: str) -> pd.DataFrame:
    return con.execute(_TASKS_SQL, {"body": body}).df()


# ---------------------------------------------------------------- deadlines


@dataclass
class DeadlineFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    province: str = ""
    body: str = ""
    kind: str = ""
    as_of: dt.date | None = None  # overdue: due before this day (None: the newest date of the archive)
    kinds: tuple[str, ...] = field(default_factory=lambda: tuple(labels("kind")))  # models/report_labels.tsv


def newest_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The newest issue date of the archive (the default "today" of overdue: never the
    machine's clock, so an old archive reads as it did when it was current)."""
    # a partial date counts from its first day: "as of" never runs ahead of what is printed
    row = con.execute("SELECT max(iso_lo(issue_date)) FROM documents WHERE issue_date IS NOT NULL").fetchone()
    return row[0] if row and row[0] else None


def _deadlines_sql(f: DeadlineFilter) -> tuple[str, dict[str, Any]]:
    if f.kind and f.kind not in f.kinds:
        raise BadRequest(f"không có loại thời hạn {f.kind!r}: chọn một trong {', '.join(f.kinds)}")
    if f.start and f.end and f.start > f.end:
        raise BadRequest(f"khoảng thời gian kết thúc ({f.end}) trước khi bắt đầu ({f.start})")
    where = ["dl.date IS NOT NULL", "iso_hi(dl.date) >= $start", "iso_lo(dl.date) <= $end"]
    params: dict[str, Any] = {"start": f.start or dt.date(1, 1, 1), "end": f.end or dt.date(9999, 12, 31),
                              "as_of": f.as_of or dt.date(9999, 12, 31)}
    if f.kind:
        where.append("dl.kind = $kind")
        params["kind"] = f.kind
    if f.province:
        where.append(_PLACE)
        params["province"] = f"%{f.province}%"
    if f.body:
        where.append(f"EXISTS (SELECT 1 FROM obligations o LEFT JOIN agencies a USING (agency_id) "
                     f"WHERE o.doc_id = dl.doc_id AND {_BODY} ILIKE $body)")
        params["body"] = f"%{f.body}%"
    # ISO text sorts as the calendar does; the documents are joined only to filter by
    # place (their columns for a page come with _add_documents)
    joined = "LEFT JOIN documents d USING (doc_id)" if f.province else ""
    sql = f"""
SELECT dl.date AS deadline, dl.start_date, dl.kind, dl.text, dl.doc_id,
       iso_hi(dl.date) < $as_of AS overdue, left(dl.date, 7) AS month
FROM deadlines dl {joined}
WHERE {' AND '.join(where)}
ORDER BY dl.date, dl.doc_id, dl.start"""
    return sql, params


_DOCUMENT_COLUMNS = """
SELECT doc_id, doc_symbol(number, symbol) AS document, doc_type, issue_date, issuer, place
FROM documents WHERE list_contains($ids, doc_id)"""


def _add_documents(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Each row's document: its number and symbol, type, date, issuer and place."""
    ids = sorted({row["doc_id"] for row in rows})
    found = {r["doc_id"]: r for r in _records(con.execute(_DOCUMENT_COLUMNS, {"ids": ids}).df())} if ids else {}
    for row in rows:
        doc = found.get(row["doc_id"], {})
        for key in ("document", "doc_type", "issue_date", "issuer", "place"):
            row[key] = doc.get(key)


_DEADLINE_BODIES = f"""
SELECT o.doc_id, o.deadline, string_agg(DISTINCT {_BODY}, '; ')
FROM obligations o LEFT JOIN agencies a USING (agency_id)
WHERE list_contains($ids, o.doc_id) AND o.deadline IS NOT NULL GROUP BY ALL"""


def _add_bodies(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """The bodies tasked with each deadline's date in its document, for these rows."""
    ids = sorted({row["doc_id"] for row in rows})
    found = {(d, date): bodies for d, date, bodies in con.execute(_DEADLINE_BODIES, {"ids": ids}).fetchall()} \
        if ids else {}
    for row in rows:
        row["bodies"] = found.get((row["doc_id"], row["deadline"]))


def deadlines(con: duckdb.DuckDBPyConnection, f: DeadlineFilter, page: int = 1) -> Page:
    sql, params = _deadlines_sql(f)
    shown = _page(con, sql, params, page)
    _add_documents(con, shown.rows)
    _add_bodies(con, shown.rows)
    return shown


def deadlines_all(con: duckdb.DuckDBPyConnection, f: DeadlineFilter) -> pd.DataFrame:
    sql, params = _deadlines_sql(f)
    frame = con.execute(sql, params).df()
    rows = _records(frame)
    _add_documents(con, rows)
    _add_bodies(con, rows)
    return pd.DataFrame(rows, columns=[*frame.columns, "document", "doc_type", "issue_date", "issuer", "place",
                                       "bodies"])


# ---------------------------------------------------------------- charts


def groups_by(con: duckdb.DuckDBPyConnection, by: str) -> pd.DataFrame:
    """Documents naming each target group, by year of issue or by place: part, code, documents."""
    if by not in ("year", "province"):
        raise BadRequest(f"không chia theo {by!r}: chọn year hoặc province")
    key = "left(d.issue_date, 4)" if by == "year" else "d.place"
    # each (document, group) once, then its document's year or place: a join of the
    # pairs, not of every mention (8x faster at a million documents)
    return con.execute(f"""
SELECT {key} AS part, g.code, count(*) AS documents
FROM (SELECT DISTINCT doc_id, code FROM risk_groups) g
JOIN (SELECT doc_id, issue_date, place FROM documents) d USING (doc_id)
GROUP BY ALL ORDER BY part NULLS LAST, documents DESC, code""").df()


def bodies_by(con: duckdb.DuckDBPyConnection, by: str, top: int = 15) -> pd.DataFrame:
    """Tasks of the ``top`` most tasked bodies, by year of issue or by place: part, body, tasks."""
    if by not in ("year", "province"):
        raise BadRequest(f"không chia theo {by!r}: chọn year hoặc province")
    key = "left(d.issue_date, 4)" if by == "year" else "d.place"
    # tasks counted per (document, body) first, then joined to their documents
    # (25x faster at a million documents than joining every task)
    return con.execute(f"""
WITH per AS (SELECT o.doc_id, {_BODY} AS body, count(*) AS n
             FROM obligations o LEFT JOIN agencies a USING (agency_id) GROUP BY ALL),
     top AS (SELECT body FROM per GROUP BY body ORDER BY sum(n) DESC, body LIMIT {int(top)})
SELECT {key} AS part, per.body, sum(per.n)::BIGINT AS tasks
FROM per JOIN (SELECT doc_id, issue_date, place FROM documents) d USING (doc_id)
WHERE per.body IN (SELECT body FROM top)
GROUP BY ALL ORDER BY part NULLS LAST, tasks DESC, per.body""").df()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of the tables a reader cares about, for the first page."""
    out = {}
    for name in ("documents", "obligations", "deadlines", "risk_groups", "errors"):
        row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        out[name] = int(row[0]) if row else 0
    return out
