"""The audit trail for supervisors: who did what, when and from which counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from flask import Blueprint, Response, jsonify, request

from ...service_layer.queue import InvalidInput
from ..payloads import audit_entry_json
from ..request import actor, queue

bp = Blueprint("api_audit", __name__)
MAX_LIMIT = 1000
T = TypeVar("T")


def _arg(name: str, parse: Callable[[str], T], what: str) -> T | None:
    """A query argument parsed, None when absent, InvalidInput (422) when malformed."""
    value = request.args.get(name)
    if not value:
        return None
    try:
        return parse(value)
    except ValueError:
        raise InvalidInput(f"Parameter '{name}' harus {what}", f"Parameter '{name}' must be {what}") from None


@bp.get("/audit")
def audit() -> Response:
    """A day's audit trail (today by default), newest first; `before` pages back, `limit` ≤ 1000."""
    before = _arg("before", datetime.fromisoformat, "waktu ISO 8601")
    if before is not None and before.tzinfo is None:
        raise InvalidInput("Parameter 'before' harus memuat zona waktu", "Parameter 'before' needs a time zone")
    limit = min(_arg("limit", int, "bilangan bulat") or 200, MAX_LIMIT)
    q = queue()
    entries = q.audit(actor(), day=_arg("day", date.fromisoformat, "tanggal YYYY-MM-DD"),
                      counter_code=request.args.get("counter") or None, user=request.args.get("user") or None,
                      before=before, limit=max(1, limit))
    catalog = q.catalog()
    return jsonify([audit_entry_json(e, catalog) for e in entries])
