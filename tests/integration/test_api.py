"""The HTTP contract: every documented status and body, and errors that change nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select

from queue_server.adapters import db

from ..support import PASSWORD


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def officer_token(client: FlaskClient) -> str:
    r = client.post("/api/v1/auth/token", json={"username": "petugas.dukcapil", "password": PASSWORD})
    assert r.status_code == 200 and r.json["role"] == "officer" and r.json["agency"] == "DUKCAPIL"
    return r.json["token"]


def snapshot(engine: Engine) -> dict[str, int]:
    """Row counts and serial totals: what any error must leave untouched."""
    with engine.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in
                  (db.ticket, db.ticket_event, db.counter_event, db.daily_serial)}
        counts["serials"] = conn.execute(select(func.coalesce(func.sum(db.daily_serial.c.last), 0))).scalar()
        counts["states"] = hash(tuple(conn.execute(select(db.counter_state).order_by(
            db.counter_state.c.counter_code)).all()))
        counts["statuses"] = hash(tuple(conn.execute(select(db.ticket.c.id, db.ticket.c.status, db.ticket.c.recalls)
                                                     .order_by(db.ticket.c.id)).all()))
    return counts


@contextmanager
def unchanged(engine: Engine) -> Iterator[None]:
    before = snapshot(engine)
    yield
    assert snapshot(engine) == before


def assert_error(response, status: int, code: str | None = None) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json["error"]
    assert body["message"] and body["message_en"] and (code is None or body["code"] == code)


def test_issue_and_follow_a_ticket(client: FlaskClient, tokens: dict[str, str], clock) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/tickets", json={"service": "KTP"}, headers=auth(tokens["kiosk"]))
    assert r.status_code == 201
    t = r.json
    assert {"id", "number", "service", "agency", "status", "position", "estimated_wait_s", "issued_at",
            "track_url"} <= set(t)
    assert t["number"] == "A-001" and t["status"] == "waiting" and t["position"] == 1
    assert t["agency"]["code"] == "DUKCAPIL" and t["issued_at"].endswith("+07:00")
    assert t["track_url"].endswith(f"/t/{t['id']}") and len(t["id"]) >= 12
    clock.advance(seconds=40)
    second = client.post("/api/v1/tickets", json={"service": "KTP", "priority": "lansia"},
                         headers=auth(tokens["kiosk"])).json
    assert second["position"] == 2 and second["priority"] == "lansia" and second["estimated_wait_s"] > 0
    followed = client.get(f"/api/v1/tickets/{second['id']}").json
    assert followed["position"] == 2 and followed["counter"] is None
    services = {s["code"]: s for s in client.get("/api/v1/services").json}
    assert services["KTP"]["waiting"] == 2 and services["KTP"]["quota_left"] == 148
    assert {"code", "name", "prefix", "agency", "open", "waiting", "quota_left", "estimated_wait_s"} <= set(
        services["KTP"])


def test_staff_flow_and_204_when_nobody_waits(client: FlaskClient, tokens: dict[str, str], officer_token: str) -> None:
    assert client.post("/api/v1/counters/L01/call-next", headers=auth(officer_token)).status_code == 204
    t = client.post("/api/v1/tickets", json={"service": "KK"}, headers=auth(officer_token)).json  # staff may issue
    called = client.post("/api/v1/counters/L03/call-next", headers=auth(officer_token)).json
    assert called["id"] == t["id"] and called["counter"] == {"code": "L03", "name": "Loket 3"}
    assert client.get(f"/api/v1/tickets/{t['id']}").json["counter"]["name"] == "Loket 3"
    for action in ("recall", "start"):
        assert client.post(f"/api/v1/counters/L03/{action}", headers=auth(officer_token)).status_code == 200
    moved = client.post("/api/v1/counters/L03/transfer", json={"service": "NPWP", "note": "butuh NPWP"},
                        headers=auth(officer_token)).json
    assert moved["number"] == t["number"] and moved["service"]["code"] == "NPWP" and moved["status"] == "waiting"
    paused = client.post("/api/v1/counters/L03/pause", json={"reason": "Istirahat"}, headers=auth(officer_token)).json
    assert paused["status"] == "paused" and paused["pause_reason"] == "Istirahat"
    assert client.post("/api/v1/counters/L03/resume", headers=auth(officer_token)).json["status"] == "idle"
    counters = client.get("/api/v1/counters", headers=auth(officer_token)).json
    assert [c["code"] for c in counters] == ["L01", "L02", "L03", "L04"]


def test_error_paths_answer_as_documented_and_change_nothing(app: Flask, client: FlaskClient, engine: Engine,
                                                             tokens: dict[str, str], officer_token: str) -> None:
    kiosk, officer = auth(tokens["kiosk"]), auth(officer_token)
    client.post("/api/v1/tickets", json={"service": "KTP"}, headers=kiosk)
    client.post("/api/v1/counters/L01/call-next", headers=officer)
    cases = [
        (lambda: client.post("/api/v1/tickets", json={"service": "NOPE"}, headers=kiosk), 404, "not_found"),
        (lambda: client.post("/api/v1/tickets", json={"service": "KTP"}), 401, "unauthorized"),
        (lambda: client.post("/api/v1/tickets", json={"service": "KTP"}, headers=auth("dev_wrong")), 401, None),
        (lambda: client.post("/api/v1/tickets", json={"service": "KTP"}, headers=auth("forged.token")), 401, None),
        (lambda: client.post("/api/v1/tickets", json={"service": "KTP"}, headers=auth(tokens["display"])),
         403, "forbidden"),
        (lambda: client.post("/api/v1/tickets", data="not json", headers=kiosk), 422, "invalid_input"),
        (lambda: client.post("/api/v1/tickets", json=["KTP"], headers=kiosk), 422, "invalid_input"),
        (lambda: client.post("/api/v1/tickets", json={}, headers=kiosk), 422, "invalid_input"),
        (lambda: client.post("/api/v1/tickets", json={"service": 7}, headers=kiosk), 422, "invalid_input"),
        (lambda: client.post("/api/v1/tickets", json={"service": "KTP", "priority": "vip"}, headers=kiosk), 422, None),
        (lambda: client.post("/api/v1/tickets", json={"service": "K" * 41}, headers=kiosk), 422, None),
        (lambda: client.post("/api/v1/tickets", data='{"service": "KTP", "x": "' + "a" * 70_000 + '"}',
                             content_type="application/json", headers=kiosk), 413, "payload_too_large"),
        (lambda: client.post("/api/v1/auth/token", json={"username": "petugas.dukcapil", "password": "salah"}),
         401, "unauthorized"),
        (lambda: client.post("/api/v1/auth/token", json={"username": "siapa", "password": PASSWORD}), 401, None),
        (lambda: client.post("/api/v1/auth/token", json={"username": "petugas.dukcapil"}), 422, None),
        (lambda: client.get("/api/v1/tickets/does-not-exist"), 404, "not_found"),
        (lambda: client.get("/api/v1/counters"), 401, None),
        (lambda: client.get("/api/v1/counters", headers=kiosk), 403, None),
        (lambda: client.post("/api/v1/counters/L05/call-next", headers=officer), 403, "forbidden"),
        (lambda: client.post("/api/v1/counters/L99/call-next", headers=officer), 404, "not_found"),
        (lambda: client.post("/api/v1/counters/L01/call-next", headers=officer), 409, "invalid_state"),
        (lambda: client.post("/api/v1/counters/L02/finish", headers=officer), 409, "invalid_state"),
        (lambda: client.post("/api/v1/counters/L01/no-show", headers=kiosk), 403, None),
        (lambda: client.post("/api/v1/counters/L01/transfer", json={"service": "NOPE"}, headers=officer), 404, None),
        (lambda: client.post("/api/v1/counters/L01/transfer", json={"service": "KTP"}, headers=officer), 409, None),
        (lambda: client.post("/api/v1/counters/L01/transfer", json={}, headers=officer), 422, None),
        (lambda: client.post("/api/v1/counters/L01/pause", json={"reason": "  "}, headers=officer), 422, None),
        (lambda: client.post("/api/v1/counters/L01/resume", headers=officer), 409, None),
        (lambda: client.post("/api/v1/counters/L02/call", json={"ticket": "A-999"}, headers=officer), 404, None),
        (lambda: client.get("/api/v1/nowhere"), 404, "not_found"),
        (lambda: client.delete("/api/v1/services"), 405, "method_not_allowed"),
    ]
    for send, status, code in cases:
        with unchanged(engine):
            assert_error(send(), status, code)


def test_quota_409_carries_the_kiosk_sentence(client: FlaskClient, engine: Engine, tokens: dict[str, str]) -> None:
    from sqlalchemy import update

    with engine.begin() as conn:
        conn.execute(update(db.service).where(db.service.c.code == "PASPOR").values(daily_quota=1))
        conn.execute(update(db.hall).values(version=db.hall.c.version + 1))
    assert client.post("/api/v1/tickets", json={"service": "PASPOR"}, headers=auth(tokens["kiosk"])).status_code == 201
    with unchanged(engine):
        r = client.post("/api/v1/tickets", json={"service": "PASPOR"}, headers=auth(tokens["kiosk"]))
    assert_error(r, 409, "quota_exhausted")
    assert r.json["error"]["message"] == "Kuota harian layanan ini sudah habis"
    paspor = next(s for s in client.get("/api/v1/services").json if s["code"] == "PASPOR")
    assert paspor["quota_left"] == 0 and paspor["open"] is False
    assert paspor["closed_reason"] == "Kuota harian layanan ini sudah habis"


def test_openapi_documents_every_api_route(app: Flask, client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if "{action}" in path:  # one Flask rule, several documented paths
                continue
            assert (path, method.lower()) in documented, (path, method)
    for action in ("recall", "start", "finish", "no-show"):
        assert (f"/api/v1/counters/{{code}}/{action}", "post") in documented


def test_a_retried_issue_with_the_same_key_gets_the_ticket_its_first_try_issued(
        client: FlaskClient, engine: Engine, tokens: dict[str, str], officer_token: str) -> None:
    kiosk = auth(tokens["kiosk"])
    first = client.post("/api/v1/tickets", json={"service": "PASPOR"}, headers={**kiosk, "Idempotency-Key": "tap-0001"})
    assert first.status_code == 201 and first.json["number"] == "F-001"
    with unchanged(engine):  # the answer was lost; the kiosk asks again
        again = client.post("/api/v1/tickets", json={"service": "PASPOR"},
                            headers={**kiosk, "Idempotency-Key": "tap-0001"})
    assert again.status_code == 200
    assert (again.json["id"], again.json["number"], again.json["position"]) == (first.json["id"], "F-001", 1)
    second = client.post("/api/v1/tickets", json={"service": "PASPOR"}, headers={**kiosk, "Idempotency-Key": "tap-0002"})
    assert second.json["number"] == "F-002"  # no serial lost to the retry
    staff = client.post("/api/v1/tickets", json={"service": "PASPOR"},
                        headers={**auth(officer_token), "Idempotency-Key": "tap-0001"})
    assert staff.status_code == 201 and staff.json["number"] == "F-003"  # keys are per issuer

    with engine.begin() as conn:  # the quota is now used up: a retry still gets its own ticket
        conn.execute(db.service.update().where(db.service.c.code == "PASPOR").values(daily_quota=3))
        conn.execute(db.hall.update().values(version=db.hall.c.version + 1))
    late = client.post("/api/v1/tickets", json={"service": "PASPOR"}, headers={**kiosk, "Idempotency-Key": "tap-0002"})
    assert late.status_code == 200 and late.json["number"] == "F-002"
    assert_error(client.post("/api/v1/tickets", json={"service": "PASPOR"},
                             headers={**kiosk, "Idempotency-Key": "tap-0003"}), 409, "quota_exhausted")
    for bad in ("short", "x" * 65, "spasi di dalam", "kunci/miring"):
        with unchanged(engine):
            assert_error(client.post("/api/v1/tickets", json={"service": "KTP"},
                                     headers={**kiosk, "Idempotency-Key": bad}), 422, "invalid_input")
