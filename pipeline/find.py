"""Find spans in a cleaned, segmented dispatch: header fields, citations, recipients.

Finders return records with the text as printed and its offsets; turning the
printed forms into canonical ones (abbreviations, casing, merging repeated
citations) is the resolve stage's job.
"""
from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from . import resolve
from .knowledge import word_list
from .models import DocumentInfo, Field, Recipient, Reference, Span, SpanSet
from .regexes import (
    BLANK_NUMBER,
    EN_DATE,
    LONG_DATE,
    NUMBER_SYMBOL,
    NUMERIC_DATE,
    SIGN_MARKER,
    agency_head,
    date_from_match,
    iso_date,
    number_symbols,
    type_codes,
    type_names,
    type_word,
)
from .segment import HEADER_WINDOW, Zones

# ---------------------------------------------------------------- helpers

_UPPER_TOKEN = regex.compile(r"[“\"(']?[\p{Lu}\d][\p{Lu}\d.,:;/&“”\"()'-]*|[-–“”\"(),:;]+")
_TITLE_TOKEN = regex.compile(r"\p{Lu}\p{Ll}+")


def _is_upper_token(tok: str) -> bool:
    # a token opening with a lower-case letter never matches: skip the regex for it
    if tok[:1].islower():
        return False
    return bool(_UPPER_TOKEN.fullmatch(tok)) and all(c.isupper() for c in tok if c.isalpha())


def _field(value: str | None, text: str, start: int, end: int) -> Field:
    return Field(value=value, text=text, start=start, end=end)


_NON_SPACE = regex.compile(r"\S+")
_SPACES = regex.compile(r"\s+")


def _tokens(text: str, start: int, end: int):
    """Whitespace-separated tokens with their offsets."""
    for m in _NON_SPACE.finditer(text, start, end):
        yield m.group(0), m.start(), m.end()


# A token that may be upper case: one not opening with a lower-case letter. Most
# tokens of a body text do, and the scan passes over them without a Python step.
_NOT_LOWER_TOKEN = regex.compile(r"(?<!\S)(?!\p{Ll})\S+")


def _upper_runs(text: str, start: int, end: int, min_tokens: int = 1):
    """Maximal runs of upper-case tokens (numbers and punctuation allowed inside)."""
    run: list[tuple[str, int, int]] = []
    words = 0  # tokens of the run with a letter
    last = start  # end of the last token looked at
    for tok, s, e in _maybe_upper_tokens(text, start, end, every=min_tokens < 1):
        if run and _SPACES.fullmatch(text, last, s) is None:
            # a token passed over (lower case) ends the run
            if words >= min_tokens:
                yield run
            run = []
            words = 0
        last = e
        if _is_upper_token(tok):
            alpha = any(c.isalpha() for c in tok)
            if alpha or run:
                run.append((tok, s, e))
                words += alpha
                continue
        if words >= min_tokens:
            yield run
        run = []
        words = 0
    if words >= min_tokens:
        yield run


def _maybe_upper_tokens(text: str, start: int, end: int, every: bool = False):
    """The tokens of ``text[start:end]`` that do not open with a lower-case letter
    (``every``: all tokens), with their offsets; a token cut by ``start`` counts
    from there."""
    if every:
        yield from _tokens(text, start, end)
        return
    pos = start
    first = _NON_SPACE.match(text, start, end)
    if first is not None and start > 0 and _NON_SPACE.match(text, start - 1, start):
        yield first.group(0), first.start(), first.end()  # cut: the look-behind would miss it
        pos = first.end()
    for m in _NOT_LOWER_TOKEN.finditer(text, pos, end):
        yield m.group(0), m.start(), m.end()


# ---------------------------------------------------------------- number and symbol

@dataclass(frozen=True)
class NumberSymbol:
    number: str | None
    symbol: str | None
    start: int
    end: int


def split_number_symbol(m: regex.Match) -> NumberSymbol:
    """``30/2020/NĐ-CP`` -> 30, ``2020/NĐ-CP``; ``119-KH/TU`` -> 119, ``KH/TU``."""
    number = str(int(m.group("number"))) if m.groupdict().get("number") else None
    symbol = m.group("new") or m.group("old")
    end = m.end()
    if symbol.endswith("V") and m.string[end:end + 2] in ("/v", "/V"):
        symbol, end = symbol[:-1], end - 1  # "1234/VPCP-V.IV/v ...": the symbol, then "V/v"
    return NumberSymbol(number, _SPACES.sub("", symbol), m.start(), end)


def find_number(text: str, zones: Zones) -> NumberSymbol | None:
    """The text's own number from its ``Số:`` line (number may be blank)."""
    if zones.number_line is None:
        return None
    after = zones.number_line.end
    window = text[after:after + 80]
    blank = BLANK_NUMBER.match(window)
    if blank:
        sym = _SPACES.sub("", blank.group("new"))
        return NumberSymbol(None, sym, after + blank.start("new"), after + blank.end("new"))
    m = NUMBER_SYMBOL.match(window.lstrip())
    if not m:
        return None
    shift = after + len(window) - len(window.lstrip())
    ns = split_number_symbol(m)
    return NumberSymbol(ns.number, ns.symbol, shift + ns.start, shift + ns.end)


# ---------------------------------------------------------------- place and date

_PLACE_TOKEN = regex.compile(r"\p{Lu}\p{Ll}+|TP\.|Tp\.|TX\.|[-–]|phố|xã")
_PLACE_TYPE = {"phố": "Thành", "xã": "Thị"}  # "Thành phố Hồ Chí Minh", "Thị xã Sơn Tây"
_DATE_LINE = regex.compile(
    r",\s*" + LONG_DATE.pattern, regex.IGNORECASE
)


@dataclass(frozen=True)
class PlaceDate:
    place: Span | None
    date: str | None
    date_span: Span


def find_place_date(text: str, zones: Zones) -> PlaceDate | None:
    """``Lạng Sơn, ngày   tháng 7 năm 2019`` in the header: place and ISO date."""
    start = zones.number_line.start if zones.number_line else 0
    m = _DATE_LINE.search(text, start, min(len(text), start + HEADER_WINDOW))
    if not m:
        return None
    date = LONG_DATE.match(text[m.start():m.end()].lstrip(", \n"))
    iso = date_from_match(date) if date else None
    date_start = m.start() + text[m.start():m.end()].index(date.group(0)) if date else m.start()
    place = _place_before(text, m.start())
    return PlaceDate(place, iso, Span(text[date_start:m.end()], date_start, m.end()))


def _place_before(text: str, comma: int) -> Span | None:
    """Walk back from the comma over capitalised words: ``... 2014 Hà Nội, ngày``."""
    line_start = text.rfind("\n", 0, comma) + 1
    toks = list(_tokens(text, line_start, comma))
    prev_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    prev = list(_tokens(text, prev_start, max(line_start - 1, prev_start)))
    if toks and all(_PLACE_TOKEN.fullmatch(t) for t, _, _ in toks) and 0 < len(prev) <= 2 \
            and all(_PLACE_TOKEN.fullmatch(t) for t, _, _ in prev):
        toks = prev + toks  # a table cell broke the place name over two lines
    taken: list[tuple[str, int, int]] = []
    for tok, s, e in reversed(toks):
        if not _PLACE_TOKEN.fullmatch(tok) or len(taken) >= 6:
            break
        taken.append((tok, s, e))
    while taken and (taken[-1][0] in "-–" or taken[-1][0] in _PLACE_TYPE):
        taken.pop()  # a dash, or "phố" with no "Thành" before it
    if any(t in _PLACE_TYPE and (i + 1 >= len(taken) or taken[i + 1][0] != _PLACE_TYPE[t])
           for i, (t, _, _) in enumerate(taken)):
        return None
    if not taken:
        return None
    s, e = taken[-1][1], taken[0][2]
    return Span(text[s:e], s, e)


# ---------------------------------------------------------------- document type and title

_VV = regex.compile(r"(?<![\p{L}])(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\s*:?\s*")


@dataclass(frozen=True)
class TypeTitle:
    doc_type: str
    type_span: Span
    title: Span | None


@lru_cache(maxsize=1)
def _type_first_words() -> frozenset[str]:
    return frozenset(name.split(" ")[0] for name in type_names())


def find_type_title(text: str, zones: Zones, after: int) -> TypeTitle | None:
    """An upper-case type name opening a run (``QUYẾT ĐỊNH V/V BAN HÀNH ...``)."""
    names = type_names()
    firsts = _type_first_words()
    end = min(len(text), after + HEADER_WINDOW)
    for run in _upper_runs(text, after, end):
        if run[0][0].lower() not in firsts:
            continue  # no type name opens with this word
        for n_words in (4, 3, 2, 1):
            if len(run) < n_words:
                continue
            head = " ".join(t for t, _, _ in run[:n_words]).lower()
            if head in names and head not in ("luật", "lệnh"):
                type_span = Span(text[run[0][1]:run[n_words - 1][2]], run[0][1], run[n_words - 1][2])
                title = _title_after(text, run[n_words:], run[n_words - 1][2])
                return TypeTitle(names[head], type_span, title)
    return None


_NEXT_LINES = regex.compile(r"\s*(?P<t>[^\n]+(?:\n(?!\s*\n)[^\n]+){0,2})")
# the sender line of a telegram ("THỦ TƯỚNG CHÍNH PHỦ ĐIỆN:"), not a title
_TELEGRAM_SENDER = regex.compile(r"\bĐIỆN\s*:?[\s\-–]*$")
_NOT_TITLE = regex.compile(r"\s*(?:Căn cứ|Thực hiện|Kính gửi|Số\b)")


def _title_after(text: str, rest: list[tuple[str, int, int]], type_end: int) -> Span | None:
    """The title: the rest of the upper-case run, minus the authority line after it."""
    if rest:
        cut = _authority_cut(rest)
        rest = rest[:cut]
    if rest:
        s, e = rest[0][1], rest[-1][2]
        vv = _VV.match(text, s)
        if vv and vv.end() < e:
            s = vv.end()
        if _TELEGRAM_SENDER.search(text, s, e):
            return None
        return Span(text[s:e], s, e)
    # Mixed-case title on the next line(s): "KẾ HOẠCH\nTriển khai ..."
    nl = text.find("\n", type_end)
    if nl < 0:
        return None
    m = _NEXT_LINES.match(text, nl)
    if not m or _NOT_TITLE.match(m.group("t")):
        return None
    return Span(m.group("t"), m.start("t"), m.end("t"))


def _authority_cut(run: list[tuple[str, int, int]]) -> int:
    """Index where the issuing authority's line starts inside a title run.

    The last authority head wins (``... GIỮA ỦY BAN DÂN TỘC VÀ BỘ TƯ PHÁP NĂM
    2015 BỘ TRƯỞNG BỘ TƯ PHÁP``), unless a preposition shows it is part of the
    title (``... CỦA BAN THƯỜNG VỤ TỈNH ỦY``).
    """
    heads = [h.split() for h in word_list("authority_heads.txt")]
    words = [t.strip("“”\"").upper() for t, _, _ in run]
    cut = len(run)
    i = 2
    while i < len(run):
        size = max((len(h) for h in heads if words[i:i + len(h)] == h), default=0)
        if size and words[i - 1] not in _TITLE_LINKS:
            cut = i
            i += size  # "CHỦ TỊCH ỦY BAN NHÂN DÂN" is one authority line
            continue
        i += 1
    return cut


_TITLE_LINKS = {"CỦA", "VÀ", "GIỮA", "VỚI", "CHO", "TẠI", "THEO"}


_VV_STOPS = tuple(regex.compile(p) for p in (r"\n\s*\n", r"Kính\s+gửi", r"\n[^\n]{0,60},\s*ngày\s"))


def find_vv_subject(text: str, zones: Zones, after: int, stop: int | None) -> Span | None:
    """``V/v tuyên truyền ...`` up to a blank line, the place-date or Kính gửi."""
    m = _VV.search(text, after, min(len(text), after + HEADER_WINDOW))
    if not m:
        return None
    limit = min(len(text), m.end() + 800)
    cuts = [limit]
    for pat in _VV_STOPS:
        c = pat.search(text, m.end(), limit)
        if c:
            cuts.append(c.start())
    if stop is not None and stop > m.end():
        cuts.append(stop)
    end = min(cuts)
    while end > m.end() and text[end - 1] in " \t\n,;.":
        end -= 1
    if end <= m.end():
        return None
    more = _VV_GOES_ON.match(text, end)  # "... năm 2011\n\nvà triển khai ... năm 2012"
    if more is not None and more.end() <= limit:
        end = more.end()
    return Span(text[m.end():end], m.end(), end)


# a subject that a converter broke across a blank line goes on in lower case
_VV_GOES_ON = regex.compile(r"[ \t]*\n[ \t]*\n[ \t]*\p{Ll}[^\n]{0,200}?(?=[ \t]*(?:\n|$))")


# ---------------------------------------------------------------- issuer

_LETTER_OR_DIGIT = regex.compile(r"\p{L}|\d")


def find_header_issuer(text: str, zones: Zones) -> tuple[str, Span] | None:
    """The issuing body from the upper-case block before the motto or number: its
    words as printed (those of both lines when the columns interleave) and its span."""
    ends = [s.start for s in (zones.motto, zones.number_line) if s is not None]
    if not ends:
        return None
    end = min(ends)
    start = 0
    # Converted pages open with a mixed-case title line: the block is the
    # upper-case run right before the motto.
    runs = [r for r in _upper_runs(text, start, end, min_tokens=1)]
    if not runs:
        return None
    run = [t for t in runs[-1] if _LETTER_OR_DIGIT.search(t[0])]
    if not run:
        return None
    run += _left_column(text, zones, run[-1][2])
    body = resolve.last_body(run)
    if not body:
        return None
    s, e = body[0][1], body[-1][2]
    return " ".join(t for t, _, _ in body), Span(text[s:e], s, e)


_MOTTO_PART = regex.compile(r"Độc\s+lập|ĐỘC\s+LẬP|[-_*]{3,}", regex.IGNORECASE)


def _left_column(text: str, zones: Zones, run_end: int) -> list[tuple[str, int, int]]:
    """Two header columns printed side by side line by line (``ỦY BAN NHÂN DÂN CỘNG HÒA
    XÃ HỘI ...`` / ``HUYỆN CHÂU THÀNH Độc lập - Tự do ...``): the upper-case words the
    next lines print before the motto go on with the issuer."""
    motto = zones.motto
    if motto is None or text.rfind("\n", 0, motto.start) != text.rfind("\n", 0, run_end):
        return []  # the issuer run does not end on the motto's line
    out: list[tuple[str, int, int]] = []
    nl = text.find("\n", motto.start)
    for _ in range(3):
        if nl < 0:
            break
        line_start = nl + 1
        nl = text.find("\n", line_start)
        line_end = len(text) if nl < 0 else nl
        part = _MOTTO_PART.search(text, line_start, line_end)
        if part is None or part.start() == line_start:
            break
        toks = list(_tokens(text, line_start, part.start()))
        if not toks or not all(_is_upper_token(t) for t, _, _ in toks):
            break
        out += [t for t in toks if _LETTER_OR_DIGIT.search(t[0])]
    return out


# "Ủy ban nhân dân (UBND) tỉnh Nghệ An ban hành ...": the body a bare header names
_PLACED_HEAD = regex.compile(
    r"(?:Ủy ban nhân dân|UBND|Hội đồng nhân dân|HĐND)(?:\s*\([^()\n]{1,10}\))?\s+"
    r"(?P<place>(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã)(?:\s+\p{Lu}\p{L}*){0,4})(?![\p{L}])")


def placed_issuer(text: str, issuer: str, start: int) -> str | None:
    """A header that prints its body with no place (``ỦY BAN NHÂN DÂN``, the line with the
    province lost): the body as the text names it with its place, else None."""
    head = issuer.split(" tỉnh")[0].split(" huyện")[0]
    for m in _PLACED_HEAD.finditer(text, start, min(len(text), start + HEADER_WINDOW)):
        if resolve.expand(m.group(0)).startswith(head):
            return f"{head} {m.group('place')}"
    return None


def _words(name: str) -> str:
    """Alternation of a word list under models/, spaces matching any whitespace."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in word_list(name))


_ISSUE_VERBS = regex.compile(
    rf"\s+(?:trân\s+trọng\s+|kính\s+)?(?:{_words('issuer_verbs.txt')})(?![\p{{L}}])"
)
_BANHANH = regex.compile(rf"\s+(?:đã\s+|vừa\s+|cũng\s+)?(?:{_words('issuing_verbs.txt')})(?![\p{{L}}])")
_DIRECTING = regex.compile(
    rf"\s+(?:đã\s+|vừa\s+|cũng\s+)?(?:{_words('news_directing_verbs.txt')})(?![\p{{L}}])")


_ON_BEHALF = regex.compile(r"(?<![\p{L}])thay mặt\s+(?P<body>[^,\n]{3,80}?),")


# A clause opens at the text's start, after ";,.:" and blanks, at a line break, after
# a news agency's dash ("QTV – UBND tỉnh ...", "(Mic.gov.vn) - Văn phòng Chính phủ")
# or after a date that opens the sentence ("Ngày 7/6/2019 Sở ...").
_CLAUSE_BREAK = regex.compile(r"[;,.:]\s+|\n|[-–]\s+(?=\p{Lu})|(?<=(?:Ngày|ngày)\s+\d{1,2}/\d{1,2}/\d{4})\s+")
_CLAUSE_MARK_CHAR = re.compile(r"[;,.:\n\-–]")
_OPENING_DATE = regex.compile(r"[Nn]gày\s+\d{1,2}/\d{1,2}/\d{4}")
_SENTENCE_DOT = regex.compile(r"\.\s")


def _clause_openings(text: str) -> Iterator[int]:
    """Where clauses open, in text order: the ends of ``_CLAUSE_BREAK.finditer``
    after 0, the pattern tried only at the marks and dates that can start one (a
    scan of every position is several times slower)."""
    yield 0
    marks = (m.start() for m in _CLAUSE_MARK_CHAR.finditer(text))
    dates = (m.end() for m in _OPENING_DATE.finditer(text))
    last = 0
    for pos in heapq.merge(marks, dates):
        if pos >= last:
            m = _CLAUSE_BREAK.match(text, pos)
            if m:
                yield m.end()
                last = m.end()


def find_body_issuer(text: str, zones: Zones, tin_bai: bool) -> Span | None:
    """Without an issuer block: the body that speaks (``..., Sở X đề nghị``) or,
    in a news post, the body that issued the reported document: the one that issues
    (``UBND tỉnh vừa ban hành``, ``Chủ tịch UBND tỉnh đã có văn bản``), else the first
    that directs (``Theo đó, UBND tỉnh yêu cầu``)."""
    if tin_bai:
        on_behalf = _ON_BEHALF.search(text)
        if on_behalf and _BANHANH.search(text, on_behalf.end(), on_behalf.end() + 200):
            return Span(on_behalf.group("body"), on_behalf.start("body"), on_behalf.end("body"))
        return _speaker(text, _BANHANH) or _speaker(text, _DIRECTING)
    return _speaker(text, _ISSUE_VERBS)


def _speaker(text: str, verbs: regex.Pattern) -> Span | None:
    """The first clause that opens with a body (maybe after its head's title:
    ``Chủ tịch UBND tỉnh``) followed by one of ``verbs`` in the same sentence."""
    for start in _clause_openings(text):
        h = _issuer_head().match(text, start)
        if not h:
            continue
        v = verbs.search(text, h.end(), min(len(text), h.end() + 260))
        if not v:
            continue
        span_text = text[start:v.start()]
        if "\n" in span_text or ";" in span_text or _SENTENCE_DOT.search(span_text):
            continue
        if _predicate_before(text, start, v.start()):
            continue  # "Bộ X chủ trì, phối hợp với ... đề xuất": X does not issue
        end = start + _without_person(span_text)
        joined = _WITH_OTHERS.search(text, start, end)  # "Bộ X, cùng Ủy ban Y đã có công văn"
        if joined is not None:
            end = joined.start()
        return Span(text[start:end], start, end)
    return None


_WITH_OTHERS = regex.compile(r",?\s+(?:cùng với|cùng|phối hợp với)\s+\p{Lu}")


def _predicate_before(text: str, start: int, verb: int) -> bool:
    """A task verb stands between the body that opens at ``start`` and ``verb``."""
    from .names import list_end

    end, by_verb = list_end(text, start, verb)
    return by_verb and text[end:verb].strip(" ,") != ""


@lru_cache(maxsize=1)
def _issuer_head() -> regex.Pattern:
    """A body's head, maybe after the title of its head (``Phó Chủ tịch UBND ...``)."""
    titles = sorted({v for t in word_list("titles.txt") for v in (t, t[:1].lower() + t[1:])},
                    key=len, reverse=True)
    alt = "|".join(regex.escape(t) for t in titles)
    return regex.compile(rf"(?:(?:{alt})\s+)?(?:{agency_head().pattern})")


# "Phó Chủ tịch UBND thành phố Lê Khắc Nam": capitalised words after a place word that
# name no place are the person who acts for the body
_PERSON_AFTER_PLACE = regex.compile(
    r"(?P<place>\s(?:tỉnh|thành phố|huyện|quận|thị xã))(?P<name>(?:\s+\p{Lu}\p{Ll}+){2,4})\s*$")


def _without_person(span_text: str) -> int:
    m = _PERSON_AFTER_PLACE.search(span_text)
    if m is None:
        return len(span_text)
    from .link import is_place  # lazy: the place lists load on first use

    return len(span_text) if is_place(m.group("name").strip()) else m.end("place")


# ---------------------------------------------------------------- signature

@lru_cache(maxsize=1)
def _signer_name() -> regex.Pattern:
    """A signer's name after the title, maybe after a rank (``Đại tá``)."""
    ranks = "|".join(regex.escape(r) for r in word_list("ranks.txt"))
    return regex.compile(
        rf"(?:(?:{ranks})\s+)?(?P<name>\p{{Lu}}\p{{Ll}}*(?:[ ]\p{{Lu}}\p{{Ll}}*){{1,4}})(?![\p{{L}}])"
    )


# between the title and the name: blank lines (however many a converter left), and
# the note a copy prints where the signature was ("(đã ký)", "[Đã ký]")
_GAP = regex.compile(r"\s{0,300}?(?:[(\[]?(?:đã\s+ký|Đã\s+ký|ĐÃ\s+KÝ)[)\]]?\s{0,300}?)?(?=\S)")
_DIGIT_OR_COLON = regex.compile(r"\d|:")


_METADATA_SIGNER = regex.compile(r"(?m)^[^\n]{0,80}?Người\s+ký\s*:\s*(?P<name>\p{Lu}\p{Ll}*(?:[ ]\p{Lu}\p{Ll}*){1,4})")


def find_metadata_signer(text: str) -> Span | None:
    """``Người ký: Hứa Ngọc Thuận`` in the facts a legal portal prints above a text
    (used when the text itself was cut before its signature)."""
    m = _METADATA_SIGNER.search(text, 0, min(len(text), HEADER_WINDOW))
    return Span(m.group("name"), m.start("name"), m.end("name")) if m else None


def find_signature(text: str, zones: Zones) -> tuple[Span | None, Span | None, str | None]:
    """(signer, title span, canonical title) from the signature block."""
    area = zones.signature
    if area is None:
        return None, None, None
    name_re = _signer_name()
    for run in _upper_runs(text, area.start, area.end):
        words = [t for t in run if any(c.isalpha() for c in t[0])]
        if not words:
            continue
        after = run[-1][2]
        gap = _GAP.match(text, after, min(len(text), after + 700))
        nm = name_re.match(text, gap.end()) if gap else None
        if not nm or _is_upper_token(nm.group("name").split()[0]):
            continue
        title_span, canonical = _own_title(text, run)
        if canonical is None and title_span is None:
            continue
        name = Span(nm.group("name"), nm.start("name"), nm.end("name"))
        return name, title_span, canonical
    return None, None, None


def _own_title(text: str, run: list[tuple[str, int, int]]) -> tuple[Span | None, str | None]:
    """The signer's own title: the longest known title ending the run."""
    toks = [(t.strip(".,"), s, e) for t, s, e in run]
    for size in range(min(6, len(toks)), 0, -1):
        cand = toks[len(toks) - size:]
        key = resolve.fold_key(" ".join(t for t, _, _ in cand))
        title = resolve.title_by_key().get(key)
        if title is not None:
            s, e = cand[0][1], run[-1][2]
            return Span(text[s:e], s, e), title
    # Unknown title: the last line of the run, after any signing marker.
    last_line_start = text.rfind("\n", run[0][1], run[-1][2]) + 1
    s = max(run[0][1], last_line_start)
    seg = text[s:run[-1][2]]
    mk = list(SIGN_MARKER.finditer(seg))
    if mk:
        s += mk[-1].end()
    seg = text[s:run[-1][2]].strip()
    if not seg or not any(c.isalpha() for c in seg) or _DIGIT_OR_COLON.search(seg):
        return None, None
    s = text.index(seg, s)
    return Span(seg, s, s + len(seg)), resolve.sentence_case(seg)


# ---------------------------------------------------------------- news posts

_BYLINE_LINES = 4  # an unlabelled date counts in the first lines only
# A byline holds few words before its date ("Thứ 5, Ngày 22/04/2021"); a title that
# ends in a date ("Triển khai đợt cao điểm ... đến hết ngày 30/9/2024") is not one.
_BYLINE_WORDS = 6
_HEAD_LINES = 10  # how far down a labelled date, a bare date line or a title may stand
ISO_DATE = regex.compile(r"(?<![\d/-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d/-])")
# "Ngày đăng: 25/02/2021", "Cập nhật: ...", "date 2026-02-02": the post's own date
_DATE_LABEL = regex.compile(r"(?:Ngày\s+đăng|Đăng\s+ngày|Ngày\s+cập\s+nhật|Cập\s+nhật|Ngày\s+xuất\s+bản"
                            r"|Thời\s+gian\s+đăng|Đăng\s+lúc|date)\s*:?\s*", regex.IGNORECASE)
# a line holding only a date and a time ("26/03/2025 09:21"), as a byline prints it
_BARE_DATE_LINE = regex.compile(r"\s*(?:\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})"
                           r"(?:\s*[-|,]?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                           r"(?:\s*(?:\(?GMT\+7\)?|\[GMT\+7\]))?\s*")


def _head_lines(text: str, n: int = _HEAD_LINES) -> Iterator[tuple[int, str]]:
    """(offset, line) of the first ``n`` non-blank lines."""
    pos = 0
    seen = 0
    for line in text.split("\n"):
        s = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        seen += 1
        if seen > n:
            return
        yield s, line


def _date_in(line: str, start: int) -> tuple[str, Span] | None:
    for pat in (EN_DATE, ISO_DATE, NUMERIC_DATE, LONG_DATE):
        m = pat.search(line, start)
        date = date_from_match(m) if m else None
        if m and date:
            return date, Span(m.group(0), m.start(), m.end())
    return None


def find_post_date(text: str) -> tuple[str, Span] | None:
    """A news post's own date: a labelled one (``Ngày đăng: 25/02/2021``) near the
    top, else a line that holds only a date, else a short byline line in the first
    few lines (a page's banner date ``Thứ 5, Ngày 22/04/2021`` loses to a label)."""
    for s, line in _head_lines(text):
        label = _DATE_LABEL.search(line, 0, 60)
        found = _date_in(line, label.end()) if label else None
        if found and found[1].start - label.end() <= 2:
            return found[0], Span(found[1].text, s + found[1].start, s + found[1].end)
    lines = [(s, line) for s, line in _head_lines(text) if len(line.strip()) <= 100]
    first = lines[0][0] if lines else 0
    for s, line in lines:
        bare = _BARE_DATE_LINE.fullmatch(line)
        found = _date_in(line, 0)
        if found and (bare or (_nth_line(text, first, s) < _BYLINE_LINES
                               and len(line[:found[1].start].split()) <= _BYLINE_WORDS)):
            return found[0], Span(found[1].text, s + found[1].start, s + found[1].end)
    return None


def _nth_line(text: str, first: int, at: int) -> int:
    """How many non-blank lines stand between ``first`` and ``at``."""
    return sum(1 for line in text[first:at].split("\n") if line.strip())


_NOT_TITLE_LINE = regex.compile(
    r"(?:Site\s+icon|Đường\s+dây\s+nóng|Hotline|Trang\s+chủ|Chia\s+sẻ|Xem\s+thêm)", regex.IGNORECASE)
_VIETNAMESE = regex.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                            regex.IGNORECASE)
_PLACE_DATE_LINE = regex.compile(r"\s*[\p{L} .]{2,40},\s*ngày\s[^\n]{0,40}\d{4}\s*")
_LEADING_DATE = regex.compile(r"(?:date\s+)?\d{4}-\d{2}-\d{2}\s+|(?:date\s+)?\d{1,2}/\d{1,2}/\d{4}\s+")


def find_post_title(text: str, captions: Sequence[Span] = ()) -> Span | None:
    """The title of a news post: the first line near the top that reads as one. A
    site's banner (upper case), a line with no Vietnamese letter, a caption, a date
    or place-and-date line and page furniture are passed over; a first sentence
    (it ends with a full stop) means the post prints no title."""
    caption_starts = {c.start for c in captions}
    for s, line in _head_lines(text):
        stripped = line.strip()
        off = s + line.index(stripped)
        lead = _LEADING_DATE.match(stripped)
        if lead:  # "date 2026-02-02 Tập trung ...": the crawler's date before the title
            off += lead.end()
            stripped = stripped[lead.end():]
        if (s in caption_starts or _caption_like(stripped) or stripped.isupper()
                or not _VIETNAMESE.search(stripped) or _NOT_TITLE_LINE.match(stripped)
                or _BARE_DATE_LINE.fullmatch(stripped) or _PLACE_DATE_LINE.fullmatch(stripped)
                or _DATE_LABEL.match(stripped) or find_post_date(stripped) and len(stripped) < 60):
            continue
        if len(stripped) > 250 or stripped.endswith((".", ":")):
            return None
        return Span(stripped, off, off + len(stripped))
    return None


def _caption_like(line: str) -> bool:
    from .segment import is_caption  # segment imports nothing from here

    return is_caption(line)


def find_news_place(text: str) -> Span | None:
    """``Hải Phòng, ngày 28 tháng 02 năm 2020`` as a post's first line: its place."""
    for s, line in _head_lines(text, 2):
        if _PLACE_DATE_LINE.fullmatch(line) and _DATE_LINE_PLACE.match(line):
            place = _place_before(text, s + line.index(","))
            if place is not None:
                return place
    return None


_DATE_LINE_PLACE = regex.compile(r"\s*\p{Lu}")


_ABOUT = regex.compile(r"\s(?:về\s+việc|về)\s+(?P<s>[^.\n]+)")


def find_cited_subject(text: str, refs: list[Reference]) -> Span | None:
    """``Kế hoạch số 78/KH-BCĐ về việc triển khai ...``: the reported document's subject."""
    for ref in refs:
        m = _ABOUT.match(text, ref.end)
        if m:
            return Span(m.group("s").strip(), m.start("s"), m.start("s") + len(m.group("s").strip()))
    return None


# ---------------------------------------------------------------- references

_BEFORE_NUMBER = regex.compile(r"(?:s[ốoỐO]|SỐ)\s*:?\s*$")
_AFTER_DATE = regex.compile(
    r"\s*,?\s*(?:(?:ban hành\s+)?ngày\s*(?P<long>" + LONG_DATE.pattern.replace("ngày", "", 1) + r")"
    r"|(?:ban hành\s+)?ngày\s*(?P<num>" + NUMERIC_DATE.pattern + r")"
    r"|(?P<numonly>" + NUMERIC_DATE.pattern.replace("(?P<", "(?P<n") + r")"
    r"|năm\s+(?P<year>\d{4})(?![\d/]))",
    regex.IGNORECASE,
)
_ISSUER_OF = regex.compile(r"\s*(?:của|do)\s+(?P<issuer>[^\n;“\"(]{2,160})")


def find_references(text: str, own: NumberSymbol | None) -> list[Reference]:
    """Every ``<type> [name] số N/SYMBOL [ngày ...] [của X]`` in the text, as printed."""
    refs: list[Reference] = []
    for m in number_symbols(text):
        ns = split_number_symbol(m)
        doc_type, cue_start = _cited_type(text, m.start(), ns.symbol or "")
        if doc_type is None:
            continue
        if own and own.start == m.start():
            continue
        if own and own.number and resolve.same_document(own.number, own.symbol, ns.number, ns.symbol):
            continue
        if _is_form_number(text, cue_start):
            continue
        date, date_end = _cited_date(text, m.end())
        if date is None:
            date = _date_opening_sentence(text, cue_start)
        issuer = _cited_issuer(text, date_end)
        refs.append(Reference(
            doc_type=doc_type, number=ns.number, symbol=ns.symbol or "", date=date,
            issuer=issuer, text=text[cue_start:date_end], start=cue_start, end=date_end,
            stage="find",
        ))
    if "số" in text:
        refs += _by_number_only(text, own)
        refs.sort(key=lambda r: r.start)
    return refs


_NUMBER_ONLY = regex.compile(r"(?<![\p{L}])số\s+(?P<number>\d{1,5})(?![\d.,]|[a-z]?\s*[/-])")


def _by_number_only(text: str, own: NumberSymbol | None) -> list[Reference]:
    """``Chỉ thị số 21 của Thủ tướng Chính phủ``: a document of a named type cited by
    its number alone (no symbol)."""
    out = []
    for m in _NUMBER_ONLY.finditer(text):
        if own is not None and own.start <= m.start("number") < own.end:
            continue
        lo = max(0, m.start() - 40)
        types = list(type_word().finditer(text, lo, m.start()))
        if not types or text[types[-1].end():m.start()].strip():
            continue  # the type stands right before "số"
        t = types[-1]
        if not t.group("type")[0].isupper() or _is_form_number(text, t.start()):
            continue
        name = type_names()[t.group("type").lower()]
        if name in ("Công văn", "Luật", "Lệnh"):
            continue
        date, date_end = _cited_date(text, m.end())
        issuer = _cited_issuer(text, date_end)
        out.append(Reference(
            doc_type=name, number=str(int(m.group("number"))), symbol="", date=date, issuer=issuer,
            text=text[t.start():date_end], start=t.start(), end=date_end, stage="find"))
    return out


def _cited_type(text: str, at: int, symbol: str) -> tuple[str | None, int]:
    """The type of a cited number, from the words before it or its type code.

    A number counts as a citation only when ``số`` or a type name stands right
    before it (``Ban Chỉ đạo 389/CP`` is a body's name, not a citation).
    """
    lo = max(0, at - 140)  # bounded: a long line must not be scanned back at each number
    line_start = max(text.rfind("\n", lo, at) + 1, lo)
    if not text[line_start:at].strip() and line_start > lo:
        # "Thực hiện Quyết định số\n1452/QĐ-TTg": a hard wrap before the number
        line_start = max(text.rfind("\n", lo, line_start - 1) + 1, lo)
    window = text[line_start:at]
    types = list(type_word().finditer(window))
    code_type = _type_from_code(symbol)
    if types:
        t = types[-1]
        between = window[t.end():]
        name = type_names()[t.group("type").lower()]
        if between.strip() == "":
            return name, line_start + t.start()
        if _BEFORE_NUMBER.search(between) and len(between) <= 100 and not _CLAUSE_MARK.search(between[:-6]):
            # "Luật Hải quan số 29/2001/QH10": the type stands before the name.
            if t.group("type")[0].isupper() or between.strip().lower() in ("số", "số:"):
                return name, line_start + t.start()
    sm = _BEFORE_NUMBER.search(window)
    if sm:
        return code_type or "Công văn", line_start + sm.start()
    if code_type and _LAW_SYMBOL.match(symbol):
        # "08/2022/NĐ-CP" in a table cell: the year form is a citation by itself
        return code_type, at
    return None, at


_LAW_SYMBOL = regex.compile(r"\d{4}/\p{Lu}")
_CLAUSE_MARK = regex.compile(r"[;.:]\s")
_CODE_SEPARATOR = regex.compile(r"[-/–]")


def _is_form_number(text: str, cue_start: int) -> bool:
    """``theo mẫu số 03/KBS/GSQL``: a form's number, not a cited document."""
    before = text[max(0, cue_start - 20):cue_start]
    return bool(_not_citation_cue().search(before))


@lru_cache(maxsize=1)
def _not_citation_cue() -> regex.Pattern:
    cues = "|".join(regex.escape(c) for c in word_list("not_citation_cues.txt"))
    return regex.compile(rf"(?<![\p{{L}}])(?:{cues})\s*$")


_SENTENCE_DATE = regex.compile(
    r"(?:(?<![\p{L}])(?:Ngày|Vào ngày|Hôm)|(?<=;\s*)ngày)\s+(?P<d>" + NUMERIC_DATE.pattern.replace("(?P<", "(?P<s")
    + r"|" + LONG_DATE.pattern.replace("ngày", "", 1).replace("(?P<", "(?P<l") + r")\s*,?"
)
_ISSUED = regex.compile(r"(?<![\p{L}])(?:ban hành|đã ra|ra|ký|phát hành|có công văn|có văn bản)(?![\p{L}])")


# characters looked back for the opening date: a run-on text without full stops
# would otherwise be scanned from its start at every citation (quadratic)
_SENTENCE_REACH = 1000


def _date_opening_sentence(text: str, cue_start: int) -> str | None:
    """``Ngày 7/6/2019, Ban Chỉ đạo ... đã ban hành Kế hoạch số 78/KH-BCĐ``: the
    date that opens the sentence is the cited document's date."""
    lo = max(0, cue_start - _SENTENCE_REACH)
    period = text.rfind(". ", lo, cue_start)
    start = max(period + 2 if period >= 0 else lo, text.rfind("\n", lo, cue_start) + 1)
    found = list(_SENTENCE_DATE.finditer(text, start, cue_start))
    m = found[-1] if found else None
    if not m or not _ISSUED.search(text, m.end(), cue_start):
        return None
    g = m.groupdict()
    if g.get("sy"):
        return iso_date(g["sy"], g.get("sm"), g.get("sd"))
    return iso_date(g.get("ly"), g.get("lm"), g.get("ld"))


_SENTENCE_DAY_MONTH = regex.compile(
    r"(?<![\p{L}])(?:Ngày|Vào ngày|Hôm)\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])\s*,?")


def dated_by_document(text: str, refs: list[Reference], doc_date: str | None) -> list[Reference]:
    """``Ngày 15/12, Sở GD&ĐT ban hành Kế hoạch số 80/KH-SGD&ĐT``: a day and month
    opening the sentence date the cited document in the year of the text's own date
    (the year before when that day would come after the text)."""
    if not doc_date or len(doc_date) < 4:
        return refs
    out = []
    for ref in refs:
        if ref.date is None:
            lo = max(0, ref.start - _SENTENCE_REACH)
            period = text.rfind(". ", lo, ref.start)
            start = max(period + 2 if period >= 0 else lo, text.rfind("\n", lo, ref.start) + 1)
            found = list(_SENTENCE_DAY_MONTH.finditer(text, start, ref.start))
            if found and _ISSUED.search(text, found[-1].end(), ref.start):
                m = found[-1]
                year = int(doc_date[:4])
                date = iso_date(str(year), m.group("m"), m.group("d"))
                if date and len(doc_date) == 10 and date > doc_date:
                    date = iso_date(str(year - 1), m.group("m"), m.group("d"))
                if date:
                    ref = replace(ref, date=date)
        out.append(ref)
    return out


def _type_from_code(symbol: str) -> str | None:
    parts = [p for p in _CODE_SEPARATOR.split(symbol) if p and not p.isdigit()]
    codes = type_codes()
    for part in parts[:2]:
        if part.upper() in codes:
            return codes[part.upper()]
    return None


def _cited_date(text: str, at: int) -> tuple[str | None, int]:
    m = _AFTER_DATE.match(text, at)
    if not m:
        return None, at
    g = m.groupdict()
    if g.get("long") is not None:
        return iso_date(g.get("y"), g.get("m"), g.get("d")), m.end()
    if g.get("num") is not None:
        return iso_date(g.get("y"), g.get("m"), g.get("d")), m.end()
    if g.get("numonly") is not None:
        return iso_date(g.get("ny"), g.get("nm"), g.get("nd")), m.end()
    if g.get("year"):
        return g["year"], m.end()
    return None, at


def _cited_issuer(text: str, at: int) -> str | None:
    m = _ISSUER_OF.match(text, at)
    if not m:
        return None
    return resolve.trim_issuer(m.group("issuer"))


# ---------------------------------------------------------------- recipients

_SKIP_ENTRY = regex.compile(r"^(?:Như\s+(?:trên|Điều\s*\d+|điều\s*\d+|Điều|điều)|Lưu\b|Lưu\s*:)", regex.IGNORECASE)
# entries are cut at a bullet opening a line, at ";" and at a table's bar ("Kính gửi: |
# - Bộ Lao động - Thương binh và Xã hội; |" where a converter kept the layout table)
_ITEM_SPLIT = regex.compile(r"(?m)^[ \t]*[-–+•][ \t]*|;[ \t]*|[ \t]*\|[ \t]*(?:[-–+•][ \t]+)?")
# A zone run together on one line ("Nơi nhận: - Như trên; - Sở A; - Lưu: VT."):
# bullets inside the line separate entries too.
_INLINE_ITEM_SPLIT = regex.compile(r"(?m)^[ \t]*[-–+•][ \t]*|;[ \t]*(?:[-–+•][ \t]+)?|[ \t]*\|[ \t]*(?:[-–+•][ \t]+)?"
                                   r"|(?<=\S)[ \t]+[-–+•][ \t]+(?=\p{Lu})")


def find_recipients(text: str, zones: Zones) -> list[Recipient]:
    out: list[Recipient] = []
    if zones.kinh_gui is not None:
        out.extend(_entries(text, zones.kinh_gui, "to"))
    if zones.noi_nhan is not None:
        out.extend(_entries(text, zones.noi_nhan, "cc"))
    return out


def _entries(text: str, span: Span, kind: str) -> list[Recipient]:
    out: list[Recipient] = []
    pieces = []
    pos = span.start
    splitter = _ITEM_SPLIT if "\n" in text[span.start:span.end].strip() else _INLINE_ITEM_SPLIT
    from .names import known  # the dash of "Lao động - Thương binh" cuts no entry

    inside = SpanSet((k.start, k.end) for k in known(text, span.start, span.end))
    for m in splitter.finditer(text, span.start, span.end):
        if inside.holds(m.start()):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, span.end))
    for s, e in pieces:
        raw = text[s:e]
        if not raw.strip(" \t\n.,;:-–"):
            continue
        # trim whitespace, a bullet and trailing punctuation, keep offsets exact
        while s < e and text[s] in " \t\n:-–+•":
            s += 1
        while e > s and text[e - 1] in " \t\n.,;":
            e -= 1
        entry = text[s:e]
        if _SKIP_ENTRY.match(entry):
            continue
        cut = SIGN_MARKER.search(entry)
        if cut and cut.start() == 0:
            break  # the signature ("KT. BỘ TRƯỞNG") beside the list: no entry after it
        if cut and cut.start() > 0:
            e = s + cut.start()
            while e > s and text[e - 1] in " \t\n.,;":
                e -= 1
            entry = text[s:e]
        for name, (ps, pe), note in resolve.recipient_names(entry):
            out.append(Recipient(name=name, kind=kind, text=text[s + ps:s + pe],
                                 start=s + ps, end=s + pe, note=note))
    return out


# ---------------------------------------------------------------- the header as a whole

def find_document(text: str, zones: Zones) -> tuple[DocumentInfo, NumberSymbol | None]:
    info = DocumentInfo()
    own = find_number(text, zones)
    if own is not None:
        if own.number is not None:
            info.number = _field(own.number, text[own.start:own.end], own.start, own.end)
        if own.symbol:
            info.symbol = _field(own.symbol, text[own.start:own.end], own.start, own.end)
    return info, own
