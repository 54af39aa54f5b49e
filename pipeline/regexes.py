"""Compiled patterns shared by the finders, built once from the knowledge files."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from .knowledge import doc_types, word_list
from .models import occurrences  # noqa: F401 (the finders import it from here)

# A code segment of a number symbol: upper case with digits and '&', and a few
# mixed-case codes (TTr, CTr, TTg, QyĐ, Ttra): at most three lower-case letters.
CODE = r"(?:\p{Lu}[\p{Lu}\d&]*(?:[a-zđy]{1,3}[\p{Lu}\d]*)?)"
# New forms: 124/KH-UBND, 30/2020/NĐ-CP, 1989/V11 -TTTTBC, 299/TTg.
NEW_SYMBOL = rf"(?:\d{{4}}/)?{CODE}(?:[ ]?[-–][ ]?{CODE}|/{CODE}|\.{CODE})*"
# Party and older forms: 119-KH/TU, 37-CT/TW, 169-CP, 119- KH/TU.
OLD_SYMBOL = rf"{CODE}(?:/{CODE})?"

# a converter may glue the next word to a symbol ("178/BNN-ĐĐngày 21 tháng 01"): the
# symbol ends before these words as before a space
_GLUED_NEXT = r"(?:ngày|của|về|năm|do|tại|và|ban|được|gửi|V/v|v/v)(?!\p{Ll})"
NUMBER_SYMBOL = regex.compile(
    rf"(?<![\p{{L}}\d/.-])(?P<number>\d{{1,6}})[a-z]?"
    rf"(?:\s?/\s?(?P<new>{NEW_SYMBOL})|\s?-\s?(?P<old>{OLD_SYMBOL}))"
    rf"(?:(?![\p{{L}}\d&])|(?={_GLUED_NEXT}))"
)


@lru_cache(maxsize=2)
def number_symbols(text: str) -> tuple[regex.Match, ...]:
    """Every ``NUMBER_SYMBOL`` in ``text``: found once for the stages that all read them
    (citations, cited titles), not once per stage."""
    return tuple(NUMBER_SYMBOL.finditer(text))


# A header number with a blank number: "Số:    /STTTT-TTBCXB".
BLANK_NUMBER = regex.compile(rf"^\s*/\s?(?P<new>{NEW_SYMBOL})(?![\p{{L}}\d&])")

# "ngày 16 tháng 7 năm 2019", with blanks that drafts leave ("ngày   tháng 7 năm 2019").
_BLANK = r"[\s._…]*"
LONG_DATE = regex.compile(
    rf"ngày{_BLANK}(?P<d>\d{{1,2}})?{_BLANK}tháng{_BLANK}(?P<m>\d{{1,2}})?{_BLANK}năm\s*(?P<y>\d{{4}})",
    regex.IGNORECASE,
)
NUMERIC_DATE = regex.compile(
    r"(?<![\d/])(?P<d>\d{1,2})\s?[/.-]\s?(?P<m>\d{1,2})\s?[/.-]\s?(?P<y>\d{4})(?![\d/])"
)
EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july",
             "august", "september", "october", "november", "december")
EN_DATE = regex.compile(
    rf"(?P<d>\d{{1,2}})\s+(?P<mon>{'|'.join(EN_MONTHS)})\s+(?P<y>\d{{4}})", regex.IGNORECASE
)

# "KT.", "TM.", "TL.", "TUQ.", "Q.", "K/T": the dot or slash is required, so unit
# codes in a list ("TST, TCKT, KTNB") are not taken for a signing marker.
SIGN_MARKER = regex.compile(
    r"(?<![\p{L}&-])(?:(?:KT|TM|TL|TUQ|Q)\.|K/T|T/M|T/L)(?=\s*\p{Lu}\p{Lu})"
)


def iso_date(y: str | None, m: str | None = None, d: str | None = None) -> str | None:
    """ISO 8601 cut to the precision printed; None for an impossible date."""
    if not y:
        return None
    year = int(y)
    if not m:
        return f"{year:04d}"
    month = int(m)
    if not 1 <= month <= 12:
        return None
    if not d:
        return f"{year:04d}-{month:02d}"
    day = int(d)
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_from_match(m: regex.Match) -> str | None:
    groups = m.groupdict()
    if groups.get("mon"):
        month = EN_MONTHS.index(groups["mon"].lower()) + 1
        return iso_date(groups["y"], str(month), groups["d"])
    return iso_date(groups.get("y"), groups.get("m"), groups.get("d"))


@lru_cache(maxsize=1)
def type_names() -> dict[str, str]:
    """Lower-case type name -> canonical type name."""
    return {row["name"].lower(): row["name"] for row in doc_types()}


@lru_cache(maxsize=1)
def type_codes() -> dict[str, str]:
    """Type code (and old codes) -> canonical type name."""
    out: dict[str, str] = {}
    for row in doc_types():
        for code in [row["code"], *row["old_codes"].split(",")]:
            code = code.strip()
            if code:
                out.setdefault(code.upper(), row["name"])
    return out


@lru_cache(maxsize=1)
def type_word() -> regex.Pattern:
    """Any document type name, longest first, case-insensitive, as a whole word."""
    names = sorted(type_names(), key=len, reverse=True)
    alt = "|".join(regex.escape(n) for n in names)
    return regex.compile(rf"(?<![\p{{L}}])(?P<type>{alt})(?![\p{{L}}])", regex.IGNORECASE)


@lru_cache(maxsize=1)
def agency_head() -> regex.Pattern:
    """Words that open the name of a body, e.g. ``Sở``, ``Ủy ban nhân dân``."""
    alt = "|".join(regex.escape(w) for w in word_list("agency_heads.txt"))
    return regex.compile(rf"(?<![\p{{L}}])(?:{alt})(?![\p{{L}}])")


@lru_cache(maxsize=2)  # the finders of one document each scan its lower-cased text
def lowered(text: str) -> str:
    """``text.lower()``, computed once per document."""
    return text.lower()


def matches_at(pattern: regex.Pattern, text: str, spots: Iterable[int],
               endpos: int | None = None) -> list[regex.Match]:
    """What ``pattern.finditer(text, 0, endpos)`` gives, trying the pattern only at
    candidate ``spots`` (every place a match can start), in order and without
    overlaps. An empty match hands over to ``finditer``, whose stepping past it
    this does not copy."""
    endpos = len(text) if endpos is None else endpos
    out: list[regex.Match] = []
    end = 0
    for pos in sorted(spots):
        if pos >= endpos:
            break
        if pos >= end:
            m = pattern.match(text, pos, endpos)
            if m:
                if m.end() == pos:
                    return list(pattern.finditer(text, 0, endpos))
                out.append(m)
                end = m.end()
    return out
