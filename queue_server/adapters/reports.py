"""The SQL of the reports: counts, durations and sums grouped in the database, on SQLite and PostgreSQL.

A report reads only the tickets of its local days (ticket.day, indexed) and lets the database do
the grouping; only the durations leave it, one number per ticket, because exact medians and p90
need every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, ColumnElement, and_, case, func, literal, select, text
from sqlalchemy.sql.selectable import Select

from . import db
from .repository import to_db_time

t, s, e = db.ticket.c, db.service.c, db.ticket_event.c
DIMENSIONS = ("hall", "agency", "service", "counter", "officer")
CLOSING_ACTIONS = ("finish", "no_show")


def _epoch(conn: Connection, column: ColumnElement[Any]) -> ColumnElement[float]:
    """Seconds since 1970 of a naive UTC column, as the engine computes it."""
    if conn.dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return func.extract("epoch", column)


def _seconds(conn: Connection, start: ColumnElement[Any], end: ColumnElement[Any]) -> ColumnElement[float]:
    return _epoch(conn, end) - _epoch(conn, start)


def _officer() -> ColumnElement[str]:
    """Who closed the ticket at a counter (finished it or marked it absent): the latest such event."""
    return (select(e.actor).where(e.ticket_id == t.id, e.action.in_(CLOSING_ACTIONS))
            .order_by(e.id.desc()).limit(1).scalar_subquery())


def _key(dimension: str) -> ColumnElement[Any]:
    return {"hall": literal("hall"), "agency": s.agency_code, "service": t.service_code,
            "counter": t.counter_code, "officer": _officer()}[dimension]


def _tickets(columns: Iterable[ColumnElement[Any]], first: date, last: date, agency: str | None) -> Select[Any]:
    query = (select(*columns).select_from(db.ticket.join(db.service, s.code == t.service_code))
             .where(t.day.between(first, last)))
    return query.where(s.agency_code == agency) if agency else query


def _service_s(conn: Connection) -> ColumnElement[float]:
    """Service time: from the start (or the call, when finished straight from the call) to the finish."""
    return _seconds(conn, func.coalesce(t.started_at, t.called_at), t.finished_at)


def counts(conn: Connection, dimension: str, first: date, last: date, agency: str | None) -> list[dict[str, Any]]:
    """Per key: issued, served, no-show, cancelled, transferred and served within the service's target."""
    key = _key(dimension).label("key")
    done = t.status == "done"

    def n(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    query = _tickets([key, func.count().label("issued"), n(done).label("served"),
                      n(t.status == "no_show").label("no_show"), n(t.status == "cancelled").label("cancelled"),
                      n(t.origin_service_code != t.service_code).label("transferred"),
                      n(and_(done, _service_s(conn) <= s.target_service_s)).label("within_target")],
                     first, last, agency).group_by(key)
    return [dict(row._mapping) for row in conn.execute(query)]


def durations(conn: Connection, dimension: str, first: date, last: date,
              agency: str | None) -> tuple[list[tuple[Any, float]], list[tuple[Any, float]]]:
    """(key, waiting seconds) of every called ticket and (key, service seconds) of every served one.

    Waiting runs from arrival to the call that brought the visitor to the counter that closed the
    ticket (ticket.called_at): for a transferred ticket it includes the time in the first queue.
    """
    key = _key(dimension).label("key")
    waits = conn.execute(_tickets([key, _seconds(conn, t.arrival_at, t.called_at)], first, last, agency)
                         .where(t.called_at.is_not(None))).all()
    serves = conn.execute(_tickets([key, _service_s(conn)], first, last, agency).where(t.status == "done")).all()
    return [tuple(r) for r in waits], [tuple(r) for r in serves]


def busy_days(conn: Connection, dimension: str, first: date, last: date,
              agency: str | None) -> list[tuple[Any, date, float, float, float]]:
    """Per key and day (counters, officers): first call, last close (epoch seconds) and seconds spent
    with visitors, from which idle time follows."""
    key = _key(dimension).label("key")
    closed = t.status.in_(("done", "no_show"))
    query = _tickets([key, t.day, func.min(_epoch(conn, t.called_at)), func.max(_epoch(conn, t.finished_at)),
                      func.sum(_seconds(conn, t.called_at, t.finished_at))], first, last, agency)
    return [tuple(r) for r in conn.execute(query.where(closed, t.called_at.is_not(None)).group_by(key, t.day))]


def pauses(conn: Connection, start: datetime, end: datetime, counters: Iterable[str] | None) -> list[tuple[str, str, datetime, str | None]]:
    """Pause and resume events in [start, end) as (counter, action, naive UTC time, who), in order."""
    c = db.counter_event.c
    query = (select(c.counter_code, c.action, c.at, c.actor)
             .where(c.at >= to_db_time(start), c.at < to_db_time(end), c.action.in_(("pause", "resume")))
             .order_by(c.counter_code, c.at, c.id))
    if counters is not None:
        query = query.where(c.counter_code.in_(list(counters)))
    return [tuple(r) for r in conn.execute(query)]


def heat_map(conn: Connection, first: date, last: date, agency: str | None,
             offset_s: int) -> list[tuple[int, int, int]]:
    """(weekday 0=Monday, local hour, arrivals) for the hall's fixed UTC offset (WIB, WITA, WIT)."""
    if conn.dialect.name == "sqlite":
        shift = f"{offset_s:+d} seconds"
        weekday = (func.cast(func.strftime("%w", t.arrival_at, shift), db.Integer) + 6) % 7
        hour = func.cast(func.strftime("%H", t.arrival_at, shift), db.Integer)
    else:
        local = t.arrival_at + text(f"interval '{int(offset_s)} seconds'")
        weekday = func.cast(func.extract("isodow", local), db.Integer) - 1
        hour = func.cast(func.extract("hour", local), db.Integer)
    wd, hr = weekday.label("wd"), hour.label("hr")
    query = _tickets([wd, hr, func.count()], first, last, agency).group_by(wd, hr)
    return [(int(a), int(b), int(n)) for a, b, n in conn.execute(query)]


def survey_totals(conn: Connection, dimension: str, first: date, last: date,
                  agency: str | None) -> list[tuple[Any, ...]]:
    """Per key (hall, agency or service): respondents and the sum of each element's scores."""
    r = db.survey_response.c
    key = {"hall": literal("hall"), "agency": r.agency_code, "service": r.service_code}[dimension].label("key")
    query = (select(key, func.count(), *(func.sum(r[name]) for name in db.SKM_COLUMNS))
             .where(r.day.between(first, last)).group_by(key))
    if agency:
        query = query.where(r.agency_code == agency)
    return [tuple(row) for row in conn.execute(query)]


def quick_totals(conn: Connection, first: date, last: date, agency: str | None) -> dict[tuple[str, int], int]:
    """Quick ratings per (agency, score): shown beside the index, never inside it."""
    q = db.quick_rating.c
    query = select(q.agency_code, q.score, func.count()).where(q.day.between(first, last)).group_by(q.agency_code, q.score)
    if agency:
        query = query.where(q.agency_code == agency)
    return {(a, sc): n for a, sc, n in conn.execute(query)}
