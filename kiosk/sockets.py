"""Socket.IO for printing and phones: the /print and /track namespaces.

/print   kiosk agents (auth {"token": kiosk token, "agent": true}) receive `printers` and `job`,
         answer with `job_result` and `printer_status`; kiosk screens (kiosk token) and staff
         receive `print` whenever a job of theirs changes.
/track   a phone following one ticket (auth {"ticket": id}) receives `ticket` on connect and
         whenever its place, status or counter may have changed.
"""

from __future__ import annotations

import logging
import queue as queues
import threading
from typing import Any

from flask import request
from flask_socketio import Namespace, SocketIO, emit, join_room

from printers.jobs import Outcome, PrintJob
from printers.service import PrintService
from printers.status import PrinterState
from queue_server.domain.access import DeviceKind
from queue_server.domain.errors import InvalidTransition, NotFound
from queue_server.domain.events import CounterChanged, Event, TicketChanged
from queue_server.domain.hall import Catalog
from queue_server.entrypoints.sockets import socket_actor
from queue_server.service_layer.queue import Publisher, QueueService

from .payloads import job_json, ticket_place_json

log = logging.getLogger(__name__)
STAFF_ROOM = "print-staff"


def watch_room(kiosk: str) -> str:
    """Kiosk screens waiting for their own print jobs."""
    return f"print-watch:{kiosk}"


def ticket_room(ticket_id: str) -> str:
    """Phones following one ticket."""
    return f"track:{ticket_id}"


class PrintNamespace(Namespace):
    """Kiosk agents drive their printers here; kiosk screens and staff watch the jobs."""

    def __init__(self, namespace: str, prints: PrintService, queue: QueueService) -> None:
        super().__init__(namespace)
        self.prints = prints
        self.queue = queue
        self.agents: dict[str, str] = {}  # sid -> kiosk name
        self._lock = threading.Lock()

    def on_connect(self, auth: Any = None) -> bool:
        who = socket_actor(auth)
        if who is None:
            return False
        if who.device_kind is DeviceKind.KIOSK and isinstance(auth, dict) and auth.get("agent") is True:
            with self._lock:
                self.agents[request.sid] = who.name  # type: ignore[attr-defined]
            emit("printers", [p.as_json() for p in self.prints.agent_printers(who.name)])
            for payload in self.prints.agent_backlog(who.name):
                emit("job", payload)
        elif who.device_kind is DeviceKind.KIOSK:
            join_room(watch_room(who.name))
        elif who.is_staff:
            join_room(STAFF_ROOM)
        else:
            return False
        return True

    def on_disconnect(self, reason: Any = None) -> None:
        with self._lock:
            self.agents.pop(request.sid, None)  # type: ignore[attr-defined]

    def on_job_result(self, data: Any) -> dict[str, Any]:
        """An agent's verdict on a job; the reply tells it to stop resending."""
        kiosk = self.agents.get(request.sid)  # type: ignore[attr-defined]
        if kiosk is None or not isinstance(data, dict):
            return {"ok": False, "error": "not an agent"}
        try:
            self.prints.agent_result(kiosk, str(data.get("id")), Outcome.from_json(data))
        except InvalidTransition:
            return {"ok": True, "duplicate": True}
        except NotFound as exc:
            return {"ok": False, "error": exc.message}
        return {"ok": True}

    def on_printer_status(self, data: Any) -> dict[str, Any]:
        """An agent's status check of one of its printers."""
        kiosk = self.agents.get(request.sid)  # type: ignore[attr-defined]
        names = {p.name for p in self.prints.agent_printers(kiosk)} if kiosk else set()
        if not isinstance(data, dict) or data.get("printer") not in names:
            return {"ok": False}
        state = str(data.get("state"))
        self.prints.record_status(str(data["printer"]), PrinterState(state) if state in PrinterState.__members__.values()
                                  else PrinterState.UNKNOWN, str(data.get("detail") or ""))
        return {"ok": True}

    def send_job(self, kiosks: tuple[str, ...], payload: dict[str, Any]) -> bool:
        """Hand a job to one connected agent of these kiosks (one, so it cannot print twice)."""
        with self._lock:
            sid = next((s for s, k in self.agents.items() if k in kiosks), None)
        if sid is None:
            return False
        self.socketio.emit("job", payload, to=sid, namespace=self.namespace)
        return True

    def notify(self, job: PrintJob) -> None:
        """Tell the kiosk that asked, and staff, what became of a job."""
        self.socketio.emit("print", job_json(job, self.queue.catalog()), to=[watch_room(job.requested_by), STAFF_ROOM],
                           namespace=self.namespace)


class TicketTracker:
    """Which ticket each phone follows, and a fresh place for it after every change that can move it.

    Called as a publisher after each commit; the recomputation runs in its own thread so a
    counter's call-next never waits for phones.
    """

    def __init__(self, socketio: SocketIO, queue: QueueService) -> None:
        self.socketio = socketio
        self.queue = queue
        self.followers: dict[str, str] = {}  # sid -> ticket id
        self.service_of: dict[str, str] = {}  # followed ticket id -> its service
        self._lock = threading.Lock()
        self._changes: queues.Queue[set[str]] = queues.Queue()
        self._thread: threading.Thread | None = None

    def follow(self, sid: str, ticket_id: str, service_code: str) -> None:
        with self._lock:
            self.followers[sid] = ticket_id
            self.service_of[ticket_id] = service_code

    def forget(self, sid: str) -> None:
        with self._lock:
            ticket_id = self.followers.pop(sid, None)
            if ticket_id and ticket_id not in self.followers.values():
                self.service_of.pop(ticket_id, None)

    def __call__(self, events: list[Event], catalog: Catalog) -> None:
        services: set[str] = set()
        for ev in events:
            if isinstance(ev, TicketChanged) and ev.action != "issue":  # a new ticket joins behind everyone
                services.add(ev.ticket.service_code)
                if ev.previous_service_code:
                    services.add(ev.previous_service_code)
            elif isinstance(ev, CounterChanged) and ev.state.code in catalog.counters:
                services.update(catalog.counters[ev.state.code].service_codes)  # open counters change waits
        if services and self.service_of:
            self._changes.put(services)
            self._ensure_thread()

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="ticket-tracker", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            services = self._changes.get()
            while not self._changes.empty():  # coalesce a burst of calls into one round
                services |= self._changes.get_nowait()
            with self._lock:
                followed = [t for t, s in self.service_of.items() if s in services]
            for ticket_id in followed:
                try:
                    self.push(ticket_id)
                except Exception:
                    log.exception("could not update tracked ticket %s", ticket_id)

    def push(self, ticket_id: str) -> None:
        """Send a ticket's current place to the phones following it."""
        view = self.queue.ticket_status(ticket_id)
        with self._lock:
            if ticket_id in self.service_of:
                self.service_of[ticket_id] = view.ticket.service_code
        self.socketio.emit("ticket", ticket_place_json(view, self.queue.catalog()), to=ticket_room(ticket_id),
                           namespace="/track")


class TrackNamespace(Namespace):
    """Phones following one ticket by its unguessable id."""

    def __init__(self, namespace: str, tracker: TicketTracker) -> None:
        super().__init__(namespace)
        self.tracker = tracker

    def on_connect(self, auth: Any = None) -> bool:
        ticket_id = auth.get("ticket") if isinstance(auth, dict) else None
        if not isinstance(ticket_id, str):
            return False
        try:
            view = self.tracker.queue.ticket_status(ticket_id)
        except NotFound:
            return False
        join_room(ticket_room(ticket_id))
        self.tracker.follow(request.sid, ticket_id, view.ticket.service_code)  # type: ignore[attr-defined]
        emit("ticket", ticket_place_json(view, self.tracker.queue.catalog()))
        return True

    def on_disconnect(self, reason: Any = None) -> None:
        self.tracker.forget(request.sid)  # type: ignore[attr-defined]


def publish_also(first: Publisher | None, then: Publisher) -> Publisher:
    """A publisher that runs `first` (the hall's screens) and then `then`."""
    def publish(events: list[Event], catalog: Catalog) -> None:
        if first is not None:
            first(events, catalog)
        then(events, catalog)
    return publish
