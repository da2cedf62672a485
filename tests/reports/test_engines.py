"""The report SQL on both engines (SQLite and PostgreSQL), on tickets moved by the real queue service
with a hand-driven clock, so every figure is known in advance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from queue_server.domain.tickets import Action
from queue_server.service_layer.queue import QueueService
from queue_server.service_layer.reports import Period, ReportService
from tests.support import ADMIN, KIOSK, FakeClock, officer, prepare_database

DAY = date(2026, 11, 23)


def serve(queue: QueueService, clock: FakeClock, counter: str, wait_min: float, start: bool, serve_min: float) -> None:
    """One KTP ticket: issued now, called after `wait_min`, finished `serve_min` after the (start or) call."""
    staff = officer("DUKCAPIL")
    queue.issue("KTP", KIOSK)
    clock.advance(minutes=wait_min)
    queue.call_next(counter, staff)
    if start:
        clock.advance(minutes=1)
        queue.act(counter, Action.START, staff)
    clock.advance(minutes=serve_min)
    queue.act(counter, Action.FINISH, staff)


@pytest.mark.parametrize("rolled_up", [False, True], ids=["today-live", "closed-day"])
def test_figures_known_in_advance(database_url: str, rolled_up: bool) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # 09.00 WIB
    queue = QueueService(prepare_database(database_url), clock=clock)
    counter = queue.catalog().counters_serving("KTP")[0].code
    serve(queue, clock, counter, 2, False, 4)    # wait 2, service 4 (from the call)
    serve(queue, clock, counter, 6, True, 20)    # wait 6, service 20 (from the start): past KTP's 8-minute target
    serve(queue, clock, counter, 10, False, 7)   # wait 10, service 7
    queue.issue("KTP", KIOSK)                    # still waiting: issued, never called
    if rolled_up:
        clock.at = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    report = ReportService(queue).ticket_report(ADMIN, Period(DAY, DAY), "counter")
    [row] = [r for r in report.rows if r.key == counter]
    assert (row.issued, row.served, row.within_target) == (3, 3, 2)
    assert report.total.issued == 4
    assert row.wait.mean == pytest.approx(6 * 60, abs=0.01) and row.wait.median == pytest.approx(360, abs=0.01)
    assert row.wait.p90 == pytest.approx(600, abs=0.01)
    assert row.service.median == pytest.approx(7 * 60, abs=0.01) and row.service.p90 == pytest.approx(1200, abs=0.01)
    # the counter's day: first call 09.02, last close 09.02 + 4 + 6 + 1 + 20 + 10 + 7 = 09.50; with visitors
    # 4 + 21 + 7 = 32 minutes (call to close); idle 48 − 32 = 16 minutes
    assert row.idle_s == pytest.approx(16 * 60, abs=0.01) and row.pause_s == 0
    assert report.heat[0][9] == 4 and sum(map(sum, report.heat)) == 4  # Monday 09.00, 09.06, 09.33, 09.50 WIB
