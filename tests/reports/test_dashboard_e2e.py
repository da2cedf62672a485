"""The supervisor view as the live hall dashboard: a service whose longest wait passes its target is flagged."""

from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, update

from queue_server.adapters import db
from queue_server.domain.access import Role
from queue_server.service_layer.accounts import Accounts
from tests.console.conftest import issue, sign_in
from tests.support import PASSWORD, SECRET, LiveServer


def test_longest_wait_past_target_raises_the_alert(browser: Browser, live_server: LiveServer, engine: Engine,
                                                   tokens: dict[str, str]) -> None:
    Accounts(engine, SECRET).add_user("spv.dukcapil", PASSWORD, Role.SUPERVISOR, "DUKCAPIL")
    with engine.begin() as conn:  # a 3-second target for KTP, so the test need not wait 8 minutes
        conn.execute(update(db.service).where(db.service.c.code == "KTP").values(target_service_s=3))
        conn.execute(update(db.hall).values(version=db.hall.c.version + 1))
    page = sign_in(browser, live_server, "spv.dukcapil", "/supervisor")
    row = page.locator('#queues tr[data-service="KTP"]')
    expect(row).to_be_visible()
    page.wait_for_timeout(5500)  # one re-check with nobody waiting
    expect(page.locator("#wait-alert")).to_be_hidden()
    issue(live_server, tokens["kiosk"], "KTP")
    issue(live_server, tokens["kiosk"], "KK")
    expect(row).to_have_class("over-target", timeout=15_000)
    expect(page.locator("#wait-alert")).to_contain_text("KTP")
    expect(page.locator('#queues tr[data-service="KK"]')).not_to_have_class("over-target")  # KK's target is 10 min
    page.context.close()
