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

from pipeline import __version__
from pipeline.evaluate import evaluate_dir, format_report
from pipeline.extract import extract
from pipeline.models import ErrorRecord, Extraction, SourceDoc
from pipeline.read import iter_inputs, read_file
from pipeline.schema import TABLES
from pipeline.write import TableWriter, document_rows, error_rows

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE = 0, 1, 2

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


def cmd_run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    writer = TableWriter(out)
    n_docs = n_err = 0
    started = time.perf_counter()
    try:
        for item, extraction in _results(args.inputs):
            if extraction is None:
                n_err += 1
                writer.add(error_rows(item))  # type: ignore[arg-type]
                if not args.quiet:
                    print(f"error: {item.source}: [{item.stage}] {item.reason}", file=sys.stderr)
                continue
            n_docs += 1
            writer.add(document_rows(item, extraction))  # type: ignore[arg-type]
    except BaseException:
        writer.abort()
        raise
    paths = writer.close()
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(f"documents read: {n_docs}   errors: {n_err}   ({elapsed:.1f} s)")
        for name, path in paths.items():
            print(f"  {name:<12} {writer.counts[name]:>8} rows  {path}")
    if n_docs == 0:
        print("congvan: nothing could be read", file=sys.stderr)
        return EXIT_NOTHING_READ
    return EXIT_OK


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
                    f"{', '.join(TABLES)} as OUT/<table>.parquet. A file that cannot be read "
                    "becomes an errors row; the exit code is 0 unless nothing at all could be "
                    "read.",
        epilog="example:\n  congvan run data/raw archive.zip --out data/processed")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder or .zip archive")
    run.add_argument("--out", required=True, metavar="DIR", help="folder for the Parquet tables")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors that stop the run")
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
