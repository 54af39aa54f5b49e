"""Records of one document as table rows: plain dicts, one list per table.

Kept apart from ``write`` so that extraction workers build rows without
importing pyarrow (about 60 MB per process).
"""
from __future__ import annotations

import hashlib
from typing import Any

from .models import DocumentInfo, ErrorRecord, Extraction, SourceDoc

# The output tables in their order; their columns are in ``schema.TABLES``.
# What congvan writes carries a mark, so that a run over a folder that holds it (an
# output or a report saved inside the archive) does not read it back as documents.
COMMITS = "_commits"  # an output folder's commit markers: the folder is an output
EXPORT_MARK = ".congvan-export"  # an empty file in a folder of exported CSVs or report pages
GENERATOR = "congvan"
GENERATOR_META = f'<meta name="generator" content="{GENERATOR}">'  # in every page

TABLE_NAMES = ("documents", "references", "recipients", "directives", "obligations",
               "risk_groups", "deadlines", "agencies", "errors")


def doc_id(source: str, sha256: str) -> str:
    """Stable id: the same file at the same path gets the same id in every run."""
    return hashlib.sha256(f"{source}\0{sha256}".encode()).hexdigest()[:16]


def _span_cols(rec: Any) -> dict[str, Any]:
    return {"text": rec.text, "start": rec.start, "end": rec.end, "stage": rec.stage}


def document_rows(src: SourceDoc, x: Extraction) -> dict[str, list[dict[str, Any]]]:
    """All rows of one document, table name -> rows."""
    did = doc_id(src.source, src.sha256)
    doc: dict[str, Any] = {
        "doc_id": did, "source": src.source, "sha256": src.sha256, "format": src.format,
        "size_bytes": src.size_bytes, "n_chars": len(x.text), "text": x.text,
        "warnings": list(x.warnings), "encoding": src.encoding,
        "encoding_confidence": src.encoding_confidence,
        "ocr": src.ocr, "ocr_confidence": src.ocr_confidence,
    }
    spans = []
    for name in DocumentInfo.FIELDS:
        f = getattr(x.document, name)
        doc[name] = f.value if f is not None else None
        if f is not None:
            spans.append({"field": name, "value": f.value, "text": f.text,
                          "start": f.start, "end": f.end})
    doc["header_spans"] = spans
    return {
        "documents": [doc],
        "references": [{"doc_id": did, "doc_type": r.doc_type, "number": r.number,
                        "symbol": r.symbol, "date": r.date, "issuer": r.issuer,
                        "mentions": r.mentions, **_span_cols(r)} for r in x.references],
        "recipients": [{"doc_id": did, "kind": r.kind, "name": r.name, "note": r.note,
                        "canonical": r.canonical, "agency_id": r.agency_id,
                        **_span_cols(r)} for r in x.recipients],
        "directives": [{"doc_id": did, "directive": d.index, "task": d.task,
                        "section_number": d.section_number, "section_heading": d.section_heading,
                        "deadline": d.deadline, "groups": list(d.groups), **_span_cols(d)}
                       for d in x.directives],
        "obligations": [{"doc_id": did, "directive": o.directive, "assignee": o.assignee,
                         "canonical": o.canonical, "agency_id": o.agency_id, "role": o.role,
                         "task": o.task, "deadline": o.deadline, "groups": list(o.groups),
                         **_span_cols(o)} for o in x.obligations],
        "risk_groups": [{"doc_id": did, "code": g.code, **_span_cols(g)} for g in x.risk_groups],
        "deadlines": [{"doc_id": did, "date": d.date, "start_date": d.start_date, "kind": d.kind,
                       **_span_cols(d)} for d in x.deadlines],
        "agencies": [{"agency_id": a.agency_id, "name": a.name, "level": a.level, "kind": a.kind}
                     for a in x.agencies],
    }


def error_rows(err: ErrorRecord) -> dict[str, list[dict[str, Any]]]:
    return {"errors": [{"source": err.source, "stage": err.stage, "reason": err.reason}]}
