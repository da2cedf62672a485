"""Display fixtures: display pages in Chromium, and a live hall whose calls are short to say."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import Engine

from ..support import LiveServer, add_accounts, demo_raw, prepare_database


@dataclass
class Hall:
    """A live server, its database and the device tokens."""

    server: LiveServer
    engine: Engine
    tokens: dict[str, str]


@pytest.fixture
def quick_hall(tmp_path: Path, sqlite_url: str) -> Iterator[Hall]:
    """The demo hall announcing just "{number}." at 180 wpm, so a browser test hears calls in seconds."""
    raw = demo_raw()
    raw["announcement"] = {**raw["announcement"], "template": "{number}.", "recall_template": "{number}.", "rate": 180}
    engine = prepare_database(sqlite_url, raw)
    tokens = add_accounts(engine)
    server = LiveServer(sqlite_url, tmp_path)
    server.start()
    yield Hall(server, engine, tokens)
    server.stop()


@pytest.fixture
def open_display(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens display pages, each in its own browser profile (the token lives in localStorage)."""
    contexts: list[BrowserContext] = []

    def _open(url: str, token: str | None = None, width: int = 1920, height: int = 1080) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{url}/display" + (f"?token={token}" if token else ""))
        page.wait_for_function("document.body.dataset.connected === '1'", timeout=10000)
        return page

    yield _open
    for context in contexts:
        context.close()
