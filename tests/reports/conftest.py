"""A generated history in the test database, and a report service reading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine

from benchmarks.history import Made, Pause, write_history
from queue_server.service_layer.queue import QueueService
from queue_server.service_layer.reports import Period, ReportService

FIRST = date(2026, 11, 2)  # two weeks, Monday 2 to Sunday 15 November 2026
DAYS = 14


@dataclass(frozen=True)
class History:
    """What the generator wrote, for the tests to recompute from."""

    tickets: list[Made]
    pauses: list[Pause]
    period: Period


@pytest.fixture
def history(engine: Engine, queue: QueueService) -> History:
    """3,500 tickets with their events and pauses over two weeks."""
    made, pauses = write_history(engine.url.database or "", queue.catalog(), FIRST, DAYS, 250, keep=True)
    return History(made, pauses, Period(FIRST, date(2026, 11, 15)))


@pytest.fixture
def reports(queue: QueueService) -> ReportService:
    """The report service on the test database and the fake clock."""
    return ReportService(queue)
