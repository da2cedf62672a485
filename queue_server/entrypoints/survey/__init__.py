"""The SKM survey for visitors: the counter's tablet (/survey/<counter>) and the phone (/survey/t/<ticket>).

No sign-in: a finished ticket's unguessable id is what lets its holder answer, once. The tablet
page shows the survey of the ticket just finished at its counter and reloads itself (Socket.IO
namespace /survey) when the officer finishes the next one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_socketio import Namespace, SocketIO, join_room
from werkzeug.wrappers import Response as BaseResponse

from kiosk.sockets import publish_also

from ...domain import skm
from ...domain.errors import DomainError
from ...domain.events import Event, TicketChanged
from ...domain.hall import Catalog
from ...domain.tickets import Action
from ...service_layer.queue import InvalidInput
from ...service_layer.reports import ReportService, SurveyTicket
from ..errors import status_of
from ..request import queue

bp = Blueprint("survey", __name__, template_folder="templates", static_folder="static",
               static_url_path="/survey/static")
NAMESPACE = "/survey"


def _service() -> ReportService:
    return ReportService(queue())


def _room(counter_code: str) -> str:
    return f"survey:{counter_code}"


@bp.errorhandler(DomainError)
def _refused(exc: DomainError) -> tuple[str, int]:
    return render_template("survey/message.html", error=exc, back=request.form.get("back", "")), status_of(exc)


def _form(offered: SurveyTicket, channel: str, back: str = "") -> dict[str, Any]:
    catalog = queue().catalog()
    ticket = offered.ticket
    return {"offered": offered, "service": catalog.services[ticket.service_code],
            "agency": catalog.agencies[offered.agency_code], "elements": skm.ELEMENTS, "scale": skm.SCALE,
            "quick_scale": skm.QUICK_SCALE, "channel": channel, "back": back}


@bp.get("/survey/<counter_code>")
def counter_survey(counter_code: str) -> str:
    """The tablet at a counter: the survey of the ticket finished there last, or a greeting once that
    visitor has answered or tapped a quick rating."""
    counter = queue().catalog().counter(counter_code)
    offered = _service().latest_at_counter(counter.code)
    return render_template("survey/form.html", counter=counter,
                           **(_form(offered, "counter", url_for("survey.counter_survey", counter_code=counter.code))
                              if offered and not (offered.answered or offered.quick_rated) else {"offered": None}))


@bp.get("/survey/t/<ticket_id>")
def ticket_survey(ticket_id: str) -> str:
    """The survey on the visitor's phone, linked from the tracking page once the ticket is finished."""
    offered = _service().survey_ticket(ticket_id)
    if offered.answered:
        return render_template("survey/message.html", thanks=True, back="")
    return render_template("survey/form.html", counter=None, **_form(offered, "phone"))


def _back() -> str:
    """Where a tablet returns after the thank-you (its own survey page only)."""
    back = request.form.get("back", "")
    return back if back.startswith("/survey/") and "//" not in back else ""


@bp.post("/survey/t/<ticket_id>")
def answer(ticket_id: str) -> str:
    """The nine scores and the comment; a second answer for the ticket is refused (409)."""
    try:
        scores = [int(request.form.get(name, "0")) for name in ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")]
    except ValueError as exc:
        raise InvalidInput("Nilai harus angka 1 sampai 4", "Scores must be 1 to 4") from exc
    _service().answer(ticket_id, scores, request.form.get("comment", ""), request.form.get("channel", "phone"))
    return render_template("survey/message.html", thanks=True, back=_back())


@bp.post("/survey/t/<ticket_id>/quick")
def quick(ticket_id: str) -> str | BaseResponse:
    """One tap: happy, okay or unhappy; kept apart from the index."""
    try:
        score = int(request.form.get("score", "0"))
    except ValueError as exc:
        raise InvalidInput("Nilai cepat harus 1, 2 atau 3", "A quick rating is 1, 2 or 3") from exc
    _service().quick_rate(ticket_id, score)
    back = _back()
    return render_template("survey/message.html", thanks=True, back=back) if back else redirect(
        url_for("survey.ticket_survey", ticket_id=ticket_id, quick=1))


class SurveyNamespace(Namespace):
    """Counter tablets waiting for the next finished ticket."""

    def on_connect(self, auth: Any = None) -> bool:
        counter_code = auth.get("counter") if isinstance(auth, dict) else None
        if not isinstance(counter_code, str) or counter_code not in queue().catalog().counters:
            return False
        join_room(_room(counter_code))
        return True


def _announcer(socketio: SocketIO) -> Any:
    """A publisher telling a counter's tablet that a ticket was just finished there."""
    def publish(events: list[Event], catalog: Catalog) -> None:
        for event in events:
            if isinstance(event, TicketChanged) and event.action == Action.FINISH.value and event.ticket.counter_code:
                socketio.emit("finished", {"ticket": event.ticket.id}, namespace=NAMESPACE,
                              to=_room(event.ticket.counter_code))
    return publish


def init_app(app: Flask) -> None:
    """Add the survey pages and the /survey namespace; finished tickets are announced to tablets."""
    socketio = app.extensions["antrean.socketio"]
    service = app.extensions["antrean.queue"]
    service.publish = publish_also(service.publish, _announcer(socketio))
    socketio.on_namespace(SurveyNamespace(NAMESPACE))
    app.register_blueprint(bp)
