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
    "ticket": {"$ref": "#/components/schemas/Ticket", "nullable": True},
    "actions": {"type": "object", "description": "console actions (call, recall, start, finish, no_show, transfer, "
                "pause, resume): whether each fits now, and if not why", "additionalProperties": {
                    "type": "object", "properties": {"allowed": {"type": "boolean"},
                                                     "reason": {"type": "string", "nullable": True},
                                                     "reason_en": {"type": "string", "nullable": True}}}}}}
AUDIT_ENTRY = {"type": "object", "properties": {
    "at": {"type": "string", "format": "date-time"}, "source": {"type": "string", "enum": ["ticket", "counter", "staff"]},
    "action": {"type": "string"}, "action_label": {"type": "string"}, "action_label_en": {"type": "string"},
    "actor": {"type": "string", "nullable": True}, "counter": {"type": "object", "nullable": True, "properties": REF},
    "detail": {"type": "string", "nullable": True}, "address": {"type": "string", "nullable": True},
    "ticket": {"type": "object", "nullable": True, "properties": {
        "id": {"type": "string"}, "number": {"type": "string"}, "status": {"type": "string"},
        "service": {"type": "object", "properties": REF}}}}}

ADMIN_ITEM = [
    {"name": "kind", "in": "path", "required": True,
     "schema": {"type": "string", "enum": ["agencies", "services", "counters", "settings"]}},
    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
     "description": "the item's code, or a section: hall, priority, announcement, display, kiosk, printers"}]
HALL_VIEW = {"type": "object", "properties": {
    "version": {"type": "integer", "description": "hall.version after the edit"},
    "hall": {"type": "object", "description": "config.toml's sections: hall, priority, announcement, display, "
             "kiosk, printers, agencies, services, counters"}}}

STAFF_ACCOUNT = {"type": "object", "properties": {
    "username": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "supervisor", "officer"]},
    "agency_code": {"type": "string", "nullable": True}, "active": {"type": "boolean"}}}


# Reports (docs/REPORTS.md): the same figures as the /reports pages; durations in exact seconds
REPORT_PARAMS = [
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "first local day (default: the 1st of `to`'s month)"},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "last local day, inclusive (default: today); at most 400 days from `from`"},
    {"name": "agency", "in": "query", "schema": {"type": "string"},
     "description": "one agency (admins, hall supervisors); an agency's supervisor sees only their own (403)"}]
REPORT_HEAD = {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
               "by": {"type": "string"}, "agency": {"type": "object", "nullable": True, "properties": REF}}
DURATIONS = {"type": "object", "properties": {"count": {"type": "integer"}, **{
    k: {"type": "number", "nullable": True} for k in ("mean", "median", "p90")}}}
REPORT_ROW = {"type": "object", "properties": {
    "key": {"type": "string", "nullable": True, "description": "code or officer; null: never called"},
    "label": {"type": "string"}, **{k: {"type": "integer"} for k in (
        "issued", "served", "no_show", "cancelled", "transferred", "within_target")},
    "share_within_target": {"type": "number", "nullable": True}, "wait_s": DURATIONS, "service_s": DURATIONS,
    "pause_s": {"type": "number", "nullable": True, "description": "by counter or officer only"},
    "idle_s": {"type": "number", "nullable": True, "description": "by counter or officer only"}}}
SKM_ROW = {"type": "object", "properties": {
    "key": {"type": "string", "nullable": True}, "label": {"type": "string"}, "respondents": {"type": "integer"},
    "totals": {"type": "array", "items": {"type": "integer"}, "description": "sum of scores per element"},
    "nrr": {"type": "array", "nullable": True, "items": {"type": "number"}},
    "ikm": {"type": "number", "nullable": True, "description": "two decimals, as printed"},
    "category": {"type": "object", "nullable": True, "properties": {
        "letter": {"type": "string", "enum": ["A", "B", "C", "D"]}, "name": {"type": "string"},
        "name_en": {"type": "string"}}}}}

def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": "error", **_json({"$ref": "#/components/schemas/Error"})} for c in codes}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"required": True, **_json({"type": "object", "properties": properties, "required": required})}


def _ok(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"200": {"description": description, **_json(schema)}}


MEDIA_FILE = {"type": "object", "properties": {
    "name": {"type": "string"}, "size": {"type": "integer"}, "kind": {"type": "string", "enum": ["image", "video"]}}}
PRINT_JOB = {"type": "object", "properties": {
    "id": {"type": "string"}, "ticket_id": {"type": "string", "nullable": True}, "number": {"type": "string"},
    "printer": {"type": "string"}, "kind": {"type": "string", "enum": ["ticket", "reprint", "test"]},
    "state": {"type": "string", "enum": ["queued", "printing", "printed", "failed"]},
    "attempts": {"type": "integer"}, "failure": {"type": "string", "nullable": True},
    "error": {"type": "string", "nullable": True}, "requested_by": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"}, "finished_at": {"type": "string", "nullable": True}}}
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
            "schemas": {"Error": ERROR, "Ticket": TICKET, "Service": SERVICE, "Counter": COUNTER,
                        "PrintJob": PRINT_JOB},
        },
        "paths": {
            "/api/v1/auth/token": {"post": {
                "summary": "Sign in", "requestBody": _body({"username": {"type": "string"},
                                                            "password": {"type": "string"}}, ["username", "password"]),
                "responses": {**_ok({"type": "object", "properties": {
                    "token": {"type": "string"}, "role": {"type": "string"},
                    "agency": {"type": "string", "nullable": True}}}), **_errors(401, 413, 422, 429)}}},
            "/api/v1/services": {"get": {
                "summary": "Services with their queues (public)",
                "responses": _ok({"type": "array", "items": {"$ref": "#/components/schemas/Service"}})}},
            "/api/v1/tickets": {"post": {
                "summary": "Issue a ticket (kiosk device or staff)", "security": STAFF,
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
                                "description": "one per 'take a number'; its retries get the same ticket"}],
                "requestBody": _body({"service": {"type": "string"}, "priority": {"type": "string"}}, ["service"]),
                "responses": {"201": {"description": "issued", **_json(TICKET_REF)},
                              "200": {"description": "a retry: the ticket this Idempotency-Key got",
                                      **_json(TICKET_REF)},
                              **_errors(401, 403, 404, 409, 413, 422)}},
                "get": {"summary": "Today's tickets of the caller's agency (all for the hall), oldest first",
                        "security": STAFF, "parameters": [{
                            "name": "status", "in": "query", "schema": {"type": "string", "default": "waiting"},
                            "description": "comma-separated statuses"}],
                        "responses": {**_ok({"type": "array", "items": TICKET_REF}), **_errors(401, 403, 422)}}},
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
            "/api/v1/tickets/{ticket_id}/transfer": {"post": {
                "summary": "Move a ticket into another service's queue (any agency), same number and arrival",
                "security": STAFF,
                "parameters": [{"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": _body({"service": {"type": "string"}, "note": {"type": "string"}}, ["service"]),
                "responses": {**_ok(TICKET_REF), **_errors(401, 403, 404, 409, 422)}}},
            "/api/v1/audit": {"get": {
                "summary": "A day's audit trail, newest first (supervisors: their agency; hall supervisors, admins: all)",
                "security": STAFF, "parameters": [
                    {"name": "day", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "counter", "in": "query", "schema": {"type": "string"}},
                    {"name": "user", "in": "query", "schema": {"type": "string"}},
                    {"name": "before", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 200, "maximum": 1000}}],
                "responses": {**_ok({"type": "array", "items": AUDIT_ENTRY}), **_errors(401, 403, 422)}}},
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
            "/api/v1/counters/{code}/finish-and-call-next": {"post": {
                "summary": "Auto-call: finish the ticket at the counter and call the next (one transaction)",
                "security": STAFF, "parameters": COUNTER_PARAM,
                "responses": {**_ok({"type": "object", "properties": {
                    "finished": TICKET_REF, "next": {**TICKET_REF, "nullable": True}}}),
                    **_errors(401, 403, 404, 409)}}},
            "/api/v1/counters/{code}/today": {"get": {
                "summary": "What the counter finished, marked no-show or transferred today, newest first",
                "security": STAFF, "parameters": COUNTER_PARAM,
                "responses": {**_ok({"type": "array", "items": AUDIT_ENTRY}), **_errors(401, 403, 404)}}},
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
            "/api/v1/tickets/{ticket_id}/print": {"post": {
                "summary": "Print a ticket: once by the kiosk that issued it, reprints by staff (docs/KIOSK.md)",
                "security": STAFF,
                "parameters": [{"name": "ticket_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": False, **_json({"type": "object", "properties": {
                    "printer": {"type": "string"}}})},
                "responses": {"201": {"description": "job queued", **_json({"type": "object", "properties": {
                    "job": {"$ref": "#/components/schemas/PrintJob"}}})},
                              **_ok({"type": "object", "properties": {"job": {"nullable": True}}},
                                    "this kiosk has no printer"), **_errors(401, 403, 404, 422)}}},
            "/api/v1/print-jobs/{job_id}": {"get": {
                "summary": "A print job's state (kiosk or staff)", "security": STAFF,
                "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**_ok({"$ref": "#/components/schemas/PrintJob"}), **_errors(401, 403, 404)}}},
            "/api/v1/printers": {"get": {
                "summary": "Printers with their last known state, and the latest print jobs (staff)",
                "security": STAFF,
                "responses": {**_ok({"type": "object", "properties": {
                    "printers": {"type": "array", "items": {"type": "object"}},
                    "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/PrintJob"}}}}),
                              **_errors(401, 403)}}},
            "/api/v1/admin/printers/{name}/test": {"post": {
                "summary": "Print a test page (admins): hall, printer, link, paper width, a column ruler, the time; "
                           "sent like a ticket (worker or kiosk agent, retries). Its outcome: GET /print-jobs/{id}",
                "security": STAFF,
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"202": {"description": "queued", **_json({"type": "object", "properties": {
                    "job": {"$ref": "#/components/schemas/PrintJob"}}})}, **_errors(401, 403, 404)}}},
            "/api/v1/admin/hall": {"get": {
                "summary": "The hall description the caller may edit, shaped as config.toml (docs/ADMIN.md); "
                           "admins: all, an agency's supervisor: its agency, services and counters",
                "security": STAFF, "responses": {**_ok(HALL_VIEW), **_errors(401, 403)}}},
            "/api/v1/admin/{kind}/{code}": {"put": {
                "summary": "Create or change one agency, service or counter (fields as in config.toml, merged; "
                           "null removes a field) or replace one settings section (hall: merged). Applies live",
                "security": STAFF, "parameters": ADMIN_ITEM,
                "requestBody": {"required": True, **_json({"type": "object"})},
                "responses": {**_ok(HALL_VIEW), **_errors(401, 403, 404, 409, 422)}},
                "delete": {
                "summary": "Remove one item (it is retired: tickets keep referring to it) or settings section",
                "security": STAFF, "parameters": ADMIN_ITEM,
                "responses": {**_ok(HALL_VIEW), **_errors(401, 403, 404, 409, 422)}}},
            "/api/v1/admin/users": {"get": {
                "summary": "Staff accounts the caller may manage (an agency's supervisor: its agency's)",
                "security": STAFF, "responses": {**_ok({"type": "array", "items": STAFF_ACCOUNT}), **_errors(401, 403)}}},
            "/api/v1/admin/users/{username}": {"put": {
                "summary": "Create an account or change its role, agency, active flag and password (omitted or "
                           "empty: unchanged; required for a new account). A new password or a deactivation ends "
                           "its sessions at once; nobody deactivates themself (409). An agency's supervisor: its "
                           "own officers only",
                "security": STAFF,
                "parameters": [{"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": _body({"password": {"type": "string", "minLength": 8},
                                      "role": {"type": "string", "enum": ["admin", "supervisor", "officer"]},
                                      "agency": {"type": "string", "nullable": True},
                                      "active": {"type": "boolean", "description": "omitted: unchanged"}}, ["role"]),
                "responses": {**_ok({"type": "array", "items": STAFF_ACCOUNT}), **_errors(401, 403, 409, 422)}}},
            "/api/v1/admin/announcement/preview": {"post": {
                "summary": "A sample call spoken with a draft [announcement] section (the body), before saving: "
                           "its text, spoken form and WAV (rendered by the displays' voice); admins, hall supervisors",
                "security": STAFF, "requestBody": {"required": True, **_json({"type": "object"})},
                "responses": {**_ok({"type": "object", "properties": {
                    "text": {"type": "string"}, "spoken": {"type": "string"}, "speech_url": {"type": "string"},
                    "chime_url": {"type": "string"}}}), **_errors(401, 403, 404, 422)}}},
            "/api/v1/admin/media": {"get": {
                "summary": "The hall displays' media files ([display] media_dir), admins",
                "security": STAFF, "responses": {**_ok({"type": "array", "items": MEDIA_FILE}), **_errors(401, 403)}},
                "post": {
                "summary": "Upload one image or video (field `file`: jpg, jpeg, png, webp, gif, mp4, webm, checked by "
                           "extension and content; [display] media_max_mb, default 50). A taken name is refused, "
                           "never replaced. Displays reload their media list live; audited",
                "security": STAFF,
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                "responses": {"201": {"description": "stored", **_json(MEDIA_FILE)},
                              **_errors(401, 403, 409, 413, 422)}}},
            "/api/v1/admin/media/{name}": {"delete": {
                "summary": "Delete one media file (admins); displays reload their list; audited",
                "security": STAFF,
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {**_ok({"type": "array", "items": MEDIA_FILE}), **_errors(401, 403, 404)}}},
            "/api/v1/admin/devices": {"get": {
                "summary": "Kiosks and displays (admins)", "security": STAFF,
                "responses": {**_ok({"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": "string"}, "kind": {"type": "string", "enum": ["kiosk", "display"]},
                    "agencies": {"type": "array", "items": {"type": "string"}}, "active": {"type": "boolean"}}}}),
                    **_errors(401, 403)}}},
            "/api/v1/admin/devices/{name}": {"put": {
                "summary": "Register a kiosk or display, or replace its token (admins); the token is in this "
                           "answer only", "security": STAFF,
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": _body({"kind": {"type": "string", "enum": ["kiosk", "display"]},
                                      "agencies": {"type": "array", "items": {"type": "string"}}}, ["kind"]),
                "responses": {**_ok({"type": "object", "properties": {"name": {"type": "string"},
                                                                      "token": {"type": "string"}}}),
                              **_errors(401, 403, 404, 422)}}},
            "/api/v1/admin/devices/{name}/active": {"put": {
                "summary": "Switch a kiosk or display off (its token stops at once, its sockets are dropped) or "
                           "on again (admins)", "security": STAFF,
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": _body({"active": {"type": "boolean"}}, ["active"]),
                "responses": {**_ok({"type": "array", "items": {"type": "object"}}), **_errors(401, 403, 404, 422)}}},
            "/api/v1/admin/changes": {"get": {
                "summary": "The audit trail of hall edits, newest first (an agency's supervisor: its agency's)",
                "security": STAFF, "responses": {**_ok({"type": "array", "items": {"type": "object", "properties": {
                    "at": {"type": "string", "format": "date-time"}, "username": {"type": "string"},
                    "kind": {"type": "string"}, "code": {"type": "string"},
                    "agency_code": {"type": "string", "nullable": True}, "hall_version": {"type": "integer"},
                    "before": {"type": "object", "nullable": True}, "after": {"type": "object", "nullable": True}}}}),
                    **_errors(401, 403)}}},
            "/api/v1/reports/tickets": {"get": {
                "summary": "Ticket figures per hall, agency, service, counter or officer, and the total (the /reports "
                           "page's table); supervisors and admins", "security": STAFF,
                "parameters": [*REPORT_PARAMS, {"name": "by", "in": "query", "schema": {
                    "type": "string", "enum": ["hall", "agency", "service", "counter", "officer"],
                    "default": "service"}}],
                "responses": {**_ok({"type": "object", "properties": {
                    **REPORT_HEAD, "rows": {"type": "array", "items": REPORT_ROW}, "total": REPORT_ROW}}),
                    **_errors(401, 403, 404, 422)}}},
            "/api/v1/reports/heatmap": {"get": {
                "summary": "Arrivals per local weekday (Monday first) × hour; supervisors and admins",
                "security": STAFF, "parameters": REPORT_PARAMS,
                "responses": {**_ok({"type": "object", "properties": {
                    **REPORT_HEAD, "timezone": {"type": "string"},
                    "weekdays": {"type": "array", "items": {"type": "object", "properties": {
                        "name": {"type": "string"}, "name_en": {"type": "string"}}}},
                    "arrivals": {"type": "array", "description": "7 rows (Monday first) of 24 hourly counts",
                                 "items": {"type": "array", "items": {"type": "integer"}}}}}),
                    **_errors(401, 403, 404, 422)}}},
            "/api/v1/reports/skm": {"get": {
                "summary": "The satisfaction index (SKM) per agency, service or counter, and the total (the "
                           "/reports/skm table); supervisors and admins", "security": STAFF,
                "parameters": [*REPORT_PARAMS, {"name": "by", "in": "query", "schema": {
                    "type": "string", "enum": ["agency", "service", "counter"], "default": "agency"}}],
                "responses": {**_ok({"type": "object", "properties": {
                    **REPORT_HEAD, "elements": {"type": "array", "items": {"type": "object", "properties": {
                        "number": {"type": "integer"}, "name": {"type": "string"}, "name_en": {"type": "string"},
                        "question": {"type": "string"}}}},
                    "rows": {"type": "array", "items": SKM_ROW}, "total": SKM_ROW,
                    "quick": {"type": "array", "description": "one-tap ratings, not part of the index",
                              "items": {"type": "object", "properties": {
                                  "score": {"type": "integer"}, "label": {"type": "string"},
                                  "label_en": {"type": "string"}, "count": {"type": "integer"}}}}}}),
                    **_errors(401, 403, 404, 422)}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": _ok({"type": "object"})}},
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    return jsonify(spec())
