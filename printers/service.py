"""Print use cases: print a ticket once, reprint on staff's word, drive server printers, watch them.

Issuing never waits for a printer. A print request stores the job (with its rendered bytes) and
hands it on: printers the server drives get one worker thread each, which also runs that
printer's status checks, so a check and a ticket never fight over the printer's one connection;
printers on a kiosk PC get the job through the kiosk agent's Socket.IO link. Results come back
through record_result(), which takes a job's verdict once and tells the screens.
"""

from __future__ import annotations

import base64
import itertools
import logging
import queue as queues
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine

from queue_server.adapters.db import read_connection
from queue_server.adapters.repository import Repository
from queue_server.domain.access import Actor
from queue_server.domain.errors import InvalidTransition, NotFound
from queue_server.domain.hall import Catalog
from queue_server.service_layer.queue import Clock, InvalidInput, QueueService, TicketStatusView, utc_now

from .config import PrinterConfig, PrintSettings, print_settings
from .jobs import FailureKind, JobKind, Outcome, PrintJob, ensure_may_test_print, print_kind, run_job
from .layout import TEST_LABEL, Paper, PrinterTestSheet, TicketDocument, compose, compose_test_sheet
from .render import escpos_bytes
from .status import PrinterState
from .store import PrintStore
from .transports import printer_for

log = logging.getLogger(__name__)


class AgentLink(Protocol):
    """The Socket.IO side that reaches kiosk agents."""

    def send_job(self, kiosks: tuple[str, ...], payload: dict[str, Any]) -> bool:
        """Hand a job to an agent of one of these kiosks; False when none is connected."""
        ...


def _agent_payload(job: PrintJob, cfg: PrinterConfig, data: bytes) -> dict[str, Any]:
    """A job as a kiosk agent receives it: the bytes to send and the printer to send them to."""
    return {"id": job.id, "number": job.number, "printer": cfg.as_json(), "data": base64.b64encode(data).decode(),
            "expires_at": job.expires_at.isoformat()}


def ticket_document(view: TicketStatusView, catalog: Catalog, settings: PrintSettings, track_url: str,
                    reprinted_at: datetime | None = None) -> TicketDocument:
    """What the ticket says, from the ticket's current place in its queue."""
    t = view.ticket
    tz = ZoneInfo(catalog.settings.timezone)
    svc = catalog.service(t.service_code)
    categories = {c.code: c.name for c in catalog.settings.priority.categories}
    return TicketDocument(
        hall=catalog.settings.name, agency=catalog.agency(svc.agency_code).name, service=svc.name,
        number=t.number, issued_at=t.arrival_at.astimezone(tz), timezone=catalog.settings.timezone,
        people_ahead=view.estimate.people_ahead if view.estimate else 0,
        wait_s=view.estimate.seconds if view.estimate else 0, track_url=track_url,
        counters=", ".join(c.name for c in catalog.counters_serving(svc.code)),
        requirements=svc.requirements if settings.show_requirements else "",
        priority=categories.get(t.priority or "", t.priority or ""), footer=settings.footer,
        reprinted_at=reprinted_at.astimezone(tz) if reprinted_at else None)


def _new_job(ticket_id: str | None, number: str, cfg: PrinterConfig, kind: JobKind, who: Actor, now: datetime,
             settings: PrintSettings) -> PrintJob:
    """A queued job that is due within the hall's print deadline."""
    return PrintJob(id=secrets.token_urlsafe(9), ticket_id=ticket_id, number=number, printer=cfg.name, kind=kind,
                    created_at=now, expires_at=now + timedelta(seconds=settings.policy.deadline_s),
                    requested_by=who.name)


class _Worker:
    """One thread per server-driven printer: prints first, status checks when idle."""

    PRINT, CHECK = 0, 1

    def __init__(self, name: str, service: PrintService) -> None:
        self.tasks: queues.PriorityQueue[tuple[int, int, str]] = queues.PriorityQueue()
        self._seq = itertools.count()
        self.thread = threading.Thread(target=self._loop, args=(service,), name=f"printer:{name}", daemon=True)
        self.thread.start()

    def submit(self, kind: int, job_id: str = "") -> None:
        self.tasks.put((kind, next(self._seq), job_id))

    def _loop(self, service: PrintService) -> None:
        while True:
            kind, _, job_id = self.tasks.get()
            try:
                if kind == self.PRINT:
                    service.run_on_server(job_id)
                else:
                    service.check_printer(job_id)
            except Exception:  # a worker must outlive any one job
                log.exception("printer worker failed on %s", job_id or "status check")


class PrintService:
    """Printing for one hall database."""

    def __init__(self, engine: Engine, queue: QueueService, base: Path, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.queue = queue
        self.base = base
        self.clock = clock
        self.notify: Callable[[PrintJob], None] = lambda job: None
        self.agents: AgentLink | None = None
        self._workers: dict[str, _Worker] = {}
        self._lock = threading.Lock()
        self._settings: tuple[int, Any, PrintSettings] | None = None
        self._monitor: threading.Thread | None = None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite a deferred BEGIN, so it never waits for writers."""
        with read_connection(self.engine) as conn:
            with conn.begin():
                yield conn

    # -- configuration ---------------------------------------------------------------------

    def settings(self) -> PrintSettings:
        """The [printers] section of the stored hall, parsed again only when it changed."""
        with self._read() as conn:
            repo = Repository(conn)
            version, raw = repo.hall_version(), repo.hall_settings_json()
        cached = self._settings
        if cached and cached[0] == version and cached[1] == raw.get("printers"):
            return cached[2]
        settings = print_settings(raw.get("printers", {}), self.base)
        self._settings = (version, raw.get("printers"), settings)
        return settings

    # -- requests --------------------------------------------------------------------------

    def request_print(self, ticket_id: str, who: Actor, track_url: str, printer: str | None = None) -> PrintJob | None:
        """Print a ticket: the first print by the kiosk that issued it, or a reprint by staff.

        None when the kiosk has no printer (it shows the number on screen instead).
        """
        who.ensure_may_issue()
        settings = self.settings()
        self._ensure_monitor(settings)
        view = self.queue.ticket_status(ticket_id)
        catalog = self.queue.catalog()
        if who.is_staff:
            who.ensure_may_act_for(catalog.service(view.ticket.service_code).agency_code)
        now = self.clock()
        with self.engine.begin() as conn:
            store = PrintStore(conn)
            issued_by = store.issued_by(ticket_id, lock=True) or ""
            earlier = store.for_ticket(ticket_id)
            kind = print_kind(who, issued_by, earlier)
            cfg = self._printer(settings, who, printer, earlier, issued_by)
            if cfg is None:
                return None
            doc = ticket_document(view, catalog, settings, track_url, now if kind is JobKind.REPRINT else None)
            data = escpos_bytes(compose(settings.layout, doc, Paper(cfg.paper), settings.logo), cfg.profile)
            job = _new_job(ticket_id, view.ticket.number, cfg, kind, who, now, settings)
            store.add(job, data)
        return self._dispatch(job, cfg, data)

    def request_test_print(self, printer: str, who: Actor) -> PrintJob:
        """An admin's test page on one printer, down the path a ticket takes (job row, worker or kiosk
        agent, retries, result), so a success proves the kiosk's tickets will print too."""
        ensure_may_test_print(who)
        settings = self.settings()
        self._ensure_monitor(settings)
        cfg = settings.printer(printer)
        catalog = self.queue.catalog()
        now = self.clock()
        sheet = PrinterTestSheet(hall=catalog.settings.name, printer=cfg.name, link=cfg.link(), driven_by=cfg.driven_by,
                                 kiosks=", ".join(cfg.kiosks), requested_by=who.name,
                                 printed_at=now.astimezone(ZoneInfo(catalog.settings.timezone)),
                                 timezone=catalog.settings.timezone)
        steps = compose_test_sheet(sheet, Paper(cfg.paper), settings.logo, settings.layout.max_magnification)
        data = escpos_bytes(steps, cfg.profile)
        job = _new_job(None, TEST_LABEL, cfg, JobKind.TEST, who, now, settings)
        with self.engine.begin() as conn:
            PrintStore(conn).add(job, data)
        return self._dispatch(job, cfg, data)

    def job(self, job_id: str) -> PrintJob:
        """A print job by id, or NotFound."""
        with self._read() as conn:
            job = PrintStore(conn).get(job_id)
        if job is None:
            raise NotFound("Pekerjaan cetak tidak ditemukan", "Print job not found")
        return job

    def _printer(self, settings: PrintSettings, who: Actor, name: str | None, earlier: list[PrintJob],
                 issued_by: str) -> PrinterConfig | None:
        if not who.is_staff:
            return settings.for_kiosk(who.name)
        if name:
            return settings.printer(name)
        for job in reversed(earlier):
            if any(p.name == job.printer for p in settings.printers):
                return settings.printer(job.printer)
        cfg = settings.for_kiosk(issued_by)
        if cfg is None:
            raise InvalidInput("Pilih printer untuk mencetak ulang", "Choose a printer for the reprint")
        return cfg

    def _dispatch(self, job: PrintJob, cfg: PrinterConfig, data: bytes) -> PrintJob:
        if cfg.driven_by == "server":
            self._worker(cfg.name).submit(_Worker.PRINT, job.id)
            return job
        started = self._start(job)
        if self.agents and self.agents.send_job(cfg.kiosks, _agent_payload(job, cfg, data)):
            return started
        return self.record_result(job.id, Outcome(False, 0, PrinterState.UNREACHABLE, FailureKind.UNREACHABLE,
                                                  "Agen printer kiosk tidak terhubung"))

    def _start(self, job: PrintJob) -> PrintJob:
        started = job.start()
        with self.engine.begin() as conn:
            if not PrintStore(conn).replace(job, started):
                raise InvalidTransition(f"Pekerjaan cetak {job.number} sudah berjalan",
                                        f"Print job {job.number} already started")
        return started

    def _worker(self, printer: str) -> _Worker:
        with self._lock:
            if printer not in self._workers:
                self._workers[printer] = _Worker(printer, self)
            return self._workers[printer]

    # -- results ---------------------------------------------------------------------------

    def record_result(self, job_id: str, outcome: Outcome) -> PrintJob:
        """Take a job's verdict (once), remember the printer's state, tell the screens."""
        now = self.clock()
        with self.engine.begin() as conn:
            store = PrintStore(conn)
            job = store.get(job_id)
            if job is None:
                raise NotFound("Pekerjaan cetak tidak ditemukan", "Print job not found")
            new = job.finish(outcome, now)
            if not store.replace(job, new):
                raise InvalidTransition(f"Hasil cetak {job.number} sudah tercatat", f"Result of {job.number} already recorded")
            if outcome.attempts:
                store.set_status(job.printer, outcome.state, outcome.error, now)
        self.notify(new)
        return new

    def run_on_server(self, job_id: str) -> None:
        """Print a queued job on a printer this server drives (worker thread)."""
        with self._read() as conn:
            store = PrintStore(conn)
            job, data = store.get(job_id), store.data(job_id)
        if job is None:
            return
        if not job.is_due(self.clock()):
            self.notify(self._expire(job))
            return
        self._start(job)
        settings = self.settings()
        try:
            cfg = settings.printer(job.printer)
        except NotFound as exc:
            self.record_result(job.id, Outcome(False, 0, PrinterState.UNKNOWN, FailureKind.UNREACHABLE, exc.message))
            return
        self.record_result(job.id, run_job(data, job.number, printer_for(cfg, self.base), settings.policy))

    def _expire(self, job: PrintJob) -> PrintJob:
        expired = job.expire(self.clock())
        with self.engine.begin() as conn:
            PrintStore(conn).replace(job, expired)
        return expired

    def expire_overdue(self) -> list[PrintJob]:
        """Fail jobs nobody finished by their deadline (an agent that went away mid-job)."""
        now = self.clock()
        with self._read() as conn:
            overdue = [j for j in PrintStore(conn).open_jobs() if j.expires_at <= now]
        expired = [self._expire(j) for j in overdue]
        for job in expired:
            self.notify(job)
        return expired

    # -- agents ----------------------------------------------------------------------------

    def agent_printers(self, kiosk: str) -> list[PrinterConfig]:
        """Printers the agent of this kiosk drives."""
        settings = self.settings()
        self._ensure_monitor(settings)
        return [p for p in settings.printers if p.driven_by == "agent" and kiosk in p.kiosks]

    def agent_backlog(self, kiosk: str) -> list[dict[str, Any]]:
        """Jobs still due for this kiosk's agent (after a reconnect), as job payloads."""
        printers = {p.name: p for p in self.agent_printers(kiosk)}
        now = self.clock()
        out = []
        with self._read() as conn:
            store = PrintStore(conn)
            for job in store.open_jobs(list(printers)):
                if job.expires_at > now:
                    out.append(_agent_payload(job, printers[job.printer], store.data(job.id)))
        return out

    def agent_result(self, kiosk: str, job_id: str, outcome: Outcome) -> PrintJob:
        """A result reported by a kiosk's agent, for a job on one of its printers."""
        if self.job(job_id).printer not in {p.name for p in self.agent_printers(kiosk)}:
            raise NotFound("Pekerjaan cetak tidak ditemukan", "Print job not found")
        return self.record_result(job_id, outcome)

    def record_status(self, printer: str, state: PrinterState, detail: str = "") -> None:
        """Remember a printer's state from a check."""
        with self.engine.begin() as conn:
            PrintStore(conn).set_status(printer, state, detail, self.clock())

    # -- watching the printers -------------------------------------------------------------

    def check_printer(self, name: str) -> PrinterState:
        """Ask one server-driven printer for its state (in its worker thread) and remember it."""
        cfg = self.settings().printer(name)
        state = printer_for(cfg, self.base).status()
        self.record_status(name, state)
        return state

    def _ensure_monitor(self, settings: PrintSettings) -> None:
        """Start the status checks and the expiry sweep once some printer needs them (once per process)."""
        needed = any(p.driven_by == "agent" or (p.status and settings.status_every_s > 0) for p in settings.printers)
        if self._monitor is None and needed:
            with self._lock:
                if self._monitor is None:
                    self._monitor = threading.Thread(target=self._watch, name="printer-monitor", daemon=True)
                    self._monitor.start()

    def _watch(self) -> None:
        while True:
            interval = 0.0
            try:
                settings = self.settings()
                interval = settings.status_every_s
                for cfg in settings.printers:
                    if cfg.driven_by == "server" and cfg.status and interval > 0:
                        self._worker(cfg.name).submit(_Worker.CHECK, cfg.name)
                self.expire_overdue()
            except Exception:  # the database may be briefly away; try again next round
                log.exception("printer monitor round failed")
            time.sleep(interval if interval > 0 else 30.0)

    def overview(self) -> tuple[PrintSettings, dict[str, tuple[PrinterState, str, datetime]], list[PrintJob]]:
        """Printers, their last known states and the latest jobs, for staff (starts the checks if due)."""
        settings = self.settings()
        self._ensure_monitor(settings)
        with self._read() as conn:
            store = PrintStore(conn)
            return settings, store.statuses(), store.recent()

