"""Invariants, checked with hypothesis on arbitrary text, on mutated dispatches and
on folders of good and broken files:

- no stage raises (``extract`` has no try/except, so an error in any stage
  surfaces here; a run turns one into an ``errors`` row, which is checked too);
- every record's offsets slice its printed text out of the cleaned text
  (``documents.text[start:end] == text``), in the records and in the tables;
- every input file appears exactly once, in ``documents`` or in ``errors``;
- the output is deterministic: the same input gives equal records and equal
  tables (the tables hold no timestamp; the run's clock is only in --summary-json).

``HYPOTHESIS_PROFILE=long`` runs 2000 texts per property instead of the default
``ci`` profile (fewer, derandomized examples so CI is reproducible).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings

from congvan.clean import clean, fold
from congvan.cli import main
from congvan.extract import extract, extract_clean
from congvan.models import DocumentInfo, Extraction, SourceDoc
from congvan.schema import TABLES
from congvan.write import document_rows, read_table

from conftest import RAW
from strategies import DISPATCHES, any_text, arbitrary_text, input_folder, mutated_dispatch, \
    write_folder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# examples per property: (texts, runs); ci is derandomized so a failure repeats
PROFILES = {"ci": (120, 15, True), "long": (2000, 150, False)}
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in PROFILES:
    raise ValueError(f"HYPOTHESIS_PROFILE must be one of {sorted(PROFILES)}, not {PROFILE!r}")
N_TEXTS, N_RUNS, DERANDOMIZE = PROFILES[PROFILE]


def _settings(n: int) -> settings:
    # no example database: a failure prints its blob (@reproduce_failure) instead
    return settings(max_examples=n, deadline=None, derandomize=DERANDOMIZE, print_blob=True,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


TEXTS = _settings(N_TEXTS)
RUNS = _settings(N_RUNS)


# --------------------------------------------------------------------------- records

def spans(x: Extraction) -> Iterator[tuple[str, Any]]:
    """Every record of an extraction that carries ``text``/``start``/``end``."""
    for name in DocumentInfo.FIELDS:
        f = getattr(x.document, name)
        if f is not None:
            yield f"document.{name}", f
    for kind in ("references", "recipients", "directives", "obligations", "risk_groups",
                 "deadlines"):
        for record in getattr(x, kind):
            yield kind, record


def check_spans(x: Extraction) -> None:
    for kind, r in spans(x):
        assert 0 <= r.start <= r.end <= len(x.text), (kind, r)
        assert x.text[r.start:r.end] == r.text, (kind, r)


def check_extraction(raw: str) -> Extraction:
    """Extract ``raw`` and check the invariants of one document's records."""
    x = extract(raw)
    assert x.text == clean(raw).text  # offsets are into the cleaned text
    check_spans(x)
    json.dumps(x.to_json(), ensure_ascii=False)  # `congvan extract` prints it
    check_rows(document_rows(SourceDoc("t.txt", raw, "txt", len(raw), "0" * 64), x))
    return x


def check_rows(rows: dict[str, list[dict[str, Any]]]) -> None:
    """The rows fit their table's schema (non-null columns filled, int32 in range)."""
    for name, table_rows in rows.items():
        schema = TABLES[name]
        pa.Table.from_pylist(table_rows, schema=schema)
        required = [f.name for f in schema if not f.nullable]
        for row in table_rows:
            assert all(row[c] is not None for c in required), (name, row)


# --------------------------------------------------------------------------- extract

@TEXTS
@given(arbitrary_text())
@example("")
@example("\x00\n\u200b\u0301Số:\u00a0\r\n")
def test_extract_on_arbitrary_text_never_raises_and_spans_match(raw: str) -> None:
    check_extraction(raw)


@TEXTS
@given(mutated_dispatch())
def test_extract_on_mutated_dispatches_never_raises_and_spans_match(raw: str) -> None:
    check_extraction(raw)


def test_the_span_check_sees_a_span_one_character_off() -> None:
    x = extract((RAW / "s03.txt").read_text(encoding="utf-8"))  # something of every kind
    check_spans(x)
    kinds = ("references", "recipients", "directives", "obligations", "risk_groups", "deadlines")
    for kind in kinds:
        records = getattr(x, kind)
        assert records, kind
        records[0] = replace(records[0], start=records[0].start + 1)
        with pytest.raises(AssertionError):
            check_spans(x)
        records[0] = replace(records[0], start=records[0].start - 1)


def test_extract_on_every_unmutated_dispatch() -> None:
    for raw in DISPATCHES:
        x = check_extraction(raw)
        assert x.document.doc_type is not None and x.text.strip()


@TEXTS
@given(any_text(), any_text())
def test_extract_is_deterministic_whatever_ran_before(a: str, b: str) -> None:
    # the stages keep caches: a text must not extract differently after another one
    first = extract(a)
    extract(b)
    assert extract(a) == first


# --------------------------------------------------------------------------- run-on texts
# A text without line breaks or full stops (a flattened PDF page, a table pasted
# as one line) must not cost more than linear time: the stages look back from
# each thing they find, and a look-back to the start of the text is quadratic.

class _Counting:
    """A compiled pattern that counts the characters its scans are given."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.scanned, self.searches = pattern, 0, 0

    def _given(self, text: str, pos: int, endpos: int | None) -> int:
        endpos = len(text) if endpos is None else endpos
        self.scanned += endpos - pos
        return endpos

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self.pattern.finditer(text, pos, self._given(text, pos, endpos))

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self.searches += 1
        return self.pattern.search(text, pos, self._given(text, pos, endpos))

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self.pattern.match(text, pos, self._given(text, pos, endpos))


def test_a_run_on_list_of_recipients_is_split_in_linear_time(monkeypatch) -> None:
    from congvan import resolve
    folded = []
    monkeypatch.setattr(resolve, "fold_key", lambda s: folded.append(len(s)) or fold(s))
    text = "Kính gửi: " + "Sở Y tế, , " * 1000
    extract(text)
    assert sum(folded) < 50 * len(text)  # was the square: each comma folded the rest


def test_the_places_of_a_run_on_recipient_are_read_in_linear_time(monkeypatch) -> None:
    from congvan import link
    scan = _Counting(link._PLURAL_BEFORE)
    monkeypatch.setattr(link, "_PLURAL_BEFORE", scan)
    # glued words spaced by cleaning, and never a line break: one recipient
    text = "Kính gửi:Cục Hải quan các tỉnh,thành " * 400
    x = extract(text)
    assert len(x.recipients) == 1 and len(x.recipients[0].text) > 14_000
    assert 0 < scan.scanned < 100 * len(text)  # was the name up to each of its places


def test_citations_on_one_long_line_are_dated_in_linear_time(monkeypatch) -> None:
    from congvan import find
    scan = _Counting(find._SENTENCE_DATE)
    monkeypatch.setattr(find, "_SENTENCE_DATE", scan)
    text = "Thực hiện Kế hoạch số 119-KH/TU; " * 1000
    refs = find.find_references(text, None)
    assert len(refs) == 1000
    assert scan.scanned < 2000 * len(refs)  # was the text up to each citation


def test_the_opening_date_of_a_sentence_still_dates_its_citation() -> None:
    from congvan import find
    text = ("Ngày 7/6/2019, Ban Chỉ đạo 138 tỉnh đã ban hành Kế hoạch số 78/KH-BCĐ "
            "về phòng, chống tội phạm.")
    assert [r.date for r in find.find_references(text, None)] == ["2019-06-07"]
    far = "Ngày 7/6/2019, Ban Chỉ đạo " + "và " * 400 + "đã ban hành Kế hoạch số 78/KH-BCĐ."
    assert [r.date for r in find.find_references(far, None)] == [None]


def test_risk_groups_of_a_long_text_are_licensed_in_linear_work(monkeypatch) -> None:
    # work counted, not timed: each ambiguous mention was compared with every
    # accepted group, pass after pass (229 s for a 4 MB text)
    from congvan import target

    calls = []
    coordinated = target._Accepted.coordinated
    monkeypatch.setattr(target._Accepted, "coordinated",
                        lambda self, text, s, e: calls.append(len(self.spans)) or coordinated(self, text, s, e))
    # accepted groups far apart, and far from every ambiguous "biên giới" mention
    line = "Tuyên truyền cho phụ nữ ở thôn bản.\nKiểm soát chặt chẽ biên giới.\n"
    x = extract(line * 400)
    assert {g.code for g in x.risk_groups} == {"women"}
    assert len(calls) <= 400  # each mention looked at once: none was licensed
    # a chain of coordinated ambiguous mentions after one accepted group is licensed
    chain = "Tuyên truyền cho trẻ em" + ", hải đảo" * 300 + ".\n"
    x = extract(chain)
    assert sum(g.code == "remote_areas" for g in x.risk_groups) == 300
    assert len(calls) - 400 <= 4 * 300


def test_deadlines_on_one_long_line_scan_for_clause_starts_in_linear_work(monkeypatch) -> None:
    # work counted, not timed: rescanning ever wider windows back to the start was
    # cubic here (2 s for this text, 16 s at twice the length)
    from congvan import schedule

    text = "trước ngày 30 tháng 11 " * 600  # 14 000 characters, no clause boundary
    counted: list[_Counting] = []
    original = schedule._Clauses.__init__

    def counting_init(self, text: str, pattern: Any) -> None:
        counted.append(_Counting(pattern))
        original(self, text, counted[-1])

    monkeypatch.setattr(schedule._Clauses, "__init__", counting_init)
    assert len(extract(text).deadlines) == 600
    assert counted and counted[0].scanned < 4 * len(text) + 600 * 2 * schedule._Clauses.BACK


def test_risk_groups_of_a_long_text_look_for_each_topic_once(monkeypatch) -> None:
    # each of 2000 mentions searched the whole text for its cue's topic again (2.9 s)
    from dataclasses import replace

    from congvan import target
    from congvan.segment import segment

    text = " trợ nạn nhân bị " * 2000  # 34 000 characters, a cue with a topic 2000 times
    cues = target._cues()
    counting = tuple(replace(c, topic=_Counting(c.topic)) if c.topic is not None else c for c in cues)
    monkeypatch.setattr(target, "_cues", lambda: counting)
    target.find_risk_groups(text, segment(text))
    searches = [c.topic.searches for c in counting if c.topic is not None]
    assert max(searches) <= 1 and sum(searches) >= 1


class _Watched(str):
    """A text that adds up the characters each stage slices from it or searches with
    ``find``/``rfind``/``count`` (up to what they find): the work regex scans do not
    show. Scanning back to a line start from each of many finds on one long line was
    quadratic in four stages."""

    work = 0

    def __getitem__(self, key: Any) -> str:
        piece = str.__getitem__(self, key)
        if isinstance(key, slice):
            _Watched.work += len(piece)
        return piece

    def _bounds(self, args: tuple) -> tuple[int, int]:
        start = args[1] if len(args) > 1 and args[1] is not None else 0
        end = args[2] if len(args) > 2 and args[2] is not None else len(self)
        return slice(start, end).indices(len(self))[:2]

    def find(self, *args: Any) -> int:  # type: ignore[override]
        (s, e), at = self._bounds(args), str.find(self, *args)
        _Watched.work += (e if at < 0 else at) - s
        return at

    def rfind(self, *args: Any) -> int:  # type: ignore[override]
        (s, e), at = self._bounds(args), str.rfind(self, *args)
        _Watched.work += e - (s if at < 0 else at)
        return at

    def count(self, *args: Any) -> int:  # type: ignore[override]
        s, e = self._bounds(args)
        _Watched.work += e - s
        return str.count(self, *args)


def _work_per_char(text: str) -> float:
    _Watched.work = 0
    extract_clean(_Watched(text))
    return _Watched.work / len(text)


@pytest.mark.parametrize("shape", ["lines", "one line"])
def test_text_work_of_every_stage_grows_linearly_with_the_text(shape: str) -> None:
    samples = "\n".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt")))
    base = clean(samples if shape == "lines" else samples.replace("\n", " ")).text
    small, large = ((base * (n // len(base) + 1))[:n] for n in (40_000, 160_000))
    assert _watched_sees_work()
    per_char = _work_per_char(small), _work_per_char(large)
    assert per_char[1] < 1.15 * per_char[0] + 1, per_char  # was 41 -> 89 (lines), 134 -> 455 (one line)
    assert per_char[1] < 40, per_char


def _watched_sees_work() -> bool:
    """The counter is not blind: a scan back from each find on one line counts."""
    _Watched.work = 0
    text = _Watched("x " * 1000)
    for i in range(0, 2000, 2):
        text.rfind("\n", 0, i)
    return _Watched.work == sum(range(0, 2000, 2))


def test_a_long_run_of_letters_is_not_cut_into_syllables() -> None:
    from congvan.clean import clean
    from congvan.syllable import MAX_GLUED, split_glued

    assert split_glued("Đồngchí") == (4,)
    assert split_glued("Tâm" * (MAX_GLUED // 3 + 1)) == ()  # past the length glue ever has
    assert clean("Tâm" * 10_667).text == "Tâm" * 10_667  # was 2.3 s of quadratic cut search


# --------------------------------------------------------------------------- runs

def run(folder: Path, out: Path, workers: int = 1, *extra: str) -> int:
    return main(["run", str(folder), "--out", str(out), "--workers", str(workers), "--quiet",
                 *extra])


def tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: read_table(out, name).to_pylist() for name in TABLES}


def check_tables(t: dict[str, list[dict[str, Any]]], expected: set[str]) -> None:
    """Every source once; no extraction error; every row's span in its document's text."""
    sources = Counter(r["source"] for r in t["documents"]) + Counter(r["source"] for r in t["errors"])
    assert set(sources) == expected
    assert all(n == 1 for n in sources.values()), sources
    assert len({d["doc_id"] for d in t["documents"]}) == len(t["documents"])
    assert [e for e in t["errors"] if e["stage"] != "read"] == []
    assert [e for e in t["errors"] if e["reason"].startswith("unexpected error")] == []
    texts = {d["doc_id"]: d["text"] for d in t["documents"]}
    for d in t["documents"]:
        for h in d["header_spans"]:
            assert d["text"][h["start"]:h["end"]] == h["text"], h
    for name in ("references", "recipients", "directives", "obligations", "risk_groups",
                 "deadlines"):
        for row in t[name]:
            assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"], (name, row)


@RUNS
@given(input_folder())
def test_every_input_appears_once_and_runs_are_deterministic(files) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "in")
        root.mkdir()
        expected = write_folder(root, files)
        codes = {run(root, Path(tmp, "out1")), run(root, Path(tmp, "out2"))}
        first = tables(Path(tmp, "out1"))
        check_tables(first, expected)
        assert codes == {0 if first["documents"] else 1}
        assert tables(Path(tmp, "out2")) == first


def test_a_file_named_twice_in_other_spellings_is_read_once(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(RAW, "in/raw")
    shutil.make_archive("in/samples", "zip", RAW)
    inputs = ["in", "./in/raw/s01.txt", "in//raw/s02.txt", str(tmp_path / "in/raw/s03.txt"),
              "in/raw/", "./in/samples.zip", "in/raw/missing.txt", "./in/raw/missing.txt"]
    assert main(["run", *inputs, "--out", "out", "--workers", "1", "--quiet"]) == 0
    t = tables(Path("out"))
    names = [d["source"] for d in t["documents"]] + [e["source"] for e in t["errors"]]
    # each under its resolved path, whatever spelling met it first
    root = tmp_path.resolve()
    assert sorted(names) == sorted([f"{root}/in/raw/{p.name}" for p in RAW.glob("*.txt")]
                                   + [f"{root}/in/samples.zip!{p.name}" for p in RAW.glob("*.txt")]
                                   + [f"{root}/in/raw/missing.txt"])


def test_a_file_name_that_is_not_utf8_is_shown_with_its_bytes(tmp_path: Path, capsys) -> None:
    # "báo cáo.txt" named in Windows-1258 and unpacked here: the OS gives surrogates
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"b\xe1o c\xe1o.txt")).write_bytes((RAW / "s01.txt").read_bytes())
    shown = str(folder / "b\\xe1o c\\xe1o.txt")
    summary = tmp_path / "run.json"
    for _ in range(2):  # the second run knows the file: nothing to do
        assert run(folder, tmp_path / "out", 1, "--summary-json", str(summary)) == 0
    assert [d["source"] for d in tables(tmp_path / "out")["documents"]] == [shown]
    assert json.loads(summary.read_text(encoding="utf-8"))["unchanged_skipped"] == 1
    capsys.readouterr()
    assert main(["extract", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == shown
    name = next(folder.iterdir())
    assert main(["show", str(name), "--html", str(tmp_path / "show.html")]) == 0


def test_two_names_that_would_print_the_same_keep_a_row_each(tmp_path: Path) -> None:
    # a raw name with bytes FF FE, and one typed with the four characters "\xff"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_bytes((RAW / "s01.txt").read_bytes())
    (folder / "bad\\xff\\xfename.txt").write_bytes((RAW / "s02.txt").read_bytes())
    (folder / "plain\\name.txt").write_bytes((RAW / "s03.txt").read_bytes())
    summary = tmp_path / "run.json"
    for _ in range(2):
        assert run(folder, tmp_path / "out", 1, "--summary-json", str(summary)) == 0
    assert {d["source"].removeprefix(f"{folder}/") for d in tables(tmp_path / "out")["documents"]} == {
        "bad\\xff\\xfename.txt", "bad\\\\xff\\\\xfename.txt", "plain\\name.txt"}
    assert json.loads(summary.read_text(encoding="utf-8"))["unchanged_skipped"] == 3


def test_two_zip_members_of_one_name_are_two_documents(tmp_path: Path) -> None:
    import warnings
    import zipfile

    with warnings.catch_warnings(), zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        warnings.simplefilter("ignore")  # "Duplicate name": zip allows it, and archives have it
        for name in ("a.txt", "a.txt", "a (2).txt"):
            zf.writestr(name, (RAW / "s01.txt").read_text(encoding="utf-8") + name)
    assert run(tmp_path / "a.zip", tmp_path / "out", 1) == 0
    sources = sorted(d["source"].split("!")[1] for d in tables(tmp_path / "out")["documents"])
    assert sources == ["a (2).txt", "a (3).txt", "a.txt"]


def test_the_table_check_sees_a_missing_or_doubled_source() -> None:
    doc = {"doc_id": "1", "source": "in/a.txt", "text": "Số: 1", "header_spans": []}
    error = {"source": "in/b.txt", "stage": "read", "reason": "no text"}
    t = {name: [] for name in TABLES} | {"documents": [doc], "errors": [error]}
    check_tables(t, {"in/a.txt", "in/b.txt"})
    with pytest.raises(AssertionError):
        check_tables(t, {"in/a.txt", "in/b.txt", "in/c.txt"})
    with pytest.raises(AssertionError):
        check_tables(t | {"errors": [error, {**error, "source": "in/a.txt"}]},
                     {"in/a.txt", "in/b.txt"})


def _mixed_folder(root: Path) -> set[str]:
    """The samples, a copy under another name, broken files and a zip of them."""
    shutil.copytree(RAW, root / "raw")
    shutil.copy(RAW / "s01.txt", root / "raw" / "s01 copy.txt")
    (root / "broken").mkdir()
    (root / "broken" / "empty.txt").write_bytes(b"")
    (root / "broken" / "junk.pdf").write_bytes(b"%PDF-1.4 junk")
    (root / "broken" / "bad.txt").write_bytes(b"S\xe1\xbb\x91: 1 \xff\xfe\xc3(")
    shutil.make_archive(str(root / "archive"), "zip", root / "broken")
    shutil.make_archive(str(root / "samples"), "zip", RAW)
    return ({str(p) for p in root.rglob("*.txt")} | {str(p) for p in root.rglob("*.pdf")}
            | {f"{root / 'archive.zip'}!{n}" for n in ("empty.txt", "junk.pdf", "bad.txt")}
            | {f"{root / 'samples.zip'}!{p.name}" for p in RAW.glob("*.txt")})


# figures of --summary-json that depend on the clock or on the command line
_RUN_SPECIFIC = {"started", "seconds", "documents_per_s", "mb_per_s", "out", "workers"}


def test_one_or_two_workers_and_another_process_give_equal_tables(tmp_path: Path) -> None:
    expected = _mixed_folder(tmp_path / "in")
    summaries = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        summary = tmp_path / f"w{workers}.json"
        assert run(tmp_path / "in", out, workers, "--batch", "3",
                   "--summary-json", str(summary)) == 0
        figures = json.loads(summary.read_text(encoding="utf-8"))
        summaries.append({k: v for k, v in figures.items() if k not in _RUN_SPECIFIC})
    # and in a process of its own, where str hashes (set orders) differ
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "congvan.cli", "run", str(tmp_path / "in"), "--out",
                    str(tmp_path / "w3"), "--workers", "1", "--quiet"], env=env, check=True)
    one, two = tables(tmp_path / "w1"), tables(tmp_path / "w2")
    assert tables(tmp_path / "w3") == one
    check_tables(one, expected)
    # bad UTF-8 is decoded as a legacy code page: a document, not an error
    assert sorted(Path(e["source"]).name for e in one["errors"]) == [
        "archive.zip!empty.txt", "archive.zip!junk.pdf", "empty.txt", "junk.pdf"]
    assert one == two
    assert summaries[0] == summaries[1]


# --------------------------------------------------------------------------- one row per file

from hypothesis import strategies as st  # noqa: E402

# how one input is spelled on a command line
SPELLINGS = ["relative", "absolute", "dotted", "file_link", "folder_link", "folder", "linked_folder"]


def _spell(kind: str, root: Path, name: str) -> str:
    return {
        "relative": f"in/{name}",
        "absolute": str(root / "in" / name),
        "dotted": f"./in//../in/./{name}",
        "file_link": f"links/{name}",
        "folder_link": str(root / "in_link" / name),
        "folder": "in",
        "linked_folder": "in_link/",
    }[kind]


@RUNS
@given(runs=st.lists(st.lists(st.tuples(st.sampled_from(SPELLINGS), st.integers(0, 2)),
                              min_size=1, max_size=4), min_size=1, max_size=3))
def test_any_spelling_of_the_same_inputs_keeps_one_row_per_file(runs, tmp_path_factory,
                                                                 monkeypatch) -> None:
    root = tmp_path_factory.mktemp("spellings")
    (root / "in").mkdir()
    (root / "links").mkdir()
    names = [f"s{i}.txt" for i in range(3)]
    for i, name in enumerate(names):
        (root / "in" / name).write_text((RAW / f"s0{i + 1}.txt").read_text(encoding="utf-8"),
                                        encoding="utf-8")
        (root / "links" / name).symlink_to(root / "in" / name)
    (root / "in_link").symlink_to(root / "in", target_is_directory=True)
    monkeypatch.chdir(root)
    read: set[str] = set()
    for spelled in runs:
        inputs = [_spell(kind, root, names[i]) for kind, i in spelled]
        assert main(["run", *inputs, "--out", "out", "--quiet", "--workers", "1"]) == 0
        for kind, i in spelled:
            read |= set(names) if kind in ("folder", "linked_folder") else {names[i]}
        sources = [r["source"] for r in read_table(root / "out", "documents").to_pylist()]
        assert sorted(sources) == sorted(str(root / "in" / n) for n in read)
