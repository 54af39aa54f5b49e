"""Resolve printed forms to canonical values.

Abbreviations are expanded from ``models/abbreviations.tsv``; upper-case
issuer blocks get the casing of a name (``TỔNG CỤC HẢI QUAN`` -> ``Tổng cục
Hải quan``); repeated citations merge into their first full mention; a
``Nơi nhận`` entry naming several bodies splits into one name each.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from .clean import fold, normalize_tones
from .knowledge import abbreviations, table, titles, word_list
from .models import Reference
from .regexes import agency_head

# ---------------------------------------------------------------- folding and casing


def fold_key(s: str) -> str:
    """Compare-key of names: the folding of GOLD_FORMAT.md (see ``evaluate.fold``)."""
    return fold(s)


_DIGIT_OR_SLASH = regex.compile(r"\d|/")
_DIGIT = regex.compile(r"\d")
_VIET_NAM = regex.compile(r"\bviệt nam\b")


def sentence_case(s: str) -> str:
    """``PHÓ GIÁM ĐỐC`` -> ``Phó giám đốc`` (codes and numbers kept)."""
    words = [w if _DIGIT_OR_SLASH.search(w) else w.lower() for w in s.split()]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


@lru_cache(maxsize=1)
def _canonical_heads() -> dict[str, str]:
    return {fold_key(h): h for h in word_list("agency_heads.txt")}


_NOT_PLACES = {"xã hội", "phường hội"}
_PLACE_WORDS = {"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn"}


def agency_case(upper: str) -> str:
    """Give an upper-case body name the casing of a name.

    The head keeps its canonical form (``Ủy ban nhân dân``), the first word of
    each coordinated part is capitalised (``Bộ Kế hoạch và Đầu tư``) and place
    names after ``tỉnh``/``huyện``... are title-cased (``tỉnh Kon Tum``).
    """
    text = normalize_tones(" ".join(upper.split()))
    if not text or any(c.islower() for c in text):
        return text
    lower = text.lower()
    heads = _canonical_heads()
    words = lower.split(" ")
    out: list[str] = []
    i = 0
    # the longest head at the start
    for n in range(min(5, len(words)), 0, -1):
        key = " ".join(words[:n])
        if key in heads:
            out.extend(heads[key].split(" "))
            i = n
            break
    capital_next = True
    place_mode = fold_key(" ".join(out)) in ("tỉnh ủy", "thành ủy", "huyện ủy")
    while i < len(words):
        w = words[i]
        two = " ".join(words[i:i + 2])
        if (w in _PLACE_WORDS or two in _PLACE_WORDS) and two not in _NOT_PLACES:
            step = 2 if two in _PLACE_WORDS else 1
            out.extend(words[i:i + step])
            i += step
            place_mode = True
            continue
        if place_mode or capital_next or _DIGIT.search(w):
            w = w[:1].upper() + w[1:] if not _DIGIT.search(w) else w.upper()
        out.append(w)
        capital_next = w in ("và", "-", "–") or w.endswith(",")
        i += 1
    result = _VIET_NAM.sub("Việt Nam", " ".join(out))
    return result[:1].upper() + result[1:]


# ---------------------------------------------------------------- abbreviations


@lru_cache(maxsize=1)
def _abbrev_pattern() -> regex.Pattern:
    keys = sorted(abbreviations(), key=len, reverse=True)
    alt = "|".join(regex.escape(k) for k in keys)
    return regex.compile(rf"(?<![\p{{L}}\d&/])(?<![\p{{Lu}}\d]-)(?:{alt})(?![\p{{L}}\d&])")


_RUN_ON_DOT = regex.compile(r"(?<=\p{Ll})\.\s*(?=\p{Lu})")
# an abbreviation printed beside its own expansion: "Hội LHPN" -> "Hội Hội ...",
# "TTg CP" -> "Thủ tướng Chính phủ Chính phủ"
_REPEATED = regex.compile(r"(?<![\p{L}])((?:\p{L}+\s+){0,2}\p{L}+)\s+\1(?![\p{L}])")


@lru_cache(maxsize=65536)
def expand(name: str) -> str:
    """``Hội LHPN`` -> ``Hội Liên hiệp Phụ nữ``; ``CA tỉnh`` -> ``Công an tỉnh``.
    Cached: names recur within and across documents."""
    table = abbreviations()
    out = _abbrev_pattern().sub(lambda m: table[m.group(0)], name)
    out = _RUN_ON_DOT.sub(" ", out)  # "các PCT.UBND" -> "... UBND"
    out = _REPEATED.sub(r"\1", out)
    return " ".join(out.split())


# ---------------------------------------------------------------- issuer blocks


@lru_cache(maxsize=1)
def _split_heads() -> list[list[str]]:
    return [h.split() for h in word_list("issuer_split_heads.txt")]


_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\d]")


def last_body(run: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The last body of an issuer block run together: ``BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN``.

    A new body starts at a head word only when the current one already has a
    word of its own after its head (``VĂN PHÒNG CHÍNH PHỦ`` stays whole) and a
    word follows the new head (``BỘ QUỐC PHÒNG`` stays whole).
    """
    words = [normalize_tones(t.strip(",.-–")).upper() for t, _, _ in run]
    start = 0
    head_len = _head_at(words, 0)
    i = max(head_len, 1)
    while i < len(words):
        h = _head_at(words, i)
        own_words = i - start - head_len
        if h and own_words >= 1 and i + h < len(words) and words[i - 1] not in ("VÀ", "-", "–", ","):
            start, head_len = i, h
            i += h
            continue
        i += 1
    body = [t for t in run[start:] if _LETTER_OR_DIGIT.search(t[0])]
    return body


def _head_at(words: list[str], i: int) -> int:
    for h in sorted(_split_heads(), key=len, reverse=True):
        if words[i:i + len(h)] == h:
            return len(h)
    return 0


_ISSUER_STOP = regex.compile(
    r"\s+(?:" + "|".join(regex.escape(w) for w in word_list("issuer_stops.txt")) + r")(?![\p{L}])"
    r"|[,.:;)]\s|[,.:;)]$|\s+[“\"]"
)


_TRAILING_AND = regex.compile(r"\s+(?:và|hoặc)$")
_BRACKETED = regex.compile(r"\s*\([^)]*\)\s*")


def trim_issuer(s: str) -> str | None:
    """``Ban Chỉ đạo 138 tỉnh thực hiện công tác ...`` -> ``Ban Chỉ đạo 138 tỉnh``."""
    m = _ISSUER_STOP.search(s)
    out = s[:m.start()] if m else s
    out = _TRAILING_AND.sub("", out.strip(" ,.;:"))
    if not out or not (out[0].isupper() or out.startswith(("các ",))):
        return None
    return expand(out)


def issuer_name(printed: str) -> str:
    """Canonical issuer: the long name before ``(gọi tắt là ...)``, cased and expanded."""
    text = _BRACKETED.sub(" ", printed).strip(" ,")
    name = expand(agency_case(text))
    return name[:1].upper() + name[1:]  # "chủ tịch UBND huyện yêu cầu ..." opens a sentence


# ---------------------------------------------------------------- references


_KEY_SEPARATORS = regex.compile(r"[\s\-–—/]+")
_BARE_SEPARATORS = regex.compile(r"\d{4}|[\s\-–—/.]+")


def ref_key(number: str | None, symbol: str | None) -> str:
    sym = _KEY_SEPARATORS.sub("", normalize_tones(symbol or "")).upper()
    return f"{number or ''}|{sym}"


def same_document(n1: str | None, s1: str | None, n2: str | None, s2: str | None) -> bool:
    """``1961/QĐUBND`` and ``1961/2019/QĐ-UBND`` name the same document."""
    def bare(s: str | None) -> str:
        return _BARE_SEPARATORS.sub("", normalize_tones(s or "")).upper()
    return n1 == n2 and bare(s1) == bare(s2)


def merge_references(found: list[Reference]) -> list[Reference]:
    """One entry per cited document, in order of first mention.

    A later short mention (no date, no issuer) resolves to the first full one;
    a field missing in the first mention is taken from a later one.
    """
    merged: dict[str, Reference] = {}
    for ref in found:
        key = ref_key(ref.number, ref.symbol)
        first = merged.get(key)
        if first is None:
            merged[key] = Reference(**{**ref.__dict__, "stage": "resolve"})
            continue
        merged[key] = Reference(
            doc_type=first.doc_type or ref.doc_type,
            number=first.number or ref.number,
            symbol=ref.symbol if first.symbol.isupper() and not ref.symbol.isupper() else first.symbol,
            date=_fuller_date(first.date, ref.date),
            issuer=first.issuer or ref.issuer,
            text=first.text, start=first.start, end=first.end,
            mentions=first.mentions + 1, stage="resolve",
        )
    return list(merged.values())


def _fuller_date(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is not None and b.startswith(a) and len(b) > len(a):
        return b
    return a


# ---------------------------------------------------------------- recipients

_NOTE = regex.compile(r"\s*\((?P<note>[^()]*)\)")
_ADDRESS = regex.compile(r"\s*[-–]?\s*(?:Đ/c|Địa chỉ)\s*:?\s*(?:số\s*\d|KP\.|\d).*$", regex.DOTALL)
_PERSON = regex.compile(r"\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,4}")
_PLURAL_WORD = regex.compile(r"(?<![\p{L}])[Cc]ác\s+")
_CAC_ANY_CASE = regex.compile(r"^(?:các|Các)\s+")
_DONG_CHI_OR_CAC = regex.compile(r"^(?:Đồng chí|đồng chí|các|Các)\s+")
_PLURAL_HEAD = regex.compile(r"\s*[Cc]ác\s+(?P<head>.+?)\s*")
_COLON = regex.compile(r":\s+")
_LUU = regex.compile(r"\s*(?:Lưu)")
_COMMA = regex.compile(r",\s*")
_BODY_CUT = regex.compile(r",\s+|\s+và\s+(?=các\s)|\s+và\s+(?=(?:Phó\s+)?(?:Chủ tịch|Giám đốc|Bí thư|Thủ trưởng)\s)")
_UPPER_CODE = regex.compile(r"\p{Lu}[\p{Lu}\d&]+(?![\p{Ll}])")
_ABBREVIATED_TITLE = regex.compile(r"(?:Tr|C|P)\.\p{L}")


def recipient_names(entry: str) -> list[tuple[str, tuple[int, int], str | None]]:
    """Split one ``Nơi nhận``/``Kính gửi`` entry into canonical names.

    Returns (name, (start, end) within ``entry`` of the printed part, note).
    ``Hội LHPN, CA tỉnh`` -> two bodies; ``các PTTg: A, B`` -> ``Phó Thủ tướng A``,
    ``Phó Thủ tướng B``; ``CT, các PCT UBND tỉnh`` -> the suffix ``UBND tỉnh``
    is shared by the bare title ``CT``.
    """
    return list(_recipient_names(entry))


@lru_cache(maxsize=16384)
def _recipient_names(entry: str) -> tuple[tuple[str, tuple[int, int], str | None], ...]:
    """:func:`recipient_names`, cached: a list of bodies is read again by each task
    that names it."""
    notes = [m.group("note") for m in _NOTE.finditer(entry)]
    note = "; ".join(notes) if notes else None
    address = _ADDRESS.search(entry)
    parts = _split_parts(entry[:address.start()] if address else entry)
    out: list[tuple[str, tuple[int, int], str | None]] = []
    for i, (s, e, prefix) in enumerate(parts):
        printed = entry[s:e]
        text = _NOTE.sub(" ", printed)
        text = _ADDRESS.sub("", text).strip(" ,.;:-–")
        if not text:
            continue
        head = _plural_head(prefix) if prefix is not None else None
        if prefix is not None and _PERSON.fullmatch(text):
            # "Các PCT: Nguyễn A", "UBND các tỉnh: Lạng Sơn, Cao Bằng": each item is one
            # of the plural, named in the singular (Ủy ban nhân dân tỉnh Lạng Sơn)
            title = _PLURAL_WORD.sub("", expand(prefix))
            name = f"{title} {text}"
        elif head is not None:
            item = expand(text)
            item = item if item[:1].isupper() else text  # "TP" is a ministry code here
            name = item if fold_key(item).startswith(fold_key(head)) else f"{head} {item}"
        else:
            name = expand(text)
            if prefix is None and _is_bare_title(name):
                suffix = _shared_suffix(entry, parts[i + 1:], name)
                if suffix:
                    name = f"{name} {expand(suffix)}"
        out.append((" ".join(name.split()), (s, s + len(printed.rstrip(" ,.;"))), note))
    return tuple(_share_place(out))


_TRAILING_PLACE = regex.compile(r"\s(?:tỉnh|thành phố|huyện|quận|thị xã)(?:\s+\p{Lu}\p{L}*)*$")


def _share_place(names: list[tuple[str, tuple[int, int], str | None]]) -> list:
    """``TT. HĐND, UBND tỉnh``: a council or committee printed with no place shares the
    place that ends the entry (``Thường trực Hội đồng nhân dân tỉnh``)."""
    if len(names) < 2:
        return names
    place = _TRAILING_PLACE.search(names[-1][0])
    if place is None:
        return names
    bare = _placeless_heads()
    return [(f"{n}{place.group(0)}" if fold_key(n) in bare else n, span, note)
            for n, span, note in names[:-1]] + names[-1:]


def placeless(name: str) -> bool:
    """``Ủy ban nhân dân``: a council or committee named with no place."""
    return fold_key(name) in _placeless_heads()


@lru_cache(maxsize=1)
def _placeless_heads() -> frozenset[str]:
    """Heads of councils, committees and fronts that a place completes (``Ủy ban nhân dân``)."""
    kinds = ("people_council", "people_committee", "front", "mass_org", "party")
    return frozenset(fold_key(r["head"]) for r in table("agency_kinds.tsv")
                     if r["kind"] in kinds and not r["level"])


def _plural_head(prefix: str) -> str | None:
    """``Các Bộ`` -> ``Bộ``: a list head whose items are members (``Các Bộ: YT, TC``)."""
    m = _PLURAL_HEAD.fullmatch(prefix)
    if not m:
        return None
    head = expand(m.group("head"))
    h = agency_head().fullmatch(head)
    return head[:1].upper() + head[1:] if h else None


def _split_parts(entry: str) -> list[tuple[int, int, str | None]]:
    """Comma/colon parts of an entry: (start, end, prefix for a ``X: a, b`` list)."""
    colon = _COLON.search(entry)
    if colon and not _LUU.match(entry):
        left = _comma_parts(entry, 0, colon.start())
        prefix_s, prefix_e = left.pop() if left else (0, colon.start())
        prefix = entry[prefix_s:prefix_e]
        right = [(s, e) for s, e in _all_commas(entry, colon.end(), len(entry))]
        return [(s, e, None) for s, e in left] + [(s, e, prefix) for s, e in right]
    return [(s, e, None) for s, e in _comma_parts(entry, 0, len(entry))]


def _all_commas(entry: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a ``X: a, b, c`` list: cut at every comma but those inside a
    known name (``Giám đốc: Sở Văn hóa, Thể thao và Du lịch, Sở Y tế``)."""
    from .names import known  # names reads knowledge only: no cycle at load

    inside = [(k.start, k.end) for k in known(entry, start, end)]
    out, pos = [], start
    for m in _COMMA.finditer(entry[start:end]):
        at = start + m.start()
        if any(s < at < e for s, e in inside):
            continue
        out.append((pos, at))
        pos = start + m.end()
    out.append((pos, end))
    return [(s, e) for s, e in out if entry[s:e].strip()]


def _comma_parts(entry: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split at ``, `` only where a new body begins (``Hội LHPN, CA tỉnh``), not
    inside a name (``Sở Văn hóa, Thể thao và Du lịch``, ``các huyện, thành phố``),
    and at `` và các `` (``Ủy ban MTTQVN và các tổ chức chính trị - xã hội``)."""
    cuts: list[tuple[int, int]] = []
    for m in _BODY_CUT.finditer(entry[start:end]):
        nxt = entry[start + m.end():end]
        left = entry[(cuts[-1][1] if cuts else start):start + m.start()]
        bare = _PLURAL_HEAD.fullmatch(left)
        if bare and agency_head().fullmatch(bare.group("head")) and m.group(0).strip() != "và":
            continue  # a bare plural head shares what follows: "các huyện, thành phố"
        if m.group(0).strip() == "và" or _starts_new_body(nxt):
            cuts.append((start + m.start(), start + m.end()))
    out, pos = [], start
    for s, e in cuts:
        out.append((pos, s))
        pos = e
    out.append((pos, end))
    return [(s, e) for s, e in out if entry[s:e].strip()]


def _starts_new_body(nxt: str) -> bool:
    first = nxt.split(" ", 1)[0].strip(",.;:")
    if not first:
        return False
    table = abbreviations()
    if first in table:
        return table[first][:1].isupper()  # "TP" -> "thành phố" continues a list of places
    if first.lower() == "các":
        return True
    # a prefix is enough to compare with the titles: folding all of a long run-on
    # entry at each of its commas took quadratic time
    folded = fold_key(nxt[:_TITLE_PREFIX])
    if agency_head().match(nxt) or any(folded.startswith(t) for t in _folded_titles()):
        return True
    if _UPPER_CODE.match(first):  # an upper-case code: VP, TH, LĐ
        return True
    if _ABBREVIATED_TITLE.match(first) or first.startswith("Cơ"):
        return True
    return False


_TITLE_PREFIX = 200  # characters: the longest official title is far shorter


@lru_cache(maxsize=1)
def _folded_titles() -> tuple[str, ...]:
    """The official titles folded once (longest first), for prefix tests."""
    return tuple(fold_key(t) for t in titles())


@lru_cache(maxsize=1)
def title_by_key() -> dict[str, str]:
    """Folded official title -> the title (the longest first wins a shared key)."""
    out: dict[str, str] = {}
    for title, key in zip(titles(), _folded_titles(), strict=False):
        out.setdefault(key, title)
    return out


def _fold_title(title: str) -> str:
    return _folded_titles()[titles().index(title)]


def _is_bare_title(name: str) -> bool:
    bare = _DONG_CHI_OR_CAC.sub("", name)
    return fold_key(bare) in _folded_titles()


def _shared_suffix(entry: str, later: list[tuple[int, int, str | None]], bare: str = "") -> str | None:
    """``CT, các PCT UBND tỉnh``: the body after the title of a later part. A title
    of another family shares only the body's place (``Bí thư và Chủ tịch UBND các
    tỉnh`` -> ``Bí thư các tỉnh``); a body with no place shares nothing
    (``Chánh Văn phòng, Thủ trưởng các đơn vị trực thuộc ...``)."""
    for s, e, _ in later:
        text = _NOTE.sub(" ", entry[s:e]).strip(" ,.;")
        expanded = expand(text)
        rest_of = _CAC_ANY_CASE.sub("", expanded)
        for t in titles():
            if fold_key(rest_of).startswith(_fold_title(t) + " "):
                rest = rest_of.split(" ", len(t.split()))[-1]
                if not rest:
                    return None
                if _title_family(t) == _title_family(bare):
                    return rest
                place = _PLACE_PART.search(rest)
                return place.group(0) if place else None
    return None


_PLACE_PART = regex.compile(r"(?<![\p{L}])(?:các\s+|cấp\s+)?(?:tỉnh|thành phố|huyện|quận|thị xã|xã(?!\s+hội)"
                            r"|phường(?!\s+hội))(?![\p{L}]).*$")


def _title_family(title: str) -> str:
    """``Phó Chủ tịch`` and ``Chủ tịch`` are heads of one body; ``Bí thư`` of another."""
    key = fold_key(_DONG_CHI_OR_CAC.sub("", title))
    return key[4:] if key.startswith("phó ") else key
