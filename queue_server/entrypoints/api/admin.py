"""The hall's administration: /api/v1/admin (admins everything, supervisors their agency)."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from ...domain.access import DeviceKind, Role
from ...domain.admin import Kind
from ...service_layer.admin import HallView
from ...service_layer.queue import InvalidInput
from ..payloads import local_iso
from ..request import actor, hall_admin, json_body, queue, text_field

bp = Blueprint("api_admin", __name__)
E = TypeVar("E", bound=Enum)


def _view(view: HallView) -> Response:
    return jsonify({"version": view.version, "hall": view.description})


@bp.get("/admin/hall")
def hall() -> Response:
    """The hall description the caller may edit, config-shaped, with its version."""
    return _view(hall_admin().view(actor()))


@bp.put("/admin/<any(agencies, services, counters, settings):kind>/<code>")
def edit(kind: str, code: str) -> Response:
    """Create or change one agency, service, counter or settings section (fields as in config.toml)."""
    return _view(hall_admin().edit(actor(), Kind(kind), code, json_body()))


@bp.delete("/admin/<any(agencies, services, counters, settings):kind>/<code>")
def remove(kind: str, code: str) -> Response:
    """Remove one item (retired: tickets keep referring to it) or settings section."""
    return _view(hall_admin().edit(actor(), Kind(kind), code, None))


@bp.get("/admin/changes")
def changes() -> Response:
    """The audit trail of hall edits, newest first."""
    catalog = queue().catalog()
    return jsonify([{**entry, "at": local_iso(entry["at"], catalog)} for entry in hall_admin().changes(actor())])


def _choice(body: dict[str, Any], name: str, kind: type[E]) -> E:
    """An enum field of the body (role, kind), or InvalidInput (422)."""
    try:
        return kind(body.get(name))
    except ValueError:
        choices = ", ".join(item.value for item in kind)  # type: ignore[attr-defined]
        raise InvalidInput(f"Isian '{name}' harus salah satu dari: {choices}",
                           f"Field '{name}' must be one of: {choices}") from None


@bp.get("/admin/users")
def users() -> Response:
    """Staff accounts the caller may manage (no password hashes)."""
    return jsonify(hall_admin().staff(actor()))


@bp.put("/admin/users/<username>")
def set_user(username: str) -> Response:
    """Create an account or change its role, agency, `active` and password (omitted or empty:
    unchanged; required for a new account); a new password or a deactivation ends its sessions."""
    body = json_body()
    active = body.get("active")
    if active is not None and not isinstance(active, bool):
        raise InvalidInput("Isian 'active' harus true atau false", "Field 'active' must be true or false")
    hall_admin().set_user(actor(), username, text_field(body, "password", required=False, max_len=1024, strip=False),
                          _choice(body, "role", Role), text_field(body, "agency", required=False, max_len=40), active)
    return jsonify(hall_admin().staff(actor()))


@bp.get("/admin/devices")
def devices() -> Response:
    """Kiosks and displays (admins only; no token hashes)."""
    return jsonify(hall_admin().devices(actor()))


@bp.put("/admin/devices/<name>")
def set_device(name: str) -> Response:
    """Register a kiosk or display, or replace its token; the token is in this answer only."""
    body = json_body()
    agencies = body.get("agencies", [])
    if not (isinstance(agencies, list) and all(isinstance(a, str) for a in agencies)):
        raise InvalidInput("Isian 'agencies' harus daftar kode agensi", "Field 'agencies' must be a list of codes")
    token = hall_admin().set_device(actor(), name, _choice(body, "kind", DeviceKind), tuple(agencies))
    return jsonify({"name": name, "token": token})


@bp.put("/admin/devices/<name>/active")
def set_device_active(name: str) -> Response:
    """Switch a kiosk or display off (its token stops working, its sockets are dropped) or on again."""
    active = json_body().get("active")
    if not isinstance(active, bool):
        raise InvalidInput("Isian 'active' harus true atau false", "Field 'active' must be true or false")
    hall_admin().set_device_active(actor(), name, active)
    return jsonify(hall_admin().devices(actor()))


@bp.post("/admin/announcement/preview")
def preview_announcement() -> Response:
    """A sample call spoken with a draft [announcement] section (the body), before it is saved."""
    return jsonify(hall_admin().preview_announcement(actor(), json_body()))


@bp.get("/admin/media")
def media() -> Response:
    """The displays' media files: name, size, kind (admins only)."""
    return jsonify(hall_admin().media(actor()))


MULTIPART_SLACK = 64 * 1024  # the form's own bytes around the file


@bp.post("/admin/media")
def upload_media() -> tuple[Response, int]:
    """Upload one image or video (multipart field `file`); the displays reload their list."""
    store = hall_admin().media_store(actor())
    request.max_content_length = store.max_bytes + MULTIPART_SLACK
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise store.too_large() from None
    if upload is None:
        raise InvalidInput("Kirim berkas dalam isian 'file' (multipart/form-data)",
                           "Send the file in the 'file' field (multipart/form-data)")
    return jsonify(hall_admin().add_media(actor(), upload.filename or "", upload.stream)), 201


@bp.delete("/admin/media/<path:name>")
def remove_media(name: str) -> Response:
    """Delete one media file; the displays reload their list."""
    hall_admin().remove_media(actor(), name)
    return jsonify(hall_admin().media(actor()))
