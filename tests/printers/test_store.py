"""Print jobs and printer states in a real database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from printers.jobs import JobKind, JobState, Outcome, PrintJob
from printers.status import PrinterState
from printers.store import PrintStore
from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, FakeClock, prepare_database


def test_jobs_and_states_round_trip(database_url: str, clock: FakeClock) -> None:
    engine = prepare_database(database_url)
    ticket = QueueService(engine, clock=clock).issue("KTP", KIOSK).ticket
    job = PrintJob(id="job-1", ticket_id=ticket.id, number=ticket.number, printer="P", kind=JobKind.TICKET,
                   created_at=clock(), expires_at=clock() + timedelta(seconds=20), requested_by=KIOSK.name)
    data = bytes(range(256))  # every byte value survives
    with engine.begin() as conn:
        store = PrintStore(conn)
        assert store.issued_by(ticket.id, lock=True) == KIOSK.name and store.issued_by("nope") is None
        store.add(job, data)
    with engine.begin() as conn:
        store = PrintStore(conn)
        assert store.get("job-1") == job and store.data("job-1") == data
        started = job.start()
        assert store.replace(job, started) and not store.replace(job, started)  # taken once
        done = started.finish(Outcome(True, 1, PrinterState.OK), clock())
        assert store.replace(started, done)
        store.set_status("P", PrinterState.PAPER_NEAR_END, "", clock())
        store.set_status("P", PrinterState.OK, "dicek", clock())
    with engine.begin() as conn:
        store = PrintStore(conn)
        assert store.for_ticket(ticket.id) == [done] and store.get("job-1").state is JobState.PRINTED
        assert store.open_jobs() == [] and store.recent()[0].id == "job-1"
        assert store.statuses() == {"P": (PrinterState.OK, "dicek", clock())}
