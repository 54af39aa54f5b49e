"""The Dask engine: the workers read the files, extract them and write the table
parts; this process lists the inputs, plans the tasks (paths and sizes, never
text) and commits what the workers wrote, in input order.

A worker writes each batch's parts into the output's staging folder under names
of this run's own (a worker left over from a killed run cannot overwrite them);
the batch becomes part of the tables only when this process writes its commit
marker (see ``write.PartStore``). So the tables, incremental runs, ``--force``,
kill -9 and resume are those of a local run. The inputs and the output must be
reachable from every worker by the same name: paths on a shared filesystem, or URLs
of an fsspec filesystem installed on every machine (see ``storage``).
"""
from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .models import ErrorRecord, SourceDoc
from .parallel import IN_FLIGHT, process
from .read import canonical_source, list_inputs, printable, printable_name, read_path, split_member

if TYPE_CHECKING:
    from .run import OnItem, RunOptions, RunStats
    from .write import PartStore

TASK_BYTES = 4_000_000  # input per task, by file size: a few seconds of a worker's time
TASK_PATHS = 512  # paths per task at most (short texts: keeps the driver's work per task small)
BATCH_BYTES = 2_000_000  # a worker's batch is staged at --batch documents or this much input


@dataclass
class Task:
    """What one worker does: read these paths (or pass these listing errors on),
    skip what the output already has, extract the rest, stage the parts."""

    number: int
    entries: list[str | ErrorRecord]  # canonical paths of files and zips, in input order
    known: dict[bytes, bytes]  # source_key -> sha256 digest already in the output
    staging: str
    token: str  # this run's, in the staged names
    batch: int
    time_limit: float | None
    ocr: bool = True


@dataclass
class Staged:
    """One batch a worker wrote: what ``PartStore.commit_staged`` needs."""

    files: dict[str, str] = field(default_factory=dict)
    documents: list[tuple[str, str, bytes]] = field(default_factory=list)  # (source, sha256, source_key)
    errors: list[tuple[str, bytes]] = field(default_factory=list)  # (source, source_key)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Done:
    """A task's report: its batches, and each input it met in order, as
    ("doc", source, size, key, pages read by OCR), ("skip", source, size, key) or
    ("error", ErrorRecord, key), the key being the source's source_key (computed here,
    not on the driver)."""

    batches: list[Staged]
    items: list[tuple[Any, ...]]


# ---------------------------------------------------------------- on a worker

def work(task: Task) -> Done:
    """One task on a worker: read, skip the unchanged, extract, stage each batch."""
    from .storage import place
    from .write import as_table, source_key

    done = Done([], [])
    staging = place(task.staging)
    rows: dict[str, list[dict[str, Any]]] = {}
    agencies: dict[str, dict[str, Any]] = {}
    batch = Staged()
    held = [0, 0]  # documents and bytes in the batch

    def flush() -> None:
        nonlocal rows, batch
        if not rows:
            return
        for name, table_rows in rows.items():
            if name != "agencies" and table_rows:
                file = f"{name}-{task.token}-t{task.number:06d}-{len(done.batches):03d}.parquet"
                staging.write_table(as_table(name, table_rows), file)
                batch.files[name] = file
                batch.counts[name] = len(table_rows)
        batch.agencies = list(agencies.values())
        done.batches.append(batch)
        rows, batch, held[:] = {}, Staged(), [0, 0]
        agencies.clear()

    for item in _items(task.entries, task.ocr):
        key = source_key(item.source)
        if isinstance(item, SourceDoc) and task.known.get(key) == bytes.fromhex(item.sha256):
            done.items.append(("skip", item.source, item.size_bytes, key))
            continue
        item, item_rows = process(item, task.time_limit)
        for name, table_rows in item_rows.items():
            if name == "agencies":
                agencies.update((r["agency_id"], r) for r in table_rows)
            else:
                rows.setdefault(name, []).extend(table_rows)
        if isinstance(item, ErrorRecord):
            batch.errors.append((item.source, key))
            done.items.append(("error", item, key))
        else:
            batch.documents.append((item.source, item.sha256, key))
            done.items.append(("doc", item.source, item.size_bytes, key, item.ocr_pages))
            held[0] += 1
            held[1] += item.size_bytes
        if held[0] >= task.batch or held[1] >= BATCH_BYTES:
            flush()
    flush()
    return done


def _items(entries: list[str | ErrorRecord], ocr: bool = True) -> Iterator[SourceDoc | ErrorRecord]:
    for entry in entries:
        if isinstance(entry, ErrorRecord):
            yield entry
        else:
            for item in read_path(entry, ocr):
                yield printable(item)


# ---------------------------------------------------------------- on the driver

def run_distributed(inputs: list[str], options: RunOptions, store: PartStore, stats: RunStats,
                    on_item: OnItem | None) -> None:
    """Plan, submit and commit; figures go into ``stats`` as reports come back."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        cluster = LocalCluster(n_workers=options.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        _same_code(client)
        slots = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        tasks = _plan(inputs, options, store, stats)
        for done in _in_order(lambda t: client.submit(work, t, pure=False), tasks, slots * IN_FLIGHT):
            _take(done, store, stats, on_item)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of this congvan's code and knowledge files: two processes extract alike
    only when theirs are equal (a version number does not change with every edit)."""
    import hashlib
    from importlib.resources import files

    digest = hashlib.blake2b(digest_size=8)
    package = files("congvan")
    for name in sorted(_package_files(package)):
        digest.update(name.encode() + b"\0" + _read(package, name))
    return digest.hexdigest()


def _package_files(root: Any, prefix: str = "") -> Iterator[str]:
    for entry in root.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _package_files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith((".py", ".tsv", ".txt")):
            yield prefix + entry.name


def _read(root: Any, name: str) -> bytes:
    for part in name.split("/"):
        root = root / part
    return root.read_bytes()


def _worker_fingerprint() -> str:
    return code_fingerprint()  # what a worker runs (its own module's, by reference)


def _same_code(client: Any) -> None:
    """Refuse to run on workers whose congvan differs from this one: their rows would
    not be this version's (a worker keeps the code it imported until it restarts)."""
    from .run import RunError

    mine = code_fingerprint()
    theirs = client.run(_worker_fingerprint)
    other = sorted(worker for worker, fingerprint in theirs.items() if fingerprint != mine)
    if other:
        raise RunError(f"{len(other)} of {len(theirs)} Dask workers run another congvan than this one "
                       f"({', '.join(other[:3])}{', ...' if len(other) > 3 else ''}): install this "
                       "version on them and restart the workers")


def _plan(inputs: list[str], options: RunOptions, store: PartStore, stats: RunStats) -> Iterator[Task]:
    from .write import source_key

    token = secrets.token_hex(4)
    staging = store.staging
    limit = options.time_limit or None
    number = 0
    entries: list[str | ErrorRecord] = []
    known: dict[bytes, bytes] = {}
    size = 0
    for listed in list_inputs(inputs, canonical=True):
        path = canonical_source(listed.source) if isinstance(listed, ErrorRecord) else listed.path
        name = printable_name(path)
        key = source_key(name)
        if key in stats.seen:
            continue  # the same file under another spelling
        stats.seen.add(key)
        if isinstance(listed, ErrorRecord):
            entries.append(_printable_error(replace(listed, source=path)))
            continue
        if not options.force and (digests := store.known(key)):
            known.update(digests)
        entries.append(path)
        size += max(listed.size, 0)
        if size >= TASK_BYTES or len(entries) >= TASK_PATHS:
            yield Task(number, entries, known, staging, token, options.batch, limit, options.ocr)
            number, entries, known, size = number + 1, [], {}, 0
    if entries:
        yield Task(number, entries, known, staging, token, options.batch, limit, options.ocr)


def _printable_error(error: ErrorRecord) -> ErrorRecord:
    shown = printable(error)
    assert isinstance(shown, ErrorRecord)
    return shown


def _in_order(submit: Callable[[Task], Any], tasks: Iterator[Task], window: int) -> Iterator[Done]:
    """Keep at most ``window`` tasks in flight; reports come back in input order."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(submit(task))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _take(done: Done, store: PartStore, stats: RunStats, on_item: OnItem | None) -> None:
    """Count a task's inputs, show them, and commit its batches."""
    for entry in done.items:
        key = entry[2] if entry[0] == "error" else entry[3]
        if entry[0] == "error":
            item: SourceDoc | ErrorRecord = entry[1]
            stats.errors += 1
        else:
            source, size = entry[1], entry[2]
            if entry[0] == "skip":
                stats.skipped += 1
            else:
                stats.documents += 1
                stats.bytes += size
                stats.ocr_pages += entry[4]
            item = SourceDoc(source, "", "", size, "")  # what a progress display needs
        stats.seen.add(key)
        if "!" in item.source:
            file, member = split_member(item.source)
            if member:
                stats.archives.add(file)
        if on_item is not None:
            on_item(item, stats)
    for batch in done.batches:
        store.commit_staged(batch.files, batch.documents, batch.errors, batch.agencies, batch.counts)

