"""The spaCy layer: every extracted record is a span on the Doc, at its exact offsets,
and underthesea's words are placed back on the text they came from."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from congvan.annotate import RECORD_GROUPS, annotate, nlp, segment_words, to_doc
from congvan.extract import extract
from congvan.models import DocumentInfo, Extraction, Field

from conftest import RAW


def _check_spans(doc, x: Extraction) -> None:
    """Every span sits on its record's offsets, and every record with words has its span."""
    assert doc.text == x.text
    for span in doc.spans["header"]:
        assert (span.start_char, span.end_char) == (span._.record.start, span._.record.end)
        assert span._.record is getattr(x.document, span.label_)
    n_header = sum(1 for n in DocumentInfo.FIELDS
                   if getattr(x.document, n) is not None and getattr(x.document, n).end > getattr(x.document, n).start)
    assert len(doc.spans["header"]) == n_header
    for group in RECORD_GROUPS:
        records = [r for r in getattr(x, group) if r.end > r.start]
        assert [(s.start_char, s.end_char, s.text) for s in doc.spans[group]] == \
            [(r.start, r.end, x.text[r.start:r.end]) for r in records], group
        assert [s._.record for s in doc.spans[group]] == records


@pytest.mark.parametrize("name", ["s01.txt", "s02.txt", "s03.txt", "s04.txt", "s05.txt"])
def test_doc_spans_are_the_extraction_offsets(name: str) -> None:
    x = extract((RAW / name).read_text(encoding="utf-8"))
    _check_spans(to_doc(x), x)


def test_dev_corpus_doc_spans_are_the_extraction_offsets(dev_corpus: Path) -> None:
    for path in sorted(dev_corpus.glob("*.txt")):
        x = extract(path.read_text(encoding="utf-8"))
        _check_spans(to_doc(x), x)


def test_references_of_s02_carry_their_number_and_symbol() -> None:
    doc = annotate((RAW / "s02.txt").read_text(encoding="utf-8"))
    refs = doc.spans["references"]
    assert refs[0].text == "Kế hoạch số 38/KH-BCĐ ngày 20/02/2023"
    assert [s._.value for s in refs] == [
        "38/KH-BCĐ", "40/KH-BCĐ", "41/KH-BCĐ", "600/KH-TBCĐKH506", "48/KH-BCĐ"]
    assert doc._.extraction.references[0] is refs[0]._.record
    # the pipeline called on cleaned text finds the same spans
    again = nlp()(doc.text)
    assert [(s.start_char, s._.value) for s in again.spans["references"]] == \
        [(s.start_char, s._.value) for s in refs]


def test_recipients_are_labelled_to_and_cc() -> None:
    doc = annotate((RAW / "s01.txt").read_text(encoding="utf-8"))
    to = [(s.text, s._.value) for s in doc.spans["recipients"] if s.label_ == "to"]
    assert ("Báo Lạng Sơn", "Báo Lạng Sơn") in to
    cc = [s.text for s in doc.spans["recipients"] if s.label_ == "cc"]
    assert "Báo Lạng Sơn" not in cc


def test_number_and_symbol_on_the_same_words_keep_their_own_values() -> None:
    doc = annotate("Số: 124/KH-UBND\nLạng Sơn, ngày 16 tháng 7 năm 2019\nKẾ HOẠCH\nTuyên truyền")
    header = {s.label_: (s.text, s._.value) for s in doc.spans["header"]}
    assert header["number"] == ("124/KH-UBND", "124")
    assert header["symbol"] == ("124/KH-UBND", "KH-UBND")
    assert header["issue_date"] == ("ngày 16 tháng 7 năm 2019", "2019-07-16")
    assert "signer" not in header  # no signature printed, no span


def test_annotate_cleans_first() -> None:
    doc = annotate("Số: 12/UBND-VX\nThanh Hoá, ngày 3 tháng 5 năm 2021\nV/v hoà giải ở cơ sở")
    assert "Hóa" in doc.text and "hòa" in doc.text  # one tone placement, as clean() writes it
    place = next(s for s in doc.spans["header"] if s.label_ == "place")
    assert place.text == "Thanh Hóa"


def test_tokenizer_splits_punctuation_and_keeps_every_character() -> None:
    text = "Số: 38/KH-BCĐ ngày 20/02/2023,\n\n  phòng,  chống\tma túy"
    doc = nlp().make_doc(text)
    assert doc.text == text
    assert [t.text for t in doc][:9] == ["Số", ":", "38", "/", "KH", "-", "BCĐ", "ngày", "20"]
    assert "phòng," not in [t.text for t in doc]  # the comma is its own token


def test_tokenizer_keeps_nfd_syllables_whole() -> None:
    text = unicodedata.normalize("NFD", "Ủy ban nhân dân")
    doc = nlp().make_doc(text)
    assert [t.text for t in doc] == text.split()


def test_record_inside_a_word_splits_the_token() -> None:
    x = Extraction(text="Số: 12/SYT-NVY", document=DocumentInfo(
        symbol=Field("SYT-NVY", "SYT-NVY", 7, 14), number=Field("1", "1", 4, 5)))
    doc = to_doc(x)
    assert [s.text for s in doc.spans["header"]] == ["1", "SYT-NVY"]
    # a record on token edges splits nothing
    y = Extraction(text="Số: 12/SYT-NVY", document=DocumentInfo(symbol=Field("SYT-NVY", "SYT-NVY", 7, 14)))
    assert [t.text for t in to_doc(y)] == ["Số", ":", "12", "/", "SYT", "-", "NVY"]


def test_a_record_without_words_has_no_span() -> None:
    x = Extraction(text="Tin tức", document=DocumentInfo(doc_type=Field("Tin bài", "", 0, 0)))
    assert list(to_doc(x).spans["header"]) == []


# --------------------------------------------------------------------------- words


def _exact(text: str, spans) -> list[str]:
    assert all(text[s.start:s.end] == s.text for s in spans)
    return [s.text for s in spans]


def test_segment_words_joins_syllables_of_a_task_clause() -> None:
    text = "“Phòng chống mua bán người là trách nhiệm của mỗi cá nhân và toàn xã hội”"
    words = _exact(text, segment_words(text))
    assert {"Phòng chống", "mua bán", "trách nhiệm", "cá nhân", "xã hội"} <= set(words)
    assert "người" in words and "là" in words  # one-syllable words stay alone


def test_segment_words_never_puts_a_comma_inside_a_word() -> None:
    text = "Tuyên truyền sâu rộng về công tác phòng, chống mua bán người"
    words = _exact(text, segment_words(text))
    assert words[0] == "Tuyên truyền"
    assert "," in words and not any("," in w for w in words if w != ",")


def test_segment_words_keeps_numbers_and_symbols_whole() -> None:
    text = "Thực hiện Kế hoạch số 124/KH-UBND ngày 16/7/2019 của UBND tỉnh"
    words = _exact(text, segment_words(text))
    assert {"Thực hiện", "Kế hoạch", "KH-UBND", "16/7/2019"} <= set(words)


def test_segment_words_on_nfd_text_returns_nfd_slices() -> None:
    text = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh tuyên truyền")
    spans = segment_words(text)
    words = _exact(text, spans)
    assert [unicodedata.normalize("NFC", w) for w in words] == ["Ủy", "ban nhân dân", "tỉnh", "tuyên truyền"]
    assert spans[-1].end == len(text)  # the last word keeps its trailing marks


def test_segment_words_old_tone_placement_and_a_range() -> None:
    text = "Về việc: Uỷ ban nhân dân tỉnh Thanh Hoá hoà giải.\nKHÁC"
    spans = segment_words(text, 9, text.index("\n"))
    words = _exact(text, spans)
    assert words[:4] == ["Uỷ", "ban nhân dân", "tỉnh", "Thanh Hoá"]  # underthesea wrote "Ủy", "Hóa"
    assert spans[0].start == 9 and all(s.end <= text.index("\n") for s in spans)


def test_segment_words_never_crosses_a_line_break() -> None:
    text = "tuyên\ntruyền"
    assert _exact(text, segment_words(text)) == ["tuyên", "truyền"]


def test_segment_words_of_nothing() -> None:
    assert segment_words("") == []
    assert segment_words("  \n\n ") == []
    assert segment_words("Kế hoạch", 3, 3) == []


def test_words_are_merged_only_in_the_task_statements() -> None:
    raw = (RAW / "s02.txt").read_text(encoding="utf-8")
    plain, words = annotate(raw), annotate(raw, words=True)
    assert not any(" " in t.text for t in plain)
    merged = [t for t in words if " " in t.text]
    assert any(t.text == "tuyên truyền" for t in merged)
    x = words._.extraction
    assert all(any(d.start <= t.idx < d.end for d in x.directives) for t in merged)
    _check_spans(words, x)  # record spans stay exact after merging


def test_words_in_chosen_ranges() -> None:
    text = "Số: 01/KH-UBND\nTuyên truyền phòng chống ma túy"
    line = text.index("Tuyên")
    doc = annotate(text, words=[(line, len(text))])
    assert "Tuyên truyền" in [t.text for t in doc]
    assert "KH" in [t.text for t in doc]  # outside the range nothing is merged
