"""Part-of-speech tags from underthesea's bundled offline CRF model, faster.

``underthesea.pos_tag`` builds each word's features by re-reading the whole
sentence once per feature template, quadratic in the sentence and about half
of its time on a 240-character clause. :func:`pos_tag` here gives the same
feature strings in one pass (tests/test_tag.py checks that the features and
the tags equal underthesea's own) and hands them to the same model. Should the
model's internals not be what this expects, it falls back to underthesea's
``pos_tag``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# underthesea's template (pos_tag/model_crf.py): word columns lower-cased,
# title-cased, as is, in bigrams; then tag columns, always "X" at prediction
_TEMPLATE = (
    "T[-2].lower", "T[-1].lower", "T[0].lower", "T[1].lower", "T[2].lower",
    "T[0].istitle", "T[-1].istitle", "T[1].istitle",
    "T[-2]", "T[-1]", "T[0]", "T[1]", "T[2]",
    "T[-2,-1]", "T[-1,0]", "T[0,1]", "T[1,2]",
    "T[-3][1]", "T[-2][1]", "T[-1][1]",
    "T[-3,-2][1]", "T[-2,-1][1]",
)


@lru_cache(maxsize=1)
def _parts() -> tuple[Callable[[str], list[str]], Any | None]:
    """underthesea's ``word_tokenize`` and its POS model (None if its template is not
    the one :func:`features` builds).

    ``import underthesea`` runs a package ``__init__`` that also loads chunking, NER
    and normalisation models we never use: about 50 MB and a second in every worker.
    When underthesea is not imported yet, the two modules needed are imported under a
    bare package object instead, removed afterwards, so a later ``import underthesea``
    still runs the real one. Any surprise there falls back to the plain import.
    """
    if "underthesea" not in sys.modules:
        try:
            return _lean_parts()
        except Exception:
            for name in [m for m in sys.modules if m == "underthesea" or m.startswith("underthesea.")]:
                del sys.modules[name]
    from underthesea import word_tokenize
    from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

    return word_tokenize, _checked(CRFPOSTagPredictor.Instance())


def _lean_parts() -> tuple[Callable[[str], list[str]], Any | None]:
    spec = importlib.util.find_spec("underthesea")
    if spec is None:
        raise ImportError("underthesea is not installed")
    sys.modules["underthesea"] = importlib.util.module_from_spec(spec)
    try:
        importlib.import_module("underthesea.pipeline.text_normalize")  # first: a cycle
        word_tokenize = importlib.import_module("underthesea.pipeline.word_tokenize").word_tokenize
        word_tokenize("Sở Y tế")  # loads its model now, while the bare package stands
        model_crf = importlib.import_module("underthesea.pipeline.pos_tag.model_crf")
        return word_tokenize, _checked(model_crf.CRFPOSTagPredictor.Instance())
    finally:
        del sys.modules["underthesea"]


def _checked(predictor: Any) -> Any | None:
    try:
        return predictor.model if tuple(predictor.transformer.template) == _TEMPLATE else None
    except AttributeError:
        return None


def _model() -> Any | None:
    return _parts()[1]


def _istitle(word: str) -> str:
    """``text_istitle`` of underthesea: every space-separated part opens upper case."""
    parts = word.split(" ")
    if not word or any(not p or not p[0].istitle() for p in parts):
        return "False"
    return "True"


def features(words: list[str]) -> list[list[str]]:
    """The feature strings of each word, as underthesea's TaggedTransformer makes them."""
    n = len(words)
    low = [w.lower() for w in words]
    title = [_istitle(w) for w in words]

    def at(i: int, col: list[str], name: str) -> str:
        if i < 0:
            return f"{name}=BOS"
        if i >= n:
            return f"{name}=EOS"
        return f"{name}={col[i]}"

    def pair(i: int, j: int, name: str) -> str:
        if i < 0:
            return f"{name}=BOS"
        if i >= n or j >= n:
            return f"{name}=EOS"
        return f"{name}={words[i]} {words[j]}"

    def tag(i: int, name: str) -> str:
        return f"{name}=BOS" if i < 0 else f"{name}=X"

    def tag_pair(i: int, name: str) -> str:
        return f"{name}=BOS" if i < 0 else f"{name}=X X"

    out = []
    for i in range(n):
        out.append([
            at(i - 2, low, "T[-2].lower"), at(i - 1, low, "T[-1].lower"),
            at(i, low, "T[0].lower"), at(i + 1, low, "T[1].lower"),
            at(i + 2, low, "T[2].lower"),
            at(i, title, "T[0].istitle"), at(i - 1, title, "T[-1].istitle"),
            at(i + 1, title, "T[1].istitle"),
            at(i - 2, words, "T[-2]"), at(i - 1, words, "T[-1]"), at(i, words, "T[0]"),
            at(i + 1, words, "T[1]"), at(i + 2, words, "T[2]"),
            pair(i - 2, i - 1, "T[-2,-1]"), pair(i - 1, i, "T[-1,0]"),
            pair(i, i + 1, "T[0,1]"), pair(i + 1, i + 2, "T[1,2]"),
            tag(i - 3, "T[-3][1]"), tag(i - 2, "T[-2][1]"), tag(i - 1, "T[-1][1]"),
            tag_pair(i - 3, "T[-3,-2][1]"), tag_pair(i - 2, "T[-2,-1][1]"),
        ])
    return out


def pos_tag(text: str) -> list[tuple[str, str]]:
    """``underthesea.pos_tag(text)``: (word, tag) pairs, words as segmented."""
    word_tokenize, model = _parts()
    if model is None:
        from underthesea import pos_tag as slow_pos_tag

        return slow_pos_tag(text)
    words = word_tokenize(text)
    return list(zip(words, model.tag(features(words)), strict=False)) if words else []
