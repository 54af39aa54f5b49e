"""What a new user meets at the command line: a progress bar with a total, Ctrl-C that
says what was kept, tables that fit a screen, evaluate on a folder without gold, and
the read-only commands' `--tables`."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from congvan.cli import main
from congvan.query import format_table, format_vertical
from congvan.run import RunOptions, count_inputs, run_archive
from congvan.schema import TABLES
from congvan.write import read_table

from conftest import RAW


def archive(folder: Path, copies: int) -> Path:
    """Copies of the sample dispatches (each one line apart), a zip of the samples, a
    broken PDF and a CSV (two errors rows) and a hidden file (no row)."""
    folder.mkdir(parents=True)
    for path in sorted(RAW.glob("*.txt")):
        for i in range(copies):
            (folder / f"{path.stem}_{i:03d}.txt").write_text(
                path.read_text(encoding="utf-8") + f"\nBản lưu số {i}.\n", encoding="utf-8")
    shutil.make_archive(str(folder / "samples"), "zip", RAW)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (folder / "list.csv").write_text("a,b\n")
    (folder / ".hidden.txt").write_text("Số: 1/KH-UBND\n")
    return folder


def test_the_count_is_the_inputs_a_run_meets(tmp_path: Path) -> None:
    src = archive(tmp_path / "in", 2)
    met = []
    run_archive([str(src), str(src / "s01_000.txt")], RunOptions(out=tmp_path / "out", workers=1),
                lambda item, stats: met.append(item.source))
    assert len(met) == 10 + 5 + 2 == count_inputs([str(src), str(src / "s01_000.txt")])
    again = []  # unchanged sources are met too (the bar counts them as done)
    run_archive([str(src)], RunOptions(out=tmp_path / "out", workers=1), lambda item, stats: again.append(item))
    assert len(again) == 17


def test_the_bar_shows_done_of_all_with_errors_and_unchanged_apart(tmp_path: Path, capsys) -> None:
    src = archive(tmp_path / "in", 2)
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").split("error:")[-1]
    assert "17/17" in last and "15 extracted, 2 errors, 0 unchanged" in last
    assert "\nerror: " in err.replace("\r", "\n") and "broken.pdf: [read]" in err  # a line of its own
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    assert "0 extracted, 2 errors, 15 unchanged" in capsys.readouterr().err  # a re-run is not "0 doc"


def test_ctrl_c_keeps_what_was_committed_and_the_same_command_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(300):
        shutil.copy(RAW / f"s0{i % 5 + 1}.txt", src / f"d{i:04d}.txt")
        with open(src / f"d{i:04d}.txt", "a", encoding="utf-8") as handle:
            handle.write(f"\nBản lưu số {i}.\n")
    out = tmp_path / "out"
    command = [str(Path(sys.executable).parent / "congvan"), "run", str(src), "--out", str(out),
               "--workers", "2", "--batch", "20"]
    # in a session of its own, so Ctrl-C goes to the run and its workers as a terminal sends it
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 120
    while not (out / "_commits" / "000002").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert proc.returncode == 130, text[-2000:]
    assert "Traceback" not in text
    assert "interrupted:" in text and "Start the same command again" in text
    assert not (out / "_lock").exists()
    kept = len(read_table(out, "documents"))
    assert 40 <= kept < 300
    assert main(["run", str(src), "--out", str(out), "--workers", "1", "--batch", "20", "--quiet"]) == 0
    assert main(["run", str(src), "--out", str(tmp_path / "whole"), "--workers", "1", "--batch", "20",
                 "--quiet"]) == 0
    for name in TABLES:
        assert len(read_table(out, name)) == len(read_table(tmp_path / "whole", name)), name


def test_evaluate_on_a_folder_without_gold_says_so(capsys) -> None:
    assert main(["evaluate", str(RAW)]) == 2
    assert "no gold annotations in" in capsys.readouterr().err


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    assert main(["run", str(RAW), "--out", str(folder), "--quiet", "--workers", "1"]) == 0
    return folder


@pytest.mark.parametrize("option", ["--tables", "--out"])
def test_the_read_only_commands_name_the_folder_they_read(out: Path, option: str, capsys) -> None:
    assert main(["query", "SELECT count(*) AS n FROM documents", option, str(out), "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n5\n"


def test_a_wide_table_on_a_narrow_screen_leaves_out_the_hashes_and_says_so(out: Path) -> None:
    from congvan.query import connect

    frame = connect(out).execute("SELECT * FROM obligations ORDER BY doc_id, start LIMIT 3").df()
    wide = format_table(frame, max_width=30)
    assert wide.splitlines()[0].startswith("doc_id")
    narrow = format_table(frame, max_width=30, width=120)
    assert not narrow.splitlines()[0].startswith("doc_id") and "agency_id" not in narrow.splitlines()[0]
    assert narrow.splitlines()[-1] == ("(left out to fit 120 characters: doc_id, agency_id; "
                                       "--format vertical shows every column)")
    assert format_table(frame, max_width=30, width=10_000) == wide  # it fits: nothing left out


def test_vertical_shows_one_field_a_line() -> None:
    frame = pd.DataFrame({"doc_id": ["8122573dddc987ff", "1184c17ac21bda2c"],
                          "assignee": ["Sở Văn hóa, Thể thao và Du lịch", None]})
    assert format_vertical(frame, max_rows=1) == (
        "-[ row 1 ]--\n"
        "doc_id   | 8122573dddc987ff\n"
        "assignee | Sở Văn hóa, Thể thao và Du lịch\n"
        "... 1 more rows (2 in all; --max-rows 0 shows all)\n")
    assert format_vertical(frame.iloc[0:0]) == "(no rows)\n"
