"""The speech adapter: one thread owns pyttsx3 (espeak-ng) and renders sentences to cached WAVs.

pyttsx3 keeps one engine per process and is not thread-safe (two saves before one runAndWait
write only the last file), so every render in the process goes through one worker thread, one
save_to_file and one runAndWait per phrase. Files are cached by (voice, rate, text): a number
called at a counter is rendered once, whoever asks again gets the same file.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import queue
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .wav import wav_stats

log = logging.getLogger(__name__)

NOW, AHEAD, HOUSEKEEPING = 0, 1, 2  # job priorities: a call being made, pre-rendering, pruning
MIN_SECONDS, MIN_RMS = 0.3, 0.005  # a render shorter or quieter than this is a failure
RENDER_TIMEOUT_S = 20.0
SETTLE_S = 0.03
RENDER_ATTEMPTS = 3


class SpeechFailed(Exception):
    """The engine is missing, has no such voice, or produced no usable sound."""


@dataclass(frozen=True)
class Voice:
    """How the engine speaks: espeak-ng voice id (Indonesian: "id", file poz/id) and words per minute."""

    voice: str = "id"
    rate: int = 150


class SpeechWorker:
    """One daemon thread running jobs by priority; the only code in the process that calls pyttsx3."""

    def __init__(self) -> None:
        self._jobs: queue.PriorityQueue[tuple[int, int, Callable[[], Any], Future[Any]]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._engine: Any = None
        self._voices: tuple[str, ...] = ()
        self.busy_since: float | None = None

    def submit(self, job: Callable[[], Any], priority: int = NOW) -> Future[Any]:
        """Run `job` on the worker thread (started on first use); its result or error in the Future."""
        future: Future[Any] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="antrean-speech", daemon=True)
                self._thread.start()
            self._jobs.put((priority, next(self._seq), job, future))
        return future

    @property
    def pending(self) -> int:
        """Jobs waiting for the thread."""
        return self._jobs.qsize()

    def _run(self) -> None:
        while True:
            _, _, job, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            self.busy_since = time.monotonic()
            try:
                future.set_result(job())
            except Exception as exc:  # a bad job must never stop the voice of the hall
                future.set_exception(exc)
            finally:
                self.busy_since = None

    def _voice_id(self, engine: Any, name: str) -> str:
        """The installed voice for "id" or "poz/id"; SpeechFailed when espeak-ng lacks it (pyttsx3
        would silently fall back to English)."""
        if not self._voices:
            self._voices = tuple(v.id for v in engine.getProperty("voices"))
        found = name if name in self._voices else next((v for v in self._voices if v.endswith("/" + name)), None)
        if found is None:
            raise SpeechFailed(f"espeak-ng has no voice {name!r}")
        return found

    def render(self, text: str, voice: Voice, path: Path) -> float:
        """Speak `text` into the WAV at `path` (worker thread only), checked to be real sound; the
        seconds it took. A phrase the engine cut short is tried again (see _speak_once)."""
        started = time.perf_counter()
        problem = ""
        for _ in range(RENDER_ATTEMPTS):
            problem = self._speak_once(text, voice, path)
            if not problem:
                return time.perf_counter() - started
            log.warning("speech render retried: %s", problem)
        raise SpeechFailed(problem)

    def _speak_once(self, text: str, voice: Voice, path: Path) -> str:
        """One save_to_file and runAndWait; "" when `path` then holds real sound, else what went wrong."""
        try:
            if self._engine is None:
                import pyttsx3

                self._engine = pyttsx3.init("espeak")
            engine = self._engine
            engine.setProperty("voice", self._voice_id(engine, voice.voice))
            engine.setProperty("rate", voice.rate)
            # pyttsx3's espeak driver can return from runAndWait while espeak (asynchronous
            # retrieval mode) still synthesizes, and its next runAndWait may cancel a phrase espeak
            # has not let go of: wait for "finished-utterance", then for the engine to be idle.
            finished: list[bool] = []
            done = threading.Event()
            token = engine.connect("finished-utterance", lambda completed=True, **_: (finished.append(completed),
                                                                                     done.set()))
            try:
                engine.save_to_file(text, str(path))
                engine.runAndWait()
                if not done.wait(RENDER_TIMEOUT_S):
                    raise SpeechFailed(f"speech engine did not finish within {RENDER_TIMEOUT_S:.0f} s")
                while engine.isBusy():
                    time.sleep(0.002)
                time.sleep(SETTLE_S)
            finally:
                engine.disconnect(token)
        except SpeechFailed:
            self._engine = None
            raise
        except Exception as exc:
            self._engine = None  # start afresh on the next job
            raise SpeechFailed(f"speech engine failed: {exc}") from exc
        if not finished[0]:
            return "the engine cancelled the phrase"
        try:
            stats = wav_stats(path.read_bytes())
        except (wave.Error, EOFError) as exc:
            return f"no valid WAV from the engine: {exc}"
        if stats.duration_s < MIN_SECONDS or stats.rms < MIN_RMS:
            return f"engine produced silence ({stats.duration_s:.2f} s, RMS {stats.rms:.4f})"
        return ""


_WORKER = SpeechWorker()


def speech_worker() -> SpeechWorker:
    """The process's one speech worker."""
    return _WORKER


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SpeechCache:
    """Rendered sentences in a folder, by text; renders go through the speech worker."""

    def __init__(self, folder: Path, worker: SpeechWorker | None = None, keep_files: int = 5000) -> None:
        self.folder = folder
        self.worker = worker or speech_worker()
        self.keep_files = keep_files
        self._pending: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()
        self.renders = self.hits = self.failures = 0
        self.render_seconds = 0.0
        self.working = True  # the last render succeeded (or none was tried yet)
        self.last_error: str | None = None
        self.last_error_at: str | None = None

    @staticmethod
    def key(text: str, voice: Voice) -> str:
        """The file name stem of a sentence in a voice (hex, safe in URLs)."""
        return hashlib.sha256(f"{voice.voice}|{voice.rate}|{text}".encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        """Where the WAV of `key` lives once rendered."""
        return self.folder / f"{key}.wav"

    def request(self, text: str, voice: Voice, priority: int = NOW) -> str:
        """The key of `text`'s WAV, queuing a render unless it is cached or already queued."""
        key = self.key(text, voice)
        path = self.path(key)
        with self._lock:
            if key in self._pending:
                return key
            if path.exists():
                self.hits += 1
                os.utime(path)  # recently used files survive pruning
                return key
            self._pending[key] = self.worker.submit(lambda: self._render(key, text, voice), priority)
        return key

    def wait(self, key: str, timeout: float) -> Path | None:
        """The WAV of `key` once it is there, waiting up to `timeout` for a queued render."""
        path = self.path(key)
        with self._lock:
            future = self._pending.get(key)
        if future is not None:
            try:
                future.result(timeout)
            except Exception:  # failed or late: the caller falls back to chime and text
                return None
        return path if path.exists() else None

    def render_now(self, text: str, voice: Voice, timeout: float = 30.0) -> Path:
        """Render (or find) `text` and wait for it: for the command line; SpeechFailed on failure."""
        key = self.request(text, voice)
        path = self.wait(key, timeout)
        if path is None:
            raise SpeechFailed(self.last_error or "speech render timed out")
        return path

    def _render(self, key: str, text: str, voice: Voice) -> None:
        """Worker thread: render into a temporary file, check it, then move it in place."""
        path = self.path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(suffix=".wav", dir=self.folder)
            os.close(fd)
            try:
                seconds = self.worker.render(text, voice, Path(tmp))
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except Exception as exc:
            self.failures += 1
            self.working, self.last_error, self.last_error_at = False, str(exc), _now()
            log.error("speech render failed for %r: %s", text, exc)
            raise
        else:
            self.renders += 1
            self.render_seconds += seconds
            self.working = True
            if self.renders % 100 == 0:
                self.worker.submit(self.prune, HOUSEKEEPING)
        finally:
            with self._lock:
                self._pending.pop(key, None)

    def prune(self) -> int:
        """Delete the least recently used WAVs beyond `keep_files`; how many went."""
        files = sorted(self.folder.glob("*.wav"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[self.keep_files:]:
            old.unlink(missing_ok=True)
        return max(0, len(files) - self.keep_files)

    def status(self) -> dict[str, Any]:
        """What admins see: is the voice working, what failed last, how the cache fares."""
        busy = self.worker.busy_since
        return {
            "ok": self.working, "renders": self.renders, "cache_hits": self.hits, "failures": self.failures,
            "average_render_ms": round(1000 * self.render_seconds / self.renders, 1) if self.renders else None,
            "pending": self.worker.pending, "busy_s": round(time.monotonic() - busy, 1) if busy else 0.0,
            "last_error": self.last_error, "last_error_at": self.last_error_at,
            "folder": str(self.folder),
        }
