"""Accuracy on the dev corpora and the offsets invariant on every row.

Reads ../shared/corpus/dev and dev2 (each skipped where it is absent); nothing of
them is copied into the repo.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from congvan.evaluate import evaluate_dir, format_report, thresholds_met
from congvan.extract import extract

# Issue 2's bar: every document field, references with their dates, recipients.
THRESHOLDS = {
    "document.*": 0.95,
    "references.f1": 0.95,
    "references.date": 0.95,
    "recipients.f1": 0.90,
    "obligations.f1": 0.85,
    "obligations.role": 0.90,
    "deadlines.f1": 0.85,
    "risk_groups.f1": 0.90,
}


@pytest.fixture(scope="module")
def report(dev_corpus: Path):
    return evaluate_dir(dev_corpus, lambda text: extract(text).to_json())


def test_dev_corpus_meets_the_accuracy_thresholds(report) -> None:
    failed = thresholds_met(report, THRESHOLDS)
    assert not failed, "\n".join(failed) + "\n" + format_report(report)


# Issue 11's bar on dev2, texts closer to what users bring (news posts, provincial and
# central texts, procedures): the rules were not written from most of them.
DEV2_THRESHOLDS = {
    "headline": 0.92,
    "document.all": 0.95,
    "references.f1": 0.95,
    "recipients.f1": 0.92,
    "obligations.f1": 0.85,
    "obligations.role": 0.95,
    "deadlines.f1": 0.85,
    "risk_groups.f1": 0.90,
}


def test_dev2_corpus_meets_the_accuracy_thresholds(dev2_corpus: Path) -> None:
    report = evaluate_dir(dev2_corpus, lambda text: extract(text).to_json())
    failed = thresholds_met(report, DEV2_THRESHOLDS)
    assert not failed, "\n".join(failed) + "\n" + format_report(report)


def test_every_row_slices_to_its_printed_text(dev_corpus: Path) -> None:
    for path in sorted(dev_corpus.glob("*.txt")):
        x = extract(path.read_text(encoding="utf-8"))
        for name in x.document.FIELDS:
            f = getattr(x.document, name)
            if f is not None and f.end > f.start:
                assert x.text[f.start:f.end] == f.text, (path.name, name)
        for rec in [*x.references, *x.recipients, *x.obligations, *x.risk_groups, *x.deadlines]:
            assert x.text[rec.start:rec.end] == rec.text, (path.name, rec)
