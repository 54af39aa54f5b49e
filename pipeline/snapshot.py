"""A copy of an output's tables in one DuckDB file, for ``congvan serve``.

An archive's tables are thousands of part files (one per committed batch): scanning
them costs about 0.1 ms a file, so each question over a million documents would take
seconds. The explorer asks many, so it reads a copy instead: every table in one
DuckDB database, sorted by ``doc_id`` (a document's rows are found by the zone maps,
without an index), built on first use in a cache folder, never in the output. The
copy is named after the output's state (its commit markers and its parts' names and
sizes), so a run that commits, prunes or reconciles makes the next ``serve`` build a
new one; older copies of the same output are removed.

>>> con = open_snapshot("data/processed")  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from .query import datasets, finish
from .schema import COMMITS, TABLES
from .storage import place

VERSION = "1"  # of the copy's layout: a change here rebuilds every copy


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/congvan`` (``~/.cache/congvan``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "congvan"


def state(tables: str | Path) -> tuple[str, str]:
    """(a digest of where the output is, a digest of what it holds now)."""
    where = place(tables)
    location = hashlib.blake2b(where.url().encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    digest = hashlib.blake2b(VERSION.encode(), digest_size=12)
    for folder in (COMMITS, *TABLES):
        for name, size in sorted(where.sizes(folder).items()):
            digest.update(f"{folder}/{name}\0{size}\n".encode("utf-8", "surrogatepass"))
    return location, digest.hexdigest()


def open_snapshot(tables: str | Path, cache: Path | None = None,
                  on_build: Callable[[], None] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the copy of ``tables`` (built first if there is none
    for its present state; ``on_build`` is called before a build), with the views,
    macros and lockdown of ``query.connect``. ``query.NoOutput`` as ``connect``."""
    sources = datasets(tables)  # NoOutput before anything is written
    folder = cache or cache_folder()
    location, now = state(tables)
    file = folder / f"{location}-{now}.duckdb"
    if not file.exists():
        if on_build is not None:
            on_build()
        _build(sources, folder, file)
        for old in folder.glob(f"{location}-*.duckdb"):
            if old != file:
                old.unlink(missing_ok=True)
    return finish(duckdb.connect(str(file), read_only=True))


def _build(sources: dict, folder: Path, file: Path) -> None:
    """Every table copied, sorted by doc_id, into a new file put in place whole."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name, dataset in sources.items():
            con.register(f"part_{name}", dataset)
            order = "ORDER BY doc_id, start" if "start" in dataset.schema.names else \
                "ORDER BY doc_id" if "doc_id" in dataset.schema.names else ""
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "part_{name}" {order}')
            con.unregister(f"part_{name}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, file)
