"""Every error of the API as {"error": {"code", "message"}} with the message in Bahasa Indonesia."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from ..domain.access import Forbidden
from ..domain.admin import EditRefused, FileTooLarge
from ..domain.errors import DomainError, InvalidConfig, InvalidTransition, IssueRefused, NotFound
from ..domain.signin import TooManyAttempts
from ..service_layer.accounts import Unauthorized
from ..service_layer.queue import InvalidInput

log = logging.getLogger(__name__)

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (IssueRefused, 409), (InvalidTransition, 409),
    (EditRefused, 409), (InvalidInput, 422), (InvalidConfig, 422), (FileTooLarge, 413), (TooManyAttempts, 429),
]
HTTP_MESSAGES = {
    400: ("bad_request", "Permintaan tidak dapat dibaca", "Bad request"),
    404: ("not_found", "Alamat tidak ditemukan", "Not found"),
    405: ("method_not_allowed", "Metode tidak diizinkan untuk alamat ini", "Method not allowed"),
    413: ("payload_too_large", "Isi permintaan terlalu besar (maksimal 64 KB)", "Request body too large (64 KB max)"),
    415: ("unsupported_media_type", "Isi permintaan harus JSON", "Request body must be JSON"),
    429: ("too_many_requests", "Terlalu banyak percobaan; tunggu sebentar", "Too many attempts; wait a moment"),
}


def status_of(exc: DomainError) -> int:
    """The HTTP status of a domain error (400 for one not listed)."""
    return next((s for cls, s in STATUS_OF if isinstance(exc, cls)), 400)


def error_response(status: int, code: str, message: str, message_en: str = "") -> tuple[Response, int]:
    """The one error body of the API."""
    return jsonify({"error": {"code": code, "message": message, "message_en": message_en or message}}), status


def register_error_handlers(app: Flask) -> None:
    """Map domain errors and HTTP errors to JSON; unexpected errors to a logged 500."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):  # type: ignore[no-untyped-def]
        return error_response(status_of(exc), exc.code, exc.message, exc.message_en)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        code, message, message_en = HTTP_MESSAGES.get(exc.code or 500, ("http_error", exc.name, exc.name))
        return error_response(exc.code or 500, code, message, message_en)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Terjadi kesalahan pada server", "Internal server error")
