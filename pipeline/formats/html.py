"""Web pages to text: the article, without menus, share bars, comments and sidebars."""
from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Any

from ..knowledge import table
from .common import ReadFailure, Text, decode_text, join_lines, row_lines


@lru_cache(maxsize=1)
def _boilerplate() -> dict[str, frozenset[str]]:
    """models/html_boilerplate.tsv as kind -> values (tag, page, role, name)."""
    kinds: dict[str, set[str]] = {}
    for row in table("html_boilerplate.tsv"):
        kinds.setdefault(row["kind"], set()).add(row["value"].lower())
    return {kind: frozenset(values) for kind, values in kinds.items()}


@lru_cache(maxsize=1)
def _boilerplate_name_re() -> re.Pattern[str]:
    names = sorted(_boilerplate().get("name", ()), key=len, reverse=True)
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, names))})(?![a-z0-9])")


_HTML_KEEP = frozenset({"html", "body", "main", "article"})
# A block of at least this many links whose text is mostly link text is a menu
# or a list of other news, not the document.
_MIN_MENU_LINKS = 3
_MENU_LINK_SHARE = 0.7
_MAX_DROPPED_SHARE = 0.5  # of the page's own (non-link) text
_HTML_BLOCKS = frozenset({
    "address", "article", "blockquote", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "ul", "body", "html",
})
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
# Browsers read these labels as Windows-1252, and so do the pages that use them.
_WHATWG_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
                  "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
_SPACES_RE = re.compile(r"\s+")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    label = _WHATWG_LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


class _Lines:
    """Collects inline text; block boundaries end the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def add(self, text: str) -> None:
        self._buf.append(text)

    def end_line(self, hard: bool = False) -> None:
        """Close the line; a soft break adds nothing when the line is empty, ``<br>`` does."""
        line = _SPACES_RE.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        if line or hard:
            self.lines.append(line)

    def add_lines(self, lines: list[str]) -> None:
        self.end_line()
        self.lines.extend(lines)


def _html_hidden(tag: Any) -> bool:
    style = _SPACES_RE.sub("", str(tag.get("style", ""))).lower()
    return tag.has_attr("hidden") or "display:none" in style


def _html_render(node: Any, out: _Lines) -> None:
    from bs4.element import NavigableString, PreformattedString, Tag

    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.add(str(child))
        elif isinstance(child, Tag):
            _html_render_tag(child, out)


def _html_render_tag(tag: Any, out: _Lines) -> None:
    name = tag.name.lower()
    if name in _boilerplate()["tag"] or _html_hidden(tag):
        return
    if name == "br":
        out.end_line(hard=True)
    elif name == "table":
        out.add_lines(_html_table_lines(tag))
    elif name == "pre":
        out.end_line()
        for line in tag.get_text().splitlines():
            out.add(line)
            out.end_line(hard=True)
    elif name in _HTML_BLOCKS or name in ("tr", "td", "th"):  # stray cells outside a table
        out.end_line()
        _html_render(tag, out)
        out.end_line()
    else:
        _html_render(tag, out)


def _html_lines_of(node: Any) -> list[str]:
    sub = _Lines()
    _html_render(node, sub)
    sub.end_line()
    return [line for line in sub.lines if line]


def _html_table_lines(table: Any) -> list[str]:
    """Caption, then one entry per row of this table (not of tables nested in its cells)."""
    lines: list[str] = []
    for child in table.find_all(True, recursive=False):
        if child.name == "caption":
            lines.extend(_html_lines_of(child))
            continue
        rows = [child] if child.name == "tr" else child.find_all("tr", recursive=False)
        for row in rows:
            cells = [_html_lines_of(cell) for cell in row.find_all(["td", "th"], recursive=False)]
            lines.extend(row_lines(cells))
    return lines


def _text_sizes(soup: Any) -> dict[int, list[int]]:
    """id(tag) -> [characters, characters inside links, links] of its text, in one pass."""
    from bs4.element import NavigableString, PreformattedString

    sizes: dict[int, list[int]] = {}
    for node in soup.descendants:
        if getattr(node, "name", None) == "a":
            for parent in node.parents:
                sizes.setdefault(id(parent), [0, 0, 0])[2] += 1
            continue
        if not isinstance(node, NavigableString) or isinstance(node, PreformattedString):
            continue
        chars = len(node.strip())
        if not chars:
            continue
        in_link = node.find_parent("a") is not None
        for parent in node.parents:
            counts = sizes.setdefault(id(parent), [0, 0, 0])
            counts[0] += chars
            counts[1] += chars if in_link else 0
    return sizes


def _boilerplate_reason(tag: Any, counts: list[int]) -> str | None:
    """Why ``tag`` is page furniture rather than document text, if it is."""
    kinds = _boilerplate()
    name = tag.name.lower()
    if name in kinds["tag"]:
        return "tag"
    if name in _HTML_KEEP:
        return None
    if name in kinds["page"] and tag.find_parent(["article", "main"]) is None:
        return "page"
    if str(tag.get("role", "")).lower() in kinds["role"]:
        return "role"
    labels = " ".join([*tag.get("class", []), str(tag.get("id", ""))]).lower().replace("_", "-")
    if labels.strip() and _boilerplate_name_re().search(labels):
        return "name"
    chars, link_chars, links = counts
    if links >= _MIN_MENU_LINKS and chars and link_chars >= _MENU_LINK_SHARE * chars:
        return "links"
    return None


def _drop_boilerplate(soup: Any, furniture: bool = True) -> None:
    """Remove menus, banners, share bars, comments, sidebars, footers (see
    models/html_boilerplate.tsv) and blocks of links; never the block that
    holds most of the page's own text. ``furniture=False`` drops only tags
    (scripts, styles, nav ...), for a page that would otherwise be empty."""
    sizes = _text_sizes(soup) if furniture else {}
    page = sizes.get(id(soup), [0, 0, 0])
    own_text = page[0] - page[1]
    doomed = []
    for tag in soup.find_all(True):
        counts = sizes.get(id(tag), [0, 0, 0])
        reason = _boilerplate_reason(tag, counts)
        if reason is None or (not furniture and reason not in ("tag", "page")):
            continue
        if reason not in ("tag", "page") and counts[0] - counts[1] > _MAX_DROPPED_SHARE * own_text:
            continue  # a wrapper of the article, whatever its class says
        doomed.append(tag)
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def read_html(data: bytes) -> Text:
    from bs4 import BeautifulSoup

    decoded = decode_text(data, declared=_meta_charset(data))
    text = ""
    for furniture in (True, False):  # a page of links only keeps its links
        soup = BeautifulSoup(decoded.text, "lxml")
        out = _Lines()
        try:
            _drop_boilerplate(soup, furniture)
            _html_render(soup, out)
        except RecursionError:
            raise ReadFailure("html nested too deeply to read") from None
        out.end_line()
        text = join_lines(out.lines)
        if text.strip():
            break
    # entities ("&Ouml;") can add legacy characters the bytes did not have
    return decoded._replace(text=text, legacy_hint=True)
