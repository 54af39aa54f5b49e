"""The researchers' notebook runs on the sample dispatches and answers its questions."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from congvan.cli import main

from conftest import RAW, REPO

NOTEBOOK = REPO / "notebooks" / "congvan_questions.ipynb"


def outputs(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Tag -> everything the tagged cell printed or displayed, as text."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        for tag in cell.metadata.get("tags", []):
            texts = [o.get("text", "") + o.get("data", {}).get("text/plain", "")
                     for o in cell.get("outputs", [])]
            found[tag] = "\n".join(texts)
    return found


def execute(env_out: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:  # the committed outputs must not count
        if cell.cell_type == "code":
            cell.outputs = []
    monkeypatch.setenv("CONGVAN_OUT", str(env_out))  # the kernel inherits the environment
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def test_notebook_answers_the_questions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "processed"
    assert main(["run", str(RAW), "--out", str(out), "--quiet", "--workers", "1"]) == 0
    found = outputs(execute(out, monkeypatch))
    assert "no tables yet" not in found["setup"]  # it used the folder it was given
    assert "obligations" in found["counts"] and "documents" in found["counts"]
    # who was tasked with what, by when
    assert "Sở Thông tin và Truyền thông" in found["tasks"] and "2023-09-20" in found["tasks"]
    assert "Chủ trì" in found["tasks"]
    # deadlines between August and December 2023
    assert "trước ngày 20 tháng 9 năm 2023" in found["deadlines"]
    assert "từ nay đến hết tháng 8/2023" in found["deadlines"]
    # target groups by year, with their Vietnamese labels, and by issuer
    assert "Trẻ em, người chưa thành niên" in found["groups"] and "2023" in found["groups"]
    assert "Cục Thông tin cơ sở" in found["groups-issuer"]
    # the dispatch s02 implements plan 38/KH-BCĐ
    assert "38/KH-BCĐ" in found["plans-summary"] and "s02.txt" in found["plans-summary"]


def test_notebook_makes_the_tables_on_a_fresh_checkout(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "processed"  # empty, as data/processed after a clone
    out.mkdir()
    found = outputs(execute(out, monkeypatch))
    assert "no tables yet" in found["setup"]
    assert (out / "_commits").is_dir()
    assert "38/KH-BCĐ" in found["plans-summary"]


def test_committed_notebook_was_run_without_errors() -> None:
    """It reads well on GitHub: every code cell ran, in order, and none failed."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert all(o.output_type != "error" for c in code for o in c.outputs)
    assert "38/KH-BCĐ" in outputs(nb)["plans-summary"]
