"""/admin in Debian's Chromium against a live `antrean serve`, with a kiosk page open beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from ..console.conftest import issue, sign_in
from ..support import PASSWORD, LiveServer

pytestmark = pytest.mark.live


def test_admin_sets_quota_to_todays_count_and_the_kiosk_closes_it_without_reload(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser, artifacts: Path) -> None:
    for _ in range(2):
        issue(live_server, tokens["kiosk"], "KTP")
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    kiosk.goto(live_server.url + "/kiosk?token=dev_test-kiosk")
    kiosk.click('.tile[data-agency="DUKCAPIL"]')
    ktp_row = kiosk.locator('#agency-services .row[data-service="KTP"]')
    expect(ktp_row).to_contain_text("2 menunggu")
    kiosk.evaluate("window.__sameDocument = true")  # gone if the page reloads

    admin = sign_in(browser, live_server, "admin", "/admin")
    expect(admin.locator('#services tr[data-code="KTP"]')).to_contain_text("150")
    admin.click('#services tr[data-code="KTP"] button[data-edit]')
    admin.fill('#dlg-edit input[name="quota"]', "1")  # below today's 2: refused with the reason
    admin.click('#dlg-edit button[type="submit"]')
    expect(admin.locator("#toast")).to_contain_text("tidak boleh di bawah nomor yang sudah diambil hari ini (2)")
    expect(admin.locator('#services tr[data-code="KTP"]')).to_contain_text("150")

    admin.click('#services tr[data-code="KTP"] button[data-edit]')
    admin.fill('#dlg-edit input[name="quota"]', "2")
    admin.screenshot(path=str(artifacts / "admin-edit-service.png"))
    admin.click('#dlg-edit button[type="submit"]')
    expect(admin.locator("#toast")).to_contain_text("Tersimpan")
    expect(admin.locator('#services tr[data-code="KTP"] td').nth(4)).to_have_text("2")
    expect(ktp_row).to_have_class("row closed")
    expect(ktp_row).to_contain_text("Tutup")
    assert kiosk.evaluate("window.__sameDocument") is True
    admin.click('[data-tab="changes"]')
    expect(admin.locator("#changes tbody tr").first).to_contain_text("KTP")
    admin.click('[data-tab="services"]')
    admin.screenshot(path=str(artifacts / "admin-services.png"))
    kiosk.click('#agency-services .row[data-service="KTP"]')
    expect(kiosk.locator("#svc-closed")).to_contain_text("Kuota harian layanan ini sudah habis")
    kiosk.close()
    admin.context.close()


def test_an_officer_cannot_open_admin(live_server: LiveServer, tokens: dict[str, str], browser: Browser) -> None:
    page = sign_in(browser, live_server, "petugas.dukcapil", "/counter")
    answer = page.goto(live_server.url + "/admin")
    assert answer is not None and answer.status == 403
    expect(page.locator(".error")).to_contain_text("Hanya admin dan supervisor")
    page.context.close()
    r = requests.post(live_server.url + "/api/v1/auth/token", json={"username": "petugas.dukcapil",
                                                                    "password": PASSWORD}, timeout=10)
    staff = {"Authorization": "Bearer " + r.json()["token"]}
    assert requests.get(live_server.url + "/api/v1/admin/hall", headers=staff, timeout=10).status_code == 403


def test_an_agency_supervisor_sees_and_edits_only_its_agency(
        live_server: LiveServer, supervisors: dict[str, str], browser: Browser) -> None:
    page = sign_in(browser, live_server, supervisors["agency"], "/admin")
    expect(page.locator("#services tbody tr")).to_have_count(5)  # Dukcapil's KTP, KK, AKTA, PINDAH, KIA
    expect(page.locator('[data-tab="agencies"], [data-tab="settings"], [data-tab="devices"]')).to_have_count(0)
    page.click('#services tr[data-code="KIA"] button[data-edit]')
    expect(page.locator('#dlg-edit select[name="agency"] option')).to_have_count(1)
    page.fill('#dlg-edit input[name="target_minutes"]', "7")
    page.click('#dlg-edit button[type="submit"]')
    expect(page.locator('#services tr[data-code="KIA"] td').nth(5)).to_have_text("7")
    expect(page.locator("#services tbody tr")).to_have_count(5)
    page.context.close()


def test_admin_switches_a_kiosk_off_and_its_open_page_stops_at_once(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser) -> None:
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    kiosk.goto(live_server.url + "/kiosk?token=dev_test-kiosk")
    expect(kiosk.locator('.tile[data-agency="DUKCAPIL"]')).to_contain_text("menunggu")
    admin = sign_in(browser, live_server, "admin", "/admin")
    admin.on("dialog", lambda d: d.accept())  # the confirm()
    admin.click('[data-tab="devices"]')
    row = admin.locator('#devices tr[data-code="kiosk"]')
    row.locator('button[data-active="false"]').click()
    expect(row).to_contain_text("Tidak / No")
    expect(kiosk.locator("#screen-pair")).to_be_visible()  # refused on its reconnect: no more numbers
    r = requests.post(live_server.url + "/api/v1/tickets", json={"service": "KTP"},
                      headers={"Authorization": "Bearer dev_test-kiosk"}, timeout=10)
    assert r.status_code == 401
    row.locator('button[data-active="true"]').click()
    expect(row).to_contain_text("Ya / Yes")
    kiosk.goto(live_server.url + "/kiosk?token=dev_test-kiosk")  # paired again with the same token
    expect(kiosk.locator('.tile[data-agency="DUKCAPIL"]')).to_contain_text("menunggu")
    kiosk.close()
    admin.context.close()
