"""The audit trail: who did what, when and from which counter, read by supervisors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .signin import StaffAction
from .tickets import ACTION_LABELS, Action, Status


class Source(StrEnum):
    """Which log an entry comes from: ticket_event, counter_event or staff_event."""

    TICKET = "ticket"
    COUNTER = "counter"
    STAFF = "staff"


LABELS: dict[str, tuple[str, str]] = {
    **{action.value: labels for action, labels in ACTION_LABELS.items()},
    "pause": ("jeda", "pause"),
    "resume": ("lanjut", "resume"),
    StaffAction.LOGIN.value: ("masuk", "sign in"),
    StaffAction.LOGIN_FAILED.value: ("gagal masuk", "failed sign-in"),
    StaffAction.LOGOUT.value: ("keluar", "sign out"),
    StaffAction.OPEN_COUNTER.value: ("membuka loket", "open counter"),
}
# What a counter's own day consists of: the tickets it let go of.
COUNTER_DAY_ACTIONS = (Action.FINISH.value, Action.NO_SHOW.value, Action.TRANSFER.value)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded step; ticket fields are set for ticket actions only."""

    at: datetime
    source: Source
    action: str
    actor: str | None
    counter_code: str | None
    detail: str = ""
    address: str = ""
    ticket_id: str | None = None
    ticket_number: str | None = None
    ticket_status: Status | None = None
    service_code: str | None = None

    @property
    def label(self) -> tuple[str, str]:
        """The action in Bahasa Indonesia and English."""
        return LABELS.get(self.action, (self.action, self.action))
