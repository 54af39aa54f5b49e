"""Find deadlines: Vietnamese time expressions -> ISO values with a kind.

A printed time is a deadline only when the words around it make it a limit on
work, the way a reader of a dispatch tells them apart:

- a cue printed right before it: ``trước ngày 20 tháng 9 năm 2023`` (``by``),
  ``đến hết ngày 26/3/2017`` (``until``), ``trong quý III/2023`` (``within``),
  ``bắt đầu từ ngày 01/7/2023`` (``from``);
- a range ``từ ngày 01/6/2020 đến ngày 30/6/2020`` (``until``, both ends);
- a time that carries its own kind: ``cuối năm 2023`` (``by``), ``Cả năm 2015``;
- a timetable: a field ``Thời gian thực hiện: Quý I/2015`` or a table whose
  header names the time (``Thời gian trình``) and whose cell holds only a time;
- a recurring limit: ``trước ngày 15 hằng tháng``, ``định kỳ hằng năm (trước ngày
  15/11``, a reporting period ``báo cáo định kỳ 6 tháng`` (date ``None``).

Everything else is left alone: the text's own date and cited documents' dates
(``skip``, and any date printed right after a ``số N/CODE``), commemorated days,
programme periods and horizons (``giai đoạn 2021-2025``, ``đến năm 2030``), the
dates of past events, and dates in the ``Nơi nhận`` and signature block. The cue
words and the negative contexts are data: ``models/deadline_cues.tsv`` and
``models/deadline_negatives.tsv``.

ISO values are cut to the printed precision (``2023``, ``2023-08``,
``2023-09-20``); a quarter ends in its last month (``quý II/2020`` -> ``2020-06``).
A missing year comes from the document's own date, never from today, and a
warning says so. Every record's ``text`` is ``text[start:end]``.

>>> from congvan.segment import segment
>>> t = "Báo cáo kết quả về Sở trước ngày 20 tháng 9 năm 2023 để tổng hợp."
>>> [(d.date, d.kind, d.text) for d in find_deadlines(t, segment(t), "2023-07-03", [])[0]]
[('2023-09-20', 'by', 'trước ngày 20 tháng 9 năm 2023')]
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from .knowledge import table, word_list
from .models import Breaks, Deadline
from .regexes import NUMBER_SYMBOL, lowered, matches_at, occurrences
from .segment import Zones

RANK = {"year": 0, "quarter": 1, "month": 2, "day": 3}
NEGATIVE_REACH = 30  # chars before a cue where a negative context still counts
PAST_REACH = 40  # chars after a clause-opening time where "đã" marks a past event
HEAD_MAX = 100  # a recurring statement longer than this before its frequency starts there
SIGNATURE_LINE = 80  # signature blocks are short lines; longer ones are body text after it
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_FLAGS = regex.IGNORECASE | regex.VERSION0


@dataclass(frozen=True)
class _Time:
    """A parsed time expression, before its year is resolved."""

    start: int
    end: int
    year: int | None
    months: tuple[int, int] | None  # first and last month of the window
    day: int | None
    precision: str  # day | month | quarter | year
    own: str | None = None  # kind the words carry themselves: cuối -> by, cả -> within
    recurring: bool = False
    freq_end: int | None = None  # end of a frequency printed after the day ("hằng năm")
    first_year: int | None = None  # a span of years ("2026-2030"), in a timetable only


@dataclass(frozen=True)
class _Cue:
    kind: str
    start: int  # where the deadline's words begin
    text: str = ""  # the cue as printed
    shared: bool = False  # printed once before an earlier time: "trước ngày 15/6 và 15/12"


# ---------------------------------------------------------------- knowledge


def _alt(words: Iterable[str]) -> str:
    """Alternation of words, longest first, spaces matching any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(regex.escape(p) for p in w.split()) for w in ordered)


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, str], ...]:
    return tuple(table("deadline_cues.tsv"))


def _role(role: str) -> list[dict[str, str]]:
    return [r for r in _rows() if r["role"] == role]


@lru_cache(maxsize=1)
def _before_cues() -> dict[str, tuple[str, str]]:
    """Folded cue -> (kind, coarsest precision)."""
    return {_fold(r["cue"]): (r["kind"], r["coarsest"]) for r in _role("before")}


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    return {_fold(r["cue"]): r["kind"] for r in _role("label")}


def _fold(s: str) -> str:
    return " ".join(s.lower().split())


def _words(words: Iterable[str]) -> regex.Pattern:
    """Any of the words, on word boundaries."""
    return regex.compile(rf"(?<!\p{{L}})(?:{_alt(words)})(?!\p{{L}})", _FLAGS)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, regex.Pattern]:
    """All patterns, compiled once from the grammar below and the cue files."""
    cues = {role: [r["cue"] for r in _role(role)]
            for role in ("before", "label", "header", "frequency", "periodic", "report",
                         "relative", "relative-field", "counted-from")}
    neg: dict[str, list[str]] = {}
    for row in table("deadline_negatives.tsv"):
        neg.setdefault(row["role"], []).append(row["phrase"])
    # a frequency printed after a day ("ngày 15 hằng tháng"); "định kỳ" opens a period instead
    after_day = _alt(w for w in cues["frequency"] if w not in cues["periodic"])
    tod = r"\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}\s*(?:phút|')?)?(?:\s*(?:sáng|chiều|tối))?\s*,?\s*"
    return {
        "time": regex.compile(_time_grammar(after_day), _FLAGS),
        # the cue right before a time, maybe with "là"/"vào" and an hour: "trước 17 giờ ngày ..."
        "before": regex.compile(
            rf"(?<!\p{{L}})(?P<cue>{_alt(cues['before'])})[\s*_]*(?:là\s+|vào\s+)?(?:{tod})?[*_]*\Z",
            _FLAGS),
        # a field opening its line: "- Thời gian thực hiện:", "2. Thời hạn hoàn thành:"
        "label": regex.compile(
            r"[\s*_+•–-]*(?:\d+(?:\.\d+)*[.)]?\s*|[a-zđ][.)]\s*)?"
            rf"(?P<label>{_alt(cues['label'])})(?:\s+\p{{L}}+){{0,4}}\s*:[\s*_]*(?:{tod})?", _FLAGS),
        "header": _words(cues["header"]),
        "freq": _words(cues["frequency"]),
        "periodic": regex.compile(
            rf"(?<!\p{{L}})(?:{_alt(cues['periodic'])})\s+(?:{after_day}"
            r"|(?:\d{1,2}|một|hai|ba|sáu)\s+(?:tuần|tháng|quý|năm)(?:\s*/\s*lần|\s+một\s+lần)?)"
            r"(?!\p{L})", _FLAGS),
        "report": _words(cues["report"]),
        # "trong thời hạn 05 ngày làm việc (kể từ ngày nhận ...)", "chậm nhất 03 ngày sau khi ...":
        # found by its amount (in figures, as dispatches print it), then the cue right before it
        "amount": regex.compile(
            r"(?<![\p{L}\d/.,])(?<!(?:ngày|tháng|năm|quý)\s)(?P<n>\d{1,3})"
            r"(?:\s*\([^()\n]{1,20}\))?\s+(?P<unit>ngày\s+làm\s+việc|giờ\s+làm\s+việc|ngày|giờ|tuần|tháng|năm)"
            rf"(?!\p{{L}})(?P<from>\s*,?\s*(?:{_alt(cues['counted-from'])})\s+[^,.;:\n()]{{2,80}})?",
            _FLAGS),
        "relative_cue": regex.compile(rf"(?<!\p{{L}})(?P<cue>{_alt(cues['relative'])})\s+(?:là\s+)?\Z",
                                      _FLAGS),
        # a field whose value is such a limit, opening its line or sentence:
        # "c) Thời hạn giải quyết:", "5.4.2. Thời hạn thẩm định hồ sơ:"
        "relative_field": regex.compile(
            r"[\s*_+•–-]*(?:\d+(?:\.\d+)*[.)]?\s*|[a-zđ][.)]\s*)?"
            rf"(?P<cue>{_alt(cues['relative-field'])})(?:\s+\p{{L}}+){{0,4}}\s*:[\s*_]*(?:là\s+)?", _FLAGS),
        # a timetable value that is a frequency only: "Hằng năm", "Định kỳ hằng quý"
        "freq_value": regex.compile(r"[\s*_]*(?:định\s+kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần)[\s.;*_]*",
                                    _FLAGS),
        "not_before": _words(neg["before"]),
        "occasion": _words(neg["occasion"]),
        "period": _words(neg["period"]),
        "past": _words(neg["past"]),
        # a date printed right after a document's number is that document's date
        # (case kept: a symbol's code is upper case)
        "citation": regex.compile(
            rf"(?:{NUMBER_SYMBOL.pattern}|(?<!\p{{L}})[Ss]ố)[\s,]*(?:ban\s+hành\s+)?\Z"),
        "coord": regex.compile(r"\s*(?:,\s*(?:và\s+)?|và\s+|hoặc\s+)", _FLAGS),
        "range_mid": regex.compile(r"\s*(?:(?:cho\s+)?đến|tới|-|–)\s*(?:hết\s+)?", _FLAGS),
        "range_from": regex.compile(r"(?<!\p{L})(?:kể\s+)?từ\s*\Z", _FLAGS),
        "boundary": regex.compile(r"[\n;|]|[.!?](?=\s)"),
        # what may open a clause before its first word: bullets, numbering, brackets
        "opening": regex.compile(r"[\s*_+•–(-]*(?:\d+(?:\.\d+)*[.)]?\s*|[a-zđ][.)]\s*)?", _FLAGS),
    }


def _time_grammar(freq: str) -> str:
    """The time expressions of Vietnamese dispatches, one alternative each.

    Group names repeat across alternatives (the ``regex`` module allows it), so
    one parser reads them all: ``d`` day, ``m`` month, ``y`` year, ``q`` quarter
    (repeated: ``Quý II, III/2015``), ``own`` a kind-bearing word, ``rec`` a
    recurring day, ``fq`` a frequency printed after the day.
    """
    y = r"(?P<y>1[89]\d\d|2[01]\d\d)(?![\d/])"
    d = r"(?:mùng\s+|mồng\s+)?(?P<d>[0-3]?\d)"
    m = r"(?P<m>[01]?\d)"
    q = r"(?P<q>IV|I{1,3}|[1-4])(?![\p{L}\d])"
    fq = rf"(?:\s+(?:của\s+)?(?P<fq>{freq}))"
    to_next = r"(?=\s*(?:(?:cho\s+)?đến|tới|-|–)\s*(?:hết\s+)?(?:ngày\s+)?\d)"
    alternatives = [
        # recurring day of the quarter: "ngày 15 (của) tháng cuối quý"
        rf"ngày\s+{d}\s+(?:của\s+)?tháng\s+cuối\s+(?:của\s+)?(?:mỗi\s+)?(?P<rec>quý)",
        # "ngày 20 tháng 9 năm 2023", "ngày 30 tháng 11 hằng năm"
        rf"ngày\s+{d}\s+tháng\s+{m}(?!\d)(?:\s*,?\s*(?:năm\s+|/\s*){y}|{fq})?",
        # "ngày 01/6/2020", "15/02/2017", "20-9-2023"
        rf"(?:ngày\s+)?{d}\s*[/.-]\s*{m}\s*[/.-]\s*{y}",
        # "ngày 15/12" (no year), "ngày 15/11 hằng năm"; a bare "01/6" only before "đến"
        rf"ngày\s+{d}\s*/\s*{m}(?![/\d]){fq}?",
        rf"{d}\s*/\s*{m}(?![/\d]){to_next}",
        # "ngày 15 hằng tháng"; "ngày 01" only as the start of a range
        rf"ngày\s+{d}{fq}",
        rf"ngày\s+{d}(?![\d/]){to_next}",
        # "6 tháng đầu năm 2024"
        rf"(?P<half>6|sáu)\s+tháng\s+(?P<hpos>đầu|cuối)\s+năm(?:\s+{y}|\s+nay)?(?!\s+học)",
        # "quý II/2020", "Quý II, III/2015", "Quý II và III/2015", "cuối quý III năm 2023"
        rf"(?:(?P<own>cuối)\s+)?quý\s+{q}(?:\s*(?:,|và|-|–|đến)\s*(?:quý\s+)?{q})*"
        rf"(?:\s*(?:năm\s+|/\s*){y}|\s+năm\s+nay)?",
        # "tháng 8/2023", "tháng 12 năm 2024", "Tháng 12", "cuối tháng 9", "tháng 11 hằng năm"
        rf"(?:(?P<own>cuối)\s+)?tháng\s+{m}(?!\d)(?:\s*(?:năm\s+|/\s*|-\s*){y}|{fq})?",
        # "năm 2024", "cuối năm 2023", "Cả năm 2015", "năm nay"; not a period "năm 2021-2025"
        rf"(?:(?P<own>cuối|cả)\s+)?năm\s+(?:{y}|nay(?!\p{{L}}))(?!\s*[-–]\s*(?:năm\s+)?\d)",
        # "Cuối năm, báo cáo ...": the document's year
        r"(?P<own>cuối|cả)\s+năm(?![\p{L}\d]|\s+(?:\d|học|nay))",
        # "thứ Sáu hằng tuần", "sáng thứ Hai hàng tuần": a recurring weekday
        r"(?:(?:sáng|chiều|tối)\s+)?thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])\s+(?:của\s+)?"
        r"(?P<wk>(?:hằng|hàng|mỗi)\s+tuần)",
        # "2026-2030": a span of years, a time only in a timetable
        rf"(?P<y0>1[89]\d\d|2[01]\d\d)\s*[-–]\s*{y}",
    ]
    # every alternative opens with a digit or one of these letters: skip other positions fast
    return r"(?=[\dcmnqst])(?<![\p{L}\d/.])(?:" + "|".join(alternatives) + r")"


# Every alternative of the time grammar opens with one of these words, with a day
# and a separator ("15/", "01.", "20 -") or with "6" before a blank ("6 tháng"):
# keep them in step with the alternatives above.
_OPENING_WORDS = ("ngày", "mùng", "mồng", "sáu", "cuối", "cả", "quý", "tháng", "năm")
_WEEKDAY_WORDS = ("thứ", "sáng", "chiều", "tối")  # a recurring weekday: only with "tuần"
_DIGIT_START = regex.compile(r"(?<![\p{L}\d/.])(?:\d{1,2}\s*[/.-]|6\s|\d{4}\s*[-–]\s*\d{4})")
# The only characters that case-insensitive matching equates with a letter of those
# words while ``str.lower`` does not map them to it (long s, dotted capital I; found
# by trying every code point).
_ODD_CASE = ("\u017f", "\u0130")


def _times(text: str, grammar: regex.Pattern) -> list[regex.Match]:
    """The matches of ``grammar.finditer(text)``, found by trying the grammar only
    where a day or an opening word begins (several times faster on long texts)."""
    if any(c in text for c in _ODD_CASE):
        return list(grammar.finditer(text))
    low = lowered(text)
    spots = {m.start() for m in _DIGIT_START.finditer(text)}
    for word in _OPENING_WORDS + (_WEEKDAY_WORDS if "tuần" in low else ()):
        spots.update(occurrences(low, word))
    return matches_at(grammar, text, spots)


# ---------------------------------------------------------------- parsing


def _parse(m: regex.Match) -> _Time | None:
    """A match of the time grammar as a window, or None when a number is no date."""
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else None
    own = g["own"].lower() if g.get("own") else None
    own_kind = {"cuối": "by", "cả": "within"}.get(own) if own else None
    recurring = bool(g.get("rec") or g.get("fq"))
    freq_end = m.end("fq") if g.get("fq") else None
    if g.get("wk"):
        return _Time(m.start(), m.end(), None, None, None, "day", "recurring", True, m.end())
    if g.get("y0"):
        first = int(g["y0"])
        if year is None or not first < year <= first + 30:
            return None  # "2019-2016" or a phone number, not a span of years
        return _Time(m.start(), m.end(), year, None, None, "year", first_year=first)
    if g.get("half"):
        months = (1, 6) if g["hpos"].lower() == "đầu" else (7, 12)
        return _Time(m.start(), m.end(), year, months, None, "month")
    quarters = m.captures("q")
    if quarters:
        nums = [_ROMAN.get(x.lower()) or int(x) for x in quarters]
        if any(n < 1 or n > 4 for n in nums):
            return None
        return _Time(m.start(), m.end(), year, (3 * min(nums) - 2, 3 * max(nums)), None,
                     "quarter", own_kind)
    month = int(g["m"]) if g.get("m") else None
    day = int(g["d"]) if g.get("d") else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        limit = calendar.monthrange(year or 2000, month)[1] if month else 31
        if not 1 <= day <= limit:
            return None
        return _Time(m.start(), m.end(), year, (month, month) if month else None, day, "day",
                     None, recurring, freq_end)
    if month is not None:
        return _Time(m.start(), m.end(), year, (month, month), None, "month", own_kind,
                     recurring, freq_end)
    return _Time(m.start(), m.end(), year, None, None, "year", own_kind)


def _iso(t: _Time, year: int | None, first: bool = False) -> str | None:
    """ISO start (``first``) or end of the window, cut to its precision."""
    if year is None:
        return None
    if t.months is None:
        return f"{year:04d}"
    month = t.months[0] if first else t.months[1]
    if t.day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{t.day:02d}"


# ---------------------------------------------------------------- context


class _Clauses:
    """Clause boundaries of the text: line breaks, ``;``, table bars, sentence ends.

    A boundary is one character, so the boundaries near a position are found by
    scanning around it: a text has far more of them than times to place. A time
    with none in the window before it (one long line) looks the answer up in the
    list of every boundary, made once: rescanning wider windows was cubic there."""

    BACK = 256  # how far back a scan for the clause start looks

    def __init__(self, text: str, pattern: regex.Pattern) -> None:
        self.text = text
        self.n = len(text)
        self.pattern = pattern
        self._ends: list[int] | None = None

    def start(self, pos: int) -> int:
        """End of the last boundary that ends at or before ``pos``; else 0."""
        lo = max(0, pos - self.BACK)
        last = None
        # one-character boundaries looking ahead at most one character: the window's
        # matches are those of a scan of the whole text
        for m in self.pattern.finditer(self.text, lo, min(self.n, pos + 1)):
            if m.end() <= pos:
                last = m
        if last is not None:
            return last.end()
        if lo == 0:
            return 0
        if self._ends is None:
            self._ends = [m.end() for m in self.pattern.finditer(self.text)]
        i = bisect_right(self._ends, pos) - 1
        return self._ends[i] if i >= 0 else 0

    def end(self, pos: int) -> int:
        """Where the first boundary that ends after ``pos`` begins; else the text's end."""
        m = self.pattern.search(self.text, pos)
        return m.end() - 1 if m else self.n


def _blocked_spans(text: str, zones: Zones, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where no deadline is read: ``skip``, ``Nơi nhận``, the short lines of the signature."""
    spans = list(skip)
    if zones.noi_nhan is not None:
        spans.append((zones.noi_nhan.start, zones.noi_nhan.end))
    if zones.signature is not None and _signature_by_cue(text, zones):
        pos = zones.signature.start
        for line in text[zones.signature.start:zones.signature.end].split("\n"):
            if len(line.strip()) < SIGNATURE_LINE:
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    return spans


_CLOSING = regex.compile(r"(?:\./\.|Trân\s+trọng\s*\.?/?\.?)\s*\Z")
_TABLE_RULE = regex.compile(r"\s*\|\s*:?-{3}")
_CELL = regex.compile(r"(?<=\|)[^|]*(?=\|)")
_ISO = regex.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _signature_by_cue(text: str, zones: Zones) -> bool:
    """The signature block follows ``Nơi nhận`` or the closing ``./.``; else it is a guess."""
    if zones.signature is None:
        return False
    start = zones.signature.start
    return zones.noi_nhan is not None or _CLOSING.search(text[max(0, start - 30):start]) is not None


def _inside(t: _Time, spans: list[tuple[int, int]]) -> bool:
    start, end = t.start, t.end
    for s, e in spans:  # a loop, not any(): it runs for every time of a text
        if s < end and start < e:
            return True
    return False


# a time column that sets a limit ("Thời gian hoàn thành", "Thời hạn"), not one that
# says when a thing is watched ("Thời gian: Hằng năm" of a table of indicators)
_FIRM_TIME = regex.compile(r"hoàn\s+thành|thời\s+hạn|tiến\s+độ|thực\s+hiện", _FLAGS)


def _timetable_cells(text: str, p: dict[str, regex.Pattern]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Spans of the cells of tables whose header names the time (``Thời gian trình``),
    and those of tables whose header names a time to finish by (``Thời gian hoàn thành``)."""
    cells: set[tuple[int, int]] = set()
    firm: set[tuple[int, int]] = set()
    rows: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n") + [""]:
        if line.lstrip().startswith("|"):
            rows.append((pos, line))
        elif rows:
            found, header = _table_cells(rows, p)
            cells |= found
            if _FIRM_TIME.search(header):
                firm |= found
            rows = []
        pos += len(line) + 1
    return cells, firm


def _table_cells(rows: list[tuple[int, str]], p: dict[str, regex.Pattern]) -> tuple[set[tuple[int, int]], str]:
    sep = next((i for i, (_, line) in enumerate(rows) if _TABLE_RULE.match(line)), 0)
    header = " ".join(line for _, line in rows[:max(sep, 1)])
    if not p["header"].search(header):
        return set(), header
    found = set()
    for start, line in rows[sep + 1:]:
        for cell in _CELL.finditer(line):
            raw = cell.group(0)
            stripped = raw.strip(" \t*_.")
            if stripped:
                s = start + cell.start() + raw.index(stripped)
                found.add((s, s + len(stripped)))
    return found, header


def _cue(text: str, t: _Time, p: dict[str, regex.Pattern], cells: set[tuple[int, int]]) -> _Cue | None:
    """What makes ``t`` a limit: a cue before it, its own words, a field or a cell.
    A span of years is a limit only as a timetable's field or cell."""
    m = p["before"].search(text, max(0, t.start - 60), t.start) if t.first_year is None else None
    if m is not None:
        kind, coarsest = _before_cues()[_fold(m.group("cue"))]
        # "đến năm 2030" is a horizon, "đến cuối năm 2025" a limit
        if RANK[t.precision] >= RANK[coarsest] or t.own is not None:
            return _Cue(kind, m.start("cue"), m.group("cue"))
        return None
    if t.own is not None and (t.year is not None or t.precision != "year" or _opens_clause(text, t, p)):
        return _Cue(t.own, t.start)
    lo = max(0, t.start - 121)  # a label is at most 120 characters before its time
    line_start = max(text.rfind(c, lo, t.start) for c in "\n|;") + 1
    if (line_start > 0 or lo == 0) and t.start - line_start <= 120:
        m = p["label"].fullmatch(text, line_start, t.start)
        if m is not None:
            return _Cue(_label_kind(m.group(0)), t.start, m.group("label"))
    if (t.start, t.end) in cells:
        return _Cue("within", t.start)
    return None


def _opens_clause(text: str, t: _Time, p: dict[str, regex.Pattern]) -> bool:
    """``Cuối năm, báo cáo ...`` opens its clause; ``thời điểm cuối năm`` does not."""
    start = max(text.rfind(c, max(0, t.start - 200), t.start) for c in "\n|;.:") + 1
    return p["opening"].fullmatch(text, start, t.start) is not None


def _label_kind(label: str) -> str:
    """The most specific label that the printed field starts with."""
    folded = _fold(label.strip(" \t*_+•–-:0123456789.)"))
    best = max((k for k in _labels() if folded.startswith(k)), key=len, default="")
    return _labels().get(best, "within")


def _negated(text: str, anchor: int, t: _Time, clause_start: int, p: dict[str, regex.Pattern],
             span: bool = False) -> bool:
    """A negative context just before the cue, in the same phrase (a comma ends a phrase).

    Programme periods (``giai đoạn``) negate only a span of years or a range:
    ``giai đoạn từ năm 2021 đến năm 2025``, not ``hoàn thành giai đoạn 01 trước ngày ...``.
    """
    start = max(clause_start, anchor - NEGATIVE_REACH, text.rfind(",", 0, anchor) + 1)
    if p["not_before"].search(text, start, t.start) is not None:
        return True
    if not span and p["occasion"].search(text, start, t.start) is not None:
        return True
    return (span or t.precision == "year") and p["period"].search(text, start, t.start) is not None


def _past_event(text: str, anchor: int, t: _Time, clauses: _Clauses, p: dict[str, regex.Pattern]) -> bool:
    """A clause that opens with its time and reports what was done ("Ngày ..., ... đã ...")."""
    start = clauses.start(anchor)
    if p["opening"].fullmatch(text, start, anchor) is None:
        return False
    after = text[t.end:min(clauses.end(t.end), t.end + PAST_REACH)]
    return p["past"].search(after) is not None


def _citation(text: str, t: _Time, p: dict[str, regex.Pattern]) -> bool:
    """``Kế hoạch số 38/KH-BCĐ ngày 20/02/2023``: the date of a cited document, in any mention."""
    return p["citation"].search(text, max(0, t.start - 60), t.start) is not None


# ---------------------------------------------------------------- resolving


@dataclass
class _Resolver:
    """Years from the document's own date; the warnings about it."""

    doc_date: str | None
    borrowed: list[str]
    unresolved: list[str]

    def year(self, t: _Time) -> int | None:
        if t.year is not None or self.doc_date is None:
            return t.year
        year = int(self.doc_date[:4])
        # "chậm nhất ngày 15/01" in a December letter means next January
        end = _iso(t, year)
        if t.precision in ("day", "month") and end is not None and _before(end, self.doc_date):
            year += 1
        return year

    def note(self, t: _Time, shown: str) -> None:
        """Record an accepted deadline whose year was not printed."""
        if t.year is None:
            (self.unresolved if self.doc_date is None else self.borrowed).append(shown)

    def warnings(self) -> list[str]:
        notes = []
        if self.borrowed:
            notes.append(f"{len(self.borrowed)} deadline(s) print no year; took the year of the "
                         f"document date {self.doc_date}: {_listing(self.borrowed)}")
        if self.unresolved:
            notes.append(f"{len(self.unresolved)} deadline(s) print no year and the document has "
                         f"no date; left unresolved: {_listing(self.unresolved)}")
        return notes


def _listing(items: list[str]) -> str:
    shown = ", ".join(repr(s) for s in items[:3])
    return shown + (", ..." if len(items) > 3 else "")


def _before(a: str, b: str) -> bool:
    """``a`` ends before ``b`` at the precision both print."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def _doc_date(value: str | None) -> str | None:
    if value and _ISO.fullmatch(value):
        return value
    return None


# ---------------------------------------------------------------- the stage


def find_deadlines(text: str, zones: Zones, doc_date: str | None,
                   skip: list[tuple[int, int]]) -> tuple[list[Deadline], list[str]]:
    """Deadlines in text order, and warnings about years taken from the document date."""
    p = _patterns()
    doc = _doc_date(doc_date)
    res = _Resolver(doc, [], [])
    blocked = _blocked_spans(text, zones, skip)
    cells, firm = _timetable_cells(text, p)
    for tbl in zones.tables:
        for i, role in enumerate(tbl.roles):
            if role == "time":
                column = {(row[i].start, row[i].end) for row in tbl.rows if row[i].end > row[i].start}
                cells |= column
                if _FIRM_TIME.search(tbl.header[i].text):
                    firm |= column
    clauses = _Clauses(text, p["boundary"])
    times = _share(text, [t for t in map(_parse, _times(text, p["time"])) if t], p)
    out: list[Deadline] = []
    recurring_clauses: set[int] = set()
    last: tuple[_Time, _Cue] | None = None  # the previous limit, for "trước ngày 15/6 và 15/12"
    i = 0
    while i < len(times):
        t = times[i]
        i += 1
        d = None
        if _inside(t, blocked) or _citation(text, t, p):
            pass
        elif i < len(times) and _is_range(text, t, times[i], p):
            d = _range(text, t, times[i], clauses, res, doc, p)
            i += 1
        else:
            cue = _cue(text, t, p, cells)
            if cue is None and last is not None and _coordinated(text, last[0], t, p):
                cue = _Cue(last[1].kind, t.start, last[1].text, shared=True)
            d = _single(text, t, cue, clauses, res, doc, p) if cue is not None else None
            last = (t, cue) if d is not None and cue is not None else None
        if d is None:
            continue
        if d.kind == "recurring":
            recurring_clauses.add(clauses.start(d.end - 1))
        out.append(d)
    out += _periodic(text, blocked, clauses, recurring_clauses, p)
    out += _frequency_values(text, firm, blocked, p)
    out += _relative(text, blocked, clauses, [(d.start, d.end) for d in out], p)
    out.sort(key=lambda d: (d.start, d.end))
    return out, res.warnings()


def bound_to_tasks(text: str, deadlines: list[Deadline], statements: list[tuple[int, int]],
                   sets_rules: bool = False) -> list[Deadline]:
    """The deadlines, but for a limit counted from an event (``trong thời hạn 05 ngày làm
    việc kể từ ...``: date None, not recurring) outside every statement that tasks a
    body: there it restates a rule of the law the text explains, not a limit on the
    work it directs. A field that names the limit (``Thời hạn giải quyết:``) keeps
    its limit anywhere; so does a text that ``sets_rules`` (a decision issuing a
    procedure) for one in working days or counted from an event (``Thời gian hỗ trợ
    tối đa không quá 30 ngày`` is how long a benefit lasts)."""
    starts = sorted(statements)
    p = _patterns()
    out = []
    for d in deadlines:
        if d.date is None and d.kind != "recurring" and _is_relative(d.text, p) \
                and not _in_field(text, d.start, p) and not (sets_rules and _procedural(d.text, p)):
            i = bisect_right(starts, (d.start, float("inf"))) - 1
            if i < 0 or not starts[i][0] <= d.start < starts[i][1]:
                continue
        out.append(d)
    return out


def _procedural(shown: str, p: dict[str, regex.Pattern]) -> bool:
    """``shown`` counts working days or hours, or counts from an event."""
    m = p["amount"].search(shown)
    return m is not None and (m.group("from") is not None or "làm" in m.group("unit").lower())


def sets_rules(doc_type: str | None) -> bool:
    """A document of this type sets limits on work by its own provisions."""
    return doc_type in _rule_setting_types()


@lru_cache(maxsize=1)
def _rule_setting_types() -> frozenset[str]:
    return frozenset(word_list("rule_setting_types.txt"))


def _frequency_spots(low: str) -> list[int]:
    """Where a frequency cue may begin in the lower-cased text, sorted: a look for each
    cue's first word is cheaper than one scan ("hàng hóa" is none)."""
    spots: list[int] = []
    for word, rests in _frequency_openings():
        if word in low:
            spots.extend(i for i in occurrences(low, word) if low.startswith(rests, i + len(word)))
    return sorted(spots)


@lru_cache(maxsize=1)
def _frequency_openings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The frequency cues of ``deadline_cues.tsv`` by first word: ("hằng ", ("tuần", ...))."""
    by_first: dict[str, list[str]] = {}
    for cue in _role("frequency"):
        first, _, rest = _fold(cue["cue"]).partition(" ")
        by_first.setdefault(first + " " if rest else first, []).append(rest)
    return tuple((w, tuple(r)) for w, r in by_first.items())


# where an amount of time may stand ("05 ngày làm việc", "24 giờ"): the scan for
# limits counted from an event tries its pattern only there
# (matched on the lower-cased text: case-insensitive matching of Vietnamese is slow)
_AMOUNT_SPOT = re.compile(r"\d{1,3}(?:\s*\([^()\n]{1,20}\))?\s+(?:ngày|giờ|tuần|tháng|năm)")
_UNITS = ("ngày", "giờ", "tuần", "tháng", "năm")
_LONG_UNITS = ("tuần", "tháng", "năm")  # a limit in these counts only with what it counts from


def _amount_spots(low: str, cue_ends: frozenset[str]) -> list[int]:
    """Starts of ``_AMOUNT_SPOT`` in ``low`` that a relative cue may stand right
    before, found back from each unit word that follows a digit or a bracket (a scan
    of the whole text costs more; a date's "tháng 7 năm" is skipped by its word, a
    longer unit with nothing it counts from after it by that)."""
    out = set()
    counted = _counted_from_cues()
    for unit in _UNITS:
        long_unit = unit in _LONG_UNITS
        for i in occurrences(low, unit):
            if long_unit and not low[i + len(unit):i + len(unit) + 16].lstrip(" ,\t\n").startswith(counted):
                continue  # weeks, months and years count only with what they count from
            j = i
            while j > 0 and low[j - 1].isspace():
                j -= 1
            if j == i or j == 0 or not (low[j - 1].isdigit() or low[j - 1] == ")"):
                continue
            if low[j - 1] != ")" and _word_before(low, j - 1) not in cue_ends:
                continue
            for m in _AMOUNT_SPOT.finditer(low, max(0, i - 40), i + len(unit)):
                if m.end() == i + len(unit):
                    out.add(m.start())
    return sorted(out)


def _word_before(low: str, pos: int) -> str:
    """The word before the run of digits that ends at ``pos``."""
    while pos > 0 and low[pos - 1].isdigit():
        pos -= 1
    end = pos
    while end > 0 and low[end - 1].isspace():
        end -= 1
    if end > 0 and low[end - 1] == ":":
        return ":"  # a field's value: "Thời hạn giải quyết: 05 ngày"
    start = end
    while start > 0 and low[start - 1].isalpha():
        start -= 1
    return low[start:end]


def _is_relative(shown: str, p: dict[str, regex.Pattern]) -> bool:
    """``shown`` is a limit counted from an event: a cue, then an amount of time."""
    amount = p["amount"].search(shown)
    return amount is not None and p["relative_cue"].fullmatch(shown, 0, amount.start()) is not None


def _frequency_values(text: str, cells: set[tuple[int, int]], blocked: list[tuple[int, int]],
                      p: dict[str, regex.Pattern]) -> list[Deadline]:
    """A cell of a completion-time column, or a completion-time field, whose value is a
    frequency (``Hằng năm``, ``Thời gian hoàn thành: Định kỳ hằng quý``): recurring,
    date None. ``Thực hiện thường xuyên hằng năm`` is ongoing work, not a limit."""
    out = []
    ordered = sorted(cells)
    low = lowered(text)
    if len(low) == len(text) and not any(c in text for c in _ODD_CASE):
        spots = _frequency_spots(low)
        found = matches_at(p["freq"], text, spots)
    else:
        found = list(p["freq"].finditer(text))
    lines: Breaks | None = None  # built at the first find: most texts have none
    for m in found:
        i = bisect_right(ordered, (m.start(), len(text))) - 1
        cell = ordered[i] if i >= 0 and ordered[i][0] <= m.start() < ordered[i][1] else None
        lines = Breaks(text, "\n|") if lines is None else lines
        line_start = lines.start_of(m.start())
        head = None
        if cell is None:
            head = p["label"].match(text, line_start, m.start())
            if head is None or not _FIRM_TIME.search(head.group(0)):
                continue
        nl = text.find("\n", m.end())
        line_end = len(text) if nl < 0 else nl
        bar = text.find("|", m.end(), line_end)
        value_end = bar if bar >= 0 else line_end
        value_start = head.end() if head is not None else line_start
        if cell is not None:
            value_start, value_end = cell
        if not p["freq_value"].fullmatch(text, value_start, value_end):
            continue
        span = _Time(value_start, value_end, None, None, None, "year")
        if _inside(span, blocked):
            continue
        shown = text[value_start:value_end].strip(" \t*_.;")
        s = text.index(shown, value_start)
        out.append(Deadline(date=None, kind="recurring", text=shown, start=s, end=s + len(shown)))
    return out


def _relative(text: str, blocked: list[tuple[int, int]], clauses: _Clauses,
              taken: list[tuple[int, int]], p: dict[str, regex.Pattern]) -> list[Deadline]:
    """Limits counted from an event: ``trong thời hạn 05 ngày làm việc kể từ ngày nhận
    được hồ sơ``, ``trong vòng 24 giờ``, ``chậm nhất 03 ngày sau khi kết thúc``; date
    None. Weeks, months and years count only with what they count from (``trong 3
    năm`` alone is a period, not a limit)."""
    out = []
    low = lowered(text)
    if len(low) == len(text) and not any(c in text for c in _ODD_CASE):
        found = matches_at(p["amount"], text, _amount_spots(low, _relative_cue_ends()))
    else:  # lower-casing moved offsets or a letter matches unlike its lower case
        found = list(p["amount"].finditer(text))
    for m in found:
        c = p["relative_cue"].search(text, max(0, m.start() - 30), m.start())
        field = _field_before(text, m.start(), p) if c is None else None
        if c is None and field is None:
            continue
        unit = m.group("unit").lower()
        counted = m.group("from") is not None
        cue = _fold(c.group("cue")) if c is not None else None
        long_unit = unit.split()[0] in _LONG_UNITS
        if (not counted or field is not None) and (long_unit or cue == "sau"):
            continue  # a field's value in years is a duration ("Thời hạn sử dụng đất: 50 năm")
        if _LOOKS_BACK.match(text, m.end()):
            continue  # "trong 3 ngày qua": what happened, not a limit
        # a field's value is the limit itself: "Thời hạn giải quyết: | 05 ngày làm việc ..."
        start = c.start("cue") if c is not None else m.start()
        span = _Time(start, m.end(), None, None, None, "day")
        if _inside(span, blocked) or any(s < m.end() and start < e for s, e in taken):
            continue
        if _negated(text, start, span, clauses.start(start), p):
            continue
        kind = _relative_cues()[cue][0] if cue is not None else _relative_fields()[_fold(field or "")][0]
        end = strip_tail(text, start, m.end())
        out.append(Deadline(date=None, kind=kind, text=text[start:end], start=start, end=end))
    return out


_LOOKS_BACK = regex.compile(r"\s+(?:qua|vừa qua|trước đó|trước|liên tiếp|liên tục)(?!\p{L})", _FLAGS)


@lru_cache(maxsize=1)
def _relative_cue_ends() -> frozenset[str]:
    """The last word of each relative cue, the "là" that may follow one, and the colon
    of a field."""
    return frozenset({r["cue"].split()[-1].lower() for r in _role("relative")} | {"là", ":"})


@lru_cache(maxsize=1)
def _counted_from_cues() -> tuple[str, ...]:
    return tuple(_fold(r["cue"]) for r in _role("counted-from"))


@lru_cache(maxsize=1)
def _relative_fields() -> dict[str, tuple[str, str]]:
    return {_fold(r["cue"]): (r["kind"], r["coarsest"]) for r in _role("relative-field")}


def _field_start(text: str, pos: int) -> int:
    """Where the line, cell or sentence that ``pos`` is in begins."""
    starts = [0]
    for mark in ("\n", "|", ". ", "; "):
        at = text.rfind(mark, 0, pos)
        if at >= 0:
            starts.append(at + len(mark))
    return max(starts)


def _field_before(text: str, pos: int, p: dict[str, regex.Pattern]) -> str | None:
    """The relative-field label (``Thời hạn giải quyết``) that the value at ``pos``
    belongs to, if all between its line's start and ``pos`` is that label."""
    m = p["relative_field"].fullmatch(text, _field_start(text, pos), pos)
    return m.group("cue") if m else None


def _in_field(text: str, pos: int, p: dict[str, regex.Pattern]) -> bool:
    """``pos`` stands in the value of a relative field (``Thời hạn giải quyết: Trong thời
    hạn 03 ngày làm việc ...``)."""
    return p["relative_field"].match(text, _field_start(text, pos), pos) is not None


@lru_cache(maxsize=1)
def _relative_cues() -> dict[str, tuple[str, str]]:
    return {_fold(r["cue"]): (r["kind"], r["coarsest"]) for r in _role("relative")}


def strip_tail(text: str, start: int, end: int) -> int:
    """``end`` moved back over spaces and the punctuation a phrase may end on."""
    while end > start and text[end - 1] in " \t,;":
        end -= 1
    return end


def _coordinated(text: str, a: _Time, b: _Time, p: dict[str, regex.Pattern]) -> bool:
    """``<a> và <b>``, ``<a>, <b>``: one cue serves both."""
    return p["coord"].fullmatch(text, a.end, b.start) is not None


def _share(text: str, times: list[_Time], p: dict[str, regex.Pattern]) -> list[_Time]:
    """A year or a frequency printed once after coordinated times serves them all.

    ``trước ngày 15/9 và 15/12/2023``: both in 2023; ``trước ngày 15/6 và ngày 15/12
    hằng năm``: both recur.
    """
    for i in range(len(times) - 2, -1, -1):
        a, b = times[i], times[i + 1]
        if a.year is not None or a.precision not in ("day", "month") or not _coordinated(text, a, b, p):
            continue
        if b.recurring:
            times[i] = replace(a, recurring=True)
        elif b.year is not None and b.precision == a.precision:
            times[i] = replace(a, year=b.year)
    return times


def _is_range(text: str, a: _Time, b: _Time, p: dict[str, regex.Pattern]) -> bool:
    """``từ <a> đến (hết) <b>``."""
    return (p["range_mid"].fullmatch(text, a.end, b.start) is not None
            and p["range_from"].search(text, max(0, a.start - 12), a.start) is not None)


def _range(text: str, a: _Time, b: _Time, clauses: _Clauses, res: _Resolver, doc: str | None,
           p: dict[str, regex.Pattern]) -> Deadline | None:
    start = p["range_from"].search(text, max(0, a.start - 12), a.start).start()
    clause = clauses.start(start)
    if _negated(text, start, a, clause, p, span=True) or _past_event(text, start, b, clauses, p):
        return None
    # "từ ngày 01 đến ngày 15/6/2020": the start borrows what it leaves out
    a = replace(a, year=a.year if a.year is not None else b.year, months=a.months or b.months)
    shown = text[start:b.end]
    end = _iso(b, res.year(b))
    first = _iso(a, a.year if a.year is not None else (int(end[:4]) if end else None), first=True)
    if end is not None and doc is not None and _before(end, doc):
        return None
    res.note(b, shown)
    return Deadline(date=end, kind="until", text=shown, start=start, end=b.end, start_date=first)


def _single(text: str, t: _Time, cue: _Cue, clauses: _Clauses, res: _Resolver,
            doc: str | None, p: dict[str, regex.Pattern]) -> Deadline | None:
    clause = clauses.start(cue.start)
    if _negated(text, cue.start, t, clause, p):
        return None
    # a frequency printed after the day is the one that counts
    freq = _frequency_before(text, clause, cue.start, p) if t.year is None and not t.freq_end else None
    if t.recurring or (freq is not None and t.precision in ("day", "month")):
        return _recurring(text, t, cue, clause, freq, p)
    if _past_event(text, cue.start, t, clauses, p):
        return None
    shown = text[cue.start:t.end]
    date = _iso(t, res.year(t))
    if date is not None and doc is not None and _before(date, doc):
        return None  # an earlier date is a fact, not a limit
    res.note(t, shown)
    kind = cue.kind
    if kind == "within" and t.precision == "day":
        kind = "by"  # a single day is a point to meet, not a window
    start_date = date if kind == "from" else None
    if t.first_year is not None:  # "2026-2030": the work runs until the last year
        kind, start_date = "until", f"{t.first_year:04d}"
    if t.precision == "quarter" and t.months is not None and t.months[1] - t.months[0] > 2 \
            and date is not None:
        start_date = _iso(t, int(date[:4]), first=True)  # "Quý II, III/2015" starts in April
    if kind == "until" and _fold(cue.text).startswith("từ nay"):
        start_date = doc
    return Deadline(date=date, kind=kind, text=shown, start=cue.start, end=t.end,
                    start_date=start_date)


def _frequency_before(text: str, clause: int, pos: int, p: dict[str, regex.Pattern]) -> regex.Match | None:
    """The last frequency printed in the clause before ``pos``."""
    found = None
    for m in p["freq"].finditer(text, clause, pos):
        found = m
    return found


def _recurring(text: str, t: _Time, cue: _Cue, clause: int, freq: regex.Match | None,
               p: dict[str, regex.Pattern]) -> Deadline:
    """A recurring limit, date None, shown as the words that carry it.

    ``trước ngày 30 tháng 11 hằng năm``: the cue to the frequency. A frequency
    printed just before the cue opens the statement (``định kỳ hàng năm (trước
    ngày 15/11``); one printed far before it leaves the duty that carries the
    day (``gửi Văn phòng Bộ trước ngày 15 tháng cuối quý``).
    """
    end = t.freq_end or t.end
    start = cue.start
    if freq is None or cue.shared:
        pass
    elif len(text[freq.end():cue.start].split()) <= 3:
        start = clause if freq.end() - clause <= HEAD_MAX else freq.start()
        start = p["opening"].match(text, start).end()
    else:
        verbs = list(p["report"].finditer(text, freq.end(), cue.start))
        start = verbs[-1].start() if verbs else cue.start
    return Deadline(date=None, kind="recurring", text=text[start:end], start=start, end=end)


def _periodic(text: str, blocked: list[tuple[int, int]], clauses: _Clauses, taken: set[int],
              p: dict[str, regex.Pattern]) -> list[Deadline]:
    """Reporting periods with no day (``báo cáo định kỳ 6 tháng``): recurring, date None."""
    out = []
    for m in p["periodic"].finditer(text):
        clause = clauses.start(m.start())
        span = _Time(m.start(), m.end(), None, None, None, "year")
        if clause in taken or _inside(span, blocked):
            continue
        if p["report"].search(text, clause, clauses.end(m.end())) is None:
            continue  # "định kỳ 6 tháng/lần tổ chức Hội nghị": a habit, not a limit
        taken.add(clause)
        out.append(Deadline(date=None, kind="recurring", text=m.group(0), start=m.start(), end=m.end()))
    return out
