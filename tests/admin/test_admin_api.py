"""/api/v1/admin and `antrean config export` on a real SQLite database, through the Flask app."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from queue_server.adapters import db
from queue_server.adapters.repository import Repository
from queue_server.config import hall_from_config
from queue_server.entrypoints.cli import main as cli
from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, PASSWORD, SECRET
from ..console.conftest import bearer


def token(client: FlaskClient, username: str) -> dict[str, str]:
    """The Authorization header of a signed-in staff member."""
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return bearer(r.get_json()["token"])


def version(engine: Engine) -> int:
    with engine.connect() as conn:
        return Repository(conn).hall_version()


def service(hall: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in hall["services"] if s["code"] == code)


def test_quota_to_todays_count_closes_the_service_live_and_is_audited(
        app: Flask, client: FlaskClient, queue: QueueService, engine: Engine) -> None:
    for _ in range(3):
        queue.issue("KTP", KIOSK)
    socketio, admin = app.extensions["antrean.socketio"], token(client, "admin")
    kiosk = socketio.test_client(app, namespace="/kiosk", auth={"token": "dev_test-kiosk"}, flask_test_client=client)
    display = socketio.test_client(app, namespace="/display", auth={"token": "dev_test-display-dukcapil"},
                                   flask_test_client=client)
    console = socketio.test_client(app, namespace="/counter", flask_test_client=client,
                                   auth={"token": token(client, "petugas.imigrasi")["Authorization"][7:]})
    for socket, namespace in ((kiosk, "/kiosk"), (display, "/display"), (console, "/counter")):
        socket.get_received(namespace)  # the connect `state`
    r = client.put("/api/v1/admin/services/KTP", json={"quota": 3}, headers=admin)
    assert r.status_code == 200, r.text
    assert service(r.get_json()["hall"], "KTP")["quota"] == 3
    events: dict[str, Any] = {}
    deadline = time.monotonic() + 3  # `queue` is coalesced: it goes out within QUEUE_FLUSH_S
    while "queue" not in events and time.monotonic() < deadline:
        events.update({e["name"]: e["args"][0] for e in kiosk.get_received("/kiosk")})
        time.sleep(0.05)
    assert events["hall"] == {"version": r.get_json()["version"]}
    [ktp] = events["queue"]["services"]
    assert (ktp["code"], ktp["open"], ktp["quota_left"]) == ("KTP", False, 0)
    assert ktp["closed_reason"] == "Kuota harian layanan ini sudah habis"
    assert client.get("/api/v1/services").get_json()[0]["open"] is False  # and for everybody else
    for socket, namespace in ((display, "/display"), (console, "/counter")):  # every screen refetches
        assert "hall" in {e["name"] for e in socket.get_received(namespace)}, namespace
    [change] = client.get("/api/v1/admin/changes", headers=admin).get_json()
    assert (change["username"], change["kind"], change["code"]) == ("admin", "services", "KTP")
    assert (change["before"]["quota"], change["after"]["quota"]) == (150, 3)
    assert change["at"].endswith("+07:00")


def test_refusals_carry_the_reason_and_change_nothing(client: FlaskClient, queue: QueueService,
                                                      engine: Engine) -> None:
    for _ in range(3):
        queue.issue("KTP", KIOSK)
    admin = token(client, "admin")
    before = version(engine)
    cases = [
        ("services/KTP", {"quota": 2}, 409, "edit_refused", "di bawah nomor yang sudah diambil hari ini (3)"),
        ("services/KIA", {"prefix": "A"}, 422, "invalid_config", "Awalan A dipakai dua layanan"),
        ("counters/L01", {"services": []}, 422, "invalid_config", "tidak melayani layanan apa pun"),
        ("services/KTP", {"hours": {"mon": "16.00-08.00"}}, 422, "invalid_config", "Jam buka tidak masuk akal"),
        ("settings/server", {"threads": 1}, 404, "not_found", "Bagian pengaturan tidak dikenal"),
        ("settings/printers", {"device": [{"name": "P", "transport": "network"}]}, 422, "invalid_config",
         "Printer P: sambungan network perlu isian host"),  # refused now, not at the next ticket's print
        ("settings/printers", {"device": [{"name": "P", "transport": "telepati"}]}, 422, "invalid_config",
         "jenis sambungan tidak dikenal"),
    ]
    for path, body, status, code, message in cases:
        r = client.put(f"/api/v1/admin/{path}", json=body, headers=admin)
        assert r.status_code == status, (path, r.text)
        error = r.get_json()["error"]
        assert error["code"] == code and message in error["message"] and error["message_en"]
    # KK printed B-001 today; after KK moves to BX, AKTA still may not take B today.
    queue.issue("KK", KIOSK)
    assert client.put("/api/v1/admin/services/KK", json={"prefix": "BX"}, headers=admin).status_code == 200
    r = client.put("/api/v1/admin/services/AKTA", json={"prefix": "B"}, headers=admin)
    assert r.status_code == 409 and "Awalan B sudah dipakai hari ini oleh layanan KK" in r.get_json()["error"]["message"]
    assert version(engine) == before + 1  # only the one accepted edit
    with engine.connect() as conn:
        assert conn.execute(select(db.hall_change.c.code)).scalars().all() == ["KK"]


def test_supervisors_edit_their_agency_only_and_officers_nothing(
        client: FlaskClient, supervisors: dict[str, str], engine: Engine) -> None:
    spv = token(client, supervisors["agency"])
    r = client.get("/api/v1/admin/hall", headers=spv)
    assert {s["agency"] for s in r.get_json()["hall"]["services"]} == {"DUKCAPIL"}
    r = client.put("/api/v1/admin/services/KIA", json={"quota": 40}, headers=spv)
    assert r.status_code == 200 and {s["agency"] for s in r.get_json()["hall"]["services"]} == {"DUKCAPIL"}
    new_counter = {"name": "Loket 28", "agency": "DUKCAPIL", "services": ["KIA"]}
    assert client.put("/api/v1/admin/counters/L28", json=new_counter, headers=spv).status_code == 200
    for path, body in (("services/PASPOR", {"quota": 10}), ("services/KIA", {"agency": "IMIGRASI"}),
                       ("counters/L29", {**new_counter, "agency": "KPP", "services": ["NPWP"]}),
                       ("agencies/DUKCAPIL", {"name": "X"}), ("settings/priority", {"ratio": 5})):
        r = client.put(f"/api/v1/admin/{path}", json=body, headers=spv)
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden", path
    officer = token(client, "petugas.dukcapil")
    for method, path in (("GET", "/api/v1/admin/hall"), ("GET", "/api/v1/admin/changes"),
                         ("PUT", "/api/v1/admin/services/KTP")):
        assert client.open(path, method=method, json={"quota": 1}, headers=officer).status_code == 403
    assert client.get("/api/v1/admin/hall").status_code == 401
    assert client.get("/api/v1/admin/hall", headers=bearer("dev_test-kiosk")).status_code == 403
    assert len(client.get("/api/v1/admin/changes", headers=spv).get_json()) == 2


def test_admin_creates_an_agency_and_edits_settings(client: FlaskClient, engine: Engine) -> None:
    admin = token(client, "admin")
    assert client.put("/api/v1/admin/agencies/DISHUB", json={"name": "Dinas Perhubungan", "floor": "2"},
                      headers=admin).status_code == 200
    assert client.put("/api/v1/admin/services/KIR", headers=admin, json={
        "name": "Uji KIR", "agency": "DISHUB", "prefix": "AH", "quota": 20,
        "hours": {"mon": "08.00-12.00", "closed_dates": ["2026-12-25"]}}).status_code == 200
    r = client.put("/api/v1/admin/settings/priority", headers=admin, json={"ratio": 3, "categories": []})
    assert r.status_code == 200
    with engine.connect() as conn:
        catalog = Repository(conn).load_catalog()
    assert catalog.settings.priority.ratio == 3 and catalog.services["KIR"].hours.to_mapping() == {"mon": "08.00-12.00"}
    assert catalog.agencies["DISHUB"].floor == "2"


def test_export_then_load_changes_nothing(client: FlaskClient, engine: Engine, sqlite_url: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    admin = token(client, "admin")  # an edited hall: a service with its own hours, no quota, inactive
    client.put("/api/v1/admin/services/KK", json={"quota": None, "target_minutes": 7.5, "active": False,
                                                  "hours": {"sat": "08.00-10.00"}}, headers=admin)
    client.put("/api/v1/admin/counters/L03", json={"services": ["PINDAH"]}, headers=admin)
    client.put("/api/v1/admin/counters/L04", json={"services": ["AKTA", "KIA"]}, headers=admin)
    monkeypatch.setenv("ANTREAN_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("ANTREAN_SECRET_KEY", SECRET)
    out = tmp_path / "hall.toml"
    result = CliRunner().invoke(cli, ["config", "export", "--output", str(out)])
    assert result.exit_code == 0, result.output
    raw = tomllib.loads(out.read_text(encoding="utf-8"))
    assert service(raw, "KK")["active"] is False and "quota" not in service(raw, "KK")
    before = version(engine)
    with engine.begin() as conn:
        assert Repository(conn).store_hall(*hall_from_config(raw)) is False
    assert version(engine) == before
    monkeypatch.setenv("ANTREAN_CONFIG", str(out))
    assert CliRunner().invoke(cli, ["config", "load"]).output.strip() == "hall unchanged"


def test_accounts_and_devices(client: FlaskClient, supervisors: dict[str, str]) -> None:
    admin, spv = token(client, "admin"), token(client, supervisors["agency"])
    new_officer = {"password": "kata-sandi-baru", "role": "officer", "agency": "DUKCAPIL"}
    r = client.put("/api/v1/admin/users/petugas3.dukcapil", json=new_officer, headers=spv)
    assert r.status_code == 200 and {u["agency_code"] for u in r.get_json()} == {"DUKCAPIL"}
    assert "password_hash" not in r.get_json()[0]
    old_session = token(client, "petugas.dukcapil")
    assert client.put("/api/v1/admin/users/petugas.dukcapil", json=new_officer, headers=spv).status_code == 200
    assert client.get("/api/v1/counters", headers=old_session).status_code == 401  # a reset ends the sessions
    for username, body in (("petugas.imigrasi", {**new_officer, "agency": "IMIGRASI"}),
                           ("petugas.imigrasi", new_officer),  # someone of another agency, moved in
                           ("bos", {**new_officer, "role": "admin", "agency": None}),
                           ("spv2", {**new_officer, "role": "supervisor"})):
        assert client.put(f"/api/v1/admin/users/{username}", json=body, headers=spv).status_code == 403, username
    r = client.put("/api/v1/admin/users/x", json={**new_officer, "role": "boss"}, headers=admin)
    assert r.status_code == 422 and "role" in r.get_json()["error"]["message"]
    assert client.put("/api/v1/admin/users/x", json={**new_officer, "password": "short"}, headers=admin).status_code == 422

    r = client.put("/api/v1/admin/devices/Layar Imigrasi", json={"kind": "display", "agencies": ["IMIGRASI"]},
                   headers=admin)
    device = r.get_json()["token"]
    assert r.status_code == 200 and device.startswith("dev_")
    assert client.get("/api/v1/services", headers=bearer(device)).status_code == 200
    assert {"name": "Layar Imigrasi", "kind": "display", "agencies": ["IMIGRASI"], "active": True} in \
        client.get("/api/v1/admin/devices", headers=admin).get_json()
    assert client.put("/api/v1/admin/devices/K2", json={"kind": "kiosk"}, headers=spv).status_code == 403
    assert client.put("/api/v1/admin/devices/K2", json={"kind": "kiosk", "agencies": ["NOPE"]},
                      headers=admin).status_code == 404
    changes = client.get("/api/v1/admin/changes", headers=admin).get_json()
    assert [(c["kind"], c["code"]) for c in changes][:3] == [
        ("devices", "Layar Imigrasi"), ("users", "petugas.dukcapil"), ("users", "petugas3.dukcapil")]
    assert "token" not in str(changes) and "kata-sandi" not in str(changes)


def test_removing_retires_and_refuses_while_people_wait(client: FlaskClient, queue: QueueService,
                                                        engine: Engine) -> None:
    admin = token(client, "admin")
    queue.issue("PKB", KIOSK)
    r = client.delete("/api/v1/admin/counters/L11", headers=admin)
    assert r.status_code == 200 and "L11" not in {c["code"] for c in r.get_json()["hall"]["counters"]}
    r = client.delete("/api/v1/admin/services/PKB", headers=admin)  # L12 still lists it
    assert r.status_code == 422 and "layanan PKB tidak ada" in r.get_json()["error"]["message"]
    client.put("/api/v1/admin/counters/L12", json={"services": ["STNK5"]}, headers=admin)
    for request in (client.delete, lambda *a, **k: client.put(*a, json={"active": False}, **k)):
        r = request("/api/v1/admin/services/PKB", headers=admin)
        assert r.status_code == 409 and "masih punya 1 nomor menunggu" in r.get_json()["error"]["message"]
    assert client.delete("/api/v1/admin/services/STNK5", headers=admin).status_code == 422  # L12, L13 serve it
    assert client.delete("/api/v1/admin/counters/L99", headers=admin).status_code == 404
    with engine.connect() as conn:
        retired = conn.execute(select(db.counter.c.retired).where(db.counter.c.code == "L11")).scalar_one()
        [change] = Repository(conn).hall_changes(limit=200)[-1:]
    assert retired is True and (change["code"], change["after"]) == ("L11", None)
    assert change["agency_code"] == "SAMSAT"


def test_a_lost_kiosk_is_switched_off_at_once_and_on_again(app: Flask, client: FlaskClient) -> None:
    admin, kiosk = token(client, "admin"), bearer("dev_test-kiosk")
    socketio = app.extensions["antrean.socketio"]
    screen = socketio.test_client(app, namespace="/kiosk", auth={"token": "dev_test-kiosk"}, flask_test_client=client)
    screen.get_received("/kiosk")
    for body, status in (({"active": "no"}, 422), ({}, 422)):
        assert client.put("/api/v1/admin/devices/kiosk/active", json=body, headers=admin).status_code == status
    assert client.put("/api/v1/admin/devices/nowhere/active", json={"active": False}, headers=admin).status_code == 404
    assert client.put("/api/v1/admin/devices/kiosk/active", json={"active": False},
                      headers=token(client, "petugas.dukcapil")).status_code == 403

    r = client.put("/api/v1/admin/devices/kiosk/active", json={"active": False}, headers=admin)
    assert r.status_code == 200 and next(d for d in r.get_json() if d["name"] == "kiosk")["active"] is False
    refused = client.post("/api/v1/tickets", json={"service": "KTP"}, headers=kiosk)
    assert refused.status_code == 401 and refused.get_json()["error"]["message"] == "Token perangkat tidak dikenal"
    assert "hall" in {e["name"] for e in screen.get_received("/kiosk")}  # the open page reconnects...
    again = socketio.test_client(app, namespace="/kiosk", auth={"token": "dev_test-kiosk"}, flask_test_client=client)
    assert not again.is_connected("/kiosk")  # ...and is refused
    [change] = [c for c in client.get("/api/v1/admin/changes", headers=admin).get_json() if c["kind"] == "devices"]
    assert (change["code"], change["before"], change["after"]) == ("kiosk", {"active": True}, {"active": False})

    assert client.put("/api/v1/admin/devices/kiosk/active", json={"active": True}, headers=admin).status_code == 200
    assert client.post("/api/v1/tickets", json={"service": "KTP"}, headers=kiosk).status_code == 201
