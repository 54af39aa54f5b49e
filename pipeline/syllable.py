"""Is a word one Vietnamese syllable, as spelt? The spelling rules are data:
initial consonants in ``models/vi_initials.tsv``, rhymes in ``models/vi_rhymes.txt``.

Used to tell a good decoding from a bad one (``decode``) and to find words that
converters glued together (``clean``).

>>> is_syllable("Nghiệp"), is_syllable("người"), is_syllable("Đồngchí"), is_syllable("Céng")
(True, True, False, False)
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from .knowledge import table, word_list

TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền sắc ngã hỏi nặng
_STOP_TONES = frozenset("\u0301\u0323")  # the only tones of a rhyme ending in c/ch/p/t
_STOPS = ("c", "ch", "p", "t")


@lru_cache(maxsize=1)
def _initials() -> tuple[tuple[str, str, str], ...]:
    """(initial, mode, letters), longest initial first; mode is *, only or not."""
    rows = []
    for row in table("vi_initials.tsv"):
        initial = "" if row["initial"] == "-" else row["initial"]
        mode, _, letters = row["before"].partition(":")
        rows.append((initial, mode, letters))
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@lru_cache(maxsize=1)
def _rhymes() -> frozenset[str]:
    return frozenset(word_list("vi_rhymes.txt"))


def _fits(mode: str, letters: str, first: str) -> bool:
    if mode == "only":
        return first in letters
    if mode == "not":
        return first not in letters
    return True


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, NFC or not) spells one Vietnamese syllable:
    an initial, a rhyme, at most one tone, and a stop rhyme only with sắc/nặng."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))
    rhymes = _rhymes()
    for initial, mode, letters in _initials():
        if not bare.startswith(initial):
            continue
        rhyme = bare[len(initial):]
        if rhyme not in rhymes or not _fits(mode, letters, rhyme[0]):
            continue
        if rhyme.endswith(_STOPS) and not (tones and tones[0] in _STOP_TONES):
            continue
        return True
    return False


_CONSONANTS = frozenset("bcdđghklmnpqrstvx")
_MAX_SYLLABLE = 7  # letters: "nghiêng"


def _plain_case(piece: str) -> bool:
    """lower, UPPER or Title: a syllable of a glued word, not part of a CamelCase name."""
    return piece.islower() or piece.isupper() or (piece[:1].isupper() and piece[1:].islower())


# Longer runs of letters are not two or three words a converter glued (the cut
# search grows with the square of the length): they stay as they are.
MAX_GLUED = 48


@lru_cache(maxsize=16384)
def split_glued(word: str) -> tuple[int, ...]:
    """Where a word that converters glued together splits into syllables:
    ``"Đồngchí"`` -> ``(4,)``, ``"ngàythángnăm"`` -> ``(4, 9)``.

    Only when certain: the word has a Vietnamese letter, is not a syllable
    itself, each cut comes before a consonant, each part has two letters or
    more, and exactly one way into the fewest syllables exists. Otherwise
    ``()``: ``McDonald``, ``HĐND``, ``Đắk``, ``hôtel``, ``élève`` stay whole.
    """
    if not 4 <= len(word) <= MAX_GLUED or word.isascii() or is_syllable(word):
        return ()
    lower = word.lower()
    # best[i]: (syllables, ways, cuts) of the fewest-syllable splits of word[:i]
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (len(word) + 1)
    best[0] = (0, 1, ())
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            known = best[start]
            if known is None or (start and lower[start] not in _CONSONANTS):
                continue
            piece = word[start:end]
            if len(piece) < 2 or not _plain_case(piece) or not is_syllable(piece):
                continue
            count, ways, cuts = known[0] + 1, known[1], known[2] + ((start,) if start else ())
            current = best[end]
            if current is None or count < current[0]:
                best[end] = (count, ways, cuts)
            elif count == current[0]:
                best[end] = (count, current[1] + ways, current[2])
    final = best[-1]
    if final is None or final[0] < 2 or final[1] != 1:
        return ()
    return final[2]
