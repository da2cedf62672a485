"""A network thermal printer for tests: a real TCP server on 127.0.0.1 that speaks the status bytes.

Modes: "ok" answers DLE EOT 1/2/4 and GS r 1 like a ready printer and keeps every byte;
"silent" accepts and reads but never answers; "close" accepts and hangs up at once;
"paper_out" reports offline because the roll is empty; "near_end" prints but reports a low roll.
"""

from __future__ import annotations

import socket
import threading
import time


class FakeNetworkPrinter:
    """Listens on 127.0.0.1:<port>; `received` holds the bytes of every connection, in order."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.received: list[bytes] = []
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        self._server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            if self.mode == "close":
                conn.close()
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _reply(self, query: bytes) -> bytes | None:
        if self.mode == "silent":
            return None
        paper_out = self.mode == "paper_out"
        replies = {
            b"\x10\x04\x01": 0x1A if paper_out else 0x12,  # bit 3: offline
            b"\x10\x04\x02": 0x32 if paper_out else 0x12,  # bit 5: paper end
            b"\x10\x04\x04": 0x72 if paper_out else (0x1E if self.mode == "near_end" else 0x12),
            b"\x1dr\x01": 0x03 if self.mode == "near_end" else 0x00,
        }
        value = replies.get(query)
        return None if value is None else bytes([value])

    def _serve(self, conn: socket.socket) -> None:
        data = bytearray()
        index = len(self.received)
        self.received.append(b"")
        conn.settimeout(0.1)
        with conn:
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                start = max(0, len(data) - 2)
                data += chunk
                self.received[index] = bytes(data)
                for i in range(start, len(data) - 2):
                    reply = self._reply(bytes(data[i:i + 3]))
                    if reply is not None:
                        conn.sendall(reply)

    def all_bytes(self) -> bytes:
        """Everything received on every connection."""
        return b"".join(self.received)

    def wait_for(self, needle: bytes, timeout: float = 5.0) -> bool:
        """Whether `needle` arrived within `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.all_bytes():
                return True
            time.sleep(0.02)
        return False

    def close(self) -> None:
        self._stop.set()
        self._server.close()
