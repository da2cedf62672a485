"""The counter tablet in Chromium on the live server: it shows each finished ticket's survey without reload."""

from __future__ import annotations

from pathlib import Path

import requests
from playwright.sync_api import Browser, expect

from tests.console.conftest import bearer, issue
from tests.support import LiveServer


def serve_one(server: LiveServer, kiosk: str, counter: str, officer_token: str) -> str:
    """Issue a KTP ticket, call it and finish it at `counter` through the API; its number."""
    ticket = issue(server, kiosk, "KTP")
    base = f"{server.url}/api/v1/counters/{counter}"
    r = requests.post(base + "/call-next", headers=bearer(officer_token), timeout=10)
    assert r.status_code == 200 and r.json()["id"] == ticket["id"], r.text
    assert requests.post(base + "/finish", headers=bearer(officer_token), timeout=10).status_code == 200
    return ticket["number"]


def test_tablet_follows_finished_tickets_and_takes_one_answer(browser: Browser, live_server: LiveServer,
                                                             tokens: dict[str, str], artifacts: Path) -> None:
    officer = live_server.token("petugas.dukcapil")
    counter = requests.get(f"{live_server.url}/api/v1/counters", headers=bearer(officer), timeout=10).json()
    code = next(c["code"] for c in counter if "KTP" in [s["code"] for s in c["services"]])
    page = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    page.goto(f"{live_server.url}/survey/{code}")
    expect(page.locator("#idle")).to_be_visible()
    page.wait_for_selector("#survey[data-live='1']")
    number = serve_one(live_server, tokens["kiosk"], code, officer)
    expect(page.locator("#number")).to_have_text(number, timeout=10_000)  # reloaded by the socket event
    for n in range(1, 10):
        page.locator(f"input[name=u{n}][value='{4 if n % 2 else 3}'] + span").click()
    page.fill("textarea[name=comment]", "Cepat dan ramah")
    page.screenshot(path=str(artifacts / "survey-tablet.png"), full_page=True)
    page.click("#skm-form button[type=submit]")
    expect(page.locator("#message")).to_have_attribute("data-kind", "thanks")
    page.goto(f"{live_server.url}/survey/{code}")
    expect(page.locator("#idle")).to_be_visible()  # answered: the tablet waits for the next visitor
    page.wait_for_selector("#survey[data-live='1']")
    second = serve_one(live_server, tokens["kiosk"], code, officer)
    expect(page.locator("#number")).to_have_text(second, timeout=10_000)
    page.context.close()
