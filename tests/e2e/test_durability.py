"""The server killed with SIGKILL while kiosks issue: no answered ticket is lost, no number repeats."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from ..support import LiveServer

pytestmark = pytest.mark.live
SERVICES = ("KTP", "KK", "AKTA", "NPWP")


def test_sigkill_while_issuing_loses_nothing_and_numbering_continues(live_server: LiveServer,
                                                                     tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens['kiosk']}"}
    answered: list[dict] = []
    stop = threading.Event()

    def kiosk(service: str) -> None:
        while not stop.is_set():
            try:
                r = requests.post(live_server.url + "/api/v1/tickets", json={"service": service},
                                  headers=headers, timeout=5)
            except requests.RequestException:
                return  # the server is gone
            if r.status_code == 201:
                answered.append(r.json())

    threads = [threading.Thread(target=kiosk, args=(s,)) for s in SERVICES for _ in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    while len(answered) < 80 and time.monotonic() < deadline:
        time.sleep(0.02)
    live_server.kill()  # mid-stream: requests are in flight
    stop.set()
    for t in threads:
        t.join(10)
    assert len(answered) >= 80

    live_server.start()
    for ticket in answered:
        r = requests.get(f"{live_server.url}/api/v1/tickets/{ticket['id']}", timeout=5)
        assert r.status_code == 200 and r.json()["number"] == ticket["number"]
    for service in SERVICES:
        mine = [t["number"] for t in answered if t["service"]["code"] == service]
        assert len(mine) == len(set(mine))
        after = requests.post(live_server.url + "/api/v1/tickets", json={"service": service}, headers=headers,
                              timeout=5).json()
        assert after["number"] not in mine
        assert int(after["number"].split("-")[1]) > max(int(n.split("-")[1]) for n in mine)
