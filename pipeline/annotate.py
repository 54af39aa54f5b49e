"""The spaCy layer: one Vietnamese ``Language`` whose ``Doc`` carries every extracted span.

The regex core (``extract_clean``) does the extraction; this module puts its records on a
``Doc`` as span groups so they can be inspected, rendered (``render``) and combined with
word segmentation:

>>> doc = annotate("Số: 124/KH-UBND\\nLạng Sơn, ngày 16 tháng 7 năm 2019\\nKẾ HOẠCH\\nTuyên truyền")
>>> [(s.label_, s.text, s._.value) for s in doc.spans["header"] if s.label_ == "issue_date"]
[('issue_date', 'ngày 16 tháng 7 năm 2019', '2019-07-16')]

Word segmentation (underthesea's CRF, bundled with the package, offline) is far slower
than the regex stages, so it runs only where asked: :func:`segment_words` on a clause, or
``words=`` on the Doc builders for chosen sentences.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from .clean import clean
from .extract import extract_clean
from .models import DocumentInfo, Extraction, Span

# The record lists of an Extraction that become span groups, in reading order of importance.
RECORD_GROUPS = ("references", "recipients", "directives", "obligations", "risk_groups", "deadlines")
HEADER = "header"

# A token: a run of letters/digits (with combining marks, so NFD text stays whole) or one
# punctuation mark. Splitting punctuation off lets record edges ("38/KH-BCĐ", then ",")
# fall on token edges; spaCy's own Vietnamese tokenizer without pyvi splits on spaces only.
_TOKEN = regex.compile(r"[\w\p{M}]+|[^\w\s]\p{M}*")


def _span_record(span: SpacySpan) -> tuple[Any, str | None]:
    """(record, normalized value) of a span that :func:`set_span_groups` made."""
    return (span.doc._.span_records or {}).get(span.id, (None, None))


# Span extension values are keyed by character offsets alone, so two records printed on
# the same words (number and symbol) would share them: they live on the Doc by span id.
for _name in ("extraction", "word_ranges", "span_records"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not SpacySpan.has_extension("record"):
    SpacySpan.set_extension("record", getter=lambda span: _span_record(span)[0])
    SpacySpan.set_extension("value", getter=lambda span: _span_record(span)[1])


class SyllableTokenizer:
    """Splits on whitespace and punctuation, keeping every character: ``doc.text == text``."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = _pieces(text)
        return Doc(self.vocab, words=words, spaces=spaces)


def _pieces(text: str) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags; other whitespace runs become tokens, as in spaCy."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        _gap(text[pos:m.start()], words, spaces)
        words.append(m.group())
        spaces.append(False)
        pos = m.end()
    _gap(text[pos:], words, spaces)
    return words, spaces


def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    if gap.startswith(" ") and words:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


@lru_cache(maxsize=1)
def nlp() -> Language:
    """``spacy.blank("vi")`` without pyvi, our tokenizer, and the congvan components."""
    lang = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    lang.tokenizer = SyllableTokenizer(lang.vocab)
    lang.add_pipe("congvan_extract")
    lang.add_pipe("congvan_words")
    return lang


@Language.component("congvan_extract")
def extract_component(doc: Doc) -> Doc:
    """Run the regex core on ``doc.text`` (unless given a ready record) and add the spans."""
    if doc._.extraction is None:
        doc._.extraction = extract_clean(doc.text)
    _split_at(doc, _edges(doc._.extraction))
    set_span_groups(doc)
    return doc


@Language.component("congvan_words")
def words_component(doc: Doc) -> Doc:
    """Merge the syllables of underthesea's words, only in the ranges set on ``doc._.word_ranges``."""
    ranges = doc._.word_ranges
    if not ranges or doc._.extraction is None:
        return doc
    if ranges is True:  # the task statements: what the tasking stage segments
        ranges = [(d.start, d.end) for d in doc._.extraction.directives]
    merge_words(doc, ranges)
    return doc


def annotate(text: str, words: bool | Iterable[tuple[int, int]] = False) -> Doc:
    """Clean ``text`` and build its Doc; ``words``: True for the task statements, or char ranges."""
    return _run(nlp().make_doc(clean(text).text), None, words)


def to_doc(extraction: Extraction, words: bool | Iterable[tuple[int, int]] = False) -> Doc:
    """The Doc of a ready Extraction (no second extraction); offsets are into ``extraction.text``."""
    return _run(nlp().make_doc(extraction.text), extraction, words)


def _run(doc: Doc, extraction: Extraction | None, words: bool | Iterable[tuple[int, int]]) -> Doc:
    doc._.extraction = extraction
    doc._.word_ranges = words if words is True else list(words or [])
    for _, proc in nlp().pipeline:
        doc = proc(doc)
    return doc


# --------------------------------------------------------------------------- spans


def records(extraction: Extraction) -> Iterator[tuple[str, str, Any]]:
    """(group, label, record) for every extracted record that has a non-empty span."""
    for name in DocumentInfo.FIELDS:
        field = getattr(extraction.document, name)
        if field is not None and field.end > field.start:
            yield HEADER, name, field
    for group in RECORD_GROUPS:
        for record in getattr(extraction, group):
            if record.end > record.start:
                yield group, _label(group, record), record


def _label(group: str, record: Any) -> str:
    """The category of a record: role, kind or code where it has one."""
    for attr in ("role", "kind", "code"):
        value = getattr(record, attr, None)
        if isinstance(value, str) and value:
            return value
    return group.rstrip("s")


def value_of(group: str, record: Any) -> str | None:
    """The normalized value shown beside a span: what the record resolved the words to."""
    if group == HEADER:
        return record.value
    if group == "references":
        return f"{record.number}/{record.symbol}" if record.number else record.symbol
    if group == "recipients":
        return record.name
    if group == "directives":
        return record.task or None
    if group == "obligations":
        return record.canonical or record.assignee
    if group == "deadlines":
        if record.start_date and record.date:
            return f"{record.start_date}..{record.date}"
        return record.date
    return getattr(record, "code", None)


def set_span_groups(doc: Doc) -> None:
    """(Re)build every span group from ``doc._.extraction``; run again after retokenizing."""
    groups: dict[str, list[SpacySpan]] = {HEADER: [], **{g: [] for g in RECORD_GROUPS}}
    doc._.span_records = {}
    for i, (group, label, record) in enumerate(records(doc._.extraction)):
        span = doc.char_span(record.start, record.end, label=label, span_id=f"{group}:{i}",
                             alignment_mode="expand")
        if span is None:  # offsets outside the text: nothing to show
            continue
        doc._.span_records[span.id] = (record, value_of(group, record))
        groups[group].append(span)
    for group, spans in groups.items():
        doc.spans[group] = spans


def _edges(extraction: Extraction) -> set[int]:
    edges: set[int] = set()
    for _, _, record in records(extraction):
        edges.update((record.start, record.end))
    return edges


def _split_at(doc: Doc, edges: set[int]) -> None:
    """Split tokens that a record edge falls inside, so every span is exact."""
    starts = [t.idx for t in doc]
    cuts: dict[int, list[int]] = {}
    for edge in edges:
        i = bisect_right(starts, edge) - 1
        if i >= 0 and starts[i] < edge < starts[i] + len(doc[i].text):
            cuts.setdefault(i, []).append(edge - starts[i])
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            bounds = [0, *sorted(set(offsets)), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
            retokenizer.split(token, orths, heads=[(token, k) for k in range(len(orths))])


# --------------------------------------------------------------------------- words


def merge_words(doc: Doc, ranges: Iterable[tuple[int, int]]) -> None:
    """Make each underthesea word in ``ranges`` one token; span groups are rebuilt after."""
    edges = _edges(doc._.extraction) if doc._.extraction is not None else set()
    text = doc.text
    words = []
    for start, end in ranges:
        for w in segment_words(text, start, end):
            if any(w.start < e < w.end for e in edges):
                continue  # a record edge inside the word: the record's span wins
            span = doc.char_span(w.start, w.end)
            if span is not None and len(span) > 1:
                words.append(span)
    if not words:
        return
    with doc.retokenize() as retokenizer:
        for span in _disjoint(words):
            retokenizer.merge(span)
    if doc._.extraction is not None:
        set_span_groups(doc)


def _disjoint(spans: list[SpacySpan]) -> list[SpacySpan]:
    """Overlapping ranges may yield the same word twice; merge each token once."""
    taken: set[int] = set()
    kept = []
    for span in sorted(spans, key=lambda s: s.start):
        if not taken.intersection(range(span.start, span.end)):
            taken.update(range(span.start, span.end))
            kept.append(span)
    return kept


def segment_words(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Words of ``text[start:end]`` by underthesea, as exact spans of ``text``.

    underthesea joins the syllables of a word with spaces and normalizes characters
    (NFC, tone placement), so its words are matched back on their letters alone.
    Each line is segmented apart: a word never runs across a line break.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            spans.extend(_align(_word_tokenize(line), text, pos))
        pos += len(line) + 1
    return spans


def _word_tokenize(line: str) -> list[str]:
    from underthesea import word_tokenize  # slow to import: only when words are asked for

    return word_tokenize(line)


def _keys(s: str, base: int = 0) -> tuple[str, list[int]]:
    """The letters of ``s`` without marks, spaces or case, with the offset each came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(s):
        key = _char_key(ch)
        chars.append(key)
        offsets.extend([base + i] * len(key))
    return "".join(chars), offsets


@lru_cache(maxsize=4096)
def _char_key(ch: str) -> str:
    """``Ủ`` -> ``u``, ``ﬁ`` -> ``fi``; marks, spaces, controls and format characters -> ''."""
    return "".join(k for k in unicodedata.normalize("NFKD", ch).casefold()
                   if unicodedata.category(k)[0] not in "MZ"
                   and unicodedata.category(k) not in ("Cc", "Cf"))


def _align(words: list[str], text: str, base: int) -> list[Span]:
    """Place each word on the line starting at ``base``; a word that cannot be found is skipped."""
    line_end = text.find("\n", base)
    line_end = len(text) if line_end < 0 else line_end
    keys, offsets = _keys(text[base:line_end], base)
    spans: list[Span] = []
    p = 0
    for word in words:
        key, _ = _keys(word)
        if not key:
            continue
        at = p if keys.startswith(key, p) else keys.find(key, p, p + len(key) + 16)
        if at < 0:
            continue
        s = offsets[at]
        e = offsets[at + len(key) - 1] + 1
        while e < line_end and unicodedata.combining(text[e]):
            e += 1  # NFD text: the marks after the last letter belong to the word
        spans.append(Span(text[s:e], s, e))
        p = at + len(key)
    return spans
