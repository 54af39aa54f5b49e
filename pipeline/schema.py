"""The output tables: one explicit pyarrow schema each, written down once.

Every table but ``errors`` is keyed by ``doc_id``; every extracted row carries
``text`` (as printed) and ``start``/``end`` offsets into ``documents.text``
such that ``documents.text[start:end] == text``.
"""
from __future__ import annotations

import pyarrow as pa

from .rows import COMMITS, EXPORT_MARK, GENERATOR, GENERATOR_META, TABLE_NAMES  # noqa: F401 (public here too)

_SPAN = [
    pa.field("text", pa.string(), nullable=False),
    pa.field("start", pa.int32(), nullable=False),
    pa.field("end", pa.int32(), nullable=False),
    pa.field("stage", pa.string(), nullable=False),
]
_DOC = pa.field("doc_id", pa.string(), nullable=False)

HEADER_SPAN = pa.struct([
    pa.field("field", pa.string()),
    pa.field("value", pa.string()),
    pa.field("text", pa.string()),
    pa.field("start", pa.int32()),
    pa.field("end", pa.int32()),
])

DOCUMENTS = pa.schema([
    _DOC,
    pa.field("source", pa.string(), nullable=False),
    pa.field("sha256", pa.string(), nullable=False),
    pa.field("format", pa.string(), nullable=False),
    pa.field("size_bytes", pa.int64(), nullable=False),
    pa.field("n_chars", pa.int64(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("warnings", pa.list_(pa.string()), nullable=False),
    # How the file's bytes became text. Text formats (txt, md, html): the
    # encoding found: ascii, utf-8, utf-8-sig, utf-16, utf-16-le, utf-16-be,
    # utf-32, cp1258 (Windows-1258), tcvn3 (ABC), vni (VNI-Windows), or another
    # Python codec name from charset-normalizer. Formats a parser reads (docx,
    # doc, pdf): null. "+tcvn3"/"+vni" is added (or stands alone for docx, doc,
    # pdf) when lines were TCVN3/VNI font codes stored as Windows-1252
    # characters and were mapped to Unicode: "utf-8+tcvn3", "vni".
    pa.field("encoding", pa.string()),
    # 0..1: 1 when the bytes say it (BOM, clean UTF-8, ASCII); otherwise the
    # share of words that read as Vietnamese syllables, lowered when another
    # decoding read almost as well. Null when encoding is null.
    pa.field("encoding_confidence", pa.float64()),
    # Pages read by OCR (image files, the scanned pages of a PDF): the engine and its
    # language ("tesseract 5.3.0 vie"), and the mean confidence of the words it read,
    # 0..1. Null for text that was not scanned.
    pa.field("ocr", pa.string()),
    pa.field("ocr_confidence", pa.float64()),
    pa.field("doc_type", pa.string()),
    pa.field("number", pa.string()),
    pa.field("symbol", pa.string()),
    pa.field("issuer", pa.string()),
    pa.field("place", pa.string()),
    pa.field("issue_date", pa.string()),
    pa.field("subject", pa.string()),
    pa.field("signer", pa.string()),
    pa.field("signer_title", pa.string()),
    pa.field("header_spans", pa.list_(HEADER_SPAN), nullable=False),
])

REFERENCES = pa.schema([
    _DOC,
    pa.field("doc_type", pa.string()),
    pa.field("number", pa.string()),
    pa.field("symbol", pa.string(), nullable=False),
    pa.field("date", pa.string()),
    pa.field("issuer", pa.string()),
    pa.field("mentions", pa.int32(), nullable=False),
    *_SPAN,
])

RECIPIENTS = pa.schema([
    _DOC,
    pa.field("kind", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("note", pa.string()),
    pa.field("canonical", pa.string()),  # province/ministry resolved from the document
    pa.field("agency_id", pa.string()),  # agencies.agency_id
    *_SPAN,
])

DIRECTIVES = pa.schema([
    _DOC,
    pa.field("directive", pa.int32(), nullable=False),  # order in the document
    pa.field("task", pa.string(), nullable=False),  # the verb phrase of the task
    pa.field("section_number", pa.string()),
    pa.field("section_heading", pa.string()),
    pa.field("deadline", pa.string()),  # ISO end of the first deadline in the statement
    pa.field("groups", pa.list_(pa.string()), nullable=False),  # risk-group codes
    *_SPAN,
])

OBLIGATIONS = pa.schema([
    _DOC,
    pa.field("directive", pa.int32()),  # directives.directive of the same doc_id
    pa.field("assignee", pa.string(), nullable=False),  # abbreviations expanded
    pa.field("canonical", pa.string()),  # province/ministry resolved from the document
    pa.field("agency_id", pa.string()),  # agencies.agency_id
    pa.field("role", pa.string(), nullable=False),  # lead | support
    pa.field("task", pa.string()),
    pa.field("deadline", pa.string()),
    pa.field("groups", pa.list_(pa.string()), nullable=False),
    *_SPAN,  # text = the assignee as printed
])

AGENCIES = pa.schema([
    pa.field("agency_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("level", pa.string()),  # central | province | district | commune
    pa.field("kind", pa.string()),
])

RISK_GROUPS = pa.schema([
    _DOC,
    pa.field("code", pa.string(), nullable=False),
    *_SPAN,
])

DEADLINES = pa.schema([
    _DOC,
    pa.field("date", pa.string()),  # ISO end of the window, cut to its precision
    pa.field("start_date", pa.string()),  # ISO start of a range, when printed
    pa.field("kind", pa.string(), nullable=False),  # by | until | within | from | recurring
    *_SPAN,
])

ERRORS = pa.schema([
    pa.field("source", pa.string(), nullable=False),
    pa.field("stage", pa.string(), nullable=False),
    pa.field("reason", pa.string(), nullable=False),
])

TABLES: dict[str, pa.Schema] = dict(zip(TABLE_NAMES, (
    DOCUMENTS, REFERENCES, RECIPIENTS, DIRECTIVES, OBLIGATIONS, RISK_GROUPS, DEADLINES,
    AGENCIES, ERRORS), strict=True))
