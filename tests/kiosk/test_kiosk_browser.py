"""The kiosk and phone pages in Debian's Chromium (the session's `browser`) against a live server."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from printers.decoder import decode

from ..support import PASSWORD, LiveServer

pytestmark = pytest.mark.live
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def kiosk(browser: Browser, server: LiveServer, size: tuple[int, int]) -> Page:
    """A kiosk page paired with the test kiosk's token, its live data in."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server.url + "/kiosk?token=dev_test-kiosk")
    expect(page.locator('.tile[data-agency="DUKCAPIL"]')).to_contain_text("menunggu")
    assert "token" not in page.url  # the token is remembered, not left in the address bar
    return page


def take(page: Page) -> dict:
    """Tap "Ambil Nomor"; the server's answer."""
    with page.expect_response(lambda r: r.url.endswith("/api/v1/tickets") and r.request.method == "POST") as answer:
        page.click("#take")
    assert answer.value.status == 201
    return answer.value.json()


def test_search_ktp_take_a_number_and_it_prints(printing_server: Callable[..., LiveServer], browser: Browser,
                                                tmp_path: Path, artifacts: Path) -> None:
    folder = tmp_path / "tickets"
    server = printing_server(transport="virtual", folder=str(folder), paper=80)
    for label, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE)):
        page = kiosk(browser, server, size)
        expect(page.locator("#offline")).to_be_hidden()
        page.screenshot(path=artifacts / f"kiosk-home-{label}.png")
        page.click("#search-open")
        for key in "KTP":
            page.click(f'.key[data-key="{key}"]')  # the on-screen keyboard
        expect(page.locator(".search-field")).to_have_text("ktp")
        first = page.locator("#search-results .row").first
        expect(first).to_have_attribute("data-service", "KTP")
        expect(first).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
        first.click()
        expect(page.locator("#svc-name")).to_have_text("Perekaman dan Pencetakan KTP-el")
        expect(page.locator("#svc-reqs li").first).to_have_text("Kartu Keluarga asli")
        expect(page.locator("#priority-buttons button")).to_have_count(4)
        if label == "portrait":
            page.screenshot(path=artifacts / "kiosk-service-portrait.png")
        started = time.monotonic()
        issued = take(page)
        expect(page.locator("#res-number")).to_have_text(issued["number"])
        held = requests.get(f"{server.url}/api/v1/tickets/{issued['id']}", timeout=10).json()
        assert held["number"] == issued["number"] and held["status"] == "waiting"  # the server has this number
        expect(page.locator("#res-print")).to_have_attribute("data-state", "ok")
        print(f"\n{label}: tap to 'printed' on screen {time.monotonic() - started:.2f} s")
        [binary] = folder.glob(f"*/*{issued['number']}.bin")
        texts = [c.args["text"] for c in decode(binary.read_bytes()) if c.name == "TEXT"]
        assert issued["number"] in texts
        assert page.evaluate("document.getElementById('res-qr').naturalWidth") > 0  # the QR drawn locally
        page.screenshot(path=artifacts / f"kiosk-result-{label}.png")
        (artifacts / f"kiosk-printed-{label}.png").write_bytes(binary.with_suffix(".png").read_bytes())
        page.close()


def test_kiosk_refuses_to_issue_while_the_server_is_away(live_server: LiveServer, tokens: dict, browser: Browser,
                                                         artifacts: Path) -> None:
    page = kiosk(browser, live_server, PORTRAIT)
    page.click('.tile[data-agency="DUKCAPIL"]')
    page.click('#agency-services .row[data-service="KTP"]')
    expect(page.locator("#take")).to_be_enabled()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    live_server.kill()
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#offline")).to_have_text("Sedang menyambung kembali…")
    expect(page.locator("#take")).to_be_disabled()
    page.locator("#take").dispatch_event("click")  # a visitor taps anyway
    page.wait_for_timeout(300)
    assert posts == [] and page.locator("#screen-result").is_hidden()
    page.screenshot(path=artifacts / "kiosk-offline-portrait.png")

    started = time.monotonic()
    live_server.start()
    expect(page.locator("#offline")).to_be_hidden(timeout=10000)
    print(f"\nkiosk back online {time.monotonic() - started:.2f} s after the server was started again")
    expect(page.locator("#take")).to_be_enabled()
    issued = take(page)
    expect(page.locator("#res-number")).to_have_text(issued["number"])
    assert issued["number"] == "A-001"
    expect(page.locator("#res-print")).to_have_text("Kiosk ini tidak mencetak tiket — silakan foto nomor ini")
    page.close()  # a closed socket lets the server stop at once


def test_english_toggle_and_phone_page_follow_the_call(live_server: LiveServer, tokens: dict, browser: Browser,
                                                      artifacts: Path) -> None:
    page = kiosk(browser, live_server, LANDSCAPE)
    page.click("#lang")
    expect(page.locator("#screen-home h1")).to_have_text("Please choose a service")
    expect(page.locator('.tile[data-agency="DUKCAPIL"]')).to_contain_text("waiting")
    page.click("#lang")
    expect(page.locator("#screen-home h1")).to_have_text("Silakan pilih layanan")
    page.close()

    r = requests.post(live_server.url + "/api/v1/tickets", json={"service": "KTP"},
                      headers={"Authorization": f"Bearer {tokens['kiosk']}"}, timeout=10)
    ticket = r.json()
    phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone.goto(ticket["track_url"])
    expect(phone.locator("#live")).to_have_text("● Diperbarui langsung")
    expect(phone.locator("#position")).to_have_text("1")
    staff = {"Authorization": f"Bearer {live_server.token('petugas.dukcapil')}"}
    requests.post(live_server.url + "/api/v1/counters/L02/call-next", headers=staff, timeout=10).raise_for_status()
    expect(phone.locator("#counter")).to_have_text("Loket 2")
    expect(phone.locator("#called")).to_be_visible()
    expect(phone.locator("#status")).to_have_text("dipanggil")
    phone.screenshot(path=artifacts / "phone-called.png")
    phone.close()


def test_idle_screens_go_home_and_an_unknown_token_asks_for_pairing(
        printing_server: Callable[..., LiveServer], browser: Browser, tmp_path: Path) -> None:
    server = printing_server(kiosk={"result_idle_s": 1, "idle_s": 2}, transport="virtual", folder=str(tmp_path))
    page = kiosk(browser, server, PORTRAIT)
    page.click('.tile[data-agency="IMIGRASI"]')
    expect(page.locator("#screen-agency")).to_be_visible()
    expect(page.locator("#screen-home")).to_be_visible(timeout=5000)  # idle_s
    page.click("#search-open")
    page.keyboard.type("nikah")  # a hardware keyboard types too
    page.click('#search-results .row[data-service="NIKAH"]')
    issued = take(page)
    expect(page.locator("#res-number")).to_have_text(issued["number"])
    expect(page.locator("#screen-home")).to_be_visible(timeout=5000)  # result_idle_s (or idle_s if not printed)
    page.close()

    stranger = browser.new_page(viewport={"width": PORTRAIT[0], "height": PORTRAIT[1]})
    stranger.goto(server.url + "/kiosk?token=dev_bukan-kiosk")
    expect(stranger.locator("#screen-pair")).to_be_visible()
    expect(stranger.locator("#offline")).to_be_hidden()
    stranger.close()


def test_a_new_agency_gets_its_tile_without_a_reload(live_server: LiveServer, tokens: dict, browser: Browser) -> None:
    page = kiosk(browser, live_server, PORTRAIT)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    answer = requests.post(live_server.url + "/api/v1/auth/token", json={"username": "admin", "password": PASSWORD},
                           timeout=10).json()
    admin = {"Authorization": f"Bearer {answer['token']}"}
    edits = [("agencies/BANK", {"name": "Bank Pembangunan Daerah", "short_name": "Bank BPD", "color": "#7a1f1f"}),
             ("services/TABUNGAN", {"name": "Pembukaan Rekening Tabungan", "agency": "BANK", "prefix": "TB"}),
             ("counters/L90", {"name": "Loket 90", "agency": "BANK", "services": ["TABUNGAN"]})]
    for path, body in edits:
        r = requests.put(f"{live_server.url}/api/v1/admin/{path}", json=body, headers=admin, timeout=10)
        assert r.status_code == 200, r.text
    tile = page.locator('.tile[data-agency="BANK"]')
    expect(tile).to_contain_text("Bank BPD")
    tile.click()
    expect(page.locator("#agency-name")).to_have_text("Bank Pembangunan Daerah")
    page.click('#agency-services .row[data-service="TABUNGAN"]')
    expect(page.locator("#svc-name")).to_have_text("Pembukaan Rekening Tabungan")
    assert page.evaluate("window.__sameDocument") is True
    issued = take(page)
    assert issued["number"] == "TB-001"
    page.close()


def test_a_lost_answer_is_retried_with_the_same_key_and_gives_one_ticket(live_server: LiveServer, tokens: dict,
                                                                        browser: Browser) -> None:
    page = kiosk(browser, live_server, PORTRAIT)
    keys: list[str] = []

    def lose_the_first_answer(route) -> None:  # type: ignore[no-untyped-def]
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 1:
            assert route.fetch().status == 201  # the server issued the number...
            route.abort("connectionreset")      # ...and the kiosk never heard
        else:
            route.continue_()

    page.route("**/api/v1/tickets", lose_the_first_answer)
    page.click('.tile[data-agency="DUKCAPIL"]')
    page.click('#agency-services .row[data-service="KTP"]')
    page.click("#take")
    expect(page.locator("#res-number")).to_have_text("A-001")
    assert len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) == 24
    services = requests.get(live_server.url + "/api/v1/services", timeout=10).json()
    assert next(s for s in services if s["code"] == "KTP")["issued_today"] == 1
    page.click("#done")
    page.click('.tile[data-agency="DUKCAPIL"]')
    page.click('#agency-services .row[data-service="KTP"]')
    page.click("#take")  # the next visitor: a new key, a new number
    expect(page.locator("#res-number")).to_have_text("A-002")
    assert len(set(keys)) == 2
    page.close()
