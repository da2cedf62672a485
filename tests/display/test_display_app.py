"""The display's server side in the real app: page, `call` announcements, audio, limits, status."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_socketio import SocketIOTestClient
from PIL import Image

from display.service import PACKAGE
from display.wav import wav_stats
from queue_server.domain.access import DeviceKind
from queue_server.entrypoints.app import create_app
from queue_server.service_layer.accounts import Accounts

from ..support import PASSWORD, SECRET, FakeClock, add_accounts, demo_raw, prepare_database, settings_for


def _display(app: Flask, token: str | None = None) -> SocketIOTestClient:
    return app.extensions["antrean.socketio"].test_client(
        app, namespace="/display", auth={"token": token} if token else None, flask_test_client=app.test_client())


def _events(sock: SocketIOTestClient, name: str) -> list[Any]:
    return [e["args"][0] for e in sock.get_received("/display") if e["name"] == name]


def _staff(client: FlaskClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {r.get_json()['token']}"}


def _issue_and_call(client: FlaskClient, kiosk: str, service: str, counter: str, officer: str) -> dict[str, Any]:
    r = client.post("/api/v1/tickets", json={"service": service}, headers={"Authorization": f"Bearer {kiosk}"})
    assert r.status_code == 201, r.get_json()
    r = client.post(f"/api/v1/counters/{counter}/call-next", headers=_staff(client, officer))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _hall_app(tmp_path: Path, clock: FakeClock, **sections: Any) -> tuple[Flask, dict[str, str]]:
    raw = {**demo_raw(), **sections}
    url = f"sqlite:///{tmp_path / 'hall.db'}"
    engine = prepare_database(url, raw)
    return create_app(settings_for(url, raw), clock=clock), add_accounts(engine)


def test_the_page_and_its_assets_are_served_locally(client: FlaskClient) -> None:
    r = client.get("/display")
    assert r.status_code == 200 and "Nomor Antrean" in r.text and 'lang="id"' in r.text
    for url in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    for path in [*(PACKAGE / "static").iterdir(), *(PACKAGE / "templates").iterdir()]:
        assert not re.search(r"https?://", path.read_text()), f"remote URL in {path.name}"
    chime = client.get("/display/audio/chime.wav")
    assert chime.mimetype == "audio/wav" and wav_stats(chime.data).duration_s > 0.5


def test_a_call_carries_its_announcement_and_the_audio_is_rendered_off_the_request(
        app: Flask, client: FlaskClient, tokens: dict[str, str]) -> None:
    sock = _display(app, tokens["display"])
    state = _events(sock, "state")[0]
    assert state["display"]["repeat"] == 2 and state["display"]["chime_url"] == "/display/audio/chime.wav"
    _issue_and_call(client, tokens["kiosk"], "KK", "L03", "petugas.dukcapil")
    call = _events(sock, "call")[0]
    assert call["ticket"]["number"] == "B-001"
    a = call["announcement"]
    assert a["text"] == "Nomor antrean B-001, silakan menuju Loket 3, Dukcapil." and a["repeat"] == 2
    assert re.fullmatch(r"/display/audio/[0-9a-f]{32}\.wav", a["speech_url"])
    audio = client.get(a["speech_url"])  # waits briefly for the worker if it is not done yet
    assert audio.status_code == 200 and audio.mimetype == "audio/wav"
    assert 2.0 <= wav_stats(audio.data).duration_s <= 12.0
    client.post("/api/v1/counters/L03/recall", headers=_staff(client, "petugas.dukcapil"))
    recall = _events(sock, "call")[0]
    assert recall["recall"] is True and recall["announcement"]["text"].startswith("Panggilan ulang.")
    assert recall["announcement"]["speech_url"] != a["speech_url"]
    assert client.get("/display/audio/" + "0" * 32 + ".wav").status_code == 503


def test_without_a_voice_the_call_still_goes_out_with_chime_and_admins_see_why(
        tmp_path: Path, clock: FakeClock) -> None:
    raw_announcement = {**demo_raw()["announcement"], "voice": "xx"}
    app, tokens = _hall_app(tmp_path, clock, announcement=raw_announcement)
    client = app.test_client()
    sock = _display(app, tokens["display"])
    _issue_and_call(client, tokens["kiosk"], "KTP", "L01", "petugas.dukcapil")
    a = _events(sock, "call")[0]["announcement"]
    assert a["chime_url"] == "/display/audio/chime.wav" and a["text"].startswith("Nomor antrean A-001")
    r = client.get(a["speech_url"])
    assert r.status_code == 503 and r.get_json()["error"]["code"] == "speech_unavailable"
    assert client.get(a["chime_url"]).status_code == 200
    status = client.get("/display/status", headers=_staff(client, "admin"))
    speech = status.get_json()["speech"]
    assert status.status_code == 200 and speech["ok"] is False and "no voice 'xx'" in speech["last_error"]
    assert speech["failures"] >= 1
    assert client.get("/display/status", headers=_staff(client, "petugas.dukcapil")).status_code == 403
    assert client.get("/display/status").status_code == 401


def test_a_floor_display_gets_only_its_floors_calls_and_queues(tmp_path: Path, clock: FakeClock) -> None:
    app, tokens = _hall_app(tmp_path, clock, displays=[{"device": "Layar Lantai 2", "floors": ["2"]}])
    floor2 = Accounts(app.extensions["antrean.engine"], SECRET).add_device("Layar Lantai 2", DeviceKind.DISPLAY)
    client = app.test_client()
    sock = _display(app, floor2)
    state = _events(sock, "state")[0]
    assert state["display"]["agencies"] == ["KPP", "BPN", "KEMENAG", "PDAM", "DPMPTSP", "POLRES"]
    assert {q["agency"]["code"] for q in state["queues"]} == set(state["display"]["agencies"])
    _issue_and_call(client, tokens["kiosk"], "KTP", "L01", "petugas.dukcapil")  # floor 1
    _issue_and_call(client, tokens["kiosk"], "NPWP", "L14", "petugas.kpp")  # floor 2
    assert [c["ticket"]["number"] for c in _events(sock, "call")] == ["R-001"]


def test_the_media_area_shows_files_of_the_local_folder_only(tmp_path: Path, clock: FakeClock) -> None:
    media = tmp_path / "media"
    media.mkdir()
    Image.new("RGB", (64, 36), "navy").save(media / "layanan.png")
    (media / "catatan.txt").write_text("not media")
    app, tokens = _hall_app(tmp_path, clock, display={"media_dir": str(media), "running_text": "Halo"})
    client = app.test_client()
    display = _events(_display(app, tokens["display"]), "state")[0]["display"]
    assert display["media"] == ["/display/media/layanan.png?device=display"] and display["running_text"] == "Halo"
    r = client.get(display["media"][0])
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert client.get("/display/media/catatan.txt").status_code == 404
    assert client.get("/display/media/..%2Fhall.db").status_code == 404


def test_the_numbers_a_counter_will_call_next_are_rendered_ahead(tmp_path: Path, clock: FakeClock) -> None:
    app, tokens = _hall_app(tmp_path, clock, announcement={**demo_raw()["announcement"],
                                                           "cache_dir": str(tmp_path / "speech")})
    client = app.test_client()
    speech = app.extensions["antrean.displays"].speech
    for _ in range(3):
        client.post("/api/v1/tickets", json={"service": "KIA"}, headers={"Authorization": f"Bearer {tokens['kiosk']}"})
        clock.advance(seconds=30)
    staff = _staff(client, "petugas.dukcapil")
    assert client.post("/api/v1/counters/L01/call-next", headers=staff).get_json()["number"] == "E-001"
    deadline = time.monotonic() + 10
    while speech.renders < 3 and time.monotonic() < deadline:  # E-001 now, E-002 and E-003 ahead of need
        time.sleep(0.05)
    assert (speech.renders, speech.hits) == (3, 0)
    assert client.post("/api/v1/counters/L01/finish", headers=staff).status_code == 200
    assert client.post("/api/v1/counters/L01/call-next", headers=staff).get_json()["number"] == "E-002"
    assert (speech.renders, speech.hits) == (3, 1)  # the second call found its sentence ready
