"""Sign-in throttling and the staff events kept for the audit trail (sign-in, sign-out, counter)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import DomainError


class StaffAction(StrEnum):
    """What a person did outside the queue itself; recorded with who, when, where from."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    OPEN_COUNTER = "open_counter"


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed sign-ins a username or an address may make within the window.

    Per username stops password guessing against one account; per address stops one machine from
    trying many accounts. A correct sign-in clears the username's count.
    """

    window_s: int = 300
    per_user: int = 5
    per_address: int = 20


class TooManyAttempts(DomainError):
    """Sign-in refused for a while after too many failures (HTTP 429)."""

    code = "too_many_attempts"

    def __init__(self, retry_after_s: int) -> None:
        minutes = max(1, math.ceil(retry_after_s / 60))
        super().__init__(f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit",
                         f"Too many failed sign-in attempts; try again in {minutes} minutes")
        self.retry_after_s = retry_after_s


def check_login(user_failures: Sequence[datetime], address_failures: Sequence[datetime], now: datetime,
                policy: LoginPolicy) -> None:
    """Raise TooManyAttempts while either count of recent failures has reached its limit.

    The wait ends when the oldest failure that keeps the count at the limit leaves the window.
    """
    window = timedelta(seconds=policy.window_s)
    for failures, limit in ((user_failures, policy.per_user), (address_failures, policy.per_address)):
        recent = sorted(at for at in failures if now - at < window)
        if len(recent) >= limit:
            frees_at = recent[-limit] + window
            raise TooManyAttempts(max(1, math.ceil((frees_at - now).total_seconds())))
