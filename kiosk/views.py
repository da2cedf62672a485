"""HTTP: the kiosk page, the phone tracking page with its QR, search, and the print endpoints."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request
from qrcode import QRCode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage

from queue_server.adapters.db import read_connection
from queue_server.adapters.repository import Repository
from queue_server.domain.errors import NotFound
from queue_server.entrypoints.api.tickets import track_url
from queue_server.entrypoints.request import actor, json_body, prints, queue, text_field

from .payloads import job_json, printer_json, ticket_place_json
from .presentation import kiosk_page_data
from .search import search

pages = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/kiosk/static")
api = Blueprint("api_print", __name__)


def _page_data() -> dict[str, Any]:
    q = queue()
    with read_connection(q.engine) as conn:
        repo = Repository(conn)
        settings_json, version = repo.hall_settings_json(), repo.hall_version()
    return kiosk_page_data(q.catalog(), settings_json, version)


@pages.get("/kiosk")
def kiosk_page() -> str:
    """The kiosk (paired by ?token=<kiosk device token>, remembered by the browser)."""
    return render_template("kiosk.html", data=_page_data())


@pages.get("/kiosk/data")
def kiosk_data() -> Response:
    """The page's tiles, counters and priority categories again: a kiosk refetches them after an
    admin edit or a reconnect, so a new agency's tile appears without a reload."""
    return jsonify(_page_data())


@pages.get("/kiosk/search")
def kiosk_search() -> Response:
    """Service codes for the words typed on the kiosk, best first."""
    catalog = queue().catalog()
    query = request.args.get("q", "")[:60]
    return jsonify({"query": query, "services": search(query, catalog.services.values(), catalog.agencies)})


@pages.get("/t/<ticket_id>")
def track_page(ticket_id: str) -> tuple[str, int]:
    """A ticket followed on the visitor's phone; the page renders without script, then goes live."""
    q = queue()
    try:
        view = q.ticket_status(ticket_id)
    except NotFound:
        return render_template("track.html", ticket=None), 404
    return render_template("track.html", ticket=ticket_place_json(view, q.catalog())), 200


@pages.get("/t/<ticket_id>/qr.svg")
def track_qr(ticket_id: str) -> Response:
    """The tracking URL as a QR code, drawn here (the hall has no internet)."""
    queue().ticket_status(ticket_id)
    code = QRCode(error_correction=ERROR_CORRECT_M, border=2, image_factory=SvgPathImage)
    code.add_data(track_url(ticket_id))
    return Response(code.make_image().to_string(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=86400"})


@api.post("/tickets/<ticket_id>/print")
def print_ticket(ticket_id: str) -> tuple[Response, int]:
    """Print a ticket: once by the kiosk that issued it, again only by staff (optional `printer`)."""
    who = actor()
    body = json_body() if request.content_length else {}
    printer = text_field(body, "printer", required=False, max_len=100)
    job = prints().request_print(ticket_id, who, track_url(ticket_id), printer)
    return jsonify({"job": job_json(job, queue().catalog()) if job else None}), 201 if job else 200


@api.get("/print-jobs/<job_id>")
def print_job(job_id: str) -> Response:
    """A print job's state (kiosks poll it if their socket missed the event)."""
    actor().ensure_may_issue()
    return jsonify(job_json(prints().job(job_id), queue().catalog()))


@api.get("/printers")
def printer_list() -> Response:
    """Printers with their last known state and the latest jobs (staff)."""
    actor().ensure_staff()
    catalog = queue().catalog()
    settings, statuses, jobs = prints().overview()
    return jsonify({"printers": [printer_json(p, statuses.get(p.name), catalog) for p in settings.printers],
                    "jobs": [job_json(j, catalog) for j in jobs]})
