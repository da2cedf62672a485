"""Fixtures: real SQLite files, a real PostgreSQL started for the run, apps and live servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine

from queue_server.entrypoints.app import create_app
from queue_server.service_layer.queue import QueueService

from .support import FakeClock, LiveServer, PostgresServer, add_accounts, prepare_database, settings_for

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots, tickets, WAVs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole run; the README's test command installs it."""
    if PostgresServer.find_bin() is None:
        if os.environ.get("ANTREAN_SKIP_POSTGRES") == "1":
            pytest.skip("PostgreSQL not installed and ANTREAN_SKIP_POSTGRES=1")
        pytest.fail("PostgreSQL is not installed: run the README's test command (it installs it)")
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'antrean.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on each engine in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'antrean.db'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def clock() -> FakeClock:
    """Monday 23 November 2026, 09.00 WIB, moved by hand."""
    return FakeClock()


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    """A migrated SQLite file with the demo hall loaded."""
    return prepare_database(sqlite_url)


@pytest.fixture
def queue(engine: Engine, clock: FakeClock) -> QueueService:
    """The queue service on that database, on the fake clock, publishing into `queue.published`."""
    published: list = []
    service = QueueService(engine, publish=lambda events, catalog: published.extend(events), clock=clock)
    service.published = published  # type: ignore[attr-defined]
    return service


@pytest.fixture
def tokens(engine: Engine) -> dict[str, str]:
    """Device tokens (and staff accounts) in the test database."""
    return add_accounts(engine)


@pytest.fixture
def app(sqlite_url: str, engine: Engine, tokens: dict[str, str], clock: FakeClock) -> Flask:
    """The Flask app on the prepared SQLite file."""
    return create_app(settings_for(sqlite_url), clock=clock)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client."""
    return app.test_client()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the run (Debian's /usr/bin/chromium, never a downloaded build); it
    may play sound without a click, as a hall display PC is set up to."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(tmp_path: Path, sqlite_url: str, engine: Engine, tokens: dict[str, str]) -> Iterator[LiveServer]:
    """`antrean serve` (gunicorn, threading Socket.IO) on 127.0.0.1 over the prepared SQLite file."""
    server = LiveServer(sqlite_url, tmp_path)
    server.start()
    yield server
    server.stop()
