"""The hall screen in Debian's Chromium against a live `antrean serve`: order, sound, limits, restarts."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page

from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, LiveServer, officer
from .conftest import Hall

pytestmark = pytest.mark.live
PLAYED = "window.antrean.announcer.played"


def _issue(server: LiveServer, kiosk: str, service: str) -> str:
    r = requests.post(server.url + "/api/v1/tickets", json={"service": service},
                      headers={"Authorization": f"Bearer {kiosk}"}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["number"]


def _call(server: LiveServer, staff: str, counter: str) -> str:
    r = requests.post(f"{server.url}/api/v1/counters/{counter}/call-next",
                      headers={"Authorization": f"Bearer {staff}"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["number"]


def _shown(page: Page) -> list[str]:
    return page.locator("#recent li .num").all_inner_texts()


def test_three_calls_50ms_apart_appear_in_order_and_are_spoken_one_after_another(
        quick_hall: Hall, open_display: Callable[..., Page]) -> None:
    server, tokens = quick_hall.server, quick_hall.tokens
    page = open_display(server.url, tokens["display"])
    for service in ("KTP", "KTP", "KK"):
        _issue(server, tokens["kiosk"], service)
    staff = server.token("petugas.dukcapil")
    called = []
    for counter in ("L01", "L02", "L03"):
        called.append(_call(server, staff, counter))
        time.sleep(0.05)
    assert called == ["A-001", "A-002", "B-001"]
    page.wait_for_function(f"{PLAYED}.length >= 3", timeout=20000)
    assert _shown(page)[:3] == ["B-001", "A-002", "A-001"]
    assert page.inner_text("#current-number") == "B-001" and page.inner_text("#current-counter") == "Loket 3"
    played = page.evaluate(PLAYED)
    assert [p["number"] for p in played] == called
    for earlier, later in zip(played, played[1:], strict=False):
        assert later["start"] >= earlier["end"], (earlier, later)  # never overlapping, never cut off
    for p in played:
        parts = [p["chime"], *p["speech"]]
        assert all(part["ok"] for part in parts), p  # real audio, fetched and played to its end
        assert all(b["start"] >= a["end"] for a, b in zip(parts, parts[1:], strict=False)), p
        assert all(part["end"] - part["start"] >= 300 for part in parts), p
    # In the rush the first two are said once; the last, with nobody behind it, the full two times.
    assert [len(p["speech"]) for p in played] == [1, 1, 2]


def test_a_display_limited_to_one_agency_never_shows_another_agencys_calls(
        quick_hall: Hall, open_display: Callable[..., Page]) -> None:
    server, tokens = quick_hall.server, quick_hall.tokens
    dukcapil = open_display(server.url, tokens["display_dukcapil"])
    hall = open_display(server.url)  # the public hall view sees everything
    _issue(server, tokens["kiosk"], "PASPOR")
    _issue(server, tokens["kiosk"], "KTP")
    assert _call(server, server.token("petugas.imigrasi"), "L05") == "F-001"
    assert _call(server, server.token("petugas.dukcapil"), "L01") == "A-001"
    hall.wait_for_function("window.antrean.calls().length === 2", timeout=10000)
    dukcapil.wait_for_function("window.antrean.calls().some(c => c.ticket.number === 'A-001')", timeout=10000)
    assert _shown(hall)[:2] == ["A-001", "F-001"]
    assert _shown(dukcapil) == ["A-001"]
    assert "F-001" not in dukcapil.inner_text("body")
    assert dukcapil.evaluate("window.antrean.calls().map(c => c.ticket.agency.code)") == ["DUKCAPIL"]
    assert dukcapil.locator("#waiting li .agy").all_inner_texts() == ["Dukcapil"]
    assert "Imigrasi" in hall.locator("#waiting li .agy").all_inner_texts()


def test_after_a_server_restart_the_display_shows_the_current_state_without_reload(
        quick_hall: Hall, open_display: Callable[..., Page]) -> None:
    server, tokens = quick_hall.server, quick_hall.tokens
    page = open_display(server.url, tokens["display"])
    page.evaluate("window.__sameDocument = true")
    _issue(server, tokens["kiosk"], "KTP")
    assert _call(server, server.token("petugas.dukcapil"), "L01") == "A-001"
    page.wait_for_function("document.getElementById('current-number').textContent === 'A-001'", timeout=10000)
    server.kill()
    page.wait_for_function("document.body.dataset.connected === '0'", timeout=10000)
    assert page.is_visible("#offline")
    queue = QueueService(quick_hall.engine)  # while the server is down, the hall goes on
    queue.issue("KTP", KIOSK)
    assert queue.call_next("L02", officer("DUKCAPIL")).number == "A-002"
    server.start()
    page.wait_for_function("document.getElementById('current-number').textContent === 'A-002'", timeout=15000)
    assert page.evaluate("window.__sameDocument") is True  # no reload, no F5
    assert _shown(page)[:2] == ["A-002", "A-001"] and not page.is_visible("#offline")


def test_screenshots_of_a_busy_hall_read_well_at_1080p_portrait_and_4k(
        live_server: LiveServer, tokens: dict[str, str], open_display: Callable[..., Page], artifacts: Path) -> None:
    for service in ("KTP", "KTP", "KK", "PASPOR", "NPWP", "KTP", "AKTA", "SPT", "PASPOR_GANTI", "KTP", "KIA"):
        _issue(live_server, tokens["kiosk"], service)
    admin = live_server.token("admin")
    for counter in ("L01", "L05", "L14", "L02", "L03"):
        _call(live_server, admin, counter)
    for width, height in ((1920, 1080), (1080, 1920), (3840, 2160)):
        page = open_display(live_server.url, tokens["display"], width, height)
        assert page.inner_text("#current-number") == "B-001"
        assert page.evaluate("window.antrean.calls().map(c => c.ticket.number)") == [
            "B-001", "A-002", "R-001", "F-001", "A-001"]
        rows = page.locator("#recent li:visible")
        assert rows.count() >= 4 and rows.first.inner_text().startswith("B-001")
        last, box = rows.nth(rows.count() - 1).bounding_box(), page.locator("#recent").bounding_box()
        assert last and box and last["y"] + last["height"] <= box["y"] + box["height"] + 1  # no row cut off
        box = page.locator("#current-number").bounding_box()
        assert box is not None and box["height"] >= 0.12 * height, (width, height, box)
        number = page.locator("#current-number")
        assert number.evaluate("n => n.scrollWidth <= n.clientWidth")  # not clipped
        assert page.locator("#media img").count() == 1  # the hall's local media folder
        assert page.evaluate("/^\\d{2}\\.\\d{2} WIB$/.test(document.getElementById('clock-time').textContent)")
        assert page.inner_text("#clock-date").split(",")[0] in (
            "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
        page.wait_for_timeout(400)  # let the media image paint
        page.screenshot(path=str(artifacts / f"display-{width}x{height}.png"))


def test_a_long_day_of_calls_does_not_grow_the_page(quick_hall: Hall, open_display: Callable[..., Page]) -> None:
    server, tokens = quick_hall.server, quick_hall.tokens
    page = open_display(server.url, tokens["display"])
    _issue(server, tokens["kiosk"], "KTP")
    _call(server, server.token("petugas.dukcapil"), "L01")
    page.wait_for_function("window.antrean.calls().length === 1", timeout=10000)
    # Replay the real `call` through the page's own handler, as a whole day of calls would arrive.
    replay = """n => {
        const handle = window.antrean.socket.listeners('call')[0];
        const call = window.antrean.calls()[0];
        for (let i = 0; i < n; i++) {
            handle({...call, ticket: {...call.ticket, number: 'A-' + String(i).padStart(3, '0')}, announcement: null});
        }
        return document.getElementsByTagName('*').length;
    }"""
    nodes_early = page.evaluate(replay, 20)
    nodes_late = page.evaluate(replay, 200)
    assert nodes_late == nodes_early
    assert page.evaluate("window.antrean.calls().length") == 8
    assert page.inner_text("#current-number") == "A-199"
