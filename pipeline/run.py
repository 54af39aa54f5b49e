"""The archive run: which inputs are still to do, the engine that extracts them, and
the commit loop that writes them into an output folder.

``congvan run`` parses its arguments and prints; this module does the work, so a
notebook, a scheduler job or another program runs an archive the same way:

>>> result = run_archive(["data/raw"], RunOptions(out=Path("out")))  # doctest: +SKIP
>>> result.stats.documents, result.summary["rows_total"]["obligations"]  # doctest: +SKIP
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import storage
from .models import ErrorRecord, SourceDoc
from .parallel import MEMORY_MB, TIME_LIMIT, default_workers, run_local, start_workers
from .read import (
    Listed,
    Unread,
    canonical_source,
    list_inputs,
    printable,
    printable_name,
    read_later,
    read_path,
    reads_later,
    split_member,
    zip_members,
)

if TYPE_CHECKING:  # pyarrow loads only once a run starts (see run_archive)
    from .write import PartStore

# a batch is committed at RunOptions.batch documents or at this much input, whichever
# comes first: its rows are held in memory until then (about 8x the input's size)
BATCH_BYTES = 2_000_000
ENGINES = ("local", "dask")

Item = SourceDoc | ErrorRecord


class RunError(Exception):
    """The run could not start: bad options, no input that exists, or an output folder
    that cannot be opened or is held by another run."""


class Interrupted(Exception):
    """The run was stopped (Ctrl-C): what was committed before stays, the lock is given
    back, and the same run started again resumes."""

    def __init__(self, stats: RunStats, committed: dict[str, int], out: Path | str) -> None:
        super().__init__(f"interrupted: {committed.get('documents', 0)} documents and "
                         f"{committed.get('errors', 0)} errors rows were committed to {out}")
        self.stats, self.committed, self.out = stats, committed, out


@dataclass(frozen=True)
class RunOptions:
    """How to run: the output folder and what ``congvan run --help`` lists."""

    out: Path | str  # a local folder, or an fsspec URL (see ``storage``)
    workers: int = field(default_factory=default_workers)
    batch: int = 500  # documents per committed batch
    force: bool = False  # extract again what is already in the output
    prune: bool = False  # remove the rows of sources that are gone
    engine: str = "local"
    scheduler: str | None = None  # with engine "dask": its address; None: a LocalCluster
    time_limit: float = TIME_LIMIT  # CPU seconds per document, 0: none
    memory_limit: int = MEMORY_MB  # MB per pool worker above its start, 0: none
    ocr: bool = True  # read images and scanned PDF pages with tesseract (--no-ocr: False)

    def problem(self) -> str | None:
        """What is wrong with these options, for people; None when they can run."""
        if self.workers < 1 or self.batch < 1:
            return "--workers and --batch must be at least 1"
        if self.time_limit < 0 or self.memory_limit < 0:
            return "--time-limit and --memory-limit must be 0 (none) or more"
        if self.engine not in ENGINES:
            return f"unknown engine {self.engine!r}: expected one of {', '.join(ENGINES)}"
        return None


class RunStats:
    """Figures of one run, for a progress display and the summary."""

    def __init__(self) -> None:
        self.started = time.time()
        self.clock = time.perf_counter()
        self.documents = self.errors = self.skipped = self.bytes = 0
        self.pruned = 0
        self.ocr_pages = 0  # pages read by OCR, the costliest part of a scanned archive
        self.seen: set[bytes] = set()  # source_key of every source this run met
        self.archives: set[str] = set()  # zip archives this run read members of

    def elapsed(self) -> float:
        return time.perf_counter() - self.clock

    def rates(self) -> tuple[float, float]:
        """Documents per second and MB (10^6 bytes) of input per second so far."""
        t = max(self.elapsed(), 1e-9)
        return self.documents / t, self.bytes / t / 1e6


@dataclass
class RunResult:
    stats: RunStats
    summary: dict[str, Any]  # what --summary-json writes
    paths: dict[str, str]  # table -> its folder (a local path or a URL)


# Called once per input met: a document extracted, an errors row, or an unchanged source
# skipped (a SourceDoc that ``stats.skipped`` has counted), after the stats count it.
OnItem = Callable[[Item, RunStats], None]


def run_archive(inputs: list[str], options: RunOptions, on_item: OnItem | None = None) -> RunResult:
    """Extract every input not yet in ``options.out`` (unchanged sources are skipped)
    and commit the rows batch by batch. Raises :class:`RunError` if it cannot start."""
    problem = options.problem() or _nothing_to_read(inputs)
    if problem:
        raise RunError(problem)
    # Workers are forked now, before this process loads pyarrow and the output's
    # index: each would otherwise map those pages too (about 100 MB a worker).
    pool = start_workers(options.workers, options.memory_limit) \
        if options.engine == "local" and options.workers > 1 else None
    try:
        return _run(inputs, options, pool, on_item)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _run(inputs: list[str], options: RunOptions, pool, on_item: OnItem | None) -> RunResult:
    from .storage import StorageError
    from .write import OutputBusy, PartStore

    try:
        store = PartStore(options.out).open()
    except (OutputBusy, OSError, StorageError) as exc:
        raise RunError(str(exc)) from exc
    stats = RunStats()
    try:
        if options.engine == "dask":  # the workers read and write; this process plans and commits
            from .distribute import run_distributed

            run_distributed(inputs, options, store, stats, on_item)
        else:
            _run_here(inputs, options, store, stats, pool, on_item)
    except RunError:
        store.unlock()  # nothing was committed past what is in place
        raise
    except KeyboardInterrupt:
        store.unlock()  # the batches committed so far stay; the next run skips them
        raise Interrupted(stats, dict(store.counts), options.out) from None
    if options.prune:
        stats.pruned = store.prune(lambda source: _vanished(source, stats))
    paths = store.close()
    return RunResult(stats, _summary(inputs, options, stats, store), paths)


def _run_here(inputs: list[str], options: RunOptions, store: PartStore, stats: RunStats, pool,
              on_item: OnItem | None) -> None:
    """The local engines: this process reads and writes, the pool (if any) extracts."""
    from .write import give_back_memory

    batch: list[dict] = []
    batch_bytes = 0
    limit = options.time_limit
    items = _todo(inputs, store, options.force, stats, on_item, options.ocr)
    for item, rows in run_local(items, workers=options.workers, pool=pool, time_limit=limit):
        batch.append(rows)
        if isinstance(item, ErrorRecord):
            stats.errors += 1
        else:
            stats.documents += 1
            stats.bytes += item.size_bytes
            stats.ocr_pages += item.ocr_pages
            batch_bytes += item.size_bytes
        if on_item is not None:
            on_item(item, stats)
        if len(batch) >= options.batch or batch_bytes >= BATCH_BYTES:
            store.commit(batch)
            batch, batch_bytes = [], 0
            give_back_memory()
    store.commit(batch)


def _todo(inputs: list[str], store: PartStore, force: bool, stats: RunStats,
          on_item: OnItem | None = None, ocr: bool = True) -> Iterator[Item | Unread]:
    """The inputs still to extract, each under its one name (:func:`canonical_source`):
    a source once per run; unchanged ones skipped."""
    from .write import source_key

    for item in _canonical_items(inputs, ocr):
        item = replace(item, source=printable_name(item.source)) if isinstance(item, Unread) else printable(item)
        key = source_key(item.source)
        if key in stats.seen:
            continue
        stats.seen.add(key)
        file, member = split_member(item.source)
        if member:
            stats.archives.add(file)
        if isinstance(item, SourceDoc | Unread) and not force and store.unchanged(item.source, item.sha256):
            stats.skipped += 1
            if on_item is not None:  # what a progress display needs
                on_item(SourceDoc(item.source, "", "", item.size_bytes, item.sha256), stats)
            continue
        yield item


def _canonical_items(inputs: list[str], ocr: bool = True) -> Iterator[Item | Unread]:
    """Every input read, each source under its one name (listed canonical, so a file
    in a walked folder costs no path resolution of its own)."""
    for listed in list_inputs(inputs, canonical=True):
        if isinstance(listed, ErrorRecord):
            yield replace(listed, source=canonical_source(listed.source))
        elif ocr and reads_later(listed.path):
            yield read_later(listed.path)  # its text (OCR, seconds a page) comes from a worker
        else:
            yield from read_path(listed.path, ocr)


def _nothing_to_read(inputs: list[str]) -> str | None:
    """Why a run would read nothing at all (no input exists), before any output folder
    is made; None when some input is there (a URL is asked only by reading it)."""
    if not inputs:
        return "no input given"
    if any(storage.is_url(given) or os.path.lexists(given) for given in inputs):
        return None
    shown = ", ".join(inputs[:3]) + (", ..." if len(inputs) > 3 else "")
    return f"nothing to read: no such file or directory: {shown}"


def count_inputs(inputs: list[str]) -> int:
    """How many inputs a run over ``inputs`` meets (files, members of zip archives from
    their directory, errors rows of what cannot be listed), for a progress total: a
    listing only, no file read but a zip's directory. Members of a zip inside a zip
    count as one."""
    total = 0
    seen: set[str] | None = set() if len(inputs) > 1 else None  # one input cannot list a file twice
    for listed in list_inputs(inputs, canonical=True):
        path = listed.source if isinstance(listed, ErrorRecord) else listed.path
        if seen is not None:
            if path in seen:
                continue
            seen.add(path)
        # a zip's directory is read only from a regular file (size known): never a FIFO
        is_zip = isinstance(listed, Listed) and listed.size >= 0 and path.lower().endswith(".zip")
        total += zip_members(path) if is_zip else 1
    return total


def _vanished(source: str, stats: RunStats) -> bool:
    """Whether a source in the output is gone: not read by this run, and its file no
    longer exists, or it was a member of an archive this run read that no longer has it."""
    from .write import source_key

    if source_key(source) in stats.seen:
        return False
    file, member = split_member(source)
    gone = not storage.exists(file) if storage.is_url(file) else not os.path.lexists(file)
    return gone or bool(member) and file in stats.archives


def _summary(inputs: list[str], options: RunOptions, stats: RunStats, store: PartStore) -> dict[str, Any]:
    docs_s, mb_s = stats.rates()
    return {
        "inputs": list(inputs), "out": str(options.out), "engine": options.engine,
        "workers": options.workers,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(stats.started)),
        "seconds": round(stats.elapsed(), 3), "documents": stats.documents, "errors": stats.errors,
        "unchanged_skipped": stats.skipped, "pruned": stats.pruned, "megabytes": round(stats.bytes / 1e6, 3),
        "ocr_pages": stats.ocr_pages,
        "documents_per_s": round(docs_s, 2), "mb_per_s": round(mb_s, 3),
        "rows_written": dict(store.counts), "rows_total": store.totals(),
    }
