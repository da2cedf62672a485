"""What happened in a transaction, published to screens and consoles after it commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .estimate import WaitEstimate
from .hours import Availability
from .selection import CounterState
from .tickets import Ticket


@dataclass(frozen=True)
class ServiceQueue:
    """A service's queue right now: what kiosks and displays show for it."""

    service_code: str
    waiting: int
    issued_today: int
    quota_left: int | None
    availability: Availability
    estimate: WaitEstimate


@dataclass(frozen=True)
class TicketChanged:
    """A ticket was issued or moved; `action` is "issue" or an Action value."""

    ticket: Ticket
    action: str
    at: datetime
    previous_service_code: str | None = None


@dataclass(frozen=True)
class CounterChanged:
    """A counter's state changed (call, finish, pause...); `ticket` is the one at its desk."""

    state: CounterState
    ticket: Ticket | None


@dataclass(frozen=True)
class QueuesChanged:
    """Waiting counts of these services changed."""

    queues: tuple[ServiceQueue, ...]


@dataclass(frozen=True)
class HallChanged:
    """The hall's description changed (an admin edit): screens refetch their state."""

    version: int


Event = TicketChanged | CounterChanged | QueuesChanged | HallChanged
