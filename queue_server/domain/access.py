"""Who may do what: staff roles and hall devices, and the agency boundary between tenants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import DomainError


class Role(StrEnum):
    """Staff roles: admin (everything), supervisor (one agency, or all when none), officer (one agency)."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OFFICER = "officer"


class DeviceKind(StrEnum):
    """Hall devices that authenticate with a token instead of a person's password."""

    KIOSK = "kiosk"
    DISPLAY = "display"


class Forbidden(DomainError):
    """Authenticated, but not allowed to do this."""

    code = "forbidden"


@dataclass(frozen=True)
class Actor:
    """The person or device behind a request."""

    name: str
    role: Role | None = None
    agency_code: str | None = None
    device_kind: DeviceKind | None = None
    agencies: tuple[str, ...] = ()

    @property
    def is_staff(self) -> bool:
        """A signed-in person rather than a device."""
        return self.role is not None

    def may_act_for(self, agency_code: str) -> bool:
        """Whether this person may operate counters and tickets of `agency_code`."""
        if self.role is Role.ADMIN or (self.role is Role.SUPERVISOR and self.agency_code is None):
            return True
        return self.role is not None and self.agency_code == agency_code

    def ensure_may_act_for(self, agency_code: str) -> None:
        """Raise Forbidden unless may_act_for(agency_code)."""
        if not self.may_act_for(agency_code):
            raise Forbidden("Anda tidak berwenang atas loket atau nomor agensi lain",
                            "You may not act on another agency's counters or tickets")

    def ensure_may_issue(self) -> None:
        """Tickets come from a kiosk device or from staff (issuing on a visitor's behalf)."""
        if not (self.is_staff or self.device_kind is DeviceKind.KIOSK):
            raise Forbidden("Hanya kiosk atau petugas yang boleh mengambil nomor",
                            "Only a kiosk or staff may issue tickets")

    def ensure_staff(self) -> None:
        """Raise Forbidden for devices."""
        if not self.is_staff:
            raise Forbidden("Hanya untuk petugas", "Staff only")

    def ensure_supervisor(self) -> None:
        """Raise Forbidden unless a supervisor or admin: the supervisor view and the audit trail."""
        if self.role not in (Role.SUPERVISOR, Role.ADMIN):
            raise Forbidden("Hanya untuk supervisor", "Supervisors only")
