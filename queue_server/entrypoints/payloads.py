"""Domain objects as the JSON that the API and Socket.IO send: one shape for each thing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..domain.audit import AuditEntry
from ..domain.desk import console_actions
from ..domain.estimate import WaitEstimate
from ..domain.events import ServiceQueue
from ..domain.hours import ZONE_NAMES
from ..domain.hall import Catalog, Counter
from ..domain.selection import CounterState
from ..domain.tickets import STATUS_LABELS, Ticket, Transition
from ..service_layer.queue import CounterView, HallState


def local_iso(at: datetime | None, catalog: Catalog) -> str | None:
    """ISO 8601 in the hall's time zone (WIB: +07:00)."""
    return None if at is None else at.astimezone(ZoneInfo(catalog.settings.timezone)).isoformat(timespec="seconds")


def ref(code: str, name: str) -> dict[str, str]:
    """The {code, name} pair that stands for an agency, service or counter."""
    return {"code": code, "name": name}


def service_ref(code: str, catalog: Catalog) -> dict[str, str]:
    """A service by code; a retired one keeps its code as its name."""
    svc = catalog.services.get(code)
    return ref(code, svc.name if svc else code)


def agency_ref(service_code: str, catalog: Catalog) -> dict[str, str]:
    """The agency that owns a service."""
    svc = catalog.services.get(service_code)
    agency = catalog.agencies.get(svc.agency_code) if svc else None
    return {**ref(agency.code, agency.name), "short_name": agency.spoken_name} if agency else ref("", "")


def counter_ref(code: str | None, catalog: Catalog) -> dict[str, str] | None:
    """A counter by code, or None."""
    if code is None:
        return None
    counter = catalog.counters.get(code)
    return ref(code, counter.name if counter else code)


def ticket_brief(t: Ticket, catalog: Catalog) -> dict[str, Any]:
    """What a screen needs to show a number: id, number, service, agency."""
    return {"id": t.id, "number": t.number, "service": service_ref(t.service_code, catalog),
            "agency": agency_ref(t.service_code, catalog)}


def ticket_json(t: Ticket, catalog: Catalog) -> dict[str, Any]:
    """The full ticket, for staff and for its holder."""
    return {
        **ticket_brief(t, catalog),
        "status": t.status.value,
        "status_label": STATUS_LABELS[t.status][0],
        "priority": t.priority,
        "counter": counter_ref(t.counter_code, catalog),
        "recalls": t.recalls,
        "transferred_from": (service_ref(t.origin_service_code, catalog)
                             if t.origin_service_code != t.service_code else None),
        "issued_at": local_iso(t.arrival_at, catalog),
        "called_at": local_iso(t.called_at, catalog),
        "started_at": local_iso(t.started_at, catalog),
        "finished_at": local_iso(t.finished_at, catalog),
    }


def place_json(estimate: WaitEstimate | None) -> dict[str, Any]:
    """A waiting ticket's place in its queue; nulls once it has left the queue."""
    return {"position": estimate.people_ahead + 1 if estimate else None,
            "people_ahead": estimate.people_ahead if estimate else None,
            "estimated_wait_s": estimate.seconds if estimate else None}


def queue_json(q: ServiceQueue, catalog: Catalog) -> dict[str, Any]:
    """A service with its queue now: the kiosk's tile and the `queue` event."""
    svc = catalog.services[q.service_code]
    return {
        "code": svc.code, "name": svc.name, "prefix": svc.prefix, "agency": agency_ref(svc.code, catalog),
        "open": q.availability.open, "closed_reason": q.availability.reason or None,
        "closed_reason_en": q.availability.reason_en or None,
        "waiting": q.waiting, "issued_today": q.issued_today, "quota": svc.daily_quota,
        "quota_left": q.quota_left, "estimated_wait_s": q.estimate.seconds,
        "requirements": svc.requirements, "completion_time": svc.completion_time,
        "target_service_s": svc.target_service_s, "synonyms": list(svc.synonyms),
    }


def call_json(t: Ticket, counter_code: str, recall: bool, at: datetime, catalog: Catalog,
              announcement: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `call` event: the number, the counter to go to, whether it is a recall; live calls
    also carry their `announcement` (text, chime and speech URLs, repeats)."""
    data = {"ticket": ticket_brief(t, catalog), "counter": counter_ref(counter_code, catalog),
            "recall": recall, "at": local_iso(at, catalog)}
    return {**data, "announcement": announcement} if announcement is not None else data


def counter_state_json(counter: Counter, state: CounterState, ticket: Ticket | None,
                       catalog: Catalog) -> dict[str, Any]:
    """A counter with its state and the ticket at its desk."""
    agency = catalog.agencies[counter.agency_code]
    return {
        "code": counter.code, "name": counter.name, "agency": ref(agency.code, agency.name),
        "services": [service_ref(code, catalog) for code in counter.service_codes],
        "status": state.status, "pause_reason": state.pause_reason or None,
        "ticket": ticket_json(ticket, catalog) if ticket else None,
        "actions": {name: {"allowed": check.allowed, "reason": check.reason or None,
                           "reason_en": check.reason_en or None}
                    for name, check in console_actions(state, ticket).items()},
    }


def counter_view_json(view: CounterView, catalog: Catalog) -> dict[str, Any]:
    """counter_state_json of a CounterView."""
    return counter_state_json(view.counter, view.state, view.ticket, catalog)


def audit_entry_json(entry: AuditEntry, catalog: Catalog) -> dict[str, Any]:
    """One step of the audit trail: who, when (hall time), from which counter, what, to which ticket."""
    label, label_en = entry.label
    return {
        "at": local_iso(entry.at, catalog), "source": entry.source.value, "action": entry.action,
        "action_label": label, "action_label_en": label_en, "actor": entry.actor,
        "counter": counter_ref(entry.counter_code, catalog), "detail": entry.detail or None,
        "address": entry.address or None,
        "ticket": ({"id": entry.ticket_id, "number": entry.ticket_number,
                    "status": entry.ticket_status.value if entry.ticket_status else None,
                    "service": service_ref(entry.service_code or "", catalog)}
                   if entry.ticket_id else None),
    }


def recent_call_json(tr: Transition, t: Ticket, catalog: Catalog) -> dict[str, Any]:
    """A past call as the display's history shows it."""
    return call_json(t, tr.counter_code or "", str(tr.action) == "recall", tr.at, catalog)


def hall_state_json(state: HallState, catalog: Catalog, display: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `state` event: current calls, recent calls, queues, and for a screen its `display` profile."""
    data = {
        "hall": {"name": catalog.settings.name, "timezone": catalog.settings.timezone,
                 "zone": ZONE_NAMES.get(catalog.settings.timezone, "")},
        "current": [counter_view_json(v, catalog) for v in state.at_counters],
        "recent": [recent_call_json(tr, t, catalog) for tr, t in state.recent_calls],
        "queues": [queue_json(q, catalog) for q in state.queues],
    }
    return {**data, "display": display} if display is not None else data
