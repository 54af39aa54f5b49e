"""Typed records that flow between the stages.

Every extracted thing carries its text as printed and its span in the cleaned
text (``start``/``end``), so each table row can be traced to its words.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


class SpanSet:
    """Offsets ``(start, end)`` joined where they overlap and kept sorted, so that
    "does this touch one of them" is a bisection, not a scan of them all (a long text
    has thousands of names, mentions and blocked spans)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            if self.ends and a < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def overlaps(self, s: int, e: int) -> bool:
        """Whether ``s..e`` overlaps one of the spans."""
        i = bisect_left(self.starts, e) - 1  # the last span that opens before e
        return i >= 0 and s < self.ends[i]

    def holds(self, pos: int) -> bool:
        """Whether ``pos`` lies strictly inside one of the spans."""
        i = bisect_left(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


class Breaks:
    """Where a text breaks into lines (or cells, given ``"\n|"``), found in one scan,
    so that "where does this line start" is a bisection: scanning back from each of
    many finds on one long line is quadratic."""

    def __init__(self, text: str, chars: str = "\n") -> None:
        self.at = [i for i, c in enumerate(text) if c in chars] if len(chars) > 1 else occurrences(text, chars)
        self.length = len(text)

    def start_of(self, pos: int) -> int:
        """Like ``text.rfind(char, 0, pos) + 1`` for the nearest of the chars."""
        i = bisect_left(self.at, pos) - 1
        return self.at[i] + 1 if i >= 0 else 0

    def end_of(self, pos: int) -> int:
        """Like ``text.find(char, pos)``, or the text's length where there is none."""
        i = bisect_left(self.at, pos)
        return self.at[i] if i < len(self.at) else self.length


def occurrences(text: str, word: str) -> list[int]:
    """Every start of ``word`` in ``text`` (overlaps included), by plain string search."""
    out, pos = [], text.find(word)
    while pos >= 0:
        out.append(pos)
        pos = text.find(word, pos + 1)
    return out


@dataclass(frozen=True)
class SourceDoc:
    """A file (or archive member) read to text, before cleaning."""

    source: str  # path as given; archive members as "archive.zip!member/path.txt"
    text: str
    format: str  # txt, md, html, docx, pdf
    size_bytes: int
    sha256: str  # of the raw bytes
    # How the bytes became text (schema.DOCUMENTS documents the values); None
    # where a parser did it (docx, pdf, doc) and no legacy font codes were mapped.
    encoding: str | None = None
    encoding_confidence: float | None = None  # 0..1
    ocr: str | None = None  # the OCR engine, where scanned pages were read
    ocr_confidence: float | None = None  # 0..1: the mean confidence of the words it read
    ocr_pages: int = 0  # pages read by OCR (a run's progress counts them)


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
    canonical: str | None = None  # province/ministry resolved from the document's context
    agency_id: str | None = None
    stage: str = "find"


@dataclass(frozen=True)
class Directive:
    """One task statement: the verb phrase of the task and the section it sits in."""

    index: int  # order in the document; obligations point to it
    task: str  # the verb phrase, e.g. "tuyên truyền ..." or "báo cáo kết quả ..."
    text: str  # the whole statement as printed
    start: int
    end: int
    section_number: str | None = None  # "2", "II", "a"
    section_heading: str | None = None
    deadline: str | None = None  # ISO end of the first deadline inside the statement
    groups: tuple[str, ...] = ()  # risk-group codes named inside the statement
    stage: str = "assign"


@dataclass(frozen=True)
class Obligation:
    """One (directive, assignee) pair: a body tasked to act, and how."""

    assignee: str  # abbreviations expanded, as the document names it
    role: str  # lead | support
    text: str  # the assignee as printed
    start: int
    end: int
    directive: int | None = None  # Directive.index
    task: str | None = None
    deadline: str | None = None
    groups: tuple[str, ...] = ()
    canonical: str | None = None  # province/ministry resolved from the document's context
    agency_id: str | None = None
    stage: str = "assign"


@dataclass(frozen=True)
class Agency:
    """A canonical body: one row of the ``agencies`` table."""

    agency_id: str  # stable across the archive: derived from the folded canonical name
    name: str  # canonical name, e.g. "Ủy ban nhân dân tỉnh Lạng Sơn"
    level: str | None  # central | province | district | commune
    kind: str | None  # people's committee, department, police, army, union, press, ...


@dataclass(frozen=True)
class RiskGroup:
    code: str  # a code of RISK_GROUPS.md
    text: str  # the words as printed
    start: int
    end: int
    stage: str = "target"


@dataclass(frozen=True)
class Deadline:
    date: str | None  # ISO end of the window, cut to its precision; None when unresolved
    kind: str  # by | until | within | from | recurring
    text: str
    start: int
    end: int
    start_date: str | None = None  # ISO start of a range ("từ ... đến ..."), if printed
    stage: str = "schedule"


@dataclass
class Extraction:
    """Everything extracted from one cleaned text."""

    text: str
    document: DocumentInfo
    references: list[Reference] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    risk_groups: list[RiskGroup] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def _obligation_entries(self) -> list[dict[str, Any]]:
        return _unique_pairs(self.obligations)

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
            "obligations": self._obligation_entries(),
            "risk_groups": sorted({g.code for g in self.risk_groups}),
            "deadlines": [{"date": d.date, "kind": d.kind, "text": d.text} for d in self.deadlines],
            # beyond GOLD_FORMAT: who does what, per task statement
            "directives": [self._directive_entry(d) for d in self.directives],
            "warnings": list(self.warnings),
        }

    def _directive_entry(self, d: Directive) -> dict[str, Any]:
        return {
            "task": d.task, "section": d.section_number, "deadline": d.deadline,
            "groups": list(d.groups),
            "assignees": [{"assignee": o.assignee, "canonical": o.canonical, "role": o.role}
                          for o in self.obligations if o.directive == d.index],
        }


def _pair_key(folded: str) -> str:
    """``các sở, ngành có liên quan`` and ``các sở, ngành`` name the same collective."""
    for suffix in (" khác", " có liên quan", " liên quan", " khác"):
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
    return folded[4:] if folded.startswith("các ") else folded


def _unique_pairs(obligations: list[Obligation]) -> list[dict[str, Any]]:
    """One entry per (assignee, role): GOLD_FORMAT counts a body once per role.

    A later name that only extends or shortens an earlier one of the same role
    (``Sở Tư pháp`` / ``Sở Tư pháp các tỉnh, thành phố``) is the same body."""
    from .clean import fold  # local: clean imports nothing from here at load

    kept: list[tuple[str, str]] = []
    out = []
    for o in obligations:
        key = _pair_key(fold(o.assignee))
        if any(role == o.role and _same_body(key, k) for k, role in kept):
            continue
        kept.append((key, o.role))
        out.append({"assignee": o.assignee, "role": o.role})
    return out


# a longer name names another body when it goes on with these ("Liên đoàn Lao
# động" / "Liên đoàn Lao động cùng cấp"); other extensions only add scope
_OTHER_BODY = ("cùng ", "và ", "cấp dưới", "nơi ")


def _same_body(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    if long == short:
        return True
    if long.startswith(short + " ") and not long[len(short) + 1:].startswith(_OTHER_BODY):
        return True
    # two runs of kinds under one "các" where one holds the other: "các sở, ngành,
    # địa phương" / "các sở, ngành, đơn vị, địa phương" name the same collective
    ka, kb = _kinds(a), _kinds(b)
    if not ka or not kb:
        return False
    return ka <= kb or kb <= ka


def _kinds(key: str) -> frozenset[str] | None:
    """The kinds of a collective printed as a run of kind words (folded key, its
    ``các`` dropped: ``sở ban ngành``), or None for any other name."""
    from .knowledge import word_list  # local, as above

    words = key.split()
    kinds = frozenset(word_list("task_bodies.txt"))
    out, i = set(), 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in kinds:
            out.add(two)
            i += 2
        elif words[i] in kinds:
            out.add(words[i])
            i += 1
        else:
            return None
    return frozenset(out) if len(out) >= 2 else None


def record_dict(record: Any) -> dict[str, Any]:
    return asdict(record)
