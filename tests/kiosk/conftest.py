"""A live server whose test kiosk has a printer (virtual, or driven by a kiosk agent)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..printers.helpers import hall_with_printer
from ..support import LiveServer, add_accounts, prepare_database


@pytest.fixture
def printing_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """start(kiosk=None, **device) -> `antrean serve` on a hall whose kiosk "kiosk" prints to `device`."""
    servers: list[LiveServer] = []

    def start(kiosk: dict[str, Any] | None = None, **device: Any) -> LiveServer:
        url = f"sqlite:///{tmp_path / 'live.db'}"
        raw = hall_with_printer(device)
        if kiosk:
            raw["kiosk"] = kiosk
        add_accounts(prepare_database(url, raw))
        server = LiveServer(url, tmp_path)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
