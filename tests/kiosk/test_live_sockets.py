"""A live `antrean serve` with real python-socketio clients: phones following tickets, the kiosk agent."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import socketio

from printers.agent import KioskAgent
from printers.jobs import RetryPolicy

from ..e2e.test_live_server import _issue as issue, _receive as receive
from ..support import LiveServer

pytestmark = pytest.mark.live
KIOSK = {"Authorization": "Bearer dev_test-kiosk"}
KIOSK_TOKEN = "dev_test-kiosk"


def test_phone_follows_its_ticket_until_called(live_server: LiveServer, tokens: dict) -> None:
    issue(live_server, KIOSK_TOKEN)
    ticket = issue(live_server, KIOSK_TOKEN)
    staff = {"Authorization": f"Bearer {live_server.token('petugas.dukcapil')}"}
    with socketio.SimpleClient() as phone:
        phone.connect(live_server.url, namespace="/track", auth={"ticket": ticket["id"]}, transports=["websocket"])
        first = receive(phone, "ticket")
        assert (first["number"], first["position"], first["status"]) == (ticket["number"], 2, "waiting")
        assert first["wait_text"]
        requests.post(live_server.url + "/api/v1/counters/L01/call-next", headers=staff, timeout=10).raise_for_status()
        moved = receive(phone, "ticket")
        assert (moved["position"], moved["people_ahead"]) == (1, 0)
        requests.post(live_server.url + "/api/v1/counters/L01/finish", headers=staff, timeout=10).raise_for_status()
        started = time.monotonic()
        requests.post(live_server.url + "/api/v1/counters/L02/call-next", headers=staff, timeout=10).raise_for_status()
        called = receive(phone, "ticket")
        while called["status"] != "called":
            called = receive(phone, "ticket")
        print(f"\ncall -> phone update: {time.monotonic() - started:.3f} s")
        assert called["counter"] == {"code": "L02", "name": "Loket 2"} and called["position"] is None
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.SimpleClient().connect(live_server.url, namespace="/track", auth={"ticket": "tidak-ada"},
                                        transports=["websocket"], wait_timeout=3)


def test_kiosk_agent_prints_its_kiosks_jobs_once(printing_server: Callable[..., LiveServer], tmp_path: Path) -> None:
    folder = tmp_path / "kiosk-pc"
    server = printing_server(transport="virtual", folder=str(folder), driven_by="agent")
    agent = KioskAgent(server.url, "dev_test-kiosk", tmp_path, status_every_s=0.2, policy=RetryPolicy(2, 0.1, 5))
    agent.start()
    with socketio.SimpleClient() as screen:
        screen.connect(server.url, namespace="/print", auth={"token": "dev_test-kiosk"}, transports=["websocket"])
        deadline = time.monotonic() + 5
        while not agent.printers and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(agent.printers) == ["Printer Uji"]
        ticket = issue(server, KIOSK_TOKEN)
        started = time.monotonic()
        r = requests.post(f"{server.url}/api/v1/tickets/{ticket['id']}/print", headers=KIOSK, timeout=10)
        assert r.status_code == 201 and r.json()["job"]["state"] == "printing"
        event = receive(screen, "print")
        print(f"\nagent print, request to `print` event at the kiosk screen: {time.monotonic() - started:.3f} s")
        assert (event["id"], event["state"], event["number"]) == (r.json()["job"]["id"], "printed", ticket["number"])
        [printed] = folder.glob(f"*/*{ticket['number']}.bin")

        agent.handle({"id": event["id"], "resend": True})  # a redelivery after a reconnect
        assert list(folder.glob("*/*.bin")) == [printed] and not agent.unacknowledged

        officer = {"Authorization": f"Bearer {server.token('petugas.dukcapil')}"}
        deadline = time.monotonic() + 5
        state = None
        while state != "ok" and time.monotonic() < deadline:  # the agent's own status checks reach staff
            state = requests.get(server.url + "/api/v1/printers", headers=officer, timeout=10).json()["printers"][0]["state"]
            time.sleep(0.05)
        assert state == "ok"

        agent.stop()
        time.sleep(0.3)
        second = issue(server, KIOSK_TOKEN)
        r = requests.post(f"{server.url}/api/v1/tickets/{second['id']}/print", headers=KIOSK, timeout=10)
        job = r.json()["job"]
        assert (job["state"], job["failure"]) == ("failed", "unreachable")  # no agent: the kiosk says so at once
        assert job["error"] == "Agen printer kiosk tidak terhubung"
        assert receive(screen, "print")["id"] == job["id"]
        assert requests.get(f"{server.url}/api/v1/tickets/{second['id']}", timeout=10).json()["status"] == "waiting"
