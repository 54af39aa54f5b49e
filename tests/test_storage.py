"""Inputs and outputs on an fsspec URL. moto's S3 server on 127.0.0.1 stands in for a
bucket: an archive there gives the tables of the same files on disk, on the local
engine and on a real Dask cluster, incrementally, after a kill, and to ``query``."""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from congvan.cli import main
from congvan.query import connect
from congvan.schema import TABLES

from conftest import RAW, dask_cluster

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


@dataclass
class Bucket:
    fs: Any  # s3fs, pointed at the server
    env: dict[str, str]  # what another process needs to reach it

    def folder(self) -> str:
        """A fresh folder of the bucket (tests share the server)."""
        return f"archive/{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def s3() -> Iterator[Bucket]:
    pytest.importorskip("s3fs", reason="s3fs is not installed (`make test` installs it)")
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    import fsspec.config
    import s3fs

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {**CREDENTIALS, "FSSPEC_S3_ENDPOINT_URL": endpoint}  # fsspec's own settings by environment
    saved_env = {name: os.environ.get(name) for name in env}
    saved_conf = fsspec.config.conf.get("s3")
    os.environ.update(env)
    fsspec.config.conf["s3"] = {"endpoint_url": endpoint}  # this process read its config at import
    s3fs.S3FileSystem.clear_instance_cache()
    fs = fsspec.filesystem("s3")
    fs.mkdir("archive")
    try:
        yield Bucket(fs, env)
    finally:
        server.stop()
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if saved_conf is None:
            fsspec.config.conf.pop("s3", None)
        else:
            fsspec.config.conf["s3"] = saved_conf
        s3fs.S3FileSystem.clear_instance_cache()


def sample(folder: Path) -> Path:
    """Variants of the sample dispatches, a zip of them, a broken PDF, a CSV (an errors
    row), a hidden file and an output folder (neither read)."""
    folder.mkdir(parents=True)
    for path in sorted(RAW.glob("*.txt")):
        for i in range(2):
            (folder / "in" / f"{i}").mkdir(parents=True, exist_ok=True)
            (folder / "in" / f"{i}" / path.name).write_text(
                path.read_text(encoding="utf-8") + f"\nBản lưu số {i}.\n", encoding="utf-8")
    shutil.make_archive(str(folder / "in" / "samples"), "zip", RAW)
    (folder / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "in" / "list.csv").write_text("a,b\n")
    (folder / "in" / ".hidden.txt").write_text("Số: 1/KH-UBND\n")
    assert main(["run", str(RAW / "s01.txt"), "--out", str(folder / "in" / "old-out"), "--quiet"]) == 0
    return folder / "in"


def upload(s3: Bucket, local: Path) -> str:
    url = f"s3://{s3.folder()}/in"
    s3.fs.put(str(local) + "/", url + "/", recursive=True)
    return url


def normalized(out: str | Path, root: str) -> dict[str, list[dict]]:
    """Every table read through ``query.connect`` (a local folder or a URL), sources
    relative to ``root`` and doc_ids as the source they stand for."""
    con = connect(out)
    docs = dict(con.execute("SELECT doc_id, source FROM documents").fetchall())
    out_rows = {}
    for name in TABLES:
        rows = con.execute(f'SELECT * FROM "{name}"').df().to_dict("records")
        for row in rows:
            if "source" in row:
                row["source"] = row["source"].removeprefix(root)
            if "doc_id" in row:
                row["doc_id"] = docs[row["doc_id"]].removeprefix(root)
            row.pop("header_spans", None)  # arrays: compared through documents.text and fields
        out_rows[name] = [{k: repr(v) for k, v in row.items()} for row in rows]
    return out_rows


def run(*args: str) -> int:
    return main(["run", *args, "--quiet"])


def summary_of(tmp_path: Path, *args: str) -> dict:
    import json

    file = tmp_path / "summary.json"
    assert run(*args, "--summary-json", str(file)) == 0
    return json.loads(file.read_text(encoding="utf-8"))


def test_an_archive_in_a_bucket_gives_the_tables_of_the_same_files_on_disk(s3: Bucket, tmp_path: Path) -> None:
    src = sample(tmp_path / "disk")
    url = upload(s3, src)
    out = url.rsplit("/", 1)[0] + "/out"
    local = summary_of(tmp_path, str(src), "--out", str(tmp_path / "out"), "--batch", "4", "--workers", "1")
    there = summary_of(tmp_path, url, "--out", out, "--batch", "4", "--workers", "1")
    assert there["documents"] == local["documents"] == 15 and there["errors"] == local["errors"] == 2
    assert normalized(out, url) == normalized(tmp_path / "out", str(src.resolve()))
    sources = {r[0] for r in connect(out).execute("SELECT source FROM documents").fetchall()}
    assert f"{url}/samples.zip!s01.txt" in sources and not any(".hidden" in s or "old-out" in s for s in sources)

    assert summary_of(tmp_path, url, "--out", out)["unchanged_skipped"] == 15  # nothing is read twice
    s3.fs.pipe(f"{url[5:]}/0/s02.txt", "Số: 9/KH-UBND\nKính gửi: Sở Y tế\n".encode())
    s3.fs.rm(f"{url[5:]}/1/s03.txt")
    again = summary_of(tmp_path, url, "--out", out, "--prune")
    assert (again["documents"], again["pruned"]) == (1, 1)
    rows = connect(out).execute("SELECT count(*), count(DISTINCT source) FROM documents").fetchone()
    assert rows == (14, 14)
    assert not s3.fs.exists(f"{out[5:]}/_lock") and not s3.fs.find(f"{out[5:]}/_staging")


def test_the_readers_take_a_bucket_output(s3: Bucket, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    url = upload(s3, sample(tmp_path / "disk"))
    out = url.rsplit("/", 1)[0] + "/out"
    assert run(url, "--out", out, "--workers", "1") == 0
    capsys.readouterr()
    assert main(["tasks", "--agency", "Sở Văn hóa, Thể thao và Du lịch", "--out", out, "--format", "csv"]) == 0
    assert f"{url}/0/s01.txt" in capsys.readouterr().out
    assert main(["export", "--out", out, "--xlsx", str(tmp_path / "x.xlsx")]) == 0
    assert load_workbook(tmp_path / "x.xlsx")["Văn bản"].max_row == 15 + 1
    assert main(["report", "--out", out, "--html", str(tmp_path / "report.html")]) == 0
    assert (tmp_path / "report.html").stat().st_size > 10_000


class _Killed(Exception):
    """Stands for kill -9."""


@pytest.mark.parametrize("point", ["before the marker", "between the copy and the delete of a move"])
def test_a_run_killed_in_a_bucket_is_finished_by_the_next(s3: Bucket, tmp_path: Path, monkeypatch,
                                                          point: str) -> None:
    from congvan.storage import RemotePlace
    from congvan.write import PartStore

    url = upload(s3, sample(tmp_path / "disk"))
    out, whole = url.rsplit("/", 1)[0] + "/out", url.rsplit("/", 1)[0] + "/whole"
    calls = {"n": 0}
    if point == "before the marker":
        original = PartStore._stage_without

        def dying(self, *args):
            calls["n"] += 1
            if calls["n"] == 3:
                raise _Killed
            return original(self, *args)

        monkeypatch.setattr(PartStore, "_stage_without", dying)
    else:
        def half_move(self, src: str, dst: str) -> None:
            calls["n"] += 1
            self.fs.copy(self.path(src), self.path(dst))
            if calls["n"] == 12:  # a part of the 2nd batch is in place, and still staged
                raise _Killed
            self.fs.rm_file(self.path(src))

        monkeypatch.setattr(RemotePlace, "move", half_move)
    with pytest.raises(_Killed):
        run(url, "--out", out, "--batch", "4", "--workers", "1")
    monkeypatch.undo()
    assert run(url, "--out", out, "--batch", "4", "--workers", "1") == 0
    assert run(url, "--out", whole, "--batch", "4", "--workers", "1") == 0
    assert normalized(out, url) == normalized(whole, url)
    assert not s3.fs.find(f"{out[5:]}/_staging")


def test_a_url_nobody_can_open_is_one_errors_row_or_a_refused_output(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert run("nosuch://bucket/in", str(RAW / "s01.txt"), "--out", str(out)) == 0
    errors = connect(out).execute("SELECT source, reason FROM errors").fetchall()
    assert errors == [("nosuch://bucket/in", "cannot open nosuch://bucket/in: Protocol not known: nosuch")]
    assert run(str(RAW), "--out", "nosuch://bucket/out") == 2
    assert "cannot open nosuch://bucket/out: Protocol not known" in capsys.readouterr().err


def test_a_bucket_archive_on_a_real_cluster_writes_the_tables_of_a_local_run(s3: Bucket, tmp_path: Path) -> None:
    url = upload(s3, sample(tmp_path / "disk"))
    local, remote = url.rsplit("/", 1)[0] + "/local", url.rsplit("/", 1)[0] + "/remote"
    with dask_cluster(tmp_path, env=s3.env) as address:
        assert run(url, "--out", remote, "--engine", "dask", "--scheduler", address, "--batch", "4") == 0
        assert run(url, "--out", local, "--workers", "1", "--batch", "4") == 0
        assert normalized(remote, url) == normalized(local, url)
        again = summary_of(tmp_path, url, "--out", remote, "--engine", "dask", "--scheduler", address)
        assert again["unchanged_skipped"] == 15
