"""The congvan command line: run on data/raw, extract, evaluate, bad input."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from congvan.cli import main
from congvan.schema import TABLES
from congvan.write import read_table

from conftest import RAW


def _table(out: Path, name: str) -> list[dict]:
    return read_table(out, name).to_pylist()


@pytest.fixture(scope="module")
def run_raw(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("processed")
    assert main(["run", str(RAW), "--out", str(out), "--quiet"]) == 0
    return out


def test_run_writes_every_table_with_its_schema(run_raw: Path) -> None:
    for name, schema in TABLES.items():
        table = read_table(run_raw, name)
        assert table.schema.equals(schema, check_metadata=False), name
        # a plain reader of the folder sees the same table
        assert pq.read_table(run_raw / name).num_rows == table.num_rows, name


def test_run_reads_every_sample_and_no_errors(run_raw: Path) -> None:
    docs = _table(run_raw, "documents")
    assert sorted(Path(d["source"]).name for d in docs) == sorted(p.name for p in RAW.glob("*.txt"))
    assert _table(run_raw, "errors") == []


def test_run_header_fields_of_s01(run_raw: Path) -> None:
    doc = next(d for d in _table(run_raw, "documents") if d["source"].endswith("s01.txt"))
    assert doc["doc_type"] == "Công văn"
    assert doc["number"] is None and doc["symbol"] == "STTTT-TTBCXB"
    assert doc["place"] == "Lạng Sơn" and doc["issue_date"] == "2019-07"
    assert doc["signer"] == "Lê Hải Yến" and doc["signer_title"] == "Phó Giám đốc"
    assert len(doc["sha256"]) == 64 and doc["n_chars"] == len(doc["text"])


def test_run_references_and_recipients_of_s02(run_raw: Path) -> None:
    doc = next(d for d in _table(run_raw, "documents") if d["source"].endswith("s02.txt"))
    refs = [r for r in _table(run_raw, "references") if r["doc_id"] == doc["doc_id"]]
    assert [(r["number"], r["symbol"], r["date"]) for r in refs] == [
        ("38", "KH-BCĐ", "2023-02-20"), ("40", "KH-BCĐ", "2023-02-22"),
        ("41", "KH-BCĐ", "2023-02-22"), ("600", "KH-TBCĐKH506", "2023-02-22"),
        ("48", "KH-BCĐ", "2023-02-27"),
    ]
    # cited twice (grounds and attachments), one row each, two mentions
    assert all(r["mentions"] == 2 for r in refs)
    to = [r["name"] for r in _table(run_raw, "recipients")
          if r["doc_id"] == doc["doc_id"] and r["kind"] == "to"]
    assert to == ["Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh",
                  "Phòng Văn hóa và Thông tin các huyện, thành phố"]


def test_run_rows_point_at_their_words(run_raw: Path) -> None:
    text = {d["doc_id"]: d["text"] for d in _table(run_raw, "documents")}
    for d in _table(run_raw, "documents"):
        for h in d["header_spans"]:
            assert d["text"][h["start"]:h["end"]] == h["text"]
    for name in ("references", "recipients", "obligations", "risk_groups", "deadlines"):
        for row in _table(run_raw, name):
            assert text[row["doc_id"]][row["start"]:row["end"]] == row["text"], (name, row)


def test_run_bad_files_become_errors_and_the_batch_goes_on(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text((RAW / "s03.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (inp / "empty.txt").write_bytes(b"")
    (inp / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (inp / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (inp / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    with zipfile.ZipFile(inp / "bundle.zip", "w") as zf:
        zf.writestr("inner/s01.txt", (RAW / "s01.txt").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    assert main(["run", str(inp), "--out", str(out), "--quiet"]) == 0
    docs = _table(out, "documents")
    errors = {Path(e["source"]).name: e for e in _table(out, "errors")}
    assert sorted(Path(d["source"]).name for d in docs) == ["good.txt", "s01.txt"]
    assert set(errors) == {"empty.txt", "binary.txt", "broken.docx", "broken.pdf"}
    assert all(e["stage"] == "read" and e["reason"] for e in errors.values())
    assert "empty" in errors["empty.txt"]["reason"]


def test_run_exits_non_zero_when_nothing_could_be_read(tmp_path: Path, capsys) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "nothing could be read" in capsys.readouterr().err
    assert len(_table(tmp_path / "o", "errors")) == 1  # what was wrong is in the tables


def test_a_run_over_inputs_that_do_not_exist_creates_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "o3"
    assert main(["run", str(tmp_path / "nope_dir"), str(tmp_path / "nope.txt"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "nothing to read: no such file or directory" in err and "nope_dir" in err
    assert not out.exists()
    assert "input [" not in err  # no progress bar for a run that did not start
    # one input that exists is enough: the missing one is an errors row beside it
    assert main(["run", str(RAW / "s01.txt"), str(tmp_path / "nope.txt"), "--out", str(out), "--quiet"]) == 0
    assert [e["reason"] for e in _table(out, "errors")] == ["no such file or directory"]


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run"])
    assert exc.value.code == 2
    assert main([]) == 2


def test_help_has_examples(capsys) -> None:
    for cmd in (["--help"], ["run", "--help"], ["extract", "--help"], ["evaluate", "--help"]):
        with pytest.raises(SystemExit):
            main(cmd)
        assert "example" in capsys.readouterr().out


def test_extract_prints_json_lines_with_gold_keys(capsys) -> None:
    assert main(["extract", str(RAW / "s03.txt"), str(RAW / "s04.txt")]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    objs = [json.loads(line) for line in lines]
    assert [Path(o["source"]).name for o in objs] == ["s03.txt", "s04.txt"]
    for o in objs:
        assert {"document", "references", "recipients", "obligations",
                "risk_groups", "deadlines"} <= set(o)
    assert objs[1]["document"]["doc_type"] == "Tin bài"


def test_extract_reports_an_unreadable_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    assert main(["extract", str(bad)]) == 1
    obj = json.loads(capsys.readouterr().out)
    assert obj["source"] == str(bad) and obj["error"]["stage"] == "read"


def test_evaluate_rejects_a_missing_folder(tmp_path: Path, capsys) -> None:
    assert main(["evaluate", str(tmp_path / "nope")]) == 2
