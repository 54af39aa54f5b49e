#!/usr/bin/env python3
"""What the process that runs ``congvan run --engine dask`` spends per document: it
lists the inputs, plans the tasks and commits what the workers wrote, so its CPU per
extra document bounds the documents per second of any cluster. Prints numbers, it is
not a test.

Starts a ``dask scheduler`` and ``--workers`` ``dask worker`` processes on 127.0.0.1
(or uses ``--scheduler``), builds archives of short texts (the sample dispatches of
``data/raw``, each copy one line different) of each size in ``--sizes``, runs
``congvan run`` on each ``--repeat`` times into a fresh output, and prints the median
CPU (user + system) of that process; the marginal figure is the difference between the
largest and the smallest archive over the difference in documents (start-up cancels).
The issue-13 target is below 0.02 ms per document.

    .venv/bin/python scripts/bench_driver.py --sizes 1000,5000 --repeat 3
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
TARGET_MS = 0.02
FOLDER_SIZE = 1000  # files per sub-folder


def build(root: Path, n: int) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    for i in range(n):
        folder = root / f"{i // FOLDER_SIZE:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"d{i:06d}.txt").write_text(texts[i % len(texts)] + f"\nBản lưu số {i}.\n", encoding="utf-8")
    return root


@contextlib.contextmanager
def cluster(work: Path, workers: int) -> Iterator[str]:
    bin_dir = Path(sys.executable).parent
    info = work / "scheduler.json"
    common = {"cwd": work, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(info)], **common)]
    try:
        deadline = time.time() + 60
        while not info.exists() and time.time() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        for i in range(workers):
            procs.append(subprocess.Popen([str(bin_dir / "dask"), "worker", address, "--nthreads", "1",
                                           "--no-dashboard", "--local-directory", str(work / f"w{i}")], **common))
        from dask.distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait()


def driver_cpu(archive: Path, out: Path, address: str) -> float:
    """CPU seconds (user + system) of one ``congvan run`` process."""
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([str(Path(sys.executable).parent / "congvan"), "run", str(archive), "--out", str(out),
                    "--engine", "dask", "--scheduler", address, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000", help="archive sizes in documents (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", help="an existing scheduler's address (its workers must run this congvan)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="congvan-driver-") as tmp:
        work = Path(tmp)
        archives = {n: build(work / f"a{n}", n) for n in sizes}
        with contextlib.ExitStack() as stack:
            address = args.scheduler or stack.enter_context(cluster(work, args.workers))
            driver_cpu(archives[sizes[0]], work / "out", address)  # warm the workers and the page cache
            cpu: dict[int, list[float]] = {n: [] for n in sizes}
            for _ in range(args.repeat):
                for n in sizes:  # alternating sizes, so drift in the machine hits both
                    cpu[n].append(driver_cpu(archives[n], work / "out", address))
    print(f"driver CPU of `congvan run --engine dask`, {args.workers} workers, {os.cpu_count()} cores, "
          f"median of {args.repeat}:")
    for n in sizes:
        print(f"  {n:>7} documents: {statistics.median(cpu[n]):7.3f} s   (runs: "
              f"{', '.join(f'{c:.3f}' for c in cpu[n])})")
    low = sizes[0]
    for high in sizes[1:]:
        marginal = (statistics.median(cpu[high]) - statistics.median(cpu[low])) / (high - low) * 1000
        verdict = "met" if marginal < TARGET_MS else "NOT met"
        print(f"  marginal: {marginal:.4f} ms per document ({low} vs {high}); target < {TARGET_MS} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
