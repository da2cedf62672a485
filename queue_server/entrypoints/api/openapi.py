"""OpenAPI 3 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

bp = Blueprint("api_openapi", __name__)

REF = {"code": {"type": "string"}, "name": {"type": "string"}}
ERROR = {"type": "object", "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
    "code": {"type": "string"}, "message": {"type": "string", "description": "Bahasa Indonesia"},
    "message_en": {"type": "string"}}}}}
TICKET = {"type": "object", "properties": {
    "id": {"type": "string", "description": "unguessable"}, "number": {"type": "string", "example": "A-001"},
    "service": {"type": "object", "properties": REF}, "agency": {"type": "object", "properties": REF},
    "status": {"type": "string", "enum": ["waiting", "called", "serving", "done", "no_show", "cancelled"]},
    "status_label": {"type": "string"}, "priority": {"type": "string", "nullable": True},
    "counter": {"type": "object", "nullable": True, "properties": REF}, "recalls": {"type": "integer"},
    "transferred_from": {"type": "object", "nullable": True, "properties": REF},
    "issued_at": {"type": "string", "format": "date-time"}, "called_at": {"type": "string", "nullable": True},
    "started_at": {"type": "string", "nullable": True}, "finished_at": {"type": "string", "nullable": True},
    "position": {"type": "integer", "nullable": True}, "people_ahead": {"type": "integer", "nullable": True},
    "estimated_wait_s": {"type": "integer", "nullable": True}, "track_url": {"type": "string"}}}
SERVICE = {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "prefix": {"type": "string"},
    "agency": {"type": "object", "properties": REF}, "open": {"type": "boolean"},
    "closed_reason": {"type": "string", "nullable": True}, "waiting": {"type": "integer"},
    "issued_today": {"type": "integer"}, "quota": {"type": "integer", "nullable": True},
    "quota_left": {"type": "integer", "nullable": True}, "estimated_wait_s": {"type": "integer"},
    "requirements": {"type": "string"}, "completion_time": {"type": "string"},
    "target_service_s": {"type": "integer"}, "synonyms": {"type": "array", "items": {"type": "string"}}}}
COUNTER = {"type": "object", "properties": {
    "code": {"type": "string"}, "name": {"type": "string"}, "agency": {"type": "object", "properties": REF},
    "services": {"type": "array", "items": {"type": "object", "properties": REF}},
    "status": {"type": "string", "enum": ["idle", "serving", "paused"]},
    "pause_reason": {"type": "string", "nullable": True},
    "ticket": {"$ref": "#/components/schemas/Ticket", "nullable": True}}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": "error", **_json({"$ref": "#/components/schemas/Error"})} for c in codes}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"required": True, **_json({"type": "object", "properties": properties, "required": required})}


def _ok(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"200": {"description": description, **_json(schema)}}


TICKET_REF = {"$ref": "#/components/schemas/Ticket"}
COUNTER_PARAM = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
STAFF = [{"bearer": []}]


def _desk(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "security": STAFF, "parameters": COUNTER_PARAM,
                          "responses": {**_ok(TICKET_REF), **_errors(401, 403, 404, 409, 422)}}
    if body:
        op["requestBody"] = body
    return {"post": op}


def spec() -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Antrean MPP", "version": "1",
                 "description": "Queue server of a Mal Pelayanan Publik. Errors: {error: {code, message}}, "
                                "message in Bahasa Indonesia. Live events over Socket.IO: see docs/API.md."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "staff token from /auth/token, or a device token"}},
            "schemas": {"Error": ERROR, "Ticket": TICKET, "Service": SERVICE, "Counter": COUNTER},
        },
        "paths": {
            "/api/v1/auth/token": {"post": {
                "summary": "Sign in", "requestBody": _body({"username": {"type": "string"},
                                                            "password": {"type": "string"}}, ["username", "password"]),
                "responses": {**_ok({"type": "object", "properties": {
                    "token": {"type": "string"}, "role": {"type": "string"},
                    "agency": {"type": "string", "nullable": True}}}), **_errors(401, 413, 422)}}},
            "/api/v1/services": {"get": {
                "summary": "Services with their queues (public)",
                "responses": _ok({"type": "array", "items": {"$ref": "#/components/schemas/Service"}})}},
            "/api/v1/tickets": {"post": {
                "summary": "Issue a ticket (kiosk device or staff)", "security": STAFF,
                "requestBody": _body({"service": {"type": "string"}, "priority": {"type": "string"}}, ["service"]),
                "responses": {"201": {"description": "issued", **_json(TICKET_REF)},
                              **_errors(401, 403, 404, 409, 413, 422)}}},
            "/api/v1/tickets/{ticket_id}": {"get": {
                "summary": "Follow a ticket (public, by its unguessable id)",
                "parameters": [{"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**_ok(TICKET_REF), **_errors(404)}}},
            **{f"/api/v1/tickets/{{ticket_id}}/{action}": {"post": {
                "summary": f"{action.capitalize()} a ticket (staff of its agency)", "security": STAFF,
                "parameters": [{"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": False, **_json({"type": "object", "properties": {
                    "note": {"type": "string"}}})},
                "responses": {**_ok(TICKET_REF), **_errors(401, 403, 404, 409, 422)}}}
                for action in ("cancel", "reopen")},
            "/api/v1/counters": {"get": {
                "summary": "Counters the caller may operate", "security": STAFF,
                "responses": {**_ok({"type": "array", "items": {"$ref": "#/components/schemas/Counter"}}),
                              **_errors(401, 403)}}},
            "/api/v1/counters/{code}": {"get": {
                "summary": "A counter with the waiting tickets of its services", "security": STAFF,
                "parameters": COUNTER_PARAM,
                "responses": {**_ok({"$ref": "#/components/schemas/Counter"}), **_errors(401, 403, 404)}}},
            "/api/v1/counters/{code}/call-next": {"post": {
                "summary": "Call the next ticket", "security": STAFF, "parameters": COUNTER_PARAM,
                "responses": {**_ok(TICKET_REF), "204": {"description": "nobody waits"},
                              **_errors(401, 403, 404, 409)}}},
            "/api/v1/counters/{code}/call": _desk(
                "Call a chosen waiting ticket (id or today's number)",
                _body({"ticket": {"type": "string"}}, ["ticket"])),
            "/api/v1/counters/{code}/recall": _desk("Call the ticket at the counter again"),
            "/api/v1/counters/{code}/start": _desk("Start serving the called ticket"),
            "/api/v1/counters/{code}/finish": _desk("Finish the ticket at the counter"),
            "/api/v1/counters/{code}/no-show": _desk("Mark the called ticket absent"),
            "/api/v1/counters/{code}/transfer": _desk(
                "Move the ticket into another service's queue (any agency), same number and arrival",
                _body({"service": {"type": "string"}, "note": {"type": "string"}}, ["service"])),
            "/api/v1/counters/{code}/pause": {"post": {
                "summary": "Pause the counter with a reason", "security": STAFF, "parameters": COUNTER_PARAM,
                "requestBody": _body({"reason": {"type": "string"}}, ["reason"]),
                "responses": {**_ok({"$ref": "#/components/schemas/Counter"}), **_errors(401, 403, 404, 409, 422)}}},
            "/api/v1/counters/{code}/resume": {"post": {
                "summary": "Resume a paused counter", "security": STAFF, "parameters": COUNTER_PARAM,
                "responses": {**_ok({"$ref": "#/components/schemas/Counter"}), **_errors(401, 403, 404, 409)}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": _ok({"type": "object"})}},
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    return jsonify(spec())
