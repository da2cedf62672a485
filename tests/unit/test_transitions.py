"""The ticket state machine: allowed steps, refused steps, transfer and recall."""

from datetime import UTC, date, datetime, timedelta

import pytest

from queue_server.domain.errors import InvalidTransition
from queue_server.domain.tickets import ALLOWED_FROM, Action, Status, Ticket

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def ticket(status: Status = Status.WAITING) -> Ticket:
    return Ticket(id="x1", number="A-001", service_code="KTP", origin_service_code="KTP",
                  day=date(2026, 11, 23), serial=1, arrival_at=T0, status=status)


def test_happy_path_keeps_times_and_counter() -> None:
    t = ticket()
    called = t.apply(Action.CALL, T0 + timedelta(minutes=5), counter_code="L01")
    assert (called.status, called.counter_code, called.called_at) == (Status.CALLED, "L01", T0 + timedelta(minutes=5))
    serving = called.apply(Action.START, T0 + timedelta(minutes=6))
    done = serving.apply(Action.FINISH, T0 + timedelta(minutes=12))
    assert done.status is Status.DONE and done.started_at == T0 + timedelta(minutes=6)
    assert done.finished_at == T0 + timedelta(minutes=12) and done.arrival_at == T0


def test_recall_stays_called_and_counts() -> None:
    t = ticket().apply(Action.CALL, T0, counter_code="L01")
    twice = t.apply(Action.RECALL, T0).apply(Action.RECALL, T0)
    assert twice.status is Status.CALLED and twice.recalls == 2


def test_transfer_keeps_number_and_arrival_in_new_queue() -> None:
    t = ticket().apply(Action.CALL, T0 + timedelta(minutes=3), counter_code="L01").apply(Action.START, T0)
    moved = t.apply(Action.TRANSFER, T0 + timedelta(minutes=9), counter_code="L01", service_code="NPWP")
    assert moved.status is Status.WAITING and moved.service_code == "NPWP"
    assert moved.number == "A-001" and moved.arrival_at == T0 and moved.origin_service_code == "KTP"
    assert moved.counter_code is None and moved.called_at is None


def test_transfer_into_the_same_queue_or_nowhere_is_refused() -> None:
    t = ticket().apply(Action.CALL, T0, counter_code="L01")
    with pytest.raises(InvalidTransition):
        t.apply(Action.TRANSFER, T0, service_code="KTP")
    with pytest.raises(InvalidTransition):
        t.apply(Action.TRANSFER, T0, service_code=None)


def test_reopen_puts_a_no_show_back_in_line() -> None:
    t = ticket().apply(Action.CALL, T0, counter_code="L01").apply(Action.NO_SHOW, T0)
    back = t.apply(Action.REOPEN, T0 + timedelta(minutes=30))
    assert back.status is Status.WAITING and back.arrival_at == T0 and back.finished_at is None


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_every_step_outside_the_table_is_refused_with_a_reason(action: Action, status: Status) -> None:
    t = ticket(status)
    if status in ALLOWED_FROM[action]:
        t.apply(action, T0, counter_code="L01", service_code="NPWP")
    else:
        with pytest.raises(InvalidTransition) as err:
            t.apply(action, T0, counter_code="L01", service_code="NPWP")
        assert "A-001" in err.value.message and "A-001" in err.value.message_en


def test_finished_tickets_are_final() -> None:
    for final in (Status.DONE, Status.CANCELLED):
        assert all(final not in allowed for allowed in ALLOWED_FROM.values())
