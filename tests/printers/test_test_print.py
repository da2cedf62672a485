"""Admins' test print: a page of real ESC/POS bytes down the ticket's print path (job row, worker,
result), on a real SQLite file, a fake network printer on 127.0.0.1 and /admin in Chromium."""

from __future__ import annotations

import base64
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from alembic import command
from alembic.script import ScriptDirectory
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, func, inspect, select

from printers.decoder import decode
from printers.jobs import JobKind, PrintJob
from printers.store import PrintStore
from queue_server.adapters import db
from queue_server.adapters.db import make_engine
from queue_server.adapters.migrate import alembic_config
from queue_server.adapters.repository import Repository
from queue_server.config import hall_from_config
from queue_server.service_layer.queue import QueueService
from tests.support import KIOSK as KIOSK_ACTOR
from tests.support import FakeClock, LiveServer, demo_raw, free_port

from ..console.conftest import sign_in
from .fake_printer import FakeNetworkPrinter
from .helpers import hall_with_printer, make_app, printed_texts, staff, wait_job

VIRTUAL = "Printer Uji"  # hall_with_printer's printer, here a virtual one (a folder)


def hall(tmp_path: Path, *devices: dict[str, Any]) -> dict[str, Any]:
    """The demo hall with the virtual test printer and `devices` (server-driven, 80 mm unless said)."""
    raw = hall_with_printer({"transport": "virtual", "folder": str(tmp_path / "tickets")})
    raw["printers"]["device"] += [{"driven_by": "server", "paper": 80, **d} for d in devices]
    return raw


def network(name: str, port: int) -> dict[str, Any]:
    return {"name": name, "transport": "network", "host": "127.0.0.1", "port": port}


def ask_test_print(client: FlaskClient, printer: str, headers: dict[str, str]) -> Any:
    """POST the test print; the response."""
    return client.post(f"/api/v1/admin/printers/{printer}/test", headers=headers)


def job_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(db.print_job)).scalar_one()


def test_migration_0007_keeps_existing_print_jobs_and_admits_jobs_without_a_ticket(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    with engine.begin() as conn:  # every branch as it was before 0007: print_job.ticket_id NOT NULL
        cfg.attributes["connection"] = conn
        for head in script.get_heads():
            ancestry = {r.revision for r in script.iterate_revisions(head, "base")}
            command.upgrade(cfg, "0002" if "0007" in ancestry else head)
    with engine.connect() as conn:
        assert "0007" not in {r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
        assert not next(c for c in inspect(conn).get_columns("print_job") if c["name"] == "ticket_id")["nullable"]
    catalog, settings_json = hall_from_config(demo_raw(), always_open=True)
    with engine.begin() as conn:
        Repository(conn).store_hall(catalog, settings_json)
    clock = FakeClock()
    ticket = QueueService(engine, publish=lambda events, catalog: None, clock=clock).issue("KTP", KIOSK_ACTOR).ticket
    old = PrintJob(id="job-before-0007", ticket_id=ticket.id, number=ticket.number, printer="Printer Kiosk Lobi",
                   kind=JobKind.TICKET, created_at=clock(), expires_at=clock() + timedelta(seconds=20),
                   requested_by="kiosk-test")
    with engine.begin() as conn:
        PrintStore(conn).add(old, b"\x1b@ticket bytes")

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")

    with engine.begin() as conn:
        store = PrintStore(conn)
        assert store.get(old.id) == old and store.data(old.id) == b"\x1b@ticket bytes"  # kept, byte for byte
        assert store.for_ticket(ticket.id) == [old]
        test = PrintJob(id="test-page", ticket_id=None, number="UJI-CETAK", printer="Printer Kiosk Lobi",
                        kind=JobKind.TEST, created_at=clock(), expires_at=clock() + timedelta(seconds=20),
                        requested_by="admin")
        store.add(test, b"\x1b@test page")
        assert store.get(test.id) == test
        assert next(c for c in inspect(conn).get_columns("print_job") if c["name"] == "ticket_id")["nullable"]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check(print_job)").all() == []


@pytest.mark.parametrize("transport,paper", [("virtual", 80), ("file", 58)])
def test_test_page_prints_real_escpos_bytes_down_the_ticket_path(transport: str, paper: int, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    extra = {"name": "Printer Lantai 2/Berkas", "transport": "file", "device": str(device), "paper": 58}  # a "/" too
    app = make_app(tmp_path, hall(tmp_path, extra))
    client = app.test_client()
    admin = staff(client, "admin")
    name = VIRTUAL if transport == "virtual" else "Printer Lantai 2/Berkas"
    r = ask_test_print(client, name, admin)
    assert r.status_code == 202, r.json
    queued = r.json["job"]
    assert (queued["kind"], queued["ticket_id"], queued["number"], queued["printer"], queued["requested_by"]) == (
        "test", None, "UJI-CETAK", name, "admin")
    job = wait_job(client, queued["id"])
    assert (job["state"], job["attempts"], job["error"]) == ("printed", 1, None)

    with app.extensions["antrean.prints"].engine.connect() as conn:
        stored = PrintStore(conn).data(job["id"])
    data = next((tmp_path / "tickets").glob("*/*.bin")).read_bytes() if transport == "virtual" else device.read_bytes()
    assert data == stored  # the printer got exactly the job's bytes
    commands = decode(data)
    assert commands[0].name == "INIT" and commands[-1].name == "CUT"
    assert not [c for c in commands if c.name == "UNKNOWN"]
    lines = printed_texts(data)
    columns = {58: 32, 80: 48}[paper]
    assert "Uji cetak" in lines and "Test print" in lines
    assert f"Printer: {name}" in lines
    assert f"Kertas / Paper: {paper} mm, {columns} kolom / columns" in " ".join(lines)
    assert ("1234567890" * 5)[:columns] in lines  # the ruler spans the roll
    assert max(len(line) for line in lines) == columns
    assert any(line.startswith("Waktu / Time:") for line in lines) and "WIB" in " ".join(lines)
    assert "Mal Pelayanan Publik" in " ".join(lines)
    assert next(c for c in commands if c.name == "QR_STORE").args["data"] == f"Uji cetak {name}"
    if transport == "virtual":
        assert next((tmp_path / "tickets").glob("*/*UJI-CETAK.png")).stat().st_size > 0

    listing = client.get("/api/v1/printers", headers=admin).json
    printer = next(p for p in listing["printers"] if p["name"] == name)
    assert printer["state"] in ("ok", "unknown") and printer["checked_at"]
    assert listing["jobs"][0]["id"] == job["id"] and listing["jobs"][0]["kind"] == "test"


def test_unknown_printer_is_a_404_and_an_officer_is_refused_with_nothing_queued(tmp_path: Path) -> None:
    app = make_app(tmp_path, hall(tmp_path))
    client = app.test_client()
    engine = app.extensions["antrean.prints"].engine
    r = ask_test_print(client, "Printer Hantu", staff(client, "admin"))
    assert r.status_code == 404 and r.is_json
    assert r.json["error"]["message"] == "Printer tidak dikenal: Printer Hantu"
    assert r.json["error"]["message_en"] == "Unknown printer: Printer Hantu"
    r = ask_test_print(client, VIRTUAL, staff(client, "petugas.dukcapil"))
    assert r.status_code == 403 and r.json["error"]["message"] == "Hanya admin yang boleh melakukan uji cetak"
    assert ask_test_print(client, VIRTUAL, {"Authorization": "Bearer dev_test-kiosk"}).status_code == 403
    assert ask_test_print(client, VIRTUAL, {}).status_code == 401
    assert job_count(engine) == 0
    assert not (tmp_path / "tickets").exists()


def test_network_printer_prints_the_page_and_an_unreachable_one_fails_with_the_reason(tmp_path: Path) -> None:
    fake = FakeNetworkPrinter()
    try:
        client = make_app(tmp_path, hall(tmp_path, network("Printer Jaringan", fake.port),
                                         network("Printer Mati", free_port()))).test_client()
        admin = staff(client, "admin")
        started = time.monotonic()
        r = ask_test_print(client, "Printer Jaringan", admin)
        answered = time.monotonic() - started
        job = wait_job(client, r.json["job"]["id"])
        printed = time.monotonic() - started
        assert r.status_code == 202 and answered < 0.5
        assert (job["state"], job["attempts"]) == ("printed", 1)
        lines = printed_texts(fake.received[0])
        assert "Uji cetak" in lines and "Printer: Printer Jaringan" in lines
        assert "Sambungan / Link: network 127.0.0.1:" + str(fake.port) in lines

        started = time.monotonic()
        job = wait_job(client, ask_test_print(client, "Printer Mati", admin).json["job"]["id"])
        failed = time.monotonic() - started
        print(f"\ntest print, request answered in {answered:.3f} s, printed on the fake network printer after "
              f"{printed:.3f} s; unreachable printer failed after {failed:.3f} s")
        assert (job["state"], job["failure"], job["attempts"]) == ("failed", "unreachable", 2)  # retried once
        assert job["error"].startswith("Printer tidak dapat dihubungi")
        printer = next(p for p in client.get("/api/v1/printers", headers=admin).json["printers"]
                       if p["name"] == "Printer Mati")
        assert (printer["state"], printer["state_label"]) == ("unreachable", "Printer tidak dapat dihubungi")
        assert printer["detail"].startswith("Printer tidak dapat dihubungi") and printer["checked_at"]
    finally:
        fake.close()


def test_agent_driven_printer_gets_the_page_over_the_agent_link_and_its_verdict_counts(tmp_path: Path) -> None:
    usb = {"transport": "usb", "vendor_id": "0416", "product_id": "5011", "driven_by": "agent", "paper": 58}
    app = make_app(tmp_path, hall_with_printer(usb))
    client = app.test_client()
    admin = staff(client, "admin")
    job = wait_job(client, ask_test_print(client, "Printer Uji", admin).json["job"]["id"])
    assert (job["state"], job["failure"]) == ("failed", "unreachable")
    assert job["error"] == "Agen printer kiosk tidak terhubung"

    agent = app.extensions["antrean.socketio"].test_client(app, namespace="/print", flask_test_client=client,
                                                           auth={"token": "dev_test-kiosk", "agent": True})
    agent.get_received("/print")  # its printers
    r = ask_test_print(client, "Printer Uji", admin)
    assert r.status_code == 202 and r.json["job"]["state"] == "printing"  # handed to the connected agent
    sent = next(e["args"][0] for e in agent.get_received("/print") if e["name"] == "job")
    assert (sent["id"], sent["number"], sent["printer"]["name"]) == (r.json["job"]["id"], "UJI-CETAK", "Printer Uji")
    lines = printed_texts(base64.b64decode(sent["data"]))
    assert "Uji cetak" in lines and "Kertas / Paper: 58 mm, 32 kolom" in lines
    assert "12345678901234567890123456789012" in lines  # the ruler of a 58 mm roll
    ack = agent.emit("job_result", {"id": sent["id"], "printed": True, "attempts": 1, "state": "ok"},
                     namespace="/print", callback=True)
    assert ack == {"ok": True}
    job = client.get(f"/api/v1/print-jobs/{sent['id']}", headers=admin).json
    assert (job["state"], job["kind"], job["attempts"]) == ("printed", "test", 1)
    agent.disconnect(namespace="/print")


@pytest.mark.live
def test_admin_test_prints_from_the_printers_tab_and_sees_each_outcome(
        live_server: LiveServer, browser: Browser, artifacts: Path, tmp_path: Path) -> None:
    section = {"timeout_s": 0.5, "attempts": 2, "retry_after_s": 0.1, "deadline_s": 10, "status_every_s": 0, "device": [
        {"name": "Printer Kiosk Lobi", "kiosks": ["Kiosk Lobi"], "transport": "virtual",
         "folder": str(tmp_path / "tickets"), "paper": 80},
        {"name": "Printer Mati", "transport": "network", "host": "127.0.0.1", "port": free_port(), "paper": 58}]}
    admin_token = live_server.token("admin")
    r = requests.put(f"{live_server.url}/api/v1/admin/settings/printers", json=section, timeout=10,
                     headers={"Authorization": f"Bearer {admin_token}"})
    assert r.status_code == 200, r.text

    page = sign_in(browser, live_server, "admin", "/admin")
    page.click('[data-tab="printers"]')
    lobby = page.locator('#printers tr[data-printer="Printer Kiosk Lobi"]')
    dead = page.locator('#printers tr[data-printer="Printer Mati"]')
    expect(lobby).to_contain_text("virtual")
    expect(lobby).to_contain_text("80 mm")
    expect(lobby).to_contain_text("Kiosk Lobi")
    expect(dead).to_contain_text("58 mm")
    lobby.locator("button[data-test]").click()
    expect(lobby.locator("td.outcome")).to_contain_text("Tercetak", timeout=10000)
    expect(lobby.locator("td.state")).to_contain_text("Siap")
    dead.locator("button[data-test]").click()
    expect(dead.locator("td.outcome")).to_contain_text("Gagal", timeout=10000)
    expect(dead.locator("td.outcome")).to_contain_text("Printer tidak dapat dihubungi")
    expect(dead.locator("td.state")).to_contain_text("Printer tidak dapat dihubungi")
    page.screenshot(path=str(artifacts / "admin-printers.png"))
    assert len(list((tmp_path / "tickets").glob("*/*UJI-CETAK.bin"))) == 1
    page.context.close()


@pytest.mark.live
def test_admin_adds_changes_and_removes_a_printer_through_the_form(
        live_server: LiveServer, browser: Browser, tmp_path: Path) -> None:
    page = sign_in(browser, live_server, "admin", "/admin")
    page.click('[data-tab="printers"]')
    expect(page.locator('#printers tr[data-printer="Printer Kiosk Lobi"]')).to_be_visible()

    def fill_new(name: str) -> None:
        page.click("#new-printer")
        page.fill('#dlg-edit input[name="name"]', name)
        page.select_option('#dlg-edit select[name="transport"]', "virtual")
        page.fill('#dlg-edit input[name="link.folder"]', str(tmp_path / "loket"))
        page.select_option('#dlg-edit select[name="paper"]', "58")
        page.fill('#dlg-edit input[name="kiosks"]', "Kiosk Lantai 2")
        page.click('#dlg-edit button[type="submit"]')

    fill_new("Printer Kiosk Lobi")  # a second printer of that name: refused with the server's reason
    expect(page.locator("#toast")).to_contain_text("Nama printer harus unik")
    fill_new("Printer Lantai 2")
    added = page.locator('#printers tr[data-printer="Printer Lantai 2"]')
    expect(added).to_contain_text("58 mm")
    expect(added).to_contain_text("Kiosk Lantai 2")
    added.locator("button[data-test]").click()
    expect(added.locator("td.outcome")).to_contain_text("Tercetak", timeout=10000)
    [page_bytes] = (tmp_path / "loket").glob("*/*UJI-CETAK.bin")
    assert "Printer Lantai 2" in " ".join(printed_texts(page_bytes.read_bytes()))

    added.locator("button[data-edit-printer]").click()  # to the LAN: the folder goes, host and port come
    expect(page.locator('#dlg-edit input[name="name"]')).to_have_count(0)  # the name is the key
    page.select_option('#dlg-edit select[name="transport"]', "network")
    page.fill('#dlg-edit input[name="link.host"]', "192.168.1.50")
    page.click('#dlg-edit button[type="submit"]')
    expect(added).to_contain_text("network")
    admin = {"Authorization": f"Bearer {live_server.token('admin')}"}
    stored = requests.get(f"{live_server.url}/api/v1/admin/hall", headers=admin, timeout=10).json()["hall"]["printers"]
    device = next(d for d in stored["device"] if d["name"] == "Printer Lantai 2")
    assert (device["transport"], device["host"], device["paper"], "folder" in device) == ("network", "192.168.1.50", 58, False)

    page.on("dialog", lambda d: d.accept())  # the confirm()
    added.locator("button[data-remove-printer]").click()
    expect(added).to_have_count(0)
    stored = requests.get(f"{live_server.url}/api/v1/admin/hall", headers=admin, timeout=10).json()["hall"]["printers"]
    assert [d["name"] for d in stored["device"]] == ["Printer Kiosk Lobi"]
    page.context.close()
