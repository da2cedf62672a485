"""The counter console (/counter) and supervisor view (/supervisor): pages on a browser session.

Signing in is a form post; the session cookie (signed, HttpOnly, SameSite=Lax, one working day)
keeps the staff bearer token that sign-in returned. The page hands that token to its script,
which calls /api/v1 and Socket.IO /counter with it, exactly as any other client does. So the API
keeps its one way of authenticating (a bearer header, which no cross-site page can send), and
the cookie authorises only these pages and their own form posts, each carrying a CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response as BaseResponse

from ...domain.access import Actor, Role
from ...domain.admin import Kind, editor_agency, ensure_may_edit
from ...domain.errors import DomainError
from ...domain.hall import Catalog
from ...domain.hours import ZONE_NAMES
from ...domain.tickets import ALLOWED_FROM, STATUS_LABELS, Action
from ...service_layer.accounts import Unauthorized
from ..errors import status_of
from ..payloads import local_iso, ref
from ..request import accounts, queue

bp = Blueprint("console", __name__, template_folder="templates", static_folder="static",
               static_url_path="/console/static")

PAGES = ("/counter", "/supervisor", "/admin", "/reports", "/reports/skm")
SUPERVISOR_ACTIONS = (Action.TRANSFER, Action.CANCEL, Action.REOPEN)


class CsrfRefused(DomainError):
    """A form post without the session's CSRF token (HTTP 400)."""

    code = "csrf_refused"


@bp.record_once
def _session_cookie(state: BlueprintSetupState) -> None:
    """The pages own the browser session: a day-long, script-proof, same-site cookie."""
    hours = state.app.extensions["antrean.settings"].token_hours
    state.app.config.update(SESSION_COOKIE_NAME="antrean_session", SESSION_COOKIE_HTTPONLY=True,
                            SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(hours=hours))


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


@bp.context_processor
def _template_globals() -> dict[str, Any]:
    return {"csrf_token": csrf_token}


@bp.before_request
def _check_csrf() -> None:
    """Every form post of these pages must carry the session's token."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not (sent and "csrf" in session and hmac.compare_digest(sent, str(session["csrf"]))):
            raise CsrfRefused("Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu coba lagi",
                              "The form has expired or is not valid; reload the page and try again")


@bp.errorhandler(DomainError)
def _error_page(exc: DomainError) -> tuple[str, int]:
    return render_template("console/error.html", error=exc), status_of(exc)


def _address() -> str:
    return request.remote_addr or ""


def signed_in() -> Actor | None:
    """The person of this browser session, or None (never signed in, expired, signed out)."""
    token = session.get("token")
    if not token:
        return None
    try:
        who = accounts().actor(token)
    except Unauthorized:
        session.pop("token", None)
        return None
    return who if who.is_staff else None


def to_login() -> BaseResponse:
    return redirect(url_for("console.login", next=request.path))


def _home(who: Actor) -> str:
    return "/supervisor" if who.role in (Role.SUPERVISOR, Role.ADMIN) else "/counter"


def _boot(who: Actor, catalog: Catalog) -> dict[str, Any]:
    """What both pages' scripts start from: the token, the person, the hall and its clock."""
    tz = catalog.settings.timezone
    return {
        "token": session["token"], "api": "/api/v1",
        "user": {"name": who.name, "role": who.role.value if who.role else None, "agency": who.agency_code},
        "hall": {"name": catalog.settings.name, "timezone": tz, "zone": ZONE_NAMES.get(tz, tz)},
        "now": local_iso(datetime.now(UTC), catalog),
        "priorities": {c.code: c.name for c in catalog.settings.priority.categories},
        "transfer_targets": [
            {"agency": ref(agency.code, agency.name),
             "services": [ref(s.code, s.name) for s in catalog.services.values()
                          if s.agency_code == agency.code and s.active]}
            for agency in catalog.agencies.values()],
    }


@bp.get("/login")
def login() -> str | BaseResponse:
    """The sign-in form; a signed-in person goes straight to their page."""
    who = signed_in()
    if who:
        return redirect(_next_page(who))
    return render_template("console/login.html", next=request.args.get("next", ""))


def _next_page(who: Actor) -> str:
    """Where to go after signing in: the page asked for, if it is one of ours, else the person's."""
    wanted = request.values.get("next", "")
    return wanted if urlsplit(wanted).path in PAGES and not urlsplit(wanted).netloc else _home(who)


@bp.post("/login")
def login_post() -> tuple[str, int] | BaseResponse:
    """Check the password (throttled) and start a session for the working day."""
    username = request.form.get("username", "").strip()[:64]
    try:
        token, who = accounts().sign_in(username, request.form.get("password", "")[:1024], _address())
    except DomainError as exc:
        return render_template("console/login.html", next=request.form.get("next", ""), error=exc,
                               username=username), status_of(exc)
    session.clear()
    session.permanent = True
    session["token"] = token
    return redirect(_next_page(who))


@bp.post("/logout")
def logout() -> BaseResponse:
    """End this session: its token is revoked at once and the cookie emptied."""
    token = session.get("token")
    if token:
        try:
            accounts().sign_out(token, _address(), session.get("counter"))
        except Unauthorized:
            pass  # already expired or signed out elsewhere: nothing left to revoke
    session.clear()
    return redirect(url_for("console.login", out=1))


@bp.get("/counter")
def counter_page() -> str | BaseResponse:
    """The console of the counter chosen in this session, or the choice of the person's counters."""
    who = signed_in()
    if who is None:
        return to_login()
    catalog = queue().catalog()
    counter = catalog.counters.get(session.get("counter", ""))
    if counter is None or not who.may_act_for(counter.agency_code):
        mine = [c for c in catalog.counters.values() if who.may_act_for(c.agency_code)]
        return render_template("console/choose.html", who=who, counters=mine, catalog=catalog)
    boot = {**_boot(who, catalog), "counter": counter.code,
            "services": [{**ref(s.code, catalog.services[s.code].name), "prefix": catalog.services[s.code].prefix}
                         for s in (catalog.services[c] for c in counter.service_codes)]}
    return render_template("console/counter.html", who=who, counter=counter,
                           agency=catalog.agencies[counter.agency_code], boot=boot)


@bp.post("/counter/open")
def open_counter() -> BaseResponse:
    """Work at a counter of one's own agency from now on (recorded in the audit trail)."""
    if signed_in() is None:
        return to_login()
    counter = queue().catalog().counter(request.form.get("counter", ""))
    accounts().open_counter(session["token"], counter, _address())
    session["counter"] = counter.code
    return redirect(url_for("console.counter_page"))


@bp.post("/counter/leave")
def leave_counter() -> BaseResponse:
    """Back to the choice of counters (Ganti loket)."""
    session.pop("counter", None)
    return redirect(url_for("console.counter_page"))


@bp.get("/supervisor")
def supervisor_page() -> str | BaseResponse:
    """All counters and queues of the supervisor's agency (or the hall), with ticket actions and audit."""
    who = signed_in()
    if who is None:
        return to_login()
    who.ensure_supervisor()
    catalog = queue().catalog()
    agency = catalog.agencies.get(who.agency_code or "")
    boot = {**_boot(who, catalog),
            "ticket_actions": {a.value: sorted(s.value for s in ALLOWED_FROM[a]) for a in SUPERVISOR_ACTIONS},
            "status_labels": {s.value: label for s, (label, _) in STATUS_LABELS.items()}}
    return render_template("console/supervisor.html", who=who, agency=agency, boot=boot)


@bp.get("/admin")
def admin_page() -> str | BaseResponse:
    """The hall's administration: services, counters, agencies, settings and the change log."""
    who = signed_in()
    if who is None:
        return to_login()
    ensure_may_edit(who, Kind.SERVICE, {who.agency_code})  # officers: 403
    catalog = queue().catalog()
    boot = {**_boot(who, catalog), "limited_to": editor_agency(who)}
    return render_template("console/admin.html", who=who, agency=catalog.agencies.get(who.agency_code or ""),
                           boot=boot)


from . import reports  # noqa: E402,F401  (the report pages join this blueprint)
