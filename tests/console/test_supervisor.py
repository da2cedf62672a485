"""The supervisor view in Debian's Chromium against a live server, with a console working beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from ..support import LiveServer
from .conftest import bearer, issue, open_console, sign_in

pytestmark = pytest.mark.live


def test_supervisor_sees_counters_queues_and_audit_and_transfers_cancels_reopens_reprints(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser, supervisors: dict[str, str],
        artifacts: Path) -> None:
    for _ in range(3):
        issue(live_server, tokens["kiosk"])
    issue(live_server, tokens["kiosk"], "KK", priority="ibu_hamil")
    issue(live_server, tokens["kiosk"], "PASPOR")  # Imigrasi's: not this supervisor's
    spv = sign_in(browser, live_server, "spv.dukcapil", "/supervisor")
    cards = spv.locator("#counters article")
    expect(cards).to_have_count(4)
    assert cards.evaluate_all("cs => cs.map(c => c.dataset.counter)") == ["L01", "L02", "L03", "L04"]
    expect(spv.locator('#counters [data-counter="L01"]')).to_have_attribute("data-status", "offline")
    expect(spv.locator('#queues tr[data-service="KTP"] .waiting')).to_have_text("3")
    expect(spv.locator('#queues tr[data-service="KK"] td').nth(2)).to_have_text("1")  # one priority
    expect(spv.locator('#queues tr[data-service="PASPOR"]')).to_have_count(0)

    console = open_console(browser, live_server, "petugas.dukcapil", "L01")
    expect(spv.locator('#counters [data-counter="L01"]')).to_have_attribute("data-status", "idle")
    console.keyboard.press("b")
    expect(spv.locator('#counters [data-counter="L01"] .num')).to_have_text("A-001")
    expect(spv.locator('#counters [data-counter="L01"]')).to_have_attribute("data-status", "serving")
    expect(spv.locator('#queues tr[data-service="KTP"] .waiting')).to_have_text("2")
    console.keyboard.press("t")  # the visitor is not there
    console.keyboard.press("j")
    expect(console.locator("#dlg-pause")).to_be_visible()
    console.keyboard.type("Istirahat")
    console.keyboard.press("Enter")
    expect(spv.locator('#counters [data-counter="L01"]')).to_have_attribute("data-status", "paused")
    expect(spv.locator('#counters [data-counter="L01"] .status-badge')).to_have_text("Jeda: Istirahat")

    # Re-open the no-show: back in the queue at its arrival time.
    row = spv.locator('#tickets tr[data-ticket="A-001"]')
    expect(row).to_have_attribute("data-status", "no_show")
    expect(row.locator('button[data-action="cancel"]')).to_be_disabled()
    assert "Hanya untuk nomor berstatus" in (row.locator(".act-wrap").nth(1).get_attribute("title") or "")
    row.locator('button[data-action="reopen"]').click()
    expect(row).to_have_attribute("data-status", "waiting")

    # Cancel one with a reason, transfer another to Imigrasi: it leaves this agency's list.
    spv.locator('#tickets tr[data-ticket="A-002"] button[data-action="cancel"]').click()
    spv.fill("#dlg-cancel input[name=note]", "Berkas tidak lengkap")
    spv.click("#dlg-cancel button[type=submit]")
    expect(spv.locator('#tickets tr[data-ticket="A-002"]')).to_have_count(0)
    spv.locator('#tickets tr[data-ticket="A-003"] button[data-action="transfer"]').click()
    spv.select_option("#dlg-transfer select[name=service]", "PASPOR")
    spv.click("#dlg-transfer button[type=submit]")
    expect(spv.locator('#tickets tr[data-ticket="A-003"]')).to_have_count(0)
    imigrasi = requests.get(live_server.url + "/api/v1/tickets", headers=bearer(live_server.token("petugas.imigrasi")),
                            timeout=10).json()
    assert [t["number"] for t in imigrasi] == ["A-003", "F-001"]  # by arrival: the transfer kept A-003's

    # Reprint on a chosen printer, through the printing service.
    spv.locator('#tickets tr[data-ticket="B-001"] button[data-action="reprint"]').click()
    spv.select_option("#dlg-reprint select[name=printer]", "Printer Kiosk Lobi")
    spv.click("#dlg-reprint button[type=submit]")
    expect(spv.locator("#toast")).to_contain_text("Dikirim ke Printer Kiosk Lobi")

    audit = spv.locator("#audit tbody")
    expect(audit.locator('tr[data-action="cancel"]')).to_contain_text("Berkas tidak lengkap")
    expect(audit.locator('tr[data-action="pause"]')).to_contain_text("Loket 1")
    expect(audit.locator('tr[data-action="no_show"]')).to_contain_text("petugas.dukcapil")
    expect(audit.locator('tr[data-action="reopen"]')).to_contain_text("spv.dukcapil")
    expect(audit.locator('tr[data-action="transfer"]')).to_contain_text("A-003")  # out of the agency, still here
    spv.screenshot(path=str(artifacts / "supervisor-1366x768.png"))

    console.context.close()
    expect(spv.locator('#counters [data-counter="L01"]')).to_have_attribute("data-status", "paused")
    spv.context.close()


def test_an_officer_cannot_open_the_supervisor_view(live_server: LiveServer, tokens: dict[str, str],
                                                    browser: Browser) -> None:
    page = browser.new_page()
    page.goto(live_server.url + "/supervisor")
    page.fill("input[name=username]", "petugas.dukcapil")
    page.fill("input[name=password]", "rahasia-123")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("Hanya untuk supervisor")
    page.close()
