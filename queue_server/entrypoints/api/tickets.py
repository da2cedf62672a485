"""Issuing tickets (kiosk or staff), following one (public by id), cancel/re-open (staff)."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, request

from ...domain.tickets import Action, Status
from ...service_layer.queue import InvalidInput
from ..payloads import place_json, ticket_json
from ..request import actor, json_body, queue, text_field

bp = Blueprint("api_tickets", __name__)


def track_url(ticket_id: str) -> str:
    """Where the ticket's QR code points: the hall's public URL, else the one the request came on."""
    base = current_app.extensions["antrean.settings"].public_url or request.host_url.rstrip("/")
    return f"{base}/t/{ticket_id}"


REQUEST_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _request_key() -> str | None:
    """The optional Idempotency-Key header: one per "take a number", the same on its retries."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not REQUEST_KEY.fullmatch(key):
        raise InvalidInput("Idempotency-Key harus 8-64 huruf, angka, '-' atau '_'",
                           "Idempotency-Key must be 8-64 letters, digits, '-' or '_'")
    return key


@bp.post("/tickets")
def issue() -> tuple[Response, int]:
    """Take the next number of a service; 409 with the reason when closed or over quota; a retry
    with the same Idempotency-Key answers 200 with the ticket the first try issued."""
    who = actor()
    who.ensure_may_issue()
    body = json_body()
    service = text_field(body, "service", max_len=40) or ""
    priority = text_field(body, "priority", required=False, max_len=40)
    q = queue()
    issued = q.issue(service, who, priority, _request_key())
    return jsonify({
        **ticket_json(issued.ticket, q.catalog()),
        **place_json(issued.estimate),
        "track_url": track_url(issued.ticket.id),
    }), 200 if issued.replayed else 201


@bp.get("/tickets/<ticket_id>")
def status(ticket_id: str) -> Response:
    """A ticket by its unguessable id: status, position and wait, or the counter when called."""
    q = queue()
    view = q.ticket_status(ticket_id)
    return jsonify({
        **ticket_json(view.ticket, q.catalog()),
        **place_json(view.estimate),
        "track_url": track_url(view.ticket.id),
    })


@bp.post("/tickets/<ticket_id>/<any(cancel, reopen, transfer):action>")
def change(ticket_id: str, action: str) -> Response:
    """Staff cancel a ticket, re-open a no-show who turned up after all, or transfer it to `service`."""
    who = actor()
    who.ensure_staff()
    body = json_body() if request.content_length or action == "transfer" else {}
    note = text_field(body, "note", required=False, max_len=500) or ""
    service = text_field(body, "service", max_len=40) if action == "transfer" else None
    q = queue()
    ticket = q.change_ticket(ticket_id, Action(action), who, note, service)
    return jsonify(ticket_json(ticket, q.catalog()))


@bp.get("/tickets")
def list_today() -> Response:
    """Today's tickets of the caller's agency (all, for the hall), by `status` (comma-separated, default waiting)."""
    who = actor()
    wanted = request.args.get("status", Status.WAITING.value).split(",")
    try:
        statuses = tuple(Status(s.strip()) for s in wanted if s.strip())
    except ValueError:
        raise InvalidInput("Status tidak dikenal: " + request.args["status"],
                           "Unknown status: " + request.args["status"]) from None
    q = queue()
    catalog = q.catalog()
    return jsonify([ticket_json(t, catalog) for t in q.tickets_today(who, statuses)])
