"""Reads and writes of print jobs and printer states, on a transaction the caller owns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from queue_server.adapters import db
from queue_server.adapters.repository import from_db_time, to_db_time

from .jobs import FailureKind, JobKind, JobState, PrintJob
from .status import PrinterState

_COLUMNS = [c for c in db.print_job.c if c.name != "data"]


def _job(row: Row[Any]) -> PrintJob:
    m = row._mapping
    return PrintJob(id=m["id"], ticket_id=m["ticket_id"], number=m["number"], printer=m["printer"],
                    kind=JobKind(m["kind"]), created_at=from_db_time(m["created_at"]),  # type: ignore[arg-type]
                    expires_at=from_db_time(m["expires_at"]), requested_by=m["requested_by"],  # type: ignore[arg-type]
                    state=JobState(m["state"]), attempts=m["attempts"],
                    failure=FailureKind(m["failure"]) if m["failure"] else None, error=m["error"],
                    finished_at=from_db_time(m["finished_at"]))


class PrintStore:
    """All SQL of printing."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, job: PrintJob, data: bytes) -> None:
        """Insert a new job with its bytes."""
        self.conn.execute(insert(db.print_job).values(
            id=job.id, ticket_id=job.ticket_id, number=job.number, printer=job.printer, kind=job.kind.value,
            state=job.state.value, attempts=job.attempts, failure=None, error="", data=data,
            requested_by=job.requested_by, created_at=to_db_time(job.created_at),
            expires_at=to_db_time(job.expires_at), finished_at=None))

    def get(self, job_id: str) -> PrintJob | None:
        """A job without its bytes."""
        row = self.conn.execute(select(*_COLUMNS).where(db.print_job.c.id == job_id)).first()
        return _job(row) if row else None

    def data(self, job_id: str) -> bytes:
        """The ESC/POS bytes of a job."""
        return bytes(self.conn.execute(select(db.print_job.c.data).where(db.print_job.c.id == job_id)).scalar_one())

    def replace(self, old: PrintJob, new: PrintJob) -> bool:
        """Write `new` only if the stored job is still in `old`'s state (a result is taken once)."""
        result = self.conn.execute(update(db.print_job).where(
            db.print_job.c.id == old.id, db.print_job.c.state == old.state.value).values(
            state=new.state.value, attempts=new.attempts, failure=new.failure.value if new.failure else None,
            error=new.error[:300], finished_at=new.finished_at and to_db_time(new.finished_at)))
        return result.rowcount == 1

    def for_ticket(self, ticket_id: str) -> list[PrintJob]:
        """Every job of a ticket, oldest first."""
        rows = self.conn.execute(select(*_COLUMNS).where(db.print_job.c.ticket_id == ticket_id)
                                 .order_by(db.print_job.c.created_at, db.print_job.c.id))
        return [_job(r) for r in rows]

    def open_jobs(self, printers: list[str] | None = None) -> list[PrintJob]:
        """Queued or printing jobs (of some printers), oldest first."""
        stmt = select(*_COLUMNS).where(db.print_job.c.state.in_((JobState.QUEUED.value, JobState.PRINTING.value)))
        if printers is not None:
            stmt = stmt.where(db.print_job.c.printer.in_(printers))
        return [_job(r) for r in self.conn.execute(stmt.order_by(db.print_job.c.created_at))]

    def recent(self, limit: int = 50) -> list[PrintJob]:
        """The latest jobs, newest first (staff's list, failures to reprint)."""
        rows = self.conn.execute(select(*_COLUMNS).order_by(db.print_job.c.created_at.desc()).limit(limit))
        return [_job(r) for r in rows]

    def issued_by(self, ticket_id: str, lock: bool = False) -> str | None:
        """Who issued a ticket (a kiosk's device name or a username); `lock` serialises its prints."""
        stmt = select(db.ticket.c.issued_by).where(db.ticket.c.id == ticket_id)
        return self.conn.execute(stmt.with_for_update() if lock else stmt).scalar()

    def set_status(self, printer: str, state: PrinterState, detail: str, at: datetime) -> None:
        """Remember a printer's latest state."""
        values = {"state": state.value, "detail": detail[:300], "checked_at": to_db_time(at)}
        ins = (postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert)(db.printer_status)
        self.conn.execute(ins.values(printer=printer, **values)
                          .on_conflict_do_update(index_elements=[db.printer_status.c.printer], set_=values))

    def statuses(self) -> dict[str, tuple[PrinterState, str, datetime]]:
        """Every printer's latest known state."""
        return {r.printer: (PrinterState(r.state), r.detail, from_db_time(r.checked_at))  # type: ignore[misc]
                for r in self.conn.execute(select(db.printer_status))}
