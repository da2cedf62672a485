"""A made-up history of a hall (tickets, their events, counter pauses) written fast into SQLite.

Shared by benchmarks/bench_reports.py (a year, 1,000,000 tickets) and the report tests (a few
thousand, whose figures the tests recompute from the records returned here). Plain sqlite3
executemany on the file the server uses: SQLAlchemy's per-row work would take minutes for a year.

Every ticket is issued at a local time between 08.00 and 15.00; 7 % are transferred while
waiting (to a second service of the same agency, before any call), 5 % cancelled while waiting,
8 % marked absent after a call, the rest finished, 70 % of them with a separate start.
"""

from __future__ import annotations

import random
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from queue_server.domain.hall import Catalog
from queue_server.domain.tickets import format_number

DB_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTime on SQLite


@dataclass(frozen=True)
class Made:
    """One generated ticket, as the tests recompute figures from it (times aware UTC)."""

    id: str
    service: str
    origin: str
    day: date
    status: str
    arrival: datetime
    counter: str | None
    called: datetime | None
    started: datetime | None
    finished: datetime | None
    officer: str | None


@dataclass(frozen=True)
class Pause:
    """A counter paused by an officer (always resumed the same day)."""

    counter: str
    officer: str
    start: datetime
    end: datetime


def officer_of(counter: str, day: date) -> str:
    """Who works a counter on a day: two officers take turns, so officers and counters differ."""
    return f"{'pagi' if day.toordinal() % 2 else 'siang'}.{counter.lower()}"


def _days(catalog: Catalog, first: date, days: int, per_day: int,
          rng: random.Random) -> Iterator[tuple[list[Made], list[Pause]]]:
    tz = ZoneInfo(catalog.settings.timezone)
    services = [s for s in catalog.services.values() if catalog.counters_serving(s.code)]
    index = {s.code: i for i, s in enumerate(services)}
    by_agency: dict[str, list[str]] = defaultdict(list)
    for s in services:
        by_agency[s.agency_code].append(s.code)
    for d in range(days):
        day = first + timedelta(days=d)
        opening = datetime.combine(day, time(8), tz).astimezone(UTC)
        serial: dict[str, int] = defaultdict(int)
        made: list[Made] = []
        for _ in range(per_day):
            origin = rng.choice(services).code
            serial[origin] += 1
            arrival = opening + timedelta(seconds=rng.uniform(0, 7 * 3600))
            service, roll = origin, rng.random()
            siblings = [c for c in by_agency[catalog.services[origin].agency_code] if c != origin]
            if roll < 0.07 and siblings:
                service = rng.choice(siblings)
            counter = rng.choice(catalog.counters_serving(service)).code
            tid = f"g{day:%y%m%d}s{index[origin]:03d}n{serial[origin]:05d}"
            if 0.07 <= roll < 0.12:
                made.append(Made(tid, service, origin, day, "cancelled", arrival, None, None, None,
                                 arrival + timedelta(minutes=rng.uniform(1, 30)), None))
                continue
            called = arrival + timedelta(seconds=rng.expovariate(1 / 900))
            officer = officer_of(counter, day)
            if 0.12 <= roll < 0.20:
                made.append(Made(tid, service, origin, day, "no_show", arrival, counter, called, None,
                                 called + timedelta(minutes=rng.uniform(1, 3)), officer))
                continue
            started = called + timedelta(seconds=rng.uniform(20, 90)) if rng.random() < 0.7 else None
            finished = (started or called) + timedelta(seconds=rng.uniform(120, 1200))
            made.append(Made(tid, service, origin, day, "done", arrival, counter, called, started, finished, officer))
        noon = datetime.combine(day, time(12), tz).astimezone(UTC)
        pauses = [Pause(c, officer_of(c, day), start, start + timedelta(minutes=rng.uniform(5, 45)))
                  for c in sorted(catalog.counters) if rng.random() < 0.5
                  for start in [noon + timedelta(minutes=rng.uniform(0, 30))]]
        yield made, pauses


def _t(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).strftime(DB_TIME)


def _events(m: Made) -> Iterator[tuple]:
    """The ticket_event rows of a generated ticket, in order."""
    yield m.id, "issue", _t(m.arrival), None, "waiting", m.origin, None, "kiosk"
    if m.service != m.origin:
        yield m.id, "transfer", _t(m.arrival + timedelta(seconds=1)), "waiting", "waiting", m.service, None, "spv"
    if m.status == "cancelled":
        yield m.id, "cancel", _t(m.finished), "waiting", "cancelled", m.service, None, "spv"
        return
    yield m.id, "call", _t(m.called), "waiting", "called", m.service, m.counter, m.officer
    if m.started:
        yield m.id, "start", _t(m.started), "called", "serving", m.service, m.counter, m.officer
    closing = "finish" if m.status == "done" else "no_show"
    yield (m.id, closing, _t(m.finished), "serving" if m.started else "called", m.status, m.service,
           m.counter, m.officer)


def write_history(path: str, catalog: Catalog, first: date, days: int, per_day: int, seed: int = 6,
                  keep: bool = False) -> tuple[list[Made], list[Pause]]:
    """Append `days` × `per_day` tickets from `first` to the SQLite file at `path` (migrated, hall loaded).

    Returns the records when `keep` (tests); a benchmark passes keep=False and keeps nothing in memory.
    """
    rng = random.Random(seed)
    kept: tuple[list[Made], list[Pause]] = ([], [])
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        for made, pauses in _days(catalog, first, days, per_day, rng):
            numbers = {m.id: format_number(catalog.services[m.origin].prefix, int(m.id[-5:])) for m in made}
            conn.executemany(
                "INSERT INTO ticket (id, number, service_code, origin_service_code, day, serial, priority, status,"
                " arrival_at, counter_code, recalls, called_at, started_at, finished_at, issued_by)"
                " VALUES (?,?,?,?,?,?,NULL,?,?,?,0,?,?,?,'kiosk')",
                [(m.id, numbers[m.id], m.service, m.origin, m.day.isoformat(), int(m.id[-5:]), m.status,
                  _t(m.arrival), m.counter, _t(m.called), _t(m.started), _t(m.finished)) for m in made])
            conn.executemany(
                "INSERT INTO ticket_event (ticket_id, action, at, from_status, to_status, service_code,"
                " counter_code, actor, detail) VALUES (?,?,?,?,?,?,?,?,'')",
                [row for m in made for row in _events(m)])
            conn.executemany(
                "INSERT INTO counter_event (counter_code, action, at, actor, detail) VALUES (?,?,?,?,?)",
                [row for p in pauses for row in ((p.counter, "pause", _t(p.start), p.officer, "istirahat"),
                                                 (p.counter, "resume", _t(p.end), p.officer, ""))])
            conn.commit()
            if keep:
                kept[0].extend(made)
                kept[1].extend(pauses)
    finally:
        conn.close()
    return kept
