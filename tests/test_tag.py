"""congvan.tag gives underthesea's own part-of-speech tags, built faster."""
from pathlib import Path

import pytest
from underthesea import pos_tag as underthesea_pos_tag, word_tokenize
from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

from congvan.tag import _model, _parts, features, pos_tag

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"

SENTENCES = [
    "Sở Y tế chủ trì, phối hợp với các đơn vị liên quan thu thập số liệu",
    "Ủy ban nhân dân tỉnh Lạng Sơn đề nghị Công an tỉnh  tăng cường kiểm tra",
    "Số: 124/KH-UBND",
    "A",
    "a  b",  # two spaces: underthesea's title check fails on the empty part
    "ngày   tháng 7 năm 2019",
    "TP.HCM, 12/3/2024 - 15 người",
]


def _lines() -> list[str]:
    lines = list(SENTENCES)
    for path in sorted(RAW.glob("s0*.txt")):
        lines += [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()][:40]
    return lines


def test_the_model_is_the_one_whose_features_we_build():
    assert _model() is not None


@pytest.mark.parametrize("line", _lines())
def test_features_equal_underthesea_own(line):
    words = word_tokenize(line)
    reference = CRFPOSTagPredictor.Instance().transformer.sentence2features([(w, "X") for w in words])
    assert features(words) == reference


@pytest.mark.parametrize("line", SENTENCES)
def test_tags_equal_underthesea_pos_tag(line):
    assert pos_tag(line) == underthesea_pos_tag(line)


def test_a_task_verb_after_a_body_is_a_verb():
    tags = dict(pos_tag("Sở Tài chính thu thập số liệu"))
    assert tags["thu thập"] == "V"
    assert tags["Sở"] != "V"


def test_nothing_to_tag():
    assert pos_tag("") == []


def test_falls_back_to_underthesea_when_the_template_differs(monkeypatch):
    predictor = CRFPOSTagPredictor.Instance()
    monkeypatch.setattr(predictor.transformer, "template", ["T[0]"])
    _parts.cache_clear()
    try:
        assert _model() is None
        assert pos_tag("Sở Y tế chủ trì") == underthesea_pos_tag("Sở Y tế chủ trì")
    finally:
        monkeypatch.undo()
        _parts.cache_clear()
    assert _model() is not None


LEAN = """
import sys
from congvan.tag import pos_tag
lean = pos_tag("Sở Tài chính thu thập số liệu")
assert "underthesea" not in sys.modules, "the bare package object was left behind"
assert "underthesea.pipeline.chunking" not in sys.modules, "chunking was loaded"
from underthesea import chunk, pos_tag as full  # the real package still imports whole
assert full("Sở Tài chính thu thập số liệu") == lean
assert chunk("Sở Y tế")
print("ok")
"""


def test_tagging_first_loads_only_what_it_needs_and_underthesea_still_imports_whole():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", LEAN], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
