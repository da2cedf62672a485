"""Helpers of the console tests: accounts, signed-in pages (the `browser` fixture is tests/conftest.py's), tickets."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from queue_server.domain.access import Role
from queue_server.service_layer.accounts import Accounts

from ..support import PASSWORD, SECRET, LiveServer

VIEWPORT = {"width": 1366, "height": 768}  # the smallest loket screen the console is laid out for


@pytest.fixture
def supervisors(engine: Engine, tokens: dict[str, str]) -> dict[str, str]:
    """A Dukcapil supervisor and a hall supervisor in the test database (password support.PASSWORD)."""
    accounts = Accounts(engine, SECRET)
    accounts.add_user("spv.dukcapil", PASSWORD, Role.SUPERVISOR, "DUKCAPIL")
    accounts.add_user("spv.aula", PASSWORD, Role.SUPERVISOR)
    accounts.add_user("petugas2.dukcapil", PASSWORD, Role.OFFICER, "DUKCAPIL")
    return {"agency": "spv.dukcapil", "hall": "spv.aula"}


def sign_in(browser: Browser, server: LiveServer, username: str, page_path: str = "/counter") -> Page:
    """A fresh browser context signed in through the login form, on `page_path`."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(f"{server.url}{page_path}")
    page.wait_for_url(lambda url: "/login" in url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.endswith(page_path))
    return page


def open_console(browser: Browser, server: LiveServer, username: str, counter: str) -> Page:
    """An officer's console at `counter`, live (connected and showing its state)."""
    page = sign_in(browser, server, username)
    page.click(f"button[name=counter][value={counter}]")
    page.wait_for_selector("#conn[data-state=live]")
    page.wait_for_selector("#current .number, #current .empty")
    return page


def issue(server: LiveServer, kiosk: str, service: str = "KTP", priority: str | None = None) -> dict:
    """A ticket issued through the API by the test kiosk."""
    body = {"service": service} | ({"priority": priority} if priority else {})
    r = requests.post(server.url + "/api/v1/tickets", json=body, headers={"Authorization": f"Bearer {kiosk}"},
                      timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a staff or device token."""
    return {"Authorization": f"Bearer {token}"}
