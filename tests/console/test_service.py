"""The console's use cases on real SQLite and PostgreSQL: auto-call, ticket transfer, lists, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_server.domain.access import Actor, Forbidden, Role
from queue_server.domain.errors import InvalidTransition
from queue_server.domain.events import CounterChanged
from queue_server.domain.tickets import Action, Status, Ticket
from queue_server.service_layer.accounts import Accounts, Unauthorized
from queue_server.service_layer.queue import QueueService

from ..support import ADMIN, KIOSK, PASSWORD, SECRET, FakeClock, officer, prepare_database

DUKCAPIL = officer("DUKCAPIL")
SUPERVISOR = Actor("spv.dukcapil", Role.SUPERVISOR, "DUKCAPIL")


def arrive(service: QueueService, clock: FakeClock, n: int, code: str = "KTP") -> list[Ticket]:
    """`n` visitors taking a number a few seconds apart."""
    out = []
    for _ in range(n):
        clock.advance(seconds=5)
        out.append(service.issue(code, KIOSK).ticket)
    return out


@pytest.fixture
def service(database_url: str, clock: FakeClock) -> QueueService:
    """The queue service on each engine, keeping what it publishes."""
    published: list = []
    q = QueueService(prepare_database(database_url), publish=lambda events, _: published.extend(events), clock=clock)
    q.published = published  # type: ignore[attr-defined]
    return q


def test_finish_and_call_next_is_one_step_and_a_paused_counter_only_finishes(
        service: QueueService, clock: FakeClock) -> None:
    a, b, c = arrive(service, clock, 3)
    service.call_next("L01", DUKCAPIL)
    clock.advance(minutes=4)
    done, following = service.finish_and_call_next("L01", DUKCAPIL)
    assert (done.number, done.status, following and following.number) == (a.number, Status.DONE, b.number)
    assert [v.ticket.number for v in service.counters(DUKCAPIL) if v.counter.code == "L01"] == [b.number]
    desk = [e for e in service.published if isinstance(e, CounterChanged)][-1]
    assert desk.ticket and desk.ticket.number == b.number
    service.pause("L01", "Istirahat", DUKCAPIL)
    done, following = service.finish_and_call_next("L01", DUKCAPIL)
    assert (done.number, following) == (b.number, None)
    assert service.waiting(("KTP",))[0].number == c.number
    with pytest.raises(InvalidTransition):  # nothing at the desk any more
        service.finish_and_call_next("L01", DUKCAPIL)
    with pytest.raises(Forbidden):
        service.finish_and_call_next("L01", officer("IMIGRASI"))


def test_a_ticket_is_transferred_by_id_keeping_its_number_and_freeing_its_counter(
        service: QueueService, clock: FakeClock) -> None:
    waiting, at_desk = arrive(service, clock, 2)
    service.call("L02", at_desk.number, DUKCAPIL)
    moved = service.change_ticket(waiting.id, Action.TRANSFER, SUPERVISOR, "ke Imigrasi", service_code="PASPOR")
    assert (moved.number, moved.service_code, moved.status) == (waiting.number, "PASPOR", Status.WAITING)
    service.change_ticket(at_desk.id, Action.TRANSFER, SUPERVISOR, service_code="KK")
    assert next(v for v in service.counters(DUKCAPIL) if v.counter.code == "L02").ticket is None
    assert [t.number for t in service.tickets_today(officer("IMIGRASI"), (Status.WAITING,))] == [waiting.number]
    with pytest.raises(Forbidden):  # Dukcapil no longer holds it
        service.change_ticket(waiting.id, Action.CANCEL, DUKCAPIL)
    with pytest.raises(InvalidTransition):
        service.change_ticket(at_desk.id, Action.TRANSFER, SUPERVISOR, service_code="KK")


def test_audit_trail_and_a_counters_day_on_both_engines(service: QueueService, clock: FakeClock) -> None:
    accounts = Accounts(service.engine, SECRET)
    accounts.add_user("petugas.dukcapil", PASSWORD, Role.OFFICER, "DUKCAPIL")
    with pytest.raises(Unauthorized):
        accounts.sign_in("petugas.dukcapil", "keliru", "10.0.0.7")
    token, _ = accounts.sign_in("petugas.dukcapil", PASSWORD, "10.0.0.7")
    a, b = arrive(service, clock, 2)
    service.call_next("L01", DUKCAPIL)
    service.act("L01", Action.FINISH, DUKCAPIL)
    service.call_next("L01", DUKCAPIL)
    service.act("L01", Action.NO_SHOW, DUKCAPIL)
    service.pause("L01", "Salat", DUKCAPIL)
    service.issue("PASPOR", KIOSK)
    service.call_next("L05", officer("IMIGRASI"))

    day = [(e.action, e.ticket_number) for e in service.counter_day("L01", DUKCAPIL)]
    assert day == [("no_show", b.number), ("finish", a.number)]
    with pytest.raises(Forbidden):
        service.audit(DUKCAPIL)
    trail = service.audit(SUPERVISOR)
    # Staff events carry the real time; the queue's carry the test clock: compare as sets.
    assert {(e.source.value, e.action, e.actor, e.counter_code) for e in trail} == {
        ("staff", "login_failed", "petugas.dukcapil", None), ("staff", "login", "petugas.dukcapil", None),
        ("ticket", "call", "petugas.dukcapil", "L01"), ("ticket", "finish", "petugas.dukcapil", "L01"),
        ("ticket", "no_show", "petugas.dukcapil", "L01"), ("counter", "pause", "petugas.dukcapil", "L01")}
    assert next(e for e in trail if e.action == "login").address == "10.0.0.7"
    assert {e.counter_code for e in service.audit(ADMIN) if e.source.value == "ticket"} == {"L01", "L05"}
    assert [e.action for e in service.audit(ADMIN, counter_code="L05")] == ["call"]
    assert service.audit(ADMIN, day=clock().date() - timedelta(days=1)) == []
    accounts.sign_out(token, "10.0.0.7", "L01")
    with pytest.raises(Unauthorized):
        accounts.actor(token)
