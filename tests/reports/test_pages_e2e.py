"""The report pages in Chromium: the locally served chart draws, the SKM page prints without its controls."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, expect
from sqlalchemy import Engine

from benchmarks.history import write_history
from queue_server.adapters.repository import Repository
from tests.console.conftest import sign_in
from tests.support import LiveServer


def test_chart_heat_map_and_printable_skm(browser: Browser, live_server: LiveServer, engine: Engine,
                                         tokens: dict[str, str], artifacts: Path) -> None:
    with engine.connect() as conn:
        catalog = Repository(conn).load_catalog()
    write_history(engine.url.database or "", catalog, date(2026, 11, 2), 7, 200)
    page = sign_in(browser, live_server, "admin", "/reports")
    requests_out: list[str] = []
    page.on("request", lambda r: requests_out.append(r.url))
    page.goto(f"{live_server.url}/reports?from=2026-11-02&to=2026-11-08&by=agency")
    expect(page.locator("#report-total th").nth(1)).to_have_text("1.400")
    page.wait_for_function("() => window.Chart && window.Chart.getChart('chart') !== undefined")
    assert all(url.startswith(live_server.url) for url in requests_out)  # nothing from the internet
    expect(page.locator("#heat tbody tr")).to_have_count(7)
    page.screenshot(path=str(artifacts / "reports-agency.png"), full_page=True)
    page.goto(f"{live_server.url}/reports/skm?from=2026-11-02&to=2026-11-08")
    expect(page.locator("#skm-ikm")).to_have_text("–")  # nobody answered in that week
    page.emulate_media(media="print")
    expect(page.locator(".report-filter")).to_be_hidden()
    expect(page.locator("#report-table")).to_be_visible()
    page.context.close()
