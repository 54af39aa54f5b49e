"""Segment a cleaned dispatch into zones, numbered sections and sentences.

Zones follow the layout of ADMIN_DOCS.md: header (issuer block, number, place
and date, type title, subject), ``Kính gửi``, body (grounds, numbered
sections, closing), ``Nơi nhận``, signature. Converted texts often run the
header together on one line, so zones are found by their cue words, not by
line numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .knowledge import table, word_list
from .models import Breaks, Span

MOTTO = regex.compile(
    r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc"
    r"|ĐỘC\s+LẬP\s*[-–]\s*TỰ\s+DO\s*[-–]\s*HẠNH\s+PHÚC",
    regex.IGNORECASE,
)
NUMBER_LINE = regex.compile(r"(?<![\p{L}])Số\s*:")
KINH_GUI = regex.compile(r"(?<![\p{L}])Kính\s+gửi[ \t]*:?", regex.IGNORECASE)
# a telegram (Công điện) names its addressees after "THỦ TƯỚNG CHÍNH PHỦ ĐIỆN:"
TELEGRAM_TO = regex.compile(r"(?m)^[ \t]*\p{Lu}[\p{Lu} \t]{2,80}(?<=\s)ĐIỆN[ \t]*:")
NOI_NHAN = regex.compile(r"(?<![\p{L}])(?:Nơi|NƠI)\s+(?:nhận|NHẬN)(?:[ \t]*:|(?=[ \t]*\n))")
BULLET_LINE = regex.compile(r"^[ \t]*[-–+•]")
SECTION_HEAD = regex.compile(
    r"(?m)^[ \t]*(?P<num>(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]|Điều\s+\d+\.?)[ \t]+(?P<heading>[^\n]*)"
)
SENTENCE_END = regex.compile(r"(?<=[.!?;])\s+(?=[\p{Lu}\d“\"(-])|\n\s*\n|(?<=\S)\n(?=\s*(?:[-–+•]|\d+\.|[a-zđ]\)))"
                             r"|(?<=:)[ \t]*\n(?=[ \t]*\p{Lu})")
# A sentence end begins right after ".!?;" or at a line break: the pattern is tried
# only there (a scan of every position is several times slower).
_SENTENCE_END_AFTER = re.compile(r"[.!?;:\n]")

HEADER_WINDOW = 3000  # the header of a dispatch sits in its first few thousand chars


@dataclass(frozen=True)
class Table:
    """A task table whose cells a converter printed one a line (or between lines
    holding only ``|``): its header cells and its rows, each cell under its header
    cell (an empty span where a row has no cell for a column)."""

    header: tuple[Span, ...]
    roles: tuple[str, ...]  # role of each column: index, task, lead, support, time, other
    rows: tuple[tuple[Span, ...], ...]
    start: int
    end: int

    def column(self, role: str) -> list[Span]:
        """The cells of the columns with ``role``, row by row."""
        return [row[i] for row in self.rows for i, r in enumerate(self.roles)
                if r == role and row[i].end > row[i].start]


@dataclass
class Zones:
    text: str
    has_header: bool  # an administrative header (number line or national motto)
    motto: Span | None = None
    number_line: Span | None = None  # the "Số:" cue
    kinh_gui: Span | None = None  # the entries after the cue
    noi_nhan: Span | None = None  # the entries after the cue
    signature: Span | None = None
    sections: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    captions: list[Span] = field(default_factory=list)  # photo captions of a news post
    tables: list[Table] = field(default_factory=list)  # flattened task tables


def segment(text: str) -> Zones:
    head = text[:HEADER_WINDOW]
    motto = MOTTO.search(head)
    number = _number_line(head)
    zones = Zones(text=text, has_header=bool(motto or number))
    if motto:
        zones.motto = Span(motto.group(0), motto.start(), motto.end())
    if number:
        zones.number_line = Span(number.group(0), number.start(), number.end())
    zones.kinh_gui = _kinh_gui(text)
    zones.noi_nhan = _noi_nhan(text)
    zones.signature = _signature_area(text, zones)
    zones.sections = [Span(m.group(0), m.start(), m.end()) for m in _at_line_starts(SECTION_HEAD, text)]
    zones.sentences = list(sentences(text))
    zones.captions = _captions(text)
    zones.tables = flat_tables(text)
    return zones


@lru_cache(maxsize=1)
def _caption_line() -> regex.Pattern:
    return regex.compile("|".join(f"(?:{p})" for p in word_list("captions.txt")))


_CAPTION_CUE = regex.compile(r"Ảnh|ẢNH")


def is_caption(line: str) -> bool:
    """One line read as a photo caption (``models/captions.txt``)."""
    return ("Ảnh" in line or "ẢNH" in line) and _caption_line().fullmatch(line) is not None


def _captions(text: str) -> list[Span]:
    """Lines that caption a photo (``... cửa khẩu. Ảnh: Hoàng Lan``); only lines with
    the word ``Ảnh`` are tried."""
    out: list[Span] = []
    lines: Breaks | None = None  # built at the first cue: most texts have none
    for cue in _CAPTION_CUE.finditer(text):
        lines = Breaks(text) if lines is None else lines
        start = lines.start_of(cue.start())
        if out and out[-1].start == start:
            continue
        end = lines.end_of(cue.end())
        if end - start <= 400 and _caption_line().fullmatch(text, start, end):
            out.append(Span(text[start:end], start, end))
    return out


def _number_line(head: str) -> regex.Match | None:
    """The ``Số:`` cue of the text's own number: the first one a number or symbol
    follows (a page's clutter may print ``Số: 328tải về`` above the real one)."""
    from .regexes import BLANK_NUMBER, NUMBER_SYMBOL

    first = None
    for m in NUMBER_LINE.finditer(head):
        first = first or m
        rest = head[m.end():m.end() + 80]
        if NUMBER_SYMBOL.match(rest.lstrip()) or BLANK_NUMBER.match(rest):
            return m
    return first


def _bullet_block(text: str, start: int, stop_words: regex.Pattern | None = None) -> int:
    """End of a run of bullet lines that begins at ``start`` (blank lines allowed); a
    line with no bullet right after one goes on with its entry when it is short and no
    authority line (``- VPCP: ...; các PCN: Nguyễn Quang Thắng,`` / ``Nguyễn Văn Tùng;``)."""
    pos = start
    end = start
    bulleted = False
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl
        line = text[pos:line_end]
        if line.strip() == "":
            pos = line_end + 1
            continue
        if not BULLET_LINE.match(line) and not (bulleted and _goes_on(text, end, line)):
            break
        bulleted = True
        end = line_end
        pos = line_end + 1
        if stop_words and stop_words.match(line.strip(" -–+•\t")):
            break
    return end


def _kinh_gui(text: str) -> Span | None:
    m = KINH_GUI.search(text[:HEADER_WINDOW]) or TELEGRAM_TO.search(text[:HEADER_WINDOW])
    if not m:
        return None
    nl = text.find("\n", m.end())
    line_end = len(text) if nl < 0 else nl
    rest = text[m.end():line_end]
    if rest.strip(" \t-–:"):
        end = _body_opening(text, m.end(), line_end)
        first = rest.strip(" \t:")
        if end == line_end and nl >= 0 and (first[:1] in "-–+•" or first.endswith((";", ","))):
            # "Kính gửi: - Bộ Công an" / "Kính gửi: Bộ Công an;" then an entry a line
            end = max(end, _bullet_block(text, line_end + 1))
        return Span(text[m.end():end], m.end(), end)
    end = _bullet_block(text, line_end + 1 if nl >= 0 else line_end)
    if end <= line_end:
        return None
    return Span(text[m.end():end], m.end(), end)


@lru_cache(maxsize=1)
def _opener() -> regex.Pattern:
    openers = "|".join(regex.escape(w) for w in word_list("body_openers.txt"))
    return regex.compile(rf"(?<![\p{{L}}])(?:{openers})(?![\p{{L}}])")


def _body_opening(text: str, start: int, end: int) -> int:
    """``Kính gửi: Tổng công ty X (PV GAS) Phúc đáp Công văn ...`` on one line: the
    addressees end where the body opens."""
    m = _opener().search(text, start, end)
    return m.start() if m and m.start() > start + 2 else end


_LUU = regex.compile(r"Lưu\b", regex.IGNORECASE)
_AUTHORITY_LINE = regex.compile(r"\s*(?:\d*(?:KT|TM|TL|TUQ|Q)\.|\p{Lu}{2,}\s+\p{Lu}{2,})")


def _goes_on(text: str, prev_end: int, line: str) -> bool:
    """``line`` continues the entry that ends at ``prev_end``."""
    prev = text[text.rfind("\n", 0, prev_end) + 1:prev_end].rstrip()
    return (len(line.strip()) <= 120 and not _AUTHORITY_LINE.match(line)
            and (prev.endswith((",", ":")) or line.lstrip()[:1].islower()))


def _noi_nhan(text: str) -> Span | None:
    found = [m for m in NOI_NHAN.finditer(text)]
    if not found:
        return None
    m = found[0]
    nl = text.find("\n", m.end())
    line_end = len(text) if nl < 0 else nl
    rest = text[m.end():line_end]
    if rest.strip(" \t:") and not rest.strip().startswith(("-", "–", "+")):
        return Span(rest, m.end(), line_end)
    end = _bullet_block(text, m.end(), stop_words=_LUU)
    if end <= m.end():
        return None
    return Span(text[m.end():end], m.end(), end)


_CLOSING = regex.compile(r"\./\.|Trân\s+trọng\s*\./?\.?")


def _signature_area(text: str, zones: Zones) -> Span | None:
    """Where the signature block is: after Nơi nhận, else after the closing ``./.``."""
    closing = _CLOSING.search(text) if zones.noi_nhan is None else None
    if zones.noi_nhan is not None:
        # the archive line ("Lưu: VT, KTTH (2b). Minh Anh BỘ TRƯỞNG ...") may
        # carry the signature on the same line
        start = text.rfind("\n", zones.noi_nhan.start, zones.noi_nhan.end) + 1 or zones.noi_nhan.start
    elif closing:
        start = closing.end()
    else:
        start = max(0, len(text) - 400)
    end = min(len(text), start + 600)
    return Span(text[start:end], start, end)


def sentences(text: str, start: int = 0, end: int | None = None):
    """Sentence spans: split at sentence punctuation, blank lines and list items."""
    end = len(text) if end is None else end
    pos = start
    for m in _sentence_ends(text, start, end):
        if text[pos:m.start()].strip():
            yield _trimmed(text, pos, m.start())
        pos = m.end()
    if text[pos:end].strip():
        yield _trimmed(text, pos, end)


def _at_line_starts(pattern: regex.Pattern, text: str) -> list[regex.Match]:
    """The matches of ``pattern.finditer(text)`` for a pattern that opens with ``(?m)^``
    and never matches empty, tried only at line starts."""
    out: list[regex.Match] = []
    pos = last = 0
    while pos >= 0:
        if pos >= last:
            m = pattern.match(text, pos)
            if m:
                out.append(m)
                last = m.end()
        nl = text.find("\n", pos)
        pos = nl + 1 if nl >= 0 else -1
    return out


def _sentence_ends(text: str, start: int, end: int) -> list[regex.Match]:
    """The matches of ``SENTENCE_END.finditer(text, start, end)``, tried only where
    one can begin."""
    out: list[regex.Match] = []
    last = start
    first = SENTENCE_END.match(text, start, end)  # after a ".!?;" printed before ``start``
    if first:
        out.append(first)
        last = first.end()
    for c in _SENTENCE_END_AFTER.finditer(text, start, end):
        pos = c.start() if c.group() == "\n" else c.end()
        if pos >= last and pos > start:
            m = SENTENCE_END.match(text, pos, end)
            if m:
                out.append(m)
                last = m.end()
    return out


def _trimmed(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Span(text[s:e], s, e)


# ---------------------------------------------------------------- flattened tables

MAX_CELL = 600  # a longer line is prose: the table has ended


@lru_cache(maxsize=1)
def _header_cells() -> dict[str, str]:
    """Folded header label -> column role (``models/table_headers.tsv``)."""
    return {" ".join(r["label"].lower().split()): r["role"] for r in table("table_headers.tsv")}


_BAR_LINE = regex.compile(r"[ \t]*\|[ \t]*")
_INDEX_CELL = regex.compile(r"(?:\d{1,3}(?:\.\d{1,3})*|[IVXL]{1,5}|[a-zđ])[.)]?")
_CELL_LINE = regex.compile(r"[^\n]+")
# A line holding only a row-number label (``TT``, ``STT``, ``Số thứ tự``): one scan
# of the text, so a text with no line breaks costs no more than any other.
_INDEX_HEADER = regex.compile(r"(?im)^[ \t|:]*(?:s?tt|số[ \t]+tt|số[ \t]+thứ[ \t]+tự)[ \t|:]*$")


def _has_index_header(text: str) -> bool:
    return _INDEX_HEADER.search(text) is not None


def _cells(text: str) -> list[Span]:
    """The text as cells: one a line, or the lines between two lines holding only
    ``|`` (a table copied from a web page)."""
    out: list[Span] = []
    group: list[regex.Match] = []
    barred = False
    for m in _CELL_LINE.finditer(text):
        if _BAR_LINE.fullmatch(m.group(0)):
            if group:
                out.append(Span(text[group[0].start():group[-1].end()], group[0].start(), group[-1].end()))
            group, barred = [], True
            continue
        if m.group(0).strip():
            if barred:
                group.append(m)
            else:
                out.append(_trimmed(text, m.start(), m.end()))
    if group:
        out.append(Span(text[group[0].start():group[-1].end()], group[0].start(), group[-1].end()))
    return out


def _role(cell: Span) -> str | None:
    key = " ".join(cell.text.lower().replace("|", " ").split()).rstrip(":")
    return _header_cells().get(key) if len(key) <= 40 else None


def flat_tables(text: str) -> list[Table]:
    """Task tables printed one cell a line: a header of at least three known labels,
    one of them a body or time column (``TT | Nhiệm vụ | Cơ quan chủ trì | ...``),
    then rows that each open with their number. Only lines that may be a header
    label are tried, so a text without one costs one scan."""
    if not _has_index_header(text):
        return []  # every such table opens with its row-number column ("TT", "STT")
    cells = _cells(text)
    out: list[Table] = []
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and _role(cells[j]) is not None:
            j += 1
        roles = [_role(c) for c in cells[i:j]]
        if j - i >= 3 and roles[0] == "index" and any(r in ("lead", "support", "time") for r in roles):
            rows, k = _rows(cells, j, len(roles))
            if rows:
                header = tuple(cells[i:j])
                out.append(Table(header, tuple(r or "other" for r in roles),
                                 tuple(_aligned(r, roles) for r in rows),
                                 header[0].start, rows[-1][-1].end))
                i = k
                continue
        i = max(j, i + 1)
    return out


def _rows(cells: list[Span], start: int, n: int) -> tuple[list[list[Span]], int]:
    """The rows after a header: each opens with an index cell; a row that runs on past
    the header's width is prose after the table."""
    rows: list[list[Span]] = []
    k = start
    while k < len(cells) and _INDEX_CELL.fullmatch(cells[k].text):
        row = [cells[k]]
        k += 1
        while k < len(cells) and not _INDEX_CELL.fullmatch(cells[k].text) and len(row) < n \
                and len(cells[k].text) <= MAX_CELL and _role(cells[k]) is None \
                and not _AFTER_TABLE.match(cells[k].text):
            row.append(cells[k])
            k += 1
        rows.append(row)
    return rows, k


# what follows a table: the address block, a signature, a heading of the text
_AFTER_TABLE = regex.compile(r"(?:Nơi\s+nhận|NƠI\s+NHẬN|(?:KT|TM|TL|TUQ)\.\s|[IVX]+\.\s+\p{Lu}|PHỤ\s+LỤC)")


_TIME_CELL = regex.compile(
    r"(?i)(?:(?:trước|trong|từ|đến|hoàn thành|chậm nhất|cuối|đầu|cả)\s+)*"
    r"(?:(?:ngày|tháng|quý|năm)\s+[\dIVX]|\d{1,2}\s*/\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}(?:\s*[-–]\s*\d{4})?$"
    r"|(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(?:năm|quý|tháng|tuần)|thường xuyên)")


def _aligned(row: list[Span], roles: list[str | None]) -> tuple[Span, ...]:
    """The cells of a row under their header cells. A row with as many cells as the
    header is read in order; a shorter one (a converter drops empty cells) puts a
    time under the time column and the rest in order around it."""
    n = len(roles)
    empty = Span("", row[-1].end, row[-1].end)
    if len(row) >= n or "time" not in roles:
        return tuple(row[:n]) + (empty,) * max(0, n - len(row))
    out: list[Span] = [empty] * n
    at = roles.index("time")
    times = [i for i, c in enumerate(row) if i and len(c.text) <= 80 and _TIME_CELL.match(c.text.strip())]
    if not times:
        return tuple(row) + (empty,) * (n - len(row))
    t = times[-1]
    out[at] = row[t]
    for i, c in enumerate(row[:t][:at]):  # before the time: the columns before it, in order
        out[i] = c
    after = row[t + 1:]  # after it: the last columns
    for i, c in zip(range(n - len(after), n), after, strict=False):
        if i > at:
            out[i] = c
    return tuple(out)
