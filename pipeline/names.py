"""Where the name of a body begins and ends: one mechanism for every finder.

A dispatch names bodies in lists (``đề nghị Sở Y tế, Sở Giáo dục và Đào tạo, Công
an tỉnh chủ trì ...``), and the list ends where the predicate begins. A name is
either one of the long fixed names of the gazetteer (``models/bodies.tsv``: central
bodies, national committees, mass organisations, provincial and district bodies,
with their abbreviations), or follows the name grammar: a head (``Sở``, ``Ủy ban
nhân dân``, ``Ban Chỉ đạo``), its own words, then a place or scope (``tỉnh Lạng
Sơn``, ``các cấp``, ``trực thuộc Trung ương``). So:

- the words of a known name never end a list (``Bộ Giáo dục và Đào tạo`` holds the
  verb ``tạo``, ``Viện Hàn lâm Khoa học và Công nghệ Việt Nam`` a ``và``);
- after a known name only its scope, a separator or the next body goes on: any
  other word opens the predicate (``Công an tỉnh | là cơ quan thường trực``,
  ``Sở Y tế | lãnh đạo, chỉ đạo``);
- an unknown name runs to the first task verb (``models/task_verbs.txt``) or
  predicate word (``models/task_list_stops.txt``); only a long run-on list with
  neither is word-segmented and tagged (underthesea, ~0.02 MB/s), on a few
  clauses, not on every byte.

>>> text = "Bộ Giáo dục và Đào tạo chỉ đạo các trường"
>>> [k.body.name for k in known(text, 0, len(text))]
['Bộ Giáo dục và Đào tạo']
>>> text[:list_end(text, 0, len(text))[0]]
'Bộ Giáo dục và Đào tạo'
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from .clean import fold
from .knowledge import abbreviations, table, word_list
from .regexes import agency_head

# how far a list of bodies may run before we give up on finding its end
MAX_LIST = 400
# A list longer than this with no known task verb has probably run into its task:
# only then is the clause word-segmented and tagged.
RUN_ON = 120
TAG_SPAN = 240  # the verb of a run-on list is near its start: tag this much only


# ================================================================ the gazetteer


@dataclass(frozen=True)
class Body:
    """One row of ``models/bodies.tsv``."""

    name: str  # canonical spelling; provincial and district bodies without their place
    level: str  # central | province | district | commune
    abbreviations: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # codes in document symbols: "VPCP" in 2430/VPCP-VX
    parent: str | None = None  # a unit whose short forms mean it in the parent's documents


@dataclass(frozen=True)
class Known:
    """A gazetteer name found in a text."""

    start: int
    end: int
    body: Body


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split(";") if p.strip())


@lru_cache(maxsize=1)
def bodies() -> tuple[Body, ...]:
    return tuple(Body(r["name"], r["level"], _split(r["abbreviations"]), _split(r["codes"]),
                      r["parent"] or None)
                 for r in table("bodies.tsv"))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Body]:
    """Symbol code -> central body (``VPCP`` -> Văn phòng Chính phủ): codes of local
    bodies (``UBND``) name no one body and are not listed."""
    return {c: b for b in bodies() for c in b.codes if b.level == "central" and not b.parent}


_LEVEL_TAIL = regex.compile(r"\s+(?:tỉnh|huyện)$")
_VIET_NAM_TAIL = regex.compile(r"\s+Việt Nam$")


def _forms(body: Body) -> set[str]:
    """Printed forms of a body: its name, its abbreviations, the name without the
    place word a provincial name carries (``Công an`` of ``Công an tỉnh``: the
    place printed after it is its scope) or without ``Việt Nam``, and each of these
    with the abbreviations of ``abbreviations.tsv`` put in (``Sở GD&ĐT``)."""
    out = {body.name, *body.abbreviations}
    todo = list(out)
    while todo:  # "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" -> "... Việt Nam" -> "... Tổ quốc"
        form = todo.pop()
        for tail in (_LEVEL_TAIL, _VIET_NAM_TAIL):
            short = tail.sub("", form)
            if short != form and len(short.split()) >= 2 and short not in out:
                out.add(short)
                todo.append(short)
    table = _reverse_abbreviations()
    for _ in range(2):  # two abbreviations in one name: "Ủy ban MTTQ tỉnh"
        for form in list(out):
            for expanded, printed in table:
                if f" {expanded} " in f" {form} ":
                    out.add(f" {form} ".replace(f" {expanded} ", f" {printed} ").strip())
    return out


@lru_cache(maxsize=1)
def _reverse_abbreviations() -> tuple[tuple[str, str], ...]:
    """(expansion, printed) for the abbreviations of several words (``Ủy ban nhân
    dân`` -> ``UBND``); one-word ones (``TP``) would rewrite too much."""
    return tuple((exp, printed) for printed, exp in abbreviations().items()
                 if len(exp.split()) >= 2 and " " not in printed)


@dataclass(frozen=True)
class _Lexicon:
    trie: dict  # folded word -> {next word -> ..., _END: body}
    forms: int  # how many forms (for tests and figures)


_END = ""  # the trie key that marks a whole form (no folded word is empty)


@lru_cache(maxsize=4)
def _lexicon(scope: str | None) -> _Lexicon:
    """Every form of every body as a trie of folded words. Units of a parent body
    (``Vụ NC``) count only in ``scope``, the parent's own documents; their full
    names count everywhere. A form already taken keeps its first body."""
    trie: dict = {}
    n = 0
    for body in bodies():
        forms = _forms(body) if body.parent is None or body.parent == scope else {body.name}
        for form in sorted(forms):
            node = trie
            for word in fold(form).split():
                node = node.setdefault(word, {})
            if _END not in node:
                node[_END] = body
                n += 1
    return _Lexicon(trie, n)


# a word as folding sees it, and what may stand between two words of one name
_TOKEN = regex.compile(r"[^\s,.;:()\"“”'\-–—‐‑‒−]+")
_SOFT = regex.compile(r"[\s,.\-–—‐‑‒−]*")


@lru_cache(maxsize=512)  # the finders ask about the same list of a statement again and again
def known(text: str, start: int, end: int, scope: str | None = None) -> tuple[Known, ...]:
    """The gazetteer names in ``text[start:end]``, leftmost and longest, not
    overlapping. ``scope``: the issuer, whose own units' short forms then count.
    ``text`` is cleaned (one tone placement), so a word folds by ``lower()``."""
    out: list[Known] = []
    trie = _lexicon(scope).trie
    last = start
    for first in _CAPITAL_WORD.finditer(text, start, end):
        if first.start() < last:
            continue
        word = _TOKEN.match(text, first.start(), end)
        if word is None or word.group(0).lower() not in trie:
            continue
        k = _walk(scope, text, word, end)
        if k is not None:
            out.append(k)
            last = k.end
    return tuple(out)


# a name opens with a capital (``Sở``, ``UBND``): the scan tries the trie there only
_CAPITAL_WORD = regex.compile(r"(?<![\p{L}\d&/])\p{Lu}")


def known_at(text: str, pos: int, end: int | None = None, scope: str | None = None) -> Known | None:
    """The gazetteer name that opens at ``pos``, if any."""
    end = len(text) if end is None else end
    m = _TOKEN.match(text, pos, end)
    return _walk(scope, text, m, end) if m is not None else None


def _walk(scope: str | None, text: str, m: regex.Match, end: int) -> Known | None:
    """The longest form that opens with the word ``m`` and ends by ``end``."""
    for stop, body in reversed(_forms_at(scope, text, m.start(), m.end())):
        if stop <= end:
            return Known(m.start(), stop, body)
    return None


@lru_cache(maxsize=8192)  # the finders walk from the same words of a statement many times
def _forms_at(scope: str | None, text: str, start: int, word_end: int) -> tuple[tuple[int, Body], ...]:
    """(end, body) of every form that opens with the word at ``start``, shortest
    first; words of one name stand apart by spaces, commas, dots or dashes only, and
    never by a blank line."""
    out: list[tuple[int, Body]] = []
    node: dict = _lexicon(scope).trie
    m = _TOKEN.match(text, start, word_end)
    while m is not None:
        child = node.get(m.group(0).lower())
        if child is None:
            break
        node = child
        if _END in node:
            out.append((m.end(), node[_END]))
        gap = _SOFT.match(text, m.end())
        if gap.end() >= len(text) or text.count("\n", m.end(), gap.end()) > 1:
            break
        m = _TOKEN.match(text, gap.end())
    return tuple(out)


# ================================================================ the name grammar

_PLACE = r"(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|thị trấn|xã|phường)"
_PROPER = r"(?:\s+(?:\p{Lu}[\p{L}\d.]*|\d+)(?![\p{L}\d]))"
# what may follow a known name and still belong to it: its place or scope
_SCOPE = regex.compile(
    rf"\s+{_PLACE}{_PROPER}+"  # tỉnh Lạng Sơn, TP. Hồ Chí Minh
    r"|\s+(?:các cấp|cùng cấp|cấp dưới)(?![\p{L}])"
    r"|\s+cấp\s+(?:tỉnh|huyện|xã|cơ sở|trung ương|Trung ương)(?![\p{L}])"
    r"|\s+(?:trực thuộc|thuộc)\s+(?:Trung ương|trung ương|Chính phủ|tỉnh|thành phố|huyện)(?![\p{L}])"
    rf"|\s+{_PLACE}(?![\p{{L}}])"  # a bare tỉnh: the document's
    r"|\s+(?:chi nhánh|Chi nhánh)(?:\s+(?:khu vực|Khu vực|tỉnh|thành phố))?(?:\s+[\p{Lu}\d][\p{L}\d.]*)+"
    rf"|{_PROPER}+"  # Việt Nam, Trung ương, Lạng Sơn
)


def scope_end(text: str, pos: int, limit: int) -> int:
    """End of the place or scope printed at ``pos`` after a name (``pos`` if none);
    capitalised words that open another body are the next name, not the scope."""
    while pos < limit:
        m = _SCOPE.match(text, pos, limit)
        if m is None:
            break
        head = agency_head().match(text, pos + len(m.group(0)) - len(m.group(0).lstrip()))
        if head is not None and m.group(0).lstrip()[:1].isupper():
            break  # "Bộ Công an Bộ Quốc phòng": a new body, not this one's scope
        pos = m.end()
    return pos


# ================================================================ where a list ends

_LIST_STOP = regex.compile(r"[:.!?“\"]|\n(?!\s*\p{Ll})|\s\(|\s[-–](?=\p{Lu})|$")
# a verb right after one of these words modifies the name ("Vụ Các vấn đề chung
# về xây dựng pháp luật", "Chi cục Hải quan nơi quản lý kho CFS")
_INSIDE_NAME = regex.compile(r"(?:về|và|của|thuộc|cho|nơi|đã|việc|công tác|các|mọi|những"
                            r"|Ban|Tổ|Hội đồng|Ủy ban|Trung tâm|Cục|Vụ|Phòng|Sở|Tiểu ban)\s+$")
# a colon that introduces the members of what stands before it goes on to them:
# "Giám đốc các Sở: Tài chính, Nội vụ", "Giao Giám đốc: Sở A, Sở B"
_PLURAL_COLON = regex.compile(r"(?<![\p{L}])các\s+\p{Lu}[\p{L}\s]{0,20}:$", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _title_colon() -> regex.Pattern:
    titles = word_list("task_titles_alone.txt")
    return regex.compile(rf"(?<![\p{{L}}])(?:{_alt(titles)})\s*:$", regex.IGNORECASE)
# what may follow a name inside a list: a separator or a joining word
_JOINER = regex.compile(r"\s*(?:[,;&(]|(?:và|cùng|hoặc|với)(?![\p{L}]))|\s*$")
_NEXT_WORD = regex.compile(r"\s+(?P<w>\p{L}+)")
_NOT_A_TASK = frozenset({"là", "đã", "vừa", "từng", "được", "bị", "nhận", "có"})
_LEVEL_WORDS = frozenset({"tỉnh", "huyện", "xã", "thành phố", "quận", "phường", "thị xã",
                          "trung ương", "cấp", "địa bàn", "toàn quốc", "liên quan"})


@lru_cache(maxsize=1)
def task_verb() -> regex.Pattern:
    """A lower-case task verb at a word boundary: the end of a list of bodies."""
    return regex.compile(rf"(?<![\p{{L}}])(?:{_alt(word_list('task_verbs.txt'))})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _list_stop_words() -> regex.Pattern:
    """Predicate words that end a list: ``models/task_list_stops.txt`` and the adverbs
    that open a verb phrase (``models/task_adverbs.txt``)."""
    words = word_list("task_list_stops.txt") + word_list("task_adverbs.txt")
    return regex.compile(rf"[\s,]+(?:{_alt(words)})(?![\p{{L}}])")


def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=256)  # asked again for the same list by several finders of a statement
def list_end(text: str, start: int, limit: int) -> tuple[int, bool]:
    """End of the list of bodies that begins at ``start``, and whether a verb (known
    or tagged) ends it there."""
    end = min(limit, start + MAX_LIST)
    pos = start
    while True:  # "Giám đốc các Sở: Tài chính, Nội vụ" goes on past its colon
        stop = _LIST_STOP.search(text, pos, end)
        if not (stop and stop.group(0) == ":" and (_PLURAL_COLON.search(text, start, stop.end())
                                                    or _title_colon().search(text, start, stop.end()))):
            break
        pos = stop.end()
    hard = stop.start() if stop else end
    words = _list_stop_words().search(text, start, hard)
    if words:
        hard = words.start()
    names = known(text, start, hard)
    name_ends = [k.end for k in names]
    predicate = _after_known(text, names, hard)
    role = _role_clause(text, start, hard, stop)
    for m in task_verb().finditer(text, start, predicate if predicate is not None else hard):
        i = bisect_right(name_ends, m.start())
        if i < len(names) and names[i].start <= m.start():
            continue  # a word of a known name: "Bộ Giáo dục và Đào tạo"
        if role is not None and m.start() > role:
            continue  # "Chi cục Hải quan nơi hàng hóa được vận chuyển đến:"
        if m.start() == start or _INSIDE_NAME.search(text, max(start, m.start() - 12), m.start()):
            continue
        if _noun_reading(text, start, m):
            continue
        return strip_end(text, start, m.start()), True
    if predicate is not None:
        # the word after a known name opens its predicate: a verb, unless it marks
        # an apposition, the past or the passive ("Công an tỉnh là ...", "... đã ...")
        word = _NEXT_WORD.match(text, predicate, hard)
        return strip_end(text, start, predicate), word is not None and \
            word.group("w").lower() not in _NOT_A_TASK
    if hard - start > RUN_ON:
        verb = _tagged_verb(text, start, hard)
        if verb is not None:
            return strip_end(text, start, verb), True
    return strip_end(text, start, hard), False


# the clause that says which body of a kind is meant: "Chi cục Hải quan | nơi quản lý kho"
ROLE_CLAUSE = regex.compile(r"\snơi\s")


def _role_clause(text: str, start: int, hard: int, stop: regex.Match | None) -> int | None:
    """Where a clause that says which body is meant (``Chi cục Hải quan | nơi hàng hóa
    được vận chuyển đến``) begins, in a name that a colon ends: a label or heading
    naming a role, whose verbs belong to the name."""
    if stop is None or stop.group(0) != ":" or stop.start() != hard:
        return None
    m = ROLE_CLAUSE.search(text, start, hard)
    return m.start() if m else None


_LOWER_COLLECTIVE = regex.compile(r"(?:[Cc]ác|[Mm]ọi)\s+\p{Ll}")
_COMMA_BEFORE = regex.compile(r",\s*$")
# where the entry that holds a word begins: after a ';' or a joining "và"
_ENTRY_START = regex.compile(r"(?:;|\svà)\s*", regex.REVERSE)


@lru_cache(maxsize=1)
def _collective_nouns() -> frozenset[str]:
    return frozenset(word_list("task_bodies.txt"))


def _noun_reading(text: str, start: int, verb: regex.Match) -> bool:
    """``các ngân hàng thương mại, | tổ chức cung ứng dịch vụ``: in an entry of lower-case
    collectives, a word after a comma that is also a collective noun is the next one,
    wherever the entry stands in the list (``Các sở, ban, ngành; ... và các cơ quan, |
    tổ chức có liên quan``)."""
    if verb.group(0) not in _collective_nouns() \
            or not _COMMA_BEFORE.search(text, max(start, verb.start() - 3), verb.start()):
        return False
    entry = _ENTRY_START.search(text, start, verb.start())
    return bool(_LOWER_COLLECTIVE.match(text, entry.end() if entry else start))


def _after_known(text: str, names: tuple[Known, ...], hard: int) -> int | None:
    """Where the predicate begins right after a known name: a lower-case word that
    is neither its scope nor a joining word (``Công an tỉnh | là cơ quan ...``)."""
    for k in names:
        after = scope_end(text, k.end, hard)
        if _JOINER.match(text, after, hard):
            continue
        nxt = _NEXT_WORD.match(text, after, hard)
        if nxt is not None and nxt.group("w")[:1].islower() and not _scope_word().match(text, after, hard):
            return after
    return None


@lru_cache(maxsize=1)
def _scope_word() -> regex.Pattern:
    return regex.compile(rf"\s+(?:{_alt(word_list('name_scope_words.txt'))})(?![\p{{L}}])")


@lru_cache(maxsize=64)  # the same clause is asked about by several finders
def _tagged_verb(text: str, start: int, end: int) -> int | None:
    """Where the task verb begins in a run-on clause, by part-of-speech tags: the
    first lower-case verb right after the end of a body's name (a capitalised word,
    a proper noun or a level word such as ``tỉnh``)."""
    from .tag import pos_tag  # lazy: underthesea is slow to import, needed only here

    pos, prev = start, None
    end = min(end, start + TAG_SPAN)
    for word, tag in pos_tag(text[start:end]):
        at = text.find(word, pos, end)
        if at < 0:  # underthesea normalised the word; stop rather than guess offsets
            return None
        pos = at + len(word)
        if (tag == "V" and word[:1].islower() and prev is not None
                and (prev[1] == "Np" or prev[0][:1].isupper() or prev[0].lower() in _LEVEL_WORDS)):
            return at
        prev = (word, tag)
    return None


def strip_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over separators and a dangling word that opens what follows
    (``và``, ``có``, and prepositions: ``các địa phương | trong giải quyết ...``)."""
    while end > start and text[end - 1] in " ,;\t-–":
        end -= 1
    for tail in (" và", " có", " trong", " cho", " về", " để", " với"):
        if text.endswith(tail, start, end):
            end -= len(tail)
            break
    return end
