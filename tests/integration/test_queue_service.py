"""The queue's use cases on a real database: numbering, reset, quotas, calls, transfers, estimates."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from queue_server.adapters import db
from queue_server.domain.access import Forbidden
from queue_server.domain.errors import InvalidTransition, IssueRefused
from queue_server.domain.events import CounterChanged, QueuesChanged, TicketChanged
from queue_server.domain.hall import NextTicketRule, PriorityPolicy
from queue_server.domain.selection import next_streak, pick_next, preferred_lane
from queue_server.domain.tickets import Action, Status
from queue_server.service_layer.queue import InvalidInput, QueueService

from ..support import KIOSK, FakeClock, demo_raw, officer, prepare_database

DUK = officer("DUKCAPIL")


def test_numbers_count_per_service_from_001(queue: QueueService) -> None:
    numbers = [queue.issue(code, KIOSK).ticket.number for code in ("KTP", "KTP", "KK", "KTP", "TABUNGAN")]
    assert numbers == ["A-001", "A-002", "B-001", "A-003", "AA-001"]


def test_serials_reset_at_wib_midnight_and_old_tickets_are_not_called(queue: QueueService,
                                                                        clock: FakeClock) -> None:
    clock.at = datetime(2026, 11, 23, 16, 58, tzinfo=UTC)  # 23.58 WIB
    assert [queue.issue("KTP", KIOSK).ticket.number for _ in range(2)] == ["A-001", "A-002"]
    clock.advance(minutes=2)  # 00.00 WIB, 24 November
    fresh = queue.issue("KTP", KIOSK).ticket
    assert fresh.number == "A-001" and fresh.day.isoformat() == "2026-11-24"
    assert queue.call_next("L01", DUK).id == fresh.id
    queue.act("L01", Action.FINISH, DUK)
    assert queue.call_next("L01", DUK) is None  # yesterday's two stay out of today's queue


def test_quota_refusal_rolls_back_the_serial(engine, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    raw = demo_raw()
    next(s for s in raw["services"] if s["code"] == "PASPOR")["quota"] = 3
    queue = QueueService(prepare_database(str(engine.url), raw), clock=clock)
    assert [queue.issue("PASPOR", KIOSK).ticket.serial for _ in range(3)] == [1, 2, 3]
    for _ in range(2):
        with pytest.raises(IssueRefused, match="Kuota harian layanan ini sudah habis"):
            queue.issue("PASPOR", KIOSK)
    [paspor] = [q for q in queue.service_queues() if q.service_code == "PASPOR"]
    assert (paspor.issued_today, paspor.quota_left, paspor.waiting) == (3, 0, 3)


def test_hours_refusal_before_opening(sqlite_url: str, clock: FakeClock) -> None:
    queue = QueueService(prepare_database(sqlite_url, always_open=False), clock=clock)
    clock.at = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 07.30 WIB
    with pytest.raises(IssueRefused) as err:
        queue.issue("KTP", KIOSK)
    assert err.value.message == "Layanan dibuka pukul 08.00"
    clock.at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08.00 WIB
    assert queue.issue("KTP", KIOSK).ticket.number == "A-001"


def test_unknown_priority_is_invalid_input(queue: QueueService) -> None:
    with pytest.raises(InvalidInput):
        queue.issue("KTP", KIOSK, priority="vip")
    assert queue.issue("KTP", KIOSK, priority="lansia").ticket.is_priority


def test_call_cycle_records_every_transition_with_counter_and_user(queue: QueueService, engine,  # type: ignore[no-untyped-def]
                                                                    clock: FakeClock) -> None:
    t = queue.issue("KTP", KIOSK).ticket
    queue.published.clear()
    assert queue.call_next("L01", DUK).id == t.id
    kinds = [type(e) for e in queue.published]
    assert kinds == [TicketChanged, CounterChanged, QueuesChanged]
    clock.advance(seconds=30)
    assert queue.act("L01", Action.RECALL, DUK).recalls == 1
    clock.advance(seconds=30)
    queue.act("L01", Action.START, DUK)
    clock.advance(minutes=5)
    done = queue.act("L01", Action.FINISH, DUK)
    assert done.status is Status.DONE and (done.finished_at - done.called_at).total_seconds() == 360
    with engine.connect() as conn:
        rows = conn.execute(select(db.ticket_event.c.action, db.ticket_event.c.counter_code,
                                   db.ticket_event.c.actor).where(db.ticket_event.c.ticket_id == t.id)
                            .order_by(db.ticket_event.c.id)).all()
    assert [r.action for r in rows] == ["issue", "call", "recall", "start", "finish"]
    assert all(r.counter_code == "L01" and r.actor == DUK.name for r in rows[1:])


def test_refused_actions_change_nothing(queue: QueueService, engine) -> None:  # type: ignore[no-untyped-def]
    queue.issue("KTP", KIOSK)
    with pytest.raises(InvalidTransition, match="Tidak ada nomor di loket ini"):
        queue.act("L01", Action.FINISH, DUK)
    queue.call_next("L01", DUK)
    with pytest.raises(InvalidTransition, match="Masih ada nomor"):
        queue.call_next("L01", DUK)
    queue.act("L01", Action.START, DUK)
    with pytest.raises(InvalidTransition, match="mulai layani"):
        queue.act("L01", Action.START, DUK)
    with pytest.raises(InvalidTransition):
        queue.act("L01", Action.NO_SHOW, DUK)
    with pytest.raises(Forbidden):
        queue.call_next("L05", DUK)  # Imigrasi's counter
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.ticket_event)).scalar() == 3  # issue call start


def test_transfer_to_another_agency_keeps_number_and_place(queue: QueueService, clock: FakeClock) -> None:
    early = queue.issue("KTP", KIOSK).ticket
    clock.advance(minutes=1)
    later_npwp = queue.issue("NPWP", KIOSK).ticket
    queue.call_next("L01", DUK)
    moved = queue.act("L01", Action.TRANSFER, DUK, service_code="NPWP", note="perlu NPWP dulu")
    assert (moved.number, moved.service_code, moved.status) == ("A-001", "NPWP", Status.WAITING)
    assert queue.counters(DUK)[0].state.current_ticket_id is None
    kpp = officer("KPP")
    assert queue.call_next("L14", kpp).id == early.id  # arrived before R-001, so it goes first
    queue.act("L14", Action.FINISH, kpp)
    assert queue.call_next("L14", kpp).id == later_npwp.id
    with pytest.raises(Forbidden):
        queue.act("L14", Action.FINISH, DUK)


def test_call_a_chosen_ticket_by_number(queue: QueueService) -> None:
    for _ in range(3):
        queue.issue("KTP", KIOSK)
    assert queue.call("L01", "a-003", DUK).number == "A-003"
    queue.act("L01", Action.NO_SHOW, DUK)
    with pytest.raises(InvalidTransition):
        queue.call("L01", "A-003", DUK)  # no-show now, not waiting
    queue.issue("NPWP", KIOSK)
    with pytest.raises(InvalidTransition, match="bukan antrean layanan loket ini"):
        queue.call("L01", "R-001", DUK)


def test_pause_blocks_calls_and_is_logged(queue: QueueService) -> None:
    queue.issue("KTP", KIOSK)
    queue.pause("L01", "Salat Zuhur", DUK)
    with pytest.raises(InvalidTransition, match="jeda"):
        queue.call_next("L01", DUK)
    with pytest.raises(InvalidTransition):
        queue.pause("L01", "lagi", DUK)
    queue.resume("L01", DUK)
    assert queue.call_next("L01", DUK).number == "A-001"


def test_cancel_and_reopen_by_supervisor(queue: QueueService) -> None:
    t = queue.issue("KTP", KIOSK).ticket
    queue.call_next("L01", DUK)
    queue.act("L01", Action.NO_SHOW, DUK)
    assert queue.change_ticket(t.id, Action.REOPEN, DUK).status is Status.WAITING
    queue.call_next("L02", DUK)
    assert queue.change_ticket(t.id, Action.CANCEL, DUK).status is Status.CANCELLED
    assert queue.counters(DUK)[1].state.current_ticket_id is None  # L02 freed
    with pytest.raises(Forbidden):
        queue.change_ticket(t.id, Action.REOPEN, officer("KPP"))


def test_wait_estimate_learns_from_recent_service_times(queue: QueueService, clock: FakeClock) -> None:
    first = queue.issue("PKB", KIOSK)  # target 6 min, two counters (L11, L12)
    assert first.estimate.people_ahead == 0 and first.estimate.seconds == 0
    clock.advance(seconds=5)
    second = queue.issue("PKB", KIOSK)
    assert second.estimate.seconds == round(1 * 360 / 2)
    samt = officer("SAMSAT")
    for _ in range(6):  # six visitors served in 2 minutes each
        clock.advance(seconds=5)
        queue.issue("PKB", KIOSK)
    for _ in range(6):
        queue.call_next("L11", samt)
        clock.advance(minutes=2)
        queue.act("L11", Action.FINISH, samt)
    queue.pause("L12", "rapat", samt)
    clock.advance(seconds=5)
    est = queue.issue("PKB", KIOSK).estimate
    mean = (3 * 360 + 6 * 120) / 9
    assert est.people_ahead == 2 and est.seconds == round(2 * mean / 1)


@pytest.mark.parametrize("rule", list(NextTicketRule))
def test_database_claim_follows_the_domain_rule(database_url: str, rule: NextTicketRule) -> None:
    """Random arrivals over three services with priorities: the SQL claim calls exactly what
    domain.selection would, call after call."""
    raw = demo_raw()
    raw["hall"]["next_ticket_rule"] = rule.value
    raw["priority"]["ratio"] = 2
    clock = FakeClock()
    queue = QueueService(prepare_database(database_url, raw), clock=clock)
    rng = random.Random(7)
    issued = []
    for _ in range(40):
        clock.advance(seconds=rng.randint(1, 50))
        issued.append(queue.issue(rng.choice(["KK", "AKTA", "KIA"]), KIOSK,
                                  priority="lansia" if rng.random() < 0.3 else None).ticket)
    services = ("AKTA", "KIA", "KK")  # L04's order
    policy, streak, waiting, expected, got = PriorityPolicy(ratio=2), 0, list(issued), [], []
    while (t := pick_next(waiting, preferred_lane(streak, policy), services, rule)) is not None:
        waiting.remove(t)
        streak = next_streak(streak, t)
        expected.append(t.number)
    while (called := queue.call_next("L04", DUK)) is not None:
        got.append(called.number)
        queue.act("L04", Action.FINISH, DUK)
    assert got == expected and len(got) == 40
