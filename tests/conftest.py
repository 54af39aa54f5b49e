"""Shared fixtures: the repo's sample dispatches and the dev corpus beside the repo."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
DEV = REPO.parent / "shared" / "corpus" / "dev"
DEV2 = REPO.parent / "shared" / "corpus" / "dev2"


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """../shared/corpus/dev; tests that need it skip where it is absent."""
    if not DEV.is_dir():
        pytest.skip("../shared/corpus/dev is not present")
    return DEV


@pytest.fixture(scope="session")
def dev2_corpus() -> Path:
    """../shared/corpus/dev2 (never copied into the repo); skipped where it is absent."""
    if not DEV2.is_dir():
        pytest.skip("../shared/corpus/dev2 is not present")
    return DEV2


@contextlib.contextmanager
def dask_cluster(folder: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A dask scheduler and two dask workers on 127.0.0.1, started with the entry points
    that ship with distributed, as an existing cluster would be (``env``: the workers'
    extra environment, such as a filesystem's settings); stopped afterwards. Yields
    the scheduler's address."""
    pytest.importorskip("dask.distributed")
    bin_dir = Path(sys.executable).parent
    info = folder / "scheduler.json"
    common = {"cwd": folder, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
              "start_new_session": True, "env": {**os.environ, **(env or {})}}
    procs = [subprocess.Popen([str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(info)], **common)]
    try:
        deadline = time.time() + 60
        while not info.exists() and time.time() < deadline:
            time.sleep(0.1)
        assert info.exists(), "the scheduler did not start"
        address = json.loads(info.read_text())["address"]
        for i in range(2):
            procs.append(subprocess.Popen(
                [str(bin_dir / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                 "--name", f"w{i}", "--local-directory", str(folder / f"w{i}")], **common))
        from dask.distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
