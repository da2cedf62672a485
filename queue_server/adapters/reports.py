"""The SQL of the reports, on SQLite and PostgreSQL: tickets rolled up into buckets once per closed day.

Parsing a million timestamps per report is what made a year's report slow (17 s on SQLite), and
then grouping a million rows. So the tickets of each closed day (before today: they no longer
change) are written once into report_bucket, one row per day, agency, service, counter, officer
and arrival hour, with counts, counter time and the exact durations as comma-joined text (exact
medians and p90 need every value). Today's tickets are bucketed the same way on the fly: one
SELECT defines the buckets for both, so rolled-up and live figures cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Text,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.sql.selectable import Select, Subquery

from . import db
from .repository import to_db_time

t, s, e = db.ticket.c, db.service.c, db.ticket_event.c
DIMENSIONS = ("hall", "agency", "service", "counter", "officer")
CLOSING_ACTIONS = ("finish", "no_show")


def _epoch(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[float]:
    """Seconds since 1970 of a naive UTC column (SQLite's date functions keep milliseconds)."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return cast(func.extract("epoch", column), Float)  # numeric on PostgreSQL 14+: keep floats


def _local_hour(conn: Connection, offset_s: int) -> ColumnElement[int]:
    """The arrival's hour in the hall's fixed UTC offset (WIB, WITA, WIT; Indonesia keeps no DST)."""
    if conn.dialect.name == "sqlite":
        return cast(func.strftime("%H", t.arrival_at, f"{int(offset_s):+d} seconds"), Integer)
    return cast(func.extract("hour", t.arrival_at + text(f"interval '{int(offset_s)} seconds'")), Integer)


def _ticket_facts(conn: Connection, offset_s: int) -> Select[Any]:
    """One row per ticket. Service time runs from the start (or the call, when finished straight
    from the call) to the finish; the officer is who closed the ticket (finish or no-show)."""
    called, finished = _epoch(conn, t.called_at), _epoch(conn, t.finished_at)
    service_s = case((t.status == "done", finished - _epoch(conn, func.coalesce(t.started_at, t.called_at))))
    officer = (select(e.actor).where(e.ticket_id == t.id, e.action.in_(CLOSING_ACTIONS))
               .order_by(e.id.desc()).limit(1).scalar_subquery())
    return (select(t.day, s.agency_code, t.service_code, t.counter_code, officer.label("officer"),
                   _local_hour(conn, offset_s).label("hour"), t.status,
                   case((t.origin_service_code != t.service_code, 1), else_=0).label("transferred"),
                   (called - _epoch(conn, t.arrival_at)).label("wait_s"), service_s.label("service_s"),
                   case((service_s <= s.target_service_s, 1), else_=0).label("within_target"),
                   called.label("called_s"), finished.label("finished_s"))
            .select_from(db.ticket.join(db.service, s.code == t.service_code)))


def _joined(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[str]:
    """The values of a group as one comma-joined text (NULLs left out)."""
    if conn.dialect.name == "sqlite":
        return func.group_concat(column)
    return func.string_agg(cast(column, Text), ",")


def _bucket_select(conn: Connection, offset_s: int, *where: ColumnElement[bool]) -> Select[Any]:
    """The tickets matching `where`, in report_bucket's shape: one row per day, agency, service,
    counter, officer and arrival hour with its counts, its counter time and its durations."""
    f = _ticket_facts(conn, offset_s).where(*where).subquery()
    c = f.c
    closed = and_(c.status.in_(("done", "no_show")), c.called_s.is_not(None))

    def n(status: str) -> ColumnElement[int]:
        return func.sum(case((c.status == status, 1), else_=0))

    group = (c.day, c.agency_code, c.service_code, c.counter_code, c.officer, c.hour)
    return (select(*group, func.count().label("issued"), n("done").label("served"), n("no_show").label("no_show"),
                   n("cancelled").label("cancelled"), func.sum(c.transferred).label("transferred"),
                   func.sum(c.within_target).label("within_target"),
                   func.min(case((closed, c.called_s))).label("first_call"),
                   func.max(case((closed, c.finished_s))).label("last_close"),
                   func.sum(case((closed, c.finished_s - c.called_s))).label("busy_s"),
                   _joined(conn, c.wait_s).label("waits"), _joined(conn, c.service_s).label("serves"))
            .group_by(*group))


def roll_up(conn: Connection, first: date, last: date, today: date, offset_s: int, now: datetime) -> int:
    """Write the buckets of the closed days in [first, last] not yet rolled up; how many days were added."""
    end = min(last, today - timedelta(days=1))
    if end < first:
        return 0
    if conn.dialect.name == "postgresql":  # two reports rolling up one day: one waits (SQLite's writers queue)
        conn.execute(text("SELECT pg_advisory_xact_lock(6006)"))
    done = set(conn.execute(select(db.report_day.c.day).where(db.report_day.c.day.between(first, end))).scalars())
    missing = [first + timedelta(days=i) for i in range((end - first).days + 1)]
    missing = [d for d in missing if d not in done]
    for day in missing:
        query = _bucket_select(conn, offset_s, t.day == day)
        conn.execute(insert(db.report_bucket).from_select([c.name for c in query.selected_columns], query))
    if missing:
        conn.execute(insert(db.report_day), [{"day": d, "built_at": to_db_time(now)} for d in missing])
    return len(missing)


def buckets(conn: Connection, first: date, last: date, today: date, offset_s: int, agency: str | None) -> Subquery:
    """The buckets of [first, last]: closed days from report_bucket, today (and later) computed now."""
    b = db.report_bucket.c
    live = _bucket_select(conn, offset_s, t.day.between(max(first, today), last),
                          *((s.agency_code == agency,) if agency else ()))
    closed = (select(*(b[c.name] for c in live.selected_columns))
              .where(b.day.between(first, min(last, today - timedelta(days=1)))))
    if agency:
        closed = closed.where(b.agency_code == agency)
    return union_all(closed, live).subquery("b") if last >= today else closed.subquery("b")


BUCKET_COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "within_target")


def grouped(conn: Connection, b: Subquery, dimension: str) -> list[tuple[Any, ...]]:
    """Per key, local day and arrival hour: the counts of BUCKET_COUNTS; first call, last close (epoch
    seconds) and seconds with visitors of the tickets closed at a counter; the waiting seconds of
    every called ticket and the service seconds of every served one, comma-joined.

    Waiting runs from arrival to the call that brought the visitor to the counter that closed the
    ticket (ticket.called_at): for a ticket transferred after a call it includes the first queue.
    """
    c = b.c
    key = {"hall": literal("hall"), "agency": c.agency_code, "service": c.service_code,
           "counter": c.counter_code, "officer": c.officer}[dimension].label("key")
    query = (select(key, c.day, c.hour, *(func.sum(c[name]) for name in BUCKET_COUNTS), func.min(c.first_call),
                    func.max(c.last_close), func.sum(c.busy_s), _joined(conn, c.waits), _joined(conn, c.serves))
             .group_by(key, c.day, c.hour))
    return _plain_rows(conn, query)


def floats(joined: str | None) -> list[float]:
    """Comma-joined numbers back into floats."""
    return list(map(float, joined.split(","))) if joined else []


def _plain_rows(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """All rows as the driver's tuples, in the connection's transaction: a million SQLAlchemy Row
    objects cost more than the query itself."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if conn.dialect.paramstyle == "qmark":
            cursor.execute(str(compiled), [compiled.params[name] for name in compiled.positiontup or ()])
        else:
            cursor.execute(str(compiled), compiled.params)
        return cursor.fetchall()
    finally:
        cursor.close()


def pauses(conn: Connection, start: datetime, end: datetime,
           counters: Iterable[str] | None) -> list[tuple[str, str, datetime, str | None]]:
    """Pause and resume events in [start, end) as (counter, action, naive UTC time, who), in order."""
    c = db.counter_event.c
    query = (select(c.counter_code, c.action, c.at, c.actor)
             .where(c.at >= to_db_time(start), c.at < to_db_time(end), c.action.in_(("pause", "resume")))
             .order_by(c.counter_code, c.at, c.id))
    if counters is not None:
        query = query.where(c.counter_code.in_(list(counters)))
    return [tuple(r) for r in conn.execute(query)]


def survey_totals(conn: Connection, dimension: str, first: date, last: date,
                  agency: str | None) -> list[tuple[Any, ...]]:
    """Per key (hall, agency, service or counter): respondents and the sum of each element's scores."""
    r = db.survey_response.c
    key = {"hall": literal("hall"), "agency": r.agency_code, "service": r.service_code,
           "counter": r.counter_code}[dimension].label("key")
    query = (select(key, func.count(), *(func.sum(r[name]) for name in db.SKM_COLUMNS))
             .where(r.day.between(first, last)).group_by(key))
    if agency:
        query = query.where(r.agency_code == agency)
    return [tuple(row) for row in conn.execute(query)]


def survey_comments(conn: Connection, first: date, last: date, agency: str | None,
                    limit: int) -> list[tuple[date, str, str]]:
    """The latest non-empty comments of the period as (day, service code, comment), newest first."""
    r = db.survey_response.c
    query = (select(r.day, r.service_code, r.comment).where(r.day.between(first, last), r.comment != "")
             .order_by(r.id.desc()).limit(limit))
    if agency:
        query = query.where(r.agency_code == agency)
    return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def quick_totals(conn: Connection, first: date, last: date, agency: str | None) -> dict[int, int]:
    """Quick ratings per score: shown beside the index, never inside it."""
    q = db.quick_rating.c
    query = select(q.score, func.count()).where(q.day.between(first, last)).group_by(q.score)
    if agency:
        query = query.where(q.agency_code == agency)
    return {score: n for score, n in conn.execute(query)}
