"""A live `antrean serve` on 127.0.0.1 with real python-socketio clients."""

from __future__ import annotations

import pytest
import requests
import socketio

from ..support import LiveServer, demo_raw

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


def test_display_limited_to_one_agency_sees_only_its_calls(live_server: LiveServer, tokens: dict[str, str]) -> None:
    _issue(live_server, tokens["kiosk"], "NPWP")
    _issue(live_server, tokens["kiosk"], "KTP")
    kpp = {"Authorization": f"Bearer {live_server.token('petugas.kpp')}"}
    duk = {"Authorization": f"Bearer {live_server.token('petugas.dukcapil')}"}
    with socketio.SimpleClient() as display:
        display.connect(live_server.url, namespace="/display", auth={"token": tokens["display_dukcapil"]})
        state = _receive(display, "state")
        assert {q["agency"]["code"] for q in state["queues"]} == {"DUKCAPIL"}
        assert requests.post(live_server.url + "/api/v1/counters/L14/call-next", headers=kpp, timeout=5).ok
        assert requests.post(live_server.url + "/api/v1/counters/L01/call-next", headers=duk, timeout=5).ok
        call = _receive(display, "call")
        assert call["ticket"]["number"] == "A-001"  # R-001 (KPP) was called first but never arrives here


def test_consoles_and_kiosks_get_state_then_live_changes(live_server: LiveServer, tokens: dict[str, str]) -> None:
    staff = live_server.token("petugas.dukcapil")
    with socketio.SimpleClient() as console, socketio.SimpleClient() as kiosk:
        console.connect(live_server.url, namespace="/counter", auth={"token": staff, "counter": "L01"})
        state = _receive(console, "state")
        assert [c["code"] for c in state["counters"]] == ["L01", "L02", "L03", "L04"] and state["waiting"] == []
        kiosk.connect(live_server.url, namespace="/kiosk", auth={"token": tokens["kiosk"]})
        assert len(_receive(kiosk, "state")["queues"]) == len(demo_raw()["services"])
        ticket = _issue(live_server, tokens["kiosk"], "KTP")
        assert _receive(console, "ticket")["id"] == ticket["id"]
        assert next(s for s in _receive(kiosk, "queue")["services"] if s["code"] == "KTP")["waiting"] == 1
        requests.post(live_server.url + "/api/v1/counters/L01/call-next",
                      headers={"Authorization": f"Bearer {staff}"}, timeout=5)
        counter = _receive(console, "counter")
        assert counter["code"] == "L01" and counter["ticket"]["number"] == "A-001"


@pytest.mark.parametrize(("namespace", "auth"), [
    ("/counter", None), ("/counter", {"token": "dev_test-kiosk"}), ("/kiosk", None),
    ("/kiosk", {"token": "dev_test-display"}), ("/display", {"token": "not-a-token"}),
])
def test_sockets_without_the_right_token_are_refused(live_server: LiveServer, namespace: str, auth: dict) -> None:
    client = socketio.SimpleClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, namespace=namespace, auth=auth, wait_timeout=5)
    client.disconnect()


def test_an_officer_cannot_follow_another_agencys_counter(live_server: LiveServer) -> None:
    client = socketio.SimpleClient()
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, namespace="/counter",
                       auth={"token": live_server.token("petugas.dukcapil"), "counter": "L14"}, wait_timeout=5)
    client.disconnect()
