"""Find the risk groups that the work targets.

A group is named by a cue phrase of ``models/risk_groups.tsv`` (regexes compiled
once; where cues overlap, the leftmost and then the longest wins). A cue counts unless its words
belong to something other than the work's own target:

- a body's or a place's name: a group word after a body head
  (``Hội Liên hiệp Phụ nữ``, ``đoàn thanh niên``, ``models/risk_group_body_heads.txt``),
  a capitalized group word inside a proper name (``Luật Trẻ em``, ``Xã Biên Giới``,
  ``Trường Dân tộc nội trú``), or a bare group word in a list of bodies
  (``đoàn thanh niên, phụ nữ, hội sinh viên``);
- the title of a cited document (after its number, or quoted after its type),
  and the grounds (``Căn cứ Nghị định ...``);
- the issuer block of the header, ``Kính gửi`` and ``Nơi nhận``.

Ambiguous words (``biên giới``, ``hải đảo``) count only beside another group or
after a focus cue (``models/risk_group_focus.txt``); bare ``nạn nhân`` only in
a text about trafficking. The population at large (``người dân``) has no cue.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import lru_cache

import regex

from .clean import normalize_tones
from .knowledge import table, word_list
from .models import Breaks, RiskGroup, SpanSet
from .regexes import lowered, number_symbols, occurrences, type_word
from .segment import Zones

HEADER_MAX = 800  # an issuer block above the motto or number line is short
TITLE_MAX = 300  # a cited title runs at most a few lines
HEAD_WINDOW = 60  # a body head sits right before the group word
FOCUS_WINDOW = 40  # a focus cue sits shortly before, in the same clause
LIST_ITEM_MAX = 60  # an item of a run-in list of bodies is a short name


@dataclass(frozen=True)
class _Cue:
    pattern: regex.Pattern  # matched on the lower-cased text
    codes: tuple[str, ...]
    needs_list: bool  # counts only beside another group or after a focus cue
    topic: regex.Pattern | None  # counts only in a text that matches this
    openers: tuple[str, ...] = ()  # every match opens with one of these words; () = unknown
    required: tuple[str, ...] = ()  # words that every match contains


_Match = tuple[int, int, _Cue]  # start, end, cue


def _regex_text(pattern: str) -> str:
    """A data-file pattern as a regex: one tone placement, a space = any whitespace."""
    return regex.sub(r" +", lambda _: r"\s+", normalize_tones(pattern))


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    """One pattern per cue row. Separate patterns on lower-cased text keep the
    literal search of the regex module fast (one alternation of all cues, or
    case-insensitive matching, is several times slower)."""
    cues: list[_Cue] = []
    for row in table("risk_groups.tsv"):
        # the never-taken branch "(?!)" keeps ``match`` at one position from scanning
        # the rest of the text for a literal printed after a variable-width start
        pattern = regex.compile(
            rf"(?<![\p{{L}}\d])(?:{_regex_text(row['cue'])})(?![\p{{L}}\d])|(?!)")
        needs = row.get("needs", "")
        topic = regex.compile(_regex_text(needs[6:])) if needs.startswith("topic:") else None
        codes = tuple(c.strip() for c in row["code"].split(",") if c.strip())
        cue = normalize_tones(row["cue"])
        simple = _SPECIAL_GROUP.search(cue) is None  # no inline flags and the like
        openers = (_openers(cue) or set()) if simple else set()
        required = _required(cue) if simple else ()
        cues.append(_Cue(pattern, codes, needs == "list", topic,
                         tuple(sorted(w.lower() for w in openers)), required))
    return tuple(cues)


def _body_heads() -> str:
    return "|".join(_regex_text(h) for h in word_list("risk_group_body_heads.txt"))


@lru_cache(maxsize=1)
def _body_head() -> regex.Pattern:
    """A body head ending right before a group word (same line)."""
    return regex.compile(rf"(?<![\p{{L}}])(?:{_body_heads()})[ \t]+\Z", regex.I)


@lru_cache(maxsize=1)
def _common_noun_name() -> regex.Pattern:
    """A body named by a head and common nouns, mid-sentence, ending right before a
    group word: ``Phó Ban công tác phụ nữ``, ``Ủy ban quốc gia về trẻ em``. A head
    followed by a capitalized name (``Sở Lao động tuyên truyền cho phụ nữ``) is
    not one: its own name has ended."""
    alt = "|".join(regex.escape(h) for h in word_list("agency_heads.txt"))
    return regex.compile(rf"(?<=[\p{{L}}\d,][ \t]+)(?:{alt})(?:[ \t]+\p{{Ll}}+){{0,3}}[ \t]+\Z")


@lru_cache(maxsize=1)
def _body_item() -> regex.Pattern:
    """A list item that is a body: it opens with a body head."""
    return regex.compile(rf"(?:{_body_heads()})(?![\p{{L}}])", regex.I)


@lru_cache(maxsize=1)
def _focus() -> regex.Pattern:
    alt = "|".join(
        r"\s+".join(regex.escape(w) for w in normalize_tones(f).split())
        for f in word_list("risk_group_focus.txt")
    )
    return regex.compile(rf"(?<![\p{{L}}])(?:{alt})(?![\p{{L}}])", regex.I)


# Where a cited title stops: the clause ends, a new clause with its own subject
# (", Sở ..."; not a comma inside an upper-case title), a list dash, or the
# citing sentence goes on ("nhằm", "để").
_TITLE_STOP = regex.compile(
    r"[;\n:|()]|\.(?=\s|$)|,\s+(?=\p{Lu}\p{Ll})|\s[-–]\s+(?=\p{Lu})"
    r"|\s(?:nhằm|để|gồm|bao gồm|như sau|đồng thời|trong đó"
    r"|tập trung|chú trọng|nhất là|đặc biệt là)(?![\p{L}])"
)
# A citation with no title: a comma right after the number or its date
# ("theo Quyết định số 12/QĐ-UBND ngày 05/01/2024, hỗ trợ ...").
_NO_TITLE = regex.compile(
    r"(?:\s+ngày\s+(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?\s*,"
)
_QUOTED = regex.compile(r"“[^”\n]*”|\"[^\"\n]*\"")
_GROUNDS = regex.compile(r"(?<![\p{L}])Căn cứ(?:\s+vào)?\s+")
_CLAUSE_END = regex.compile(r"[;\n]|\.(?=\s|$)")
_CLAUSE_START = regex.compile(r"[;.\n]")
_COORDINATED = regex.compile(r"[\s,;]*(?:(?:và|hoặc)\s+)?(?:các\s+|những\s+)?", regex.I)
_LIST_COMMA = regex.compile(r"[ \t]*,[ \t]*")
_ITEM_END = regex.compile(r"[,;.:\n()]")
_SPACES = regex.compile(r"\s*")


def find_risk_groups(text: str, zones: Zones) -> list[RiskGroup]:
    """Every mention of a group that the work targets, as printed, in text order."""
    scan = _lower(normalize_tones(text))  # same length: offsets stay those of ``text``
    blocked = SpanSet(_blocked_spans(text, zones))
    taken: list[_Match] = []
    pending: list[_Match] = []
    found = [m for m in _mentions(scan) if not blocked.overlaps(m[0], m[1])]
    bodies = _bodies(text, found)
    on_topic: dict[int, bool] = {}  # per cue: its topic is in the text (looked up once)
    for s, e, cue in found:
        if cue.topic is not None and id(cue) not in on_topic:
            on_topic[id(cue)] = cue.topic.search(scan) is not None
        if e in bodies or (cue.topic is not None and not on_topic[id(cue)]):
            continue
        (pending if cue.needs_list else taken).append((s, e, cue))
    taken.extend(_licensed(text, taken, pending))
    taken.sort(key=lambda t: t[0])
    return [RiskGroup(code, text[s:e], s, e) for s, e, cue in taken for code in cue.codes]


def _lower(text: str) -> str:
    """Lower case, one character for one (the rare letters that grow stay as they are)."""
    low = lowered(text)
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# Reading a cue pattern for the words its matches must contain. Only plain groups
# ("(?:", look-arounds, "(") are read; a pattern with any other is always run.
_PLAIN_WORD = regex.compile(r"\p{L}+(?![?*+{])")
_LOOKBEHIND = regex.compile(r"\(\?<[!=]")
_SPECIAL_GROUP = regex.compile(r"(?<!\\)\(\?(?![:=!]|<[=!])")
_ESCAPE = regex.compile(r"\\(?:.\{[^}]*\}|.)\w*")  # an escape and any name or letters glued on


def _required(cue: str) -> tuple[str, ...]:
    """Words printed outside any group of a cue pattern with no top-level ``|``:
    every match contains them (``(?:khu vực|vùng) biên giới`` -> biên, giới),
    lower case, longest first."""
    if len(_split_top(cue, "|")) > 1:
        return ()
    out, depth, i = [], 0, 0
    while i < len(cue):
        c = cue[i]
        if c == "\\":
            i = _ESCAPE.match(cue, i).end()
            out.append(" ")
            continue
        if c == "[":
            close = _class_end(cue, i)
            i = close + 1 if close > 0 else len(cue)
            out.append(" ")
            continue
        depth += c == "("
        out.append(c if depth == 0 else " ")
        depth -= c == ")"
        i += 1
    words = {w.lower() for w in "".join(out).split() if w.isalpha()}  # "nữ?", "tế\s*" are not
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def _openers(cue: str) -> set[str] | None:
    """The words one of which every match of a cue pattern opens with
    (``(?:người|trẻ) chưa thành niên`` -> người, trẻ; ``(?:trẻ )?vị thành niên`` ->
    trẻ, vị), read off its leading words and groups; None when the pattern opens
    any other way. A leading look-behind is passed over: it consumes nothing."""
    words: set[str] = set()
    for alt in _split_top(cue, "|"):
        while _LOOKBEHIND.match(alt):
            end = _group_end(alt, 0)
            if end < 0:
                return None
            alt = alt[end + 1:]
        m = _PLAIN_WORD.match(alt)
        if m:
            words.add(m.group(0))
            continue
        if not alt.startswith("(?:"):
            return None
        end = _group_end(alt, 0)
        inner = _openers(alt[3:end]) if end > 0 else None
        if inner is None:
            return None
        words |= inner
        rest = alt[end + 1:]
        if rest.startswith("?") and not rest.startswith("??"):
            tail = _openers(rest[1:].lstrip(" "))  # an optional group: the words after it open too
            if tail is None:
                return None
            words |= tail
        elif rest[:1] in ("*", "+", "{", "?"):
            return None
    return words or None


def _class_end(pattern: str, start: int) -> int:
    """Index of the ``]`` that closes the class opening at ``start``; -1 if none."""
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    i += 1  # a "]" first in the class is a member
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    return -1


def _group_end(pattern: str, start: int) -> int:
    """Index of the ``)`` that closes the group opening at ``start``; -1 if none."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            close = _class_end(pattern, i)
            if close < 0:
                return -1
            i = close + 1
            continue
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return i
        i += 1
    return -1


def _split_top(pattern: str, sep: str) -> list[str]:
    """``pattern`` split at ``sep`` outside groups and classes."""
    parts, depth, last, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            close = _class_end(pattern, i)
            i = close + 1 if close > 0 else len(pattern)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
        i += 1
    parts.append(pattern[last:])
    return parts


def _mentions(scan: str) -> list[_Match]:
    """Cue matches, leftmost first and the longest at one start, none overlapping."""
    found: list[_Match] = []
    starts: dict[str, list[int]] = {}
    present: dict[str, bool] = {}
    for cue in _cues():
        # a cue whose words are not all in the text cannot match (one look for each word;
        # most cues fail on their first, longest word)
        req = cue.required
        if req:
            first = present.get(req[0])
            if first is None:
                first = present[req[0]] = req[0] in scan
            if not first or (len(req) > 1 and not all(
                    present[w] if w in present else present.setdefault(w, w in scan) for w in req[1:])):
                continue
        if not cue.openers:
            found.extend((m.start(), m.end(), cue) for m in cue.pattern.finditer(scan))
            continue
        # a cue is tried only where one of its opening words occurs: the same
        # matches as ``finditer`` (leftmost, then on from the end of the last)
        for word in cue.openers:
            if word not in starts:
                starts[word] = occurrences(scan, word)
        spots = starts[cue.openers[0]] if len(cue.openers) == 1 else \
            sorted({p for w in cue.openers for p in starts[w]})
        end = 0
        for pos in spots:
            if pos < end:
                continue
            m = cue.pattern.match(scan, pos)
            if m:
                found.append((pos, m.end(), cue))
                end = m.end()
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[_Match] = []
    for s, e, cue in found:
        if not out or s >= out[-1][1]:
            out.append((s, e, cue))
    return out


# ---------------------------------------------------------------- spans that are not the work's


def _blocked_spans(text: str, zones: Zones) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if zones.has_header:
        marks = [z.start for z in (zones.motto, zones.number_line) if z is not None]
        if marks and min(marks) <= HEADER_MAX:
            spans.append((0, min(marks)))  # the issuer block
    for zone in (zones.kinh_gui, zones.noi_nhan):
        if zone is not None:
            spans.append((zone.start, zone.end))
    own = zones.number_line.end if zones.number_line is not None else None
    spans.extend(_cited_titles(text, own))
    spans.extend(_grounds(text))
    return spans


def _cited_titles(text: str, own: int | None) -> list[tuple[int, int]]:
    """The subject printed after a cited number, and a title quoted after a type name.
    ``own`` is the end of the ``Số:`` cue: the number after it is the text's own,
    and its subject is the work itself."""
    spans = []
    # the first thing after the cue, found once: slicing up to each citation is quadratic
    own_at = _SPACES.match(text, own).end() if own is not None else None
    for m in number_symbols(text):
        if m.start() == own_at:
            continue
        if not _NO_TITLE.match(text, m.end()):
            spans.append((m.end(), _title_end(text, m.end())))
    for q in _QUOTED.finditer(text):
        if _type_before().search(text[max(0, q.start() - 40):q.start()]):
            spans.append(q.span())
    return spans


@lru_cache(maxsize=1)
def _type_before() -> regex.Pattern:
    """A document type name, with its number or label, right before a quoted title:
    ``Đề án “...”``, ``Dự án 8 “...”``."""
    return regex.compile(rf"{type_word().pattern}(?:[ \t]+(?:số[ \t]+)?[\w/.-]+)?[ \t]*\Z", regex.I)


def _title_end(text: str, start: int) -> int:
    """Where the title after a citation stops; quoted stretches are passed over."""
    limit = min(len(text), start + TITLE_MAX)
    pos = start
    while pos < limit:
        stop = _TITLE_STOP.search(text, pos, limit)
        quote = _QUOTED.search(text, pos, stop.start() if stop else limit)
        if quote is None:
            return stop.start() if stop else limit
        pos = quote.end()
    return limit


def _grounds(text: str) -> list[tuple[int, int]]:
    """``Căn cứ Luật/Nghị định ...;``: the grounds cite documents, not targets."""
    spans = []
    for m in _GROUNDS.finditer(text):
        if type_word().match(text, m.end()):
            end = _CLAUSE_END.search(text, m.end())
            spans.append((m.start(), end.start() if end else len(text)))
    return spans


# ---------------------------------------------------------------- names of bodies and places


def _in_name(text: str, s: int, e: int, line_start: int) -> bool:
    """Group words that are part of a body's or a place's name."""
    lo = max(line_start, s - HEAD_WINDOW)
    if _body_head().search(text[lo:s]) or _common_noun_name().search(text, lo, s):
        return True
    words = text[s:e].split()
    if not _title_cased(words[0]):
        return False
    if len(words) > 1 and _title_cased(words[1]):
        return True  # "Trường Dân tộc nội trú", "Xã Biên Giới"
    return _continues_name(text, line_start, s)


def _title_cased(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word[1].islower()


def _continues_name(text: str, line_start: int, s: int) -> bool:
    """A capitalized group word that follows a word on its line continues a name
    (``Luật Trẻ em``, ``Ngày Quốc tế Phụ nữ``); after punctuation or a list dash
    it opens an item (``như: Phụ nữ, trẻ em``)."""
    i = s - 1
    while i >= line_start and text[i] in " \t":
        i -= 1
    if i < line_start:
        return False
    if text[i].isalnum():
        return True
    if text[i] in "-–":
        j = i - 1
        while j >= line_start and text[j] in " \t":
            j -= 1
        return j >= line_start and text[j].isalnum()  # "Sở Lao động - Thương binh"
    return False


def _bodies(text: str, found: list[_Match]) -> set[int]:
    """Ends of the group words that stand for bodies: inside a name, or an item of a
    list whose neighbour is a body (``đoàn thanh niên, phụ nữ, hội sinh viên``;
    ``Công đoàn, Thanh niên, Phụ nữ``), passed on along the list."""
    lines = Breaks(text)
    bodies = {e for s, e, _ in found if _in_name(text, s, e, lines.start_of(s))}
    rest = [(s, e) for s, e, _ in found if e not in bodies]
    changed = True
    while changed:
        changed = False
        for s, e in rest:
            if e not in bodies and _in_body_list(text, s, e, bodies):
                bodies.add(e)
                changed = True
    return bodies


def _in_body_list(text: str, s: int, e: int, bodies: set[int]) -> bool:
    return any(
        b in bodies or _body_item().match(text, a) for a, b in _list_neighbours(text, s, e)
    )


def _list_neighbours(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of the comma-list items right before and right after ``text[s:e]``."""
    items = []
    i = s - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i >= 0 and text[i] == ",":
        lo = max(0, i - LIST_ITEM_MAX)
        cut = max(text.rfind(c, lo, i) for c in ",;:\n(")
        items.append(_trim(text, max(cut + 1, lo), i))
    nxt = _LIST_COMMA.match(text, e)
    if nxt:
        limit = min(len(text), nxt.end() + LIST_ITEM_MAX)
        end = _ITEM_END.search(text, nxt.end(), limit)
        items.append(_trim(text, nxt.end(), end.start() if end else limit))
    return [(a, b) for a, b in items if b > a]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# ---------------------------------------------------------------- ambiguous words


COORDINATION_GAP = 20  # characters between two coordinated groups at most


def _licensed(text: str, taken: list[_Match], pending: list[_Match]) -> list[_Match]:
    """Ambiguous mentions beside an accepted group, or after a focus cue; one licensed
    so licenses its own neighbours. A mention is looked at again only when a group
    near it is accepted, so the work is linear in the mentions, not quadratic."""
    accepted = _Accepted([(a, b) for a, b, _ in taken])
    by_start = sorted(range(len(pending)), key=lambda i: pending[i][0])
    starts = [pending[i][0] for i in by_start]
    reach = COORDINATION_GAP + max((e - s for s, e, _ in pending), default=0)
    licensed = [False] * len(pending)
    queue = [i for i, (s, e, _) in enumerate(pending)
             if _focused(text, s) or accepted.coordinated(text, s, e)]
    for i in queue:
        licensed[i] = True
    while queue:
        a, b, _ = pending[queue.pop()]
        accepted.add(a, b)
        for k in range(bisect_left(starts, a - reach), bisect_right(starts, b + COORDINATION_GAP)):
            j = by_start[k]
            if not licensed[j] and accepted.coordinated(text, pending[j][0], pending[j][1]):
                licensed[j] = True
                queue.append(j)
    return [m for i, m in enumerate(pending) if licensed[i]]


class _Accepted:
    """Accepted groups sorted by start, for the neighbours of a mention."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.longest = max((b - a for a, b in spans), default=0)

    def add(self, a: int, b: int) -> None:
        insort(self.spans, (a, b))
        self.longest = max(self.longest, b - a)

    def coordinated(self, text: str, s: int, e: int) -> bool:
        """A group stands beside ``s..e`` with only a joining word between
        (``phụ nữ và trẻ em``), or overlaps it."""
        lo = bisect_left(self.spans, (s - self.longest - COORDINATION_GAP, -1))
        hi = bisect_right(self.spans, (e + COORDINATION_GAP, len(text) + 1))
        for a, b in self.spans[lo:hi]:
            if b <= s:
                if s - b <= COORDINATION_GAP and _COORDINATED.fullmatch(text, b, s):
                    return True
            elif a - e <= COORDINATION_GAP and (a <= e or _COORDINATED.fullmatch(text, e, a)):
                return True
        return False


def _focused(text: str, s: int) -> bool:
    window_start = max(0, s - FOCUS_WINDOW)
    clause = [m.end() for m in _CLAUSE_START.finditer(text, window_start, s)]
    start = clause[-1] if clause else window_start
    return bool(_focus().search(text, start, s))
