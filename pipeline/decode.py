"""Bytes to Unicode, and which encoding they were in, with a confidence.

Old archives are full of the 8-bit Vietnamese codes TCVN3 (ABC, the .VnTime
fonts) and VNI-Windows (the VNI-Times fonts). Their bytes are also valid
Windows-1252/1258, so no byte pattern tells them apart: every plausible
decoding is tried and the one that reads as Vietnamese wins, judged by the
share of its words that are Vietnamese syllables (``syllable.is_syllable``).

>>> decode("Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("cp1252")).text
'Cộng hoà xã hội chủ nghĩa Việt Nam'
>>> d = decode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".encode("cp1252"))
>>> d.text, d.encoding
('Cộng hòa xã hội chủ nghĩa Việt Nam', 'vni')

The same codes also arrive as Unicode text: a .docx or web page typed in a
.VnTime font stores the Windows-1252 characters of the bytes ("ViÖt Nam").
:func:`repair_legacy` maps such lines back, leaving real Unicode alone.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from .knowledge import table
from .syllable import is_syllable

SAMPLE_BYTES = 16 * 1024  # candidates are scored on the start of a file (~3000 words)
MIN_VIETNAMESE = 0.6  # share of syllables above which a decoding reads as Vietnamese
_MARGIN = 0.3  # a lead of this much over the runner-up is full confidence


@dataclass(frozen=True)
class Decoded:
    """Text, the encoding it was read in, and how sure that is (0..1)."""

    text: str
    encoding: str
    confidence: float
    # False when the text has none of the characters that TCVN3/VNI letters
    # become in Windows-1252, so :func:`repair_legacy` has nothing to look at.
    legacy_hint: bool = True


class DecodeFailure(Exception):
    """Bytes that are not text in any encoding we know; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- tables


@lru_cache(maxsize=1)
def _cp1252_view() -> str:
    """Byte -> the Windows-1252 character of it (the five unassigned bytes as Latin-1)."""
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars)


def _view_char(hex_byte: str) -> str:
    return _cp1252_view()[int(hex_byte, 16)]


@lru_cache(maxsize=1)
def _tcvn3_map() -> dict[int, str]:
    """Windows-1252 character of a TCVN3 byte -> the letter it stands for."""
    return {ord(_view_char(row["byte"])): row["unicode"] for row in table("tcvn3.tsv")}


@lru_cache(maxsize=1)
def _tcvn3_decoding_table() -> str:
    letters = _tcvn3_map()
    return "".join(letters.get(ord(ch), ch) for ch in _cp1252_view())


@lru_cache(maxsize=1)
def _vni_map() -> tuple[dict[str, str], re.Pattern[str]]:
    """VNI in the Windows-1252 view: base + mark pairs (marks of either case)
    and single bytes -> letters, and one pattern that finds both, so a letter
    that a pair became is never read again as a single byte (pair "oø" is ò,
    and ò alone is the single byte of ị)."""
    letters: dict[str, str] = {}
    for row in table("vni.tsv"):
        letters["".join(_view_char(h) for h in row["bytes"].split())] = row["unicode"]
    pairs = [k for k in letters if len(k) == 2]
    for key in pairs:  # files mix "UÛ" and "Uû"
        letters.setdefault(key[0] + key[1].swapcase(), letters[key])
    bases = "".join(sorted({k[0] for k in pairs}))
    marks = "".join(sorted({k[1] for k in letters if len(k) == 2}))
    singles = "".join(sorted(k for k in letters if len(k) == 1))
    pattern = re.compile(f"[{re.escape(bases)}][{re.escape(marks)}]|[{re.escape(singles)}]")
    return letters, pattern


def _tcvn3_text(view: str) -> str:
    return _restore_capitals(view.translate(_tcvn3_map()))


def _vni_text(view: str) -> str:
    letters, pattern = _vni_map()

    def letter(m: re.Match[str]) -> str:
        found = letters.get(m.group())
        if found is not None:
            return found
        # a base before a mark it cannot take: each is read alone
        return "".join(letters.get(ch, ch) for ch in m.group())

    return pattern.sub(letter, view)


# TCVN3 has no capitals with tones: headings typed in the capital fonts
# (.VnTimeH) come out as "TØNH". A word of two or more capitals and no small
# ASCII letter is a capital word, so its toned small letters are capitals too;
# so are those of a word with one capital ("Sở", "Và") on a line without a
# small ASCII letter that has three capital words or more. "Sè: 12/KH-UBND"
# stays "Số".
_WORD_RE = re.compile(r"[^\W\d_]+")
_NO_SMALL_ASCII_RE = re.compile(r"(?<![^\W\d_])[^\W\d_a-z]+(?![^\W\d_])")
_CAPITAL_LINE_WORDS = 3


def _capital_word(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def _restore_capitals(text: str) -> str:
    if not _NO_SMALL_ASCII_RE.search(text):
        return text
    return "\n".join(_restore_line(line) for line in text.split("\n"))


def _restore_line(line: str) -> str:
    words = _NO_SMALL_ASCII_RE.findall(line)
    if not words:
        return line
    capital_line = (not any("a" <= ch <= "z" for ch in line)
                    and sum(map(_capital_word, words)) >= _CAPITAL_LINE_WORDS)

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        if _capital_word(word) or (capital_line and word[:1].isupper()):
            return word.upper()
        return word

    return _NO_SMALL_ASCII_RE.sub(fix, line)


LEGACY = {"tcvn3": _tcvn3_text, "vni": _vni_text}


def from_legacy(text: str, encoding: str) -> str:
    """Text whose characters are the Windows-1252 view of ``encoding`` (tcvn3,
    vni) bytes, as Unicode."""
    return LEGACY[encoding](text)


def legacy_bytes(data: bytes, encoding: str) -> str:
    """Decode TCVN3 or VNI bytes."""
    if encoding == "tcvn3":
        return _restore_capitals(codecs.charmap_decode(data, "strict", _tcvn3_decoding_table())[0])
    return _vni_text(codecs.charmap_decode(data, "strict", _cp1252_view())[0])


@lru_cache(maxsize=2)
def _encoder(encoding: str) -> dict[str, bytes]:
    """Letter -> TCVN3/VNI bytes. TCVN3 capitals with tones take the small
    letter's code, as typing in the capital (.VnTimeH) fonts did."""
    if encoding == "tcvn3":
        letters = {row["unicode"]: bytes([int(row["byte"], 16)]) for row in table("tcvn3.tsv")}
        for letter, code in list(letters.items()):
            letters.setdefault(letter.upper(), code)
        return letters
    return {row["unicode"]: bytes(int(h, 16) for h in row["bytes"].split())
            for row in table("vni.tsv")}


def to_legacy(text: str, encoding: str) -> bytes:
    """Unicode text as TCVN3 or VNI bytes (the inverse of :func:`legacy_bytes`,
    for tests and fixtures); other characters as Windows-1252, else
    ``UnicodeEncodeError``."""
    letters = _encoder(encoding)
    return b"".join(letters.get(ch) or ch.encode("cp1252")
                    for ch in unicodedata.normalize("NFC", text))


def to_cp1258(text: str, errors: str = "strict") -> bytes:
    """Unicode text as Windows-1258 bytes, tones as combining marks after the base
    letter as that code page writes them (for tests, fixtures and benchmarks)."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258", errors=errors)


# --------------------------------------------------------------------------- scoring

_VOWELS = frozenset("aeiouy")
# Latin-1 symbols that Vietnamese text has no use for, but that the bytes of
# TCVN3/VNI letters become in Windows-1252; and C1 controls.
_ODD_RE = re.compile("[\u0080-\u009f¡¢£¤¥¦§¨©ª¬\u00ad®¯±²³´µ¶¸¹º¼½¾¿×÷]")


@lru_cache(maxsize=65536)
def _has_vowel(word: str) -> bool:
    return any(ch in _VOWELS for ch in unicodedata.normalize("NFD", word.lower()))


def score(text: str) -> tuple[int, int]:
    """(syllables, words judged): non-ASCII words that have a vowel, and the
    stray symbols that misdecoded letters leave, each count as judged."""
    text = unicodedata.normalize("NFC", text)
    valid = judged = 0
    for word in _WORD_RE.findall(text):
        if word.isascii() or not _has_vowel(word):
            continue
        judged += 1
        valid += is_syllable(word)
    return valid, judged + len(_ODD_RE.findall(text))


def _share(counts: tuple[int, int]) -> float:
    valid, judged = counts
    return valid / judged if judged else 0.0


def _confidence(best: tuple[int, int], runner_up: float) -> float:
    """Smoothed share of syllables, halved when the runner-up reads as well."""
    valid, judged = best
    lead = min(1.0, max(0.0, _share(best) - runner_up) / _MARGIN)
    return round(valid / (judged + 1) * (0.5 + 0.5 * lead), 3)


def text_confidence(text: str) -> float:
    """How Vietnamese ``text`` reads, for encodings that are not in doubt
    otherwise; text without non-ASCII words is 1."""
    counts = score(text[:SAMPLE_BYTES])
    return 1.0 if counts[1] == 0 else _confidence(counts, 0.0)


# --------------------------------------------------------------------------- bytes

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab/newline/VT/FF/CR, DEL, and C1 controls (which only
# appear when bytes were decoded with the wrong code page).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.10
# Mainframe code pages are never right for our documents, yet fit random bytes.
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]
# Windows-1258 writes Vietnamese tones as combining marks after the vowel.
_TONE_MARK_RE = re.compile("[\u0300\u0301\u0303\u0309\u0323]")
_TONED_VOWEL_RE = re.compile("[aeiouyAEIOUYâêôăơưÂÊÔĂƠƯ][\u0300\u0301\u0303\u0309\u0323]")
# A UTF-8 file with a few broken bytes (cut off, one stray byte) is still UTF-8.
_MAX_BAD_UTF8_SHARE = 0.001
_MAX_BAD_UTF8 = 4  # broken characters allowed in any file, however short


def _bom_encoding(data: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit in every other byte, as ASCII does in UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0) / (len(data) / 2), data[1::2].count(0) / (len(data) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _looks_cp1258(text: str) -> bool:
    """True when combining tone marks exist and nearly all follow a vowel."""
    marks = len(_TONE_MARK_RE.findall(text))
    return marks > 0 and len(_TONED_VOWEL_RE.findall(text)) >= 0.9 * marks


def _check_text(text: str) -> bool:
    """Refuse binary content (too many control characters); tell whether the
    text has a legacy hint. One scan for both: this is the UTF-8 fast path."""
    found = _SCAN_RE.findall(text)
    if not found:
        return False
    controls = sum(1 for ch in found if _CONTROL_RE.match(ch))
    if controls / len(text) > _MAX_CONTROL_SHARE:
        raise DecodeFailure(f"binary content: {controls / len(text):.0%} control characters")
    return controls < len(found)


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes to text: a BOM, UTF-16 by its NULs, clean UTF-8 (the fast, common
    path), else the best-reading of the legacy candidates."""
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise DecodeFailure("binary content: NUL bytes in a text file")
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeFailure(f"undecodable text: invalid {encoding}: {exc.reason}") from None
        sure = 1.0 if encoding in ("utf-8-sig", "utf-16", "utf-32") else text_confidence(text)
        result = Decoded(text, encoding, sure)
    elif data.isascii():
        result = Decoded(data.decode("ascii"), "ascii", 1.0)
    else:
        try:
            result = Decoded(data.decode("utf-8"), "utf-8", 1.0)
        except UnicodeDecodeError:
            result = _detect(data, _usable(declared))
    return replace(result, legacy_hint=_check_text(result.text))


def _usable(declared: str | None) -> str | None:
    """A declared charset Python knows, other than UTF-8 (which has failed)."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    return None if name == "utf-8" else name


def _decode_as(data: bytes, encoding: str) -> str | None:
    try:
        if encoding in LEGACY:
            return legacy_bytes(data, encoding)
        if encoding == "utf-8":
            text = data.decode("utf-8", errors="replace")
            bad = text.count("\ufffd")
            return text if bad <= max(_MAX_BAD_UTF8, _MAX_BAD_UTF8_SHARE * len(data)) else None
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _normalizer_guess(data: bytes) -> tuple[str, float] | None:
    """charset-normalizer's best encoding for ``data`` and its confidence."""
    try:
        import charset_normalizer
    except ImportError:
        return None
    best = charset_normalizer.from_bytes(data, cp_exclusion=_EBCDIC).best()
    if best is None:
        return None
    return codecs.lookup(best.encoding).name, round(1.0 - best.chaos, 3)


def _detect(data: bytes, declared: str | None) -> Decoded:
    """Score every candidate on a sample; decode the whole file with the winner."""
    sample = data[:SAMPLE_BYTES]
    scored: list[tuple[float, tuple[int, int], str]] = []
    texts: dict[str, str] = {}

    def consider(name: str) -> None:
        text = _decode_as(sample, name)
        if text is not None and text not in texts.values():
            texts[name] = text
            counts = score(text)
            scored.append((_share(counts), counts, name))

    for name in dict.fromkeys(n for n in ("utf-8", declared, "cp1258", "tcvn3", "vni") if n):
        consider(name)
    guess = None
    if max((s[0] for s in scored), default=0.0) < MIN_VIETNAMESE:
        guess = _normalizer_guess(data)  # slow: only for text that is not Vietnamese
        if guess is not None:
            consider(guess[0])
    ranked = sorted(scored, key=lambda s: -s[0])  # stable: ties keep the order above
    if ranked and ranked[0][0] >= MIN_VIETNAMESE:
        share, counts, name = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if len(sample) == len(data):
            return Decoded(texts[name], name, _confidence(counts, runner_up))
        return _whole(data, name, _confidence(counts, runner_up))
    return _fallback(data, declared, guess)


def _whole(data: bytes, name: str, confidence: float) -> Decoded:
    text = _decode_as(data, name)
    if text is None:  # the sample decoded, the rest of the file does not
        raise DecodeFailure(f"undecodable text: {name} fits the start of the file but not the rest")
    return Decoded(text, name, confidence)


def _fallback(data: bytes, declared: str | None, guess: tuple[str, float] | None) -> Decoded:
    """Text that does not read as Vietnamese in any candidate: the declared
    charset, Windows-1258 tones, then charset-normalizer's guess."""
    for name in (declared, "cp1258"):
        if name is None:
            continue
        text = _decode_as(data, name)
        if text is not None and (name == declared or _looks_cp1258(text)):
            return Decoded(text, name, text_confidence(text))
    if guess is not None:
        text = _decode_as(data, guess[0])
        if text is not None:
            return Decoded(text, guess[0], guess[1])
    raise DecodeFailure("undecodable text: not UTF-8/UTF-16 and no known encoding fits")


# --------------------------------------------------------------------------- unicode text

# Characters that TCVN3/VNI letters become in Windows-1252 but that Vietnamese
# Unicode text does not use: a line without one is never rewritten.
_LEGACY_HINTS = "µ¸¶·¹¨»¾¼½Ææ©ÇçËë®ÐÎîÏïÑñªÖö×ØøÜüÞþßäÄåÅ«¬÷ûÛ¡¢§£¤¥¦\u00ad"
_LEGACY_HINT_RE = re.compile(f"[{_LEGACY_HINTS}]")
_SCAN_RE = re.compile(f"[{_CONTROL_RE.pattern[1:-1]}{_LEGACY_HINTS}]")  # one class: one fast scan
# Letters only Vietnamese Unicode has (and Windows-1258's combining tones).
_VIETNAMESE_RE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]")
_MIN_REPAIRED = 0.8  # share of syllables a repaired line must reach
_MAX_BROKEN = 0.5  # and the line as it was must not reach


def repair_legacy(text: str, hint: bool = True) -> tuple[str, str | None, float | None]:
    """Rewrite the lines of ``text`` that are TCVN3/VNI font codes seen as
    Windows-1252 ("ViÖt Nam"); return the text, the legacy encoding(s) found
    ("tcvn3", "vni", "tcvn3+vni") or None, and the confidence of the repair.
    ``hint=False`` (from :class:`Decoded`) says there is nothing to repair."""
    if not hint or text.isascii() or not _LEGACY_HINT_RE.search(text):
        return text, None, None
    lines = text.split("\n")
    found: dict[str, list[int]] = {}
    repaired_lines: set[int] = set()
    for i, line in enumerate(lines):
        if not _LEGACY_HINT_RE.search(line) or _VIETNAMESE_RE.search(line):
            continue
        repaired = _repair_line(line)
        if repaired is not None:
            lines[i], encoding, counts = repaired
            repaired_lines.add(i)
            tally = found.setdefault(encoding, [0, 0, 0])
            tally[0] += counts[0]
            tally[1] += counts[1]
            tally[2] += 1
    if not found:
        return text, None, None
    _repair_rest(lines, repaired_lines, found)
    valid = sum(t[0] for t in found.values())
    judged = sum(t[1] for t in found.values())
    return "\n".join(lines), "+".join(sorted(found)), round(valid / (judged + 1), 3)


_SURE_LINES = 3  # lines repaired with one encoding that make the document's font sure
_LATIN1_LETTER_RE = re.compile("[\u00c0-\u00ff]")


def _repair_rest(lines: list[str], done: set[int], found: dict[str, list[int]]) -> None:
    """In a document whose font is sure, lines that have no hint but Latin-1
    letters ("Sè: 12/KH-UBND" is "Số") are that font too, unless they read
    worse converted."""
    encoding, tally = max(found.items(), key=lambda item: item[1][2])
    if tally[2] < _SURE_LINES:
        return
    for i, line in enumerate(lines):
        if i in done or not _LATIN1_LETTER_RE.search(line) or _VIETNAMESE_RE.search(line):
            continue
        candidate = LEGACY[encoding](line)
        if candidate != line and _share(score(candidate)) >= _share(score(line)):
            lines[i] = candidate


def _repair_line(line: str) -> tuple[str, str, tuple[int, int]] | None:
    before = score(line)
    if before[1] and _share(before) > _MAX_BROKEN:
        return None
    best: tuple[str, str, tuple[int, int]] | None = None
    for encoding, convert in LEGACY.items():
        candidate = convert(line)
        counts = score(candidate)
        if _share(counts) >= _MIN_REPAIRED and counts[0] > before[0]:
            if best is None or counts[0] > best[2][0]:
                best = (candidate, encoding, counts)
    return best
