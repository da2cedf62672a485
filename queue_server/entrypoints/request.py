"""Small helpers every view uses: who is asking, and the JSON body, checked."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request

from printers.service import PrintService

from ..domain.access import Actor
from ..service_layer.accounts import Accounts, Unauthorized
from ..service_layer.admin import HallAdmin
from ..service_layer.queue import InvalidInput, QueueService


def queue() -> QueueService:
    """This app's queue service."""
    return current_app.extensions["antrean.queue"]


def prints() -> PrintService:
    """This app's print service (kiosk tickets, reprints, admins' test pages)."""
    return current_app.extensions["antrean.prints"]


def hall_admin() -> HallAdmin:
    """This app's hall editor (/admin)."""
    return current_app.extensions["antrean.admin"]


def accounts() -> Accounts:
    """This app's accounts."""
    return current_app.extensions["antrean.accounts"]


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def actor() -> Actor:
    """The authenticated person or device, or Unauthorized (401)."""
    if "actor" not in g:
        token = bearer_token()
        if token is None:
            raise Unauthorized("Perlu masuk terlebih dahulu (header Authorization: Bearer)",
                               "Authentication required (Authorization: Bearer)")
        g.actor = accounts().actor(token)
    return g.actor


def json_body() -> dict[str, Any]:
    """The request's JSON object, or InvalidInput (422)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("Isi permintaan harus objek JSON", "The request body must be a JSON object")
    return data


def text_field(body: dict[str, Any], name: str, required: bool = True, max_len: int = 200,
               strip: bool = True) -> str | None:
    """A string field of the body: present when required, a string, not too long."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InvalidInput(f"Isian '{name}' wajib diisi", f"Field '{name}' is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Isian '{name}' harus berupa teks", f"Field '{name}' must be a string")
    if len(value) > max_len:
        raise InvalidInput(f"Isian '{name}' terlalu panjang (maksimal {max_len})", f"Field '{name}' is too long")
    return value.strip() if strip else value
