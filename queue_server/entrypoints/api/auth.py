"""Sign-in: a username and password for a bearer token."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..request import accounts, json_body, text_field

bp = Blueprint("api_auth", __name__)


@bp.post("/auth/token")
def token() -> Response:
    """Exchange username and password for a bearer token valid for a working day (throttled: 429)."""
    body = json_body()
    username = text_field(body, "username", max_len=64) or ""
    password = text_field(body, "password", max_len=1024, strip=False) or ""
    tok, who = accounts().sign_in(username, password, request.remote_addr or "")
    return jsonify({"token": tok, "role": who.role.value if who.role else None, "agency": who.agency_code,
                    "username": who.name})
