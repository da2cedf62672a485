"""Reports and the SKM survey: who may see what, date ranges in the hall's days, figures assembled.

SQL lives in adapters/reports.py, arithmetic in domain/stats.py and domain/skm.py; this module
checks the reader, scopes a supervisor to their agency and ties the pieces into rows that the
page, the CSV and the XLSX all print, so the three can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from ..adapters.db import read_connection
from ..adapters import db
from ..adapters import reports as sql
from ..adapters.repository import from_db_time, ticket_from_row, to_db_time
from ..domain import skm
from ..domain.access import Actor, Forbidden, Role
from ..domain.errors import InvalidTransition, NotFound
from ..domain.hall import Catalog
from ..domain.stats import Durations, summarize
from ..domain.tickets import Status, Ticket, day_span, local_day
from .queue import Clock, InvalidInput, QueueService

MAX_DAYS = 400
TIMED = ("counter", "officer")  # dimensions with pause and idle time
# SKM groupings: never per officer (an officer's own satisfaction scores are sensitive; a counter is enough)
SKM_DIMENSIONS = ("agency", "service", "counter")
# report kind: (its groupings, the default one)
REPORTS: dict[str, tuple[tuple[str, ...], str]] = {"tickets": (sql.DIMENSIONS, "service"),
                                                   "skm": (SKM_DIMENSIONS, "agency")}
SURVEY_HOURS = 24
COMMENTS_SHOWN = 100  # a ticket can be rated until a day after it was finished
CHANNELS = ("counter", "phone")


class AlreadyAnswered(InvalidTransition):
    """This ticket's survey was already answered (HTTP 409)."""

    code = "already_answered"


@dataclass(frozen=True)
class Period:
    """An inclusive range of the hall's local days."""

    first: date
    last: date

    @classmethod
    def parse(cls, first: str | None, last: str | None, today: date) -> Period:
        """From ISO dates (default: the month so far), checked: in order and at most MAX_DAYS long."""
        try:
            end = date.fromisoformat(last) if last else today
            start = date.fromisoformat(first) if first else end.replace(day=1)
        except ValueError as exc:
            raise InvalidInput("Tanggal harus berformat TTTT-BB-HH", "Dates must be YYYY-MM-DD") from exc
        if start > end or (end - start).days >= MAX_DAYS:
            raise InvalidInput(f"Rentang tanggal tidak sah (paling lama {MAX_DAYS} hari)",
                               f"Invalid date range (at most {MAX_DAYS} days)")
        return cls(start, end)


@dataclass(frozen=True)
class ReportQuery:
    """What a reader asked for: the period, the grouping and the agency (None = all they may see)."""

    period: Period
    dimension: str
    agency: str | None


def _check_dimension(dimension: str, dimensions: tuple[str, ...]) -> None:
    """InvalidInput (422) for a grouping the report does not have."""
    if dimension not in dimensions:
        raise InvalidInput(f"Pengelompokan laporan tidak dikenal: {dimension} (pilih {', '.join(dimensions)})",
                           f"Unknown report grouping: {dimension} (choose {', '.join(dimensions)})")


@dataclass(frozen=True)
class ReportRow:
    """One line of a ticket report: a hall, agency, service, counter or officer."""

    key: str | None
    label: str
    issued: int
    served: int
    no_show: int
    cancelled: int
    transferred: int
    within_target: int
    wait: Durations
    service: Durations
    pause_s: float | None   # counters and officers only
    idle_s: float | None

    @property
    def share_within_target(self) -> float | None:
        """Served within the service's target, as a fraction of served."""
        return self.within_target / self.served if self.served else None


@dataclass(frozen=True)
class TicketReport:
    """A report: its rows, the whole scope's total row and the arrivals heat map (7 × 24)."""

    period: Period
    dimension: str
    agency: str | None
    rows: list[ReportRow]
    total: ReportRow
    heat: list[list[int]]


@dataclass(frozen=True)
class SkmRow:
    """The index of one agency, service, counter or the hall."""

    key: str | None
    label: str
    result: skm.SkmResult


@dataclass(frozen=True)
class SkmReport:
    """SKM per agency, service or counter over a period, the scope's total and the quick ratings beside it."""

    period: Period
    dimension: str
    agency: str | None
    rows: list[SkmRow]
    total: SkmRow
    quick: dict[int, int]
    comments: list[tuple[date, str, str]]  # (day, service name, comment), newest first


@dataclass(frozen=True)
class SurveyTicket:
    """A finished ticket offered for the survey, and whether it was answered."""

    ticket: Ticket
    agency_code: str
    answered: bool      # the nine-element survey
    quick_rated: bool   # the one-tap rating


class ReportService:
    """Reports and survey answers on the queue's database."""

    def __init__(self, queue: QueueService, clock: Clock | None = None) -> None:
        self.queue = queue
        self.engine: Engine = queue.engine
        self.clock = clock or queue.clock

    # -- who and what -------------------------------------------------------------------

    def today(self) -> date:
        """The hall's local day now."""
        return local_day(self.clock(), self.queue.catalog().settings.timezone)

    @staticmethod
    def scope(who: Actor, agency: str | None, catalog: Catalog) -> str | None:
        """The agency a reader sees: a supervisor's own; an admin's or hall supervisor's choice (None = all)."""
        who.ensure_supervisor()
        own = who.agency_code if who.role is Role.SUPERVISOR else None
        if own:
            if agency and agency != own:
                raise Forbidden("Anda hanya dapat melihat laporan agensi Anda",
                                "You may only see your agency's reports")
            return own
        if agency:
            catalog.agency(agency)
        return agency or None

    def query(self, who: Actor, kind: str, args: Mapping[str, str]) -> ReportQuery:
        """A report's query string (`from`, `to`, `by`, `agency`) for the pages, exports and API alike.

        The reader is checked first, so an officer is refused (403) before a malformed query is read.
        """
        who.ensure_supervisor()
        dimensions, default = REPORTS[kind]
        dimension = args.get("by") or default
        _check_dimension(dimension, dimensions)
        return ReportQuery(Period.parse(args.get("from"), args.get("to"), self.today()), dimension,
                           args.get("agency") or None)

    # -- ticket reports -----------------------------------------------------------------

    def ticket_report(self, who: Actor, period: Period, dimension: str, agency: str | None = None) -> TicketReport:
        """Counts, waiting and service times, target share, pause and idle time per `dimension`."""
        _check_dimension(dimension, sql.DIMENSIONS)
        catalog = self.queue.catalog()
        scope = self.scope(who, agency, catalog)
        tz = catalog.settings.timezone
        offset = ZoneInfo(tz).utcoffset(datetime.combine(period.first, datetime.min.time()))
        offset_s = int(offset.total_seconds()) if offset else 0
        now = self.clock()
        today = local_day(now, tz)
        with self.engine.begin() as conn:
            sql.roll_up(conn, period.first, period.last, today, offset_s, now)
        with read_connection(self.engine) as conn:
            with conn.begin():
                buckets = sql.grouped(conn, sql.buckets(conn, period.first, period.last, today, offset_s, scope),
                                      dimension)
                paused = self._paused(conn, catalog, period, dimension, scope) if dimension in TIMED else {}
        return self._assemble(catalog, period, dimension, scope, buckets, paused)

    @staticmethod
    def _assemble(catalog: Catalog, period: Period, dimension: str, scope: str | None,
                  buckets: list[tuple[Any, ...]], paused: dict[tuple[Any, date], float]) -> TicketReport:
        """Rows, the scope's total and the heat map from the (key, day, hour) buckets.

        Idle time of a counter's or officer's day is the span from its first call to its last close,
        less the time with visitors and its pauses that day.
        """
        counts: dict[Any, list[int]] = defaultdict(lambda: [0] * len(sql.BUCKET_COUNTS))
        joined: dict[Any, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        spans: dict[tuple[Any, date], list[float]] = {}
        heat = [[0] * 24 for _ in range(7)]
        n = len(sql.BUCKET_COUNTS)
        for key, day, hour, *figures in buckets:
            day = day if isinstance(day, date) else date.fromisoformat(day)
            numbers = counts[key]
            for i, value in enumerate(figures[:n]):
                numbers[i] += value or 0
            heat[day.weekday()][hour] += figures[0]
            first_call, last_close, busy, waits, serves = figures[n:]
            if waits:
                joined[key][0].append(waits)
            if serves:
                joined[key][1].append(serves)
            if first_call is not None:
                span = spans.setdefault((key, day), [first_call, last_close, 0.0])
                span[0], span[1], span[2] = min(span[0], first_call), max(span[1], last_close), span[2] + busy
        wait_of = {key: sorted(sql.floats(",".join(w))) for key, (w, _) in joined.items()}
        serve_of = {key: sorted(sql.floats(",".join(v))) for key, (_, v) in joined.items()}
        idle_of: dict[Any, float] = defaultdict(float)
        pause_of: dict[Any, float] = defaultdict(float)
        for (key, day), (first_call, last_close, busy) in spans.items():
            idle_of[key] += max(0.0, last_close - first_call - busy - paused.get((key, day), 0.0))
        for (key, _), seconds in paused.items():
            pause_of[key] += seconds
        timed = dimension in TIMED
        rows = sorted((ReportRow(key, _label(catalog, dimension, key), *numbers, summarize(wait_of.get(key, [])),
                                 summarize(serve_of.get(key, [])), pause_of.get(key, 0.0) if timed else None,
                                 idle_of.get(key, 0.0) if timed else None)
                       for key, numbers in counts.items()), key=lambda r: (r.key is None, r.label))
        if dimension == "hall" and rows:
            total = rows[0]
        else:  # the scope's pause and idle time: the sum over its rows (counters or officers)
            total = ReportRow("hall", catalog.settings.name, *(sum(col) for col in zip(*counts.values(), strict=True))
                              if counts else (0,) * len(sql.BUCKET_COUNTS),
                              summarize([v for vs in wait_of.values() for v in vs]),  # sorted runs: a cheap merge
                              summarize([v for vs in serve_of.values() for v in vs]),
                              sum(r.pause_s or 0.0 for r in rows) if timed else None,
                              sum(r.idle_s or 0.0 for r in rows) if timed else None)
        return TicketReport(period, dimension, scope, rows, total, heat)

    def _paused(self, conn: Any, catalog: Catalog, period: Period, dimension: str,
                scope: str | None) -> dict[tuple[Any, date], float]:
        """Paused seconds per counter or officer (who paused) and local day; a pause lasts until its
        resume, or the end of that day."""
        tz = catalog.settings.timezone
        start, end = day_span(period.first, tz)[0], day_span(period.last, tz)[1]
        counters = None if scope is None else [c.code for c in catalog.counters.values() if c.agency_code == scope]
        paused: dict[tuple[Any, date], float] = defaultdict(float)
        open_pause: dict[str, tuple[datetime, str | None]] = {}
        for counter, action, at, actor in sql.pauses(conn, start, end, counters):
            at = from_db_time(at)
            if action == "pause" and counter not in open_pause:
                open_pause[counter] = (at, actor)
            elif action == "resume" and counter in open_pause:
                began, actor = open_pause.pop(counter)
                _add_pause(paused, counter if dimension == "counter" else actor, began, at, tz)
        for counter, (began, actor) in open_pause.items():
            _add_pause(paused, counter if dimension == "counter" else actor, began,
                       min(day_span(local_day(began, tz), tz)[1], self.clock()), tz)
        return paused

    # -- SKM ----------------------------------------------------------------------------

    def skm_report(self, who: Actor, period: Period, dimension: str = "agency", agency: str | None = None) -> SkmReport:
        """Respondents, NRR per element, IKM and category per agency, service or counter, and for the scope."""
        _check_dimension(dimension, SKM_DIMENSIONS)
        catalog = self.queue.catalog()
        scope = self.scope(who, agency, catalog)
        with read_connection(self.engine) as conn:
            with conn.begin():
                rows = sql.survey_totals(conn, dimension, period.first, period.last, scope)
                total = sql.survey_totals(conn, "hall", period.first, period.last, scope)
                quick = sql.quick_totals(conn, period.first, period.last, scope)
                comments = sql.survey_comments(conn, period.first, period.last, scope, COMMENTS_SHOWN)
        result = [SkmRow(key, _label(catalog, dimension, key), skm.compute(n, [int(v) for v in sums]))
                  for key, n, *sums in rows]
        all_ = (SkmRow("hall", "", skm.compute(total[0][1], [int(v) for v in total[0][2:]])) if total
                else SkmRow("hall", "", skm.compute(0, [0] * len(skm.ELEMENTS))))
        return SkmReport(period, dimension, scope, sorted(result, key=lambda r: r.label), all_,
                         {score: quick.get(score, 0) for score in skm.QUICK_SCALE},
                         [(day, _label(catalog, "service", code), text) for day, code, text in comments])

    # -- survey answers -----------------------------------------------------------------

    def survey_ticket(self, ticket_id: str) -> SurveyTicket:
        """A finished ticket that may still be rated, or NotFound."""
        with read_connection(self.engine) as conn:
            row = conn.execute(select(db.ticket).where(db.ticket.c.id == ticket_id)).first()
            answered, quick_rated = (
                conn.execute(select(table.c.id).where(table.c.ticket_id == ticket_id)).first() is not None
                for table in (db.survey_response, db.quick_rating))
        return self._offered(row, answered, quick_rated)

    def latest_at_counter(self, counter_code: str) -> SurveyTicket | None:
        """The ticket finished most recently at a counter (the counter tablet's survey), if still open."""
        self.queue.catalog().counter(counter_code)
        e = db.ticket_event.c
        since = to_db_time(self.clock() - timedelta(hours=SURVEY_HOURS))
        with read_connection(self.engine) as conn:
            ticket_id = conn.execute(select(e.ticket_id).where(e.counter_code == counter_code, e.action == "finish",
                                                               e.at >= since).order_by(e.id.desc()).limit(1)).scalar()
        return self.survey_ticket(ticket_id) if ticket_id else None

    def _offered(self, row: Any, answered: bool, quick_rated: bool) -> SurveyTicket:
        ticket = ticket_from_row(row) if row else None
        if (ticket is None or ticket.status is not Status.DONE or ticket.finished_at is None
                or self.clock() - ticket.finished_at > timedelta(hours=SURVEY_HOURS)):
            raise NotFound("Survei untuk nomor ini tidak tersedia", "No survey is open for this ticket")
        return SurveyTicket(ticket, self.queue.catalog().services[ticket.service_code].agency_code, answered,
                            quick_rated)

    def answer(self, ticket_id: str, scores: list[int], comment: str, channel: str) -> None:
        """Store the nine scores of a finished ticket; a second answer is refused (409)."""
        scores = list(skm.check_scores(scores))
        if channel not in CHANNELS:
            raise InvalidInput("Saluran survei tidak dikenal", "Unknown survey channel")
        offered = self.survey_ticket(ticket_id)
        if offered.answered:
            raise AlreadyAnswered("Survei nomor ini sudah diisi; terima kasih",
                                  "This ticket's survey was already answered")
        self._store(db.survey_response, offered, channel=channel, comment=comment.strip()[:1000],
                    **dict(zip(db.SKM_COLUMNS, scores, strict=True)))

    def quick_rate(self, ticket_id: str, score: int) -> None:
        """The one-tap rating of a finished ticket (once), kept apart from the index."""
        if score not in skm.QUICK_SCALE:
            raise InvalidInput("Nilai cepat harus 1, 2 atau 3", "A quick rating is 1, 2 or 3")
        self._store(db.quick_rating, self.survey_ticket(ticket_id), score=score)

    def _store(self, table: Any, offered: SurveyTicket, **values: Any) -> None:
        t = offered.ticket
        assert t.finished_at is not None
        try:
            with self.engine.begin() as conn:
                conn.execute(table.insert().values(
                    ticket_id=t.id, agency_code=offered.agency_code, service_code=t.service_code,
                    counter_code=t.counter_code, day=t.day, at=to_db_time(self.clock()), **values))
        except IntegrityError as exc:  # the same ticket answered twice at once
            raise AlreadyAnswered("Nomor ini sudah dinilai; terima kasih", "This ticket was already rated") from exc


def _add_pause(paused: dict[tuple[Any, date], float], key: Any, began: datetime, ended: datetime, tz: str) -> None:
    """Pause seconds on the local day the pause began."""
    paused[(key, local_day(began, tz))] += max(0.0, (ended - began).total_seconds())


def _label(catalog: Catalog, dimension: str, key: str | None) -> str:
    """A row's readable name (retired codes and officers read as their code)."""
    if key is None:
        return "(tanpa / none)"
    if dimension == "agency" and key in catalog.agencies:
        return catalog.agencies[key].name
    if dimension == "service" and key in catalog.services:
        return catalog.services[key].name
    if dimension == "counter" and key in catalog.counters:
        return catalog.counters[key].name
    if dimension == "hall":
        return catalog.settings.name
    return str(key)

