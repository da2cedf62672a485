"""The counter console in Debian's Chromium against a live `antrean serve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, LiveServer
from .conftest import issue, open_console

pytestmark = pytest.mark.live


def current(page: Page) -> str:
    """The number at the desk as the console shows it."""
    return page.locator("#current-number").inner_text()


def waiting_numbers(page: Page, service: str) -> list[str]:
    """The waiting list of one service, top to bottom."""
    return page.locator(f'#waiting section[data-service="{service}"] li b.num').all_inner_texts()


def hover_reason(page: Page, action: str) -> str:
    """The reason shown on hover over a disabled action."""
    return page.locator(f'.act-wrap[data-for="{action}"]').get_attribute("title") or ""


def press(page: Page, key: str, shows: str, text: str | None = None) -> None:
    """Press a key and wait until the page shows `shows` (with exactly `text`, when given)."""
    page.keyboard.press(key)
    if text is None:
        expect(page.locator(shows)).to_be_visible()
    else:
        expect(page.locator(shows)).to_have_text(text)


def test_ticket_appears_live_and_call_recall_start_finish_no_show_reopen(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser, supervisors: dict[str, str],
        artifacts: Path) -> None:
    page = open_console(browser, live_server, "petugas.dukcapil", "L01")
    expect(page.locator("#current .empty")).to_be_visible()
    expect(page.locator('button[data-action="call_next"]')).to_be_disabled()
    assert "Belum ada antrean yang menunggu" in hover_reason(page, "call_next")
    assert "Tidak ada nomor di loket ini" in hover_reason(page, "recall")
    assert "Loket tidak sedang jeda" in hover_reason(page, "resume")

    first = issue(live_server, tokens["kiosk"])  # through the API, while the page is open
    expect(page.locator('#waiting section[data-service="KTP"] li[data-ticket="A-001"]')).to_be_visible()
    issue(live_server, tokens["kiosk"])
    issue(live_server, tokens["kiosk"], "KIA", priority="lansia")
    expect(page.locator('#waiting section[data-service="KTP"] .count')).to_have_text("2 menunggu")
    expect(page.locator('#waiting section[data-service="KIA"] .prio')).to_have_attribute(
        "title", "Lanjut usia (60 tahun ke atas)")

    # Another console of the agency calls: this one sees it without reload.
    other = open_console(browser, live_server, "petugas2.dukcapil", "L04")
    other.click('button[data-action="call_next"]')
    expect(other.locator("#current-number")).to_have_text("E-001")  # priority first (ratio 2)
    expect(page.locator('#others li[data-counter="L04"] .num')).to_have_text("E-001")

    page.click('button[data-action="call_next"]')
    expect(page.locator("#current-number")).to_have_text(first["number"])
    expect(page.locator("#current-status")).to_have_text("dipanggil")
    assert waiting_numbers(page, "KTP") == ["A-002"]
    assert "Masih ada nomor di loket ini" in hover_reason(page, "call_next")

    page.click('button[data-action="recall"]')
    expect(page.locator("#current-recalls")).to_have_text("1×")
    page.click('button[data-action="start"]')
    expect(page.locator("#current-status")).to_have_text("sedang dilayani")
    expect(page.locator('button[data-action="no_show"]')).to_be_disabled()
    assert "berstatus sedang dilayani" in hover_reason(page, "no_show")
    page.screenshot(path=str(artifacts / "console-1366x768.png"))

    page.click('button[data-action="finish"]')
    expect(page.locator("#current .empty")).to_be_visible()
    expect(page.locator("#done-count")).to_have_text("1")

    page.click('button[data-action="call_next"]')
    expect(page.locator("#current-number")).to_have_text("A-002")
    page.click('button[data-action="no_show"]')
    expect(page.locator("#current .empty")).to_be_visible()
    reopen = page.locator("#today li", has_text="A-002").get_by_role("button", name="Buka kembali")
    reopen.click()
    expect(page.locator('#waiting section[data-service="KTP"] li[data-ticket="A-002"]')).to_be_visible()
    expect(reopen).to_have_count(0)

    # Auto-call: finishing calls the next one; the choice stays with this counter's browser.
    page.check("#autocall")
    page.reload()
    expect(page.locator("#autocall")).to_be_checked()
    issue(live_server, tokens["kiosk"])
    expect(page.locator('#waiting section[data-service="KTP"] .count')).to_have_text("2 menunggu")
    page.click('button[data-action="call_next"]')
    expect(page.locator("#current-number")).to_have_text("A-002")  # re-opened: back at its arrival time
    page.click('button[data-action="finish"]')
    expect(page.locator("#current-number")).to_have_text("A-003")
    expect(page.locator("#done-count")).to_have_text("2")
    page.context.close()
    other.context.close()


def test_every_action_has_its_keyboard_shortcut(live_server: LiveServer, tokens: dict[str, str],
                                                 browser: Browser) -> None:
    for _ in range(3):
        issue(live_server, tokens["kiosk"])
    page = open_console(browser, live_server, "petugas.dukcapil", "L01")
    shown = {b.get_attribute("data-action"): b.locator("kbd").inner_text()
             for b in page.locator("button[data-action]").all()}
    assert shown == {"call_next": "B", "recall": "U", "start": "M", "finish": "S", "no_show": "T",
                     "transfer": "A", "call": "N", "pause": "J", "resume": "L"}
    expect(page.locator('#waiting section[data-service="KTP"] .count')).to_have_text("3 menunggu")

    for key, shows, text in (("b", "#current-number", "A-001"), ("u", "#current-recalls", "1×"),
                             ("m", "#current-status", "sedang dilayani"), ("s", "#current .empty", None),
                             ("b", "#current-number", "A-002"), ("t", "#current .empty", None)):
        press(page, key, shows, text)
    press(page, "n", "#dlg-call")  # call a chosen number
    page.keyboard.type("A-003")
    press(page, "Enter", "#current-number", "A-003")
    press(page, "a", "#dlg-transfer")  # transfer, to another service of the same agency
    page.select_option("#dlg-transfer select[name=service]", "KK")
    press(page, "Enter", "#current .empty")
    press(page, "j", "#dlg-pause")  # pause with a reason
    page.keyboard.type("Salat")
    press(page, "Enter", ".paused-note")
    expect(page.locator(".paused-note")).to_contain_text("Salat")
    issue(live_server, tokens["kiosk"])
    press(page, "b", "#toast", "Loket sedang jeda; tekan Lanjut dulu — The counter is paused; resume first")
    expect(page.locator("#current .empty")).to_be_visible()  # refused while paused: nothing was called
    press(page, "l", "#current .hint")
    expect(page.locator(".paused-note")).to_have_count(0)
    press(page, "b", "#current-number", "A-004")
    page.context.close()


def test_transfer_to_another_agency_shows_on_its_console_with_the_same_number(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser) -> None:
    dukcapil = open_console(browser, live_server, "petugas.dukcapil", "L01")
    imigrasi = open_console(browser, live_server, "petugas.imigrasi", "L05")
    ticket = issue(live_server, tokens["kiosk"])
    expect(dukcapil.locator('#waiting li[data-ticket="A-001"]')).to_be_visible()
    dukcapil.keyboard.press("b")
    expect(dukcapil.locator("#current-number")).to_have_text(ticket["number"])
    dukcapil.click('button[data-action="transfer"]')
    dukcapil.select_option("#dlg-transfer select[name=service]", "PASPOR")
    dukcapil.fill("#dlg-transfer input[name=note]", "Perlu paspor untuk umrah")
    dukcapil.click("#dlg-transfer button[type=submit]")
    expect(dukcapil.locator("#current .empty")).to_be_visible()
    expect(dukcapil.locator("#today li", has_text=ticket["number"])).to_contain_text("alihkan")

    expect(imigrasi.locator('#waiting section[data-service="PASPOR"] li[data-ticket="A-001"]')).to_be_visible()
    imigrasi.keyboard.press("b")
    expect(imigrasi.locator("#current-number")).to_have_text("A-001")
    expect(imigrasi.locator("#current .meta")).to_contain_text("Dialihkan dari Perekaman dan Pencetakan KTP-el")
    dukcapil.context.close()
    imigrasi.context.close()


def test_console_says_when_the_connection_is_lost_and_resyncs_when_back(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser, engine: Engine) -> None:
    page = open_console(browser, live_server, "petugas.dukcapil", "L01")
    live_server.kill()
    expect(page.locator("#conn")).to_have_attribute("data-state", "lost")
    expect(page.locator("#conn")).to_contain_text("Koneksi terputus")
    assert "Koneksi ke server terputus" in hover_reason(page, "pause")
    QueueService(engine).issue("KTP", KIOSK)  # happens while this console cannot hear about it
    live_server.start()
    expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=15000)
    expect(page.locator('#waiting section[data-service="KTP"] li[data-ticket="A-001"]')).to_be_visible()
    expect(page.locator('button[data-action="call_next"]')).to_be_enabled()
    page.context.close()
