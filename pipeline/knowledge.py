"""Load the project's knowledge files under ``models/`` once.

Installed, ``models/`` is the package data ``congvan.data``: the files are read
through ``importlib.resources``, from a wheel, an install or a checkout alike.

Knowledge is data: type codes, abbreviations, titles, clutter lines and cue
words live in versioned text files, so adding one needs no code change.
Lines starting with ``#`` are comments; TSV files have a header row.
"""
from __future__ import annotations

import csv
from functools import cache, lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

DATA_PACKAGE = "congvan.data"


def data_file(name: str) -> Traversable:
    """One knowledge file (``models/NAME`` in the checkout)."""
    return files(DATA_PACKAGE) / name


def _lines(name: str) -> list[str]:
    with data_file(name).open(encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


def table(name: str) -> list[dict[str, str]]:
    """Rows of a TSV file under models/ (header row first; quotes are literal text,
    so cue patterns may contain them)."""
    rows = _lines(name)
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


_tsv = table


@lru_cache(maxsize=1)
def clutter_patterns() -> tuple[str, ...]:
    """Regexes of whole lines that web pages and converters add (one per line)."""
    return tuple(_lines("clutter.txt"))


@lru_cache(maxsize=1)
def inline_clutter_patterns() -> tuple[str, ...]:
    """Regexes of fragments inside lines (crawler link and bookmark markers)."""
    return tuple(_lines("clutter_inline.txt"))


@lru_cache(maxsize=1)
def doc_types() -> tuple[dict[str, str], ...]:
    """Rows of name, code, old_code (ADMIN_DOCS.md type table, plus legal instruments)."""
    return tuple(_tsv("doc_types.tsv"))


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Printed abbreviation -> expansion."""
    return {row["printed"]: row["expanded"] for row in _tsv("abbreviations.tsv")}


@lru_cache(maxsize=1)
def titles() -> tuple[str, ...]:
    """Official titles (Giám đốc, Phó Chủ tịch ...), longest first."""
    return tuple(sorted(_lines("titles.txt"), key=len, reverse=True))


@cache
def word_list(name: str) -> tuple[str, ...]:
    """Any one-item-per-line list under models/, longest first."""
    return tuple(sorted(_lines(name), key=len, reverse=True))
