"""Test helpers: real databases (SQLite files, a PostgreSQL started for the run), a clock, a live server."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine

from queue_server.adapters.db import make_engine
from queue_server.adapters.migrate import upgrade
from queue_server.adapters.repository import Repository
from queue_server.config import DEFAULT_CONFIG, ServerSettings, hall_from_config
from queue_server.domain.access import Actor, DeviceKind, Role
from queue_server.service_layer.accounts import Accounts

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key"
PASSWORD = "rahasia-123"
KIOSK = Actor("kiosk-test", device_kind=DeviceKind.KIOSK)
ADMIN = Actor("admin", Role.ADMIN)


def officer(agency: str) -> Actor:
    """An officer of one agency."""
    return Actor(f"petugas.{agency.lower()}", Role.OFFICER, agency)


TEST_TICKETS = Path(tempfile.gettempdir()) / "antrean-test-tickets"


def demo_raw() -> dict[str, Any]:
    """config.toml as parsed TOML, its virtual printers writing outside the checkout."""
    raw = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    for device in raw.get("printers", {}).get("device", []):
        if device.get("transport") == "virtual":
            device["folder"] = str(TEST_TICKETS)
    return raw


class FakeClock:
    """A clock tests move by hand (tickets issued without advancing it share one arrival instant)."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09.00 WIB

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


def prepare_database(url: str, raw: dict[str, Any] | None = None, always_open: bool = True) -> Engine:
    """Migrate `url` and load a hall (config.toml's, open round the clock, unless `raw` is given)."""
    engine = make_engine(url)
    upgrade(engine)
    catalog, settings_json = hall_from_config(raw or demo_raw(), always_open=always_open)
    with engine.begin() as conn:
        Repository(conn).store_hall(catalog, settings_json)
    return engine


def add_accounts(engine: Engine) -> dict[str, str]:
    """Staff accounts and devices used by API tests; returns the device tokens."""
    accounts = Accounts(engine, SECRET)
    accounts.add_user("admin", PASSWORD, Role.ADMIN)
    for agency in ("DUKCAPIL", "IMIGRASI", "KPP"):
        accounts.add_user(f"petugas.{agency.lower()}", PASSWORD, Role.OFFICER, agency)
    return {
        "kiosk": accounts.add_device("kiosk", DeviceKind.KIOSK, token="dev_test-kiosk"),
        "display": accounts.add_device("display", DeviceKind.DISPLAY, token="dev_test-display"),
        "display_dukcapil": accounts.add_device("display-dukcapil", DeviceKind.DISPLAY, ("DUKCAPIL",),
                                                token="dev_test-display-dukcapil"),
    }


def settings_for(url: str, raw: dict[str, Any] | None = None) -> ServerSettings:
    """Server settings for a test database."""
    return ServerSettings(config_path=DEFAULT_CONFIG, database_url=url, secret_key=SECRET,
                          raw=raw or demo_raw(), threads=64)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- PostgreSQL started by the test run --------------------------------------------------------

@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1, owned by the OS user `postgres` when we are root."""

    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="antrean-pg-")))
    bin: Path | None = None
    _counter: int = 0

    @staticmethod
    def find_bin() -> Path | None:
        """The newest installed PostgreSQL's bin folder."""
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        return Path(found[-1]).parent if found else None

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        """initdb and start; trust auth on loopback, fsync off (tests only)."""
        self.bin = self.find_bin()
        if self.bin is None:
            raise RuntimeError("PostgreSQL not installed")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data = self.root / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "antrean", "--auth=trust", "-E", "UTF8")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        """Stop the cluster and remove its files."""
        if self.bin:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        import psycopg

        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=antrean dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://antrean@127.0.0.1:{self.port}/{name}"


# -- a live server: `antrean serve` (gunicorn) on 127.0.0.1 ---------------------------------------

@dataclass
class LiveServer:
    """`antrean serve` in a subprocess, restartable and killable, on one database."""

    database_url: str
    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "ANTREAN_DATABASE_URL": self.database_url, "ANTREAN_SECRET_KEY": SECRET,
                "ANTREAN_CONFIG": str(DEFAULT_CONFIG)}

    def start(self, timeout: float = 20.0) -> None:
        """Start and wait until /healthz answers."""
        log = open(self.workdir / f"server-{self.port}.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "queue_server.entrypoints.cli", "serve", "--port",
                                      str(self.port)], env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: see {log.name}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not start in time")

    def kill(self) -> None:
        """SIGKILL the whole server (as a power cut or OOM kill would)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        """Stop politely."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def token(self, username: str, password: str = PASSWORD) -> str:
        """Sign in through the API."""
        r = requests.post(self.url + "/api/v1/auth/token", json={"username": username, "password": password},
                          timeout=10)
        r.raise_for_status()
        return r.json()["token"]
