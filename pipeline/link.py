"""Link agency names to canonical agencies: one name, one id per body.

The same body printed in two documents gets one canonical name, hence one
``agency_id`` (a hash of the folded name) across the archive:

>>> ctx = Context(province="Lạng Sơn")
>>> link("UBND tỉnh", ctx).name
'Ủy ban nhân dân tỉnh Lạng Sơn'
>>> link("Sở Văn hóa, Thể thao và Du lịch", ctx).name
'Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn'
>>> a = link("Ủy ban nhân dân các huyện, thành phố", ctx)
>>> a.name, a.level, a.kind
('Ủy ban nhân dân các huyện, thành phố tỉnh Lạng Sơn', 'district', 'people_committee')

Steps: abbreviations expanded, case and tone placement made one; a title that
acts for the body dropped (``Giám đốc Sở Tài chính`` -> the Sở); the head word
looked up in ``models/agency_kinds.tsv`` (kind, level, what a bare name takes
from its document); a standard name snapped to its one spelling (the gazetteer,
``models/bodies.tsv``); place names spelled from the administrative-unit
lists of ``vietnamadminunits`` (63 provinces before the 2025 merger, 34 after);
and the document's province, district or ministry put in where the name leaves
it out (``Công an tỉnh`` -> ``Công an tỉnh Lạng Sơn``). A name that carries its
own place keeps it; central bodies (``Bộ ...``, ``Cục ...``) get no province.
"""
from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from rapidfuzz import fuzz, process

from .clean import normalize_tones
from .knowledge import abbreviations, table, titles, word_list
from .models import Agency, DocumentInfo
from .resolve import agency_case, expand, fold_key

# central bodies sit in the capital, so "Hà Nội, ngày ..." under a ministry or
# an unknown issuer says nothing about the province the document is about
_CAPITAL = "Hà Nội"
_LEVELS = ("central", "province", "district", "commune")
_PLACE_LEVEL = {"tỉnh": "province", "huyện": "district", "quận": "district",
                "thị xã": "district", "xã": "commune", "phường": "commune",
                "thị trấn": "commune"}
_PARTY = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy",
          "quận": "Quận ủy", "thị xã": "Thị ủy"}


@dataclass(frozen=True)
class Context:
    """What a document tells about where it comes from."""

    province: str | None = None  # short name, e.g. "Lạng Sơn"
    ministry: str | None = None  # for central documents, e.g. "Bộ Công an"
    district: str | None = None  # for district documents, e.g. "huyện Văn Lãng"
    issuer: str | None = None  # canonical issuer: "Văn phòng Sở" is its office


# ================================================================ folding

_TOKEN = regex.compile(r"[^\s,.;:()\"“”'\-–—‐‑‒−]+")


def _ascii(s: str) -> str:
    """Fold without diacritics: ``Lạng Sơn`` -> ``lang son`` (for printed typos)."""
    bare = unicodedata.normalize("NFD", fold_key(s)).replace("đ", "d")
    return "".join(c for c in bare if not unicodedata.combining(c))


def _cut(text: str, n_words: int) -> int:
    """End offset in ``text`` of its first ``n_words`` folded words."""
    end = 0
    for i, m in enumerate(_TOKEN.finditer(text)):
        if i == n_words:
            break
        end = m.end()
    return end


def agency_id(name: str) -> str:
    """Stable id of a canonical name: a short hash of its folded form."""
    return hashlib.blake2b(fold_key(name).encode("utf-8"), digest_size=8).hexdigest()


# ================================================================ places


@dataclass(frozen=True)
class Unit:
    """A province or district of the administrative-unit lists."""

    type: str  # tỉnh | thành phố | huyện | quận | thị xã
    name: str  # "Lạng Sơn"
    province: str  # the province it lies in (itself for a province)
    level: str  # province | district

    def __str__(self) -> str:
        return f"{self.type} {self.name}"


def _short_type(full: str) -> str:
    return "thành phố" if full.lower().startswith("thành phố") else "tỉnh"


def _admin_rows(fields: list[str], units: str) -> list[dict[str, str]]:
    """Distinct rows of the ``vietnamadminunits`` dataset, read straight from its
    SQLite file: importing the package loads its address-parser JSON (~50 MB per
    process), which congvan does not need."""
    import sqlite3
    from importlib.util import find_spec

    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits is not installed")
    db = Path(list(spec.submodule_search_locations)[0]) / "data" / "dataset.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        cols = ", ".join(f"[{f}]" for f in fields)
        return [dict(r) for r in conn.execute(f"SELECT DISTINCT {cols} FROM [{units}]")]


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Unit]:
    """Diacritic-free key -> province, from both lists (63 before the 2025 merger,
    34 after: every new name is an old one) and ``models/agency_places.tsv``."""
    import json

    out: dict[str, Unit] = {}
    for units in ("admin_units_legacy", "admin_units"):
        for row in _admin_rows(["province", "provinceShort", "provinceAlias"], units):
            unit = Unit(_short_type(row["province"]), row["provinceShort"], row["provinceShort"],
                        "province")
            out.setdefault(_ascii(unit.name), unit)
            for alias in json.loads(row["provinceAlias"] or "[]"):
                out.setdefault(alias, unit)
    for row in table("agency_places.tsv"):
        canon = row["canonical"]
        out.setdefault(_ascii(row["name"]), Unit(row["type"], canon, canon, "province"))
    return out


@lru_cache(maxsize=1)
def _districts() -> dict[str, tuple[Unit, ...]]:
    """Diacritic-free key -> districts of that name (``Châu Thành`` is in many provinces)."""
    out: dict[str, list[Unit]] = defaultdict(list)
    rows = _admin_rows(["provinceShort", "districtShort", "districtType"], "admin_units_legacy")
    for row in rows:
        unit = Unit(row["districtType"].lower(), row["districtShort"], row["provinceShort"],
                    "district")
        out[_ascii(unit.name)].append(unit)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _province_names() -> tuple[str, ...]:
    return tuple(sorted({u.name for u in _provinces().values()}, key=len, reverse=True))


# patterns of the spelling and mention helpers, compiled once (they run per name)
_PROVINCE_WORD = regex.compile(r"^(?:tỉnh|thành phố|tp)\b\s*")
_PLURAL_OPENING = regex.compile(r"^(?:các|mọi)\s+")
_ANY_CASE_PLURAL = regex.compile(r"(?:các|mọi)\s+", regex.IGNORECASE)
_CAC = regex.compile(r"(?:các|Các)\s+")
_LIST_JOIN = regex.compile(r"\s*(?:,|và|hoặc)\s*")
_NOTE = regex.compile(r"\s*\([^()]*\)")
_DASH = regex.compile(r"(?<=\p{L})\s*[-–—]\s*(?=\p{L})")
_COMMA = regex.compile(r"\s*,\s*")


def province_unit(text: str, fuzzy: bool = True) -> Unit | None:
    """``Lạng Sơn``, ``lang son``, ``TP HCM``, ``Lạng Sơm`` -> the province; else None."""
    key = _ascii(_PROVINCE_WORD.sub("", fold_key(expand(text))))
    provinces = _provinces()
    if key in provinces:
        return provinces[key]
    if not fuzzy or len(key) < 6:
        return None
    words = len(key.split())
    same = [k for k in provinces if len(k.split()) == words]
    best = process.extractOne(key, same, scorer=fuzz.ratio, score_cutoff=85)
    return provinces[best[0]] if best else None


def is_place(name: str) -> bool:
    """``Lạng Sơn``, ``Văn Lãng``: the name of a province or district (exact, any case)."""
    return province_unit(name, fuzzy=False) is not None or bool(_district_units(name))


def _district_units(text: str, type_: str | None = None) -> tuple[Unit, ...]:
    units = _districts().get(_ascii(text), ())
    return tuple(u for u in units if type_ is None or u.type == type_)


def _named_unit(type_: str, words: list[str]) -> tuple[int, tuple[Unit, ...]]:
    """The longest run of ``words`` that names a unit of ``type_``: (words used, units)."""
    for n in range(min(5, len(words)), 0, -1):
        cand = " ".join(words[:n]).rstrip(",;.")
        if type_ in ("tỉnh", "thành phố"):
            unit = province_unit(cand, fuzzy=n >= 2)
            if unit and (unit.type == type_ or type_ == "tỉnh"):
                return n, (unit,)
        if type_ in ("thành phố", "huyện", "quận", "thị xã"):
            units = _district_units(cand, type_)
            if units:
                return n, units
    return 0, ()


# ================================================================ knowledge


@dataclass(frozen=True)
class _Head:
    head: str  # canonical spelling
    kind: str
    level: str | None
    scope: str | None  # province | district | ministry
    alone: str | None  # yes | issuer: what the head names with nothing after it


@lru_cache(maxsize=1)
def _heads() -> dict[str, _Head]:
    return {fold_key(r["head"]): _Head(r["head"], r["kind"], r["level"] or None,
                                       r["scope"] or None, r["alone"] or None)
            for r in table("agency_kinds.tsv")}


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    """Folded prefix -> drop | keep; every title drops."""
    out = {fold_key(t): "drop" for t in titles()}
    out.update({fold_key(r["prefix"]): r["action"] for r in table("agency_prefixes.tsv")})
    return out


@lru_cache(maxsize=1)
def _standard_names() -> dict[str, dict[str, str]]:
    """First word -> {diacritic-free body name -> canonical spelling}, from the
    gazetteer (``models/bodies.tsv``)."""
    from .names import bodies

    out: dict[str, dict[str, str]] = defaultdict(dict)
    for b in bodies():
        body = regex.sub(r"\s+(?:tỉnh|huyện)$", "", b.name)
        key = _ascii(body)
        out[key.split()[0]][key] = body
    return dict(out)


@lru_cache(maxsize=1)
def _central_words() -> regex.Pattern:
    alt = "|".join(regex.escape(w) for w in word_list("agency_central_words.txt"))
    return regex.compile(rf"(?<![\p{{L}}])(?:{alt})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _not_place_before() -> regex.Pattern:
    alt = "|".join(regex.escape(w) for w in word_list("agency_not_places.txt"))
    return regex.compile(rf"(?:{alt})\s+$")


@lru_cache(maxsize=1)
def _not_bodies() -> tuple[str, ...]:
    return tuple(fold_key(w) for w in word_list("agency_not_bodies.txt"))


def _ordinary_words(name: str) -> bool:
    """``Báo cáo ...``, ``Các trường hợp ...``: ordinary words, not a body's name."""
    key = _PLURAL_OPENING.sub("", fold_key(name))
    return any(key == w or key.startswith(w + " ") for w in _not_bodies())


@lru_cache(maxsize=1)
def _ministry_words() -> regex.Pattern:
    """Heads of ministry-level bodies: a ``Vụ`` that names one keeps it."""
    alt = "|".join(regex.escape(h.head) for h in _heads().values()
                   if h.kind in ("ministry", "government"))
    return regex.compile(rf"(?<![\p{{L}}])(?:{alt})(?![\p{{L}}])")


def _head_at(name: str) -> tuple[int, int, _Head] | None:
    """The longest head at the start of ``name``, after ``các`` and kept prefixes
    (``Thường trực Tỉnh ủy``): (start, end, head) with offsets into ``name``."""
    start = 0
    while True:
        m = _ANY_CASE_PLURAL.match(name, start)
        if m:
            start = m.end()
            continue
        words = fold_key(name[start:]).split()
        heads = _heads()
        for n in range(min(8, len(words)), 0, -1):
            head = heads.get(" ".join(words[:n]))
            if head:
                return start, start + _cut(name[start:], n), head
        kept = next((n for n in range(min(3, len(words) - 1), 0, -1)
                     if _prefixes().get(" ".join(words[:n])) == "keep"), 0)
        if not kept:
            return None
        start += _cut(name[start:], kept)
        start += len(name[start:]) - len(name[start:].lstrip(" ,"))


def _drop_titles(name: str) -> str:
    """``Giám đốc Sở Tài chính`` -> ``Sở Tài chính``; ``các Phó Chủ tịch Ủy ban nhân dân
    tỉnh`` -> ``Ủy ban nhân dân tỉnh``. A head longer than the title stays
    (``Thủ tướng Chính phủ``); a title before a person is not a body."""
    prefixes = _prefixes()
    while True:
        m = _CAC.match(name)
        rest = name[m.end():] if m else name
        words = fold_key(rest).split()
        head = _head_at(rest)
        head_words = len(fold_key(rest[head[0]:head[1]]).split()) if head and head[0] == 0 else 0
        for n in range(min(6, len(words) - 1), 0, -1):
            if prefixes.get(" ".join(words[:n])) != "drop" or head_words >= n:
                continue
            after = rest[_cut(rest, n):].lstrip(" ,:")
            if _head_at(after):
                name = after
                break
        else:
            return name


# ================================================================ mentions of places

_PLACE = regex.compile(
    r"(?<![\p{L}])(?:(?P<party>tỉnh|thành|huyện|quận|thị)\s+ủy"
    r"|(?P<type>thành phố|thị trấn|thị xã|tỉnh|huyện|quận|xã|phường))(?![\p{L}])",
    regex.IGNORECASE)
_PARTY_TYPE = {"thành": "thành phố", "thị": "thị xã"}
_NAME_RUN = regex.compile(r"\s+((?:\p{Lu}\p{L}*|\d+)(?:(?:\s+|\s*-\s*)(?:\p{Lu}\p{L}*|\d+))*)")
_BARE_END = regex.compile(r"\s*(?:$|[,;]|\s(?:và|hoặc|trực thuộc|thuộc|có liên quan|liên quan|"
                          r"trên địa bàn|trên toàn quốc)(?![\p{L}]))")
_PLACE_BEFORE = regex.compile(r"(?:thành phố|thị xã|tỉnh|huyện|quận|ủy)\s+$", regex.IGNORECASE)
# searched in the 40 characters before a place only: a long run-on name would
# otherwise be searched from its start at each of its places (quadratic)
_PLURAL_BEFORE = regex.compile(r"(?:các|cấp|mọi|Các|Cấp|Mọi)\s+$")


@dataclass
class _Mention:
    start: int
    end: int
    type: str  # tỉnh, thành phố, huyện ...
    party: bool  # "Tỉnh ủy", "Huyện ủy"
    units: tuple[Unit, ...] = ()  # named and found in the lists
    printed: str | None = None  # named but not in the lists
    collective: bool = False  # "các huyện, thành phố", "cấp xã"

    @property
    def bare(self) -> bool:
        return not self.units and self.printed is None


def _mentions(name: str, head: tuple[int, int, _Head]) -> list[_Mention]:
    """Places in ``name``: named (``tỉnh Lạng Sơn``), bare (``Công an tỉnh``) or
    plural (``các huyện, thành phố``); ``xã hội`` and ``Hợp tác xã`` are not places."""
    hs, he, h = head
    head_is_place = h.kind in ("locality", "party")
    out: list[_Mention] = []
    for m in _PLACE.finditer(name):
        if m.start() < he and not (head_is_place and m.start() == hs):
            continue  # a word of the head: "Hợp tác xã"
        if out and m.start() < out[-1].end:
            continue  # inside the last place: "Thành ủy Thành phố Hồ Chí Minh"
        party = m.group("party")
        type_ = _PARTY_TYPE.get(party.lower(), party.lower()) if party else m.group("type").lower()
        rest = name[m.end():]
        words = rest.split(maxsplit=5)[:5]  # a unit name has at most 5 words
        n, units = _named_unit(type_, words) if rest[:1] == " " else (0, ())
        if units:
            end = m.end() + _cut(rest, n) if n else m.end()
            out.append(_Mention(m.start(), end, type_, bool(party), units))
            continue
        run = _NAME_RUN.match(rest)
        # a capitalised "Xã" is a word of the name ("Thương binh và Xã Hội"), not a commune
        if run and (type_ not in ("xã", "phường") or m.group(0)[0].islower()):
            out.append(_Mention(m.start(), m.end() + run.end(), type_, bool(party),
                                printed=run.group(1)))
            continue
        if not _BARE_END.match(rest):
            continue  # "xã hội", "Tỉnh đoàn"
        plural = bool(_PLURAL_BEFORE.search(name, max(0, m.start() - 40), m.start()))
        mention = _Mention(m.start(), m.end(), type_, bool(party), collective=plural)
        prev = out[-1] if out else None
        if prev and prev.bare and _LIST_JOIN.fullmatch(name, prev.end, m.start()):
            prev.collective = mention.collective = True  # "Tỉnh ủy, Thành ủy"
        out.append(mention)
    return out


def _mention_level(m: _Mention, mentions: list[_Mention]) -> str:
    if m.units:
        return m.units[0].level
    if m.type == "thành phố":
        first = next((x for x in mentions if x.collective and x.type != "thành phố"), None)
        if m.collective and first is not None:
            return _PLACE_LEVEL[first.type]  # "các tỉnh, thành phố" / "các huyện, thành phố"
        return "district" if not m.collective else "province"
    return _PLACE_LEVEL[m.type]


def _lowest(levels: list[str | None]) -> str | None:
    known = [lv for lv in levels if lv]
    return max(known, key=_LEVELS.index) if known else None


# ================================================================ canonical names


@dataclass(frozen=True)
class _Canonical:
    name: str
    kind: str
    level: str | None
    province: Unit | None  # the province the body belongs to, when known
    district: str | None  # "huyện Văn Lãng" for a district body


def _spell(name: str) -> str:
    """One spelling: NFC, tone placement, abbreviations, spaces, dashes, and the case
    of a name printed all upper or all lower (``SỞ TÀI CHÍNH`` -> ``Sở Tài chính``)."""
    text = " ".join(normalize_tones(unicodedata.normalize("NFC", name)).split())
    text = _NOTE.sub("", text)  # notes: "(để b/c)", "(PV GAS)"
    text = expand(text).strip(" ,.;:-–—")
    if not any(c.islower() for c in text):
        text = agency_case(text)
    text = _DASH.sub(" - ", text)
    return _COMMA.sub(", ", text)


# "(có) liên quan", "khác": a qualifier of a plural, not part of the body's name
_QUALIFIER = regex.compile(r"(?:\s+khác)?(?:\s+có)?\s+liên\s+quan$|\s+khác$")
# lower-case words that may follow a head and are not the first word of a name
_NOT_NAME_START = frozenset({"nơi", "các", "cấp", "thuộc", "trực", "có", "và", "ở", "tại",
                             "của", "trên", "được", "đã", "khác"})
# heads whose next word opens a proper name (not "Ban Chỉ đạo phòng, chống ...")
_NAMED_KINDS = frozenset({"ministry", "agency", "department", "division", "institute",
                          "center", "school"})


def _capitalise_after(text: str, he: int, head: _Head) -> str:
    """``Cục trợ giúp pháp lý`` -> ``Cục Trợ giúp pháp lý``: the word after a head
    opens a proper name and is written with a capital."""
    if head.kind not in _NAMED_KINDS or not head.head[:1].isupper():
        return text
    m = regex.match(r"\s+(\p{Ll})(\p{L}*)", text[he:])
    if not m or (m.group(1) + m.group(2)) in _NOT_NAME_START or _PLACE.match(text, he + m.start(1)):
        return text
    i = he + m.start(1)
    return text[:i] + text[i].upper() + text[i + 1:]


def _snap(body: str) -> str:
    """``Sở Lao động, Thương binh và Xã hội`` -> ``Sở Lao động - Thương binh và Xã hội``."""
    key = _ascii(body)
    if not key:
        return body
    names = _standard_names().get(key.split()[0])
    if not names:
        return body
    if key in names:
        return names[key]
    best = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=92)
    return names[best[0]] if best else body


def _context_units(ctx: Context) -> tuple[Unit | None, Unit | None]:
    prov = None
    if ctx.province:
        prov = province_unit(ctx.province) or Unit("tỉnh", ctx.province, ctx.province, "province")
    dist = None
    if ctx.district:
        m = regex.match(r"(thành phố|huyện|quận|thị xã)\s+(.+)", ctx.district)
        if m:
            dist = Unit(m.group(1), m.group(2), prov.name if prov else "", "district")
    return prov, dist


def _fill(m: _Mention, prov: Unit | None, dist: Unit | None) -> Unit | None:
    """The unit of the document that a bare ``tỉnh`` / ``huyện`` / ``Tỉnh ủy`` means."""
    if m.collective:
        return None
    if dist is not None and dist.type == m.type:
        return dist
    if prov is not None and prov.type == m.type:
        return prov
    return None


def _pick(units: tuple[Unit, ...], prov: Unit | None) -> Unit | None:
    """One of several same-named districts: the one in the document's province."""
    if len(units) == 1:
        return units[0]
    inside = [u for u in units if prov is not None and u.province == prov.name]
    return inside[0] if len(inside) == 1 else None


def _place_text(m: _Mention, unit: Unit | None) -> str:
    """``tỉnh Lai Châu``, ``Tỉnh ủy Kon Tum``: the type in its case, the name as listed."""
    name = unit.name if unit else (m.units[0].name if m.units else m.printed)
    word = _PARTY[m.type] if m.party else m.type
    return f"{word} {name}" if name else word


def _bare_province_end(name: str) -> Unit | None:
    """``Báo Lạng Sơn``, ``Kho bạc Nhà nước Tuyên Quang``: a province name ends the name."""
    for p in _province_names():
        if name.endswith(" " + p):
            before = name[:-len(p)]
            if _not_place_before().search(before) or _PLACE_BEFORE.search(before):
                return None
            return province_unit(p)
    return None


@lru_cache(maxsize=16_384)  # bounded: an archive holds millions of names
def _canonical(name: str, ctx: Context) -> _Canonical | None:
    text = _QUALIFIER.sub("", _drop_titles(_spell(name)))
    found = _head_at(text)
    if found is None or _ordinary_words(text):
        return None
    hs, he, head = found
    rest = text[he:].strip()
    if head.head in titles() and regex.fullmatch(r"(?:\p{Lu}\p{Ll}*\s*){2,5}", rest):
        return None  # "Thủ tướng Nguyễn Xuân Phúc" is a person
    text = text[:hs] + head.head + text[he:]
    he = hs + len(head.head)
    if not rest and head.alone == "issuer" and ctx.issuer:
        text = f"{text} {ctx.issuer}"  # "Văn phòng" in a Sở's dispatch: the Sở's office
    elif not rest and head.alone != "yes" and hs == 0:
        return _bare_head(head, ctx)  # "các Bộ" (hs > 0) stays a plural of its own
    text, owner = _issuer_end(text, he, ctx)
    text = _capitalise_after(text, he, head) if hs == 0 else text

    prov, dist = _context_units(ctx)
    mentions = _mentions(text, (hs, he, head))
    body_end = min([m.start for m in mentions], default=len(text))
    body = regex.sub(r"[\s,]*(?:(?:các|cấp|mọi)\s*)?$", "", text[:body_end])
    text = _snap(body) + text[len(body):] if hs == 0 else text

    # spell the places, fill the bare ones from the document
    mentions = _mentions(text, (hs, he, head))
    out, pos = [], 0
    levels: list[str | None] = []
    level: str | None
    province: Unit | None = None  # the province the name names or takes
    has_province = False
    lower: list[Unit | None] = []  # districts and communes named or filled
    for m in mentions:
        unit = _pick(m.units, prov) if m.units else (_fill(m, prov, dist) if m.bare else None)
        out.append(text[pos:m.start])
        out.append(_place_text(m, unit))
        pos = m.end
        level = unit.level if unit else _mention_level(m, mentions)
        levels.append(level)
        if level == "province":
            has_province = True
            province = province or (unit if unit and unit.level == "province" else None)
        elif not m.bare or unit is not None:
            lower.append(unit)
    out.append(text[pos:])
    text = "".join(out)

    central = not mentions and bool(_central_words().search(text[he:]))
    bare_prov = None if has_province else _bare_province_end(text)
    has_province = has_province or central or bare_prov is not None
    province = province or bare_prov
    level = _lowest(levels) or ("central" if central else None) or (
        "province" if bare_prov else None) or head.level or (owner.level if owner else None)
    district = next((str(u) for u in lower if u is not None and u.level == "district"), None)

    local = ctx.ministry is None and prov is not None
    if not has_province and lower:
        # a district or commune named without its province: the list's, else the document's
        unit = lower[0]
        home = province_unit(unit.province) if unit and unit.province else (
            prov if local else None)
        if home is not None:
            text += f", {home}"
            province = home
    elif not has_province and local and (levels or head.scope in ("province", "district")):
        # a bare body of a local document is the document's province's or district's
        if head.scope == "district" and dist is not None and not levels:
            text += f" {dist}, {prov}"
            level, district = "district", str(dist)
        else:
            text += f" {prov}"
            level = level or "province"
        province = prov
    if ctx.ministry and head.scope == "ministry" and not _ministry_words().search(text[he:]):
        text += f" - {ctx.ministry}"
    text = text[:1].upper() + text[1:]
    return _Canonical(text, head.kind, level, province, district)


def _bare_head(head: _Head, ctx: Context) -> _Canonical | None:
    """A bare head (``Sở``, ``Bộ`` after ``Lãnh đạo``): the issuer or ministry it names."""
    for whole in (ctx.issuer, ctx.ministry):
        if whole and fold_key(whole).startswith(fold_key(head.head) + " "):
            return _canonical(whole, Context(province=ctx.province, district=ctx.district))
    return None


def _issuer_end(text: str, he: int, ctx: Context) -> tuple[str, _Canonical | None]:
    """``Văn phòng Sở`` -> ``Văn phòng Sở Thông tin và Truyền thông ...``; ``Thanh tra
    Bộ`` -> ``Thanh tra Bộ Tư pháp``: a bare head at the end is the issuer's or
    ministry's. Returns the name and the body filled in."""
    m = regex.search(r"\s(\p{Lu}[\p{L}\s]*?)$", text)
    if not m or m.start(1) < he or fold_key(m.group(1)) not in _heads():
        return text, None
    tail = fold_key(m.group(1))
    for whole in (ctx.issuer, ctx.ministry):
        if whole and fold_key(whole).startswith(tail + " "):
            return text[:m.start(1)] + whole, _canonical(whole, Context())
    return text, None


@lru_cache(maxsize=16_384)  # bounded: an archive holds millions of names
def link(name: str, context: Context) -> Agency | None:
    """The canonical agency a printed (abbreviation-expanded) name stands for, or
    None for a person or a string that names no body. Cached: it runs once per
    obligation, and a dispatch names the same few bodies again and again."""
    if not name or not name.strip():
        return None
    c = _canonical(name, context)
    if c is None:
        return None
    return Agency(agency_id=agency_id(c.name), name=c.name, level=c.level, kind=c.kind)


# ================================================================ document context


def _symbol_bodies(symbol: str | None) -> list[str]:
    """``BTC-TCHQ`` -> ``["Bộ Tài chính", "Tổng cục Hải quan"]``: bodies the own
    symbol names by their codes."""
    table = abbreviations()
    parts = regex.split(r"[-–/]", symbol or "")
    return [table[p] for p in parts if p in table and table[p][:1].isupper()]


def context_of(info: DocumentInfo) -> Context:
    """Province, district or ministry of a document, from its issuer, place and symbol.

    ``Ủy ban nhân dân tỉnh Lạng Sơn`` -> Lạng Sơn; ``Sở Thông tin và Truyền thông``
    dated ``Lạng Sơn, ngày ...`` -> Lạng Sơn; ``Bộ Tài chính`` dated ``Hà Nội`` ->
    ministry Bộ Tài chính and no province.
    """
    issuer, place = info.value("issuer"), info.value("place")
    own = _canonical(issuer, Context()) if issuer else None
    bodies = [b for b in (_canonical(s, Context()) for s in _symbol_bodies(info.value("symbol")))
              if b is not None]
    if own is not None and own.level == "central" or own is None and any(
            b.level == "central" for b in bodies):
        return Context(ministry=_ministry(issuer, own, bodies), issuer=own.name if own else None)
    province = own.province if own else None
    district = own.district if own else None
    local = own is not None or any(b.level in ("province", "district", "commune") for b in bodies)
    if province is None and place:
        unit = _place_unit(place)
        if unit is not None and (local or unit.province != _CAPITAL):
            province = province_unit(unit.province)
            district = district or (str(unit) if unit.level == "district" else None)
    if own is not None and province is not None and own.province is None:
        own = _canonical(issuer, Context(province=province.name, district=district))
    return Context(province=province.name if province else None, district=district,
                   issuer=own.name if own else None)


def _place_unit(place: str) -> Unit | None:
    """``Lạng Sơn`` -> the province; ``Văn Lãng`` -> the district (when one of that name)."""
    unit = province_unit(place)
    if unit is not None:
        return unit
    name = regex.sub(r"^(?:huyện|quận|thị xã|thành phố|tp)\b\.?\s*", "", place.strip(),
                     flags=regex.IGNORECASE)
    units = _district_units(name)
    return units[0] if len(units) == 1 else None


def _ministry(issuer: str | None, own: _Canonical | None, bodies: list[_Canonical]) -> str | None:
    """The ministry a central document speaks for: one named in the issuer or symbol,
    ``Chính phủ`` for the government, else the central issuer itself."""
    named = regex.search(r"(?<![\p{L}])Bộ\s+\p{Lu}.*$", issuer or "")
    if named and own is not None and own.kind != "ministry":
        return _spell(named.group(0))
    candidates = ([own] if own else []) + bodies
    for c in candidates:
        if c.kind == "ministry":
            return c.name
    if any(c.kind == "government" for c in candidates):
        return "Chính phủ"
    return own.name if own else None
