"""Reports and the SKM survey: who may see what, date ranges in the hall's days, figures assembled.

SQL lives in adapters/reports.py, arithmetic in domain/stats.py and domain/skm.py; this module
checks the reader, scopes a supervisor to their agency and ties the pieces into rows that the
page, the CSV and the XLSX all print, so the three can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

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
SURVEY_HOURS = 24  # a ticket can be rated until a day after it was finished
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
    """The index of one agency, service or the hall, with the quick ratings beside it."""

    key: str
    label: str
    result: skm.SkmResult


@dataclass(frozen=True)
class SkmReport:
    """SKM per agency or service over a period, and the scope's total."""

    period: Period
    dimension: str
    agency: str | None
    rows: list[SkmRow]
    total: SkmRow
    quick: dict[int, int]


@dataclass(frozen=True)
class SurveyTicket:
    """A finished ticket offered for the survey, and whether it was answered."""

    ticket: Ticket
    agency_code: str
    answered: bool


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
                raise Forbidden("Anda hanya dapat melihat laporan agensi Anda", "You may only see your agency's reports")
            return own
        if agency:
            catalog.agency(agency)
        return agency or None

    # -- ticket reports -----------------------------------------------------------------

    def ticket_report(self, who: Actor, period: Period, dimension: str, agency: str | None = None) -> TicketReport:
        """Counts, waiting and service times, target share, pause and idle time per `dimension`."""
        if dimension not in sql.DIMENSIONS:
            raise InvalidInput(f"Dimensi laporan tidak dikenal: {dimension}", f"Unknown report dimension: {dimension}")
        catalog = self.queue.catalog()
        scope = self.scope(who, agency, catalog)
        with self.engine.connect() as conn:
            conn = conn.execution_options(readonly=True)
            with conn.begin():
                rows = self._rows(conn, catalog, period, dimension, scope)
                total = self._rows(conn, catalog, period, "hall", scope)
                offset = ZoneInfo(catalog.settings.timezone).utcoffset(datetime.combine(period.first, datetime.min.time()))
                heat = [[0] * 24 for _ in range(7)]
                for weekday, hour, n in sql.heat_map(conn, period.first, period.last, scope,
                                                     int(offset.total_seconds()) if offset else 0):
                    heat[weekday][hour] = n
        blank = ReportRow("hall", "", 0, 0, 0, 0, 0, 0, summarize([]), summarize([]), None, None)
        return TicketReport(period, dimension, scope, rows, total[0] if total else blank, heat)

    def _rows(self, conn: Any, catalog: Catalog, period: Period, dimension: str, scope: str | None) -> list[ReportRow]:
        counted = sql.counts(conn, dimension, period.first, period.last, scope)
        waits, serves = sql.durations(conn, dimension, period.first, period.last, scope)
        wait_of: dict[Any, list[float]] = defaultdict(list)
        serve_of: dict[Any, list[float]] = defaultdict(list)
        for key, value in waits:
            wait_of[key].append(value)
        for key, value in serves:
            serve_of[key].append(value)
        pause_of, idle_of = self._pause_idle(conn, catalog, period, dimension, scope)
        rows = [ReportRow(c["key"], _label(catalog, dimension, c["key"]), c["issued"], c["served"] or 0,
                          c["no_show"] or 0, c["cancelled"] or 0, c["transferred"] or 0, c["within_target"] or 0,
                          summarize(wait_of[c["key"]]), summarize(serve_of[c["key"]]),
                          pause_of.get(c["key"], 0.0) if pause_of is not None else None,
                          idle_of.get(c["key"]) if idle_of is not None else None)
                for c in counted]
        return sorted(rows, key=lambda r: (r.key is None, r.label))

    def _pause_idle(self, conn: Any, catalog: Catalog, period: Period, dimension: str,
                    scope: str | None) -> tuple[dict[Any, float] | None, dict[Any, float] | None]:
        """Paused seconds and idle seconds per counter or officer (None for other dimensions).

        A pause lasts until its resume, or the end of that local day. Idle time of a day is the
        span from the first call to the last close, less the time with visitors and the pauses.
        """
        if dimension not in ("counter", "officer"):
            return None, None
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
        pause_of: dict[Any, float] = defaultdict(float)
        for (key, _), seconds in paused.items():
            pause_of[key] += seconds
        idle_of: dict[Any, float] = defaultdict(float)
        for key, day, first_call, last_close, busy in sql.busy_days(conn, dimension, period.first, period.last, scope):
            idle_of[key] += max(0.0, (last_close - first_call) - busy - paused.get((key, day), 0.0))
        return pause_of, idle_of

    # -- SKM ----------------------------------------------------------------------------

    def skm_report(self, who: Actor, period: Period, dimension: str = "agency", agency: str | None = None) -> SkmReport:
        """Respondents, NRR per element, IKM and category per agency or service, and for the scope."""
        if dimension not in ("agency", "service"):
            raise InvalidInput("Laporan SKM per agensi atau layanan", "SKM reports are per agency or service")
        catalog = self.queue.catalog()
        scope = self.scope(who, agency, catalog)
        with self.engine.connect() as conn:
            conn = conn.execution_options(readonly=True)
            with conn.begin():
                rows = sql.survey_totals(conn, dimension, period.first, period.last, scope)
                total = sql.survey_totals(conn, "hall", period.first, period.last, scope)
                quick = sql.quick_totals(conn, period.first, period.last, scope)
        result = [SkmRow(key, _label(catalog, dimension, key), skm.compute(n, [int(v) for v in sums]))
                  for key, n, *sums in rows]
        all_ = (SkmRow("hall", "", skm.compute(total[0][1], [int(v) for v in total[0][2:]])) if total
                else SkmRow("hall", "", skm.compute(0, [0] * len(skm.ELEMENTS))))
        by_score: dict[int, int] = defaultdict(int)
        for (_, score), n in quick.items():
            by_score[score] += n
        return SkmReport(period, dimension, scope, sorted(result, key=lambda r: r.label), all_,
                         {score: by_score.get(score, 0) for score in skm.QUICK_SCALE})

    # -- survey answers -----------------------------------------------------------------

    def survey_ticket(self, ticket_id: str) -> SurveyTicket:
        """A finished ticket that may still be rated, or NotFound."""
        with self.engine.connect() as conn:
            row = conn.execute(select(db.ticket).where(db.ticket.c.id == ticket_id)).first()
            answered = conn.execute(select(db.survey_response.c.id)
                                    .where(db.survey_response.c.ticket_id == ticket_id)).first() is not None
        return self._offered(row, answered)

    def latest_at_counter(self, counter_code: str) -> SurveyTicket | None:
        """The ticket finished most recently at a counter (the counter tablet's survey), if still open."""
        self.queue.catalog().counter(counter_code)
        e = db.ticket_event.c
        since = to_db_time(self.clock() - timedelta(hours=SURVEY_HOURS))
        with self.engine.connect() as conn:
            ticket_id = conn.execute(select(e.ticket_id).where(e.counter_code == counter_code, e.action == "finish",
                                                               e.at >= since).order_by(e.id.desc()).limit(1)).scalar()
        return self.survey_ticket(ticket_id) if ticket_id else None

    def _offered(self, row: Any, answered: bool) -> SurveyTicket:
        ticket = ticket_from_row(row) if row else None
        if (ticket is None or ticket.status is not Status.DONE or ticket.finished_at is None
                or self.clock() - ticket.finished_at > timedelta(hours=SURVEY_HOURS)):
            raise NotFound("Survei untuk nomor ini tidak tersedia", "No survey is open for this ticket")
        return SurveyTicket(ticket, self.queue.catalog().services[ticket.service_code].agency_code, answered)

    def answer(self, ticket_id: str, scores: list[int], comment: str, channel: str) -> None:
        """Store the nine scores of a finished ticket; a second answer is refused (409)."""
        scores = list(skm.check_scores(scores))
        if channel not in CHANNELS:
            raise InvalidInput("Saluran survei tidak dikenal", "Unknown survey channel")
        offered = self.survey_ticket(ticket_id)
        if offered.answered:
            raise AlreadyAnswered("Survei nomor ini sudah diisi; terima kasih", "This ticket's survey was already answered")
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

