"""``congvan serve``: a local web application over the tables of a run, read-only.

Starlette routes render Jinja2 pages (autoescaped) from the questions of ``browse``;
every list is one page of a DuckDB query, so the archive is never loaded whole. The
pages load nothing from elsewhere (one stylesheet of this package, no script, a
Content-Security-Policy of ``'self'``), and interface text comes from
``models/interface_labels.tsv``. Every URL holds its whole state (filters, sort, page),
so a view can be shared and bookmarked; ``format=csv`` or ``format=xlsx`` exports it.

>>> app = create_app("data/processed")   # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1")   # doctest: +SKIP
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import browse
from .browse import BadRequest, DeadlineFilter, DocumentFilter
from .mark import Mark, highlight
from .query import interface_texts, labels, plain_value
from .rows import GENERATOR
from .snapshot import open_snapshot

LOG = logging.getLogger("congvan.serve")
HEADERS = {  # nothing from another origin, no framing, no sniffing
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
}
# what the text view marks (directives are listed beside it: they span whole sections)
MARKS = ("field", "reference", "recipient", "obligation", "group", "deadline")
HEADER_FIELDS = ("doc_type", "number", "symbol", "issuer", "place", "issue_date", "subject", "signer")


class Texts:
    """Labels for templates (``t.documents``, ``t['sort_' ~ key]``): a missing key shows
    as itself, never a blank. Not a dict: ``t.clear`` must be a label, not a method."""

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table

    def __getattr__(self, key: str) -> str:
        return self._table.get(key, key)

    def __getitem__(self, key: str) -> str:
        return self._table.get(key, key)


def vi_date(iso: object) -> str:
    """``2023-08-15`` as ``15/08/2023``, ``2023-08`` as ``08/2023``; other values as text."""
    value = plain_value(iso)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{parts[1]}/{parts[0]}"
    return text


def vi_month(month: object) -> str:
    return vi_date(month) if month else interface_texts().get("unknown", "")


# ---------------------------------------------------------------- the marked text


def _spans(doc: dict[str, Any], rows: dict[str, list[dict[str, Any]]], t: Texts,
           group_labels: dict[str, str]) -> list[Mark]:
    out = []
    for h in doc.get("header_spans") or []:
        if h.get("field") in HEADER_FIELDS and h.get("start") is not None:
            out.append(Mark(h["start"], h["end"], "field", f"{t[h['field']]}: {h.get('value') or h.get('text')}"))
    for r in rows["references"]:
        name = f"{r.get('number') or ''}/{r['symbol']}"
        out.append(Mark(r["start"], r["end"], "reference", f"{t.mark_reference}: {name}"))
    for r in rows["recipients"]:
        out.append(Mark(r["start"], r["end"], "recipient", f"{t.mark_recipient}: {r['name']}"))
    for o in rows["obligations"]:
        out.append(Mark(o["start"], o["end"], "obligation", f"{t.mark_obligation}: {o['body']} ({o['role']})"))
    for g in rows["risk_groups"]:
        out.append(Mark(g["start"], g["end"], "group", f"{t.mark_group}: {group_labels.get(g['code'], g['code'])}"))
    for d in rows["deadlines"]:
        out.append(Mark(d["start"], d["end"], "deadline", f"{t.mark_deadline}: {vi_date(d['date']) or d['text']}"))
    return out


# ---------------------------------------------------------------- exports


def _export(frame: pd.DataFrame, fmt: str, name: str) -> Response:
    """A view's whole result as CSV (UTF-8 with BOM, formula-safe) or a workbook."""
    if fmt == "csv":
        from .query import csv_frame

        body = csv_frame(frame).to_csv(index=False).encode("utf-8-sig")
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    from .export import frame_xlsx

    return Response(frame_xlsx(frame, name), headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---------------------------------------------------------------- the application


class Explorer:
    """The routes over one output folder; one DuckDB connection, one query at a time."""

    def __init__(self, tables: str | Path, cache: Path | None = None,
                 on_build: Callable[[], None] | None = None) -> None:
        self.tables = str(tables)
        self.con = open_snapshot(tables, cache, on_build)  # NoOutput when there is nothing to serve
        self.choices = browse.choices(self.con)  # the archive does not change while it is served
        self.charted: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
        self.lock = threading.Lock()
        folder = files("congvan") / "templates"
        self.env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html"]))
        self.labels = {name: labels(name) for name in ("role", "kind", "group")}
        self.t = Texts(interface_texts())
        self.env.globals.update(t=self.t, labels=self.labels, vi_date=vi_date, vi_month=vi_month,
                                generator=GENERATOR)

    # ------------------------------------------------------------ helpers
    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        def here(**changes: Any) -> str:
            params = dict(request.query_params)
            for key, value in changes.items():
                if value is None:
                    params.pop(key, None)
                else:
                    params[key] = str(value)
            return request.url.path + ("?" + urlencode(params) if params else "")

        context.setdefault("body_query", "")
        def url_for(name: str, **params: Any) -> str:  # a path: links stay on this server
            return str(request.url_for(name, **params).path)

        body = self.env.get_template(template).render(url_for=url_for, here=here,
                                                      args=request.query_params, **context)
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    def ask(self, question: Callable[..., Any], *args: Any) -> Any:
        with self.lock:
            return question(self.con, *args)

    # ------------------------------------------------------------ routes
    def home(self, request: Request) -> Response:
        return self.page(request, "home.html", counts=self.ask(browse.counts), tables=self.tables)

    def documents(self, request: Request) -> Response:
        q = request.query_params
        f = DocumentFilter(doc_type=q.get("type", ""), issuer=q.get("issuer", ""), year=q.get("year", ""),
                           province=q.get("province", ""), group=q.get("group", ""), q=q.get("q", ""),
                           sort=q.get("sort", "date"), descending=_order(q.get("order", "desc")))
        fmt = _format(q)
        if fmt:
            return _export(self.ask(browse.documents_all, f), fmt, "van-ban")
        return self.page(request, "documents.html", active="documents", f=f, sorts=browse.SORTS,
                         choices=self.choices, page=self.ask(browse.documents, f, _page_number(q)))

    def document(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        found = self.ask(browse.document, doc_id)
        if found is None:
            raise HTTPException(404, f"không có văn bản {doc_id} trong kho")
        doc, rows = found["doc"], found["rows"]
        t = self.t
        marked = highlight(doc["text"], _spans(doc, rows, t, self.labels["group"]))
        name = f"{doc.get('number') or ''}/{doc['symbol']}" if doc.get("symbol") else (doc.get("number") or "")
        return self.page(request, "document.html", active="documents", doc=doc, rows=rows, highlighted=marked,
                         doc_name=name, marks=MARKS, cites=self.ask(browse.cites, doc_id),
                         cited_by=self.ask(browse.cited_by, doc_id),
                         groups=list(dict.fromkeys(g["code"] for g in rows["risk_groups"])))

    def bodies(self, request: Request) -> Response:
        name = request.query_params.get("q", "").strip()
        found = self.ask(browse.bodies, name) if name else []
        fmt = _format(request.query_params)
        if fmt:
            return _export(pd.DataFrame(found, columns=["body", "score", "tasks"]), fmt, "co-quan")
        return self.page(request, "bodies.html", active="bodies", body_query=name, found=found)

    def tasks(self, request: Request) -> Response:
        q = request.query_params
        body = q.get("body", "").strip()
        if not body:
            raise BadRequest("hãy chọn một cơ quan (tham số body)")
        fmt = _format(q)
        if fmt:
            return _export(self.ask(browse.tasks_all, body), fmt, "nhiem-vu")
        return self.page(request, "tasks.html", active="bodies", body=body,
                         page=self.ask(browse.tasks, body, _page_number(q)))

    def deadlines(self, request: Request) -> Response:
        q = request.query_params
        as_of = browse.day(q.get("as_of")) or self.ask(browse.newest_date)
        f = DeadlineFilter(start=browse.day(q.get("from")), end=browse.day(q.get("to"), end=True),
                           province=q.get("province", ""), body=q.get("body", ""), kind=q.get("kind", ""),
                           as_of=as_of)
        fmt = _format(q)
        if fmt:
            return _export(self.ask(browse.deadlines_all, f), fmt, "thoi-han")
        return self.page(request, "deadlines.html", active="deadlines", f=f, as_of_text=vi_date(as_of),
                         page=self.ask(browse.deadlines, f, _page_number(q)))

    def charts(self, request: Request) -> Response:
        by = request.query_params.get("by", "year")
        t = self.t
        if by not in self.charted:  # the copy does not change: each chart is counted once
            self.charted[by] = (self.ask(browse.groups_by, by), self.ask(browse.bodies_by, by))
        groups, tasked = self.charted[by]
        fmt = _format(request.query_params)
        if fmt:  # both charts' numbers, one row a bar
            rows = pd.concat([groups.assign(chart="groups").rename(columns={"code": "label", "documents": "value"}),
                              tasked.assign(chart="bodies").rename(columns={"body": "label", "tasks": "value"})])
            return _export(rows[["chart", "part", "label", "value"]], fmt, f"bieu-do-{by}")
        charts = [
            {"id": "chart-groups", "title": t[f"groups_by_{by}"],
             "blocks": _bars(groups, "code", "documents", self.labels["group"])},
            {"id": "chart-bodies", "title": t[f"bodies_by_{by}"], "blocks": _bars(tasked, "body", "tasks", {})},
        ]
        return self.page(request, "charts.html", active="charts", by=by, charts=charts)

    # ------------------------------------------------------------ errors
    def problem(self, request: Request, exc: Exception) -> Response:
        t = self.t
        if isinstance(exc, BadRequest):
            return self.page(request, "error.html", 400, heading=t.bad_request, message=str(exc))
        if isinstance(exc, HTTPException) and exc.status_code == 404:
            return self.page(request, "error.html", 404, heading=t.not_found, message=exc.detail)
        if isinstance(exc, HTTPException):
            return self.page(request, "error.html", exc.status_code, heading=t.bad_request, message=exc.detail)
        LOG.error("while answering %s", request.url, exc_info=exc)  # the page says no more than that
        return self.page(request, "error.html", 500, heading=t.server_error, message=type(exc).__name__)


def _bars(frame: pd.DataFrame, label: str, value: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of (part, label, value) as one block of bars per part, widths in percent
    of the largest value of the chart."""
    if frame.empty:
        return []
    top = max(int(frame[value].max()), 1)
    blocks = []
    for by, rows in frame.groupby("part", sort=False, dropna=False):
        shown = by if isinstance(by, str) and by else interface_texts().get("unknown", "")
        bars = [{"label": names.get(r[label], r[label]), "value": int(r[value]),
                 "width": round(100 * int(r[value]) / top, 1)} for _, r in rows.iterrows()]
        blocks.append({"by": shown, "bars": bars})
    return blocks


def _page_number(q: Any) -> int:
    text = q.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(f"số trang {text!r} phải là số nguyên từ 1")
    return int(text)


def _order(text: str) -> bool:
    if text not in ("asc", "desc"):
        raise BadRequest(f"thứ tự {text!r}: chọn asc hoặc desc")
    return text == "desc"


def _format(q: Any) -> str | None:
    fmt = q.get("format")
    if fmt not in (None, "", "csv", "xlsx"):
        raise BadRequest(f"không xuất được dạng {fmt!r}: chọn csv hoặc xlsx")
    return fmt or None


def create_app(tables: str | Path, cache: Path | None = None,
               on_build: Callable[[], None] | None = None) -> Starlette:
    """The explorer over the output folder (or URL) ``tables``, reading its copy in
    ``cache`` (see ``snapshot``; ``on_build`` is told before one is made);
    ``query.NoOutput`` when it holds nothing to serve."""
    explorer = Explorer(tables, cache, on_build)
    routes = [
        Route("/", explorer.home, name="home"),
        Route("/documents", explorer.documents, name="documents"),
        Route("/documents/{doc_id}", explorer.document, name="document"),
        Route("/bodies", explorer.bodies, name="bodies"),
        Route("/tasks", explorer.tasks, name="tasks"),
        Route("/deadlines", explorer.deadlines, name="deadlines"),
        Route("/charts", explorer.charts, name="charts"),
        Mount("/static", app=StaticFiles(directory=str(files("congvan") / "static")), name="static"),
    ]
    handlers: dict[Any, Callable] = {BadRequest: explorer.problem, HTTPException: explorer.problem,
                                     Exception: explorer.problem}
    return Starlette(routes=routes, exception_handlers=handlers)


def serve(tables: str | Path, host: str = "127.0.0.1", port: int = 8000, cache: Path | None = None,
          on_build: Callable[[], None] | None = None) -> None:
    """Run the explorer until Ctrl-C (uvicorn)."""
    import uvicorn

    uvicorn.run(create_app(tables, cache, on_build), host=host, port=port, log_level="warning")

