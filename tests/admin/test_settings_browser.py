"""/admin's settings forms, user dialog and media panel in Debian's Chromium against a live `antrean serve`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import requests
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from queue_server.adapters.repository import Repository

from ..console.conftest import sign_in
from ..support import LiveServer

pytestmark = pytest.mark.live


def stored(engine: Engine) -> dict:
    with engine.connect() as conn:
        return Repository(conn).hall_settings_json()


def save(page: Page) -> int:
    """Click Simpan on the settings tab; the status of the server's answer (the edit is committed by then)."""
    with page.expect_response(lambda r: "/api/v1/admin/settings/" in r.url) as answer:
        page.click("#save-section")
    return answer.value.status


def test_admin_edits_priority_and_pronunciations_through_the_forms(
        live_server: LiveServer, engine: Engine, browser: Browser, artifacts: Path) -> None:
    page = sign_in(browser, live_server, "admin", "/admin")
    page.click('[data-tab="settings"]')
    page.select_option("#section", "priority")
    form = page.locator("#section-form")
    expect(form.locator('input[name="ratio"]')).to_have_value("2")
    expect(page.locator("#section-json")).to_be_hidden()
    form.locator('input[name="ratio"]').fill("11")  # refused by the server, with its reason
    assert save(page) == 422
    expect(page.locator("#toast")).to_contain_text("Rasio prioritas harus bilangan bulat 0-10")
    assert stored(engine)["priority"]["ratio"] == 2
    form.locator('input[name="ratio"]').fill("3")
    form.locator('[data-rows="categories"] tbody tr').last.locator("[data-remove-row]").click()
    assert save(page) == 200
    priority = stored(engine)["priority"]
    assert priority["ratio"] == 3
    assert [c["code"] for c in priority["categories"]] == ["lansia", "disabilitas", "ibu_hamil"]

    page.select_option("#section", "announcement")
    expect(form).to_contain_text("{number}")
    rows = form.locator('[data-rows="pronunciations"] tbody tr')
    bpjs = rows.filter(has=page.locator('input[name="pronunciations.word"][value="BPJS"]'))
    bpjs.locator('input[name="pronunciations.spoken"]').fill("bé pé jé és")
    form.locator('[data-add-row="pronunciations"]').click()
    rows.last.locator('input[name="pronunciations.word"]').fill("Samsat")
    rows.last.locator('input[name="pronunciations.spoken"]').fill("sam-sat")
    page.screenshot(path=str(artifacts / "admin-settings-announcement.png"))
    assert save(page) == 200
    announcement = stored(engine)["announcement"]
    assert (announcement["pronunciations"]["BPJS"], announcement["pronunciations"]["Samsat"]) == ("bé pé jé és", "sam-sat")
    assert announcement["cache_dir"] == "var/speech"  # keys the form does not show are kept

    with page.expect_response(lambda r: "/display/audio/" in r.url) as wav:  # the displays' own voice
        page.click("#listen")
    expect(page.locator("#toast")).to_contain_text("Nomor antrean A-011, silakan menuju Loket 1")
    assert wav.value.status in (200, 206)  # the audio element asks for a range

    form.locator('input[name="template"]').fill("Nomor {nomor} ke {counter}")
    assert save(page) == 422
    expect(page.locator("#toast")).to_contain_text("isian tak dikenal: nomor")
    assert stored(engine)["announcement"]["template"] == announcement["template"]

    page.select_option("#section", "kiosk")  # the other sections keep the JSON editor
    expect(page.locator("#section-json")).to_be_visible()
    assert "idle_s" in page.locator("#section-json").input_value()
    page.context.close()


def test_admin_deactivates_an_officer_and_uploads_media(
        live_server: LiveServer, engine: Engine, browser: Browser, tmp_path: Path) -> None:
    officer = live_server.token("petugas.kpp")
    page = sign_in(browser, live_server, "admin", "/admin")
    page.click('[data-tab="users"]')
    page.click('#users tr[data-code="petugas.kpp"] button[data-edit]')
    expect(page.locator('#dlg-edit input[name="password"]')).to_have_value("")
    page.uncheck('#dlg-edit input[name="active"]')
    page.click('#dlg-edit button[type="submit"]')
    expect(page.locator('#users tr[data-code="petugas.kpp"] td').nth(3)).to_have_text("Tidak / No")
    r = requests.get(live_server.url + "/api/v1/counters", headers={"Authorization": f"Bearer {officer}"}, timeout=10)
    assert r.status_code == 401

    page.click('[data-tab="settings"]')
    page.select_option("#section", "display")
    page.locator("#section-form textarea[name=running_text]").fill("Selamat datang / Welcome")
    assert save(page) == 200
    assert stored(engine)["display"]["running_text"] == "Selamat datang / Welcome"
    media = tmp_path / "media-admin"  # the folder is a path on the server: set through the API, not the form
    r = requests.put(live_server.url + "/api/v1/admin/settings/display", timeout=10,
                     headers={"Authorization": f"Bearer {live_server.token('admin')}"},
                     json={**stored(engine)["display"], "media_dir": str(media)})
    assert r.status_code == 200, r.text

    image = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(image, "PNG")
    page.click('[data-tab="media"]')
    page.set_input_files("#media-upload input[type=file]",
                         files=[{"name": "aula.png", "mimeType": "image/png", "buffer": image.getvalue()}])
    page.click("#media-upload button[type=submit]")
    expect(page.locator('#media-list [data-media="aula.png"] img')).to_be_visible()
    assert (media / "aula.png").read_bytes() == image.getvalue()
    page.set_input_files("#media-upload input[type=file]",
                         files=[{"name": "palsu.png", "mimeType": "image/png", "buffer": b"not a png at all"}])
    page.click("#media-upload button[type=submit]")
    expect(page.locator("#toast")).to_contain_text("tidak cocok dengan jenisnya")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click('#media-list [data-remove-media="aula.png"]')
    expect(page.locator("#media-list figure")).to_have_count(0)
    assert not (media / "aula.png").exists() and sorted(p.name for p in media.iterdir()) == []
    page.context.close()
