"""A live `antrean serve` on 127.0.0.1 with real python-socketio clients."""

from __future__ import annotations

import pytest
import requests
import socketio

from ..support import LiveServer

pytestmark = pytest.mark.live


def _issue(server: LiveServer, kiosk: str, service: str = "KTP") -> dict:
    r = requests.post(server.url + "/api/v1/tickets", json={"service": service},
                      headers={"Authorization": f"Bearer {kiosk}"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def _receive(client: socketio.SimpleClient, event: str, timeout: float = 5.0) -> object:
    """The next `event`, skipping others."""
    while True:
        name, *args = client.receive(timeout=timeout)
        if name == event:
            return args[0] if args else None


def test_call_reaches_connected_display_and_later_display_gets_it_in_state(
        live_server: LiveServer, tokens: dict[str, str]) -> None:
    ticket = _issue(live_server, tokens["kiosk"])
    staff = live_server.token("petugas.dukcapil")
    with socketio.SimpleClient() as display:
        display.connect(live_server.url, namespace="/display", auth={"token": tokens["display"]},
                        transports=["websocket"])
        state = _receive(display, "state")
        assert state["current"] == [] and any(q["code"] == "KTP" and q["waiting"] == 1 for q in state["queues"])
        r = requests.post(live_server.url + "/api/v1/counters/L01/call-next",
                          headers={"Authorization": f"Bearer {staff}"}, timeout=10)
        assert r.status_code == 200
        call = _receive(display, "call")
        assert call["ticket"]["number"] == ticket["number"] == "A-001"
        assert call["counter"] == {"code": "L01", "name": "Loket 1"} and call["recall"] is False
        assert call["ticket"]["agency"]["code"] == "DUKCAPIL"
    with socketio.SimpleClient() as late:
        late.connect(live_server.url, namespace="/display", auth={"token": tokens["display"]})
        state = _receive(late, "state")
        assert [c["ticket"]["number"] for c in state["current"]] == ["A-001"]
        assert state["current"][0]["code"] == "L01"
        assert state["recent"][0]["ticket"]["number"] == "A-001"
