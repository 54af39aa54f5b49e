"""Archive runs: parallel, incremental, resumable after kill -9, and on Dask."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from congvan.cli import main
from congvan.schema import TABLES
from congvan.write import read_table

from conftest import RAW, dask_cluster

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def archive(folder: Path, copies: int) -> Path:
    """``copies`` variants of each sample dispatch (a line differs, so hashes differ)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for i in range(copies):
            (folder / f"{path.stem}_{i:03d}.txt").write_text(
                text + f"\nBản sao lưu trữ số {i}.\n", encoding="utf-8")
    return folder


def tables(out: Path) -> dict[str, list[dict]]:
    return {name: read_table(out, name).to_pylist() for name in TABLES}


def run(*args: str) -> int:
    return main(["run", *args, "--quiet"])


def test_two_workers_write_the_same_tables_as_one(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 3)
    assert run(str(src), "--out", str(tmp_path / "w1"), "--workers", "1") == 0
    assert run(str(src), "--out", str(tmp_path / "w2"), "--workers", "2", "--batch", "4") == 0
    one, two = tables(tmp_path / "w1"), tables(tmp_path / "w2")
    assert len(one["documents"]) == 15
    assert one == two


def test_a_second_run_skips_what_is_unchanged_and_force_redoes_it(tmp_path: Path) -> None:
    src, out = archive(tmp_path / "in", 2), tmp_path / "out"
    assert run(str(src), "--out", str(out), "--workers", "1") == 0
    first = tables(out)
    summary = tmp_path / "s.json"
    assert run(str(src), "--out", str(out), "--summary-json", str(summary)) == 0
    figures = json.loads(summary.read_text(encoding="utf-8"))
    assert figures["documents"] == 0 and figures["unchanged_skipped"] == 10
    assert figures["rows_total"]["documents"] == 10
    assert tables(out) == first
    assert run(str(src), "--out", str(out), "--force", "--workers", "1") == 0
    again = tables(out)
    assert again == first  # redone, never duplicated


def test_a_changed_file_replaces_its_old_rows(tmp_path: Path) -> None:
    src, out = archive(tmp_path / "in", 1), tmp_path / "out"
    assert run(str(src), "--out", str(out), "--workers", "1") == 0
    old_id = next(d["doc_id"] for d in tables(out)["documents"] if d["source"].endswith("s03_000.txt"))
    target = src / "s03_000.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("20 tháng 9", "25 tháng 9"),
                      encoding="utf-8")
    assert run(str(src), "--out", str(out), "--workers", "1") == 0
    t = tables(out)
    rows = [d for d in t["documents"] if d["source"].endswith("s03_000.txt")]
    assert len(rows) == 1 and rows[0]["doc_id"] != old_id
    for name in ("references", "recipients", "directives", "obligations", "deadlines"):
        assert not [r for r in t[name] if r["doc_id"] == old_id], name
    assert "2023-09-25" in {d["date"] for d in t["deadlines"] if d["doc_id"] == rows[0]["doc_id"]}
    assert len(t["documents"]) == 5


def test_an_error_that_is_mended_leaves_the_errors_table(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_bytes(b"")
    assert main(["run", str(src), "--out", str(out), "--quiet"]) == 1  # nothing readable
    assert [e["source"] for e in tables(out)["errors"]] == [str(src / "a.txt")]
    (src / "a.txt").write_text((RAW / "s01.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run(str(src), "--out", str(out)) == 0
    t = tables(out)
    assert t["errors"] == [] and len(t["documents"]) == 1


def test_a_run_killed_part_way_ends_equal_to_an_uninterrupted_one(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 16)  # 80 documents
    whole = tmp_path / "whole"
    assert run(str(src), "--out", str(whole), "--workers", "1", "--batch", "5") == 0
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "congvan.cli", "run", str(src), "--out", str(out),
           "--workers", "2", "--batch", "5", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True)
    commits = out / "_commits"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if commits.is_dir() and len(list(commits.iterdir())) >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-write
    proc.wait()
    assert len(tables(out)["documents"]) < 80  # killed part-way
    assert run(str(src), "--out", str(out), "--workers", "2", "--batch", "5") == 0
    assert tables(out) == tables(whole)
    leftovers = [p for p in out.rglob(".*") if p.is_file()]
    assert leftovers == []


def test_bad_worker_count_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["run", str(RAW), "--out", str(tmp_path), "--workers", "0", "--quiet"]) == 2


def test_dask_engine_writes_the_same_tables_as_the_local_engine(dev_corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run(str(dev_corpus), "--out", str(local), "--workers", "1") == 0
    assert run(str(dev_corpus), "--out", str(dask), "--engine", "dask", "--workers", "2") == 0
    assert tables(dask) == tables(local)


def _lock_of(pid: int) -> dict:
    """The lock a run with this pid writes."""
    from congvan.write import _started

    return {"program": "congvan", "pid": pid, "host": socket.gethostname(), "started": _started(pid)}


def test_a_folder_being_written_by_a_live_run_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (out / "_lock").write_text(json.dumps(_lock_of(holder.pid)))
        assert main(["run", str(RAW), "--out", str(out), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"pid {holder.pid}" in err and f"delete {out / '_lock'}" in err  # how to clear it
    finally:
        holder.kill()
        holder.wait()
    assert run(str(RAW), "--out", str(out)) == 0  # the holder is gone: its lock is stale
    assert not (out / "_lock").exists()


def test_parts_written_before_a_column_was_added_still_read(tmp_path):
    """An archive's output from an older congvan (no ``encoding`` columns) stays
    readable beside new parts: the missing columns read as nulls."""
    import pyarrow.parquet as pq

    from congvan.write import read_table

    out = tmp_path / "out"
    assert main(["run", str(RAW / "s01.txt"), "--out", str(out), "--quiet"]) == 0
    part = next((out / "documents").glob("part-0*[1-9].parquet"))
    old = pq.read_table(part).drop_columns(["encoding", "encoding_confidence"])
    pq.write_table(old, part)
    assert main(["run", str(RAW / "s02.txt"), "--out", str(out), "--quiet"]) == 0
    docs = read_table(out, "documents").to_pylist()
    assert [(d["source"].rsplit("/", 1)[-1], d["encoding"]) for d in docs] == [
        ("s01.txt", None), ("s02.txt", "utf-8")]


# ---------------------------------------------------------------- one source, one file


def _sources(out: Path) -> list[str]:
    t = tables(out)
    return [r["source"] for r in t["documents"] + t["errors"]]


def test_the_same_files_under_other_spellings_are_stored_once(tmp_path: Path, monkeypatch) -> None:
    src = archive(tmp_path / "in", 1)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    assert run("in", "--out", str(out)) == 0
    assert run(str(src), "--out", str(out)) == 0  # /abs/path/in
    monkeypatch.chdir(src)
    assert run(".", "--out", str(out)) == 0  # from inside the folder
    assert run("./s01_000.txt", "in/../s02_000.txt", "--out", str(out)) == 0
    (tmp_path / "link").symlink_to(src, target_is_directory=True)
    (tmp_path / "s03.txt").symlink_to(src / "s03_000.txt")
    assert run(str(tmp_path / "s03.txt"), "--out", str(out)) == 0  # a link to a file
    sources = _sources(out)
    assert len(sources) == 5 and sorted(sources) == sorted(str(p) for p in src.glob("*.txt"))
    assert all(len(rows) == len({r["doc_id"] for r in rows})
               for name, rows in tables(out).items() if name == "documents")


def test_a_renamed_file_keeps_its_old_rows_until_prune(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 1)
    out = tmp_path / "out"
    assert run(str(src), "--out", str(out)) == 0
    (src / "s01_000.txt").rename(src / "renamed.txt")
    assert run(str(src), "--out", str(out)) == 0
    names = sorted(Path(s).name for s in _sources(out))
    assert "s01_000.txt" in names and "renamed.txt" in names  # the default keeps rows
    summary = tmp_path / "run.json"
    assert run(str(src), "--out", str(out), "--prune", "--summary-json", str(summary)) == 0
    names = sorted(Path(s).name for s in _sources(out))
    assert "s01_000.txt" not in names and len(names) == 5
    assert json.loads(summary.read_text())["pruned"] == 1
    docs = tables(out)["documents"]
    ids = {r["doc_id"] for r in docs}
    assert all(r["doc_id"] in ids for r in tables(out)["obligations"])  # no orphan rows


def test_prune_removes_deleted_files_and_vanished_members_but_not_files_outside_the_inputs(
        tmp_path: Path) -> None:
    import zipfile
    src = archive(tmp_path / "in", 1)
    other = archive(tmp_path / "other", 1)
    out = tmp_path / "out"
    zpath = tmp_path / "docs.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.write(src / "s01_000.txt", "a/one.txt")
        z.write(src / "s02_000.txt", "a/two.txt")
    (src / "broken.docx").write_bytes(b"not a docx")  # an errors row
    assert run(str(src), str(other), str(zpath), "--out", str(out)) == 0
    assert len(_sources(out)) == 13
    (src / "s04_000.txt").unlink()
    (src / "broken.docx").unlink()
    with zipfile.ZipFile(zpath, "w") as z:  # the archive lost a member
        z.write(src / "s01_000.txt", "a/one.txt")
    assert run(str(src), str(zpath), "--out", str(out), "--prune") == 0
    names = {s.replace(str(tmp_path), "") for s in _sources(out)}
    assert "/in/s04_000.txt" not in names and "/in/broken.docx" not in names
    assert f"/docs.zip!a/two.txt" not in names and "/docs.zip!a/one.txt" in names
    assert {f"/other/s0{i}_000.txt" for i in range(1, 6)} <= names  # not read, still there
    assert len(names) == 4 + 1 + 5


# ---------------------------------------------------------------- bounded work


def _stalling_extract(real):
    """An extraction that never ends on a text holding STALL, and that wants far more
    memory than it may have on one holding HOG."""
    def extract(text: str):
        if "STALL" in text:
            while True:
                pass
        if "HOG" in text:
            hog = bytearray(1 << 30)  # 1 GB
            return hog
        return real(text)
    return extract


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_that_stalls_is_an_errors_row_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch, workers: str) -> None:
    from congvan import parallel
    src = archive(tmp_path / "in", 1)
    (src / "stall.txt").write_text("Công văn STALL", encoding="utf-8")
    (src / "hog.txt").write_text("Công văn HOG", encoding="utf-8")
    monkeypatch.setattr(parallel, "extract", _stalling_extract(parallel.extract))
    out = tmp_path / "out"
    assert run(str(src), "--out", str(out), "--workers", workers, "--time-limit", "1",
               "--memory-limit", "300") == 0
    t = tables(out)
    assert len(t["documents"]) == 5
    reasons = {Path(e["source"]).name: (e["stage"], e["reason"]) for e in t["errors"]}
    assert reasons["stall.txt"] == ("extract", "time limit: extraction ran past 1 s of CPU")
    if workers == "2":  # in one process memory is not capped (it would bind the writer)
        assert reasons["hog.txt"][1].startswith("memory limit")


def test_budgets_must_not_be_negative(tmp_path: Path) -> None:
    assert run(str(tmp_path), "--out", str(tmp_path / "o"), "--time-limit", "-1") == 2


# ---------------------------------------------------------------- the run as a library

def test_a_program_runs_an_archive_without_the_command_line(tmp_path: Path) -> None:
    from congvan.run import RunOptions, run_archive

    src = archive(tmp_path / "in", 2)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    seen: list[tuple[str, int]] = []
    result = run_archive([str(src)], RunOptions(out=tmp_path / "out", workers=1),
                         lambda item, stats: seen.append((type(item).__name__, stats.documents)))
    assert (result.stats.documents, result.stats.errors) == (10, 1)
    assert sorted(kind for kind, _ in seen) == ["ErrorRecord"] + ["SourceDoc"] * 10
    assert max(n for _, n in seen) == 10  # the stats count each item before it is shown
    assert result.summary["rows_total"]["documents"] == 10 == len(tables(tmp_path / "out")["documents"])
    assert set(result.paths) == set(TABLES)
    again = run_archive([str(src)], RunOptions(out=tmp_path / "out", workers=1))
    assert (again.stats.documents, again.stats.skipped) == (0, 10)


def test_a_run_that_cannot_start_raises_a_run_error(tmp_path: Path) -> None:
    from congvan.run import RunError, RunOptions, run_archive

    with pytest.raises(RunError, match="at least 1"):
        run_archive([str(RAW)], RunOptions(out=tmp_path / "out", batch=0))
    with pytest.raises(RunError, match="unknown engine"):
        run_archive([str(RAW)], RunOptions(out=tmp_path / "out", engine="spark"))
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunError):  # the output is a file, not a folder
        run_archive([str(RAW)], RunOptions(out=tmp_path / "file", workers=1))


# ---------------------------------------------------------------- what any reader sees

class _Killed(Exception):
    """Stands for kill -9 at one point of a commit."""


def _plain_reader(out: Path, name: str) -> list[dict]:
    """What pd.read_parquet("OUT/documents") reads: every file in the folder."""
    import pyarrow.dataset as ds

    return ds.dataset(out / name, format="parquet").to_table().to_pylist()


def _killed_at(monkeypatch, method: str, at_commit: int) -> None:
    """Make the ``at_commit``-th call of PartStore.<method> die before it runs."""
    from congvan.write import PartStore

    calls = {"n": 0}
    original = getattr(PartStore, method)

    def dying(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at_commit:
            raise _Killed
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PartStore, method, dying)


@pytest.mark.parametrize("point", ["before the marker", "after the marker"])
def test_a_plain_parquet_reader_sees_only_committed_batches_after_a_kill(
        tmp_path: Path, monkeypatch, point: str) -> None:
    src = archive(tmp_path / "in", 4)  # 20 documents, batches of 5
    out = tmp_path / "out"
    # the 3rd batch dies with its new parts staged, or just after its marker was written
    _killed_at(monkeypatch, "_stage_without" if point == "before the marker" else "_settle", 3)
    with pytest.raises(_Killed):
        run(str(src), "--out", str(out), "--workers", "1", "--batch", "5")
    monkeypatch.undo()
    seen = {name: _plain_reader(out, name) for name in ("documents", "obligations")}
    assert len(seen["documents"]) == 10 and len({d["source"] for d in seen["documents"]}) == 10
    assert {o["doc_id"] for o in seen["obligations"]} <= {d["doc_id"] for d in seen["documents"]}
    assert run(str(src), "--out", str(out), "--workers", "1", "--batch", "5") == 0
    whole = tmp_path / "whole"
    assert run(str(src), "--out", str(whole), "--workers", "1", "--batch", "5") == 0
    assert tables(out) == tables(whole)
    assert _plain_reader(out, "documents") == tables(whole)["documents"]
    assert not list((out / "_staging").iterdir())


def test_a_killed_force_run_never_shows_a_document_twice(tmp_path: Path, monkeypatch) -> None:
    src = archive(tmp_path / "in", 4)
    out = tmp_path / "out"
    assert run(str(src), "--out", str(out), "--workers", "1", "--batch", "5") == 0
    _killed_at(monkeypatch, "_settle", 3)  # the force run dies after its 2nd batch
    with pytest.raises(_Killed):
        run(str(src), "--out", str(out), "--workers", "1", "--batch", "5", "--force")
    monkeypatch.undo()
    documents = _plain_reader(out, "documents")
    assert len(documents) == 20 and len({d["source"] for d in documents}) == 20
    errors_or_docs = {d["doc_id"] for d in documents}
    for name in ("obligations", "recipients", "references"):
        rows = _plain_reader(out, name)
        assert {r["doc_id"] for r in rows} <= errors_or_docs
        assert len(rows) == len(tables(out)[name])


def test_an_output_and_pages_saved_inside_the_input_are_not_read_back(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 1)  # 5 documents
    out = src / "tables"
    assert run(str(src), "--out", str(out), "--workers", "1") == 0
    assert main(["report", "--out", str(out), "--html", str(src / "report.html")]) == 0
    assert main(["export", "--out", str(out), "--xlsx", str(src / "report.xlsx"),
                 "--csv", str(src / "csv")]) == 0
    assert main(["show", str(src / "s01_000.txt"), "--html", str(src / "s01.html")]) == 0
    (src / "mine.html").write_text("<html><body><p>Số: 12/KH-UBND</p><p>Kính gửi: Sở Y tế</p>"
                                   "</body></html>", encoding="utf-8")  # a page of the archive
    assert run(str(src), "--out", str(out), "--workers", "1") == 0
    got = tables(out)
    assert sorted(Path(d["source"]).name for d in got["documents"]) == \
        ["mine.html"] + [f"s0{i}_000.txt" for i in range(1, 6)]
    assert got["errors"] == []  # no report page, CSV, workbook or table part came back


@pytest.mark.parametrize("where", ["folder", "missing/run.json"])
def test_a_summary_that_cannot_be_written_is_refused_before_the_run(tmp_path: Path, capsys, where: str) -> None:
    (tmp_path / "folder").mkdir()
    code = main(["run", str(RAW), "--out", str(tmp_path / "out"), "--workers", "1", "--quiet",
                 "--summary-json", str(tmp_path / where)])
    assert code == 2
    assert "--summary-json" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing was run


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out |= {int(c) for c in (task / "children").read_text().split()}
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_workers_end_when_only_the_main_process_is_killed(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 40)  # 200 documents: long enough to be killed mid-way
    cmd = [sys.executable, "-m", "congvan.cli", "run", str(src), "--out", str(tmp_path / "out"),
           "--workers", "2", "--batch", "5", "--quiet"]
    proc = subprocess.Popen(cmd, start_new_session=True)
    deadline = time.time() + 60
    workers: set[int] = set()
    while time.time() < deadline and proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the workers did not start"
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, not its group
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(map(_alive, workers)):
        time.sleep(0.05)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived the run"


@pytest.mark.parametrize("lock", ["a reused pid", "the old form, another program's pid"])
def test_a_lock_whose_pid_is_not_a_congvan_run_is_taken_over(tmp_path: Path, lock: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    other = subprocess.Popen(["sleep", "30"])  # alive, and not congvan
    try:
        # a run's lock whose pid now belongs to a process started later; a lock of 0.1 (the pid only)
        record = {**_lock_of(other.pid), "started": 1} if lock == "a reused pid" else other.pid
        (out / "_lock").write_text(json.dumps(record))
        assert run(str(RAW), "--out", str(out)) == 0
    finally:
        other.kill()
        other.wait()


# ---------------------------------------------------------------- a real cluster

@pytest.fixture
def cluster(tmp_path: Path):
    """A dask scheduler and two dask workers on 127.0.0.1 (see conftest.dask_cluster)."""
    with dask_cluster(tmp_path) as address:
        yield address


def test_a_run_on_a_real_cluster_writes_the_tables_of_a_local_run(cluster: str, tmp_path: Path) -> None:
    import shutil

    src = archive(tmp_path / "in", 4)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    shutil.make_archive(str(src / "samples"), "zip", RAW)
    local, remote = tmp_path / "local", tmp_path / "remote"
    on_cluster = ["--engine", "dask", "--scheduler", cluster]

    def both(*extra: str) -> list[dict]:
        summaries = []
        for out, engine in ((local, ["--workers", "1"]), (remote, on_cluster)):
            summary = tmp_path / "run.json"
            assert run(str(src), "--out", str(out), "--batch", "7", "--summary-json", str(summary),
                       *engine, *extra) == 0
            summaries.append(json.loads(summary.read_text(encoding="utf-8")))
        assert tables(remote) == tables(local)
        return summaries

    first = both()
    assert first[1]["documents"] == first[0]["documents"] == 25 and first[1]["errors"] == 1
    again = both()
    assert again[1]["unchanged_skipped"] == again[0]["unchanged_skipped"] == 25
    (src / "s01_000.txt").write_text("Số: 9/KH-UBND\nKính gửi: Sở Y tế\n", encoding="utf-8")
    changed = both()
    assert changed[1]["documents"] == changed[0]["documents"] == 1
    assert both("--force")[1]["documents"] == 25
    (src / "s02_000.txt").unlink()
    assert both("--prune")[1]["pruned"] == 1


def test_on_a_cluster_the_driver_reads_no_file(cluster: str, tmp_path: Path, monkeypatch) -> None:
    import shutil

    from congvan import read

    src = archive(tmp_path / "in", 2)
    shutil.make_archive(str(src / "samples"), "zip", RAW)

    def not_here(*args):
        raise AssertionError("the driver read a file")

    monkeypatch.setattr(read, "read_file", not_here)  # the workers are other processes
    monkeypatch.setattr(read, "_iter_zip_file", not_here)
    assert run(str(src), "--out", str(tmp_path / "out"), "--engine", "dask", "--scheduler", cluster) == 0
    assert len(tables(tmp_path / "out")["documents"]) == 15


def test_workers_that_run_another_congvan_are_refused(cluster: str, tmp_path: Path, monkeypatch, capsys) -> None:
    from congvan import distribute

    monkeypatch.setattr(distribute, "code_fingerprint", lambda: "an edited checkout")  # this side only
    out = tmp_path / "out"
    assert main(["run", str(RAW), "--out", str(out), "--engine", "dask", "--scheduler", cluster, "--quiet"]) == 2
    assert "2 of 2 Dask workers run another congvan" in capsys.readouterr().err
    assert not (out / "_lock").exists() and not list((out / "documents").glob("part-*"))
