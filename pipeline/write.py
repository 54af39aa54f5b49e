"""Turn records into table rows and write them as Parquet.

Rows come from the same records as the per-document JSON, so the two never
disagree. Tables are written in row groups as the run goes (memory stays flat)
to a temporary file that is renamed into place only when complete.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.models import DocumentInfo, ErrorRecord, Extraction, SourceDoc
from pipeline.schema import TABLES

ROW_GROUP = 2000


def doc_id(source: str, sha256: str) -> str:
    """Stable id: the same file at the same path gets the same id in every run."""
    return hashlib.sha256(f"{source}\0{sha256}".encode("utf-8")).hexdigest()[:16]


def _span_cols(rec: Any) -> dict[str, Any]:
    return {"text": rec.text, "start": rec.start, "end": rec.end, "stage": rec.stage}


def document_rows(src: SourceDoc, x: Extraction) -> dict[str, list[dict[str, Any]]]:
    """All rows of one document, table name -> rows."""
    did = doc_id(src.source, src.sha256)
    doc: dict[str, Any] = {
        "doc_id": did, "source": src.source, "sha256": src.sha256, "format": src.format,
        "size_bytes": src.size_bytes, "n_chars": len(x.text), "text": x.text,
        "warnings": list(x.warnings),
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


class TableWriter:
    """Buffers rows per table and flushes them as row groups of one Parquet file each."""

    def __init__(self, out_dir: Path, row_group: int = ROW_GROUP) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.row_group = row_group
        self._buffers: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts: dict[str, int] = {name: 0 for name in TABLES}
        self._agency_ids: set[str] = set()

    def add(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        rows = dict(rows)
        if "agencies" in rows:  # one row per agency across the whole run
            fresh = [r for r in rows["agencies"] if r["agency_id"] not in self._agency_ids]
            self._agency_ids.update(r["agency_id"] for r in fresh)
            rows["agencies"] = fresh
        for name, table_rows in rows.items():
            self._buffers[name].extend(table_rows)
            self.counts[name] += len(table_rows)
            if len(self._buffers[name]) >= self.row_group:
                self._flush(name)

    def _tmp(self, name: str) -> Path:
        return self.out_dir / f".{name}.parquet.tmp"

    def _flush(self, name: str) -> None:
        rows = self._buffers[name]
        table = pa.Table.from_pylist(rows, schema=TABLES[name])
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self._tmp(name), TABLES[name])
        self._writers[name].write_table(table)
        self._buffers[name] = []

    def close(self) -> dict[str, Path]:
        """Flush everything; every table is written, empty ones with their schema."""
        paths: dict[str, Path] = {}
        for name in TABLES:
            if self._buffers[name] or name not in self._writers:
                self._flush(name)
            self._writers[name].close()
            final = self.out_dir / f"{name}.parquet"
            os.replace(self._tmp(name), final)
            paths[name] = final
        self._writers.clear()
        return paths

    def abort(self) -> None:
        for name, w in self._writers.items():
            w.close()
            self._tmp(name).unlink(missing_ok=True)
        self._writers.clear()
