"""Print jobs: their states, who may ask for one, and the retry policy that never prints twice.

A ticket prints once. Only a failure that certainly printed nothing (no connection, printer not
ready) is retried, and only while the visitor is still standing at the kiosk (the deadline); a
failure after the bytes left (the printer went silent, closed the link) is never retried by
itself, because the ticket may be lying in the tray: staff decide, and reprint.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from queue_server.domain.access import Actor, Forbidden, Role
from queue_server.domain.errors import InvalidTransition

from .status import STATE_LABELS, PrinterState


class JobState(StrEnum):
    """queued -> printing -> printed | failed."""

    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class JobKind(StrEnum):
    """The first print of a ticket, a reprint staff asked for, or an admin's test page (no ticket)."""

    TICKET = "ticket"
    REPRINT = "reprint"
    TEST = "test"


class FailureKind(StrEnum):
    """Why a print failed, which decides whether trying again is safe."""

    UNREACHABLE = "unreachable"  # no link: nothing printed, safe to retry
    NOT_READY = "not_ready"  # printer offline or cover open, said so before we sent: safe to retry
    PAPER_OUT = "paper_out"  # needs a person with a paper roll
    NO_ANSWER = "no_answer"  # the printer stayed silent: waiting again only keeps the visitor waiting
    UNCERTAIN = "uncertain"  # the link broke after sending began: it may have printed
    EXPIRED = "expired"  # nobody printed it before the deadline (agent away)

    @property
    def retryable(self) -> bool:
        """Only failures that certainly printed nothing and may clear within seconds."""
        return self in (FailureKind.UNREACHABLE, FailureKind.NOT_READY)


class PrintFailure(Exception):
    """A print that did not go through, with the printer state it left behind."""

    def __init__(self, kind: FailureKind, state: PrinterState, detail: str = "") -> None:
        label = STATE_LABELS[state][0]
        super().__init__(f"{label}: {detail}" if detail else label)
        self.kind = kind
        self.state = state
        self.detail = detail


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try while the visitor waits at the kiosk."""

    attempts: int = 3
    retry_after_s: float = 0.5
    deadline_s: float = 20.0

    def delay_before_retry(self, failure: PrintFailure, attempts_made: int, elapsed_s: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        if not failure.kind.retryable or attempts_made >= self.attempts:
            return None
        delay = self.retry_after_s * attempts_made
        return delay if elapsed_s + delay < self.deadline_s else None


@dataclass(frozen=True)
class Outcome:
    """How a job ended on the printer: printed or not, after how many attempts, in which state."""

    printed: bool
    attempts: int
    state: PrinterState
    failure: FailureKind | None = None
    error: str = ""

    def as_json(self) -> dict[str, object]:
        """What an agent sends back over Socket.IO."""
        return {"printed": self.printed, "attempts": self.attempts, "state": self.state.value,
                "failure": self.failure.value if self.failure else None, "error": self.error}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Outcome:
        """The inverse of as_json (from an agent); unknown states become UNKNOWN."""
        state = str(data.get("state"))
        failure = data.get("failure")
        return cls(printed=bool(data.get("printed")), attempts=int(data.get("attempts") or 0),  # type: ignore[call-overload]
                   state=PrinterState(state) if state in PrinterState.__members__.values() else PrinterState.UNKNOWN,
                   failure=FailureKind(str(failure)) if failure in FailureKind.__members__.values() else None,
                   error=str(data.get("error") or "")[:300])


class TicketPrinter(Protocol):
    """Anything that can take a ticket's bytes and say what became of them."""

    def print_ticket(self, data: bytes, label: str) -> PrinterState: ...


def run_job(data: bytes, label: str, printer: TicketPrinter, policy: RetryPolicy,
            sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> Outcome:
    """Print `data` on `printer`, retrying what the policy allows; never raises a PrintFailure."""
    started = clock()
    attempts = 0
    while True:
        attempts += 1
        try:
            return Outcome(True, attempts, printer.print_ticket(data, label))
        except PrintFailure as failure:
            delay = policy.delay_before_retry(failure, attempts, clock() - started)
            if delay is None:
                return Outcome(False, attempts, failure.state, failure.kind, str(failure))
            sleep(delay)


@dataclass(frozen=True)
class PrintJob:
    """One ticket (or test page: no ticket_id) sent, or to be sent, to one printer."""

    id: str
    ticket_id: str | None
    number: str
    printer: str
    kind: JobKind
    created_at: datetime
    expires_at: datetime
    requested_by: str = ""
    state: JobState = JobState.QUEUED
    attempts: int = 0
    failure: FailureKind | None = None
    error: str = ""
    finished_at: datetime | None = None

    def start(self) -> PrintJob:
        """Handed to the thread or agent that drives the printer."""
        if self.state is not JobState.QUEUED:
            raise InvalidTransition(f"Pekerjaan cetak {self.number} sudah berjalan", f"Print job {self.number} already started")
        return replace(self, state=JobState.PRINTING)

    def finish(self, outcome: Outcome, at: datetime) -> PrintJob:
        """The printer's verdict. A late "printed" from an agent still counts after an expiry."""
        late_success = outcome.printed and self.state is JobState.FAILED and self.failure is FailureKind.EXPIRED
        if self.state not in (JobState.QUEUED, JobState.PRINTING) and not late_success:
            raise InvalidTransition(f"Pekerjaan cetak {self.number} sudah selesai", f"Print job {self.number} already finished")
        return replace(self, state=JobState.PRINTED if outcome.printed else JobState.FAILED,
                       attempts=self.attempts + outcome.attempts, failure=outcome.failure,
                       error=outcome.error, finished_at=at)

    def expire(self, at: datetime) -> PrintJob:
        """Nobody printed it in time: the visitor has been told to photograph the screen."""
        return self.finish(Outcome(False, 0, PrinterState.UNKNOWN, FailureKind.EXPIRED,
                                   "Tidak dicetak sebelum batas waktu"), at)

    def is_due(self, now: datetime) -> bool:
        """Still worth printing: queued and the visitor may still be at the kiosk."""
        return self.state is JobState.QUEUED and now < self.expires_at


def print_kind(who: Actor, issued_by: str, earlier: list[PrintJob]) -> JobKind:
    """First print by the kiosk that issued the ticket; everything after that is a staff reprint."""
    if who.is_staff:
        return JobKind.REPRINT if earlier else JobKind.TICKET
    if who.name != issued_by:
        raise Forbidden("Kiosk ini tidak menerbitkan nomor tersebut", "This kiosk did not issue that ticket")
    if earlier:
        raise Forbidden("Tiket ini sudah dicetak; cetak ulang hanya oleh petugas",
                        "This ticket was already printed; only staff may reprint it")
    return JobKind.TICKET


def ensure_may_test_print(who: Actor) -> None:
    """Printers serve kiosks, which belong to the whole hall rather than an agency: only admins test them."""
    if who.role is not Role.ADMIN:
        raise Forbidden("Hanya admin yang boleh melakukan uji cetak", "Only admins may send a test print")
