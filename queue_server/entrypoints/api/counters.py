"""Counter actions: call next, call a chosen number, recall, start, finish, no-show, transfer, pause."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ...domain.tickets import Action
from ..payloads import audit_entry_json, counter_view_json, ticket_json
from ..request import actor, json_body, queue, text_field

bp = Blueprint("api_counters", __name__)

DESK_ACTIONS = {"recall": Action.RECALL, "start": Action.START, "finish": Action.FINISH,
                "no-show": Action.NO_SHOW}


def _staff():  # type: ignore[no-untyped-def]
    who = actor()
    who.ensure_staff()
    return who


def _ticket_response(ticket) -> Response:  # type: ignore[no-untyped-def]
    return jsonify(ticket_json(ticket, queue().catalog()))


def _counter_response(code: str) -> Response:
    q = queue()
    view = next(v for v in q.counters(_staff()) if v.counter.code == code)
    return jsonify(counter_view_json(view, q.catalog()))


@bp.get("/counters")
def list_counters() -> Response:
    """Counters the caller may operate, with status and current ticket."""
    q = queue()
    return jsonify([counter_view_json(v, q.catalog()) for v in q.counters(_staff())])


@bp.get("/counters/<code>")
def show(code: str) -> Response:
    """One counter with the waiting tickets of the services it serves (the console's list)."""
    q = queue()
    who = _staff()
    counter = q.catalog().counter(code)
    who.ensure_may_act_for(counter.agency_code)
    view = next(v for v in q.counters(who) if v.counter.code == code)
    catalog = q.catalog()
    return jsonify({**counter_view_json(view, catalog),
                    "waiting": [ticket_json(t, catalog) for t in q.waiting(counter.service_codes)]})


@bp.post("/counters/<code>/call-next")
def call_next(code: str) -> Response | tuple[str, int]:
    """Call the next ticket; 204 when nobody waits."""
    ticket = queue().call_next(code, _staff())
    return ("", 204) if ticket is None else _ticket_response(ticket)


@bp.post("/counters/<code>/call")
def call(code: str) -> Response:
    """Call a chosen waiting ticket, by id or by today's number."""
    who = _staff()
    ref = text_field(json_body(), "ticket", max_len=40) or ""
    return _ticket_response(queue().call(code, ref, who))


@bp.post("/counters/<code>/<any(recall, start, finish, 'no-show'):action>")
def desk_action(code: str, action: str) -> Response:
    """Recall, start, finish or mark no-show the ticket at the counter."""
    return _ticket_response(queue().act(code, DESK_ACTIONS[action], _staff()))


@bp.post("/counters/<code>/finish-and-call-next")
def finish_and_call_next(code: str) -> Response:
    """Auto-call: finish the ticket at the counter and call the next one, in one step."""
    finished, following = queue().finish_and_call_next(code, _staff())
    catalog = queue().catalog()
    return jsonify({"finished": ticket_json(finished, catalog),
                    "next": ticket_json(following, catalog) if following else None})


@bp.get("/counters/<code>/today")
def today(code: str) -> Response:
    """What the counter let go of today (finished, no-show, transferred), newest first."""
    q = queue()
    catalog = q.catalog()
    return jsonify([audit_entry_json(e, catalog) for e in q.counter_day(code, _staff())])


@bp.post("/counters/<code>/transfer")
def transfer(code: str) -> Response:
    """Move the ticket at the counter into another service's queue (any agency), same number."""
    who = _staff()
    body = json_body()
    service = text_field(body, "service", max_len=40) or ""
    note = text_field(body, "note", required=False, max_len=500) or ""
    return _ticket_response(queue().act(code, Action.TRANSFER, who, service_code=service, note=note))


@bp.post("/counters/<code>/pause")
def pause(code: str) -> Response:
    """Pause the counter with a reason."""
    who = _staff()
    queue().pause(code, text_field(json_body(), "reason", max_len=200) or "", who)
    return _counter_response(code)


@bp.post("/counters/<code>/resume")
def resume(code: str) -> Response:
    """Resume a paused counter."""
    queue().resume(code, _staff())
    return _counter_response(code)
