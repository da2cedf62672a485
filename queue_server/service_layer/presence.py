"""Which counters have a console open right now, for the supervisor's "offline" status.

Held in the server process's memory by Socket.IO session id: the production server is one
gunicorn worker, and after a restart the consoles' automatic reconnects fill it again.
"""

from __future__ import annotations

import threading


class Presence:
    """Open console connections per counter; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter_of: dict[str, str] = {}

    def join(self, sid: str, counter_code: str) -> bool:
        """Note a console connection; True when it brought the counter online."""
        with self._lock:
            was_online = counter_code in self._counter_of.values()
            self._counter_of[sid] = counter_code
            return not was_online

    def leave(self, sid: str) -> str | None:
        """Forget a connection; the counter it left offline, if it was the last one there."""
        with self._lock:
            code = self._counter_of.pop(sid, None)
            return code if code is not None and code not in self._counter_of.values() else None

    def online(self) -> list[str]:
        """Counters with at least one console connected, sorted."""
        with self._lock:
            return sorted(set(self._counter_of.values()))
