"""Agency boundary, CSRF, sign-in throttle, sign-out and the audit trail, on a live server."""

from __future__ import annotations

import re

import pytest
import requests
import socketio
from playwright.sync_api import Browser, expect

from ..support import PASSWORD, LiveServer
from .conftest import bearer, issue, open_console, sign_in

pytestmark = pytest.mark.live


def form_session(server: LiveServer) -> tuple[requests.Session, str]:
    """A browser-like session that has loaded the sign-in form: its cookie and the form's CSRF token."""
    s = requests.Session()
    page = s.get(server.url + "/login", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    return s, token.group(1)


def test_officer_of_another_agency_gets_403_on_the_api_and_sees_none_of_it(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser) -> None:
    ktp = issue(live_server, tokens["kiosk"])
    dukcapil = bearer(live_server.token("petugas.dukcapil"))
    requests.post(live_server.url + "/api/v1/counters/L01/call-next", headers=dukcapil, timeout=10).raise_for_status()
    queued = issue(live_server, tokens["kiosk"])
    imigrasi = bearer(live_server.token("petugas.imigrasi"))
    url = live_server.url + "/api/v1"
    refused = [
        requests.post(f"{url}/counters/L01/call-next", headers=imigrasi, timeout=10),
        requests.post(f"{url}/counters/L01/finish-and-call-next", headers=imigrasi, timeout=10),
        requests.post(f"{url}/counters/L01/recall", headers=imigrasi, timeout=10),
        requests.post(f"{url}/counters/L01/pause", json={"reason": "x"}, headers=imigrasi, timeout=10),
        requests.get(f"{url}/counters/L01", headers=imigrasi, timeout=10),
        requests.get(f"{url}/counters/L01/today", headers=imigrasi, timeout=10),
        requests.post(f"{url}/tickets/{queued['id']}/cancel", headers=imigrasi, timeout=10),
        requests.post(f"{url}/tickets/{queued['id']}/transfer", json={"service": "PASPOR"}, headers=imigrasi,
                      timeout=10),
        requests.post(f"{url}/tickets/{ktp['id']}/cancel", headers=imigrasi, timeout=10),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert all(r.json()["error"]["code"] == "forbidden" for r in refused)
    counters = requests.get(f"{url}/counters", headers=imigrasi, timeout=10).json()
    assert {c["code"] for c in counters} == {"L05", "L06"}
    assert requests.get(f"{url}/tickets?status=waiting,called", headers=imigrasi, timeout=10).json() == []
    with pytest.raises(socketio.exceptions.ConnectionError):  # nor its console's live feed
        socketio.SimpleClient().connect(live_server.url, namespace="/counter", transports=["websocket"],
                                        auth={"token": imigrasi["Authorization"][7:], "counter": "L01"})
    status = requests.get(f"{url}/tickets/{queued['id']}", timeout=10).json()["status"]
    assert status == "waiting"  # nothing changed

    # The UI: only Imigrasi's counters to choose, no way in to Loket 1, no Dukcapil numbers.
    page = sign_in(browser, live_server, "petugas.imigrasi")
    assert page.locator("button[name=counter]").evaluate_all("bs => bs.map(b => b.value)") == ["L05", "L06"]
    assert "Dukcapil" not in page.content()
    page.evaluate("() => { document.querySelector('button[name=counter]').value = 'L01'; }")
    page.click("button[name=counter]")
    expect(page.locator(".error")).to_contain_text("Anda tidak berwenang atas loket atau nomor agensi lain")
    page.close()
    page = open_console(browser, live_server, "petugas.imigrasi", "L05")
    issue(live_server, tokens["kiosk"])  # a Dukcapil ticket while the Imigrasi console is live
    issue(live_server, tokens["kiosk"], "PASPOR")
    expect(page.locator('#waiting li[data-ticket="F-001"]')).to_be_visible()
    assert page.locator("#others li").evaluate_all("ls => ls.map(l => l.dataset.counter)") == ["L06"]
    assert not re.search(r"\bA-00\d\b|Dukcapil|Loket 1\b", page.locator("main").inner_text())
    page.context.close()


def test_form_posts_without_the_csrf_token_are_refused(live_server: LiveServer, tokens: dict[str, str]) -> None:
    s, csrf = form_session(live_server)
    login = {"username": "petugas.dukcapil", "password": PASSWORD, "next": "/counter"}
    for forged in ({}, {"csrf_token": "forged"}):
        r = s.post(live_server.url + "/login", data=login | forged, allow_redirects=False, timeout=10)
        assert r.status_code == 400 and "Formulir kedaluwarsa atau tidak sah" in r.text
    r = s.post(live_server.url + "/login", data=login | {"csrf_token": csrf}, allow_redirects=False, timeout=10)
    assert r.status_code == 302 and r.headers["Location"].endswith("/counter")
    cookie = r.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie

    # Signed in now: a post without the token (as another site would send) changes nothing.
    for path, data in (("/counter/open", {"counter": "L01"}), ("/logout", {})):
        r = s.post(live_server.url + path, data=data, allow_redirects=False, timeout=10)
        assert r.status_code == 400
    page = s.get(live_server.url + "/counter", allow_redirects=False, timeout=10)
    assert page.status_code == 200 and "Pilih loket" in page.text  # still signed in, no counter opened
    # The JSON API never takes the cookie: only a bearer token.
    r = s.post(live_server.url + "/api/v1/counters/L01/pause", json={"reason": "x"}, timeout=10)
    assert r.status_code == 401


def test_sign_in_attempts_are_rate_limited(live_server: LiveServer, tokens: dict[str, str]) -> None:
    url = live_server.url + "/api/v1/auth/token"
    for _ in range(5):
        r = requests.post(url, json={"username": "petugas.kpp", "password": "salah-sekali"}, timeout=10)
        assert r.status_code == 401
    r = requests.post(url, json={"username": "petugas.kpp", "password": PASSWORD}, timeout=10)
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert "coba lagi dalam 5 menit" in r.json()["error"]["message"]
    s, csrf = form_session(live_server)  # the sign-in page shares the count
    r = s.post(live_server.url + "/login", data={"username": "petugas.kpp", "password": PASSWORD,
                                                 "csrf_token": csrf}, timeout=10)
    assert r.status_code == 429 and "Terlalu banyak percobaan masuk yang gagal" in r.text
    assert requests.post(url, json={"username": "petugas.dukcapil", "password": PASSWORD}, timeout=10).ok


def test_sign_out_ends_that_session_only(live_server: LiveServer, tokens: dict[str, str], browser: Browser) -> None:
    page = open_console(browser, live_server, "petugas.dukcapil", "L01")
    token = page.evaluate("() => Antrean.boot.token")
    other = live_server.token("petugas.dukcapil")
    assert requests.get(live_server.url + "/api/v1/counters", headers=bearer(token), timeout=10).ok
    page.get_by_role("button", name="Keluar").click()
    expect(page.locator(".notice")).to_contain_text("Anda sudah keluar")
    assert requests.get(live_server.url + "/api/v1/counters", headers=bearer(token), timeout=10).status_code == 401
    assert requests.get(live_server.url + "/api/v1/counters", headers=bearer(other), timeout=10).ok
    page.goto(live_server.url + "/counter")
    page.wait_for_url(lambda u: "/login" in u)
    page.context.close()


def test_audit_trail_says_who_did_what_when_and_where_for_supervisors_only(
        live_server: LiveServer, tokens: dict[str, str], supervisors: dict[str, str]) -> None:
    url = live_server.url + "/api/v1"
    requests.post(f"{url}/auth/token", json={"username": "petugas.dukcapil", "password": "keliru"}, timeout=10)
    officer = bearer(live_server.token("petugas.dukcapil"))
    imigrasi = bearer(live_server.token("petugas.imigrasi"))
    ticket = issue(live_server, tokens["kiosk"])
    issue(live_server, tokens["kiosk"], "PASPOR")
    for path, body in (("call-next", None), ("recall", None), ("transfer", {"service": "KK", "note": "salah layanan"}),
                       ("pause", {"reason": "Istirahat"}), ("resume", None)):
        requests.post(f"{url}/counters/L01/{path}", json=body, headers=officer, timeout=10).raise_for_status()
    requests.post(f"{url}/counters/L05/call-next", headers=imigrasi, timeout=10).raise_for_status()

    assert requests.get(f"{url}/audit", headers=officer, timeout=10).status_code == 403
    entries = requests.get(f"{url}/audit", headers=bearer(live_server.token("spv.dukcapil")), timeout=10).json()
    steps = [(e["actor"], e["action"], (e["counter"] or {}).get("code"), (e["ticket"] or {}).get("number"))
             for e in reversed(entries)]
    assert steps == [
        ("petugas.dukcapil", "login_failed", None, None),
        ("petugas.dukcapil", "login", None, None),
        ("petugas.dukcapil", "call", "L01", ticket["number"]),
        ("petugas.dukcapil", "recall", "L01", ticket["number"]),
        ("petugas.dukcapil", "transfer", "L01", ticket["number"]),
        ("petugas.dukcapil", "pause", "L01", None),
        ("petugas.dukcapil", "resume", "L01", None),
        ("spv.dukcapil", "login", None, None),
    ]  # nothing of Imigrasi's officer or counter
    pause = next(e for e in entries if e["action"] == "pause")
    assert pause["detail"] == "Istirahat" and pause["action_label"] == "jeda" and pause["at"].endswith("+07:00")
    assert next(e for e in entries if e["action"] == "transfer")["detail"] == "salah layanan"
    assert next(e for e in entries if e["action"] == "login")["address"] == "127.0.0.1"
    hall = requests.get(f"{url}/audit?counter=L05", headers=bearer(live_server.token("spv.aula")), timeout=10).json()
    assert [(e["actor"], e["action"]) for e in hall] == [("petugas.imigrasi", "call")]
