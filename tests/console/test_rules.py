"""The console's pure rules: which actions fit the moment, the sign-in throttle, who is online."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from queue_server.domain.desk import console_actions
from queue_server.domain.selection import CounterState
from queue_server.domain.signin import LoginPolicy, TooManyAttempts, check_login
from queue_server.domain.tickets import Status, Ticket
from queue_server.service_layer.presence import Presence

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def ticket(status: Status) -> Ticket:
    return Ticket(id="t1", number="A-001", service_code="KTP", origin_service_code="KTP", day=date(2026, 11, 23),
                  serial=1, arrival_at=NOW, status=status, counter_code="L01", called_at=NOW)


def allowed(state: CounterState, t: Ticket | None) -> set[str]:
    return {name for name, check in console_actions(state, t).items() if check.allowed}


def test_actions_follow_the_counter_and_the_ticket_at_its_desk() -> None:
    idle = CounterState("L01")
    assert allowed(idle, None) == {"call", "pause"}
    called = CounterState("L01", current_ticket_id="t1")
    assert allowed(called, ticket(Status.CALLED)) == {"recall", "start", "finish", "no_show", "transfer", "pause"}
    assert allowed(called, ticket(Status.SERVING)) == {"finish", "transfer", "pause"}
    paused = idle.pause("Salat")
    assert allowed(paused, None) == {"resume"}
    assert allowed(called.pause("Rapat"), ticket(Status.SERVING)) == {"finish", "transfer", "resume"}


def test_a_refused_action_carries_the_reason_the_server_would_give() -> None:
    checks = console_actions(CounterState("L01", current_ticket_id="t1"), ticket(Status.SERVING))
    assert checks["call"].reason.startswith("Masih ada nomor di loket ini")
    assert checks["no_show"].reason == "Tidak bisa 'tidak hadir': nomor A-001 berstatus sedang dilayani"
    assert checks["no_show"].reason_en == "Cannot no-show: ticket A-001 is being served"
    assert console_actions(CounterState("L01"), None)["recall"].reason == "Tidak ada nomor di loket ini"
    assert console_actions(CounterState("L01").pause("x"), None)["call"].reason.startswith("Loket sedang jeda")


def test_throttle_counts_failures_in_the_window_per_user_and_per_address() -> None:
    policy = LoginPolicy(window_s=300, per_user=5, per_address=20)
    four = [NOW - timedelta(seconds=s) for s in (250, 200, 100, 10)]
    check_login(four, four, NOW, policy)  # four failures: still allowed
    five = [NOW - timedelta(seconds=290), *four]
    with pytest.raises(TooManyAttempts) as refused:
        check_login(five, five, NOW, policy)
    assert refused.value.retry_after_s == 10  # when the oldest of the five leaves the window
    assert "coba lagi dalam 1 menit" in refused.value.message
    check_login(five, five, NOW + timedelta(seconds=10), policy)  # it left: allowed again
    many = [NOW - timedelta(seconds=i) for i in range(20)]
    with pytest.raises(TooManyAttempts):
        check_login([], many, NOW, policy)  # one machine trying many accounts
    check_login([], many[:19], NOW, policy)


def test_presence_counts_consoles_per_counter() -> None:
    presence = Presence()
    assert presence.join("a", "L01") is True
    assert presence.join("b", "L01") is False  # a second console of the same counter
    assert presence.join("c", "L02") is True
    assert presence.online() == ["L01", "L02"]
    assert presence.leave("a") is None  # L01 still has console b
    assert presence.leave("b") == "L01"
    assert presence.leave("zzz") is None
    assert presence.online() == ["L02"]
