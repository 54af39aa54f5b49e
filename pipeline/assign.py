"""Assign tasks: who is tasked with what (directives and obligations).

A dispatch tasks bodies in a few set ways, each a cue around a list of bodies:

- ``đề nghị / yêu cầu / giao / chỉ đạo`` + bodies + task: the bodies lead;
- bodies + ``chủ trì`` / ``có trách nhiệm``: they lead; ``phối hợp với`` + bodies:
  those support;
- a field line or table column ``Đơn vị chủ trì: X`` / ``Đơn vị phối hợp: Y``;
- a numbered heading that only names bodies (``2. Đề nghị Bộ Chỉ huy Bộ đội
  Biên phòng tỉnh; Sở Văn hóa, Thể thao và Du lịch tỉnh``): the section tasks them;
- a statement whose subject is a list of bodies followed by a task verb
  (``Các cơ quan báo chí tăng thời lượng ...``).

A list of bodies ends where the task begins: at a task verb written in lower
case (``models/task_verbs.txt``), a colon or the end of the statement. The
list is split into bodies by :func:`resolve.recipient_names`. Cue words, task
verbs, titles of heads of bodies and the collectives that name no body are data
under ``models/``.

>>> text = "Sở Nội vụ chủ trì, phối hợp với Sở Tài chính thực hiện."
>>> _, obs = find_tasks(text, segment(text), [], [])
>>> [(o.assignee, o.role) for o in obs]
[('Sở Nội vụ', 'lead'), ('Sở Tài chính', 'support')]
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from .knowledge import abbreviations, table, word_list
from .models import Deadline, Directive, Obligation, RiskGroup, Span
from .names import ROLE_CLAUSE, known, known_at, list_end, scope_end, strip_end, task_verb
from .regexes import agency_head, lowered, matches_at, occurrences
from .resolve import expand, fold_key, recipient_names
from .segment import SECTION_HEAD, Zones, segment  # noqa: F401 (segment: the doctest)


@dataclass(frozen=True)
class _Found:
    """A tasked body found in a statement, before names are resolved."""

    name: str
    printed: Span
    role: str


# ---------------------------------------------------------------- patterns

def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[tuple[str, str]]]:
    by_pos: dict[str, list[tuple[str, str]]] = {"before": [], "after": [], "label": []}
    for row in table("task_cues.tsv"):
        by_pos[row["position"]].append((row["cue"], row["role"]))
    return by_pos


@lru_cache(maxsize=1)
def _body_start() -> regex.Pattern:
    """Where the name of a tasked body may begin (optionally after a head's title).

    A single-word head (``Sở``, ``Báo``, ``Phòng``) counts only before a capital
    or a level word (``Sở Tài chính``, ``Công an tỉnh``), so ``Báo cáo`` and
    ``Phòng, chống`` are not bodies; collectives need ``các``/``mọi``.
    """
    titles = _any_case(word_list("task_titles.txt") + word_list("task_titles_alone.txt"))
    alone = _any_case(word_list("task_titles_alone.txt"))
    lower = _alt(word_list("task_bodies.txt"))
    heads = _heads()
    multi = _alt([h for h in heads if " " in h])
    single = _alt([h for h in heads if " " not in h])
    abbr = _alt([a for a in abbreviations() if a[:1].isupper() and len(a) > 1])
    level = r"(?:tỉnh|huyện|xã|thành phố|quận|cấp|các|trực thuộc|thuộc|Trung ương)"
    not_body = _alt(word_list("task_not_bodies.txt"))
    return regex.compile(
        rf"(?!(?:{not_body})(?![\p{{L}}]))"
        rf"(?:(?:đồng chí|Đồng chí)\s+)?(?:(?:các|Các)\s+(?=(?:{titles})\s))?(?:(?:{titles})\s+)?"
        rf"(?:(?:các|Các|mọi|Mọi)\s+(?:{lower}|{single}|{multi})(?![\p{{L}}])"
        rf"|(?:{multi})(?![\p{{L}}])"
        rf"|(?:{single})\s+(?:\p{{Lu}}|{level}(?![\p{{L}}]))"
        rf"|(?:{abbr})(?![\p{{L}}\d])"
        rf"|(?<=^|[\s,;:(])(?:{alone})(?![\p{{L}}]))"  # a title alone: "Các Bộ trưởng, ..."
    )


def _any_case(words) -> str:
    """Alternation of words printed capitalised or not (``Thủ trưởng``, ``thủ trưởng``)."""
    forms = {w for word in words for w in (word, word[:1].lower() + word[1:], word[:1].upper() + word[1:])}
    return _alt(forms)


@lru_cache(maxsize=1)
def _bare_lower() -> regex.Pattern:
    """Lower-case collectives tasked without ``các`` (``doanh nghiệp``), after a cue only."""
    bare = _alt(word_list("task_bare_bodies.txt"))
    return regex.compile(rf"(?:{bare})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _loose_head() -> regex.Pattern:
    """Any head word, even before lower case (``Ban quản lý``, ``Cục đo đạc``): trusted
    only next to a strong cue."""
    not_body = _alt(word_list("task_not_bodies.txt"))
    return regex.compile(rf"(?!(?:{not_body})(?![\p{{L}}]))(?:{_alt(_heads())})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    """Words that open a body's name: the shared heads, the tasking extras and the
    capitalised heads of the agency kinds (``Bảo hiểm xã hội``, ``Kho bạc Nhà nước``)."""
    kinds = [r["head"] for r in table("agency_kinds.tsv") if r["head"][:1].isupper()]
    return tuple(dict.fromkeys(word_list("agency_heads.txt") + word_list("task_heads.txt")
                               + tuple(kinds)))


@lru_cache(maxsize=1)
def _before_cue() -> regex.Pattern:
    cues = [c for c, _ in _cues()["before"]]
    return regex.compile(rf"(?<![\p{{L}}])(?P<cue>{_alt(cues)})\s+(?!của\b|với\b(?!\s+\p{{L}}))",
                         regex.IGNORECASE)


# Letters that IGNORECASE matches to a cue's ASCII letters but ``str.lower`` does not
# make ASCII (Kelvin sign, long s): with them, no shortcut.
_ODD_CASE = ("\u212a", "\u017f")


@lru_cache(maxsize=4)  # asked once per statement of the same document
def _before_cue_spots(text: str) -> list[int] | None:
    """Where a before-cue may start (its first word, any case), sorted; most statements
    have none, and skipping them spares a case-insensitive scan of each. None: no shortcut."""
    low = lowered(text)
    if len(low) != len(text) or any(c in text for c in _ODD_CASE):
        return None
    firsts = {cue.split()[0].lower() for cue, _ in _cues()["before"]}
    return sorted({at for word in firsts for at in occurrences(low, word)})


def _before_cues_in(text: str, start: int, end: int) -> list[regex.Match]:
    """``_before_cue().finditer(text, start, end)``, the pattern tried only where a
    cue's first word stands (a case-insensitive scan of every statement was the
    larger part of this stage)."""
    spots = _before_cue_spots(text)
    if spots is None:
        return list(_before_cue().finditer(text, start, end))
    return matches_at(_before_cue(), text, spots[bisect_left(spots, start):bisect_left(spots, end)], end)


@lru_cache(maxsize=1)
def _after_cue() -> regex.Pattern:
    cues = [c for c, _ in _cues()["after"]]
    return regex.compile(rf"(?<![\p{{L}}])(?P<cue>{_alt(cues)})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _label() -> regex.Pattern:
    cues = [c for c, _ in _cues()["label"]]
    return regex.compile(rf"[\s\-–+•*]*(?P<cue>{_alt(cues)})[^:\n]{{0,30}}:\s*", regex.IGNORECASE)


def _role_of(cue: str, position: str) -> str:
    return _roles(position).get(fold_key(cue), "lead")


@lru_cache(maxsize=4)
def _roles(position: str) -> dict[str, str]:
    return {fold_key(c): role for c, role in _cues()[position]}


# ---------------------------------------------------------------- lists of bodies

_SEPARATOR = regex.compile(r";\s*|\s+và\s+|,\s+")


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a list at ``;``, at ``và`` before a new body (``Sở A và Ủy ban ...``) and
    between multi-word collectives (``các nhà sản xuất, cơ sở in``)."""
    cuts = [start]
    name_ends: set[int] | None = None  # looked up at the first "và" only
    for m in _SEPARATOR.finditer(text, start, end):
        nxt = m.end()
        sep = m.group(0).strip()
        # "Ủy ban MTTQ | và tổ chức chính trị xã hội": after a known name (and its
        # scope) "và" joins two bodies
        if sep == "và" and not (_body_start().match(text, nxt) or _bare_lower().match(text, nxt)):
            if name_ends is None:
                name_ends = {scope_end(text, k.end, end) for k in known(text, start, end)}
            if m.start() not in name_ends:
                continue
        if sep == "," and not _collective_pair(text, cuts[-1], m.start(), nxt):
            continue
        cuts.extend([m.start(), nxt])
    cuts.append(end)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2) if cuts[i + 1] > cuts[i]]


_MULTI_COLLECTIVE = regex.compile(r"(?:các|mọi)\s+\p{Ll}+(?:\s+\p{Ll}+)+")


def _collective_pair(text: str, prev: int, comma: int, nxt: int) -> bool:
    """``các nhà sản xuất, cơ sở in``: two multi-word collectives, not one name."""
    left = text[prev:comma]
    if not _MULTI_COLLECTIVE.fullmatch(left.strip()) or len(left.split()) < 4:
        return False
    return bool(_collective_word().match(text, nxt, nxt + 40))


@lru_cache(maxsize=1)
def _collective_word() -> regex.Pattern:
    return regex.compile(rf"(?:{_alt(word_list('task_bodies.txt'))})\s+\p{{Ll}}")


def _bodies(text: str, start: int, end: int, role: str) -> list[_Found]:
    """Split ``text[start:end]`` into bodies; each keeps its printed span."""
    found = []
    for ps0, pe0 in _parts(text, start, end):
        grouped = _plural_group(text, ps0, pe0, role)
        if grouped is not None:
            found.extend(grouped)
            continue
        part = text[ps0:pe0]
        if found and part[:1].islower() and found[-1].name.lower().startswith("các ") \
                and not _body_start().match(text, ps0):
            # "các nhà sản xuất, cơ sở in": the second collective shares "các"
            found.append(_Found(f"các {part}", Span(part, ps0, pe0), role))
            continue
        if _COLLECTIVE_RUN.fullmatch(part):  # "các ngành, các cấp": one collective
            found.append(_Found(part, Span(part, ps0, pe0), role))
            continue
        for name, (s, e), _ in recipient_names(part):
            name = _drop_title(name)
            if not name:
                continue
            ps, pe = ps0 + s, ps0 + e
            found.append(_Found(name, Span(text[ps:pe], ps, pe), role))
    return found


_COMMA_ITEM = regex.compile(r"[^,]+")
_PAREN_OPEN = regex.compile(r"\s*\(\s*")
_COLLECTIVE_RUN = regex.compile(r"(?:[Cc]ác|[Mm]ọi)\s+\p{Ll}+(?:,\s+các\s+\p{Ll}+)+")
_GROUP = regex.compile(
    r"(?P<before>.*?)(?:\p{L}+\s+)*?các\s+"
    r"(?:(?P<head>\p{Lu}[\p{L}]*(?:\s+\p{L}+)?)\s*:\s*|(?P<head>\p{Lu}\p{L}*)\s+(?=\p{Lu}[^,]*,))",
    regex.DOTALL)


def _plural_group(text: str, start: int, end: int, role: str) -> list[_Found] | None:
    """``Giám đốc các Sở: Tài chính, Nội vụ, Giám đốc Kho bạc ...`` and ``các Bộ
    Vật tư, Nội thương, Tài chính``: members of a plural head get the head
    (``Sở Tài chính``) until a new body begins."""
    m = _GROUP.match(text, start, end)
    if not m or not agency_head().fullmatch(m.group("head")):
        return None
    head = m.group("head")
    found = _bodies(text, start, strip_end(text, start, m.start("before") + len(m.group("before"))),
                    role) if m.group("before").strip(" ,;") else []
    pos = m.end()
    for item in _COMMA_ITEM.finditer(text[pos:end]):
        s, e = pos + item.start(), pos + item.end()
        while s < e and text[s] == " ":
            s += 1
        if _body_start().match(text, s) or text[s:e].startswith(("các ", "Các ")):
            return found + _bodies(text, s, end, role)
        e = strip_end(text, s, e)
        if e > s:
            found.append(_Found(f"{head} {text[s:e]}", Span(text[s:e], s, e), role))
    return found


_PLURAL = regex.compile(r"^(?:các|Các)\s+")


@lru_cache(maxsize=1)
def _alone_titles() -> frozenset[str]:
    return frozenset(fold_key(t) for t in word_list("task_titles_alone.txt"))


@lru_cache(maxsize=1)
def _title_prefix() -> regex.Pattern:
    titles = _any_case(word_list("task_titles.txt"))
    return regex.compile(rf"^(?:(?:đồng chí|Đồng chí)\s+)?(?:{titles})\s+(?=\p{{L}})")


def _drop_title(name: str) -> str:
    """``Giám đốc Sở Tài chính`` -> ``Sở Tài chính``; ``Chủ tịch UBND ...`` -> ``Ủy ban ...``;
    ``Các Bộ trưởng`` (heads with no body named) -> ``Bộ trưởng``."""
    alone = _PLURAL.sub("", name)
    if alone != name and fold_key(alone) in _alone_titles():
        return alone
    bare = _title_prefix().sub("", name)
    if bare != name and (_body_start().match(bare) or bare[:1].isupper()):
        return bare if bare.startswith("các ") else bare[:1].upper() + bare[1:]
    return name


# ---------------------------------------------------------------- filters

@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(fold_key(w) for w in word_list("task_generic.txt"))


_RELATED = regex.compile(r"\s+(?:khác\s+)?(?:có\s+)?liên\s+quan$|\s+khác$")


_COLLECTIVE_LEAD = regex.compile(r"^(?:các|mọi|thủ trưởng các|lãnh đạo các)\s+")


def _is_generic(name: str) -> bool:
    """A collective that names no kind of body: ``các cơ quan, đơn vị (liên quan)``."""
    return _COLLECTIVE_LEAD.sub("", _RELATED.sub("", fold_key(name))) in _generic()


def names_no_body(name: str, role: str) -> bool:
    """``các cơ quan, đơn vị liên quan`` names no body; nor does a bare collective
    that only supports (``phối hợp các đơn vị``) or whose leaders are asked."""
    if not _is_generic(name):
        return False
    related = bool(_RELATED.search(fold_key(name)))
    return related or role == "support" or fold_key(name).startswith("lãnh đạo")


def _plausible(f: _Found) -> bool:
    """A name of a body: starts as one, not a bare verb or a date."""
    if len(f.name) < 3 or len(f.name) > 160:
        return False
    if not (_body_start().match(f.name) or _bare_lower().match(f.name)
            or _loose_head().match(f.name)):
        return False
    return not names_no_body(f.name, f.role)


# ---------------------------------------------------------------- finders

def _opens_sections(text: str, start: int, end: int) -> bool:
    """``đề nghị các cơ quan, đơn vị:`` opens sections that name the bodies: a
    generic collective before a colon adds no obligation of its own."""
    stop = list_end(text, start, end)[0]
    if not text[stop:end].lstrip().startswith(":"):
        return False
    return all(_is_generic(f.name) for f in _bodies(text, start, stop, "lead"))


# a colon after a body's name, then the tasks on the same line (two words at least)
_BODY_LABEL = regex.compile(r":[ \t]*(?=\p{L}+[ \t]+\p{L})")
_SUPPORT_OPENING = regex.compile(r"phối\s+hợp(?![\p{L}])", regex.IGNORECASE)

_PAST = regex.compile(r"(?<![\p{L}])(?:đã|vừa|từng)\s+(?:\p{Ll}+\s+)?$")


def _from_before_cues(text: str, s: Span, news: bool = False) -> list[_Found]:
    """``đề nghị X ...``, ``phối hợp với Y ...`` inside a statement."""
    out: list[_Found] = []
    for m in _before_cues_in(text, s.start, s.end):
        if not news and _PAST.search(text, max(s.start, m.start() - 10), m.start()):
            # "UBND tỉnh đã chỉ đạo Sở Y tế ...": background, not a task; a news post
            # reports the directive it is about in the past ("UBND tỉnh đã chỉ đạo ...")
            continue
        start = m.end()
        if not (_body_start().match(text, start) or _bare_lower().match(text, start)
                or _loose_head().match(text, start)):
            continue
        role = _role_of(m.group("cue"), "before")
        if _opens_sections(text, start, s.end):
            continue
        bare = _bare_lower().match(text, start)
        if bare and not _body_start().match(text, start):
            # lower case: the listed phrase only, the words after it are the task,
            # but for the known body it belongs to ("cơ quan đầu mối của Bộ GD&ĐT")
            end = _owner_end(text, bare.end(), s.end)
            out.append(_Found(text[start:end], Span(text[start:end], start, end), role))
            continue
        end = list_end(text, start, s.end)[0]
        out.extend(_bodies(text, start, end, role))
    return out


_OWNED_BY = regex.compile(r"\s+(?:của|thuộc|trực thuộc)\s+")


def _owner_end(text: str, pos: int, end: int) -> int:
    """End of ``của <known body>`` printed at ``pos``, else ``pos``."""
    m = _OWNED_BY.match(text, pos, end)
    owner = known_at(text, m.end(), end) if m else None
    return scope_end(text, owner.end, end) if owner is not None else pos


_LEAD_IN = regex.compile(
    r"[\s\-–+•*]*(?:(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)\-–]\s*)?"
    r"(?:(?:Cụ thể|Theo đó|Đồng thời|Trong đó|Ngoài ra)\s*,\s*)?"
    r"(?:(?:Các|các)\s+ông\s*(?:\(|,\s*)?bà\)?\s*:\s*)?"
    r"(?:(?:Các|các)\s+đồng\s+chí\s+(?=\p{Lu}))?")
_PAREN = regex.compile(r"\s*\([^()\n]{0,120}\)")


_FIRST_WORD = regex.compile(r"[\p{L}\d&]+")


@lru_cache(maxsize=1)
def _opening_words() -> frozenset[str]:
    """First words (lower case) of whatever may open a body's name: heads, titles,
    ``các``/``mọi``/``đồng chí``, abbreviations."""
    words = [*_heads(), *word_list("task_titles.txt"), *word_list("task_titles_alone.txt"),
             *(a for a in abbreviations() if a[:1].isupper()), "các", "mọi", "đồng"]
    return frozenset(m.group(0).lower() for w in words if (m := _FIRST_WORD.match(w)))


def _from_subject(text: str, s: Span, issuer: str | None = None) -> list[_Found]:
    """The statement's subject when a task verb follows it: ``X chủ trì ...``,
    ``Các cơ quan báo chí tăng thời lượng ...``; not ``X đề nghị Y`` (X asks)."""
    lead = _LEAD_IN.match(text, s.start, s.end)
    start = lead.end() if lead else s.start
    first = _FIRST_WORD.match(text, start, s.end)
    if first is None or first.group(0).lower() not in _opening_words():
        return []  # most statements open with no body: skip the patterns
    strict = bool(_body_start().match(text, start))
    if not strict and not _loose_head().match(text, start):
        return []
    end, by_verb = list_end(text, start, s.end)
    if end <= start:
        return []
    after = _skip_space(text, end, s.end)
    paren = _PAREN.match(text, after, s.end)  # "Công an tỉnh (cơ quan Thường trực) chủ trì"
    if paren:
        after = _skip_space(text, paren.end(), s.end)
    label = _BODY_LABEL.match(text, after, s.end) if strict and not paren else None
    if label:
        # "- Sở Tư pháp: chủ trì, phối hợp ...", "- Chi cục Hải quan nơi vận chuyển đi: công
        # chức hải quan lập biên bản ...": a body printed as the label of its tasks
        role = "support" if _SUPPORT_OPENING.match(text, label.end(), s.end) else "lead"
        return _bodies(text, start, end, role)
    adverbs = _adverbs().match(text, after, s.end)  # "UBND tỉnh cũng đề nghị ..."
    if adverbs:
        after = adverbs.end()
    verb = task_verb().match(text, after)
    if verb is None:
        # a verb found by its tag or by the grammar of a known name, not in the
        # lexicon; the issuer tasks others, never itself, that way ("Tổng cục Hải
        # quan trả lời ...")
        if by_verb and not paren and not adverbs and not (issuer and _is_issuer(text[start:end], issuer)):
            return _bodies(text, start, end, "lead") if strict else []
        return []
    cue = fold_key(verb.group(0))
    if cue in _NOT_TASKED_AFTER and not (cue in _DIRECTS and not _is_issuer(text[start:end], issuer)):
        return []  # the subject asks, reports or is acted upon: not tasked
    if issuer and _is_issuer(text[start:end], issuer) and _ANNOUNCES.search(text, after, s.end):
        return []  # "Ủy ban nhân dân tỉnh xây dựng kế hoạch ..., cụ thể như sau:"
    if not strict and not _after_cue().match(text, after):
        return []  # "Cục đo đạc ... có trách nhiệm": a lower-case name needs a strong cue
    found = _bodies(text, start, end, "lead")
    if paren:  # "Các Bộ khác (Bộ Xây dựng, Bộ Thủy lợi ...) có trách nhiệm"
        inner = _PAREN_OPEN.match(text[paren.start():paren.end()])
        ps = paren.start() + inner.end()
        if _body_start().match(text, ps):
            found += _bodies(text, ps, strip_end(text, ps, paren.end() - 1).__index__(), "lead")
    return found


# a subject followed by these asks others, reports or is acted upon
_NOT_TASKED_AFTER = frozenset({"đề nghị", "yêu cầu", "chỉ đạo", "giao", "hướng dẫn", "thông báo",
                               "báo cáo", "được", "trình", "ban hành", "gửi"})


_ANNOUNCES = regex.compile(r"(?:như sau|những nội dung sau|các nội dung sau)\s*:\s*$")

# a body other than the issuer that directs or guides others is itself tasked
# ("Cục Hải quan TP. Hồ Chí Minh hướng dẫn Chi cục ... thực hiện")
_DIRECTS = frozenset({"chỉ đạo", "hướng dẫn"})


def _is_issuer(name: str, issuer: str | None) -> bool:
    if not issuer:
        return True  # unknown issuer: assume the subject asks on its own behalf
    a, b = fold_key(expand(name)), fold_key(issuer)
    return a == b or b.startswith(a) or a.startswith(b)


@lru_cache(maxsize=1)
def _adverbs() -> regex.Pattern:
    return regex.compile(rf"(?:(?:{_alt(word_list('task_adverbs.txt'))})(?![\p{{L}}])\s*)+")


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " ,\t.…":  # "Ngân hàng Nhà nước... giải quyết"
        pos += 1
    return pos


def _from_label(text: str, s: Span) -> list[_Found]:
    """``- Đơn vị chủ trì: Vụ Pháp chế.`` / ``Cơ quan thực hiện: X chủ trì, phối hợp với Y``."""
    m = _label().match(text, s.start, s.end)
    if not m:
        return []
    role = _role_of(m.group("cue"), "label")
    start, end = m.end(), s.end
    if _after_cue().search(text, start, end) or _before_cues_in(text, start, end):
        # "X chủ trì, phối hợp với Y": the roles come from the inner cues
        inner = Span(text[start:end], start, end)
        return _from_subject(text, inner) + _from_before_cues(text, inner)
    stop = strip_end(text, start, end)
    while stop > start and text[stop - 1] in ".;":
        stop -= 1
    return _bodies(text, start, stop, role)


MAX_SECTION = 3000


def _section_end(zones: Zones, start: int, limit: int) -> int:
    """Where the section that begins at ``start`` ends: at the next numbered head."""
    nxt = next((h.start for h in zones.sections if h.start > start), limit)
    return min(nxt, start + MAX_SECTION, limit)


_HEADING_CUE = regex.compile(r"(?:Đề nghị|Giao|Yêu cầu|Kính đề nghị|Đối với)\s+", regex.IGNORECASE)


def _heading_bodies(text: str, zones: Zones) -> list[tuple[Span, list[_Found]]]:
    """Numbered headings that only name bodies: ``1. Các cơ quan báo chí; Phòng ...``."""
    out = []
    for head in zones.sections:
        m = SECTION_HEAD.match(text, head.start)
        if not m:
            continue
        hs, he = m.start("heading"), m.end("heading")
        c = _HEADING_CUE.match(text, hs, he)
        start = c.end() if c else hs
        if not _body_start().match(text, start):
            continue
        end = strip_end(text, start, he)
        while end > start and text[end - 1] in ":.;":
            end -= 1
        # a verb makes it a task heading, handled as a statement, but for one inside a
        # role clause ("Chi cục Hải quan nơi hàng hóa được vận chuyển đến:")
        role = ROLE_CLAUSE.search(text, start, end)
        if task_verb().search(text, start, role.start() if role else end) \
                or _after_cue().search(text, start, end):
            continue
        found = _bodies(text, start, end, "lead")
        if found:
            body_end = _body_end(text, zones)  # an appendix after the signature runs to the end
            stop = _section_end(zones, head.start, body_end if body_end > head.start else len(text))
            out.append((Span(text[head.start:stop], head.start, stop), found))
    return out


def _body_end(text: str, zones: Zones) -> int:
    """Where the body of the text ends: at the line of ``Nơi nhận`` or the signature
    block; a closing ``./.`` ends the last paragraph."""
    ends = [text.rfind("\n", 0, zones.noi_nhan.start) + 1] if zones.noi_nhan is not None else []
    if zones.noi_nhan is not None and zones.signature is not None:
        ends.append(zones.signature.start)
    return min(ends, default=len(text))


# a paragraph ends at a blank line, or at a line break after sentence punctuation or
# before a bullet (a hard-wrapped sentence goes on over its line breaks)
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n\s*|(?<=[.;:!?])[ \t]*\n\s*|\n(?=[ \t]*(?:[-–+•]|[a-zđ]\)))\s*")
_NOTE_PARAGRAPH = regex.compile(r"\s*[(\[]")


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    """The task paragraphs of a section's body: one directive each. A note in brackets
    (``(Các khẩu hiệu bao gồm: ...)``) is no task of its own."""
    out, pos = [], start
    for m in [*_PARAGRAPH_BREAK.finditer(text, start, end), None]:
        stop = m.start() if m else end
        if text[pos:stop].strip() and not _NOTE_PARAGRAPH.match(text, pos):
            s, e = pos, stop
            while s < e and text[s].isspace():
                s += 1
            out.append(Span(text[s:e], s, e))
        pos = m.end() if m else end
    return out


_TABLE_ROW = regex.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
_CELL = regex.compile(r"(?<=\|)([^|\n]*)(?=\|)")
_CELL_ITEM = regex.compile(r"[^;\n]+")
_SUB_HEADER = {"chủ trì": "lead", "phối hợp": "support"}


def _header_roles(text: str, cells: list[regex.Match]) -> dict[int, str]:
    roles = {}
    for i, c in enumerate(cells):
        label = _label().match(c.group(1).strip() + ":")
        if label:
            roles[i] = _role_of(label.group("cue"), "label")
    return roles


def _sub_header(cells: list[regex.Match], roles: dict[int, str]) -> dict[int, str] | None:
    """A second header row ``| | Chủ trì | Phối hợp |`` under a merged body column.

    Crawled tables drop empty cells, so the pair is placed under the header's
    body column rather than at its own index."""
    if not any("hủ trì" in c.group(1) for c in cells):  # Chủ trì / chủ trì, cheaply first
        return None
    words = [fold_key(c.group(1)) for c in cells]
    if "chủ trì" not in words:
        return None
    at = words.index("chủ trì")
    base = at if at in roles else (min(roles) if roles else at)
    out = {base: "lead"}
    if "phối hợp" in words:
        out[base + words.index("phối hợp") - at] = "support"
    return out


def _table_bodies(text: str) -> list[tuple[Span, list[_Found]]]:
    """Table columns headed ``Đơn vị chủ trì`` / ``Đơn vị phối hợp``: one unit per row."""
    out: list[tuple[Span, list[_Found]]] = []
    roles: dict[int, str] = {}
    prev_end = -2
    for row in _TABLE_ROW.finditer(text):
        cells = list(_CELL.finditer(text, row.start(), row.end()))
        if row.start() != prev_end + 1:  # a new table: its first row is the header
            roles = _header_roles(text, cells)
        elif (sub := _sub_header(cells, roles)) is not None:
            roles = sub
        elif roles:
            found = []
            for i, role in roles.items():
                if i < len(cells):
                    found.extend(_cell_bodies(text, cells[i].start(1), cells[i].end(1), role))
            if found:
                out.append((Span(row.group(0), row.start(), row.end()), found))
        prev_end = row.end()
    return out


def _flat_table_bodies(text: str, zones: Zones) -> list[tuple[Span, list[_Found], str | None]]:
    """Rows of tables printed one cell a line (``segment.flat_tables``): the lead and
    supporting bodies of each row's cells, and the row's task."""
    out: list[tuple[Span, list[_Found], str | None]] = []
    for tbl in zones.tables:
        for row in tbl.rows:
            found = []
            task = None
            for cell, role in zip(row, tbl.roles, strict=False):
                if role in ("lead", "support") and cell.end > cell.start:
                    found.extend(_cell_bodies(text, cell.start, cell.end, role))
                elif role == "task" and cell.end > cell.start and task is None:
                    task = _clipped(" ".join(cell.text.split()))
            if found:
                end = max(c.end for c in row)
                out.append((Span(text[row[0].start:end], row[0].start, end), found, task))
    return out


_DASH_ITEM = regex.compile(r"(?:^|\s)[-–+•]\s+")


def _cell_bodies(text: str, start: int, end: int, role: str) -> list[_Found]:
    """Bodies of one cell: items cut at ``;``, at line breaks and at ``- `` bullets
    that open a body."""
    found = []
    for item in _CELL_ITEM.finditer(text, start, end):
        starts = [m.end() for m in _DASH_ITEM.finditer(text, item.start(), item.end())
                  if _body_start().match(text, m.end())] or [item.start()]
        bounds = starts + [item.end()]
        for start, stop in zip(bounds, bounds[1:], strict=False):
            while start < stop and text[start] in " \t-–+•":
                start += 1
            end = strip_end(text, start, stop)
            if end > start and _body_start().match(text, start):
                found.extend(_bodies(text, start, end, role))
    return found


# ---------------------------------------------------------------- driver

def _zone_spans(zones: Zones) -> list[tuple[int, int]]:
    """Address and signature zones and photo captions; the signature area only when
    Nơi nhận anchors it (otherwise it is a guess at the last lines, which may still
    hold tasks)."""
    spans = [(z.start, z.end) for z in (zones.kinh_gui, zones.noi_nhan, *zones.captions) if z]
    if zones.noi_nhan is not None and zones.signature is not None:
        spans.append((zones.signature.start, zones.signature.end))
    return spans


def _outside(span: Span, skip: list[tuple[int, int]]) -> bool:
    return not any(s <= span.start < e for s, e in skip)


def _statements(text: str, zones: Zones) -> list[Span]:
    """Body statements: sentences outside the address and signature zones, with
    sentences cut at ``;`` on one line joined again (``yêu cầu A...; Thủ trưởng
    các sở ...; Chủ tịch UBND ... thực hiện``: one list of addressees)."""
    skip = _zone_spans(zones)
    out: list[Span] = []
    for s in zones.sentences:
        if not _outside(s, skip):
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.text.endswith(";") and "\n" not in text[prev.end:s.start] \
                and not SECTION_HEAD.match(text, s.start):
            out[-1] = Span(text[prev.start:s.end], prev.start, s.end)
        else:
            out.append(s)
    return out


def _section_of(pos: int, zones: Zones, text: str) -> tuple[str | None, str | None]:
    i = bisect_right(zones.sections, pos, key=lambda h: h.start) - 1
    if i < 0:
        return None, None
    best = zones.sections[i]
    m = SECTION_HEAD.match(text, best.start)
    if not m:
        return None, None
    return m.group("num").rstrip(".)"), m.group("heading").strip() or None


_CLAUSE_END = regex.compile(r"[.;]\s|\n|$")


def _first_clause(text: str, start: int, end: int) -> str:
    if start < 0:
        return ""
    while start < end and text[start] in " \t\n-–+•*:":
        start += 1
    stop = _CLAUSE_END.search(text, start, end)
    phrase = " ".join(text[start:stop.start() if stop else end].split()).strip(" .;:")
    return _clipped(phrase[:1].lower() + phrase[1:])


_CLOSING_MARK = regex.compile(r"[\s.]*\./?\.?$|[\s.]*/\.?$")  # the "./." that closes a text
MAX_TASK = 300  # characters of a task shown in a row; a longer one is cut at a word


def _clipped(phrase: str) -> str:
    """``phrase``, or its first words up to ``MAX_TASK`` characters and ``…``: never
    cut inside a word."""
    phrase = _CLOSING_MARK.sub("", phrase)
    if len(phrase) <= MAX_TASK:
        return phrase
    cut = phrase.rfind(" ", 0, MAX_TASK)
    return phrase[:cut if cut > 0 else MAX_TASK].rstrip(" ,;:-–") + "…"


def _task_phrase(text: str, s: Span, after: int) -> str:
    """The verb phrase of the task: from the first task verb after the bodies to the
    end of its clause."""
    verb = task_verb().search(text, after, s.end)
    start = verb.start() if verb else after
    while start < s.end and text[start] in " \t\n:;,.":
        start += 1
    end = _CLAUSE_END.search(text, start, s.end)
    phrase = " ".join(text[start:end.start() if end else s.end].split()).strip(" .;:")
    return _clipped(phrase)


def _statement_found(text: str, s: Span, issuer: str | None, news: bool) -> list[_Found]:
    found = _from_label(text, s)
    if not found:
        found = _from_subject(text, s, issuer) + _from_before_cues(text, s, news)
    return found


@dataclass(frozen=True)
class _Unit:
    """A task statement (or table row, or paragraph under a heading) and its bodies;
    ``task`` when the unit names its task itself (a cell, a paragraph)."""

    span: Span
    found: list[_Found]
    task: str | None = None
    at: int | None = None  # where it stands in the text's order (a heading's paragraphs: the heading)

    def order(self) -> int:
        return self.span.start if self.at is None else self.at


def find_tasks(text: str, zones: Zones, deadlines: list[Deadline], groups: list[RiskGroup],
               issuer: str | None = None, news: bool = False) -> tuple[list[Directive], list[Obligation]]:
    """Directives (task statements) and obligations (one per directive and body);
    ``news``: the text is a news post about a document."""
    units: list[_Unit] = []
    skip = _zone_spans(zones)
    headings = [(h, f) for h, f in _heading_bodies(text, zones) if _outside(h, skip)]
    heading_starts = {f.printed.start for _, found in headings for f in found}
    for section, found in headings:
        units.extend(_section_units(text, section, found))
    units.extend(_Unit(span, found) for span, found in _table_bodies(text))
    units.extend(_Unit(span, found, task) for span, found, task in _flat_table_bodies(text, zones))
    for s in _statements(text, zones):
        if s.text.startswith("|"):
            continue  # table rows are read by column
        found = [f for f in _statement_found(text, s, issuer, news)
                 if f.printed.start not in heading_starts]
        if found:
            units.append(_Unit(s, found))
    units.sort(key=_Unit.order)
    return _records(text, zones, units, deadlines, groups)


def _section_units(text: str, section: Span, found: list[_Found]) -> list[_Unit]:
    """A heading that names bodies tasks them with each paragraph under it; a
    paragraph that opens with a body of its own is its own statement."""
    line_end = text.find("\n", found[-1].printed.end, section.end)
    paragraphs = [p for p in (_paragraphs(text, line_end, section.end) if line_end >= 0 else [])
                  if not _body_start().match(text, p.start)]
    if not paragraphs:
        task = _first_clause(text, line_end, section.end)
        return [_Unit(section, found, task)]
    return [_Unit(p, found, _first_clause(text, p.start, p.end), section.start) for p in paragraphs]


def _within(starts: list[int], items: list, s: Span) -> list:
    """The items (sorted by start, ``starts`` their starts) that begin inside ``s``."""
    return items[bisect_left(starts, s.start):bisect_left(starts, s.end)]


def _records(text: str, zones: Zones, units: list[_Unit], deadlines, groups):
    directives: list[Directive] = []
    obligations: list[Obligation] = []
    deadlines = sorted(deadlines, key=lambda d: d.start)
    groups = sorted(groups, key=lambda g: g.start)
    d_starts, g_starts = [d.start for d in deadlines], [g.start for g in groups]
    for unit in units:
        s = unit.span
        found = [f for f in unit.found if _plausible(f)]
        if not found:
            continue
        idx = len(directives)
        num, heading = _section_of(s.start, zones, text)
        last = max(f.printed.end for f in found)
        dl = next(iter(_within(d_starts, deadlines, s)), None)
        codes = tuple(sorted({g.code for g in _within(g_starts, groups, s)}))
        task = unit.task if unit.task is not None else _task_phrase(text, s, last)
        directives.append(Directive(idx, task, s.text, s.start, s.end, num, heading,
                                    dl.date if dl else None, codes))
        for f in found:
            obligations.append(Obligation(
                assignee=f.name, role=f.role, text=f.printed.text, start=f.printed.start,
                end=f.printed.end, directive=idx, task=task,
                deadline=dl.date if dl else None, groups=codes))
    return directives, obligations
