"""Mark spans in a text for a page: the text whole and in its own spacing, each piece
between span edges wrapped with the kinds of every span over it. What ``show`` and the
explorer's document view draw.

>>> str(highlight("Sở Y tế chủ trì", [Mark(0, 7, "obligation", "lead Sở Y tế")]))
'<mark class="k-obligation" title="lead Sở Y tế">Sở Y tế</mark> chủ trì'
"""
from __future__ import annotations

import html
from typing import NamedTuple

from markupsafe import Markup


class Mark(NamedTuple):
    start: int
    end: int
    kind: str  # a CSS class suffix: k-<kind>
    label: str  # said on hover and, with badges, before the span
    shade: bool = True  # False: only its badge (a directive spans whole sections)


def highlight(text: str, marks: list[Mark], badges: bool = False) -> Markup:
    """The text with each mark drawn. Marks may nest or overlap: the text is cut at every
    edge and each piece carries the kinds of all shaded marks over it, so nothing is
    drawn twice, no space is added or lost, and a label is never clipped (it is the
    piece's title; with ``badges``, also a small label in the line where its span starts)."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    edges = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starting: dict[int, list[Mark]] = {}
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        starting.setdefault(m.start, []).append(m)
    out = []
    for a, b in zip(edges, edges[1:], strict=False):
        if badges:
            out += [f'<span class="lab k-{html.escape(m.kind)}">{html.escape(m.label)}</span>'
                    for m in starting.get(a, [])]
        over = [m for m in marks if m.shade and m.start <= a and m.end >= b]
        piece = html.escape(text[a:b], quote=False)
        if over:
            kinds = " ".join(dict.fromkeys(f"k-{html.escape(m.kind)}" for m in over))
            title = html.escape(" · ".join(dict.fromkeys(m.label for m in over)))
            out.append(f'<mark class="{kinds}" title="{title}">{piece}</mark>')
        else:
            out.append(piece)
    return Markup("".join(out))
