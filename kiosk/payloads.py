"""Print jobs and printers as JSON, for the kiosk screen, the phone page and staff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from printers.config import PrinterConfig
from printers.jobs import PrintJob
from printers.layout import wait_words
from printers.status import STATE_LABELS, PrinterState
from queue_server.domain.hall import Catalog
from queue_server.entrypoints.payloads import local_iso, place_json, ticket_json
from queue_server.service_layer.queue import TicketStatusView


def ticket_place_json(view: TicketStatusView, catalog: Catalog) -> dict[str, Any]:
    """A ticket with its place in the queue, as its holder's phone shows it (wait in words)."""
    return {**ticket_json(view.ticket, catalog), **place_json(view.estimate),
            "wait_text": wait_words(view.estimate.seconds) if view.estimate else None}


def job_json(job: PrintJob, catalog: Catalog) -> dict[str, Any]:
    """A print job without its bytes."""
    return {"id": job.id, "ticket_id": job.ticket_id, "number": job.number, "printer": job.printer,
            "kind": job.kind.value, "state": job.state.value, "attempts": job.attempts,
            "failure": job.failure.value if job.failure else None, "error": job.error or None,
            "requested_by": job.requested_by, "created_at": local_iso(job.created_at, catalog),
            "finished_at": local_iso(job.finished_at, catalog)}


def printer_json(cfg: PrinterConfig, status: tuple[PrinterState, str, datetime] | None,
                 catalog: Catalog) -> dict[str, Any]:
    """A printer with its last known state."""
    state, detail, at = status or (PrinterState.UNKNOWN, "", None)
    label, label_en = STATE_LABELS[state]
    return {"name": cfg.name, "transport": cfg.transport, "driven_by": cfg.driven_by, "kiosks": list(cfg.kiosks),
            "paper": cfg.paper, "state": state.value, "state_label": label, "state_label_en": label_en,
            "can_print": state.can_print, "detail": detail or None, "checked_at": local_iso(at, catalog)}
