"""A fake network printer (a real TCP server on 127.0.0.1) behind the real server and its worker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from printers.config import PrinterConfig
from printers.decoder import decode
from printers.layout import Layout, Paper, compose
from printers.render import escpos_bytes
from printers.status import ASK_ONLINE, ASK_PAPER, ASK_PROCESSED, PrinterState
from printers.transports import NetworkPrinter
from tests.support import free_port

from .fake_printer import FakeNetworkPrinter
from .helpers import KIOSK, document, hall_with_printer, issue, make_app, printed_texts, staff, wait_job

TIMEOUT = 1.0


@pytest.fixture
def fake() -> Iterator[FakeNetworkPrinter]:
    printer = FakeNetworkPrinter()
    yield printer
    printer.close()


def network(port: int) -> dict:
    return {"transport": "network", "host": "127.0.0.1", "port": port}


def test_network_printer_receives_exactly_the_ticket_between_status_queries(fake: FakeNetworkPrinter) -> None:
    cfg = PrinterConfig.from_mapping({"name": "P", **network(fake.port)}, TIMEOUT)
    assert cfg.status  # a network link is two-way: status is on unless configured off
    data = escpos_bytes(compose(Layout.load(), document(), Paper(80)))
    assert NetworkPrinter(cfg, Path(".")).print_ticket(data, "A-007") is PrinterState.OK
    assert fake.received == [ASK_ONLINE + ASK_PAPER + data + ASK_PROCESSED]
    fake.mode = "near_end"
    assert NetworkPrinter(cfg, Path(".")).status() is PrinterState.PAPER_NEAR_END


def test_kiosk_ticket_prints_on_the_network_printer(fake: FakeNetworkPrinter, tmp_path: Path) -> None:
    client = make_app(tmp_path, hall_with_printer(network(fake.port))).test_client()
    ticket = issue(client)
    started = time.monotonic()
    r = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
    assert r.status_code == 201 and r.json["job"]["state"] == "queued" and r.json["job"]["kind"] == "ticket"
    job = wait_job(client, r.json["job"]["id"])
    print(f"\nprint to network printer, request to printed: {time.monotonic() - started:.3f} s")
    assert (job["state"], job["attempts"], job["number"]) == ("printed", 1, ticket["number"])
    data = fake.received[0][len(ASK_ONLINE + ASK_PAPER):-len(ASK_PROCESSED)]
    commands = decode(data)
    assert ticket["number"] in printed_texts(data)
    assert next(c for c in commands if c.name == "QR_STORE").args["data"] == ticket["track_url"]
    assert commands[-1].name == "CUT"
    again = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
    assert again.status_code == 403 and len(fake.received) == 1  # the kiosk cannot print it twice
    printers = client.get("/api/v1/printers", headers=staff(client)).json
    assert printers["printers"][0]["name"] == "Printer Uji" and printers["printers"][0]["state"] == "ok"
    assert printers["jobs"][0]["id"] == job["id"]


@pytest.mark.parametrize("mode,failure,attempts", [("silent", "no_answer", 1), ("close", "unreachable", 2)])
def test_failing_printer_takes_failure_path_within_timeout_and_ticket_stays_reprintable(
        mode: str, failure: str, attempts: int, tmp_path: Path) -> None:
    fake = FakeNetworkPrinter(mode)
    try:
        client = make_app(tmp_path, hall_with_printer(network(fake.port), timeout_s=TIMEOUT)).test_client()
        ticket = issue(client)
        started = time.monotonic()
        r = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
        assert r.status_code == 201
        answered = time.monotonic() - started
        t0 = time.monotonic()
        second = issue(client)  # issuing never waits for the stuck printer
        issue_s = time.monotonic() - t0
        job = wait_job(client, r.json["job"]["id"])
        elapsed = time.monotonic() - started
        print(f"\n{mode}: print request answered in {answered:.3f} s, next ticket issued in {issue_s:.3f} s, "
              f"failure recorded after {elapsed:.2f} s (timeout {TIMEOUT} s)")
        assert answered < 0.5 and issue_s < 0.5 and second["number"] == "A-002"
        assert (job["state"], job["failure"], job["attempts"]) == ("failed", failure, attempts)
        assert elapsed < TIMEOUT + 0.8
        status = client.get(f"/api/v1/tickets/{ticket['id']}").json
        assert status["status"] == "waiting" and status["number"] == ticket["number"]  # still valid

        officer = staff(client)
        printers = client.get("/api/v1/printers", headers=officer).json["printers"]
        assert printers[0]["state"] in ("no_answer", "unreachable") and printers[0]["can_print"] is False
        fake.mode = "ok"  # paper fixed, cable back: staff reprint
        r = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=officer)
        assert r.status_code == 201 and r.json["job"]["kind"] == "reprint"
        assert wait_job(client, r.json["job"]["id"])["state"] == "printed"
        lines = printed_texts(fake.received[-1])
        assert ticket["number"] in lines and any(line.startswith("CETAK ULANG") for line in lines)
    finally:
        fake.close()


def test_paper_out_is_reported_and_nothing_is_sent(tmp_path: Path) -> None:
    fake = FakeNetworkPrinter("paper_out")
    try:
        client = make_app(tmp_path, hall_with_printer(network(fake.port))).test_client()
        ticket = issue(client)
        job = wait_job(client, client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK).json["job"]["id"])
        assert (job["state"], job["failure"], job["attempts"]) == ("failed", "paper_out", 1)
        assert fake.received == [ASK_ONLINE + ASK_OFFLINE_CAUSE_QUERY]
        printer = client.get("/api/v1/printers", headers=staff(client)).json["printers"][0]
        assert (printer["state"], printer["state_label"]) == ("paper_out", "Kertas habis")
    finally:
        fake.close()


ASK_OFFLINE_CAUSE_QUERY = b"\x10\x04\x02"


def test_printer_switched_off_fails_fast_after_retries(tmp_path: Path) -> None:
    client = make_app(tmp_path, hall_with_printer(network(free_port()))).test_client()
    ticket = issue(client)
    started = time.monotonic()
    job = wait_job(client, client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK).json["job"]["id"])
    assert (job["state"], job["failure"], job["attempts"]) == ("failed", "unreachable", 2)
    assert time.monotonic() - started < TIMEOUT


def test_status_checks_run_in_the_background_not_on_the_request_path(tmp_path: Path) -> None:
    fake = FakeNetworkPrinter("silent")
    try:
        client = make_app(tmp_path, hall_with_printer(network(fake.port), status_every_s=0.3)).test_client()
        officer = staff(client)  # the first request starts the checks
        started = time.monotonic()
        assert client.get("/api/v1/printers", headers=officer).status_code == 200
        assert issue(client)["number"] == "A-001"
        assert time.monotonic() - started < 0.5  # a silent printer holds up neither staff nor issuing
        fake.mode = "near_end"
        deadline = time.monotonic() + 5
        state = None
        while time.monotonic() < deadline and state != "paper_near_end":
            state = client.get("/api/v1/printers", headers=officer).json["printers"][0]["state"]
            time.sleep(0.05)
        assert state == "paper_near_end"
        assert all(conn in (ASK_ONLINE, ASK_ONLINE + ASK_PAPER) for conn in fake.received)  # checks print nothing
    finally:
        fake.close()
