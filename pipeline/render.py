"""Show a document with every extracted span highlighted: an HTML page or a plain listing.

The page is standalone (inline CSS, no script, nothing fetched), so an analyst can open
it anywhere and check the extraction of one document at a glance. Everything that comes
from the document is HTML-escaped.
"""
from __future__ import annotations

from html import escape

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from .annotate import HEADER, RECORD_GROUPS, to_doc
from .mark import Mark, highlight
from .models import DocumentInfo, Extraction
from .rows import GENERATOR_META

GROUPS = (HEADER, *RECORD_GROUPS)

# One colour per kind of record, the legend's order.
COLORS = {
    HEADER: "#c7d2fe",
    "references": "#fde68a",
    "recipients": "#bbf7d0",
    "directives": "#e5e7eb",
    "obligations": "#fbcfe8",
    "risk_groups": "#fecaca",
    "deadlines": "#bae6fd",
}
_SHORT = {"references": "ref", "recipients": "recipient", "directives": "directive",
          "obligations": "obligation", "risk_groups": "risk", "deadlines": "deadline"}
_MAX_VALUE = 48

_KIND = {HEADER: "header", "references": "references", "recipients": "recipients", "directives": "directives",
         "obligations": "obligations", "risk_groups": "risk_groups", "deadlines": "deadlines"}

# Labels sit in the line, before their span, at a readable size (never over the text,
# never clipped); a directive gets its label only (it spans whole sections: shading it
# bolded them); the text keeps its own spacing and line breaks.
_CSS = """
body { font: 16px/1.6 -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2rem; }
h1 { font-size: 1.3rem; }
table { border-collapse: collapse; margin: 0 0 1.5rem; }
td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
.legend span { display: inline-block; padding: 1px 8px; margin: 0 6px 6px 0; border-radius: 3px; }
.spans { white-space: pre-wrap; }
.spans mark { background: none; padding: 0 1px; border-radius: 2px; }
.spans .lab { font-size: 0.72em; line-height: 1; padding: 1px 4px; margin: 0 2px; border-radius: 3px;
              vertical-align: 0.2em; white-space: nowrap; color: #111; }
""" + "".join(f".spans .k-{_KIND[g]} {{ background: {c}; }}\n" for g, c in COLORS.items())


def span_label(group: str, span: SpacySpan) -> str:
    """``ref:38/KH-BCĐ``, ``obligation:lead Sở Y tế``, ``deadline:by 2023-09-20``, ``issue_date: 2019-07-16``."""
    value = _short(span._.value)
    if group == HEADER:
        return f"{span.label_}: {value}" if value else span.label_
    if group == "references":
        return f"ref:{value}"
    short = _SHORT.get(group, group)
    head = short if span.label_ in (short, group.rstrip("s")) else f"{short}:{span.label_}"
    if group == "deadlines":
        return f"{head} {value or '?'}"
    return f"{head} {value}" if value and value != span.label_ else head


def _short(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value if len(value) <= _MAX_VALUE else value[:_MAX_VALUE - 1] + "…"


def _spans(doc: Doc) -> list[tuple[str, SpacySpan]]:
    return [(g, s) for g in GROUPS if g in doc.spans for s in doc.spans[g]]


def render_spans(doc: Doc) -> str:
    """The text with every span group of ``doc`` marked and labelled (see ``mark``)."""
    marks = [Mark(span.start_char, span.end_char, _KIND.get(group, group), span_label(group, span),
                  shade=group != "directives") for group, span in _spans(doc)]
    return f'<div class="spans">{highlight(doc.text, marks, badges=True)}</div>'


def _legend(doc: Doc) -> str:
    items = [f'<span style="background: {COLORS[g]}">{escape(g)} ({len(doc.spans[g]) if g in doc.spans else 0})</span>'
             for g in GROUPS]
    return f'<div class="legend">{"".join(items)}</div>'


def _summary(x: Extraction) -> str:
    """The document's JSON at a glance: header values, then how many of each record."""
    rows = [f"<tr><th>{escape(name)}</th><td>{escape(x.document.value(name) or '—')}</td></tr>"
            for name in DocumentInfo.FIELDS]
    summary = x.to_json()
    for key in ("references", "recipients", "obligations", "risk_groups", "deadlines"):
        shown = ", ".join(summary[key]) if key == "risk_groups" else ""
        rows.append(f"<tr><th>{escape(key)}</th><td>{len(summary[key])} {escape(shown)}</td></tr>")
    rows.append(f"<tr><th>directives</th><td>{len(x.directives)}</td></tr>")
    for warning in x.warnings:
        rows.append(f"<tr><th>warning</th><td>{escape(warning)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def render_html(doc_or_extraction: Doc | Extraction, title: str) -> str:
    """A standalone HTML page: summary table, legend, and the text with labelled spans."""
    doc = doc_or_extraction if isinstance(doc_or_extraction, Doc) else to_doc(doc_or_extraction)
    extraction: Extraction | None = doc._.extraction
    summary = _summary(extraction) if extraction is not None else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f"{GENERATOR_META}\n"
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{summary}\n{_legend(doc)}\n"
        f"{render_spans(doc)}\n</body>\n</html>\n"
    )


def render_text(doc: Doc) -> str:
    """One line per span: group, label with value, offsets and the words as printed."""
    lines = []
    for group, span in _spans(doc):
        words = " ".join(span.text.split())
        lines.append(f"{group:<12} {span_label(group, span):<40} "
                     f"{span.start_char:>6}-{span.end_char:<6} {words}")
    return "\n".join(lines) + ("\n" if lines else "")
