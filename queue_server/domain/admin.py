"""Hall edits from /admin: who may edit what, and the rules that depend on today's tickets.

An edit is applied to the hall description (the config-shaped dict that `hall_from_config`
reads), so the admin pages and `antrean config load` share one parser and one validation. The
rules here add what a file cannot know: what was already issued today.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .access import Actor, Forbidden, Role
from .errors import DomainError, NotFound
from .hall import Catalog


class Kind(StrEnum):
    """What an edit changes: one item of a list, or one settings section of the hall."""

    AGENCY = "agencies"
    SERVICE = "services"
    COUNTER = "counters"
    SETTINGS = "settings"


SETTINGS_SECTIONS = ("hall", "priority", "announcement", "display", "kiosk", "printers")


class EditRefused(DomainError):
    """A well-formed edit that today's state forbids (HTTP 409)."""

    code = "edit_refused"


class FileTooLarge(DomainError):
    """An upload over the size limit (HTTP 413)."""

    code = "payload_too_large"


@dataclass(frozen=True)
class TodayFigures:
    """What today already holds: tickets issued and waiting per service, which service used which prefix."""

    issued: dict[str, int] = field(default_factory=dict)
    prefixes_used: dict[str, frozenset[str]] = field(default_factory=dict)  # prefix -> services that used it
    waiting: dict[str, int] = field(default_factory=dict)


def editor_agency(actor: Actor) -> str | None:
    """The one agency an editor is limited to (an agency's supervisor); None for the whole hall."""
    return actor.agency_code if actor.role is Role.SUPERVISOR else None


def ensure_may_edit(actor: Actor, kind: Kind, agencies: set[str | None]) -> None:
    """Admins edit everything; an agency's supervisor only its own services and counters."""
    if actor.role is Role.ADMIN or (actor.role is Role.SUPERVISOR and actor.agency_code is None):
        return
    if actor.role is not Role.SUPERVISOR:
        raise Forbidden("Hanya admin dan supervisor yang boleh mengubah pengaturan",
                        "Only admins and supervisors may change the hall")
    if kind not in (Kind.SERVICE, Kind.COUNTER) or agencies - {None} != {actor.agency_code}:
        raise Forbidden("Supervisor hanya boleh mengubah layanan dan loket agensinya sendiri",
                        "A supervisor may only change their own agency's services and counters")


def ensure_may_manage_accounts(actor: Actor, roles: set[Role], agencies: set[str | None]) -> None:
    """Admins manage every account; a hall supervisor anyone but admins; an agency's supervisor only
    its own agency's officers. `roles` and `agencies` hold the account's old and new values."""
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.SUPERVISOR and Role.ADMIN not in roles and (
            actor.agency_code is None or (roles == {Role.OFFICER} and agencies == {actor.agency_code})):
        return
    raise Forbidden("Supervisor hanya boleh mengelola petugas agensinya sendiri",
                    "A supervisor may only manage their own agency's officers")


def ensure_keeps_own_access(actor: Actor, username: str, active: bool) -> None:
    """Nobody deactivates their own account: the hall would lose the person fixing it mid-edit."""
    if not active and username == actor.name:
        raise EditRefused("Anda tidak dapat menonaktifkan akun Anda sendiri",
                          "You cannot deactivate your own account")


def ensure_may_manage_devices(actor: Actor) -> None:
    """Kiosks and displays serve the whole hall: only admins register them."""
    if actor.role is not Role.ADMIN:
        raise Forbidden("Hanya admin yang boleh mengelola kiosk dan layar", "Only admins may manage devices")


def apply_edit(description: dict[str, Any], kind: Kind, code: str, fields: dict[str, Any] | None
               ) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]:
    """A new description with one item (or settings section) set; returns (new, before, after).

    Item fields are merged into the item's present ones; a field set to None is removed (a
    quota of None means no quota). A settings section is replaced whole, except [hall], merged.
    `fields` None removes the item (the store retires it) or the section.
    """
    new = copy.deepcopy(description)
    if kind is Kind.SETTINGS:
        before = new.get(code)
        if fields is None:
            new.pop(code, None)
            return new, before, None
        after = {**(before or {}), **fields} if code == "hall" else dict(fields)
        new[code] = {k: v for k, v in after.items() if v is not None}
        return new, before, new[code]
    items = new.setdefault(kind.value, [])
    index = next((i for i, item in enumerate(items) if item.get("code") == code), None)
    before = items[index] if index is not None else None
    if fields is None:
        if index is None:
            raise NotFound(f"Tidak ditemukan: {code}", f"Not found: {code}")
        del items[index]
        return new, before, None
    after = {k: v for k, v in {**(before or {}), **fields, "code": code}.items() if v is not None}
    if index is None:
        items.append(after)
    else:
        items[index] = after
    return new, before, after


def check_edit(before: Catalog, after: Catalog, today: TodayFigures) -> None:
    """Refuse what today's tickets forbid: a prefix another service used today, a quota below
    today's issued count, a service closed for good while people wait, a counter left without
    an active service."""
    for code, waiting in today.waiting.items():
        old, svc = before.services.get(code), after.services.get(code)
        if waiting and old is not None and old.active and (svc is None or not svc.active):
            raise EditRefused(f"Layanan {code} masih punya {waiting} nomor menunggu; layani atau alihkan dulu",
                              f"Service {code} still has {waiting} tickets waiting; serve or transfer them first")
    for svc in after.services.values():
        used_by = today.prefixes_used.get(svc.prefix, frozenset()) - {svc.code}
        if svc.active and used_by and before.services.get(svc.code, svc).prefix != svc.prefix:
            other = ", ".join(sorted(used_by))
            raise EditRefused(f"Awalan {svc.prefix} sudah dipakai hari ini oleh layanan {other}; pilih awalan lain",
                              f"Prefix {svc.prefix} was already used today by {other}; choose another")
        issued = today.issued.get(svc.code, 0)
        old = before.services.get(svc.code)
        if (svc.daily_quota is not None and svc.daily_quota < issued
                and (old is None or old.daily_quota != svc.daily_quota)):
            raise EditRefused(f"Kuota {svc.code} tidak boleh di bawah nomor yang sudah diambil hari ini ({issued})",
                              f"The quota of {svc.code} cannot be below today's issued count ({issued})")
    for counter in after.counters.values():
        if not any(after.services[code].active for code in counter.service_codes):
            raise EditRefused(f"Loket {counter.code} tidak melayani layanan aktif apa pun",
                              f"Counter {counter.code} serves no active service")
