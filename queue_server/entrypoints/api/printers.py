"""Admins' printer checks under /api/v1/admin/printers: a test page through the ticket's print path."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from kiosk.payloads import job_json

from ..request import actor, prints, queue

bp = Blueprint("api_printers", __name__)


@bp.post("/admin/printers/<path:name>/test")
def print_test_page(name: str) -> tuple[Response, int]:
    """Queue a test page (admins): 202 with the job; its outcome at GET /print-jobs/<id> and /printers."""
    job = prints().request_test_print(name, actor())
    return jsonify({"job": job_json(job, queue().catalog())}), 202
