"""Tests of the scorer itself (congvan.evaluate), on hand-made pred/gold dicts."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from congvan.evaluate import (
    FieldScore,
    KeyScore,
    evaluate_dir,
    fold,
    format_report,
    held_back,
    load_gold_dir,
    names_of,
    score_corpus,
    score_document,
    similarity,
    thresholds_met,
)

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"

SUBJECT = "tuyên truyền “Ngày toàn dân phòng, chống mua bán người - 30/7” năm 2019"  # s01
ISSUER = {
    "name": "Sở Thông tin và Truyền thông",
    "aliases": ["Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "Sở TT&TT"],
}


def ref(number: str | None, symbol: str | None, **kw: object) -> dict:
    return {"number": number, "symbol": symbol, **kw}


# ---------------------------------------------------------------- folding


def test_fold_unifies_tone_placement() -> None:
    assert fold("Uỷ ban nhân dân") == fold("Ủy ban nhân dân") == "ủy ban nhân dân"
    assert fold("Văn hoá") == fold("Văn hóa")
    assert fold("thuỷ lợi") == "thủy lợi"
    # a different tone or vowel is a different word
    assert fold("hoà") != fold("hoa")
    assert fold("hoàn") != fold("hòan")


def test_fold_dashes_punctuation_case_and_spaces() -> None:
    forms = [
        "Sở Lao động - Thương binh và Xã hội",
        "Sở Lao động – Thương binh và Xã hội",
        "Sở Lao động—Thương binh và Xã hội",
        "  SỞ LAO ĐỘNG, THƯƠNG BINH VÀ XÃ HỘI. ",
        "Sở Lao động (Thương binh) và\n\tXã hội",
    ]
    assert {fold(f) for f in forms} == {"sở lao động thương binh và xã hội"}
    assert fold("“Ngày toàn dân” 'x'; a: b") == "ngày toàn dân x a b"
    # slashes and ampersands are not separators
    assert fold("Sở TT&TT") == "sở tt&tt"
    assert fold("30/7") == "30/7"
    assert fold("Sở TTTT") != fold("Sở TT&TT")


def test_names_of() -> None:
    assert names_of("Công an tỉnh") == ["công an tỉnh"]
    assert names_of({"name": "Công an tỉnh", "aliases": ["CA tỉnh", "Công an  tỉnh"]}) == [
        "công an tỉnh",
        "ca tỉnh",
    ]
    assert names_of({"name": "Văn phòng"}) == ["văn phòng"]
    assert names_of(None) == []


# ---------------------------------------------------------------- matching


def test_recipient_matches_name_or_alias_and_nothing_else() -> None:
    gold = {"recipients": [{"name": "Công an tỉnh", "aliases": ["CA tỉnh"], "kind": "cc"}]}
    for name in ["Công an tỉnh", "CA TỈNH", "CA tỉnh."]:
        r = score_document({"recipients": [{"name": name, "kind": "cc"}]}, gold)
        assert (r.keys["recipients"].tp, r.keys["recipients"].fp) == (1, 0), name
    r = score_document({"recipients": [{"name": "Công an", "kind": "cc"}]}, gold)
    ks = r.keys["recipients"]
    assert (ks.tp, ks.fp, ks.fn) == (0, 1, 1)
    assert r.misses["recipients"] == ["Công an tỉnh [cc]"]
    assert r.extras["recipients"] == ["Công an [cc]"]


def test_duplicated_prediction_counts_once_as_tp_and_once_as_fp() -> None:
    gold = {"obligations": [{"assignee": "Sở Ngoại vụ", "role": "support"}]}
    pred = {"obligations": [{"assignee": "Sở Ngoại vụ", "role": "support"}] * 2}
    ks = score_document(pred, gold).keys["obligations"]
    assert (ks.tp, ks.fp, ks.fn) == (1, 1, 0)
    assert ks.precision == 0.5 and ks.recall == 1.0


def test_canonical_name_is_matched_before_an_alias() -> None:
    # "Ủy ban nhân dân tỉnh" is an alias of the first gold item but the name of the
    # second: matching it to the first would leave the second prediction unmatched.
    gold = {
        "recipients": [
            {"name": "Ủy ban nhân dân tỉnh Kon Tum", "aliases": ["Ủy ban nhân dân tỉnh"], "kind": "to"},
            {"name": "Ủy ban nhân dân tỉnh", "kind": "to"},
        ]
    }
    pred = {
        "recipients": [
            {"name": "Uỷ ban nhân dân tỉnh", "kind": "to"},
            {"name": "UỶ BAN NHÂN DÂN TỈNH KON TUM", "kind": "to"},
        ]
    }
    ks = score_document(pred, gold).keys["recipients"]
    assert (ks.tp, ks.fp, ks.fn) == (2, 0, 0)
    assert ks.secondary["kind"] == FieldScore(2, 2)


def test_same_body_leading_and_supporting_pairs_by_role() -> None:
    gold = {
        "obligations": [
            {"assignee": "Công an tỉnh", "role": "lead"},
            {"assignee": "Công an tỉnh", "role": "support"},
        ]
    }
    pred = {
        "obligations": [
            {"assignee": "Công an tỉnh", "role": "support"},
            {"assignee": "Công an tỉnh", "role": "lead"},
        ]
    }
    ks = score_document(pred, gold).keys["obligations"]
    assert (ks.tp, ks.fp, ks.fn) == (2, 0, 0)
    assert ks.secondary["role"] == FieldScore(2, 2)
    only_support = score_document({"obligations": pred["obligations"][:1]}, gold)
    assert only_support.keys["obligations"].secondary["role"] == FieldScore(1, 1)
    assert only_support.misses["obligations"] == ["Công an tỉnh [lead]"]


def test_absent_key_is_not_scored_but_empty_list_is() -> None:
    pred = {"references": [ref("1", "KH-UBND")], "risk_groups": ["women"]}
    absent = score_document(pred, {})
    assert absent.keys == {} and absent.fields == {}
    empty = score_document(pred, {"references": [], "risk_groups": []})
    assert (empty.keys["references"].tp, empty.keys["references"].fp) == (0, 1)
    assert empty.keys["risk_groups"].fp == 1
    assert empty.keys["references"].precision == 0.0
    # predicted key missing where gold has items: all misses
    missed = score_document({}, {"references": [ref("1", "KH-UBND")]})
    assert missed.keys["references"].fn == 1


def test_absent_gold_key_is_left_out_of_the_corpus_score() -> None:
    report = score_corpus(
        [
            ("a", {"risk_groups": ["women"]}, {"risk_groups": ["women"]}),
            ("b", {"risk_groups": ["children"]}, {}),
        ]
    )
    assert report.keys["risk_groups"].fp == 0
    assert "references" not in report.keys


# ---------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("gold_ref", "pred_ref"),
    [
        (ref(None, "V11-TTTTBC"), ref(None, "V11 -TTTTBC")),
        (ref("2556", "BTTTT-Ttra"), ref("2556", "BTTTT–TTRA")),
        (ref("119", "KH/TU"), ref("119", "KH/TU")),
        (ref("119", "KH/TU"), ref(None, "119-KH/TU")),
        (ref("119", "KH/TU"), ref("119", "KH / TU")),
        (ref("30", "2020/NĐ-CP"), ref("30/2020", "NĐ-CP")),
        (ref("37", "CT/TW"), ref("37", "CT-TW")),
    ],
)
def test_reference_key_normalisation_matches(gold_ref: dict, pred_ref: dict) -> None:
    ks = score_document({"references": [pred_ref]}, {"references": [gold_ref]}).keys["references"]
    assert (ks.tp, ks.fp, ks.fn) == (1, 0, 0)


@pytest.mark.parametrize(
    ("gold_ref", "pred_ref"),
    [
        (ref("124", "KH-UBND"), ref("125", "KH-UBND")),
        (ref("124", "KH-UBND"), ref(None, "KH-UBND")),
        (ref("124", "KH-UBND"), ref("124", "KH-UBND-SNV")),
        (ref("119", "KH/TU"), ref("119", "CT/TU")),
        (ref(None, None), ref(None, None)),  # nothing to identify the document by
    ],
)
def test_reference_key_normalisation_rejects(gold_ref: dict, pred_ref: dict) -> None:
    ks = score_document({"references": [pred_ref]}, {"references": [gold_ref]}).keys["references"]
    assert ks.tp == 0


def test_reference_secondary_fields() -> None:
    gold = {
        "references": [
            ref("124", "KH-UBND", doc_type="Kế hoạch", date="2019-07-16"),
            ref("193", "QĐ-TTg", doc_type="Quyết định", date=None),
        ]
    }
    pred = {
        "references": [
            ref("124", "KH-UBND", doc_type="KẾ HOẠCH", date="2019-07"),
            ref("193", "QĐ-TTg", doc_type="Chỉ thị", date=None),
        ]
    }
    r = score_document(pred, gold)
    sec = r.keys["references"].secondary
    assert sec["date"] == FieldScore(1, 2)  # cut precision wrong, null == null right
    assert sec["doc_type"] == FieldScore(1, 2)  # folded equality; a different type wrong
    assert {(w.field, w.gold, w.pred) for w in r.wrong["references"]} == {
        ("date", "2019-07-16", "2019-07"),
        ("doc_type", "Quyết định", "Chỉ thị"),
    }


# ---------------------------------------------------------------- deadlines


def test_deadlines_count_each_distinct_date_once() -> None:
    gold = {
        "deadlines": [
            {"date": "2020-06", "kind": "within", "text": "hoàn thành trong quý II/2020"},
            {"date": "2020-06", "kind": "by", "text": "xong trong quý II/2020"},
            {"date": "2020-09", "kind": "within", "text": "hoàn thành trong quý III/2020"},
        ]
    }
    pred = {
        "deadlines": [
            {"date": "2020-06", "kind": "within", "text": "quý II/2020"},
            {"date": "2020-06", "kind": "within", "text": "quý II/2020"},
            {"date": "2020-06", "kind": "by", "text": "quý II/2020"},
        ]
    }
    r = score_document(pred, gold)
    ks = r.keys["deadlines"]
    assert (ks.tp, ks.fp, ks.fn) == (1, 0, 1)
    assert ks.secondary["kind"] == FieldScore(1, 1)  # first entry of each date
    assert r.misses["deadlines"] == ["2020-09 within: “hoàn thành trong quý III/2020”"]
    # a different precision of the same month is another date
    other = score_document({"deadlines": [{"date": "2020-06-30", "kind": "within"}]}, gold)
    assert other.keys["deadlines"].tp == 0


def test_undated_deadlines_match_on_text_similarity() -> None:
    gold = {"deadlines": [{"date": None, "kind": "recurring", "text": "trước ngày 15 hằng tháng"}]}
    close = {"deadlines": [{"date": None, "kind": "recurring", "text": "trước ngày 15 hàng tháng"}]}
    far = {"deadlines": [{"date": None, "kind": "recurring", "text": "báo cáo định kỳ 6 tháng"}]}
    dated = {"deadlines": [{"date": "2023-01-15", "kind": "by", "text": "trước ngày 15 hằng tháng"}]}
    assert similarity(gold["deadlines"][0]["text"], close["deadlines"][0]["text"]) >= 0.8
    assert score_document(close, gold).keys["deadlines"].tp == 1
    assert similarity(gold["deadlines"][0]["text"], far["deadlines"][0]["text"]) < 0.8
    ks = score_document(far, gold).keys["deadlines"]
    assert (ks.tp, ks.fp, ks.fn) == (0, 1, 1)
    assert score_document(dated, gold).keys["deadlines"].tp == 0


def test_undated_deadlines_match_when_one_text_holds_the_other() -> None:
    """GOLD_FORMAT: an undated limit matches when one folded text contains the other."""
    gold = {"deadlines": [{"date": None, "kind": "recurring", "text": "thứ Sáu hằng tuần"}]}
    longer = {"deadlines": [{"date": None, "kind": "recurring",
                             "text": "định kỳ vào thứ Sáu hằng tuần, báo cáo"}]}
    assert similarity(gold["deadlines"][0]["text"], longer["deadlines"][0]["text"]) < 0.8
    assert score_document(longer, gold).keys["deadlines"].tp == 1
    other = {"deadlines": [{"date": None, "kind": "recurring", "text": "trước ngày 15 hằng tháng"}]}
    assert score_document(other, gold).keys["deadlines"].tp == 0
    empty = {"deadlines": [{"date": None, "kind": "recurring", "text": ""}]}
    assert score_document(empty, gold).keys["deadlines"].tp == 0


# ---------------------------------------------------------------- document


def doc_fields(pred_doc: dict, gold_doc: dict) -> dict[str, bool]:
    r = score_document({"document": pred_doc}, {"document": gold_doc})
    return {f: fs.correct == 1 for f, fs in r.fields.items()}


def test_subject_similarity_threshold() -> None:
    above = "tuyên truyền Ngày toàn dân phòng, chống mua bán người"
    below = "tuyên truyền phòng chống mua bán người"
    assert 0.8 <= similarity(SUBJECT, above) < 0.9  # close to the threshold, on the right side
    assert similarity(SUBJECT, below) < 0.75
    assert doc_fields({"subject": above}, {"subject": SUBJECT}) == {"subject": True}
    assert doc_fields({"subject": below}, {"subject": SUBJECT}) == {"subject": False}
    assert doc_fields({"subject": None}, {"subject": SUBJECT}) == {"subject": False}


def test_issue_date_precision_must_match() -> None:
    assert doc_fields({"issue_date": "2019-07-16"}, {"issue_date": "2019-07"}) == {"issue_date": False}
    assert doc_fields({"issue_date": "2019-07"}, {"issue_date": "2019-07-16"}) == {"issue_date": False}
    assert doc_fields({"issue_date": "2019-07"}, {"issue_date": "2019-07"}) == {"issue_date": True}


def test_document_fields_null_issuer_and_folding() -> None:
    gold = {"number": None, "symbol": "V11-TTTTBC", "issuer": ISSUER, "place": "TP. Hồ Chí Minh", "signer": None}
    good = {"number": None, "symbol": "V11 -TTTTBC", "issuer": "Sở TT&TT", "place": "TP Hồ Chí Minh", "signer": None}
    assert all(doc_fields(good, gold).values())
    bad = {"number": "5", "symbol": "V11", "issuer": "Sở TTTT", "place": "Hà Nội", "signer": "Lê Hải Yến"}
    assert not any(doc_fields(bad, gold).values())
    # numbers compare as strings; a field gold does not annotate is not scored
    assert doc_fields({"number": 124, "place": "x"}, {"number": "124"}) == {"number": True}
    # a predicted null issuer where gold has one is wrong
    assert doc_fields({}, {"issuer": ISSUER}) == {"issuer": False}


def test_risk_groups_are_sets() -> None:
    gold = {"risk_groups": ["women", "children", "students"]}
    pred = {"risk_groups": ["children", "women", "women", "poor_disadvantaged"]}
    r = score_document(pred, gold)
    ks = r.keys["risk_groups"]
    assert (ks.tp, ks.fp, ks.fn) == (2, 1, 1)
    assert r.misses["risk_groups"] == ["students"] and r.extras["risk_groups"] == ["poor_disadvantaged"]


def test_corpus_scores_are_micro_averaged() -> None:
    g = {"risk_groups": ["women"]}
    report = score_corpus(
        [
            ("a", {"risk_groups": ["women"]}, g),
            ("b", {"risk_groups": ["women"]}, g),
            ("c", {"risk_groups": ["women", "children", "students"]}, g),
        ]
    )
    ks = report.keys["risk_groups"]
    assert (ks.tp, ks.fp, ks.fn) == (3, 2, 0)
    assert ks.precision == pytest.approx(0.6)  # not the macro mean 7/9
    assert KeyScore().f1 == 1.0 and KeyScore(fn=1).f1 == 0.0


# ---------------------------------------------------------------- real gold, report


def prediction_from_gold(gold: dict) -> dict:
    """What a perfect extractor outputs: canonical names as strings, no aliases."""

    def name(v: object) -> object:
        return v["name"] if isinstance(v, dict) else v

    pred = copy.deepcopy(gold)
    pred["document"]["issuer"] = name(pred["document"]["issuer"])
    for r in pred["references"]:
        r["issuer"] = name(r.get("issuer"))
    pred["recipients"] = [{"name": r["name"], "kind": r["kind"]} for r in pred["recipients"]]
    for o in pred["obligations"]:
        o["assignee"] = name(o["assignee"])
    return pred


@pytest.fixture
def s01_gold() -> dict:
    path = DEV / "s01.gold.json"
    if not path.is_file():
        pytest.skip(f"dev corpus not found at {DEV}")
    return json.loads(path.read_text(encoding="utf-8"))


def test_perfect_prediction_scores_one_everywhere(s01_gold: dict) -> None:
    report = score_corpus([("s01", prediction_from_gold(s01_gold), s01_gold)])
    assert set(report.fields) == set(s01_gold["document"])
    assert all(fs.accuracy == 1.0 and fs.total == 1 for fs in report.fields.values())
    assert set(report.keys) == {"references", "recipients", "obligations", "deadlines", "risk_groups"}
    for key, ks in report.keys.items():
        assert (ks.precision, ks.recall, ks.f1, ks.fp, ks.fn) == (1.0, 1.0, 1.0, 0, 0), key
        assert all(fs.accuracy == 1.0 for fs in ks.secondary.values()), key
    assert report.keys["recipients"].tp == len(s01_gold["recipients"])
    assert thresholds_met(report, {"document.*": 0.95, "references.f1": 0.95, "recipients.kind": 1.0}) == []


def test_an_alias_prediction_from_real_gold_is_still_perfect(s01_gold: dict) -> None:
    pred = prediction_from_gold(s01_gold)
    pred["document"]["issuer"] = "Sở TT&TT tỉnh Lạng Sơn"
    pred["recipients"][0]["name"] = "Sở VHTTDL tỉnh"
    report = score_corpus([("s01", pred, s01_gold)])
    assert report.fields["issuer"].accuracy == 1.0
    assert report.keys["recipients"].f1 == 1.0


def sample_report() -> object:
    gold = {
        "document": {"doc_type": "Công văn", "subject": SUBJECT, "issue_date": "2019-07"},
        "references": [ref("124", "KH-UBND", doc_type="Kế hoạch", date="2019-07-16")],
        "recipients": [{"name": "Công an tỉnh", "aliases": ["CA tỉnh"], "kind": "cc"}],
        "risk_groups": ["women"],
    }
    pred = {
        "document": {"doc_type": "Công văn", "subject": SUBJECT, "issue_date": "2019-07-16"},
        "references": [
            ref("124", "KH-UBND", doc_type="Kế hoạch", date="2019-07"),
            ref("38", "KH-BCĐ", doc_type="Kế hoạch", date="2023-02-20"),
        ],
        "recipients": [],
        "risk_groups": ["women"],
    }
    return score_corpus([("s01", pred, gold)])


def test_format_report_lines() -> None:
    text = format_report(sample_report())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "document.doc_type 1/1 1.000" in lines
    assert "document.issue_date 0/1 0.000" in lines
    assert "references 0.500 1.000 0.667 1 1 0" in lines
    assert "recipients 1.000 0.000 0.000 0 0 1" in lines
    assert "references.date acc 0.000 (0/1)" in lines
    assert "references.doc_type acc 1.000 (1/1)" in lines
    # the compact summary closes the report
    tail = lines[-5:]
    assert tail[0] == "== summary: 1 document; headline 0.583 =="  # (0.667 + 0.667 + 0) / 3
    assert tail[1].startswith("document acc 0.667 (2/3), lowest issue_date 0.000")
    assert tail[2] == "references F1 0.667 P 0.500 R 1.000 date 0.000 doc_type 1.000"
    assert "miss" not in text


def test_format_report_show() -> None:
    report = sample_report()
    refs = format_report(report, show="references")
    assert "  extra  38/KH-BCĐ (Kế hoạch, 2023-02-20)" in refs
    assert "  wrong  124/KH-UBND (Kế hoạch, 2019-07-16): date: gold “2019-07-16”, pred “2019-07”" in refs
    assert "  miss   Công an tỉnh [cc]" in format_report(report, show="recipients")
    doc = format_report(report, show="document")
    assert "  wrong  issue_date: gold “2019-07”, pred “2019-07-16”" in doc
    assert "subject" not in doc.split("document field")[0]  # a similar subject is right
    assert "(nothing wrong)" in format_report(report, show="risk_groups")
    assert format_report(report, show="references").splitlines()[-1] == format_report(report).splitlines()[-1]
    with pytest.raises(ValueError, match="unknown key"):
        format_report(report, show="reference")


def test_thresholds_met() -> None:
    report = sample_report()
    failed = thresholds_met(
        report,
        {"document.*": 0.95, "references.f1": 0.6, "references.date": 0.9, "recipients.f1": 0.5, "deadlines.f1": 0.5},
    )
    assert failed == [
        "document.issue_date 0.000 < 0.950",
        "references.date 0.000 < 0.900",
        "recipients.f1 0.000 < 0.500",
        "deadlines.f1 not scored",
    ]
    assert thresholds_met(report, {"document.doc_type": 1.0, "references.doc_type": 1.0}) == []
    with pytest.raises(ValueError, match="unknown check"):
        thresholds_met(report, {"references.kind": 0.9})
    # the pooled document fields and the one headline figure
    pooled, headline = report.document_accuracy.accuracy, report.headline
    assert thresholds_met(report, {"document.all": pooled, "headline": headline}) == []
    assert thresholds_met(report, {"document.all": pooled + 0.01, "headline": headline + 0.01}) == [
        f"document.all {pooled:.3f} < {pooled + 0.01:.3f}", f"headline {headline:.3f} < {headline + 0.01:.3f}"]


# ---------------------------------------------------------------- gold files


def write_doc(folder: Path, name: str, text: str, gold: object | None) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if gold is not None:
        (folder / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def test_load_gold_dir_pairs_texts_with_gold_by_name(tmp_path: Path) -> None:
    write_doc(tmp_path, "b", "văn bản b", {"risk_groups": ["women"]})
    write_doc(tmp_path, "a", "văn bản a", {"risk_groups": []})
    write_doc(tmp_path, "c", "không có gold", None)
    (tmp_path / "d.gold.json").write_text("{}", encoding="utf-8")  # gold without text
    loaded = load_gold_dir(tmp_path)
    assert [(name, path.name, gold) for name, path, gold in loaded] == [
        ("a", "a.txt", {"risk_groups": []}),
        ("b", "b.txt", {"risk_groups": ["women"]}),
    ]


@pytest.mark.parametrize(
    "content",
    [
        '{"references": [',
        "[]",
        '{"references": {"number": "1"}}',
        '{"recipients": ["Công an tỉnh"]}',
        '{"obligations": [{"assignee": {"aliases": ["x"]}, "role": "lead"}]}',
    ],
)
def test_malformed_gold_names_the_file(tmp_path: Path, content: str) -> None:
    write_doc(tmp_path, "ok", "x", {"risk_groups": []})
    (tmp_path / "bad.txt").write_text("x", encoding="utf-8")
    (tmp_path / "bad.gold.json").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.gold\.json"):
        load_gold_dir(tmp_path)


def test_evaluate_dir_runs_the_extractor_on_each_text(tmp_path: Path) -> None:
    write_doc(tmp_path, "a", "Kính gửi: Công an tỉnh", {"recipients": [{"name": "Công an tỉnh", "kind": "to"}]})
    write_doc(tmp_path, "b", "Kính gửi: Sở Ngoại vụ", {"recipients": [{"name": "Sở Ngoại vụ", "kind": "to"}]})
    seen: list[str] = []

    def extract(text: str) -> dict:
        seen.append(text)
        return {"recipients": [{"name": text.split(": ")[1], "kind": "cc"}]}

    report = evaluate_dir(tmp_path, extract)
    assert seen == ["Kính gửi: Công an tỉnh", "Kính gửi: Sở Ngoại vụ"]
    assert [d.name for d in report.docs] == ["a", "b"]
    ks = report.keys["recipients"]
    assert (ks.tp, ks.fp, ks.fn) == (2, 0, 0)
    assert ks.secondary["kind"] == FieldScore(0, 2)


# ---------------------------------------------------------------- headline and parts


def test_headline_is_the_mean_of_document_accuracy_and_the_f1s() -> None:
    gold = {"document": {"number": "5", "symbol": "KH-UBND"},
            "references": [ref("1", "QĐ-UBND")], "risk_groups": ["women"]}
    pred = {"document": {"number": "5", "symbol": "KH"},
            "references": [ref("1", "QĐ-UBND"), ref("2", "CV")], "risk_groups": ["women"]}
    report = score_corpus([("a", pred, gold)])
    # document 1/2, references F1 2/3, risk groups 1
    assert report.headline == pytest.approx((0.5 + 2 / 3 + 1.0) / 3)
    assert "headline 0.722" in format_report(report).splitlines()[-4]  # the summary's title
    assert score_corpus([]).headline is None


def test_held_back_third_is_the_files_numbered_by_three() -> None:
    assert [n for n in ("a01", "a03", "a12", "b09", "b10", "s05", "x") if held_back(n)] == \
        ["a03", "a12", "b09"]


def test_load_gold_dir_parts(tmp_path: Path) -> None:
    for name in ("a01", "a02", "a03", "b06"):
        (tmp_path / f"{name}.txt").write_text("x", encoding="utf-8")
        (tmp_path / f"{name}.gold.json").write_text("{}", encoding="utf-8")
    assert [n for n, _, _ in load_gold_dir(tmp_path, "held")] == ["a03", "b06"]
    assert [n for n, _, _ in load_gold_dir(tmp_path, "rest")] == ["a01", "a02"]
    assert len(load_gold_dir(tmp_path)) == 4
    with pytest.raises(ValueError):
        load_gold_dir(tmp_path, "odd")
