"""Socket.IO: /display, /counter and /kiosk namespaces, and the publisher that feeds them.

Rooms: `hall` (clients that see every agency), `agency:<code>`, `counter:<code>`. Every client
gets `state` on connect and on every reconnect, before any other event.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import request
from flask_socketio import Namespace, SocketIO, emit, join_room

from display.web import displays

from ..domain.access import Actor, DeviceKind
from ..domain.errors import DomainError
from ..domain.events import CounterChanged, Event, HallChanged, QueuesChanged, TicketChanged
from ..domain.hall import Catalog
from ..domain.tickets import Ticket
from ..service_layer.presence import Presence
from .payloads import (
    call_json,
    counter_state_json,
    counter_view_json,
    hall_state_json,
    queue_json,
    ticket_json,
)
from .request import accounts, queue

HALL = "hall"
NAMESPACES = ("/display", "/counter", "/kiosk")
# Waiting counts are sent at most this often, with the latest figures per service: one ticket a
# second to every screen is fine, a morning rush of 100/s times hundreds of screens is not
# (docs/PERFORMANCE.md). Calls are never delayed.
QUEUE_FLUSH_S = 0.5


def agency_room(code: str) -> str:
    """The room of one agency."""
    return f"agency:{code}"


def counter_room(code: str) -> str:
    """The room of one counter."""
    return f"counter:{code}"


CallAnnouncer = Callable[[Ticket, str, bool, Catalog], dict[str, Any]]
"""Gives a call its `announcement` (the display's DisplayService.announce); must not block."""


class SocketPublisher:
    """Turns committed domain events into Socket.IO events for the rooms that should see them."""

    def __init__(self, socketio: SocketIO, announce: CallAnnouncer | None = None) -> None:
        self.socketio = socketio
        self.announce = announce
        self._pending: dict[str, tuple[dict[str, Any], str]] = {}  # service code -> (queue_json, agency)
        self._pending_lock = threading.Lock()
        self._flush_due = False

    def _emit(self, event: str, data: Any, namespace: str, rooms: list[str]) -> None:
        self.socketio.emit(event, data, namespace=namespace, to=rooms)

    def __call__(self, events: list[Event], catalog: Catalog) -> None:
        for ev in events:
            if isinstance(ev, TicketChanged):
                self._ticket(ev, catalog)
            elif isinstance(ev, CounterChanged):
                counter = catalog.counters.get(ev.state.code)
                if counter:
                    rooms = [HALL, agency_room(counter.agency_code), counter_room(counter.code)]
                    self._emit("counter", counter_state_json(counter, ev.state, ev.ticket, catalog), "/counter", rooms)
            elif isinstance(ev, QueuesChanged):
                self._queues(ev, catalog)
            elif isinstance(ev, HallChanged):
                for namespace in NAMESPACES:  # every client of every room: all refetch their state
                    self.socketio.emit("hall", {"version": ev.version}, namespace=namespace)

    def _agency_rooms(self, catalog: Catalog, *service_codes: str | None) -> list[str]:
        codes = {catalog.services[c].agency_code for c in service_codes if c and c in catalog.services}
        return [HALL, *(agency_room(code) for code in sorted(codes))]

    def _ticket(self, ev: TicketChanged, catalog: Catalog) -> None:
        rooms = self._agency_rooms(catalog, ev.ticket.service_code, ev.previous_service_code)
        if ev.ticket.counter_code:
            rooms.append(counter_room(ev.ticket.counter_code))
        self._emit("ticket", {**ticket_json(ev.ticket, catalog), "action": ev.action}, "/counter", rooms)
        if ev.action in ("call", "recall") and ev.ticket.counter_code:
            recall = ev.action == "recall"
            announcement = self.announce(ev.ticket, ev.ticket.counter_code, recall, catalog) if self.announce else None
            data = call_json(ev.ticket, ev.ticket.counter_code, recall, ev.at, catalog, announcement)
            call_rooms = self._agency_rooms(catalog, ev.ticket.service_code)
            for namespace in ("/display", "/counter"):
                self._emit("call", data, namespace, call_rooms)

    def _queues(self, ev: QueuesChanged, catalog: Catalog) -> None:
        """Collect the changed services; one background flush sends them QUEUE_FLUSH_S later."""
        with self._pending_lock:
            for q in ev.queues:
                if q.service_code in catalog.services:
                    self._pending[q.service_code] = (queue_json(q, catalog),
                                                     catalog.services[q.service_code].agency_code)
            if self._flush_due or not self._pending:
                return
            self._flush_due = True
        self.socketio.start_background_task(self._flush_queues)

    def _flush_queues(self) -> None:
        self.socketio.sleep(QUEUE_FLUSH_S)
        with self._pending_lock:
            pending, self._pending, self._flush_due = self._pending, {}, False
        by_agency: dict[str, list[dict[str, Any]]] = {}
        for item, agency in pending.values():
            by_agency.setdefault(agency, []).append(item)
        for namespace in NAMESPACES:
            self._emit("queue", {"services": [item for item, _ in pending.values()]}, namespace, [HALL])
            for agency, items in by_agency.items():
                self._emit("queue", {"services": items}, namespace, [agency_room(agency)])


def _token(auth: Any) -> str | None:
    token = auth.get("token") if isinstance(auth, dict) else None
    return token if isinstance(token, str) and token else None


def socket_actor(auth: Any) -> Actor | None:
    """Who the client's auth token stands for; None for no token or a token that is not valid."""
    token = _token(auth)
    try:
        return accounts().actor(token) if token else None
    except DomainError:
        return None


class DisplayNamespace(Namespace):
    """Hall screens: a display device token, or none where the hall allows a public view."""

    def on_connect(self, auth: Any = None) -> bool:
        who = socket_actor(auth)
        q = queue()
        if who is None:
            if _token(auth) or not q.catalog().settings.public_display:  # a wrong token is refused, not ignored
                return False
        elif not (who.device_kind is DeviceKind.DISPLAY or who.is_staff):
            return False
        profile = displays().profile(who)  # the device's agencies, or its floor/zone from config
        for room in [agency_room(a) for a in profile.agencies] or [HALL]:
            join_room(room)
        emit("state", hall_state_json(q.hall_state(profile.agencies, profile.recent), q.catalog(),
                                      displays().profile_json(profile)))
        return True


class KioskNamespace(Namespace):
    """Kiosks: the service list with live queues."""

    def on_connect(self, auth: Any = None) -> bool:
        who = socket_actor(auth)
        if who is None or not (who.device_kind is DeviceKind.KIOSK or who.is_staff):
            return False
        join_room(HALL)
        q = queue()
        catalog = q.catalog()
        emit("state", {"hall": {"name": catalog.settings.name},
                       "queues": [queue_json(item, catalog) for item in q.service_queues()]})
        return True


class CounterNamespace(Namespace):
    """Counter consoles and supervisors: their agency's tickets, counters and calls.

    auth = {"token": staff token, "counter": optional counter code to follow}. A client that names
    a counter is that counter's console: while one is connected the counter is online, and
    `presence` {counter, online} tells the agency when that changes.
    """

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        self.presence = Presence()

    def _announce_presence(self, counter_code: str, online: bool) -> None:
        counter = queue().catalog().counters.get(counter_code)
        if counter:
            self.socketio.emit("presence", {"counter": counter_code, "online": online}, namespace=self.namespace,
                               to=[HALL, agency_room(counter.agency_code), counter_room(counter_code)])

    def on_disconnect(self, reason: Any = None) -> None:
        code = self.presence.leave(request.sid)  # type: ignore[attr-defined]
        if code:
            self._announce_presence(code, False)

    def on_connect(self, auth: Any = None) -> bool:
        who = socket_actor(auth)
        if who is None or not who.is_staff:
            return False
        q = queue()
        catalog = q.catalog()
        counter_code = auth.get("counter") if isinstance(auth, dict) else None
        counter = catalog.counters.get(counter_code) if isinstance(counter_code, str) else None
        if counter_code and (counter is None or not who.may_act_for(counter.agency_code)):
            return False
        join_room(agency_room(who.agency_code) if who.agency_code else HALL)
        came_online = False
        if counter:
            join_room(counter_room(counter.code))
            came_online = self.presence.join(request.sid, counter.code)  # type: ignore[attr-defined]
        views = q.counters(who)
        shown = {v.counter.agency_code for v in views}
        state: dict[str, Any] = {
            "counters": [counter_view_json(v, catalog) for v in views],
            "queues": [queue_json(item, catalog) for item in q.service_queues()
                       if catalog.services[item.service_code].agency_code in shown],
        }
        if counter:
            state["waiting"] = [ticket_json(t, catalog) for t in q.waiting(counter.service_codes)]
        state["online"] = [code for code in self.presence.online() if code in {v.counter.code for v in views}]
        emit("state", state)
        if counter and came_online:
            self._announce_presence(counter.code, True)
        return True


def register_namespaces(socketio: SocketIO) -> None:
    """Attach the three namespaces."""
    socketio.on_namespace(DisplayNamespace("/display"))
    socketio.on_namespace(CounterNamespace("/counter"))
    socketio.on_namespace(KioskNamespace("/kiosk"))
