"""The kiosk agent: runs on a kiosk PC and prints that kiosk's tickets on the printers attached to it.

It connects to the server's /print namespace with the kiosk's device token and auth
{"agent": true}, learns its printers (`printers`), prints each `job` it is handed (the server's
rendered bytes, unchanged) and answers `job_result` until the server acknowledges. A job it has
already printed is never printed again, even if the server hands it over again after a
reconnect: the remembered result is sent instead. Status checks run in the same worker as the
prints, so they never share a printer's link with a ticket.
"""

from __future__ import annotations

import base64
import logging
import queue as queues
import threading
import time
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any

import socketio

from .config import PrinterConfig
from .jobs import FailureKind, Outcome, RetryPolicy, run_job
from .status import PrinterState
from .transports import printer_for

log = logging.getLogger(__name__)
NAMESPACE = "/print"
REMEMBERED = 500  # results kept to answer redeliveries


class KioskAgent:
    """One kiosk's print agent."""

    def __init__(self, server: str, token: str, base: Path, status_every_s: float = 30.0,
                 policy: RetryPolicy | None = None) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.base = base
        self.status_every_s = status_every_s
        self.policy = policy or RetryPolicy()
        self.printers: dict[str, PrinterConfig] = {}
        self.results: OrderedDict[str, dict[str, Any]] = OrderedDict()  # job id -> outcome, printed or not
        self.unacknowledged: set[str] = set()
        self.tasks: queues.Queue[dict[str, Any] | None] = queues.Queue()
        self._stop = threading.Event()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=3)
        self.sio.on("connect", self._connected, namespace=NAMESPACE)
        self.sio.on("printers", self._printers, namespace=NAMESPACE)
        self.sio.on("job", self.tasks.put, namespace=NAMESPACE)

    # -- Socket.IO --------------------------------------------------------------------------

    def _connected(self) -> None:
        log.info("connected to %s", self.server)
        for job_id in list(self.unacknowledged):  # results the server may have missed
            self.tasks.put({"id": job_id, "resend": True})

    def _printers(self, data: list[dict[str, Any]]) -> None:
        self.printers = {p["name"]: PrinterConfig.from_mapping(p, float(p.get("timeout_s", 3))) for p in data}
        log.info("printers: %s", ", ".join(self.printers) or "none")

    def _report(self, job_id: str) -> None:
        try:
            ack = self.sio.call("job_result", {"id": job_id, **self.results[job_id]}, namespace=NAMESPACE, timeout=5)
        except (socketio.exceptions.SocketIOError, OSError):
            ack = None
        if isinstance(ack, dict) and ack.get("ok"):
            self.unacknowledged.discard(job_id)
        else:
            self.unacknowledged.add(job_id)

    # -- work -------------------------------------------------------------------------------

    def _print(self, job: dict[str, Any]) -> dict[str, Any]:
        cfg = PrinterConfig.from_mapping(job["printer"], float(job["printer"].get("timeout_s", 3)))
        remaining = (datetime.fromisoformat(job["expires_at"]) - datetime.now().astimezone()).total_seconds()
        if remaining <= 0:
            return Outcome(False, 0, PrinterState.UNKNOWN, FailureKind.EXPIRED, "Terlambat: tidak dicetak").as_json()
        policy = RetryPolicy(self.policy.attempts, self.policy.retry_after_s, remaining)
        data = base64.b64decode(job["data"])
        return run_job(data, job["number"], printer_for(cfg, self.base), policy).as_json()

    def handle(self, task: dict[str, Any]) -> None:
        """Print a job once (or resend its remembered result), then report it."""
        job_id = str(task["id"])
        if job_id not in self.results:
            if task.get("resend"):
                return
            self.results[job_id] = self._print(task)
            while len(self.results) > REMEMBERED:
                self.results.popitem(last=False)
        self._report(job_id)

    def check_printers(self) -> None:
        """Report the state of every attached printer."""
        for cfg in list(self.printers.values()):
            state = printer_for(cfg, self.base).status()
            try:
                self.sio.emit("printer_status", {"printer": cfg.name, "state": state.value}, namespace=NAMESPACE)
            except socketio.exceptions.SocketIOError:
                return

    def _work(self) -> None:
        next_check = time.monotonic()
        while not self._stop.is_set():
            try:
                task = self.tasks.get(timeout=max(0.05, next_check - time.monotonic()))
            except queues.Empty:
                task = None
            if task is not None:
                try:
                    self.handle(task)
                except Exception:  # one bad job must not stop the kiosk's printing
                    log.exception("print job failed")
            if time.monotonic() >= next_check and self.sio.connected:
                self.check_printers()
                next_check = time.monotonic() + self.status_every_s

    def start(self) -> None:
        """Connect (retrying until the server answers) and start printing in a thread."""
        threading.Thread(target=self._work, name="kiosk-agent", daemon=True).start()
        while not self._stop.is_set():
            try:
                self.sio.connect(self.server, auth={"token": self.token, "agent": True}, namespaces=[NAMESPACE],
                                 transports=["websocket"], wait_timeout=5)
                return
            except socketio.exceptions.ConnectionError as exc:
                log.warning("server not reachable (%s); retrying", exc)
                self._stop.wait(2)

    def stop(self) -> None:
        """Disconnect and stop the worker."""
        self._stop.set()
        self.sio.disconnect()

    def run_forever(self) -> None:
        """start(), then wait until interrupted."""
        self.start()
        try:
            self._stop.wait()
        except KeyboardInterrupt:
            self.stop()
