"""Shared by the printer and kiosk tests: a ticket document, a hall with a printer, an app on it."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from printers.decoder import decode
from printers.layout import TicketDocument
from queue_server.entrypoints.app import create_app

from ..support import PASSWORD, add_accounts, demo_raw, prepare_database, settings_for

KIOSK = {"Authorization": "Bearer dev_test-kiosk"}


def document(**changes: Any) -> TicketDocument:
    """A Dukcapil ticket as the layout receives it."""
    values: dict[str, Any] = dict(
        hall="Mal Pelayanan Publik Kota Sukamaju", agency="Dinas Kependudukan dan Pencatatan Sipil",
        service="Perekaman dan Pencetakan KTP-el", number="A-007",
        issued_at=datetime(2026, 11, 23, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta")), timezone="Asia/Jakarta",
        people_ahead=6, wait_s=1680, track_url="http://127.0.0.1:8000/t/Zx9-abcDEF12",
        counters="Loket 1, Loket 2",
        requirements="Kartu Keluarga asli; sudah berusia 17 tahun atau sudah/pernah menikah",
        footer="Simpan tiket ini sampai nomor Anda dipanggil.")
    values.update(changes)
    return TicketDocument(**values)


def hall_with_printer(device: dict[str, Any], **section: Any) -> dict[str, Any]:
    """config.toml's hall whose test kiosk ("kiosk") has one printer; short timeouts, no status rounds."""
    raw = demo_raw()
    raw["printers"] = {"timeout_s": 1.0, "attempts": 2, "retry_after_s": 0.1, "deadline_s": 10, "status_every_s": 0,
                       **section,
                       "device": [{"name": "Printer Uji", "kiosks": ["kiosk"], "driven_by": "server", "paper": 80,
                                   **device}]}
    return raw


def make_app(tmp_path: Path, raw: dict[str, Any]) -> Flask:
    """The server on a fresh SQLite file holding `raw`'s hall, with the test accounts."""
    url = f"sqlite:///{tmp_path / 'print.db'}"
    add_accounts(prepare_database(url, raw))
    return create_app(settings_for(url, raw))


def staff(client: FlaskClient, username: str = "petugas.dukcapil") -> dict[str, str]:
    """Authorization header of a signed-in officer."""
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.json
    return {"Authorization": f"Bearer {r.json['token']}"}


def issue(client: FlaskClient, service: str = "KTP") -> dict[str, Any]:
    """A ticket from the test kiosk."""
    r = client.post("/api/v1/tickets", json={"service": service}, headers=KIOSK)
    assert r.status_code == 201, r.json
    return r.json


def wait_job(client: FlaskClient, job_id: str, timeout: float = 8.0) -> dict[str, Any]:
    """Poll a print job until it is printed or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/print-jobs/{job_id}", headers=KIOSK).json
        if job["state"] in ("printed", "failed"):
            return job
        time.sleep(0.02)
    raise AssertionError(f"print job {job_id} still {job['state']}")


def printed_texts(data: bytes) -> list[str]:
    """The text lines of ESC/POS bytes."""
    return [c.args["text"] for c in decode(data) if c.name == "TEXT"]
