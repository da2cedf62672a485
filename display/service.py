"""The display side of the hall: screen profiles, call announcements and the voice's health.

`announce` runs on the request that made the call, after its commit: it only builds the
sentence and queues its render (microseconds), so a slow or broken voice never delays a call.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine

from queue_server.adapters.repository import Repository
from queue_server.config import ServerSettings
from queue_server.domain.access import Actor
from queue_server.domain.errors import DomainError, NotFound
from queue_server.domain.hall import Catalog
from queue_server.domain.tickets import Ticket
from queue_server.service_layer.queue import Clock, QueueService

from .announcement import AnnouncementSettings, Phrase
from .media_store import DEFAULT_MAX_MB, MediaStore
from .profile import DisplayConfig, DisplayProfile
from .speech import AHEAD, SpeechCache, Voice

log = logging.getLogger(__name__)

PREFIX = "/display"
CHIME_URL = f"{PREFIX}/audio/chime.wav"
PACKAGE = Path(__file__).resolve().parent
PRERENDER = 2  # upcoming numbers rendered per counter after each of its calls


def speech_url(key: str) -> str:
    """Where a display fetches a rendered sentence."""
    return f"{PREFIX}/audio/{key}.wav"


def _phrase(settings: AnnouncementSettings, number: str, service_code: str, counter_name: str, catalog: Catalog,
            recall: bool = False) -> Phrase:
    service = catalog.services[service_code]
    return settings.phrase(number, counter_name, catalog.agencies[service.agency_code].spoken_name,
                           service.name, recall)


@cache
def asset_version() -> str:
    """A digest of the page's files: a page that sees it change reloads itself after an upgrade."""
    digest = hashlib.sha256()
    for path in sorted(p for d in ("static", "templates") for p in (PACKAGE / d).rglob("*") if p.is_file()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class DisplayService:
    """Profiles of screens, the announcement of each call, and what admins see of the voice."""

    def __init__(self, queue: QueueService, engine: Engine, speech: SpeechCache, base_dir: Path) -> None:
        self.queue = queue
        self.engine = engine
        self.speech = speech
        self.base_dir = base_dir
        self._config: tuple[int, DisplayConfig] | None = None
        self._lock = threading.Lock()
        self.config_error: str | None = None

    def config(self) -> DisplayConfig:
        """The display sections of the stored hall, re-read only when the hall's version changes."""
        with self.engine.connect() as conn:
            repo = Repository(conn)
            version = repo.hall_version()
            cached = self._config
            if cached and cached[0] == version:
                return cached[1]
            settings = repo.hall_settings_json()
        try:
            config, self.config_error = DisplayConfig.from_json(settings), None
        except (DomainError, ValueError, TypeError) as exc:
            self.config_error = getattr(exc, "message", str(exc))
            log.error("display configuration invalid, using defaults: %s", self.config_error)
            config = DisplayConfig()
        with self._lock:
            self._config = (version, config)
        return config

    def profile(self, who: Actor | None) -> DisplayProfile:
        """The profile of whoever connects: a display device, staff (whole hall) or the public."""
        device = who.name if who is not None and not who.is_staff else ""
        return self.config().profile(device, who.agencies if who else (), self.queue.catalog())

    def media_folder(self, profile: DisplayProfile) -> Path | None:
        """The profile's local media folder, if it has one."""
        return (self.base_dir / profile.media_dir).resolve() if profile.media_dir else None

    def media(self, profile: DisplayProfile) -> list[str]:
        """Images and videos of the profile's media folder, by name."""
        return [f["name"] for f in MediaStore(self.media_folder(profile)).files()]

    def media_store(self) -> MediaStore:
        """The hall's own media folder ([display] media_dir) with its upload limit, for admins."""
        config = self.config()
        folder = self.media_folder(config.profile("", (), self.queue.catalog()))
        return MediaStore(folder, int(config.defaults.get("media_max_mb", DEFAULT_MAX_MB)) * 1024 * 1024)

    def preview(self, section: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
        """A sample call spoken with a draft [announcement] before it is saved: its text and the URL
        of its WAV, rendered by the one speech worker as real calls are (InvalidConfig for a bad draft)."""
        settings = AnnouncementSettings.from_json(section)
        counter = next((c for c in catalog.counters.values() if c.service_codes), None)
        if counter is None:
            raise NotFound("Belum ada loket untuk contoh panggilan", "No counter to make a sample call")
        service = catalog.services[counter.service_codes[0]]
        phrase = _phrase(settings, f"{service.prefix}-011", service.code, counter.name, catalog)
        key = self.speech.request(phrase.spoken, Voice(settings.voice, settings.rate))
        return {"text": phrase.text, "spoken": phrase.spoken, "speech_url": speech_url(key), "chime_url": CHIME_URL}

    def profile_json(self, profile: DisplayProfile) -> dict[str, Any]:
        """The `display` part of a screen's `state`: what it shows besides the calls."""
        query = f"?device={quote(profile.name)}" if profile.name else ""
        return {
            "name": profile.name, "agencies": list(profile.agencies), "recent": profile.recent,
            "running_text": profile.running_text, "repeat": self.config().announcement.repeat,
            "media": [f"{PREFIX}/media/{name}{query}" for name in self.media(profile)],
            "chime_url": CHIME_URL, "version": asset_version(),
        }

    def announce(self, ticket: Ticket, counter_code: str, recall: bool, catalog: Catalog) -> dict[str, Any]:
        """The `announcement` of a `call` event; never raises (a call goes out even without a voice)."""
        counter = catalog.counters.get(counter_code)
        counter_name = counter.name if counter else counter_code
        try:
            settings = self.config().announcement
            phrase = _phrase(settings, ticket.number, ticket.service_code, counter_name, catalog, recall)
            key = self.speech.request(phrase.spoken, Voice(settings.voice, settings.rate))
            self.speech.worker.submit(lambda: self._prerender(counter_code, catalog), AHEAD)
            return {"text": phrase.text, "chime_url": CHIME_URL, "speech_url": speech_url(key),
                    "repeat": settings.repeat}
        except Exception:
            log.exception("announcement of %s failed; the call goes out with chime and text only", ticket.number)
            return {"text": f"{ticket.number} → {counter_name}", "chime_url": CHIME_URL, "speech_url": None,
                    "repeat": 1}

    def _prerender(self, counter_code: str, catalog: Catalog) -> None:
        """Speech thread: queue renders of the numbers this counter will most likely call next."""
        counter = catalog.counters.get(counter_code)
        if counter is None:
            return
        settings = self.config().announcement
        voice = Voice(settings.voice, settings.rate)
        for ticket in self.queue.waiting(counter.service_codes)[:PRERENDER]:
            self.speech.request(_phrase(settings, ticket.number, ticket.service_code, counter.name, catalog).spoken,
                                voice, AHEAD)

    def status(self) -> dict[str, Any]:
        """For admins: the voice's health and the configuration's."""
        settings = self.config().announcement
        return {"speech": {**self.speech.status(), "voice": settings.voice, "rate": settings.rate},
                "config_error": self.config_error}


def speech_cache(settings: ServerSettings) -> SpeechCache:
    """The WAV cache in [announcement].cache_dir (default var/speech beside config.toml)."""
    folder = str(settings.raw.get("announcement", {}).get("cache_dir", "var/speech"))
    return SpeechCache(settings.config_path.parent / folder)


def display_service(settings: ServerSettings, engine: Engine, clock: Clock) -> DisplayService:
    """The display service of a server, with its own read-only view of the queue."""
    return DisplayService(QueueService(engine, clock=clock), engine, speech_cache(settings),
                          settings.config_path.parent)
