"""Where inputs and outputs live: local paths, or URLs of any fsspec filesystem
(``s3://bucket/archive``, ``gs://...``, ``hdfs://...``) whose package is installed.

Local paths go through ``os`` as they always did (an archive of a million files is
listed at the speed of ``os.scandir``); only a URL loads fsspec. A ``file://`` URL is
a local path. The output folder is a :class:`Place` either way, so ``write.PartStore``
keeps one protocol for both:

>>> place("out").url("documents") == os.path.abspath("out/documents")
True
"""
from __future__ import annotations

import contextlib
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pyarrow loads when a table is read or written, not with the command line
    import pyarrow as pa

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


class StorageError(Exception):
    """A URL whose filesystem cannot be used: an unknown protocol, or its package is
    not installed."""


def is_url(location: str) -> bool:
    """An fsspec URL that is not a local path (``file://`` is one)."""
    return _URL.match(location) is not None and not location.lower().startswith("file://")


def local(location: str) -> str:
    """A ``file://`` URL as the path it names; anything else unchanged."""
    return location[len("file://"):] if location.lower().startswith("file://") else location


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it. Its options (endpoint,
    credentials) come from the filesystem's own configuration on each machine:
    environment variables such as ``FSSPEC_S3_ENDPOINT_URL``, or fsspec's config files."""
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(url)
    except ImportError as exc:  # fsspec names the package: "Install s3fs to access S3"
        raise StorageError(f"cannot open {url}: {exc}") from None
    except ValueError as exc:
        raise StorageError(f"cannot open {url}: {exc}") from None
    return fs, path.rstrip("/")


# ------------------------------------------------------------------ inputs on a URL

def list_files(url: str) -> Iterator[tuple[str, int]]:
    """Every file at or under ``url`` as (its URL, its size), in the order a local walk
    gives: a folder's files by name, then its folders by name. Raises
    ``FileNotFoundError`` when nothing is there."""
    fs, path = filesystem(url)
    if fs.isfile(path):
        yield fs.unstrip_protocol(path), int(fs.size(path) or 0)
        return
    found = fs.find(path, withdirs=False, detail=True)
    if not found and not fs.isdir(path):
        raise FileNotFoundError(url)
    for name in sorted(found, key=lambda p: _walk_order(p[len(path):])):
        info = found[name]
        if info.get("type", "file") == "file":
            yield fs.unstrip_protocol(name), int(info.get("size") or 0)


def _walk_order(relative: str) -> list[tuple[int, str]]:
    parts = relative.strip("/").split("/")
    return [(1, part) for part in parts[:-1]] + [(0, parts[-1])]


def load(url: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the file at ``url`` (the caller tells a file over
    the limit by its length)."""
    fs, path = filesystem(url)
    with fs.open(path, "rb") as handle:
        return handle.read(limit + 1)


def open_file(url: str) -> Any:
    """A seekable binary file object (a zip archive is read from it in place)."""
    fs, path = filesystem(url)
    return fs.open(path, "rb")


def exists(url: str) -> bool:
    fs, path = filesystem(url)
    return bool(fs.exists(path))


# ------------------------------------------------------------------ an output folder

class Place(ABC):
    """A folder of files named relative to it (``documents/part-000001.parquet``)."""

    root: str

    @abstractmethod
    def path(self, name: str = "") -> str:
        """The file's path on :meth:`filesystem` (what pyarrow opens it by)."""

    @abstractmethod
    def filesystem(self) -> Any:
        """The fsspec filesystem the paths are on; None for this machine's own."""

    @abstractmethod
    def is_folder(self) -> bool:
        """Whether the folder is there (an object store has one once a file is in it)."""

    @abstractmethod
    def url(self, name: str = "") -> str:
        """What another process opens ``name`` by (a local path or a URL)."""

    @abstractmethod
    def names(self, folder: str) -> list[str]:
        """The names of the files in ``folder``; none when it does not exist."""

    @abstractmethod
    def sizes(self, folder: str) -> dict[str, int]:
        """The files in ``folder`` with their sizes (one listing); none when it does not exist."""

    @abstractmethod
    def makedirs(self, folder: str = "") -> None:
        """The folder and its parents (nothing to do on an object store)."""

    @abstractmethod
    def exists(self, name: str) -> bool:
        """Whether the file is there now (no cached listing)."""

    @abstractmethod
    def read_text(self, name: str) -> str:
        """The file's text; ``FileNotFoundError`` when there is none."""

    @abstractmethod
    def write_text(self, name: str, text: str) -> None:
        """The whole file at once: a reader sees the old content or the new, never part."""

    @abstractmethod
    def move(self, src: str, dst: str) -> None:
        """``src`` replaces ``dst``; when ``src`` is gone the move was made."""

    @abstractmethod
    def remove(self, name: str) -> None:
        """Delete the file, if it is there."""

    @abstractmethod
    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """A Parquet file, or some of its columns."""

    @abstractmethod
    def write_table(self, table: pa.Table, name: str) -> None:
        """A Parquet file, whole at once (as :meth:`write_text`)."""

    @abstractmethod
    def num_rows(self, name: str) -> int:
        """Rows of a Parquet file, from its footer."""


class LocalPlace(Place):
    """A folder on this machine (or a shared filesystem mounted here)."""

    def __init__(self, path: str) -> None:
        self.root = os.path.abspath(path)

    def path(self, name: str = "") -> str:
        return os.path.join(self.root, name) if name else self.root

    def filesystem(self) -> Any:
        return None

    def is_folder(self) -> bool:
        return os.path.isdir(self.root)

    def url(self, name: str = "") -> str:
        return self.path(name)

    def names(self, folder: str) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.path(folder)) if not e.is_dir()]
        except FileNotFoundError:
            return []

    def sizes(self, folder: str) -> dict[str, int]:
        try:
            with os.scandir(self.path(folder)) as listing:
                return {e.name: e.stat().st_size for e in listing if not e.is_dir()}
        except FileNotFoundError:
            return {}

    def makedirs(self, folder: str = "") -> None:
        os.makedirs(self.path(folder), exist_ok=True)

    def exists(self, name: str) -> bool:
        return os.path.exists(self.path(name))

    def read_text(self, name: str) -> str:
        with open(self.path(name), encoding="utf-8") as handle:
            return handle.read()

    def _temporary(self, name: str) -> tuple[str, str]:
        """The file's path and a hidden one beside it to write first (a rename then
        puts it in place whole; a run killed before it leaves only ``.name.tmp``)."""
        final = self.path(name)
        return final, os.path.join(os.path.dirname(final), f".{os.path.basename(final)}.tmp")

    def write_text(self, name: str, text: str) -> None:
        final, tmp = self._temporary(name)
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, final)

    def move(self, src: str, dst: str) -> None:
        os.replace(self.path(src), self.path(dst))

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(name))

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        import pyarrow.parquet as pq

        return pq.read_table(self.path(name), columns=columns)

    def write_table(self, table: pa.Table, name: str) -> None:
        import pyarrow.parquet as pq

        final, tmp = self._temporary(name)
        pq.write_table(table, tmp)
        os.replace(tmp, final)

    def num_rows(self, name: str) -> int:
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(self.path(name)).metadata.num_rows)


class RemotePlace(Place):
    """A folder on an fsspec filesystem. Object stores have no rename: a move is a
    copy, then a delete of the source, so a move cut short by a kill is made again
    (the copy is whole or absent: an object appears when its upload completes)."""

    def __init__(self, url: str) -> None:
        self.fs, self.root = filesystem(url)

    def path(self, name: str = "") -> str:
        return f"{self.root}/{name}" if name else self.root

    def filesystem(self) -> Any:
        return self.fs

    def is_folder(self) -> bool:
        self.fs.invalidate_cache(self.root)
        return bool(self.fs.isdir(self.root))

    def url(self, name: str = "") -> str:
        return str(self.fs.unstrip_protocol(self.path(name)))

    def names(self, folder: str) -> list[str]:
        return list(self.sizes(folder))  # one listing gives both

    def sizes(self, folder: str) -> dict[str, int]:
        try:
            listing = self.fs.ls(self.path(folder), detail=True, refresh=True)
        except FileNotFoundError:
            return {}
        return {entry["name"].rstrip("/").rsplit("/", 1)[-1]: int(entry.get("size") or 0)
                for entry in listing if entry.get("type") == "file"}

    def makedirs(self, folder: str = "") -> None:
        self.fs.makedirs(self.path(folder), exist_ok=True)

    def exists(self, name: str) -> bool:
        self.fs.invalidate_cache(self.path(name))
        return bool(self.fs.exists(self.path(name)))

    def read_text(self, name: str) -> str:
        self.fs.invalidate_cache(self.path(name))
        return bytes(self.fs.cat_file(self.path(name))).decode("utf-8")

    def write_text(self, name: str, text: str) -> None:
        self.fs.pipe_file(self.path(name), text.encode("utf-8"))

    def move(self, src: str, dst: str) -> None:
        self.fs.copy(self.path(src), self.path(dst))
        self.fs.rm_file(self.path(src))

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self.path(name))

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        import pyarrow.parquet as pq

        with self.fs.open(self.path(name), "rb") as handle:
            return pq.read_table(handle, columns=columns)

    def write_table(self, table: pa.Table, name: str) -> None:
        import pyarrow.parquet as pq

        with self.fs.open(self.path(name), "wb") as handle:
            pq.write_table(table, handle)

    def num_rows(self, name: str) -> int:
        import pyarrow.parquet as pq

        with self.fs.open(self.path(name), "rb") as handle:
            return int(pq.ParquetFile(handle).metadata.num_rows)


def place(location: str | os.PathLike[str]) -> Place:
    """The folder at a local path or an fsspec URL."""
    text = os.fspath(location)
    return RemotePlace(text) if is_url(text) else LocalPlace(local(text))
