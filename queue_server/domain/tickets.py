"""Tickets: their numbers, their states and the only transitions between them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import InvalidTransition


class Status(StrEnum):
    """Where a ticket stands."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


STATUS_LABELS = {
    Status.WAITING: ("menunggu", "waiting"),
    Status.CALLED: ("dipanggil", "called"),
    Status.SERVING: ("sedang dilayani", "being served"),
    Status.DONE: ("selesai", "done"),
    Status.NO_SHOW: ("tidak hadir", "no-show"),
    Status.CANCELLED: ("dibatalkan", "cancelled"),
}
ACTIVE_AT_COUNTER = frozenset({Status.CALLED, Status.SERVING})


class Action(StrEnum):
    """Everything that can happen to an issued ticket."""

    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    REOPEN = "reopen"


ACTION_LABELS = {
    Action.CALL: ("panggil", "call"),
    Action.RECALL: ("panggil ulang", "recall"),
    Action.START: ("mulai layani", "start"),
    Action.FINISH: ("selesai", "finish"),
    Action.NO_SHOW: ("tidak hadir", "no-show"),
    Action.TRANSFER: ("alihkan", "transfer"),
    Action.CANCEL: ("batalkan", "cancel"),
    Action.REOPEN: ("buka kembali", "reopen"),
}

# Which states each action may start from. Finishing straight from "called" is allowed: an officer
# who serves at once should not need a second click; the service time then runs from the call.
ALLOWED_FROM: dict[Action, frozenset[Status]] = {
    Action.CALL: frozenset({Status.WAITING}),
    Action.RECALL: frozenset({Status.CALLED}),
    Action.START: frozenset({Status.CALLED}),
    Action.FINISH: frozenset({Status.CALLED, Status.SERVING}),
    Action.NO_SHOW: frozenset({Status.CALLED}),
    Action.TRANSFER: frozenset({Status.WAITING, Status.CALLED, Status.SERVING}),
    Action.CANCEL: frozenset({Status.WAITING, Status.CALLED}),
    Action.REOPEN: frozenset({Status.NO_SHOW}),
}


def format_number(prefix: str, serial: int) -> str:
    """The printed number: prefix, dash, serial with at least three digits (A-001, AB-1000)."""
    return f"{prefix}-{serial:03d}"


def local_day(at: datetime, tz: str) -> date:
    """The hall's calendar day of an aware moment: serials reset at local midnight."""
    if at.tzinfo is None:
        raise ValueError("local_day needs an aware datetime")
    return at.astimezone(ZoneInfo(tz)).date()


def day_span(day: date, tz: str) -> tuple[datetime, datetime]:
    """The aware moments a local day starts and ends (the next day's midnight)."""
    start = datetime.combine(day, time(), ZoneInfo(tz))
    return start, datetime.combine(day + timedelta(days=1), time(), ZoneInfo(tz))


@dataclass(frozen=True)
class Ticket:
    """One visitor's place: its number stays for life, even across transfers."""

    id: str
    number: str
    service_code: str
    origin_service_code: str
    day: date
    serial: int
    arrival_at: datetime
    status: Status = Status.WAITING
    priority: str | None = None
    counter_code: str | None = None
    recalls: int = 0
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def is_priority(self) -> bool:
        """Whether the ticket rides the priority lane."""
        return self.priority is not None

    def check(self, action: Action) -> None:
        """Raise InvalidTransition, with the reason an officer reads, unless the state allows `action`."""
        if self.status not in ALLOWED_FROM[action]:
            label_id, label_en = ACTION_LABELS[action]
            state_id, state_en = STATUS_LABELS[self.status]
            raise InvalidTransition(
                f"Tidak bisa '{label_id}': nomor {self.number} berstatus {state_id}",
                f"Cannot {label_en}: ticket {self.number} is {state_en}")

    def apply(self, action: Action, at: datetime, counter_code: str | None = None,
              service_code: str | None = None) -> Ticket:
        """The ticket after `action`, or InvalidTransition when its state does not allow it."""
        self.check(action)
        if action is Action.CALL:
            return replace(self, status=Status.CALLED, counter_code=counter_code, called_at=at)
        if action is Action.RECALL:
            return replace(self, recalls=self.recalls + 1)
        if action is Action.START:
            return replace(self, status=Status.SERVING, started_at=at)
        if action is Action.FINISH:
            return replace(self, status=Status.DONE, finished_at=at)
        if action is Action.NO_SHOW:
            return replace(self, status=Status.NO_SHOW, finished_at=at)
        if action is Action.CANCEL:
            return replace(self, status=Status.CANCELLED, finished_at=at)
        if action is Action.TRANSFER:
            if not service_code:
                raise InvalidTransition("Layanan tujuan pengalihan harus diisi", "A transfer needs a target service")
            if service_code == self.service_code:
                raise InvalidTransition("Nomor ini sudah berada di antrean layanan tersebut",
                                        "The ticket is already in that service's queue")
            return replace(self, status=Status.WAITING, service_code=service_code, counter_code=None,
                           recalls=0, called_at=None, started_at=None)
        # REOPEN: a no-show who turns up after all goes back into the queue at its arrival time.
        return replace(self, status=Status.WAITING, counter_code=None, recalls=0, called_at=None,
                       started_at=None, finished_at=None)


@dataclass(frozen=True)
class Transition:
    """A recorded step in a ticket's life: reports read these."""

    ticket_id: str
    action: Action | str
    at: datetime
    from_status: Status | None
    to_status: Status
    service_code: str
    counter_code: str | None = None
    user: str | None = None
    detail: str = ""
