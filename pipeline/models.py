"""Typed records that flow between the stages.

Every extracted thing carries its text as printed and its span in the cleaned
text (``start``/``end``), so each table row can be traced to its words.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceDoc:
    """A file (or archive member) read to text, before cleaning."""

    source: str  # path as given; archive members as "archive.zip!member/path.txt"
    text: str
    format: str  # txt, md, html, docx, pdf
    size_bytes: int
    sha256: str  # of the raw bytes


@dataclass(frozen=True)
class ErrorRecord:
    """An input that could not be processed, and why."""

    source: str
    stage: str  # read, clean, extract, write
    reason: str


@dataclass(frozen=True)
class Span:
    """A piece of the cleaned text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Field:
    """One header field: the normalized value and where it was printed."""

    value: str | None
    text: str
    start: int
    end: int
    stage: str = "find"


@dataclass(frozen=True)
class Agency:
    """A body or person named in the text; ``name`` has abbreviations expanded."""

    name: str
    printed: str


@dataclass
class DocumentInfo:
    """Header fields of the document itself. Each may be absent."""

    doc_type: Field | None = None
    number: Field | None = None
    symbol: Field | None = None
    issuer: Field | None = None
    place: Field | None = None
    issue_date: Field | None = None
    subject: Field | None = None
    signer: Field | None = None
    signer_title: Field | None = None

    FIELDS = (
        "doc_type", "number", "symbol", "issuer", "place",
        "issue_date", "subject", "signer", "signer_title",
    )

    def value(self, name: str) -> str | None:
        f = getattr(self, name)
        return f.value if f is not None else None


@dataclass(frozen=True)
class Reference:
    """Another document cited by number."""

    doc_type: str | None
    number: str | None
    symbol: str
    date: str | None  # ISO, cut to the printed precision
    issuer: str | None
    text: str
    start: int
    end: int
    mentions: int = 1
    stage: str = "resolve"

    @property
    def key(self) -> str:
        return f"{self.number or ''}/{self.symbol}".upper()


@dataclass(frozen=True)
class Recipient:
    """An entry of ``Kính gửi`` (kind ``to``) or ``Nơi nhận`` (kind ``cc``)."""

    name: str  # canonical: abbreviations expanded, notes dropped
    kind: str  # to | cc
    text: str  # the entry as printed (with its purpose note, kept apart in ``note``)
    start: int
    end: int
    note: str | None = None  # purpose note such as "để b/c"
    stage: str = "find"


@dataclass(frozen=True)
class Obligation:
    """A body tasked to act (filled by the tasking stage)."""

    assignee: str
    role: str  # lead | support
    text: str
    start: int
    end: int
    task: str | None = None
    deadline: str | None = None
    stage: str = "find"


@dataclass(frozen=True)
class RiskGroup:
    code: str
    text: str
    start: int
    end: int
    stage: str = "find"


@dataclass(frozen=True)
class Deadline:
    date: str | None
    kind: str  # by | until | within | from | recurring
    text: str
    start: int
    end: int
    stage: str = "find"


@dataclass
class Extraction:
    """Everything extracted from one cleaned text."""

    text: str
    document: DocumentInfo
    references: list[Reference] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    risk_groups: list[RiskGroup] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The per-document view with the keys of GOLD_FORMAT.md."""
        doc = {name: self.document.value(name) for name in DocumentInfo.FIELDS}
        return {
            "document": doc,
            "references": [
                {"doc_type": r.doc_type, "number": r.number, "symbol": r.symbol,
                 "date": r.date, "issuer": r.issuer}
                for r in self.references
            ],
            "recipients": [{"name": r.name, "kind": r.kind} for r in self.recipients],
            "obligations": [{"assignee": o.assignee, "role": o.role} for o in self.obligations],
            "risk_groups": sorted({g.code for g in self.risk_groups}),
            "deadlines": [{"date": d.date, "kind": d.kind, "text": d.text} for d in self.deadlines],
            "warnings": list(self.warnings),
        }


def record_dict(record: Any) -> dict[str, Any]:
    return asdict(record)
