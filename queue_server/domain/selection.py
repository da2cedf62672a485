"""Which waiting ticket a counter calls next: oldest first, with priority interleaved by ratio."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from .errors import InvalidTransition
from .hall import NextTicketRule, PriorityPolicy
from .tickets import Status, Ticket


class Lane(StrEnum):
    """Priority tickets and regular tickets wait in two lanes of the same queue."""

    PRIORITY = "priority"
    REGULAR = "regular"


def preferred_lane(priority_streak: int, policy: PriorityPolicy) -> Lane:
    """The lane to serve first: priority until `ratio` priority calls in a row, then one regular.

    When the preferred lane is empty the other is served, so neither side ever waits for nobody.
    """
    return Lane.PRIORITY if priority_streak < policy.ratio else Lane.REGULAR


def next_streak(priority_streak: int, called: Ticket) -> int:
    """The counter's run of consecutive priority calls after calling `called`."""
    return priority_streak + 1 if called.is_priority else 0


def order_key(ticket: Ticket, lane: Lane, service_codes: tuple[str, ...],
              rule: NextTicketRule) -> tuple[int, int, object, str]:
    """Sort key of the next-ticket rule; the database claim orders by the same four terms."""
    lane_rank = 0 if (lane is Lane.PRIORITY) == ticket.is_priority else 1
    service_rank = service_codes.index(ticket.service_code) if rule is NextTicketRule.SERVICE_ORDER else 0
    return (lane_rank, service_rank, ticket.arrival_at, ticket.id)


def pick_next(waiting: Iterable[Ticket], lane: Lane, service_codes: tuple[str, ...],
              rule: NextTicketRule) -> Ticket | None:
    """The ticket a counter serving `service_codes` calls next, or None when nobody waits."""
    candidates = [t for t in waiting if t.status is Status.WAITING and t.service_code in service_codes]
    if not candidates:
        return None
    return min(candidates, key=lambda t: order_key(t, lane, service_codes, rule))


class CounterMode(StrEnum):
    """Whether a counter takes calls."""

    OPEN = "open"
    PAUSED = "paused"


@dataclass(frozen=True)
class CounterState:
    """What a counter is doing now: paused or open, the ticket at the desk, its priority run."""

    code: str
    mode: CounterMode = CounterMode.OPEN
    pause_reason: str = ""
    current_ticket_id: str | None = None
    priority_streak: int = 0

    @property
    def status(self) -> str:
        """paused, serving (a ticket at the desk) or idle: what a supervisor sees."""
        if self.mode is CounterMode.PAUSED:
            return "paused"
        return "serving" if self.current_ticket_id else "idle"

    def ensure_can_call(self) -> None:
        """Refuse a new call while paused or while a ticket is still at the desk."""
        if self.mode is CounterMode.PAUSED:
            raise InvalidTransition("Loket sedang jeda; tekan Lanjut dulu", "The counter is paused; resume first")
        if self.current_ticket_id:
            raise InvalidTransition("Masih ada nomor di loket ini; selesaikan atau tandai tidak hadir dulu",
                                    "A ticket is still at this counter; finish it or mark it no-show first")

    def pause(self, reason: str) -> CounterState:
        """Pause with a reason (istirahat, salat, gangguan sistem...)."""
        reason = reason.strip()
        if not reason:
            raise InvalidTransition("Alasan jeda harus diisi", "A pause needs a reason")
        if self.mode is CounterMode.PAUSED:
            raise InvalidTransition("Loket sudah dalam keadaan jeda", "The counter is already paused")
        return replace(self, mode=CounterMode.PAUSED, pause_reason=reason)

    def resume(self) -> CounterState:
        """Back to taking calls."""
        if self.mode is not CounterMode.PAUSED:
            raise InvalidTransition("Loket tidak sedang jeda", "The counter is not paused")
        return replace(self, mode=CounterMode.OPEN, pause_reason="")
