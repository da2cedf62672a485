"""The services a visitor can queue for, with their queues now (public: the kiosk's list)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..payloads import queue_json
from ..request import queue

bp = Blueprint("api_services", __name__)


@bp.get("/services")
def list_services() -> Response:
    """Every service with open/closed, waiting, quota left and estimated wait."""
    q = queue()
    catalog = q.catalog()
    return jsonify([queue_json(item, catalog) for item in q.service_queues()])
