"""Editing the hall from /admin, along the same path as `antrean config load`.

Export the stored hall as its config description, apply one edit to that description, parse it
with `hall_from_config` (the one parser), check the rules that depend on today's tickets, store
it with `Repository.store_hall` (the one writer) and audit the change, all in one transaction;
then tell every screen, so kiosks, displays and consoles update without a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Engine

from ..adapters.db import read_connection
from ..adapters.repository import Repository
from ..config import hall_from_config, hall_to_config
from ..domain.access import Actor, DeviceKind, Role
from ..domain.admin import (
    SETTINGS_SECTIONS,
    Kind,
    TodayFigures,
    apply_edit,
    check_edit,
    editor_agency,
    ensure_may_edit,
    ensure_keeps_own_access,
    ensure_may_manage_accounts,
    ensure_may_manage_devices,
)
from ..domain.errors import NotFound
from ..domain.hall import Catalog
from ..domain.tickets import local_day
from .accounts import Accounts
from .queue import InvalidInput, QueueService

if TYPE_CHECKING:  # display.service imports the service layer
    from display.media_store import MediaStore
    from display.service import DisplayService


@dataclass(frozen=True)
class HallView:
    """The hall as an editor sees it: its description (limited to a supervisor's agency)."""

    version: int
    description: dict[str, Any]


def _description(repo: Repository) -> dict[str, Any]:
    return hall_to_config(repo.load_catalog(), repo.hall_settings_json())


def export_hall(engine: Engine) -> dict[str, Any]:
    """The stored hall as config.toml's sections (what `antrean config export` writes)."""
    with read_connection(engine) as conn:
        return _description(Repository(conn))


def _visible(actor: Actor, version: int, desc: dict[str, Any]) -> HallView:
    """The part of the description an editor works on: an agency's supervisor sees only its own."""
    own = editor_agency(actor)
    if own is not None:
        desc = {"agencies": [a for a in desc["agencies"] if a["code"] == own],
                "services": [s for s in desc["services"] if s["agency"] == own],
                "counters": [c for c in desc["counters"] if c["agency"] == own]}
    return HallView(version, desc)


def _agency_of(kind: Kind, item: dict[str, Any] | None) -> str | None:
    if item is None:
        return None
    return item.get("code") if kind is Kind.AGENCY else item.get("agency")


class HallAdmin:
    """Hall edits for admins (everything) and supervisors (their agency's services and counters)."""

    def __init__(self, queue: QueueService, accounts: Accounts, displays: DisplayService) -> None:
        self.queue = queue
        self.accounts = accounts
        self.displays = displays

    def view(self, actor: Actor) -> HallView:
        """The description the caller may edit: all of it for admins, their agency's part otherwise."""
        ensure_may_edit(actor, Kind.SERVICE, {actor.agency_code})
        with read_connection(self.queue.engine) as conn:
            repo = Repository(conn)
            return _visible(actor, repo.hall_version(), _description(repo))

    def edit(self, actor: Actor, kind: Kind, code: str, fields: dict[str, Any] | None) -> HallView:
        """Set (None: remove) one agency, service, counter or settings section; refused whole with the reason."""
        if kind is Kind.SETTINGS and code not in SETTINGS_SECTIONS:
            raise NotFound(f"Bagian pengaturan tidak dikenal: {code}", f"Unknown settings section: {code}")
        if fields and "code" in fields and fields["code"] != code:
            raise InvalidInput("Kode tidak boleh diubah; buat yang baru lalu nonaktifkan yang lama",
                               "The code cannot change; create a new item and deactivate the old one")
        with self.queue.engine.begin() as conn:
            repo = Repository(conn)
            now = self.queue.clock()
            before_catalog = repo.load_catalog()
            desc = hall_to_config(before_catalog, repo.hall_settings_json())
            new_desc, before, after = apply_edit(desc, kind, code, fields)
            ensure_may_edit(actor, kind, {_agency_of(kind, before), _agency_of(kind, after)})
            catalog, settings_json = hall_from_config(new_desc)
            day = local_day(now, catalog.settings.timezone)
            check_edit(before_catalog, catalog, TodayFigures(repo.issued_counts(day), repo.prefixes_used(day),
                                                             repo.waiting_counts(day)))
            if not repo.store_hall(catalog, settings_json):
                return _visible(actor, repo.hall_version(), new_desc)
            repo.record_hall_change(now, actor.name, kind.value, code, _agency_of(kind, after or before),
                                    before, after)
            version = repo.hall_version()
        self.queue.announce_hall_change(_changed_services(before_catalog, catalog))
        return _visible(actor, version, new_desc)

    def _audit(self, actor: Actor, kind: str, code: str, agency_code: str | None,
               before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        with self.queue.engine.begin() as conn:
            Repository(conn).record_hall_change(self.queue.clock(), actor.name, kind, code, agency_code, before, after)

    def staff(self, actor: Actor) -> list[dict[str, Any]]:
        """Staff accounts the caller may see: all, or an agency supervisor's own agency's."""
        ensure_may_edit(actor, Kind.SERVICE, {actor.agency_code})
        own = editor_agency(actor)
        return [u for u in self.accounts.staff() if own is None or u["agency_code"] == own]

    def set_user(self, actor: Actor, username: str, password: str | None, role: Role, agency_code: str | None,
                 active: bool | None = None) -> None:
        """Create an account or change its role, agency, active flag (None: unchanged) and password
        (None: unchanged); a new password or a deactivation ends its sessions. Audited without the password."""
        old = next((u for u in self.accounts.staff() if u["username"] == username), None)
        ensure_may_manage_accounts(actor, {role} | ({Role(old["role"])} if old else set()),
                                   {agency_code} | ({old["agency_code"]} if old else set()))
        active = (old["active"] if old else True) if active is None else active
        ensure_keeps_own_access(actor, username, active)
        self.accounts.add_user(username, password, role, agency_code, active)
        before = old and {"role": old["role"], "agency": old["agency_code"], "active": old["active"]}
        after = {"role": role.value, "agency": agency_code, "active": active}
        if password is not None:
            after["password_reset"] = True
        self._audit(actor, "users", username, agency_code, before, after)

    def devices(self, actor: Actor) -> list[dict[str, Any]]:
        """Every kiosk and display (admins only)."""
        ensure_may_manage_devices(actor)
        return self.accounts.devices()

    def set_device(self, actor: Actor, name: str, kind: DeviceKind, agencies: tuple[str, ...]) -> str:
        """Register a kiosk or display, or give it a new token (the old one stops working); the
        token is returned once and never stored or audited."""
        ensure_may_manage_devices(actor)
        catalog = self.queue.catalog()
        for code in agencies:
            catalog.agency(code)
        old = next((d for d in self.accounts.devices() if d["name"] == name), None)
        token = self.accounts.add_device(name, kind, agencies)
        before = old and {"kind": old["kind"], "agencies": old["agencies"]}
        self._audit(actor, "devices", name, None, before, {"kind": kind.value, "agencies": list(agencies)})
        return token

    def set_device_active(self, actor: Actor, name: str, active: bool) -> None:
        """Switch a kiosk or display off (a lost or stolen one: its token stops at once and its open
        sockets are sent `hall`, so their reconnect is refused) or on again; audited."""
        ensure_may_manage_devices(actor)
        before = next((d["active"] for d in self.accounts.devices() if d["name"] == name), None)
        self.accounts.set_device_active(name, active)
        self._audit(actor, "devices", name, None, {"active": before}, {"active": active})
        self.queue.announce_hall_change([])

    def preview_announcement(self, actor: Actor, section: dict[str, Any]) -> dict[str, Any]:
        """A sample call spoken with a draft [announcement], for whoever may edit the settings."""
        ensure_may_edit(actor, Kind.SETTINGS, set())
        return self.displays.preview(section, self.queue.catalog())

    def media(self, actor: Actor) -> list[dict[str, Any]]:
        """The displays' media files (admins only, as devices are)."""
        ensure_may_manage_devices(actor)
        return self.displays.media_store().files()

    def media_store(self, actor: Actor) -> MediaStore:
        """The media folder an admin uploads into (its limit bounds the request body)."""
        ensure_may_manage_devices(actor)
        return self.displays.media_store()

    def add_media(self, actor: Actor, filename: str, stream: IO[bytes]) -> dict[str, Any]:
        """Store one image or video for the displays, audited; the displays then reload their list."""
        ensure_may_manage_devices(actor)
        saved = self.displays.media_store().add(filename, stream)
        self._media_changed(actor, saved["name"], None, saved)
        return saved

    def remove_media(self, actor: Actor, name: str) -> None:
        """Delete one media file, audited; the displays then reload their list."""
        ensure_may_manage_devices(actor)
        self._media_changed(actor, name, self.displays.media_store().remove(name), None)

    def _media_changed(self, actor: Actor, name: str, before: dict[str, Any] | None,
                       after: dict[str, Any] | None) -> None:
        """Audit a media change and send `hall`: displays reconnect and get the new list in `state`."""
        self._audit(actor, "media", name[:40], None, before, after)  # the full name is in before/after
        self.queue.announce_hall_change([])

    def changes(self, actor: Actor, limit: int = 200) -> list[dict[str, Any]]:
        """The audit trail of edits, newest first: an agency's supervisor sees the agency's."""
        ensure_may_edit(actor, Kind.SERVICE, {actor.agency_code})
        with read_connection(self.queue.engine) as conn:
            return Repository(conn).hall_changes(editor_agency(actor), limit)


def _changed_services(before: Catalog, after: Catalog) -> list[str]:
    """Services new or different after an edit (their queue figures go out at once)."""
    return [code for code, svc in after.services.items() if before.services.get(code) != svc]
