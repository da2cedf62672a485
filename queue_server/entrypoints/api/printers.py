"""Admins' printer checks under /api/v1/admin/printers: a test page through the ticket's print path."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from kiosk.payloads import job_json
from printers.service import PrintService

from ..request import actor, queue

bp = Blueprint("api_printers", __name__)


def _prints() -> PrintService:
    return current_app.extensions["antrean.prints"]


@bp.post("/admin/printers/<name>/test")
def print_test_page(name: str) -> tuple[Response, int]:
    """Queue a test page (admins): 202 with the job; its outcome at GET /print-jobs/<id> and /printers."""
    job = _prints().request_test_print(name, actor())
    return jsonify({"job": job_json(job, queue().catalog())}), 202
