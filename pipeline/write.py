"""Write table rows (made by ``rows``) as Parquet part files.

Rows come from the same records as the per-document JSON, so the two never
disagree. The output is one folder per table, ``OUT/<table>/part-NNNNNN.parquet``
(read it with ``pd.read_parquet("OUT/documents")`` or DuckDB
``read_parquet('OUT/documents/*.parquet')``). See :class:`PartStore` for how runs
append, skip, replace and survive being killed.
"""
from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .read import split_member
from .rows import doc_id, document_rows, error_rows  # noqa: F401 (public here too)
from .schema import COMMITS, TABLES
from .storage import Place, place

ROW_GROUP = 2000
STAGING = "_staging"  # a batch's files before its commit marker; never a reader's


def give_back_memory() -> None:
    """Return the freed heap of a written batch to the system (glibc's malloc keeps it
    otherwise, and a long run's resident memory creeps up); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


class OutputBusy(RuntimeError):
    """Another live run holds the output folder."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _started(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, /proc), None where unknown:
    it tells a run from a later process that got the same pid."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _lock_record() -> dict[str, Any]:
    return {"program": "congvan", "pid": os.getpid(), "host": socket.gethostname(),
            "started": _started(os.getpid())}


def _holder(text: str) -> str | None:
    """Who holds a lock, if a live congvan run does; None for a stale lock (its run
    died, or its pid now belongs to another program)."""
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if isinstance(record, int):  # the lock of 0.1 held only the pid
        pid = record
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            cmdline = b"congvan"  # nothing to tell by: trust the pid
        held = pid != os.getpid() and _alive(pid) and b"congvan" in cmdline
        return f"pid {pid}" if held else None
    if not isinstance(record, dict) or not isinstance(record.get("pid"), int):
        return None
    pid, host = record["pid"], record.get("host")
    if host != socket.gethostname():
        return f"pid {pid} on {host}"  # another machine's run cannot be checked from here
    if pid == os.getpid() or not _alive(pid):
        return None
    started = _started(pid)
    if record.get("started") is not None and started is not None and started != record["started"]:
        return None  # the pid was reused by another process
    return f"pid {pid}"


# The newest committed appearance of one source: its batch and the SHA-256 digest of
# its content, None when it ended in ``errors``. A tuple with raw bytes, not an
# object with hex strings: a run over 100,000 sources holds 100,000 of these.
_Entry = tuple[int, bytes | None]


def source_key(source: str) -> bytes:
    """A source name as 16 bytes (BLAKE2b), the key of the per-source index: paths
    are ~100 characters and a run over an archive holds one per file."""
    return hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class PartStore:
    """The output folder as an append-only set of committed batches.

    A table's folder only ever holds committed parts, so any Parquet reader
    (``pd.read_parquet("OUT/documents")``) sees whole batches. A batch is written to
    ``_staging/`` first: one part file per table, and a rewritten copy of every older
    part that holds an earlier appearance of one of its sources (a changed file, a
    file redone with ``--force``, an error that later succeeded), without those rows.
    Then its marker ``_commits/NNNNNN`` is written, listing the staged files, and they
    are moved into the table folders. A run killed before the marker leaves staged
    files that the next run deletes; one killed after it leaves moves that the next
    run finishes first. Sources already in the output with the same content hash are
    skipped by the caller (:meth:`unchanged`).
    """

    out_dir: Path | str  # a local folder or an fsspec URL (see ``storage``)
    _seq: int = 0
    _latest: dict[bytes, _Entry] = field(default_factory=dict)  # by source_key(source)
    _stale: set[tuple[int, str]] = field(default_factory=set)  # (seq, doc_id or "!"+source)
    _agency_ids: set[str] = field(default_factory=set)
    _members: dict[bytes, list[bytes]] = field(default_factory=dict)  # archive key -> member keys
    counts: dict[str, int] = field(default_factory=lambda: {name: 0 for name in TABLES})
    place: Place = field(init=False)

    def __post_init__(self) -> None:
        self.place = place(self.out_dir)

    # ------------------------------------------------------------ opening
    def open(self) -> PartStore:
        # the system allocator gives freed batch buffers back; Arrow's default pool
        # keeps them, which costs the writing process ~50 MB for nothing
        pa.set_memory_pool(pa.system_memory_pool())
        self.place.makedirs()
        self._lock()
        for folder in (COMMITS, STAGING, *TABLES):
            self.place.makedirs(folder)
        for name in TABLES:
            self.place.remove(f"{name}.parquet")  # the single-file layout of 0.1
        committed = self._committed()
        self._seq = max(committed, default=0)
        for seq in sorted(committed):
            self._settle(seq)  # a run killed while it moved a committed batch in
        self._drop_uncommitted(committed)
        self._load_latest()
        self.reconcile()
        self._agency_ids = set(self._column("agencies", "agency_id"))
        return self

    def _lock(self) -> None:
        """One run writes a folder at a time; a lock left by a killed run is taken over."""
        try:
            holder = _holder(self.place.read_text("_lock").strip())
        except FileNotFoundError:
            holder = None
        if holder:
            raise OutputBusy(f"{self.out_dir} is being written by another run ({holder}); if no congvan "
                             f"run is writing it, delete {self.place.url('_lock')} and start again")
        self.place.write_text("_lock", json.dumps(_lock_record()) + "\n")

    def unlock(self) -> None:
        self.place.remove("_lock")

    def _committed(self) -> set[int]:
        return {int(name) for name in self.place.names(COMMITS) if name.isdigit()}

    def _parts(self, name: str) -> list[tuple[int, str]]:
        """A table's part files as (batch, name relative to the output), by batch."""
        out = []
        for file in self.place.names(name):
            if file.startswith("part-") and file.endswith(".parquet"):
                out.append((int(file[len("part-"):-len(".parquet")]), f"{name}/{file}"))
        return sorted(out)

    def _drop_uncommitted(self, committed: set[int]) -> None:
        for staged in self.place.names(STAGING):
            self.place.remove(f"{STAGING}/{staged}")  # written by a run killed before its marker
        for folder in (COMMITS, *TABLES):
            for file in self.place.names(folder):
                if file.startswith(".") and file.endswith(".tmp"):
                    self.place.remove(f"{folder}/{file}")
        for name in TABLES:
            for seq, path in self._parts(name):
                if seq and seq not in committed:  # seq 0: the empty schema placeholder
                    self.place.remove(path)

    def _column(self, name: str, column: str) -> list[Any]:
        values: list[Any] = []
        for _, path in self._parts(name):
            values.extend(self.place.read_table(path, columns=[column]).column(column).to_pylist())
        return values

    def _load_latest(self) -> None:
        """Every source's appearances in committed batches, oldest first."""
        for seq, path in self._parts("documents"):
            t = self.place.read_table(path, columns=["source", "sha256"])
            for src, sha in zip(*(t.column(c).to_pylist() for c in t.column_names), strict=False):
                self._see(src, seq, sha)
        for seq, path in self._parts("errors"):
            for src in self.place.read_table(path, columns=["source"]).column("source").to_pylist():
                self._see(src, seq, None)

    def _see(self, source: str, seq: int, sha256: str | None) -> None:
        old = self._earlier(source)
        if old is not None:
            self._stale.add(old)
        self._record(source, seq, None if sha256 is None else bytes.fromhex(sha256))

    def _record(self, source: str, seq: int, digest: bytes | None, key: bytes | None = None) -> None:
        key = source_key(source) if key is None else key
        if key not in self._latest and "!" in source:
            archive, _ = split_member(source)
            self._members.setdefault(source_key(archive), []).append(key)
        self._latest[key] = (seq, digest)

    def _earlier(self, source: str, key: bytes | None = None) -> tuple[int, str] | None:
        """The batch and row key (doc_id, or ``!source`` for an errors row) of the
        source's newest appearance so far, None for a new source."""
        old = self._latest.get(source_key(source) if key is None else key)
        if old is None:
            return None
        old_seq, digest = old
        return old_seq, "!" + source if digest is None else doc_id(source, digest.hex())

    # ------------------------------------------------------------ reading state
    def known(self, key: bytes) -> dict[bytes, bytes]:
        """The content digests already in the output of the source of this key and, for
        a zip archive, of each of its members: what a worker may skip (by source_key)."""
        members = self._members.get(key)
        if members is None:  # a plain file (the driver asks once per input file)
            entry = self._latest.get(key)
            return {key: entry[1]} if entry is not None and entry[1] is not None else {}
        keys = [key, *members]
        return {k: digest for k in keys if (entry := self._latest.get(k)) and (digest := entry[1]) is not None}

    def unchanged(self, source: str, sha256: str) -> bool:
        """The same content of this source is already in the output."""
        entry = self._latest.get(source_key(source))
        return entry is not None and entry[1] is not None and entry[1].hex() == sha256

    # ------------------------------------------------------------ writing
    def commit(self, batch: Iterable[dict[str, list[dict[str, Any]]]]) -> None:
        """Write one batch (a list of per-document row sets) as committed parts."""
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for item in batch:
            for name, table_rows in item.items():
                rows[name].extend(table_rows)
        rows["agencies"] = self._new_agencies(rows["agencies"])
        if not any(rows.values()):
            return
        seq = self._seq + 1
        staged = {name: self._stage(f"{name}-part-{seq:06d}.parquet", as_table(name, table_rows))
                  for name, table_rows in rows.items() if table_rows}
        self._commit_staged(seq, staged, [(r["source"], r["sha256"], source_key(r["source"]))
                                          for r in rows["documents"]],
                            [(r["source"], source_key(r["source"])) for r in rows["errors"]],
                            {name: len(table_rows) for name, table_rows in rows.items()})

    def commit_staged(self, staged: dict[str, str], documents: list[tuple[str, str, bytes]],
                      errors: list[tuple[str, bytes]], agencies: list[dict[str, Any]],
                      counts: dict[str, int]) -> None:
        """Commit a batch whose parts a worker already wrote into :attr:`staging`:
        ``staged`` maps a table to its file there; ``documents`` are the batch's
        (source, sha256, source_key) and ``errors`` its errors rows' (source,
        source_key), in order (the worker computed the keys); the agencies new to the
        output are written here."""
        seq = self._seq + 1
        fresh = self._new_agencies(agencies)
        if fresh:
            file = self._stage(f"agencies-part-{seq:06d}.parquet", as_table("agencies", fresh))
            staged = {**staged, "agencies": file}
        if not staged:
            return
        self._commit_staged(seq, staged, documents, errors, {**counts, "agencies": len(fresh)})

    @property
    def staging(self) -> str:
        """Where a batch's files wait for its commit marker (workers write here too):
        a local path or a URL that another machine can open."""
        return self.place.url(STAGING)

    def _commit_staged(self, seq: int, staged: dict[str, str], documents: list[tuple[str, str, bytes]],
                       errors: list[tuple[str, bytes]], counts: dict[str, int]) -> None:
        moves = [[file, f"{name}/part-{seq:06d}.parquet"] for name, file in staged.items()]
        sources = [(source, key) for source, _, key in documents] + errors
        earlier = {e for source, key in sources if (e := self._earlier(source, key))}
        moves += self._stage_without(_by_batch(earlier))
        self.place.write_text(f"{COMMITS}/{seq:06d}", json.dumps(moves) + "\n")  # the batch exists from here on
        self._settle(seq)
        self._seq = seq
        for source, sha, key in documents:
            self._record(source, seq, bytes.fromhex(sha), key)
        for source, key in errors:
            self._record(source, seq, None, key)
        for name, n in counts.items():
            self.counts[name] += n

    def _stage(self, file: str, table: pa.Table) -> str:
        self.place.write_table(table, f"{STAGING}/{file}")
        return file

    def _stage_without(self, stale: tuple[dict[int, set[str]], dict[int, set[str]]]) -> list[list[str]]:
        """Rewritten copies, staged, of the older parts that hold the stale rows."""
        out: list[list[str]] = []
        if not any(stale):
            return out  # a batch of new sources: no part is listed
        for name, column, by_seq in self._stale_targets(stale):
            for seq, path in self._parts(name):
                if seq in by_seq:
                    table = self.place.read_table(path)
                    kept = _without(table, column, by_seq[seq])
                    if kept.num_rows < table.num_rows:
                        out.append([self._stage(f"{name}-part-{seq:06d}.parquet", kept), path])
        return out

    @staticmethod
    def _stale_targets(stale: tuple[dict[int, set[str]], dict[int, set[str]]]):
        docs, errors = stale
        for name in TABLES:
            if name != "agencies":
                yield (name, "source", errors) if name == "errors" else (name, "doc_id", docs)

    def _settle(self, seq: int) -> None:
        """Move the staged files of committed batch ``seq`` into the table folders
        (again after a kill: a file already moved is not staged any more)."""
        text = self.place.read_text(f"{COMMITS}/{seq:06d}").strip()
        for staged, final in json.loads(text) if text else []:  # markers of 0.1 are empty
            if self.place.exists(f"{STAGING}/{staged}"):
                self.place.move(f"{STAGING}/{staged}", final)

    def _new_agencies(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        fresh = []
        for r in rows:  # one row per agency across the whole output
            if r["agency_id"] not in self._agency_ids:
                self._agency_ids.add(r["agency_id"])
                fresh.append(r)
        return fresh

    def _write(self, name: str, seq: int, table: pa.Table) -> None:
        self.place.write_table(table, f"{name}/part-{seq:06d}.parquet")

    def prune(self, gone: Callable[[str], bool]) -> int:
        """Remove the rows of every source for which ``gone(source)`` holds (its file
        was deleted or renamed); returns how many sources were removed."""
        removed: set[str] = set()
        for name, column in (("documents", "doc_id"), ("errors", None)):
            for seq, path in self._parts(name):
                columns = ["source", column] if column else ["source"]
                t = self.place.read_table(path, columns=columns).to_pydict()
                for i, source in enumerate(t["source"]):
                    if source in removed or gone(source):
                        removed.add(source)
                        self._stale.add((seq, t[column][i] if column else "!" + source))
                        self._latest.pop(source_key(source), None)
        self.reconcile()
        return len(removed)

    # ------------------------------------------------------------ closing
    def reconcile(self) -> int:
        """Remove the rows of every source's older appearances; returns rows removed."""
        if not self._stale:
            return 0
        removed = 0
        for name, column, stale in self._stale_targets(_by_batch(self._stale)):
            for seq, path in self._parts(name):
                if seq in stale:
                    removed += self._filter(path, column, stale[seq])
        self._stale.clear()
        return removed

    def _filter(self, path: str, column: str, drop: set[str]) -> int:
        table = self.place.read_table(path)
        kept = _without(table, column, drop)
        if kept.num_rows == table.num_rows:
            return 0
        self.place.write_table(kept, path)
        return table.num_rows - kept.num_rows

    def close(self) -> dict[str, str]:
        """Reconcile, and give every table at least its (empty) schema file; returns
        each table's folder (a local path or a URL)."""
        self.reconcile()
        self.unlock()
        paths = {}
        for name, schema in TABLES.items():
            if not self._parts(name):
                self._write(name, 0, schema.empty_table())
            paths[name] = self.place.url(name)
        return paths

    def totals(self) -> dict[str, int]:
        """Rows per table in the whole output (all runs)."""
        return {name: sum(self.place.num_rows(p) for _, p in self._parts(name)) for name in TABLES}


def _by_batch(keys: Iterable[tuple[int, str]]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Row keys by batch: doc_ids, and the sources of errors rows (``!source``)."""
    docs: dict[int, set[str]] = {}
    errors: dict[int, set[str]] = {}
    for seq, key in keys:
        if key.startswith("!"):
            errors.setdefault(seq, set()).add(key[1:])
        else:
            docs.setdefault(seq, set()).add(key)
    return docs, errors


def as_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=TABLES[name])


def _without(table: pa.Table, column: str, drop: set[str]) -> pa.Table:
    return table.filter(pc.invert(pc.is_in(table.column(column), value_set=pa.array(sorted(drop)))))


def read_table(out_dir: Path | str, name: str) -> pa.Table:
    """One output table, its committed parts in order (what a reader should see)."""
    folder = Path(out_dir) / name
    committed = {p.name for p in (Path(out_dir) / COMMITS).glob("[0-9]*")}
    parts = sorted(p for p in folder.glob("part-*.parquet")
                   if p.stem.split("-")[1] in committed or int(p.stem.split("-")[1]) == 0)
    schema = TABLES[name]
    tables = [_as_schema(pq.read_table(p), schema) for p in parts]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _as_schema(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A part written before a column was added gets it as nulls (an archive's older
    parts stay readable after an upgrade); columns come in the schema's order."""
    for f in schema:
        if f.name not in table.column_names:
            table = table.append_column(pa.field(f.name, f.type), pa.nulls(len(table), f.type))
    return table.select(schema.names).cast(schema)
