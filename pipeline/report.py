"""``congvan report``: one static HTML page about an output folder, for a person to read.

The page shows the counts, the documents by type and year, a timeline of deadlines, the
bodies tasked most often and the target groups per year as plotly charts, then a table of
documents, each linked to its highlighted page (``<report>_files/<doc_id>.html``, the
marked view of ``congvan show``). plotly's JavaScript is inlined once, so the folder can
be moved, zipped or opened offline; links are relative. A chart without data becomes a
"no data" panel. The highlighted pages are rebuilt from the stored rows, not by extracting
again, so they show exactly what the tables hold.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from .models import (
    Deadline,
    Directive,
    DocumentInfo,
    Extraction,
    Field,
    Obligation,
    Recipient,
    Reference,
    RiskGroup,
)
from .query import (
    NoOutput,
    all_tasks,
    connect,
    deadlines_between,
    groups_by_year,
    interface_texts,
    labels,
    parse_day,
)
from .schema import EXPORT_MARK, GENERATOR_META, TABLES

TOP_AGENCIES = 20
LISTED_ROWS = 500  # rows of the deadline and error tables on the page; the charts show all
PAGE_CHUNK = 500  # documents whose rows are fetched at once for their pages
_CONFIG = {"displaylogo": False, "responsive": True}
_PAGE_NAME = re.compile(r"[0-9a-f]{16}\.html")  # <doc_id>.html
_MANIFEST = "_pages.json"  # page name -> fingerprint of what it was drawn from
# the record tables drawn on a document's page
_SPAN_TABLES = ("references", "recipients", "directives", "obligations", "risk_groups", "deadlines")


@dataclass
class Report:
    """What ``congvan report`` wrote: the figures it prints."""

    html: Path
    documents: int
    errors: int
    charts: int
    empty_charts: int
    pages: int
    page_bytes: int
    pages_dir: Path
    pages_drawn: int = 0  # the others were kept from the last report: their rows are unchanged


# --------------------------------------------------------------------------- data


def open_output(out_dir: Path | str) -> duckdb.DuckDBPyConnection:
    """A connection over the committed tables of ``out_dir``; NoOutput if there is nothing
    to report on (no folder, no tables, or tables without a document or an error)."""
    con = connect(out_dir)
    if not _count(con, "documents") and not _count(con, "errors"):
        raise NoOutput(f"{out_dir} holds no documents and no errors: run `congvan run INPUT "
                       f"--out {out_dir}` first", missing=False)
    return con


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return row[0] if row else 0  # count(*) always gives a row


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table, in the schema's order."""
    return {name: _count(con, name) for name in TABLES}


def documents_by_type_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT coalesce(left(issue_date, 4), 'unknown') AS year,
               coalesce(doc_type, 'unknown') AS doc_type, count(*) AS documents
        FROM documents GROUP BY ALL ORDER BY year, doc_type""").df()


def tasks_per_agency(con: duckdb.DuckDBPyConnection, top: int) -> pd.DataFrame:
    """The ``top`` bodies with the most obligations: body, role, tasks; most tasked first."""
    tasks = all_tasks(con)
    if tasks.empty:
        return pd.DataFrame(columns=["body", "role", "tasks"])
    per_role = tasks.groupby(["body", "role"]).size().rename("tasks").reset_index()
    totals = per_role.groupby("body").tasks.sum()
    ranked = sorted(totals.index, key=lambda b: (-totals[b], b))[:top]
    order = {b: i for i, b in enumerate(ranked)}
    kept = per_role[per_role.body.isin(order)]
    return kept.sort_values(["body", "role"], key=lambda c: c.map(order) if c.name == "body" else c,
                            kind="stable").reset_index(drop=True)


def groups_per_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """How many documents name each target group, per year of issue: year, code, documents."""
    by_issuer = groups_by_year(con)  # a document has one issuer: summing counts documents once
    if by_issuer.empty:
        return pd.DataFrame(columns=["year", "code", "documents"])
    frame = by_issuer.assign(year=by_issuer.year.fillna("unknown"))
    return frame.groupby(["year", "code"]).documents.sum().reset_index()


def document_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per document with how many records of each kind it has."""
    return con.execute("""
        WITH n AS (
            SELECT doc_id, 'obligations' AS t FROM obligations
            UNION ALL SELECT doc_id, 'deadlines' FROM deadlines
            UNION ALL SELECT doc_id, 'references' FROM "references"
            UNION ALL SELECT DISTINCT doc_id, 'groups:' || code FROM risk_groups)
        SELECT doc.doc_id, doc.source, doc.doc_type, doc_symbol(doc.number, doc.symbol) AS document,
               doc.issuer, doc.issue_date, doc.subject,
               count(n.t) FILTER (WHERE n.t = 'obligations') AS obligations,
               count(n.t) FILTER (WHERE n.t = 'deadlines') AS deadlines,
               count(n.t) FILTER (WHERE n.t = 'references') AS "references",
               count(n.t) FILTER (WHERE n.t LIKE 'groups:%') AS groups
        FROM documents doc LEFT JOIN n USING (doc_id)
        GROUP BY ALL ORDER BY doc.source""").df()


def error_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT source, stage, reason FROM errors ORDER BY source").df()


def _day(iso: Any, end: bool) -> pd.Timestamp | None:
    """First (or last) day of a partial ISO date, None when there is none to draw."""
    if not isinstance(iso, str):  # None, or NaN in a pandas column
        return None
    try:
        return pd.Timestamp(parse_day(iso, end=end))
    except ValueError:
        return None


# --------------------------------------------------------------------------- charts


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _doc_label(row: Any) -> str:
    """``Công văn 12/UBND-VX``; a document printed without a number gets its file name
    too (two such dispatches of one office share the symbol alone), and one with
    neither number nor symbol is its file name."""
    file = Path(str(row.source).split("!")[-1]).name
    if _text(row.document):  # "/STTTT-TTBCXB" when no number was printed
        label = f"{_text(row.doc_type) or ''} {row.document.lstrip('/')}".strip()
        return f"{label} ({file})" if row.document.startswith("/") else label
    return file


def _t(key: str, **values: Any) -> str:
    """The page's Vietnamese text (``models/interface_labels.tsv``), filled in."""
    text = interface_texts().get(key, key)
    return text.format(**values) if values else text


def _integer_axis(top: float) -> dict[str, Any]:
    """A count axis that ticks at whole numbers (plotly picks 0.5 steps below 5)."""
    return dict(tick0=0, dtick=1) if top <= 10 else dict(tickformat=",d")


def _label(field: str, code: str) -> str:
    """The Vietnamese label of a coded value (models/report_labels.tsv), escaped for plotly."""
    return escape(labels(field).get(code, code))


def _year_axis(years: pd.Series) -> dict[str, Any]:
    """Years in order, ``unknown`` (no date of issue) last."""
    order = sorted(set(years), key=lambda y: (y == "unknown", y))
    shown = [_t("report_unknown_year") if y == "unknown" else y for y in order]
    return dict(type="category", categoryorder="array", categoryarray=order, title=_t("report_year_axis"),
                tickvals=order, ticktext=shown)


def fig_documents(df: pd.DataFrame) -> go.Figure | None:
    if df.empty:
        return None
    fig = go.Figure()
    for doc_type, part in df.groupby("doc_type", sort=True):
        fig.add_bar(x=part.year, y=part.documents, name=escape(str(doc_type)),
                    hovertemplate="%{fullData.name} %{x}: %{y}<extra></extra>")
    top = df.groupby("year").documents.sum().max()
    fig.update_layout(barmode="stack", xaxis=_year_axis(df.year),
                      yaxis=dict(title=_t("report_documents_axis"), **_integer_axis(top)))
    return fig


def fig_deadlines(df: pd.DataFrame, pages: str) -> go.Figure | None:
    """Each dated deadline on a date axis (the last day of the window printed), one row per
    kind; a printed range (``từ ... đến ...``) as a line from its first day."""
    # a range drawn from its printed start only when that start is as precise as its end:
    # "từ nay đến hết tháng 8/2023" in a dispatch dated only "2023" starts at the date of
    # issue, whose year alone would draw it from January
    precise = df.start_date.map(lambda s: len(str(s or ""))) >= df.deadline.map(lambda d: len(str(d or "")))
    df = df.assign(end=df.deadline.map(lambda d: _day(d, True)),
                   begin=df.start_date.where(precise).map(lambda d: _day(d, False)),
                   kind=df.kind.map(lambda k: _label("kind", k)))
    df = df[df.end.notna()]
    if df.empty:
        return None
    fig = go.Figure()
    ranges = df[df.begin.notna()]
    if not ranges.empty:
        xs: list[Any] = []
        ys: list[Any] = []
        for r in ranges.itertuples():
            xs += [r.begin, r.end, None]
            ys += [r.kind, r.kind, None]
        fig.add_scatter(x=xs, y=ys, mode="lines", name=_t("report_range"), hoverinfo="skip",
                        line=dict(width=6, color="rgba(76,120,168,0.35)"))
    for kind, part in df.groupby("kind", sort=True):
        data = [[f"{pages}/{r.doc_id}.html", escape(_doc_label(r)),
                 escape(" ".join(r.text.split())), r.deadline, escape(_text(r.bodies) or "")]
                for r in part.itertuples()]
        fig.add_scatter(x=part.end, y=part.kind, mode="markers", name=kind, customdata=data,
                        marker=dict(size=11, opacity=0.8),
                        hovertemplate="<b>%{customdata[3]}</b> %{customdata[2]}<br>"
                                      "%{customdata[1]}<br>%{customdata[4]}"
                                      f"<extra>{_t('report_click')}</extra>")
    fig.update_layout(xaxis=dict(type="date", title=_t("report_deadline_axis"),
                                 rangeslider=dict(visible=True)),
                      yaxis=dict(type="category", title=None), height=360)
    return fig


def fig_agencies(df: pd.DataFrame) -> go.Figure | None:
    if df.empty:
        return None
    df = df.assign(body=df.body.map(escape))  # plotly reads labels as pseudo-HTML
    order = list(dict.fromkeys(df.body))[::-1]  # most tasked at the top
    fig = go.Figure()
    for role, part in df.groupby("role", sort=True):
        fig.add_bar(y=part.body, x=part.tasks, name=_label("role", role), orientation="h",
                    hovertemplate="%{y}: %{x} (%{fullData.name})<extra></extra>")
    top = df.groupby("body").tasks.sum().max()
    fig.update_layout(barmode="stack", xaxis=dict(title=_t("report_tasks_axis"), **_integer_axis(top)),
                      yaxis=dict(categoryorder="array", categoryarray=order, automargin=True),
                      height=max(320, 28 * len(order) + 120))
    return fig


def fig_groups(df: pd.DataFrame) -> go.Figure | None:
    if df.empty:
        return None
    fig = go.Figure()
    totals = df.groupby("code").documents.sum()
    for code in sorted(totals.index, key=lambda c: (-totals[c], c)):  # the most named first
        part = df[df.code == code]
        fig.add_bar(x=part.year, y=part.documents, name=_label("group", code),
                    hovertemplate="%{fullData.name} %{x}: %{y} documents<extra></extra>")
    top = df.groupby("year").documents.sum().max()
    # the legend below the chart, in rows: a column of 22 groups beside it needed a scrollbar
    fig.update_layout(barmode="stack", xaxis=_year_axis(df.year),
                      yaxis=dict(title=_t("report_groups_axis"), **_integer_axis(top)),
                      colorway=plotly.colors.qualitative.Dark24,  # a colour of its own per group
                      legend=dict(orientation="h", traceorder="normal", y=-0.25, yanchor="top"),
                      height=520, margin=dict(b=40))
    return fig


# a click on a deadline opens its document's page (customdata[0] is the relative link)
_OPEN_ON_CLICK = """
document.getElementById('{plot_id}').on('plotly_click', function (e) {
  var link = e.points[0].customdata && e.points[0].customdata[0];
  if (link) { window.location.href = link; }
});"""


def chart(fig: go.Figure | None, div_id: str, empty: str, clickable: bool = False) -> str:
    """The chart's div and script, or a "no data" panel saying what is missing."""
    if fig is None:
        return f'<div class="nodata" id="{div_id}">{escape(_t("report_no_data"))}: {escape(empty)}</div>'
    fig.update_layout(template="plotly_white", font=dict(size=13), margin=dict(t=40))
    if fig.layout.legend.orientation is None:
        fig.update_layout(legend=dict(orientation="h", traceorder="normal"))
    return pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                       config=_CONFIG, default_height=f"{fig.layout.height or 420}px",
                       post_script=_OPEN_ON_CLICK if clickable else None)


# --------------------------------------------------------------------------- page

_CSS = """
body { font: 15px/1.45 -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif;
       margin: 1.5rem 2rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ddd; }
.sub { color: #666; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .4rem .9rem; min-width: 7rem; }
.card b { display: block; font-size: 1.4rem; }
.nodata { border: 1px dashed #bbb; border-radius: 6px; padding: 2rem; color: #666;
          text-align: center; background: #fafafa; }
table { border-collapse: collapse; font-size: 13px; }
td, th { border: 1px solid #ddd; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; }
.more { color: #666; }
"""


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "<td>—</td>"
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    return f"<td>{escape(str(value))}</td>"


def _link(pages: str, doc_id: str, label: str) -> str:
    return f'<a href="{escape(pages)}/{escape(doc_id)}.html">{escape(label)}</a>'


def _cards(n: dict[str, int]) -> str:
    shown = ("documents", "obligations", "directives", "deadlines", "risk_groups",
             "references", "agencies", "errors")
    items = "".join(f'<div class="card"><b>{n[k]:,}</b>{escape(_t("card_" + k))}</div>'
                    for k in shown)
    return f'<div class="cards">{items}</div>'


def _more(total: int, shown: int) -> str:
    return f'<p class="more">{escape(_t("report_more", n=f"{total - shown:,}"))}</p>' if total > shown else ""


def deadline_table(df: pd.DataFrame, pages: str) -> str:
    if df.empty:
        return ""
    kinds = labels("kind")
    rows = []
    for r in df.head(LISTED_ROWS).itertuples():
        rows.append(f"<tr>{_cell(r.deadline)}{_cell(r.start_date)}{_cell(kinds.get(r.kind, r.kind))}"
                    f"<td>{escape(' '.join(r.text.split()))}</td>{_cell(r.bodies)}"
                    f"<td>{_link(pages, r.doc_id, _doc_label(r))}</td></tr>")
    keys = ("report_date", "report_from", "kind", "report_as_printed", "report_bodies_by_then", "report_document")
    head = "<tr>" + "".join(f"<th>{escape(_t(k))}</th>" for k in keys) + "</tr>"
    # folded under the chart: a long list must not push the other charts down the page
    return (f"<details><summary>{escape(_t('report_deadline_list', n=f'{len(df):,}'))}</summary>"
            f"<table>{head}{''.join(rows)}</table>{_more(len(df), LISTED_ROWS)}</details>")


def documents_table(df: pd.DataFrame, pages: str) -> str:
    if df.empty:
        return f'<div class="nodata">{escape(_t("report_no_data"))}: {escape(_t("report_no_documents"))}</div>'
    head = "<tr>" + "".join(f"<th>{escape(_t(k))}</th>" for k in (
        "report_document", "report_source", "issuer", "report_issued", "subject", "report_obligations",
        "deadlines", "report_references", "groups")) + "</tr>"
    rows = []
    for r in df.itertuples():
        rows.append(f"<tr><td>{_link(pages, r.doc_id, _doc_label(r))}</td>{_cell(r.source)}"
                    f"{_cell(r.issuer)}{_cell(r.issue_date)}{_cell(r.subject)}"
                    f"{_cell(int(r.obligations))}{_cell(int(r.deadlines))}"
                    f"{_cell(int(r.references))}{_cell(int(r.groups))}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def errors_table(df: pd.DataFrame) -> str:
    if df.empty:
        return f"<p>{escape(_t('report_no_errors'))}</p>"
    rows = [f"<tr>{_cell(r.source)}{_cell(r.stage)}{_cell(r.reason)}</tr>"
            for r in df.head(LISTED_ROWS).itertuples()]
    head = "<tr>" + "".join(f"<th>{escape(_t(k))}</th>" for k in ("report_source", "report_stage",
                                                                    "report_reason")) + "</tr>"
    return f"<table>{head}{''.join(rows)}</table>{_more(len(df), LISTED_ROWS)}"


def render_report(con: duckdb.DuckDBPyConnection, title: str, pages: str,
                  top: int = TOP_AGENCIES) -> tuple[str, int, int]:
    """The report page, and how many charts it has and how many of them had no data."""
    n = counts(con)
    deadlines = deadlines_between(con)  # every deadline, recurring ones last
    charts = [  # heading, div id, figure (None: no data), what is missing, what follows
        (_t("report_documents_chart"), "chart-documents", fig_documents(documents_by_type_year(con)),
         _t("report_no_documents"), ""),
        (_t("report_deadlines_chart"), "chart-deadlines", fig_deadlines(deadlines, pages),
         _t("report_no_deadlines"), deadline_table(deadlines, pages)),
        (_t("report_agencies_chart", top=top), "chart-agencies", fig_agencies(tasks_per_agency(con, top)),
         _t("report_no_agencies"), ""),
        (_t("report_groups_chart"), "chart-groups", fig_groups(groups_per_year(con)), _t("report_no_groups"), ""),
    ]
    sections = "".join(
        f"<h2>{escape(heading)}</h2>\n"
        f"{chart(fig, div_id, missing, clickable=div_id == 'chart-deadlines')}\n{after}\n"
        for heading, div_id, fig, missing, after in charts)
    empty = sum(fig is None for _, _, fig, _, _ in charts)
    page = (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"{GENERATOR_META}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n"
        f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>\n'
        f"</head>\n<body>\n<h1>{escape(title)}</h1>\n"
        f'<p class="sub">{escape(_t("report_sub"))}</p>\n{_cards(n)}\n'
        f"{sections}<h2>{escape(_t('documents'))}</h2>\n{documents_table(document_list(con), pages)}\n"
        f"<h2>{escape(_t('report_errors'))}</h2>\n{errors_table(error_list(con))}\n</body>\n</html>\n"
    )
    return page, len(charts), empty


# --------------------------------------------------------------------------- document pages


def _span(row: dict[str, Any]) -> dict[str, Any]:
    return {"text": row["text"], "start": row["start"], "end": row["end"], "stage": row["stage"]}


def extraction_from_rows(doc: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> Extraction:
    """The Extraction a document's stored rows stand for (what ``render_html`` draws)."""
    info = DocumentInfo()
    for h in doc.get("header_spans") or []:
        if h["field"] in DocumentInfo.FIELDS:
            setattr(info, h["field"], Field(h["value"], h["text"], h["start"], h["end"]))
    return Extraction(
        text=doc["text"], document=info, warnings=list(doc.get("warnings") or []),
        references=[Reference(doc_type=r["doc_type"], number=r["number"], symbol=r["symbol"],
                              date=r["date"], issuer=r["issuer"], mentions=r["mentions"], **_span(r))
                    for r in rows.get("references", [])],
        recipients=[Recipient(name=r["name"], kind=r["kind"], note=r["note"],
                              canonical=r["canonical"], agency_id=r["agency_id"], **_span(r))
                    for r in rows.get("recipients", [])],
        directives=[Directive(index=r["directive"], task=r["task"],
                              section_number=r["section_number"],
                              section_heading=r["section_heading"], deadline=r["deadline"],
                              groups=tuple(r["groups"] or ()), **_span(r))
                    for r in rows.get("directives", [])],
        obligations=[Obligation(assignee=r["assignee"], role=r["role"], directive=r["directive"],
                                task=r["task"], deadline=r["deadline"],
                                groups=tuple(r["groups"] or ()), canonical=r["canonical"],
                                agency_id=r["agency_id"], **_span(r))
                     for r in rows.get("obligations", [])],
        risk_groups=[RiskGroup(code=r["code"], **_span(r)) for r in rows.get("risk_groups", [])],
        deadlines=[Deadline(date=r["date"], kind=r["kind"], start_date=r["start_date"], **_span(r))
                   for r in rows.get("deadlines", [])],
    )


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=False)) for row in cur.fetchall()]


def _rows_of(con: duckdb.DuckDBPyConnection, table: str, ids: list[str]) -> dict[str, list[dict]]:
    """The rows of ``table`` for these documents, by doc_id, in document order."""
    # no ORDER BY: DuckDB keeps the stored order, which is the extraction's
    rows = _dicts(con, f'SELECT * FROM "{table}" WHERE list_contains(?, doc_id)', [ids])
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    return by_doc


def _renderer_version() -> str:
    """Changes when the code that draws a page does: a page is redrawn then."""
    from . import __version__, render

    return f"{__version__}:{hashlib.sha256(Path(render.__file__).read_bytes()).hexdigest()[:12]}"


def _fingerprint(doc: dict[str, Any], rows: dict[str, list[dict[str, Any]]], extra: str) -> str:
    """What a document's page is drawn from: its rows, the back link, the renderer."""
    data = json.dumps([doc, rows, extra], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def write_pages(con: duckdb.DuckDBPyConnection, folder: Path, back: str,
                on_page: Callable[[int, int], None] | None = None) -> tuple[int, int, int]:
    """One highlighted page per document in ``folder``; (pages, bytes, pages drawn).
    A page whose rows did not change since the last report is kept, not drawn again
    (a page takes a few ms: most of a report's time); stale pages go. ``on_page(done,
    total)`` is called after each document (a progress display)."""
    from .render import render_html  # spaCy loads only when pages are made

    folder.mkdir(exist_ok=True)
    (folder / EXPORT_MARK).touch()  # a run over the folder it lands in skips it
    manifest = folder / _MANIFEST
    try:
        known = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
    prints: dict[str, str] = {}
    size = drawn = 0
    nav = f'<p><a href="{escape(back)}">← {escape(_t("report_back"))}</a></p>\n'
    version = _renderer_version() + nav
    for i in range(0, len(ids), PAGE_CHUNK):
        chunk = ids[i:i + PAGE_CHUNK]
        docs = _dicts(con, "SELECT * FROM documents WHERE list_contains(?, doc_id)", [chunk])
        rows = {t: _rows_of(con, t, chunk) for t in _SPAN_TABLES}
        for doc in docs:
            own = {t: rows[t].get(doc["doc_id"], []) for t in _SPAN_TABLES}
            name = f"{doc['doc_id']}.html"
            prints[name] = _fingerprint(doc, own, version)
            path = folder / name
            if known.get(name) == prints[name] and path.is_file():
                size += path.stat().st_size
                if on_page is not None:
                    on_page(len(prints), len(ids))
                continue
            x = extraction_from_rows(doc, own)
            page = render_html(x, doc["source"]).replace("<body>\n", "<body>\n" + nav, 1)
            data = page.encode("utf-8")
            path.write_bytes(data)
            size += len(data)
            drawn += 1
            if on_page is not None:
                on_page(len(prints), len(ids))
    for old in folder.iterdir():  # pages of documents no longer in the output
        if _PAGE_NAME.fullmatch(old.name) and old.name not in prints:
            old.unlink()
    tmp = folder / f".{_MANIFEST}.tmp"
    tmp.write_text(json.dumps(prints, sort_keys=True), encoding="utf-8")
    os.replace(tmp, manifest)
    return len(prints), size, drawn


def build(out_dir: Path | str, html: Path, top: int = TOP_AGENCIES,
          on_page: Callable[[int, int], None] | None = None) -> Report:
    """Write the report page ``html`` and its document pages beside it in ``<stem>_files/``
    (``on_page``: see :func:`write_pages`)."""
    con = open_output(out_dir)
    if not html.parent.is_dir():  # a typo in the path should not create folders
        raise FileNotFoundError(errno.ENOENT, f"no folder {html.parent}", str(html))
    pages_dir = html.parent / f"{html.stem}_files"
    pages = quote(pages_dir.name)
    n_pages, page_bytes, drawn = write_pages(con, pages_dir, "../" + quote(html.name), on_page)
    page, n_charts, empty = render_report(con, f"congvan report: {out_dir}", pages, top)
    html.write_text(page, encoding="utf-8")
    n = counts(con)
    return Report(html, n["documents"], n["errors"], n_charts, empty, n_pages, page_bytes,
                  pages_dir, drawn)
