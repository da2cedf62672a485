"""Issuing tickets (kiosk or staff), following one (public by id), cancel/re-open (staff)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from ...domain.tickets import Action
from ..payloads import ticket_json
from ..request import actor, json_body, queue, text_field

bp = Blueprint("api_tickets", __name__)


def track_url(ticket_id: str) -> str:
    """Where the ticket's QR code points: the hall's public URL, else the one the request came on."""
    base = current_app.extensions["antrean.settings"].public_url or request.host_url.rstrip("/")
    return f"{base}/t/{ticket_id}"


@bp.post("/tickets")
def issue() -> tuple[Response, int]:
    """Take the next number of a service; 409 with the reason when closed or over quota."""
    who = actor()
    who.ensure_may_issue()
    body = json_body()
    service = text_field(body, "service", max_len=40) or ""
    priority = text_field(body, "priority", required=False, max_len=40)
    q = queue()
    issued = q.issue(service, who, priority)
    return jsonify({
        **ticket_json(issued.ticket, q.catalog()),
        "position": issued.estimate.people_ahead + 1,
        "people_ahead": issued.estimate.people_ahead,
        "estimated_wait_s": issued.estimate.seconds,
        "track_url": track_url(issued.ticket.id),
    }), 201


@bp.get("/tickets/<ticket_id>")
def status(ticket_id: str) -> Response:
    """A ticket by its unguessable id: status, position and wait, or the counter when called."""
    q = queue()
    view = q.ticket_status(ticket_id)
    return jsonify({
        **ticket_json(view.ticket, q.catalog()),
        "position": view.estimate.people_ahead + 1 if view.estimate else None,
        "people_ahead": view.estimate.people_ahead if view.estimate else None,
        "estimated_wait_s": view.estimate.seconds if view.estimate else None,
        "track_url": track_url(view.ticket.id),
    })


@bp.post("/tickets/<ticket_id>/<any(cancel, reopen):action>")
def change(ticket_id: str, action: str) -> Response:
    """Staff cancel a ticket, or re-open a no-show who turned up after all."""
    who = actor()
    who.ensure_staff()
    body = json_body() if request.content_length else {}
    note = text_field(body, "note", required=False, max_len=500) or ""
    q = queue()
    ticket = q.change_ticket(ticket_id, Action(action), who, note)
    return jsonify(ticket_json(ticket, q.catalog()))
