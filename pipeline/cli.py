"""The ``congvan`` command line: run, extract, evaluate.

Reading, parallelism and writing live here and in ``read``/``write``; the
extraction itself is the pure ``extract`` core.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from pipeline import __version__
from pipeline.evaluate import evaluate_dir, format_report
from pipeline.extract import extract
from pipeline.models import ErrorRecord, Extraction, SourceDoc
from pipeline.read import iter_inputs, read_file
from pipeline.schema import TABLES
from pipeline.parallel import default_workers, run_dask, run_local
from pipeline.write import OutputBusy, PartStore

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2
# a batch is committed at --batch documents or at this much input, whichever comes
# first: its rows are held in memory until then (about 8x the input's size)
BATCH_BYTES = 2_000_000

MAIN_HELP = """\
congvan reads Vietnamese administrative documents (công văn, kế hoạch, quyết
định, chỉ thị, thông báo and news posts about them) and extracts their number
and symbol, dates, cited documents, recipients, tasks and deadlines.

examples:
  congvan run data/raw --out data/processed
  congvan extract data/raw/s01.txt
  congvan evaluate ../shared/corpus/dev --show references
  congvan show data/raw/s02.txt --html s02.html
"""


def _process(item: SourceDoc | ErrorRecord) -> tuple[SourceDoc | ErrorRecord, Extraction | None]:
    """Extract one read document; an exception becomes an error record, never a crash."""
    if isinstance(item, ErrorRecord):
        return item, None
    try:
        return item, extract(item.text)
    except Exception as exc:  # one broken document never stops a batch
        return ErrorRecord(item.source, "extract", f"{type(exc).__name__}: {exc}"), None


def _results(inputs: list[str]) -> Iterator[tuple[SourceDoc | ErrorRecord, Extraction | None]]:
    for item in iter_inputs(inputs):
        yield _process(item)


class _Run:
    """Figures of one ``congvan run``, for the progress bar and --summary-json."""

    def __init__(self) -> None:
        self.started = time.time()
        self.clock = time.perf_counter()
        self.documents = self.errors = self.skipped = self.bytes = 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.clock

    def rates(self) -> tuple[float, float]:
        t = max(self.elapsed(), 1e-9)
        return self.documents / t, self.bytes / t / 1e6


def _todo(inputs: list[str], store: PartStore, force: bool, run: _Run) -> Iterator[SourceDoc | ErrorRecord]:
    """The inputs still to extract: a source once per run; unchanged ones skipped."""
    seen: set[str] = set()
    for item in iter_inputs(inputs):
        if item.source in seen:
            continue
        seen.add(item.source)
        if isinstance(item, SourceDoc) and not force and store.unchanged(item.source, item.sha256):
            run.skipped += 1
            continue
        yield item


def _engine(args: argparse.Namespace, items: Iterator[SourceDoc | ErrorRecord]):
    if args.engine == "dask":
        return run_dask(items, scheduler=args.scheduler, workers=args.workers)
    return run_local(items, workers=args.workers)


def cmd_run(args: argparse.Namespace) -> int:
    if args.workers < 1 or args.batch < 1:
        print("congvan run: --workers and --batch must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        store = PartStore(Path(args.out)).open()
    except (OutputBusy, OSError) as exc:
        print(f"congvan run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    run = _Run()
    bar = tqdm(unit=" doc", disable=args.quiet, file=sys.stderr, mininterval=0.5, smoothing=0.1)
    batch: list[dict] = []
    batch_bytes = 0
    for item, rows in _engine(args, _todo(args.inputs, store, args.force, run)):
        batch.append(rows)
        if isinstance(item, ErrorRecord):
            run.errors += 1
            if not args.quiet:
                bar.write(f"error: {item.source}: [{item.stage}] {item.reason}", file=sys.stderr)
        else:
            run.documents += 1
            run.bytes += item.size_bytes
            batch_bytes += item.size_bytes
        bar.update(1)
        if bar.n % 25 == 0:
            bar.set_postfix_str(f"{run.rates()[1]:.2f} MB/s, {run.errors} errors, "
                                f"{run.skipped} unchanged", refresh=False)
        if len(batch) >= args.batch or batch_bytes >= BATCH_BYTES:
            store.commit(batch)
            batch, batch_bytes = [], 0
    store.commit(batch)
    paths = store.close()
    bar.close()
    summary = _summary(args, run, store)
    if args.summary_json:
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    if not args.quiet:
        _print_summary(summary, paths)
    if run.documents == 0 and run.skipped == 0:
        print("congvan: nothing could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    return EXIT_OK


def _summary(args: argparse.Namespace, run: _Run, store: PartStore) -> dict:
    docs_s, mb_s = run.rates()
    return {
        "inputs": list(args.inputs), "out": str(args.out), "engine": args.engine,
        "workers": args.workers, "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(run.started)),
        "seconds": round(run.elapsed(), 3), "documents": run.documents, "errors": run.errors,
        "unchanged_skipped": run.skipped, "megabytes": round(run.bytes / 1e6, 3),
        "documents_per_s": round(docs_s, 2), "mb_per_s": round(mb_s, 3),
        "rows_written": dict(store.counts), "rows_total": store.totals(),
    }


def _print_summary(summary: dict, paths: dict[str, Path]) -> None:
    print(f"documents extracted: {summary['documents']}   unchanged, skipped: "
          f"{summary['unchanged_skipped']}   errors: {summary['errors']}   "
          f"({summary['seconds']:.1f} s, {summary['documents_per_s']:.1f} docs/s, "
          f"{summary['mb_per_s']:.2f} MB/s)")
    for name, path in paths.items():
        print(f"  {name:<12} {summary['rows_written'][name]:>8} new rows "
              f"{summary['rows_total'][name]:>9} in all  {path}/")


def cmd_extract(args: argparse.Namespace) -> int:
    n_docs = 0
    for item, extraction in _results(args.files):
        if extraction is None:
            obj = {"source": item.source, "error": {"stage": item.stage, "reason": item.reason}}
        else:
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
        report = evaluate_dir(gold_dir, lambda text: extract(text).to_json())
        print(format_report(report, args.show))
    except ValueError as exc:
        print(f"congvan evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    item, extraction = _process(read_file(args.file))
    if extraction is None:
        print(f"congvan show: {item.source}: [{item.stage}] {item.reason}", file=sys.stderr)
        return EXIT_NOTHING_READ
    from pipeline.annotate import to_doc  # spaCy loads only for this command
    from pipeline.render import render_html, render_text

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
                    f"{', '.join(TABLES)} as OUT/<table>/part-*.parquet. A file that cannot be "
                    "read becomes an errors row. A second run over the same inputs skips what is "
                    "unchanged and replaces the rows of changed files; a killed run can simply be "
                    "started again. The exit code is 0 unless nothing at all could be read.",
        epilog="examples:\n  congvan run data/raw archive.zip --out data/processed\n"
               "  congvan run archive/ --out out --workers 2 --summary-json run.json\n"
               "  congvan run archive/ --out out --engine dask --scheduler tcp://10.0.0.5:8786")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or .zip archive")
    run.add_argument("--out", required=True, metavar="DIR", help="folder for the Parquet tables")
    run.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                     help="processes extracting in parallel (default: all cores, %(default)s here)")
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local process pool (default) or a Dask distributed cluster")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
                          "(default: a LocalCluster of --workers processes)")
    run.add_argument("--force", action="store_true",
                     help="extract again documents whose content is already in the output")
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
    ex.set_defaults(func=cmd_extract)

    ev = sub.add_parser(
        "evaluate", formatter_class=fmt,
        help="score extraction against gold annotations (NAME.txt + NAME.gold.json)",
        description="Extract every NAME.txt that has a NAME.gold.json beside it and print the "
                    "scores of GOLD_FORMAT.md: accuracy per document field, precision, recall "
                    "and F1 per key, and the accuracy of secondary fields on matched pairs.",
        epilog="examples:\n  congvan evaluate ../shared/corpus/dev\n"
               "  congvan evaluate ../shared/corpus/dev --show recipients")
    ev.add_argument("gold_dir", metavar="GOLD_DIR")
    ev.add_argument("--show", metavar="KEY",
                    choices=["document", "references", "recipients", "obligations",
                             "deadlines", "risk_groups"],
                    help="list the misses, extras and wrong values for KEY")
    ev.set_defaults(func=cmd_evaluate)

    sh = sub.add_parser(
        "show", formatter_class=fmt,
        help="show one document with every extracted span labelled (HTML page or a listing)",
        description="Extract FILE and show every span found: header fields, references, "
                    "recipients, directives, obligations, risk groups and deadlines, each with "
                    "its label and normalized value. With --html, write a standalone page "
                    "(displaCy, no network needed) with the spans highlighted; without it, "
                    "print one line per span. A file that cannot be read exits 1.",
        epilog="examples:\n  congvan show data/raw/s02.txt --html s02.html\n"
               "  congvan show data/raw/s02.txt | grep deadline")
    sh.add_argument("file", metavar="FILE")
    sh.add_argument("--html", metavar="OUT.html", help="write the highlighted page here")
    sh.set_defaults(func=cmd_show)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # corrupt PDFs become errors rows
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
