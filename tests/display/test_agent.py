"""`antrean display-agent`: a screenless display that plays the calls with aplay, in order."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading

import pytest
import requests

from .conftest import Hall

pytestmark = pytest.mark.live
PLAYED = re.compile(r"diumumkan / played (?P<number>\S+) (?P<counter>.+) chime=(?P<chime>\d) speech=(?P<speech>\d+) "
                    r"start=(?P<start>[\d.]+) end=(?P<end>[\d.]+)")


def _lines(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    out: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return out


def _next(lines: queue.Queue[str], prefix: str, timeout: float = 15.0) -> str:
    while True:
        line = lines.get(timeout=timeout)
        if line.startswith(prefix):
            return line


def test_the_agent_plays_each_call_chime_then_speech_in_call_order(quick_hall: Hall) -> None:
    server, tokens = quick_hall.server, quick_hall.tokens
    proc = subprocess.Popen(
        [sys.executable, "-m", "queue_server.entrypoints.cli", "display-agent", "--server", server.url,
         "--token", tokens["display_dukcapil"], "--device", "null"],  # ALSA's null sink: CI has no sound card
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = _lines(proc)
        assert "(DUKCAPIL)" in _next(lines, "terhubung")
        headers = {"Authorization": f"Bearer {tokens['kiosk']}"}
        for service in ("PASPOR", "KTP", "KK"):
            assert requests.post(server.url + "/api/v1/tickets", json={"service": service}, headers=headers,
                                 timeout=10).status_code == 201
        staff = {"Authorization": f"Bearer {server.token('admin')}"}
        for counter in ("L05", "L01", "L03"):  # Imigrasi's call is not this agent's
            assert requests.post(f"{server.url}/api/v1/counters/{counter}/call-next", headers=staff,
                                 timeout=10).status_code == 200
        played = [PLAYED.fullmatch(_next(lines, "diumumkan")) for _ in range(2)]
        assert all(played), played
        assert [(m["number"], m["counter"]) for m in played] == [("A-001", "Loket 1"), ("B-001", "Loket 3")]
        assert all(m["chime"] == "1" and int(m["speech"]) >= 1 for m in played)
        assert float(played[1]["start"]) >= float(played[0]["end"])
        with pytest.raises(queue.Empty):
            _next(lines, "diumumkan", timeout=1.0)  # and nothing of Imigrasi
    finally:
        proc.terminate()
        proc.wait(10)
