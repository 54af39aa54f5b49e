"""The pure core: ``extract(text) -> Extraction``. No I/O, no global state.

>>> x = extract("Số: 124/KH-UBND\\nLạng Sơn, ngày 16 tháng 7 năm 2019\\nKẾ HOẠCH\\nTuyên truyền")
>>> x.document.value("doc_type"), x.document.value("number"), x.document.value("issue_date")
('Kế hoạch', '124', '2019-07-16')
"""
from __future__ import annotations

from time import perf_counter

import regex

from . import assign, find, link, resolve, schedule, target
from .clean import clean
from .models import Agency, DocumentInfo, Extraction, Field, Recipient, Reference, Span
from .names import by_code
from .regexes import type_codes
from .segment import Zones, segment


def extract(raw: str, timings: dict[str, float] | None = None) -> Extraction:
    """Clean, segment, find and resolve everything in one document's text.

    Given a ``timings`` dict, add to it the seconds spent in each stage (for
    benchmarks); the dict is the caller's, the extraction is the same.
    """
    watch = _NO_WATCH if timings is None else _Stopwatch(timings)
    text = clean(raw).text
    watch.lap("clean")
    return extract_clean(text, timings)


def extract_clean(text: str, timings: dict[str, float] | None = None) -> Extraction:
    """Like :func:`extract` for text that is already cleaned (offsets are into it)."""
    watch = _NO_WATCH if timings is None else _Stopwatch(timings)
    zones = segment(text)
    watch.lap("segment")
    info, own = find.find_document(text, zones)
    refs = find.find_references(text, own)
    watch.lap("find")
    refs = resolve.merge_references(refs)
    warnings: list[str] = []
    _header(text, zones, info, own, refs, warnings)
    refs = find.dated_by_document(text, refs, info.value("issue_date"))
    watch.lap("resolve")
    recipients = find.find_recipients(text, zones)
    watch.lap("find")
    deadlines, notes = schedule.find_deadlines(
        text, zones, info.value("issue_date"), _not_deadlines(info, refs))
    warnings.extend(notes)
    watch.lap("schedule")
    groups = target.find_risk_groups(text, zones)
    watch.lap("target")
    directives, obligations = assign.find_tasks(text, zones, deadlines, groups,
                                               issuer=info.value("issuer"),
                                               news=info.value("doc_type") == "Tin bài")
    deadlines = schedule.bound_to_tasks(text, deadlines, [(d.start, d.end) for d in directives],
                                        schedule.sets_rules(info.value("doc_type")))
    watch.lap("assign")
    ctx = link.context_of(info)
    agencies: dict[str, Agency] = {}
    recipients = _link(recipients, ctx, agencies)
    obligations = _link(obligations, ctx, agencies)
    watch.lap("link")
    return Extraction(text=text, document=info, references=refs, recipients=recipients,
                      directives=directives, obligations=obligations, risk_groups=groups,
                      deadlines=deadlines, agencies=list(agencies.values()), warnings=warnings)


class _Stopwatch:
    """Adds the time since the last lap to ``timings[stage]``."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self.last = perf_counter()

    def lap(self, stage: str) -> None:
        now = perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


class _NoWatch:
    """The default: no clock is read at all."""

    def lap(self, stage: str) -> None:
        pass


_NO_WATCH = _NoWatch()


def _not_deadlines(info: DocumentInfo, refs: list[Reference]) -> list[tuple[int, int]]:
    """Spans whose dates are never deadlines: the own date and the cited documents."""
    spans = [(r.start, r.end) for r in refs]
    if info.issue_date is not None:
        spans.append((info.issue_date.start, info.issue_date.end))
    return spans


def _link(records: list, ctx: link.Context, agencies: dict[str, Agency]) -> list:
    """Give each named body its canonical agency; collect each agency once."""
    linked = []
    for r in records:
        agency = link.link(r.name if isinstance(r, Recipient) else r.assignee, ctx)
        if agency is None:
            linked.append(r)
            continue
        agencies.setdefault(agency.agency_id, agency)
        # a copy with the two fields set (``dataclasses.replace`` costs more per record)
        fields = dict(r.__dict__, canonical=agency.name, agency_id=agency.agency_id)
        linked.append(type(r)(**fields))
    return linked


def _f(value: str | None, span: Span | None) -> Field | None:
    if value is None or span is None:
        return None
    return Field(value=value, text=span.text, start=span.start, end=span.end)


def _header(text: str, zones: Zones, info: DocumentInfo, own, refs, warnings: list[str]) -> None:
    """Fill the header fields of ``info``; a news post gets ``Tin bài``."""
    after = zones.number_line.end if zones.number_line else 0
    place_date = find.find_place_date(text, zones) if zones.has_header else None
    search_from = place_date.date_span.end if place_date else after
    type_title = find.find_type_title(text, zones, search_from if zones.has_header else after) \
        if zones.has_header else None
    tin_bai = not zones.has_header and type_title is None

    # document type: the printed title, else the type code, else công văn
    if type_title is not None:
        info.doc_type = _f(type_title.doc_type, type_title.type_span)
    elif tin_bai:
        info.doc_type = Field("Tin bài", "", 0, 0)
    else:
        code_type = _type_from_own_symbol(own.symbol if own else None)
        span = zones.number_line or Span("", 0, 0)
        info.doc_type = Field(code_type or "Công văn", span.text, span.start, span.end)

    if place_date is not None:
        if place_date.place is not None:
            info.place = _f(" ".join(place_date.place.text.split()), place_date.place)
        if place_date.date:
            info.issue_date = _f(place_date.date, place_date.date_span)
            if len(place_date.date) < 10:
                warnings.append(f"issue date printed to precision {place_date.date!r}")

    if tin_bai:
        _news_post(text, zones, info, refs)
        return

    # subject: V/v for a công văn, else the title after the type name
    stop = place_date.place.start if place_date and place_date.place else None
    subject = None
    if type_title is not None and type_title.title is not None:
        subject = type_title.title
        value = resolve.sentence_case(subject.text) if subject.text.isupper() else subject.text
        info.subject = _f(" ".join(value.split()), subject)
    else:
        subject = find.find_vv_subject(text, zones, 0, stop if stop and stop > after else None)
        if subject is not None:
            info.subject = _f(" ".join(subject.text.split()), subject)

    block = find.find_header_issuer(text, zones)
    if block is not None:
        name = resolve.issuer_name(block[0])
        if resolve.placeless(name):  # "ỦY BAN NHÂN DÂN" alone: the text names its place
            name = find.placed_issuer(text, name, block[1].end) or name
        info.issuer = _f(resolve.issuer_name(name), block[1])
    else:
        issuer = find.find_body_issuer(text, zones, tin_bai=False)
        if issuer is not None:
            info.issuer = _f(resolve.issuer_name(issuer.text), issuer)

    signer, title_span, title = find.find_signature(text, zones)
    if signer is not None:
        info.signer = _f(signer.text, signer)
        info.signer_title = _f(title, title_span)
    elif (portal := find.find_metadata_signer(text)) is not None:
        info.signer = _f(portal.text, portal)


def _news_post(text: str, zones: Zones, info: DocumentInfo, refs: list[Reference]) -> None:
    posted = find.find_post_date(text)
    if posted is not None:
        info.issue_date = _f(posted[0], posted[1])
    place = find.find_news_place(text)
    if place is not None:
        info.place = _f(" ".join(place.text.split()), place)
    title = find.find_post_title(text, zones.captions)
    if title is None:
        title = find.find_cited_subject(text, refs)
    if title is not None:
        info.subject = _f(" ".join(title.text.split()), title)
    issuer = find.find_body_issuer(text, zones, tin_bai=True)
    if issuer is not None:
        info.issuer = _f(resolve.issuer_name(issuer.text), issuer)
    else:
        info.issuer = _issuer_by_code(text, refs)


def _issuer_by_code(text: str, refs: list[Reference]) -> Field | None:
    """A news post that names no issuing body: the central body whose code the reported
    document's symbol carries (``văn bản số 2325a/VPCP-KGVX`` -> Văn phòng Chính phủ)."""
    codes = by_code()
    for ref in refs:
        for part in regex.split(r"[-–/]", ref.symbol):
            body = codes.get(part)
            if body is not None:
                return Field(body.name, ref.text, ref.start, ref.end)
    return None


def _type_from_own_symbol(symbol: str | None) -> str | None:
    if not symbol:
        return None
    first = symbol.replace("–", "-").split("-")[0].split("/")[0]
    return type_codes().get(first.upper())
