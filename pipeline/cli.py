"""The ``congvan`` command line: it parses arguments and prints, nothing more.

The archive run is ``run.run_archive``; reading, the engines and writing are
``read``, ``parallel`` and ``write``; the extraction itself is the pure ``extract``
core; the questions are ``query`` and ``export``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .extract import extract
from .models import ErrorRecord, Extraction, SourceDoc
from .parallel import MEMORY_MB, TIME_LIMIT, default_workers
from .read import iter_inputs, printable, read_file
from .rows import TABLE_NAMES
from .run import Interrupted, RunError, RunOptions, RunStats, count_inputs, run_archive
from .storage import is_url

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

MAIN_HELP = """\
congvan reads Vietnamese administrative documents (công văn, kế hoạch, quyết
định, chỉ thị, thông báo and news posts about them) and extracts their number
and symbol, dates, cited documents, recipients, tasks and deadlines.

examples:
  congvan run data/raw --out data/processed
  congvan extract data/raw/s01.txt
  congvan evaluate ../shared/corpus/dev --show references
  congvan show data/raw/s02.txt --html s02.html
  congvan report --html report.html
  congvan query "SELECT doc_type, count(*) FROM documents GROUP BY ALL"
  congvan tasks --agency "Công an tỉnh"
  congvan export --xlsx report.xlsx
"""


def _process(item: SourceDoc | ErrorRecord) -> tuple[SourceDoc | ErrorRecord, Extraction | None]:
    """Extract one read document; an exception becomes an error record, never a crash."""
    if isinstance(item, ErrorRecord):
        return item, None
    try:
        return item, extract(item.text)
    except Exception as exc:  # one broken document never stops a batch
        return ErrorRecord(item.source, "extract", f"{type(exc).__name__}: {exc}"), None


def _results(inputs: list[str], ocr: bool = True) -> Iterator[tuple[SourceDoc | ErrorRecord, Extraction | None]]:
    for item in iter_inputs(inputs, ocr):
        yield _process(printable(item))


def cmd_run(args: argparse.Namespace) -> int:
    out = _out(args.out)
    options = RunOptions(out=out, workers=args.workers, batch=args.batch, force=args.force,
                         prune=args.prune, engine=args.engine, scheduler=args.scheduler,
                         time_limit=args.time_limit, memory_limit=args.memory_limit, ocr=args.ocr)
    problem = options.problem() or (_unwritable(Path(args.summary_json)) if args.summary_json else None)
    if problem:
        print(f"congvan run: {problem}", file=sys.stderr)
        return EXIT_USAGE
    progress = None if args.quiet else _Progress(args.inputs)
    try:
        result = run_archive(args.inputs, options, progress)
    except RunError as exc:
        if progress is not None:
            progress.close()
        print(f"congvan run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Interrupted as exc:
        if progress is not None:
            progress.close()
        print(f"congvan run: {exc}. Start the same command again to go on: what is committed "
              "is skipped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    if progress is not None:
        progress.close(result.stats)
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(result.summary, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    if not args.quiet:
        _print_summary(result.summary, result.paths)
    if result.stats.documents == 0 and result.stats.skipped == 0:
        print("congvan: nothing could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    return EXIT_OK


class _Progress:
    """The run's bar: inputs done of all (counted by a thread while the run starts: a
    listing, no file read), with extracted, errors and unchanged apart. Error lines
    are written above it; it appears with the first input, so a run that cannot
    start prints none."""

    def __init__(self, inputs: list[str]) -> None:
        import threading

        self.bar: tqdm | None = None
        self.total: list[int] = []
        threading.Thread(target=self._count, args=(inputs,), name="congvan-count", daemon=True).start()

    def _count(self, inputs: list[str]) -> None:
        with contextlib.suppress(Exception):  # no total then: the bar counts up
            self.total.append(count_inputs(inputs))

    def __call__(self, item: SourceDoc | ErrorRecord, stats: RunStats) -> None:
        if self.bar is None:
            self.bar = tqdm(unit=" input", file=sys.stderr, mininterval=0.5, smoothing=0.1)
        bar = self.bar
        if isinstance(item, ErrorRecord):
            bar.write(f"error: {item.source}: [{item.stage}] {item.reason}", file=sys.stderr)
        if self.total and (bar.total is None or bar.n >= bar.total):
            # the count sees a zip inside a zip as one input: past it, the total grows
            bar.total = max(self.total[0], bar.n + 1)
        bar.update(1)
        if isinstance(item, ErrorRecord) or bar.n % 25 == 0:
            bar.set_postfix_str(_progress_note(stats), refresh=False)

    def close(self, stats: RunStats | None = None) -> None:
        if self.bar is None:
            return
        if stats is not None:  # the last figures, all inputs met
            self.bar.total = self.bar.n
            self.bar.set_postfix_str(_progress_note(stats), refresh=False)
        self.bar.close()


def _screen_width(args: argparse.Namespace) -> int:
    """The terminal's width when a table goes to it; 0 (no limit) into a file or a pipe."""
    if args.output or not sys.stdout.isatty():
        return 0
    import shutil

    return shutil.get_terminal_size().columns


def _progress_note(stats: RunStats) -> str:
    pages = f", {stats.ocr_pages} pages by OCR" if stats.ocr_pages else ""
    return (f"{stats.documents} extracted, {stats.errors} errors, {stats.skipped} unchanged{pages}, "
            f"{stats.rates()[1]:.2f} MB/s")


def _unwritable(path: Path) -> str | None:
    """Why a file cannot be written at ``path``, checked before a run, not after it."""
    if path.is_dir():
        return f"--summary-json {path}: is a folder"
    parent = path.parent
    if not parent.is_dir():
        return f"--summary-json {path}: no such folder {parent}"
    if not os.access(parent, os.W_OK) or path.exists() and not os.access(path, os.W_OK):
        return f"--summary-json {path}: permission denied"
    return None


def _print_summary(summary: dict, paths: dict[str, str]) -> None:
    print(f"documents extracted: {summary['documents']}   unchanged, skipped: "
          f"{summary['unchanged_skipped']}   errors: {summary['errors']}   "
          f"({summary['seconds']:.1f} s, {summary['documents_per_s']:.1f} docs/s, "
          f"{summary['mb_per_s']:.2f} MB/s)")
    for name, path in paths.items():
        print(f"  {name:<12} {summary['rows_written'][name]:>8} new rows "
              f"{summary['rows_total'][name]:>9} in all  {path}/")


def cmd_extract(args: argparse.Namespace) -> int:
    n_docs = 0
    for item, extraction in _results(args.files, args.ocr):
        if isinstance(item, ErrorRecord):
            obj = {"source": item.source, "error": {"stage": item.stage, "reason": item.reason}}
        else:
            assert extraction is not None  # _process pairs every SourceDoc with one
            n_docs += 1
            obj = {"source": item.source, **extraction.to_json()}
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return EXIT_OK if n_docs else EXIT_NOTHING_READ


def cmd_evaluate(args: argparse.Namespace) -> int:
    gold_dir = Path(args.gold_dir)
    if not gold_dir.is_dir():
        print(f"congvan evaluate: not a folder: {gold_dir}", file=sys.stderr)
        return EXIT_USAGE
    try:
        from .evaluate import evaluate_dir, format_report

        report = evaluate_dir(gold_dir, lambda text: extract(text).to_json(), args.part)
        print(format_report(report, args.show))
    except ValueError as exc:
        print(f"congvan evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .query import NoOutput
    from .serve import serve

    if not 0 < args.port < 65536:
        print(f"congvan serve: --port {args.port}: expected 1-65535", file=sys.stderr)
        return EXIT_USAGE
    def building() -> None:
        print("congvan serve: copying the tables into one file for fast questions (once for each "
              "state of the archive; a million documents take a few minutes) ...", file=sys.stderr)

    print(f"congvan serve: http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    try:
        serve(_out(args.out), args.host, args.port, Path(args.cache) if args.cache else None, building)
    except NoOutput as exc:
        print(f"congvan serve: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.missing else EXIT_NOTHING_READ
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    item, extraction = _process(printable(read_file(args.file)))
    if isinstance(item, ErrorRecord):
        print(f"congvan show: {item.source}: [{item.stage}] {item.reason}", file=sys.stderr)
        return EXIT_NOTHING_READ
    assert extraction is not None  # _process pairs every SourceDoc with one
    from .annotate import to_doc  # spaCy loads only for this command
    from .render import render_html, render_text

    doc = to_doc(extraction)
    if args.html is None:
        sys.stdout.write(render_text(doc))
        return EXIT_OK
    out = Path(args.html)
    try:
        out.write_text(render_html(doc, Path(item.source).name), encoding="utf-8")
    except OSError as exc:
        print(f"congvan show: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    n_spans = sum(len(group) for group in doc.spans.values())
    print(f"{out}: {n_spans} spans")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    if args.top < 1:
        print("congvan report: --top must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from .query import NoOutput
    from .report import build  # plotly and spaCy load only for this command

    html = Path(args.html)
    # the document pages are most of a report's time: their count, done of all
    bar = tqdm(unit=" trang", desc="trang văn bản", file=sys.stderr, mininterval=0.5, disable=args.quiet,
               delay=0.5)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = build(_out(args.out), html, top=args.top, on_page=progress)
    except NoOutput as exc:
        bar.close()
        print(f"congvan report: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.missing else EXIT_NOTHING_READ
    except OSError as exc:
        bar.close()
        print(f"congvan report: cannot write {exc.filename or html}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_USAGE
    bar.close()
    print(f"{report.html}: {report.documents} documents, {report.errors} errors, "
          f"{report.charts} charts ({report.empty_charts} without data), "
          f"{report.html.stat().st_size / 1e6:.1f} MB; {report.pages} document pages in "
          f"{report.pages_dir}/ ({report.page_bytes / 1e6:.1f} MB, {report.pages_drawn} drawn, "
          f"the others unchanged since the last report)")
    return EXIT_OK


def _add_report(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    rp = sub.add_parser(
        "report", formatter_class=fmt,
        help="write one static HTML page with charts about an output folder",
        description="Read the committed tables of DIR and write FILE: counts, documents by "
                    "type and year, a timeline of deadlines, the bodies tasked most often and "
                    "the target groups per year as charts (plotly, its script inlined: no "
                    "network needed), then a table of documents, each linked to its page "
                    "with every extracted span highlighted, written to FILE's folder as "
                    "<name>_files/<doc_id>.html. Links are relative: the page and its folder "
                    "can be moved or zipped together. Exits 1 when DIR holds no tables or "
                    "nothing in them, 2 when it does not exist.",
        epilog="examples:\n  congvan report --html report.html\n"
               "  congvan report --html out/report.html --tables out --top 30")
    rp.add_argument("--html", required=True, metavar="FILE", help="the page to write")
    rp.add_argument("--tables", "--out", dest="out", default="data/processed", metavar="DIR",
                    help="the tables to read: the output folder of `congvan run` "
                         "(default %(default)s; --out is the same option)")
    rp.add_argument("--top", type=int, default=20, metavar="N",
                    help="bodies shown in the tasks chart (default %(default)s)")
    rp.add_argument("--quiet", action="store_true", help="no progress bar while the pages are drawn")
    rp.set_defaults(func=cmd_report)


# ---------------------------------------------------------------- questions and exports
# query, tasks, deadlines, groups, citations, export: read-only over an output folder
# (pipeline/query.py, pipeline/export.py); duckdb loads only for these commands.

DEFAULT_OUT = "data/processed"
# what the text table shows of each canned answer (csv, json and parquet get every column)
_SHOWN = {
    "tasks": ["body", "role", "task", "deadline", "groups", "document", "issue_date", "issuer",
              "source"],
    "deadlines": ["deadline", "start_date", "kind", "text", "bodies", "document", "issuer",
                  "source"],
    "edges": ["citing_document", "citing_source", "cited_document", "cited_doc_type",
              "cited_issue_date", "cited_source", "text"],
    "unresolved": ["citing_document", "citing_source", "doc_type", "number", "symbol", "date",
                   "issuer"],
}


def _connect(command: str, out: str):
    """The output folder's views, or None after printing why not (and the exit code)."""
    from .query import NoOutput, connect

    try:
        return connect(out), EXIT_OK
    except NoOutput as exc:
        print(f"congvan {command}: {exc}", file=sys.stderr)
        return None, EXIT_USAGE if exc.missing else EXIT_NOTHING_READ


def _output_error(command: str, args: argparse.Namespace) -> int | None:
    """Options that cannot work together, found before any query runs."""
    if args.max_rows < 0 or args.max_width < 0:
        print(f"congvan {command}: --max-rows and --max-width must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "parquet" and not args.output:
        print(f"congvan {command}: --format parquet writes a file: give it with --output FILE",
              file=sys.stderr)
        return EXIT_USAGE
    return None


def _pipe_safe(command):
    """A reader that stops early (``| head``) ends the output, not with a traceback."""
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
    return run


def _emit(command: str, args: argparse.Namespace, frame, shown: list[str] | None = None) -> int:
    from .query import write_frame

    if args.format == "table" and shown:
        frame = frame[shown]
    try:
        write_frame(frame, args.format, args.output, args.max_rows, args.max_width, _screen_width(args))
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"congvan {command}: cannot write {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _note(args: argparse.Namespace, text: str) -> None:
    """A heading for the text table; on stderr when stdout carries data."""
    print(text, file=sys.stdout if args.format == "table" and not args.output else sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    if (code := _output_error("query", args)) is not None:
        return code
    from .query import QueryError, run_sql

    con, code = _connect("query", args.out)
    if con is None:
        return code
    try:
        result = run_sql(con, args.sql)
    except QueryError as exc:
        print(f"congvan query: {exc}", file=sys.stderr)
        return EXIT_NOTHING_READ
    if args.format == "parquet":  # straight from Arrow: the column types are kept
        import pyarrow.parquet as pq
        try:
            pq.write_table(result, args.output)
        except OSError as exc:
            print(f"congvan query: cannot write {args.output}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    return _emit("query", args, result.to_pandas())


def _matched_note(name: str, matched) -> str:
    """Which bodies matched: those with tasks by name, those without counted."""
    tasked = matched[matched.tasks > 0]
    names = "; ".join(f"{r.body} ({r.tasks} task{'s' if r.tasks != 1 else ''}, "
                      f"score {r.score:g})" for r in tasked.itertuples()) or "none with a task"
    idle = len(matched) - len(tasked)
    more = f" ({idle} more in the archive without a task)" if idle else ""
    return f"bodies matching {name!r}: {names}{more}"


def cmd_tasks(args: argparse.Namespace) -> int:
    if (code := _output_error("tasks", args)) is not None:
        return code
    if not args.agency.strip() or not 0 <= args.cutoff <= 100:
        print("congvan tasks: --agency needs a name and --cutoff a score from 0 to 100",
              file=sys.stderr)
        return EXIT_USAGE
    from .query import rank_agencies, tasks_of

    con, code = _connect("tasks", args.out)
    if con is None:
        return code
    ranked = rank_agencies(con, args.agency)
    matched = ranked[ranked.score >= args.cutoff]
    if matched.empty:
        near = ranked[ranked.score > 0].head(3)
        hint = "; ".join(f"{r.body} ({r.score:g})" for r in near.itertuples()) or "none"
        print(f"congvan tasks: no body matches {args.agency!r} (closest: {hint})",
              file=sys.stderr)
        return EXIT_NOTHING_READ
    _note(args, _matched_note(args.agency, matched))
    return _emit("tasks", args, tasks_of(con, args.agency, args.cutoff), _SHOWN["tasks"])


def cmd_deadlines(args: argparse.Namespace) -> int:
    if (code := _output_error("deadlines", args)) is not None:
        return code
    from .query import deadlines_between, parse_day

    try:
        start = parse_day(args.start) if args.start else None
        end = parse_day(args.end, end=True) if args.end else None
    except ValueError as exc:
        print(f"congvan deadlines: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if start and end and start > end:
        print(f"congvan deadlines: --to {end} is before --from {start}", file=sys.stderr)
        return EXIT_USAGE
    con, code = _connect("deadlines", args.out)
    if con is None:
        return code
    frame = deadlines_between(con, start, end)
    _note(args, f"deadlines from {start or 'the first'} to {end or 'the last'}: {len(frame)}")
    return _emit("deadlines", args, frame, _SHOWN["deadlines"])


def cmd_groups(args: argparse.Namespace) -> int:
    if (code := _output_error("groups", args)) is not None:
        return code
    from .query import groups_by_year

    con, code = _connect("groups", args.out)
    if con is None:
        return code
    return _emit("groups", args, groups_by_year(con))


def cmd_citations(args: argparse.Namespace) -> int:
    if (code := _output_error("citations", args)) is not None:
        return code
    from .query import citations, format_table

    con, code = _connect("citations", args.out)
    if con is None:
        return code
    edges, unresolved = citations(con)
    if args.format != "table" or args.output:
        frame = unresolved if args.unresolved else edges
        return _emit("citations", args, frame)
    if not args.unresolved:
        print(f"citations resolved to documents of the archive: {len(edges)}")
        print(format_table(edges[_SHOWN["edges"]], args.max_rows, args.max_width))
    print(f"references to documents not in the archive: {len(unresolved)}")
    sys.stdout.write(format_table(unresolved[_SHOWN["unresolved"]], args.max_rows, args.max_width))
    return EXIT_OK


def _out(text: str) -> Path | str:
    """An output folder as given: a URL stays a string (``Path`` would fold its ``//``)."""
    return text if is_url(text) else Path(text)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def cmd_export(args: argparse.Namespace) -> int:
    if not args.xlsx and not args.csv:
        print("congvan export: give --xlsx FILE and/or --csv DIR", file=sys.stderr)
        return EXIT_USAGE
    if args.xlsx and Path(args.xlsx).suffix.lower() != ".xlsx":
        print(f"congvan export: --xlsx {args.xlsx}: the file name must end in .xlsx",
              file=sys.stderr)
        return EXIT_USAGE
    for target in filter(None, (args.xlsx, args.csv)):
        if not is_url(args.out) and _inside(Path(target), Path(args.out)):
            print(f"congvan export: {target} is inside the output folder {args.out}, which "
                  "exports never write into: choose another place", file=sys.stderr)
            return EXIT_USAGE
    from .export import export_csv, export_xlsx

    con, code = _connect("export", args.out)
    if con is None:
        return code
    for target, write in ((args.xlsx, export_xlsx), (args.csv, export_csv)):
        if not target:
            continue
        try:
            counts = write(con, target)
        except OSError as exc:
            print(f"congvan export: cannot write {target}: {exc.strerror or exc}",
                  file=sys.stderr)
            return EXIT_USAGE
        print(f"{target}: " + ", ".join(f"{name} {rows}" for name, rows in counts.items()))
    return EXIT_OK


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tables", "--out", dest="out", default=DEFAULT_OUT, metavar="DIR",
                        help="the tables to read: the output folder of `congvan run` "
                             "(default %(default)s; --out is the same option)")
    parser.add_argument("--format", choices=["table", "vertical", "csv", "json", "parquet"], default="table",
                        help="an aligned text table (default), one field a line (vertical), CSV, "
                             "JSON Lines, or Parquet (needs --output)")
    parser.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--max-rows", type=int, default=100, metavar="N",
                        help="rows of the text table (default %(default)s; 0: all)")
    parser.add_argument("--max-width", type=int, default=60, metavar="N",
                        help="characters per cell of the text table, longer text is cut "
                             "with … (default %(default)s; 0: no limit)")


def _add_questions(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    views = ", ".join(TABLE_NAMES)
    q = sub.add_parser(
        "query", formatter_class=fmt, help="run DuckDB SQL over the output tables",
        description=f"Run one read-only SQL statement (DuckDB) over the committed tables of "
                    f"DIR, each a view by its name: {views}. \"references\" is a reserved "
                    "word: quote it or use the alias refs. Helpers: iso_lo(s)/iso_hi(s) (first "
                    "and last day of a partial ISO date such as 2019-07), doc_symbol(number, "
                    "symbol), doc_key(number, symbol). DIR is never written. A query DuckDB "
                    "refuses prints its message and exits 1; DIR missing exits 2, DIR "
                    "without tables 1.",
        epilog="examples:\n"
               "  congvan query \"SELECT doc_type, count(*) FROM documents GROUP BY ALL\"\n"
               "  congvan query \"SELECT * FROM refs WHERE doc_type = 'Kế hoạch'\" --format csv\n"
               "  congvan query \"SELECT * FROM obligations\" --format parquet --output ob.parquet")
    q.add_argument("sql", metavar="SQL")
    _add_output_options(q)
    q.set_defaults(func=_pipe_safe(cmd_query))

    t = sub.add_parser(
        "tasks", formatter_class=fmt, help="every task of a body (fuzzy on its name)",
        description="Every task of the bodies whose name matches NAME, with its document, "
                    "deadline and target groups. A name matches printed, expanded or "
                    "canonical (UBND, Sở TT&TT are expanded), accents and case do not "
                    "matter, and typos are forgiven (rapidfuzz); the bodies that matched "
                    "are listed first. No match exits 1 and names the closest bodies.",
        epilog="examples:\n  congvan tasks --agency \"Công an tỉnh\"\n"
               "  congvan tasks --agency \"so thong tin va truyen thong\" --format csv")
    t.add_argument("--agency", required=True, metavar="NAME")
    t.add_argument("--cutoff", type=float, default=85.0, metavar="SCORE",
                   help="lowest match score, 0-100 (default %(default)s)")
    _add_output_options(t)
    t.set_defaults(func=_pipe_safe(cmd_tasks))

    d = sub.add_parser(
        "deadlines", formatter_class=fmt, help="deadlines due within a period",
        description="Deadlines whose date falls between --from and --to (both included, "
                    "either may be left open), with the bodies tasked by that date and the "
                    "document. Dates: YYYY-MM-DD, DD/MM/YYYY, YYYY-MM, MM/YYYY or YYYY (a "
                    "month or year is its first day in --from, its last in --to). A deadline "
                    "printed to the month (2023-08) is due within the period when its month "
                    "meets it. Without --from and --to, every deadline, recurring ones too.",
        epilog="examples:\n  congvan deadlines --from 2023-08-01 --to 2023-09-30\n"
               "  congvan deadlines --from 01/07/2019 --to 31/12/2019 --format json")
    d.add_argument("--from", dest="start", metavar="DATE", help="first day of the period")
    d.add_argument("--to", dest="end", metavar="DATE", help="last day of the period")
    _add_output_options(d)
    d.set_defaults(func=_pipe_safe(cmd_deadlines))

    g = sub.add_parser(
        "groups", formatter_class=fmt, help="target groups counted by year and issuer",
        description="Target and risk groups (codes of RISK_GROUPS.md) by year of issue and "
                    "issuer: how many documents name each group, and how many times.",
        epilog="example:\n  congvan groups --format csv --output groups.csv")
    _add_output_options(g)
    g.set_defaults(func=_pipe_safe(cmd_groups))

    c = sub.add_parser(
        "citations", formatter_class=fmt, help="the citation graph of the archive",
        description="Which documents cite (implement) which: each reference resolved to a "
                    "document of the archive with the same number and symbol (the year and "
                    "date must not contradict), then the references to documents not in the "
                    "archive, with the citing document. --format csv/json/parquet write the "
                    "resolved citations, or the unresolved ones with --unresolved.",
        epilog="examples:\n  congvan citations\n  congvan citations --unresolved --format csv")
    c.add_argument("--unresolved", action="store_true",
                   help="only the references to documents not in the archive")
    _add_output_options(c)
    c.set_defaults(func=_pipe_safe(cmd_citations))

    e = sub.add_parser(
        "export", formatter_class=fmt, help="Excel workbook and CSV files for reporting",
        description="Write the report views for provincial reporting: --xlsx FILE, one sheet "
                    "each for documents, tasks by body, deadlines, target groups and "
                    "citations (Vietnamese column titles, header frozen, widths fitted); "
                    "--csv DIR, one CSV per table and per report view in UTF-8 with BOM, "
                    "which Excel opens with the Vietnamese text intact. Never writes into "
                    "the output folder.",
        epilog="examples:\n  congvan export --xlsx report.xlsx\n"
               "  congvan export --csv exports/ --tables data/processed")
    e.add_argument("--xlsx", metavar="FILE", help="the workbook to write (.xlsx)")
    e.add_argument("--csv", metavar="DIR", help="the folder for the CSV files")
    e.add_argument("--tables", "--out", dest="out", default=DEFAULT_OUT, metavar="DIR",
                   help="the tables to read: the output folder of `congvan run` "
                        "(default %(default)s; --out is the same option)")
    e.set_defaults(func=cmd_export)

    sv = sub.add_parser(
        "serve", formatter_class=fmt, help="browse the tables in a web browser (local, read-only)",
        description="A local web application over the tables: search a body and see its tasks, "
                    "documents with filters and their marked text, deadlines with overdue ones "
                    "marked, charts of target groups and bodies; every view exports as CSV or "
                    "Excel. Nothing is fetched from elsewhere; it listens on 127.0.0.1 unless "
                    "told otherwise. Ctrl-C stops it.",
        epilog="examples:\n  congvan serve\n  congvan serve --tables data/processed --port 8080")
    sv.add_argument("--tables", "--out", dest="out", default=DEFAULT_OUT, metavar="DIR",
                    help="the tables to read: the output folder of `congvan run` "
                         "(default %(default)s; --out is the same option)")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default %(default)s: this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    sv.add_argument("--cache", metavar="DIR",
                    help="where the copy of the tables that the explorer reads is kept "
                         "(default $XDG_CACHE_HOME/congvan, ~/.cache/congvan)")
    sv.set_defaults(func=cmd_serve)


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(prog="congvan", description=MAIN_HELP, formatter_class=fmt)
    p.add_argument("--version", action="version", version=f"congvan {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run", formatter_class=fmt,
        help="extract from files, folders or .zip archives into Parquet tables",
        description="Read every .txt, .md, .html, .docx and .pdf under the inputs (folders are "
                    "walked, .zip archives opened) and write the tables "
                    f"{', '.join(TABLE_NAMES)} as OUT/<table>/part-*.parquet. A file that cannot be "
                    "read becomes an errors row. A second run over the same inputs skips what is "
                    "unchanged and replaces the rows of changed files; a killed run can simply be "
                    "started again. The exit code is 0 unless nothing at all could be read.",
        epilog="examples:\n  congvan run data/raw archive.zip --out data/processed\n"
               "  congvan run archive/ --out out --workers 2 --summary-json run.json\n"
               "  congvan run archive/ --out out --engine dask --scheduler tcp://10.0.0.5:8786\n"
               "  congvan run s3://bucket/archive --out s3://bucket/tables --engine dask")
    run.add_argument("inputs", nargs="+", metavar="INPUT",
                     help="file, folder or .zip archive, or an fsspec URL such as s3://bucket/archive "
                          "(its filesystem package installed, e.g. s3fs)")
    run.add_argument("--out", required=True, metavar="DIR",
                     help="folder for the Parquet tables, or an fsspec URL")
    run.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                     help="processes extracting in parallel (default: all cores, %(default)s here)")
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local process pool (default) or a Dask distributed cluster")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
                          "(default: a LocalCluster of --workers processes)")
    run.add_argument("--force", action="store_true",
                     help="extract again documents whose content is already in the output")
    run.add_argument("--prune", action="store_true",
                     help="remove the rows of sources that no longer exist (deleted or renamed "
                          "files, members gone from an archive that was read again); without it "
                          "their rows stay")
    run.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                     help="CPU seconds one document may take (default %(default)g; 0 = none): "
                          "an overrun is an errors row and the batch goes on")
    run.add_argument("--memory-limit", type=int, default=MEMORY_MB, metavar="MB",
                     help="memory a worker may use above its start (default %(default)s; 0 = "
                          "none; with --workers 2 or more): an overrun is an errors row")
    run.add_argument("--no-ocr", dest="ocr", action="store_false",
                     help="do not read images and scanned PDF pages with tesseract (they become "
                          "needs_ocr errors rows); OCR takes seconds a page")
    run.add_argument("--batch", type=int, default=500, metavar="N",
                     help="documents per committed part file (default %(default)s; a part "
                          "is also committed at 2 MB of input)")
    run.add_argument("--summary-json", metavar="FILE", help="write the run's figures here as JSON")
    run.add_argument("--quiet", action="store_true",
                     help="no progress bar and no summary; errors still land in the errors table")
    run.set_defaults(func=cmd_run)

    ex = sub.add_parser(
        "extract", formatter_class=fmt,
        help="print one JSON object per file (JSON Lines) with the keys of GOLD_FORMAT.md",
        description="Extract each file and print JSON Lines on stdout: `source` and the keys "
                    "document, references, recipients, obligations, risk_groups, deadlines, "
                    "plus directives (task, section, deadline, groups, assignees). A file "
                    "that cannot be read prints {\"source\": ..., \"error\": {...}}.",
        epilog="example:\n  congvan extract data/raw/s01.txt | python -m json.tool")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument("--no-ocr", dest="ocr", action="store_false",
                    help="do not read images and scanned PDF pages with tesseract")
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser(
        "evaluate", formatter_class=fmt,
        help="score extraction against gold annotations (NAME.txt + NAME.gold.json)",
        description="Extract every NAME.txt that has a NAME.gold.json beside it and print the "
                    "scores of GOLD_FORMAT.md: accuracy per document field, precision, recall "
                    "and F1 per key, and the accuracy of secondary fields on matched pairs.",
        epilog="examples:\n  congvan evaluate ../shared/corpus/dev\n"
               "  congvan evaluate ../shared/corpus/dev --show recipients\n"
               "  congvan evaluate ../shared/corpus/dev2 --part held")
    ev.add_argument("gold_dir", metavar="GOLD_DIR")
    ev.add_argument("--show", metavar="KEY",
                    choices=["document", "references", "recipients", "obligations",
                             "deadlines", "risk_groups"],
                    help="list the misses, extras and wrong values for KEY")
    ev.add_argument("--part", choices=["all", "held", "rest"], default="all",
                    help="score only the held-back third (file number divisible by 3: a03, "
                         "b12, ...) or the other two thirds (default: all)")
    ev.set_defaults(func=cmd_evaluate)

    sh = sub.add_parser(
        "show", formatter_class=fmt,
        help="show one document with every extracted span labelled (HTML page or a listing)",
        description="Extract FILE and show every span found: header fields, references, "
                    "recipients, directives, obligations, risk groups and deadlines, each with "
                    "its label and normalized value. With --html, write a standalone page "
                    "(no network needed) with the spans highlighted; without it, "
                    "print one line per span. A file that cannot be read exits 1.",
        epilog="examples:\n  congvan show data/raw/s02.txt --html s02.html\n"
               "  congvan show data/raw/s02.txt | grep deadline")
    sh.add_argument("file", metavar="FILE")
    sh.add_argument("--html", metavar="OUT.html", help="write the highlighted page here")
    sh.set_defaults(func=cmd_show)
    _add_report(sub, fmt)
    _add_questions(sub, fmt)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # corrupt PDFs become errors rows
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:  # a run says what it committed; anything else just stops
        print(f"congvan {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
