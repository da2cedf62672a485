"""Which console actions fit a counter's moment, and why the others do not.

The console disables what does not fit and shows the reason on hover; the reasons are the very
errors the use cases raise, so the button and the server never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import InvalidTransition
from .selection import CounterState
from .tickets import Action, Ticket

DESK_ACTIONS = (Action.RECALL, Action.START, Action.FINISH, Action.NO_SHOW, Action.TRANSFER)


@dataclass(frozen=True)
class ActionCheck:
    """Whether an action fits now; if not, the reason in Bahasa Indonesia and English."""

    allowed: bool
    reason: str = ""
    reason_en: str = ""


def ticket_at_desk(ticket: Ticket | None) -> Ticket:
    """The ticket at the counter, or InvalidTransition when there is none."""
    if ticket is None:
        raise InvalidTransition("Tidak ada nomor di loket ini", "No ticket at this counter")
    return ticket


def _try(check: Callable[[], object]) -> ActionCheck:
    try:
        check()
    except InvalidTransition as exc:
        return ActionCheck(False, exc.message, exc.message_en)
    return ActionCheck(True)


def console_actions(state: CounterState, ticket: Ticket | None) -> dict[str, ActionCheck]:
    """Every console action by name (call, recall, start, finish, no_show, transfer, pause, resume)."""
    checks: dict[str, Callable[[], object]] = {
        "call": state.ensure_can_call,
        "pause": lambda: state.pause("-"),
        "resume": state.resume,
    }
    for action in DESK_ACTIONS:
        checks[action.value] = lambda a=action: ticket_at_desk(ticket).check(a)  # type: ignore[misc]
    return {name: _try(check) for name, check in checks.items()}
