"""Report figures on a generated history, recomputed here from the generator's records.

Durations are compared to the millisecond (SQLite's date functions keep milliseconds).
The recomputation works on the Python records (no SQL, none of the product's statistics code):
counts by status, waits and service times sorted by hand, idle time from the definition.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from benchmarks.history import Made
from queue_server.domain.access import Actor, Forbidden, Role
from queue_server.service_layer.queue import QueueService
from queue_server.service_layer.reports import Period, ReportRow, ReportService
from tests.support import ADMIN, FakeClock, officer

from .conftest import History

WIB = ZoneInfo("Asia/Jakarta")


def key_of(dimension: str, queue: QueueService) -> Callable[[Made], str | None]:
    catalog = queue.catalog()
    return {"hall": lambda m: "hall", "agency": lambda m: catalog.services[m.service].agency_code,
            "service": lambda m: m.service, "counter": lambda m: m.counter, "officer": lambda m: m.officer}[dimension]


def median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def p90(xs: list[float]) -> float:
    return sorted(xs)[math.ceil(len(xs) * 0.9) - 1]


def check_row(row: ReportRow, tickets: list[Made], queue: QueueService) -> None:
    catalog = queue.catalog()
    assert row.issued == len(tickets)
    done = [m for m in tickets if m.status == "done"]
    assert row.served == len(done)
    assert row.no_show == sum(m.status == "no_show" for m in tickets)
    assert row.cancelled == sum(m.status == "cancelled" for m in tickets)
    assert row.transferred == sum(m.origin != m.service for m in tickets)
    waits = [(m.called - m.arrival).total_seconds() for m in tickets if m.called]
    serves = [(m.finished - (m.started or m.called)).total_seconds() for m in done]  # type: ignore[operator]
    assert row.within_target == sum(
        (m.finished - (m.started or m.called)).total_seconds() <= catalog.services[m.service].target_service_s  # type: ignore[operator]
        for m in done)
    for got, values in ((row.wait, waits), (row.service, serves)):
        assert got.count == len(values)
        if values:
            assert got.mean == pytest.approx(sum(values) / len(values), abs=1e-3)
            assert got.median == pytest.approx(median(values), abs=1e-3)
            assert got.p90 == pytest.approx(p90(values), abs=1e-3)


@pytest.mark.parametrize("dimension", ["hall", "agency", "service", "counter", "officer"])
def test_counts_and_durations_per_dimension(history: History, reports: ReportService, queue: QueueService,
                                            dimension: str) -> None:
    report = reports.ticket_report(ADMIN, history.period, dimension)
    key = key_of(dimension, queue)
    groups: dict[str | None, list[Made]] = defaultdict(list)
    for m in history.tickets:
        groups[key(m)].append(m)
    assert {r.key for r in report.rows} == set(groups)
    for row in report.rows:
        check_row(row, groups[row.key], queue)
    check_row(report.total, history.tickets, queue)
    assert sum(r.issued for r in report.rows) == report.total.issued == 3500


def test_heat_map_in_local_time(history: History, reports: ReportService) -> None:
    report = reports.ticket_report(ADMIN, history.period, "hall")
    expected = [[0] * 24 for _ in range(7)]
    for m in history.tickets:
        local = m.arrival.astimezone(WIB)
        expected[local.weekday()][local.hour] += 1
    assert report.heat == expected
    assert sum(report.heat[0][:8]) == 0 and sum(map(sum, report.heat)) == 3500  # nobody before 08.00 WIB


@pytest.mark.parametrize("dimension", ["counter", "officer"])
def test_pause_and_idle_time(history: History, reports: ReportService, dimension: str) -> None:
    report = reports.ticket_report(ADMIN, history.period, dimension)
    pick = (lambda p: p.counter) if dimension == "counter" else (lambda p: p.officer)
    paused: dict[tuple[str, date], float] = defaultdict(float)
    for p in history.pauses:
        paused[(pick(p), p.start.astimezone(WIB).date())] += (p.end - p.start).total_seconds()
    days: dict[tuple[str, date], list[Made]] = defaultdict(list)
    for m in history.tickets:
        if m.status in ("done", "no_show"):
            days[(m.counter if dimension == "counter" else m.officer, m.day)].append(m)  # type: ignore[index]
    idle: dict[str, float] = defaultdict(float)
    for (k, day), ms in days.items():
        span = (max(m.finished for m in ms) - min(m.called for m in ms)).total_seconds()  # type: ignore[type-var,operator]
        busy = sum((m.finished - m.called).total_seconds() for m in ms)  # type: ignore[operator]
        idle[k] += max(0.0, span - busy - paused.get((k, day), 0.0))
    rows = {r.key: r for r in report.rows if r.key is not None}
    assert rows
    for k, row in rows.items():
        assert row.pause_s == pytest.approx(sum(v for (kk, _), v in paused.items() if kk == k), abs=1e-3)
        # SQLite's julianday keeps milliseconds: a sum over hundreds of tickets may drift by a fraction of a second
        assert row.idle_s == pytest.approx(idle.get(k, 0.0), abs=0.5)
    assert report.total.pause_s == pytest.approx(sum(v for (k, _), v in paused.items() if k in rows), abs=1e-3)
    assert report.total.idle_s == pytest.approx(sum(v for k, v in idle.items() if k in rows), abs=0.5 * len(rows))


def test_period_bounds_are_local_days(history: History, reports: ReportService) -> None:
    one = Period(history.period.first + timedelta(days=3), history.period.first + timedelta(days=3))
    report = reports.ticket_report(ADMIN, one, "hall")
    assert report.total.issued == sum(m.day == one.first for m in history.tickets) == 250


def test_supervisor_sees_own_agency_officer_refused(history: History, reports: ReportService, queue: QueueService) -> None:
    spv = Actor("spv.dukcapil", Role.SUPERVISOR, "DUKCAPIL")
    report = reports.ticket_report(spv, history.period, "service")
    catalog = queue.catalog()
    assert report.rows and all(catalog.services[r.key].agency_code == "DUKCAPIL" for r in report.rows)
    assert report.total.issued == sum(catalog.services[m.service].agency_code == "DUKCAPIL" for m in history.tickets)
    with pytest.raises(Forbidden):
        reports.ticket_report(spv, history.period, "service", agency="IMIGRASI")
    with pytest.raises(Forbidden):
        reports.ticket_report(officer("DUKCAPIL"), history.period, "hall")


def test_today_computed_live_equals_rolled_up(history: History, reports: ReportService, queue: QueueService,
                                              clock: FakeClock) -> None:
    """With the clock inside the period, its last days are read live from the tickets; later, rolled up."""
    clock.at = datetime(2026, 11, 9, 3, 0, tzinfo=UTC)  # Monday 9 November: 2–8 closed, 9–15 live
    live = reports.ticket_report(ADMIN, history.period, "officer")
    clock.at = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # every day closed: all rolled up
    rolled = reports.ticket_report(ADMIN, history.period, "officer")
    assert live.rows == rolled.rows and live.total == rolled.total and live.heat == rolled.heat
    key = key_of("officer", queue)
    for row in live.rows:
        check_row(row, [m for m in history.tickets if key(m) == row.key], queue)
