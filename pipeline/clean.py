"""Clean read text: NFC, one tone placement, clutter removed, glued words split,
with a map back.

One pass of one compiled pattern makes every edit, so the cleaned text keeps an
exact map from its offsets to the offsets of the text that was read:

>>> c = clean("**KT. GIÁM ĐỐC**\\nLãnh đạo Sở hoà")
>>> c.text
'KT. GIÁM ĐỐC\\nLãnh đạo Sở hòa'
>>> c.to_source(3)
5
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from .knowledge import clutter_patterns, inline_clutter_patterns
from .regexes import matches_at
from .syllable import split_glued

# Tones move off the second vowel of open "oa", "oe", "uy" (hoà -> hòa, thuỷ ->
# thủy, Uỷ -> Ủy), the placement the official names in our data use.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_OLD_TONE_TONED = regex.compile(
    r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\p{L})"
)


@lru_cache(maxsize=256)
def _move_tone(first: str, second: str) -> str:
    decomposed = unicodedata.normalize("NFD", second)
    tone = next((ch for ch in decomposed if ch in _TONE_MARKS), "")
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return unicodedata.normalize("NFC", first + tone) + bare


# The same pairs with a weaker look-ahead, for the standard ``re`` module: a cheap
# test that finds every place the pattern above can match (and a few more). The
# look-behind comes after the pair so that ``re`` can skip to an "o"/"u" fast.
_OLD_TONE_HINT = re.compile("[oOuU][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?<![qQ]..)(?![a-zA-Z])")


def normalize_tones(text: str) -> str:
    """Put tone marks in one place: ``hoá`` -> ``hóa``, ``Uỷ`` -> ``Ủy``.

    Only open syllables move (``hoàn`` and ``quý`` stay). Length is preserved.
    """
    if not _OLD_TONE_HINT.search(text):  # most text has none: skip the slower pass
        return text
    return _OLD_TONE_TONED.sub(lambda m: _move_tone(m.group(1), m.group(2)), text)


_SEPARATORS = regex.compile(r"[\s,.;:()\"“”'\-–—‐‑‒−]+")


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Comparison form of GOLD_FORMAT.md: NFC, one tone placement, lower case,
    whitespace, ``,.;:()"“”'`` and dashes -> one space, trimmed. Cached: the stages
    fold the same names again and again."""
    s = normalize_tones(unicodedata.normalize("NFC", s)).lower()
    return _SEPARATORS.sub(" ", s).strip()


@dataclass(frozen=True)
class CleanText:
    """Cleaned text and a piecewise map back to the read text."""

    text: str
    source_len: int
    _anchors_clean: tuple[int, ...]
    _anchors_source: tuple[int, ...]
    # an earlier pass whose cleaned text is this pass's source (maps compose)
    _before: CleanText | None = None

    def to_source(self, offset: int) -> int:
        """Source offset of the cleaned character at ``offset``."""
        i = bisect.bisect_right(self._anchors_clean, offset) - 1
        if i >= 0:
            offset = self._anchors_source[i] + (offset - self._anchors_clean[i])
        return offset if self._before is None else self._before.to_source(offset)


def _nfc(m: regex.Match) -> str:
    return unicodedata.normalize("NFC", m.group(0))


def _tone(m: regex.Match) -> str:
    return _move_tone(m.group("tv1"), m.group("tv2"))


def _drop(_: regex.Match) -> str:
    return ""


def _space(_: regex.Match) -> str:
    return " "


def _newline(_: regex.Match) -> str:
    return "\n"


def _keep_group(m: regex.Match) -> str:
    return m.group("kept")


# Where an edit can begin, found by cheap scans so that the edit pattern is tried
# only there: a line start (clutter lines, headings); a control, invisible or
# markdown character or a bracket, and the blanks before a bracket (inline
# clutter); a combining mark (its letter); an "o"/"u" before a toned vowel. The
# plain class is scanned by the standard ``re``, faster than one class with \p{M}.
_EDIT_CHARS = re.compile(r"[\r\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u2007\u202f\u3000\t#\\*_\[]")
_MARK = regex.compile(r"\p{M}")
_TONED_PAIR = re.compile("[oOuU][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?<![qQ]..)(?![a-zA-Z])")
_INLINE_START = regex.compile(r"(?:\[ \\t\]\*)?\\\[")


_Handler = Callable[[regex.Match], str]  # a match -> its replacement


@lru_cache(maxsize=2)
def _pattern(nfc: bool = False) -> tuple[regex.Pattern, dict[str, _Handler]]:
    """All edits as one alternation; the group that matched names the edit.
    Text that is already NFC needs no composing edit."""
    clutter = "|".join(f"(?:{p})" for p in clutter_patterns())
    inline = "|".join(f"(?:{p})" for p in inline_clutter_patterns())
    parts: dict[str, tuple[str, _Handler] | None] = {
        "crlf": (r"\r\n?", _newline),
        "invisible": (r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]+", _drop),
        "nbsp": (r"[\u00a0\u2007\u202f\u3000\t]", _space),
        # an open "oa"/"oe"/"uy" whose second vowel is toned, composed or not
        "tone": (r"(?<![qQ])(?P<tv1>[oOuU])"
                 r"(?P<tv2>[aAeEyY]\p{M}+|[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![\p{L}\p{M}])", _tone),
        "combining": None if nfc else (r"\p{L}\p{M}+", _nfc),
        "clutter": (rf"(?m)^[ \t]*(?:{clutter})[ \t]*(?:\r?\n|$)", _drop) if clutter else None,
        "inline": (inline, _drop) if inline else None,
        "heading": (r"(?m)^[ \t]*#{1,6}[ \t]+", _drop),
        "escape": (r"\\(?P<kept>[\\*_#\[\]().\-])", _keep_group),
        "emphasis": (r"(?<!\()\*{1,3}(?!\))|(?<![\p{L}\d])_{1,3}(?=\S)|(?<=\S)_{1,3}(?![\p{L}\d])", _drop),
    }
    alternation = "|".join(f"(?P<{name}>{pat})" for name, (pat, _) in
                           ((n, p) for n, p in parts.items() if p is not None))
    handlers = {name: p[1] for name, p in parts.items() if p is not None}
    return regex.compile(alternation), handlers


_INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLES}]+")


def clean(raw: str) -> CleanText:
    """Clean ``raw``; see the module docstring. Invisible characters go first
    (a separate pass, only when there are some), so that the letters and marks
    they separated are composed and placed like any others ("ho\u200bà" ->
    "hòa"); cleaning cleaned text changes nothing."""
    if not any(ch in raw for ch in _INVISIBLES):  # six fast substring scans
        return _clean(raw)
    pos = length = 0
    kept: list[str] = []
    anchors_c, anchors_s = [0], [0]
    for m in _INVISIBLE.finditer(raw):
        kept.append(raw[pos:m.start()])
        length += m.start() - pos
        anchors_c += [length, length]
        anchors_s += [m.start(), m.end()]
        pos = m.end()
    kept.append(raw[pos:])
    visible = CleanText("".join(kept), len(raw), tuple(anchors_c), tuple(anchors_s))
    return replace(_clean(visible.text), source_len=len(raw), _before=visible)


def _clean(raw: str) -> CleanText:
    """The one pass that makes every other edit."""
    pattern, handlers = _pattern(unicodedata.is_normalized("NFC", raw))
    out: list[str] = []
    anchors_c: list[int] = [0]
    anchors_s: list[int] = [0]
    pos = 0
    length = 0
    for m in _edits(raw, pattern):
        s, e = m.span()
        out.append(raw[pos:s])
        length += s - pos
        replacement = handlers[m.lastgroup](m) if m.lastgroup in handlers else _edit_for(m, handlers)
        if replacement == raw[s:e]:
            out.append(replacement)
            length += e - s
            pos = e
            continue
        # Map the replacement's characters to the start of the edited source.
        anchors_c.append(length)
        anchors_s.append(s)
        out.append(replacement)
        length += len(replacement)
        anchors_c.append(length)
        anchors_s.append(e)
        pos = e
    out.append(raw[pos:])
    text = "".join(out)
    cuts = _glue_cuts(text)
    if cuts:
        return _split_glued(text, len(raw), anchors_c, anchors_s, cuts)
    return CleanText(text, len(raw), tuple(anchors_c), tuple(anchors_s))


# A word that converters glued together ("Đồngchí", "ngàythángnăm") has two
# vowel groups with consonants between them; one syllable never has. Scanning
# for that (one fast pattern) finds the few words worth a closer look.
_VOWELS = "".join(
    ch for ch in map(chr, range(0x41, 0x1EFA))
    if ch.isalpha() and unicodedata.normalize("NFD", ch)[0].lower() in "aeiouy"
)
_VOWEL_CONSONANT_VOWEL = re.compile(f"[{_VOWELS}][b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZđĐ]+[{_VOWELS}]")


def _glue_cuts(text: str) -> list[int]:
    """Offsets in ``text`` before which a space goes: the certain splits of
    glued words (``syllable.split_glued``)."""
    cuts: list[int] = []
    if text.isascii():
        return cuts
    end = 0
    for m in _VOWEL_CONSONANT_VOWEL.finditer(text):
        start = m.start()
        if start < end:
            continue  # inside the word just judged
        while start and text[start - 1].isalpha():
            start -= 1
        end = m.end()
        while end < len(text) and text[end].isalpha():
            end += 1
        word = text[start:end]
        if not word.isascii():
            cuts.extend(start + cut for cut in split_glued(word))
    return cuts


def _split_glued(text: str, source_len: int, anchors_c: list[int], anchors_s: list[int],
                 cuts: list[int]) -> CleanText:
    """Insert a space at each cut, composing the map: the space and the letter
    after it map to that letter's source; everything else keeps its source."""
    first = CleanText(text, source_len, tuple(anchors_c), tuple(anchors_s))
    pieces: list[str] = []
    prev = 0
    for cut in cuts:
        pieces.extend((text[prev:cut], " "))
        prev = cut
    pieces.append(text[prev:])
    anchors = [(a + bisect.bisect_right(cuts, a), 0, s) for a, s in zip(anchors_c, anchors_s, strict=False)]
    for k, cut in enumerate(cuts):
        source = first.to_source(cut)
        anchors += [(cut + k, 1, source), (cut + k + 1, 1, source)]
    anchors.sort(key=lambda a: (a[0], a[1]))  # stable: equal keys keep their order
    return CleanText("".join(pieces), source_len, tuple(a[0] for a in anchors),
                     tuple(a[2] for a in anchors))


def _edits(raw: str, pattern: regex.Pattern) -> list[regex.Match]:
    """The matches of ``pattern.finditer(raw)``, the pattern tried only where an
    edit can begin (several times faster than a scan of every position)."""
    if not all(_INLINE_START.match(p) for p in inline_clutter_patterns()):
        return list(pattern.finditer(raw))
    spots = {0}
    pos = raw.find("\n")
    while pos >= 0:
        spots.add(pos + 1)
        pos = raw.find("\n", pos + 1)
    for m in _EDIT_CHARS.finditer(raw):
        i = m.start()
        spots.add(i)
        if raw[i] == "[":
            while i > 0 and raw[i - 1] in " \t":
                i -= 1
                spots.add(i)
    for m in _MARK.finditer(raw):  # a mark: its letter; an "o"/"u" before that
        i = m.start()
        spots.update((max(i - 1, 0), max(i - 2, 0)))
    spots.update(m.start() for m in _TONED_PAIR.finditer(raw))
    return matches_at(pattern, raw, spots)


def _edit_for(m: regex.Match, handlers: dict[str, _Handler]) -> str:
    """lastgroup names the innermost closed group; find the edit that matched."""
    for name, handler in handlers.items():
        if m.group(name) is not None:
            return handler(m)
    return m.group(0)
