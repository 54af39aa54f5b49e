"""Questions over the output tables: DuckDB views and the canned questions.

The output folder of ``congvan run`` is opened read-only: nothing is written into
it and its ``_lock`` is not taken. Only committed parts are seen (the rule of
:func:`congvan.write.read_table`); a table with no committed part is an empty view
with the table's columns.

Functions (``con`` is the connection of :func:`connect`):

``connect(out_dir) -> duckdb.DuckDBPyConnection``
    In-memory DuckDB with one view per table of ``schema.TABLES``: documents,
    "references" (a reserved word in SQL: quote it, or use the alias ``refs``),
    recipients, directives, obligations, risk_groups, deadlines, agencies, errors.
    SQL macros for the partial ISO dates and document numbers: ``iso_lo(s)`` and
    ``iso_hi(s)`` (first and last day of ``2019``, ``2019-07`` or ``2019-07-16``),
    ``doc_symbol(number, symbol)`` (``124/KH-UBND``), ``doc_key(number, symbol)``
    (the comparison key of :func:`congvan.resolve.same_document`). Raises
    :class:`NoOutput` when ``out_dir`` is missing, holds no tables or a damaged one.
``run_sql(con, sql) -> pa.Table``
    One read-only statement (SELECT, WITH, DESCRIBE, SUMMARIZE, EXPLAIN); raises
    :class:`QueryError` with DuckDB's message.
``match_agencies(con, name, cutoff=85.0) -> pd.DataFrame``
    Bodies whose name matches ``name`` (accent- and case-insensitive, abbreviations
    expanded, typos forgiven by rapidfuzz): columns body, score, tasks; best first.
``tasks_of(con, agency, cutoff=85.0) -> pd.DataFrame``
    Every task of the matched bodies: body, role, task, deadline, groups, document,
    doc_type, issue_date, issuer, source, assignee (as expanded), text (as printed),
    doc_id, directive.
``all_tasks(con) -> pd.DataFrame``
    The same columns for every task of the archive, sorted by body.
``deadlines_between(con, start=None, end=None) -> pd.DataFrame``
    Deadlines whose date (cut to its precision) meets ``[start, end]`` (``date`` or
    None for an open end; with neither, recurring limits too): deadline, start_date,
    kind, text, bodies (tasked with that date in the same document), document,
    doc_type, issue_date, issuer, source, doc_id.
``groups_by_year(con) -> pd.DataFrame``
    Target groups counted by year and issuer: year, issuer, code, documents, mentions.
``citations(con) -> (edges, unresolved)``
    ``edges``: each reference resolved to a document of the archive (same number and
    symbol, dates and years compatible): citing_* and cited_* (doc_id, document,
    doc_type, issuer, issue_date, source) and text (the citation as printed).
    ``unresolved``: references to documents not in the archive, with the citing
    document: citing_*, doc_type, number, symbol, date, issuer, text.
``parse_day(text, end=False) -> datetime.date``
    ``2023-08-15``, ``15/8/2023``, ``2023-08``, ``8/2023``, ``2023``: the first day
    of the period (``end=True``: the last). Raises ValueError.
``labels(field) -> dict[str, str]``
    Vietnamese labels of coded values (``role``, ``kind``, ``group``) from
    ``models/report_labels.tsv``.

Printing, for the command line: ``format_table(frame, max_rows, max_width) -> str``
(an aligned text table) and ``write_frame(frame, fmt, output)`` (``table``, ``csv``,
``json`` = JSON Lines, ``parquet``, which needs ``output``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import os
import sys
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import regex
from rapidfuzz import fuzz

from .clean import fold
from .knowledge import table as knowledge_table
from .resolve import expand
from .schema import COMMITS, TABLES
from .storage import Place, StorageError, place

DEFAULT_CUTOFF = 85.0
ALIASES = {"refs": "references"}

# Partial ISO dates and document numbers, usable in any query.
_MACROS = r"""
CREATE TEMP MACRO iso_lo(s) AS CASE length(s)
    WHEN 10 THEN try_cast(s AS DATE)
    WHEN 7 THEN try_cast(s || '-01' AS DATE)
    WHEN 4 THEN try_cast(s || '-01-01' AS DATE) END;
CREATE TEMP MACRO iso_hi(s) AS CASE length(s)
    WHEN 10 THEN try_cast(s AS DATE)
    WHEN 7 THEN last_day(try_cast(s || '-01' AS DATE))
    WHEN 4 THEN try_cast(s || '-12-31' AS DATE) END;
CREATE TEMP MACRO doc_symbol(number, symbol) AS CASE
    WHEN symbol IS NULL THEN number ELSE coalesce(number, '') || '/' || symbol END;
CREATE TEMP MACRO doc_key(number, symbol) AS CASE
    WHEN number IS NULL OR symbol IS NULL THEN NULL
    ELSE coalesce(nullif(ltrim(trim(number), '0'), ''), '0') || '|'
         || upper(regexp_replace(symbol, '\d{4}|[\s\-–—/.]+', '', 'g')) END;
CREATE TEMP MACRO symbol_year(symbol) AS
    nullif(regexp_extract(symbol, '(?:^|/)((?:19|20)\d\d)/', 1), '');
"""


class NoOutput(Exception):
    """The folder is not an output folder of ``congvan run``."""

    def __init__(self, message: str, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing  # no such folder at all (a usage error)


class QueryError(Exception):
    """A query DuckDB refused, or one that is not read-only; the message says why."""


# ---------------------------------------------------------------- the views


def committed_parts(out: Place, name: str) -> list[str]:
    """The part files of one table that a reader should see (as ``read_table``), by
    their names in the output."""
    committed = {file for file in out.names(COMMITS) if file.isdigit()}
    parts = []
    for file in out.names(name):
        seq = file[len("part-"):-len(".parquet")]
        if file.startswith("part-") and file.endswith(".parquet") and (
                seq in committed or (seq.isdigit() and int(seq) == 0)):
            parts.append(f"{name}/{file}")
    return sorted(parts)


def _check_output(out_dir: str, out: Place) -> None:
    if not out.is_folder():
        raise NoOutput(f"no output folder {out_dir}: run `congvan run INPUT --out {out_dir}` "
                       "first, or give the folder with --tables DIR", missing=True)
    if not any(out.names(name) for name in (COMMITS, *TABLES)):
        raise NoOutput(f"{out_dir} holds no congvan tables: run `congvan run INPUT --out "
                       f"{out_dir}` first", missing=False)


def _sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def connect(out_dir: Path | str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with a view per output table (see the module doc).

    Read-only is a property of the connection, not of a check on statements: the
    tables reach DuckDB as Arrow datasets opened here, and then DuckDB is shut off
    from the file system, the network and extensions, with its settings locked. No
    statement, however wrapped (``EXPLAIN ANALYZE COPY ... TO``), can write, read or
    fetch a file, load an extension or turn these settings back."""
    con = duckdb.connect(":memory:")
    for name, dataset in datasets(out_dir).items():
        con.register(name, dataset)
    return finish(con)


def datasets(out_dir: Path | str) -> dict[str, ds.Dataset]:
    """Each table's committed parts as one Arrow dataset (NoOutput as :func:`connect`)."""
    try:
        out = place(out_dir)  # a local folder, or an fsspec URL
    except StorageError as exc:
        raise NoOutput(str(exc), missing=True) from None
    _check_output(os.fspath(out_dir), out)
    return {name: _table_dataset(out, name, schema) for name, schema in TABLES.items()}


def finish(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A connection whose tables are in place made read-only and given the helpers:
    the ``refs`` alias, the macros, and then the lockdown (no file, URL, extension or
    setting from here on)."""
    # a second connection to a database file this process has open shares its (locked)
    # settings: then only the connection's own views and macros are made
    locked = con.execute("SELECT current_setting('lock_configuration')").fetchone()
    if not (locked and locked[0]):
        # a spill never lands in the output folder
        spill = os.path.join(tempfile.gettempdir(), "congvan-duckdb")
        con.execute(f"SET temp_directory = {_sql_string(spill)}")
    for alias, name in ALIASES.items():
        con.execute(f'CREATE TEMP VIEW "{alias}" AS SELECT * FROM "{name}"')
    con.execute(_MACROS)
    if not (locked and locked[0]):
        for setting in _LOCKDOWN:
            con.execute(setting)
    return con


# after the views exist: no file, URL or extension, and no setting may change again
_LOCKDOWN = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET allow_unsigned_extensions = false",
    "SET lock_configuration = true",
)


def _table_dataset(out: Place, name: str, schema: pa.Schema) -> ds.Dataset:
    """The committed parts of one table as one dataset with the table's columns, in
    order, even with no part or with parts written before a column was added (those
    read as null). A damaged part raises NoOutput naming the table."""
    fs = out.filesystem()
    parts = [out.path(part) for part in committed_parts(out, name)]
    for part in parts:  # the footer only: a bad file is named now, not mid-query
        try:
            pq.read_metadata(part, filesystem=fs)
        except (OSError, pa.ArrowException) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise NoOutput(f"cannot read the table {name} of {out.url()}: {os.path.basename(part)}: {first}",
                           missing=False) from None
    if not parts:
        return ds.dataset(schema.empty_table())
    return ds.dataset(parts, schema=schema, format="parquet", filesystem=fs)


_READ_ONLY = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# EXPLAIN [ANALYZE] [(options)] before the statement it explains (and runs)
_EXPLAIN = regex.compile(r"\s*EXPLAIN\b(?:\s+ANALY[SZ]E\b)?(?:\s*\([^)]*\))?\s*", regex.IGNORECASE)


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """The result of one read-only statement; QueryError with DuckDB's message otherwise.
    The connection cannot write anyway (:func:`connect`); this check gives the clear
    message and keeps the connection's own views as they are."""
    kind = _statement_kind(con, sql)
    if kind not in _READ_ONLY:
        raise QueryError(f"only queries run here (SELECT, WITH, DESCRIBE, SUMMARIZE, "
                         f"EXPLAIN); this is a {kind.name} statement")
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise QueryError(_hint(str(exc), sql)) from None


def _statement_kind(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.StatementType:
    """The type of the one statement in ``sql``; of the statement an EXPLAIN wraps."""
    while True:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryError(_hint(str(exc), sql)) from None
        if len(statements) != 1:
            raise QueryError(f"give one SQL statement, not {len(statements)}")
        kind = statements[0].type
        if kind != duckdb.StatementType.EXPLAIN:
            return kind
        explained = _EXPLAIN.match(sql)
        if explained is None:
            raise QueryError("write EXPLAIN [ANALYZE] right before the query it explains")
        sql = sql[explained.end():]


_BARE_REFERENCES = regex.compile(r'(?<!["\w])references(?!["\w])', regex.IGNORECASE)


def _hint(message: str, sql: str) -> str:
    if "Parser Error" in message and _BARE_REFERENCES.search(sql):
        message += ('\nhint: "references" is a reserved word in SQL: write it in double '
                    'quotes ("references") or use the alias refs')
    return message


# ---------------------------------------------------------------- labels and dates


@cache
@cache
def interface_texts() -> dict[str, str]:
    """The pages' Vietnamese text by key (``models/interface_labels.tsv``): ``serve``'s
    and ``report``'s titles, axes, columns and messages."""
    return {row["key"]: row["text"] for row in knowledge_table("interface_labels.tsv")}


def labels(field: str) -> dict[str, str]:
    """Vietnamese labels of one coded field (``role``, ``kind``, ``group``)."""
    return {r["value"]: r["label"] for r in knowledge_table("report_labels.tsv")
            if r["field"] == field}


_DAY_FORMS = [
    (regex.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (regex.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"), ("d", "m", "y")),
    (regex.compile(r"(\d{4})-(\d{1,2})"), ("y", "m")),
    (regex.compile(r"(\d{1,2})/(\d{4})"), ("m", "y")),
    (regex.compile(r"(\d{4})"), ("y",)),
]


def parse_day(text: str, end: bool = False) -> dt.date:
    """``15/8/2023`` -> 2023-08-15; a month or a year is its first day, or its last
    with ``end=True`` (``2023-08`` -> 2023-08-31). ValueError for anything else."""
    s = text.strip()
    for pattern, fields in _DAY_FORMS:
        m = pattern.fullmatch(s)
        if not m:
            continue
        parts = dict(zip(fields, map(int, m.groups()), strict=False))
        y, mo = parts["y"], parts.get("m", 12 if end else 1)
        if not 1 <= mo <= 12:
            break
        d = parts.get("d", calendar.monthrange(y, mo)[1] if end else 1)
        try:
            return dt.date(y, mo, d)
        except ValueError:
            break
    raise ValueError(f"not a date: {text!r} (give YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or YYYY)")


# ---------------------------------------------------------------- tasks of a body


def _plain(s: str) -> str:
    """Fold (case, tone placement, punctuation) and drop the accents: ``Sở`` -> ``so``."""
    decomposed = unicodedata.normalize("NFD", fold(s).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _word_score(a: str, b: str) -> float:
    """Short words must be equal; longer ones may differ by a typo."""
    if a == b:
        return 100.0
    return fuzz.ratio(a, b) if min(len(a), len(b)) >= 3 else 0.0


_GAP = 3  # words a query may leave out of a name


def _in_order(query: list[str], words: list[str]) -> bool:
    it = iter(words)
    return all(any(w == q for w in it) for q in query)


def _score(query: str, name: str) -> float:
    """How well a (plain) query names a (plain) body name, 0-100.

    The query's words opening the name score 100 (``cong an tinh`` in ``cong an tinh
    lang son``), as a phrase inside it 95. Otherwise the query is compared (rapidfuzz) with each
    run of the name's words about as long as the query, starting at a word like the
    query's first: the head word tells bodies apart (``so`` is not ``trung tam``), the
    rest may carry typos or a missing word. The query's words in order with a few
    left out score 90 (``hoi phu nu`` in ``hoi lien hiep phu nu``)."""
    q, words = query.split(), name.split()
    if not q or not words:
        return 0.0
    n = len(q)
    if words[:n] == q:
        return 100.0
    if any(words[i:i + n] == q for i in range(1, len(words) - n + 1)):
        return 95.0  # inside: "bo doi bien phong" in "bo chi huy bo doi bien phong"
    best = 0.0
    for i, word in enumerate(words):
        if _word_score(q[0], word) < 75:
            continue
        if word == q[0] and _in_order(q[1:], words[i + 1:i + n + _GAP]):
            best = max(best, 90.0)  # words left out: "hoi phu nu" for "hoi lien hiep phu nu"
        for size in (n - 1, n, n + 1):
            if size >= 1 and i + size <= len(words):
                best = max(best, fuzz.ratio(query, " ".join(words[i:i + size])))
    return float(best)


_NAMES_SQL = """
SELECT DISTINCT body, name FROM (
    SELECT coalesce(a.name, o.canonical, o.assignee) AS body,
           unnest([o.assignee, o.canonical, o.text, a.name]) AS name
    FROM obligations o LEFT JOIN agencies a USING (agency_id)
    UNION ALL
    SELECT name AS body, name FROM agencies
) WHERE name IS NOT NULL
"""


def match_agencies(con: duckdb.DuckDBPyConnection, name: str,
                   cutoff: float = DEFAULT_CUTOFF) -> pd.DataFrame:
    """Bodies matching ``name`` (score >= cutoff), best first: body, score, tasks.
    A body is matched by any of its names: as printed, expanded, canonical, or its
    entry in ``agencies``."""
    ranked = rank_agencies(con, name)
    return ranked[ranked.score >= cutoff].reset_index(drop=True)


def rank_agencies(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    """Every body with its best score against ``name``, best first: body, score, tasks."""
    queries = {_plain(name), _plain(expand(name))} - {""}
    best: dict[str, float] = {}
    for body, variant in con.execute(_NAMES_SQL).fetchall():
        plain = _plain(variant)
        score = max((_score(q, plain) for q in queries), default=0.0)
        best[body] = max(best.get(body, 0.0), score)
    counts = dict(con.execute(
        "SELECT coalesce(a.name, o.canonical, o.assignee), count(*) FROM obligations o "
        "LEFT JOIN agencies a USING (agency_id) GROUP BY ALL").fetchall())
    frame = pd.DataFrame({"body": list(best), "score": [round(s, 1) for s in best.values()],
                          "tasks": [int(counts.get(b, 0)) for b in best]},
                         columns=["body", "score", "tasks"])
    return frame.sort_values(["score", "tasks", "body"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)


_TASKS_SQL = """
SELECT coalesce(a.name, o.canonical, o.assignee) AS body, o.role, o.task, o.deadline,
       o.groups, doc_symbol(d.number, d.symbol) AS document, d.doc_type, d.issue_date,
       d.issuer, d.source, o.assignee, o.text, o.doc_id, o.directive
FROM obligations o
LEFT JOIN agencies a USING (agency_id)
LEFT JOIN documents d USING (doc_id)
{where}
ORDER BY body, d.issue_date NULLS LAST, d.source, o.directive, o.role
"""


def tasks_of(con: duckdb.DuckDBPyConnection, agency: str,
             cutoff: float = DEFAULT_CUTOFF) -> pd.DataFrame:
    """Every task of the bodies matching ``agency`` (see :func:`match_agencies`)."""
    bodies = match_agencies(con, agency, cutoff).body.tolist()
    where = "WHERE list_contains($bodies, coalesce(a.name, o.canonical, o.assignee))"
    return con.execute(_TASKS_SQL.format(where=where), {"bodies": bodies}).df()


def all_tasks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every task of the archive, body by body."""
    return con.execute(_TASKS_SQL.format(where="")).df()


# ---------------------------------------------------------------- deadlines


_DEADLINES_SQL = """
SELECT dl.date AS deadline, dl.start_date, dl.kind, dl.text,
       (SELECT string_agg(DISTINCT coalesce(a.name, o.canonical, o.assignee), '; '
                          ORDER BY coalesce(a.name, o.canonical, o.assignee))
        FROM obligations o LEFT JOIN agencies a USING (agency_id)
        WHERE o.doc_id = dl.doc_id AND o.deadline = dl.date) AS bodies,
       doc_symbol(d.number, d.symbol) AS document, d.doc_type, d.issue_date, d.issuer,
       d.source, dl.doc_id
FROM deadlines dl LEFT JOIN documents d USING (doc_id)
WHERE (dl.date IS NULL AND $open)
   OR (iso_hi(dl.date) >= $start AND iso_lo(dl.date) <= $end)
ORDER BY iso_lo(dl.date) NULLS LAST, iso_hi(dl.date), d.source, dl.start
"""


def deadlines_between(con: duckdb.DuckDBPyConnection, start: dt.date | None = None,
                      end: dt.date | None = None) -> pd.DataFrame:
    """Deadlines due within ``[start, end]``: a partial date (``2023-08``) counts when
    its period meets the window. With no bounds, every deadline, recurring ones too."""
    if start and end and start > end:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    params = {"open": start is None and end is None,
              "start": start or dt.date(1, 1, 1), "end": end or dt.date(9999, 12, 31)}
    return con.execute(_DEADLINES_SQL, params).df()


# ---------------------------------------------------------------- groups


_GROUPS_SQL = """
SELECT left(d.issue_date, 4) AS year, d.issuer, g.code,
       count(DISTINCT g.doc_id) AS documents, count(*) AS mentions
FROM risk_groups g LEFT JOIN documents d USING (doc_id)
GROUP BY ALL
ORDER BY year NULLS LAST, issuer NULLS LAST, documents DESC, mentions DESC, code
"""


def groups_by_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Target groups counted by year of issue and issuer (documents naming the group,
    and its mentions)."""
    return con.execute(_GROUPS_SQL).df()


# ---------------------------------------------------------------- citations


_DOC_COLS = "doc_id, doc_symbol(number, symbol) AS document, doc_type, issuer, issue_date, source"

_CITATIONS_SQL = f"""
WITH docs AS (
    SELECT {_DOC_COLS}, doc_key(number, symbol) AS key,
           coalesce(left(issue_date, 4), symbol_year(symbol)) AS year
    FROM documents
), refs AS (
    SELECT r.*, doc_key(r.number, r.symbol) AS key,
           coalesce(left(r.date, 4), symbol_year(r.symbol)) AS year
    FROM "references" r
)
"""
# the same number and symbol, another document, years and dates not contradicting
_RESOLVES = """r.key = c.key AND r.doc_id <> c.doc_id
    AND (r.year IS NULL OR c.year IS NULL OR r.year = c.year)
    AND (r.date IS NULL OR c.issue_date IS NULL
         OR starts_with(r.date, c.issue_date) OR starts_with(c.issue_date, r.date))"""
_CITING = """s.doc_id AS citing_doc_id, s.document AS citing_document,
       s.doc_type AS citing_doc_type, s.issuer AS citing_issuer,
       s.issue_date AS citing_issue_date, s.source AS citing_source"""

_EDGES_SQL = _CITATIONS_SQL + f"""
SELECT {_CITING},
       c.doc_id AS cited_doc_id, c.document AS cited_document, c.doc_type AS cited_doc_type,
       c.issuer AS cited_issuer, c.issue_date AS cited_issue_date, c.source AS cited_source,
       r.text
FROM refs r JOIN docs c ON {_RESOLVES}
JOIN docs s ON s.doc_id = r.doc_id
ORDER BY c.issue_date NULLS LAST, c.source, s.issue_date NULLS LAST, s.source, r.start
"""

_UNRESOLVED_SQL = _CITATIONS_SQL + f"""
SELECT {_CITING}, r.doc_type, r.number, r.symbol, r.date, r.issuer, r.text
FROM refs r JOIN docs s ON s.doc_id = r.doc_id
WHERE NOT EXISTS (SELECT 1 FROM docs c WHERE {_RESOLVES})
ORDER BY s.source, r.start
"""


def citations(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The citation graph: (references resolved to documents of the archive,
    references to documents that are not in it). A reference resolves when its
    number and symbol name the same document (``doc_key``) and its date and year do
    not contradict the document's; a draft without a number resolves nothing."""
    return con.execute(_EDGES_SQL).df(), con.execute(_UNRESOLVED_SQL).df()


# ---------------------------------------------------------------- printing

FORMATS = ("table", "vertical", "csv", "json", "parquet")


def is_missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def plain_value(value: object) -> object:
    """Lists, arrays and structs as JSON-able Python values."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if is_missing(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    return value


def _cell(value: object, max_width: int) -> str:
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        text = ", ".join("" if v is None else str(v) for v in value)
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    text = " ".join(text.split())  # newlines and runs of spaces: one line per row
    if max_width and len(text) > max_width:
        text = text[:max_width - 1].rstrip() + "…"
    return text


def _width(text: str) -> int:
    return sum(1 for c in text if not unicodedata.combining(c))


_HASH = regex.compile(r"[0-9a-f]{16,}")


def _hash_columns(frame: pd.DataFrame) -> list[str]:
    """Columns of content hashes and the ids made of them (``doc_id``, ``agency_id``,
    ``sha256``): every value 16 or more hex digits. A person reading a table on screen skips them."""
    out = []
    for column in frame.columns:
        values = frame[column].dropna()
        if len(values) and all(isinstance(v, str) and _HASH.fullmatch(v) for v in values):
            out.append(str(column))
    return out


def format_table(frame: pd.DataFrame, max_rows: int = 0, max_width: int = 0, width: int = 0) -> str:
    """An aligned text table: text left, numbers right, long text cut with ``…``;
    at most ``max_rows`` rows (0: all) and a line saying how many were left out.
    ``width``: a screen's width; a table wider than it is shown without its hash
    columns (``doc_id``, ``agency_id``, ``sha256``), and a last line says so (0: no
    limit)."""
    if frame.empty:
        return "(no rows)\n" if len(frame.columns) else "(no columns)\n"
    text = _table(frame, max_rows, max_width)
    hashes = _hash_columns(frame) if width else []
    if not hashes or max(map(_width, text.splitlines())) <= width or len(hashes) == len(frame.columns):
        return text
    return (_table(frame.drop(columns=hashes), max_rows, max_width)
            + f"(left out to fit {width} characters: {', '.join(hashes)}; "
            "--format vertical shows every column)\n")


def format_vertical(frame: pd.DataFrame, max_rows: int = 0, max_width: int = 0) -> str:
    """One field a line, a header line before each row (as psql's ``\\x``): for rows
    too wide for a screen. Values are cut at ``max_width`` as in a table."""
    if frame.empty:
        return "(no rows)\n" if len(frame.columns) else "(no columns)\n"
    shown = frame if not max_rows else frame.head(max_rows)
    columns = [str(c) for c in frame.columns]
    pad = max(_width(c) for c in columns)
    lines = []
    for n, row in enumerate(shown.itertuples(index=False), 1):
        lines.append(f"-[ row {n} ]" + "-" * max(0, pad - 6))
        lines += [(c + " " * (pad - _width(c)) + " | " + _cell(v, max_width)).rstrip()
                  for c, v in zip(columns, row, strict=True)]
    if len(shown) < len(frame):
        lines.append(f"... {len(frame) - len(shown)} more rows ({len(frame)} in all; --max-rows 0 shows all)")
    return "\n".join(lines) + "\n"


def _table(frame: pd.DataFrame, max_rows: int, max_width: int) -> str:
    shown = frame if not max_rows else frame.head(max_rows)
    columns = [str(c) for c in frame.columns]
    cells = [[_cell(v, max_width) for v in row] for row in shown.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    widths = [max([_width(name)] + [_width(r[j]) for r in cells])
              for j, name in enumerate(columns)]

    def line(values: list[str]) -> str:
        out = []
        for j, v in enumerate(values):
            pad = " " * (widths[j] - _width(v))
            out.append(pad + v if numeric[j] else v + pad)
        return "  ".join(out).rstrip()

    rows = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    if len(shown) < len(frame):
        rows.append(f"... {len(frame) - len(shown)} more rows "
                    f"({len(frame)} in all; --max-rows 0 shows all)")
    return "\n".join(rows) + "\n"


# A text cell that opens with one of these is run as a formula by Excel, LibreOffice
# and Google Sheets (OWASP, "CSV Injection"): a subject "V/v =1+2", a file "=SUM(1,2).txt".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula, with a ``'`` before it
    (the spreadsheet shows it as text); any other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and structs as JSON text, so a CSV cell holds them losslessly; text that
    a spreadsheet would run as a formula neutralised (:func:`csv_text`)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [csv_text(json.dumps(plain_value(v), ensure_ascii=False)
                                 if isinstance(plain_value(v), (list, dict)) else plain_value(v))
                        for v in out[col]]
    return out


def write_frame(frame: pd.DataFrame, fmt: str = "table", output: str | Path | None = None,
                max_rows: int = 0, max_width: int = 0, width: int = 0) -> None:
    """Print or write ``frame`` as a text table (``width``: see :func:`format_table`),
    one field a line (``vertical``), CSV, JSON Lines or Parquet. ``parquet`` needs
    ``output`` (ValueError); the others go to stdout without it. OSError when
    ``output`` cannot be written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet writes a file: give it with --output FILE")
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), output)
        return
    if fmt == "table":
        text = format_table(frame, max_rows, max_width, width)
    elif fmt == "vertical":
        text = format_vertical(frame, max_rows, max_width)
    elif fmt == "csv":
        text = csv_frame(frame).to_csv(index=False, lineterminator="\n")
    else:
        text = "".join(json.dumps({str(k): plain_value(v) for k, v in row.items()},
                                  ensure_ascii=False) + "\n"
                       for row in frame.to_dict(orient="records"))
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
