"""The print job rules: states, who may print, what is retried, what the status bytes mean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from printers.jobs import (
    FailureKind,
    JobKind,
    JobState,
    Outcome,
    PrintFailure,
    PrintJob,
    RetryPolicy,
    print_kind,
    run_job,
)
from printers.status import PrinterState, offline_cause, paper_state, processed_paper_state
from queue_server.domain.access import Actor, DeviceKind, Forbidden, Role
from queue_server.domain.errors import InvalidTransition

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
KIOSK = Actor("Kiosk Lobi", device_kind=DeviceKind.KIOSK)
STAFF = Actor("petugas", Role.OFFICER, "DUKCAPIL")


def job(**changes: object) -> PrintJob:
    values: dict = dict(id="j1", ticket_id="t1", number="A-001", printer="P", kind=JobKind.TICKET,
                        created_at=NOW, expires_at=NOW + timedelta(seconds=20), requested_by="Kiosk Lobi")
    values.update(changes)
    return PrintJob(**values)


class Printer:
    """Fails with the given failures in turn, then prints."""

    def __init__(self, *failures: PrintFailure) -> None:
        self.failures = list(failures)
        self.calls = 0

    def print_ticket(self, data: bytes, label: str) -> PrinterState:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return PrinterState.OK


def failure(kind: FailureKind) -> PrintFailure:
    return PrintFailure(kind, PrinterState.UNREACHABLE)


def test_only_failures_that_printed_nothing_are_retried() -> None:
    slept: list[float] = []
    policy = RetryPolicy(attempts=3, retry_after_s=0.5, deadline_s=20)
    p = Printer(failure(FailureKind.UNREACHABLE), failure(FailureKind.NOT_READY))
    outcome = run_job(b"x", "A-001", p, policy, sleep=slept.append, clock=lambda: 0.0)
    assert outcome.printed and outcome.attempts == 3 and slept == [0.5, 1.0]
    for kind in (FailureKind.UNCERTAIN, FailureKind.NO_ANSWER, FailureKind.PAPER_OUT):
        p = Printer(failure(kind))
        outcome = run_job(b"x", "A-001", p, policy, sleep=slept.append, clock=lambda: 0.0)
        assert (outcome.printed, outcome.attempts, outcome.failure, p.calls) == (False, 1, kind, 1)
    p = Printer(*[failure(FailureKind.UNREACHABLE)] * 5)
    assert run_job(b"x", "A-001", p, policy, sleep=slept.append, clock=lambda: 0.0).attempts == 3
    late = run_job(b"x", "A-001", Printer(failure(FailureKind.UNREACHABLE)), policy, sleep=slept.append,
                   clock=iter([0.0, 19.8]).__next__)
    assert not late.printed and late.attempts == 1  # no retry that would end after the visitor left


def test_job_state_machine_takes_a_result_once() -> None:
    started = job().start()
    assert started.state is JobState.PRINTING
    with pytest.raises(InvalidTransition):
        started.start()
    done = started.finish(Outcome(True, 2, PrinterState.OK), NOW)
    assert (done.state, done.attempts, done.finished_at) == (JobState.PRINTED, 2, NOW)
    with pytest.raises(InvalidTransition):
        done.finish(Outcome(False, 1, PrinterState.NO_ANSWER, FailureKind.NO_ANSWER), NOW)
    expired = started.expire(NOW)
    assert expired.state is JobState.FAILED and expired.failure is FailureKind.EXPIRED
    assert expired.finish(Outcome(True, 1, PrinterState.OK), NOW).state is JobState.PRINTED  # a late agent's truth
    failed = started.finish(Outcome(False, 1, PrinterState.NO_ANSWER, FailureKind.NO_ANSWER), NOW)
    with pytest.raises(InvalidTransition):
        failed.finish(Outcome(True, 1, PrinterState.OK), NOW)
    assert job().is_due(NOW) and not job().is_due(NOW + timedelta(seconds=20)) and not started.is_due(NOW)


def test_a_ticket_prints_once_unless_staff_reprint() -> None:
    assert print_kind(KIOSK, "Kiosk Lobi", []) is JobKind.TICKET
    with pytest.raises(Forbidden):
        print_kind(KIOSK, "Kiosk Lobi", [job()])
    with pytest.raises(Forbidden):
        print_kind(KIOSK, "Kiosk Lantai 2", [])
    assert print_kind(STAFF, "Kiosk Lobi", [job()]) is JobKind.REPRINT
    assert print_kind(STAFF, "petugas", []) is JobKind.TICKET


def test_outcome_survives_the_trip_through_an_agent() -> None:
    outcome = Outcome(False, 2, PrinterState.PAPER_OUT, FailureKind.PAPER_OUT, "Kertas habis")
    assert Outcome.from_json(outcome.as_json()) == outcome
    odd = Outcome.from_json({"printed": True, "attempts": "1", "state": "on fire", "failure": "?"})
    assert odd == Outcome(True, 1, PrinterState.UNKNOWN, None, "")


def test_status_bytes() -> None:
    assert paper_state(0x12) is PrinterState.OK
    assert paper_state(0x1E) is PrinterState.PAPER_NEAR_END
    assert paper_state(0x72) is PrinterState.PAPER_OUT
    assert offline_cause(0x16) is PrinterState.COVER_OPEN and offline_cause(0x32) is PrinterState.PAPER_OUT
    assert processed_paper_state(0x00) is PrinterState.OK and processed_paper_state(0x0C) is PrinterState.PAPER_OUT
    assert PrinterState.UNKNOWN.can_print and not PrinterState.PAPER_OUT.can_print
