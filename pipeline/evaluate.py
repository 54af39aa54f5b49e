"""Score per-document predictions against gold annotations (../shared/GOLD_FORMAT.md).

Each document is scored key by key and the counts are summed over the corpus
(micro average):

- ``document``: accuracy of each field over the documents whose gold has it;
- ``references``, ``recipients``, ``obligations``, ``deadlines``: precision,
  recall and F1 of a one-to-one match, and the accuracy of secondary fields
  (``date``, ``kind``, ...) on the matched pairs;
- ``risk_groups``: precision, recall and F1 of the codes as a set.

A top-level gold key that is absent is not scored; an empty list is (so every
prediction there is a false positive).

>>> fold("Uỷ ban  nhân dân (tỉnh)")
'ủy ban nhân dân tỉnh'
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .clean import fold

__all__ = [
    "LIST_KEYS",
    "KEYS",
    "SIMILARITY",
    "DocResult",
    "FieldScore",
    "KeyScore",
    "Report",
    "Wrong",
    "evaluate_dir",
    "fold",
    "format_report",
    "held_back",
    "load_gold",
    "load_gold_dir",
    "names_of",
    "score_corpus",
    "score_document",
    "similarity",
    "thresholds_met",
]

LIST_KEYS = ("references", "recipients", "obligations", "deadlines")
KEYS = (*LIST_KEYS, "risk_groups")
SIMILARITY = 0.8  # threshold of GOLD_FORMAT for subjects and undated deadlines

# GOLD_FORMAT's separators; the Unicode hyphens beside the three listed dashes
# (‐ ‑ ‒ −) are the same mark typed differently, so they fold alike.
# Inside a reference key the split between number and symbol (119-KH/TU printed,
# 119 + KH/TU in gold) must not matter, so slashes go with spaces and dashes.
_KEY_NOISE = re.compile(r"[\s/]+")


# ---------------------------------------------------------------- folding


def _text(value: Any) -> str | None:
    """A scalar prediction or gold value as a string; ``None`` and blanks as ``None``."""
    if value is None:
        return None
    if isinstance(value, dict):  # an agency-like object where a string was expected
        value = value.get("name")
        if value is None:
            return None
    s = str(value)
    return s if s.strip() else None


def _folded(value: Any) -> str:
    s = _text(value)
    return fold(s) if s is not None else ""


def names_of(value: Any) -> list[str]:
    """Folded name and aliases of a gold agency-like value (string or object)."""
    if value is None:
        return []
    if isinstance(value, dict):
        raw = [value.get("name"), *(value.get("aliases") or [])]
    else:
        raw = [value]
    out: list[str] = []
    for r in raw:
        f = _folded(r)
        if f and f not in out:
            out.append(f)
    return out


def similarity(a: str, b: str) -> float:
    """Similarity of two strings after folding, in [0, 1] (Indel ratio)."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 1.0 if fa == fb else 0.0
    return fuzz.ratio(fa, fb) / 100.0


def _ref_key(item: dict) -> str:
    """Identity of a cited document: number + symbol, spaces, dashes and slashes ignored."""
    return _KEY_NOISE.sub("", _folded(item.get("number")) + "/" + _folded(item.get("symbol")))


def _name_quality(gold_names: list[str], pred: Any) -> float:
    """2 for the canonical name, 1 for an alias, 0 for no match."""
    p = _folded(pred)
    if not p or p not in gold_names:
        return 0.0
    return 2.0 if p == gold_names[0] else 1.0


# ---------------------------------------------------------------- scores


@dataclass
class FieldScore:
    """Correct out of total; accuracy is 1.0 when nothing was scored."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    def merge(self, other: FieldScore) -> None:
        self.correct += other.correct
        self.total += other.total


@dataclass
class KeyScore:
    """Match counts of one key, and secondary-field accuracies on matched pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    secondary: dict[str, FieldScore] = field(default_factory=dict)

    # Nothing predicted and nothing expected is perfect; F1 is 0 once either side is 0.
    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def merge(self, other: KeyScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for name, fs in other.secondary.items():
            self.secondary.setdefault(name, FieldScore()).merge(fs)


@dataclass(frozen=True)
class Wrong:
    """A wrong value: a document field, or a secondary field of a matched pair."""

    field: str  # "subject", "date", "kind", ...
    item: str  # label of the matched gold item; "" for document fields
    gold: Any
    pred: Any


@dataclass
class DocResult:
    """Scores of one document, with what went wrong (for ``--show``)."""

    name: str = ""
    fields: dict[str, FieldScore] = field(default_factory=dict)  # document field -> 0/1 of 1
    keys: dict[str, KeyScore] = field(default_factory=dict)  # only the keys gold annotates
    misses: dict[str, list[str]] = field(default_factory=dict)  # gold items not matched
    extras: dict[str, list[str]] = field(default_factory=dict)  # predicted items not matched
    wrong: dict[str, list[Wrong]] = field(default_factory=dict)  # "document" or a key


@dataclass
class Report:
    """Micro-averaged scores of a corpus and the per-document results."""

    fields: dict[str, FieldScore] = field(default_factory=dict)
    keys: dict[str, KeyScore] = field(default_factory=dict)
    docs: list[DocResult] = field(default_factory=list)

    @property
    def document_accuracy(self) -> FieldScore:
        """Every scored document field of every document, pooled."""
        total = FieldScore()
        for fs in self.fields.values():
            total.merge(fs)
        return total

    @property
    def headline(self) -> float | None:
        """One figure: the mean of the pooled document-field accuracy and the F1 of
        each scored key (references, recipients, obligations, deadlines, risk groups)."""
        parts = [ks.f1 for ks in self.keys.values()]
        if self.fields:
            parts.append(self.document_accuracy.accuracy)
        return sum(parts) / len(parts) if parts else None


# ---------------------------------------------------------------- comparisons


def _same_exact(gold: Any, pred: Any) -> bool:
    """Dates: ISO strings compared as they are, so a cut precision is wrong."""
    g, p = _text(gold), _text(pred)
    return (g.strip() if g else None) == (p.strip() if p else None)


def _same_folded(gold: Any, pred: Any) -> bool:
    return _folded(gold) == _folded(pred)


def _same_compact(gold: Any, pred: Any) -> bool:
    """Symbols: ``V11 -TTTTBC`` = ``V11-TTTTBC``, ``KH / TU`` = ``KH/TU``."""
    return _KEY_NOISE.sub("", _folded(gold)) == _KEY_NOISE.sub("", _folded(pred))


def _same_name(gold: Any, pred: Any) -> bool:
    names = names_of(gold)
    if not names:
        return _text(pred) is None
    return _name_quality(names, pred) > 0


def _same_similar(gold: Any, pred: Any) -> bool:
    g, p = _text(gold), _text(pred)
    if g is None or p is None:
        return g is None and p is None
    return similarity(g, p) >= SIMILARITY


_DOCUMENT_FIELDS: dict[str, Callable[[Any, Any], bool]] = {
    "issuer": _same_name,
    "subject": _same_similar,
    "issue_date": _same_exact,
    "symbol": _same_compact,
}  # every other field (doc_type, number, place, signer, ...) by folded equality


# ---------------------------------------------------------------- matching


@dataclass(frozen=True)
class _ListSpec:
    """How one list key is matched, labelled and checked."""

    quality: Callable[[dict, dict], float]  # > 0 when gold and pred items match
    label: Callable[[dict], str]
    secondary: tuple[tuple[str, Callable[[Any, Any], bool]], ...]
    units: Callable[[list[dict]], list[dict]] = list


def _ref_quality(g: dict, p: dict) -> float:
    k = _ref_key(g)
    return 1.0 if k and k == _ref_key(p) else 0.0


def _deadline_quality(g: dict, p: dict) -> float:
    gd, pd = _text(g.get("date")), _text(p.get("date"))
    if gd is not None or pd is not None:
        return 1.0 if _same_exact(gd, pd) else 0.0
    gt, pt = _text(g.get("text")), _text(p.get("text"))
    if gt is None or pt is None:
        return 0.0
    r = similarity(gt, pt)
    if r >= SIMILARITY:
        return r
    # GOLD_FORMAT: one folded time expression inside the other also matches
    # ("thứ Sáu hằng tuần" / "định kỳ vào thứ Sáu hằng tuần")
    fg, fp = fold(gt), fold(pt)
    return SIMILARITY if fg and fp and (fg in fp or fp in fg) else 0.0


def _deadline_units(items: list[dict]) -> list[dict]:
    """First entry of each distinct date; undated entries once per distinct text."""
    seen: set[tuple[str, str]] = set()
    units = []
    for it in items:
        d = _text(it.get("date"))
        key = ("date", d.strip()) if d is not None else ("text", _folded(it.get("text")))
        if key not in seen:
            seen.add(key)
            units.append(it)
    return units


def _show(value: Any) -> str:
    s = _text(value)
    return s if s is not None else "—"


_LISTS: dict[str, _ListSpec] = {
    "references": _ListSpec(
        quality=_ref_quality,
        label=lambda it: f"{_show(it.get('number'))}/{_show(it.get('symbol'))}"
        f" ({_show(it.get('doc_type'))}, {_show(it.get('date'))})",
        secondary=(("date", _same_exact), ("doc_type", _same_folded)),
    ),
    "recipients": _ListSpec(
        quality=lambda g, p: _name_quality(names_of(g), p.get("name")),
        label=lambda it: f"{_show(it.get('name'))} [{_show(it.get('kind'))}]",
        secondary=(("kind", _same_folded),),
    ),
    "obligations": _ListSpec(
        quality=lambda g, p: _name_quality(names_of(g.get("assignee")), p.get("assignee")),
        label=lambda it: f"{_show(it.get('assignee'))} [{_show(it.get('role'))}]",
        secondary=(("role", _same_folded),),
    ),
    "deadlines": _ListSpec(
        quality=_deadline_quality,
        label=lambda it: f"{_show(it.get('date'))} {_show(it.get('kind'))}: “{_show(it.get('text'))}”",
        secondary=(("kind", _same_folded),),
        units=_deadline_units,
    ),
}


def _agreement(spec: _ListSpec, g: dict, p: dict) -> int:
    return sum(1 for name, same in spec.secondary if name in g and same(g[name], p.get(name)))


def _match(spec: _ListSpec, gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (gold index, pred index).

    Best matches first (canonical name before alias, closer text first); among
    equal ones the pair whose secondary fields agree, so a body that both leads
    and supports pairs lead with lead; then in order.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            q = spec.quality(g, p)
            if q > 0:
                candidates.append((-q, -_agreement(spec, g, p), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


# ---------------------------------------------------------------- scoring


def _pred_list(pred: dict, key: str) -> list:
    value = pred.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TypeError(f"prediction {key!r} must be a list, not {type(value).__name__}")
    return value


def _score_list(key: str, pred_items: list[dict], gold_items: list[dict], res: DocResult) -> None:
    spec = _LISTS[key]
    gold, pred = spec.units(gold_items), spec.units(pred_items)
    pairs = _match(spec, gold, pred)
    ks = KeyScore(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    wrong = []
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        for name, same in spec.secondary:
            if name not in g:  # secondary field not annotated on this item
                continue
            ok = same(g[name], p.get(name))
            ks.secondary.setdefault(name, FieldScore()).add(ok)
            if not ok:
                wrong.append(Wrong(name, spec.label(g), g[name], p.get(name)))
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    res.keys[key] = ks
    res.misses[key] = [spec.label(g) for i, g in enumerate(gold) if i not in matched_g]
    res.extras[key] = [spec.label(p) for i, p in enumerate(pred) if i not in matched_p]
    res.wrong[key] = wrong


def _score_risk_groups(pred_codes: list, gold_codes: list, res: DocResult) -> None:
    gold = {_folded(c) for c in gold_codes} - {""}
    pred = {_folded(c) for c in pred_codes} - {""}
    res.keys["risk_groups"] = KeyScore(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))
    res.misses["risk_groups"] = sorted(gold - pred)
    res.extras["risk_groups"] = sorted(pred - gold)
    res.wrong["risk_groups"] = []


def _score_document_fields(pred_doc: dict, gold_doc: dict, res: DocResult) -> None:
    wrong = []
    for name, gold_value in gold_doc.items():
        same = _DOCUMENT_FIELDS.get(name, _same_folded)
        ok = same(gold_value, pred_doc.get(name))
        res.fields[name] = FieldScore(int(ok), 1)
        if not ok:
            wrong.append(Wrong(name, "", gold_value, pred_doc.get(name)))
    res.wrong["document"] = wrong


def score_document(pred: dict, gold: dict, name: str = "") -> DocResult:
    """Score one document's prediction against its gold, on the keys gold annotates."""
    res = DocResult(name=name)
    if isinstance(gold.get("document"), dict):
        pred_doc = pred.get("document") or {}
        _score_document_fields(pred_doc, gold["document"], res)
    for key in LIST_KEYS:
        if key in gold:
            _score_list(key, _pred_list(pred, key), gold[key] or [], res)
    if "risk_groups" in gold:
        _score_risk_groups(_pred_list(pred, "risk_groups"), gold["risk_groups"] or [], res)
    return res


def score_corpus(results: Iterable[tuple[str, dict, dict]]) -> Report:
    """Micro-averaged report over (name, pred, gold) triples."""
    report = Report()
    for name, pred, gold in results:
        doc = score_document(pred, gold, name)
        report.docs.append(doc)
        for f, fs in doc.fields.items():
            report.fields.setdefault(f, FieldScore()).merge(fs)
        for key in KEYS:  # fixed order, whatever order documents bring keys in
            if key in doc.keys:
                report.keys.setdefault(key, KeyScore()).merge(doc.keys[key])
    return report


# ---------------------------------------------------------------- gold files


def _check_agency(value: Any, where: str) -> None:
    if value is None or isinstance(value, str):
        return
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        raise ValueError(f"{where}: expected a string or {{\"name\": ..., \"aliases\": [...]}}")
    aliases = value.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f"{where}: aliases must be a list of strings")


def _check_gold(data: Any) -> None:
    """Raise ValueError on a structure the scorer cannot read."""
    if not isinstance(data, dict):
        raise ValueError("top level must be an object")
    doc = data.get("document")
    if "document" in data and not isinstance(doc, dict):
        raise ValueError("document must be an object")
    if isinstance(doc, dict) and "issuer" in doc:
        _check_agency(doc["issuer"], "document.issuer")
    for key in KEYS:
        if key not in data:
            continue
        items = data[key]
        if not isinstance(items, list):
            raise ValueError(f"{key} must be a list")
        for i, it in enumerate(items):
            where = f"{key}[{i}]"
            if key == "risk_groups":
                if not isinstance(it, str):
                    raise ValueError(f"{where}: expected a code string")
                continue
            if not isinstance(it, dict):
                raise ValueError(f"{where}: expected an object")
            if key == "recipients":
                _check_agency({"name": it.get("name"), "aliases": it.get("aliases", [])}, where)
            elif key == "obligations":
                _check_agency(it.get("assignee"), f"{where}.assignee")
            elif key == "references" and "issuer" in it:
                _check_agency(it["issuer"], f"{where}.issuer")


def load_gold(path: Path) -> dict:
    """Read one NAME.gold.json; ValueError naming the file when it is malformed."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        _check_gold(data)
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"malformed gold file {path}: {e}") from e
    return data


PARTS = ("all", "held", "rest")


def held_back(name: str) -> bool:
    """The fixed held-back third of a corpus: files whose number is divisible by 3
    (``a03``, ``b12``). Rules are not written from these; their scores are quoted
    beside the rest to show whether a change generalises."""
    digits = "".join(c for c in name if c.isdigit())
    return bool(digits) and int(digits) % 3 == 0


SCANS = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".pdf")  # a document as a scan (see text_of)


def load_gold_dir(gold_dir: Path, part: str = "all") -> list[tuple[str, Path, dict]]:
    """(name, document path, gold) for every NAME.txt (or scan of it: NAME.tif, .png,
    .jpg, .pdf) that has a NAME.gold.json, by name; ``part`` ``held`` or ``rest`` keeps
    the held-back third or the other two."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: use one of {', '.join(PARTS)}")
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    out = []
    documents = [p for p in gold_dir.iterdir() if p.suffix.lower() in (".txt", *SCANS)]
    for txt in sorted(documents, key=lambda p: p.name):
        gold_path = txt.with_name(txt.stem + ".gold.json")
        if part != "all" and held_back(txt.stem) != (part == "held"):
            continue
        if gold_path.is_file():
            out.append((txt.stem, txt, load_gold(gold_path)))
    return out


def text_of(path: Path) -> str:
    """A gold document's text: a .txt as it is; a scan read as ``congvan run`` reads it
    (OCR), a failure a ``ValueError`` with its reason."""
    if path.suffix.lower() == ".txt":
        return path.read_text(encoding="utf-8")
    from .models import ErrorRecord
    from .read import read_file  # only a scan needs the readers

    got = read_file(path)
    if isinstance(got, ErrorRecord):
        raise ValueError(f"{path}: {got.reason}")
    return got.text


def evaluate_dir(gold_dir: Path, extract_json: Callable[[str], dict], part: str = "all") -> Report:
    """Run ``extract_json`` on each annotated text of ``gold_dir`` (or of its ``part``,
    see :func:`load_gold_dir`) and score it. ``ValueError`` when there is nothing to
    score: no ``NAME.txt`` with a ``NAME.gold.json`` beside it."""
    pairs = load_gold_dir(gold_dir, part)
    if not pairs:
        which = "" if part == "all" else f" in its {part} part"
        raise ValueError(f"no gold annotations in {gold_dir}{which}: evaluate scores each NAME.txt "
                         "against a NAME.gold.json beside it (see GOLD_FORMAT.md)")
    results = []
    for name, txt, gold in pairs:
        try:
            pred = extract_json(text_of(txt))
        except Exception as e:
            e.add_note(f"while extracting {txt}")
            raise
        results.append((name, pred, gold))
    return score_corpus(results)


# ---------------------------------------------------------------- thresholds


_METRICS = ("precision", "recall", "f1")


def thresholds_met(report: Report, thresholds: dict[str, float]) -> list[str]:
    """Failed checks, e.g. ``{"document.*": 0.95, "references.f1": 0.9, "references.date": 0.9}``.

    ``document.*`` checks every scored document field, ``document.all`` all of them
    pooled, ``headline`` the one figure. A check on a key that no
    document annotated fails ("not scored"); one on a field with nothing to score passes.
    """
    failed = []
    for check, minimum in thresholds.items():
        for label, value in _check_values(report, check):
            if value is None:
                failed.append(f"{label} not scored")
            elif value < minimum:
                failed.append(f"{label} {value:.3f} < {minimum:.3f}")
    return failed


def _check_values(report: Report, check: str) -> list[tuple[str, float | None]]:
    if check == "headline":
        return [(check, report.headline)]
    key, _, metric = check.partition(".")
    if check == "document.all":  # every field of every document, pooled
        fs = report.document_accuracy
        return [(check, fs.accuracy if fs.total else None)]
    if key == "document":
        if metric == "*":
            return [(f"document.{f}", fs.accuracy) for f, fs in report.fields.items() if fs.total]
        one = report.fields.get(metric)
        return [(check, one.accuracy if one and one.total else None)]
    if key not in KEYS or not metric:
        raise ValueError(f"unknown check {check!r}: use document.FIELD, document.* or KEY.METRIC")
    ks = report.keys.get(key)
    if metric in _METRICS:
        return [(check, getattr(ks, metric) if ks else None)]
    known = [name for name, _ in _LISTS[key].secondary] if key in _LISTS else []
    if metric not in known:
        raise ValueError(f"unknown check {check!r}: {key} has {', '.join((*_METRICS, *known))}")
    if ks is None:
        return [(check, None)]
    secondary = ks.secondary.get(metric)
    return [(check, secondary.accuracy)] if secondary and secondary.total else []


# ---------------------------------------------------------------- report text


def _acc(fs: FieldScore) -> str:
    return f"{fs.accuracy:.3f}" if fs.total else "n/a"


def _value(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    return "null" if value is None else repr(value) if not isinstance(value, str) else f"“{value}”"


def _show_lines(report: Report, key: str) -> list[str]:
    if key not in ("document", *KEYS):
        raise ValueError(f"unknown key {key!r} for show: use one of document, {', '.join(KEYS)}")
    lines = [f"== {key}: per document, misses (gold not found), extras (predicted, not in gold), wrong values =="]
    shown = 0
    for doc in report.docs:
        body = [f"  miss   {m}" for m in doc.misses.get(key, [])]
        body += [f"  extra  {x}" for x in doc.extras.get(key, [])]
        for w in doc.wrong.get(key, []):
            where = f"{w.item}: " if w.item else ""
            body.append(f"  wrong  {where}{w.field}: gold {_value(w.gold)}, pred {_value(w.pred)}")
        if body:
            lines += [doc.name or "(unnamed)", *body]
            shown += 1
    if not shown:
        lines.append("(nothing wrong)")
    return lines + [""]


def _table_lines(report: Report) -> list[str]:
    lines = ["document field               correct/total  acc"]
    for f, fs in report.fields.items():
        lines.append(f"document.{f:<20} {fs.correct:>6}/{fs.total:<6} {_acc(fs)}")
    lines += ["", f"{'key':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for key, ks in report.keys.items():
        lines.append(
            f"{key:<12} {ks.precision:6.3f} {ks.recall:6.3f} {ks.f1:6.3f} {ks.tp:5} {ks.fp:5} {ks.fn:5}"
        )
    secondary = [
        f"{key + '.' + name:<24} acc {_acc(fs)} ({fs.correct}/{fs.total})"
        for key, ks in report.keys.items()
        for name, fs in ks.secondary.items()
    ]
    if secondary:
        lines += ["", "secondary fields on matched pairs", *secondary]
    return lines + [""]


def _summary_lines(report: Report) -> list[str]:
    n = len(report.docs)
    # the headline (mean of the figures below) on the title line: a tail of the
    # output keeps every figure
    head = f"; headline {report.headline:.3f}" if report.headline is not None else ""
    lines = [f"== summary: {n} document{'' if n == 1 else 's'}{head} =="]
    if report.fields:
        total = report.document_accuracy
        worst, wfs = min(report.fields.items(), key=lambda kv: kv[1].accuracy)
        lines.append(
            f"{'document':<12} acc {_acc(total)} ({total.correct}/{total.total}), lowest {worst} {_acc(wfs)}"
        )
    for key, ks in report.keys.items():
        sec = "".join(f"  {name} {_acc(fs)}" for name, fs in ks.secondary.items())
        lines.append(f"{key:<12} F1 {ks.f1:.3f}  P {ks.precision:.3f}  R {ks.recall:.3f}{sec}")
    return lines


def format_report(report: Report, show: str | None = None) -> str:
    """Plain-text report; with ``show=KEY`` the per-document misses, extras and wrong values.

    The compact summary comes last, so a tail of the output keeps the figures.
    """
    lines = _show_lines(report, show) if show else []
    lines += _table_lines(report) + _summary_lines(report)
    return "\n".join(lines)
