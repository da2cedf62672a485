"""The display agent: a screenless display that speaks the hall's calls through a PC's sound card.

For halls whose speakers hang on a PC rather than on a screen's browser. It joins /display like
a screen (same token, same limits), keeps one announcement queue with the page's rules, and
plays the server's chime and rendered sentence (pyttsx3 on the server) with aplay.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import socketio

from .playlist import AnnouncementQueue, QueuedCall

log = logging.getLogger(__name__)
REPEAT_GAP_S = 0.4


def queued_call(call: dict[str, Any]) -> QueuedCall | None:
    """A `call` event as the queue keeps it; None for a call without an announcement."""
    a = call.get("announcement")
    if not a:
        return None
    return QueuedCall(number=call["ticket"]["number"], counter=call["counter"]["name"], text=a["text"],
                      chime_url=a["chime_url"], speech_url=a.get("speech_url"), repeat=int(a.get("repeat", 1)),
                      recall=bool(call.get("recall")))


class DisplayAgent:
    """Receives calls over Socket.IO and speaks them one after another with a player command."""

    def __init__(self, server: str, token: str | None, player: list[str],
                 echo: Callable[[str], None] = print) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.player = player
        self.echo = echo
        self.queue = AnnouncementQueue()
        self.ready = threading.Condition()
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.5, reconnection_delay_max=2)
        self.client.on("state", self._on_state, namespace="/display")
        self.client.on("call", self._on_call, namespace="/display")

    def _on_state(self, state: dict[str, Any]) -> None:
        scope = ", ".join(state.get("display", {}).get("agencies", [])) or "seluruh aula"
        self.echo(f"terhubung / connected: {state['hall']['name']} ({scope})")

    def _on_call(self, call: dict[str, Any]) -> None:
        item = queued_call(call)
        if item is not None:
            with self.ready:
                self.queue.push(item)
                self.ready.notify()

    def connect(self, retry_s: float = 2.0) -> None:
        """Connect, retrying until the server answers (it may start after the agent)."""
        auth = {"token": self.token} if self.token else {}
        while True:
            try:
                self.client.connect(self.server, namespaces=["/display"], auth=auth, transports=["websocket"])
                return
            except socketio.exceptions.ConnectionError as exc:
                self.echo(f"server belum bisa dihubungi / server not reachable: {exc}")
                time.sleep(retry_s)

    def _fetch(self, url: str | None) -> bytes | None:
        if not url:
            return None
        try:
            with urllib.request.urlopen(self.server + url, timeout=10) as response:
                return response.read()
        except (urllib.error.URLError, TimeoutError) as exc:
            log.warning("audio %s unavailable: %s", url, exc)
            return None

    def _play(self, data: bytes | None) -> bool:
        if data is None:
            return False
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            f.write(data)
            f.flush()
            try:
                return subprocess.run([*self.player, f.name], timeout=60, check=False).returncode == 0
            except (OSError, subprocess.TimeoutExpired) as exc:
                log.error("player %s failed: %s", self.player[0], exc)
                return False

    def speak(self, call: QueuedCall) -> None:
        """Chime, then the sentence as often as the queue allows."""
        start = time.time()
        chimed = self._play(self._fetch(call.chime_url))
        speech = self._fetch(call.speech_url)
        said = 0
        while self._play(speech):
            said += 1
            with self.ready:
                if not self.queue.say_again(call, said):
                    break
            time.sleep(REPEAT_GAP_S)
        self.echo(f"diumumkan / played {call.number} {call.counter} chime={int(chimed)} speech={said} "
                  f"start={start:.3f} end={time.time():.3f}")

    def run(self) -> None:
        """Connect and speak calls until interrupted."""
        self.connect()
        while True:
            with self.ready:
                while not len(self.queue):
                    self.ready.wait()
                call = self.queue.pop()
            if call is not None:
                self.speak(call)
