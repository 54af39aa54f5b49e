"""Run the pure extraction core over many documents: in this process or in a process
pool (the Dask engine, whose workers also read and write, is ``distribute``). Every
engine returns results in input order, so the tables do not depend on the engine or
the number of workers.

Work travels in chunks of read documents; only a bounded number of chunks is in
flight at a time, so memory stays flat however long the archive is.

One document can never stall a run: its extraction has a budget of CPU time
(``time_limit``), and a pool's workers one of memory (``memory_mb`` above what a
worker holds when it starts). An overrun ends that document in an errors row
(``stage: extract, reason: time limit ...``) and the batch goes on. The time budget
needs the process's main thread (a signal) and the memory one a process of our own:
Dask runs tasks in threads of its workers, so there Dask's own worker memory limit
is the bound.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from .extract import extract
from .models import ErrorRecord, SourceDoc
from .read import Unread
from .rows import document_rows, error_rows

Rows = dict[str, list[dict[str, Any]]]
Item = SourceDoc | ErrorRecord

CHUNK = 16  # documents per task: large enough to amortise pickling, small for balance
IN_FLIGHT = 4  # chunks queued per worker
# Per document. A 4 MB plan takes ~8 s of CPU; a minute more than covers the
# largest file we read, and stops a text that makes some stage stall.
TIME_LIMIT = 60.0  # seconds of CPU
MEMORY_MB = 2048  # per worker, above what it holds at start


class TimeLimit(Exception):
    """A document's extraction ran past its CPU budget."""


def process(item: Item | Unread, time_limit: float | None = TIME_LIMIT) -> tuple[Item, Rows]:
    """One document to its table rows; an exception or an overrun becomes an errors
    row, never a crash. An :class:`Unread` PDF or image is read here first (OCR: in the
    worker, page by page, each page on its own time budget)."""
    if isinstance(item, Unread):
        item = item.finish()
    if isinstance(item, ErrorRecord):
        return item, error_rows(item)
    try:
        with _budget(time_limit):
            return item, document_rows(item, extract(item.text))
    except TimeLimit as exc:
        reason = str(exc)
    except MemoryError:
        reason = "memory limit: extraction needed more memory than a worker may use"
    except Exception as exc:  # one broken document never stops a batch
        reason = f"{type(exc).__name__}: {exc}"
    err = ErrorRecord(item.source, "extract", reason)
    return err, error_rows(err)


@contextlib.contextmanager
def _budget(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimit in the block once it has used ``seconds`` of CPU (SIGPROF);
    no budget off the main thread or where the platform has no such timer."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def overrun(signum: int, frame: Any) -> None:
        raise TimeLimit(f"time limit: extraction ran past {seconds:g} s of CPU")

    previous = signal.signal(signal.SIGPROF, overrun)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def process_chunk(items: list[Item | Unread], time_limit: float | None = TIME_LIMIT) -> list[tuple[Item, Rows]]:
    return [_light(process(item, time_limit)) for item in items]


def _worker_start(megabytes: int | None, parent: int) -> None:
    """A pool worker's set-up: its memory budget, an end with its parent, and no
    Ctrl-C of its own (the terminal sends it to the whole group: the parent stops the
    run, and a worker's traceback would only bury its message)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent)
    limit_memory(megabytes)


_PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int) -> None:
    """Have the kernel stop this process when the one that started it dies (Linux's
    PR_SET_PDEATHSIG): a run killed alone, even with kill -9, leaves no workers behind
    extracting for nobody. Where there is no such call, nothing is set."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space at what it maps now plus ``megabytes``: an
    allocation past it raises MemoryError in the document that asked (a worker's
    initializer; a no-op where the platform has no such limit)."""
    if not megabytes:
        return
    try:
        import resource

        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = mapped + megabytes * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        pass


def _light(result: tuple[Item, Rows]) -> tuple[Item, Rows]:
    """Send back the source name, not the whole text again (it is in the rows)."""
    item, rows = result
    if isinstance(item, SourceDoc):
        item = replace(item, text="")
    return item, rows


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _chunks(items: Iterable[Item | Unread], size: int) -> Iterator[list[Item | Unread]]:
    """Chunks of ``size`` items; an Unread one (a PDF or image, maybe seconds of OCR a
    page) ends its chunk, so the workers share scans out one by one."""
    chunk: list[Item | Unread] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size or isinstance(item, Unread):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(submit, items: Iterable[Item | Unread], window: int, size: int) -> Iterator[tuple[Item, Rows]]:
    """Submit chunks, keep at most ``window`` in flight, yield results in input order."""
    pending: deque[Any] = deque()
    for chunk in _chunks(items, size):
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _ready() -> int:
    return os.getpid()


def start_workers(workers: int, memory_mb: int | None = MEMORY_MB) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, started now, each with its memory budget: a
    forked worker maps what its parent has loaded so far, so a caller forks before it
    loads what workers do not need (pyarrow, the output's index)."""
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                               initializer=_worker_start, initargs=(memory_mb, os.getpid()))
    pool.submit(_ready).result()  # a fork-context pool starts all its processes here
    return pool


def run_local(items: Iterable[Item | Unread], workers: int = 1, chunk: int = CHUNK,
              pool: ProcessPoolExecutor | None = None,
              time_limit: float | None = TIME_LIMIT) -> Iterator[tuple[Item, Rows]]:
    """Extract in this process (``workers <= 1``; the time budget only, since a memory
    cap would bind the writer too) or in a pool of processes: ``pool`` if given (the
    caller shuts it down), else one made and shut down here."""
    if workers <= 1 and pool is None:
        for item in items:
            yield _light(process(item, time_limit))
        return
    # forked: workers share the parent's loaded modules; spawned ones (which import
    # the main module again) and a forkserver measured more memory in all (536 and
    # 558 MB summed RSS against 444 for 2 workers over 5,000 documents)
    own = pool is None
    pool = pool or start_workers(workers)
    try:
        submit = lambda c: pool.submit(process_chunk, c, time_limit)  # noqa: E731
        yield from _ordered(submit, items, workers * IN_FLIGHT, chunk)
    finally:
        if own:
            pool.shutdown()
