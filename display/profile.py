"""What each hall screen shows, from the [display], [[displays]] and [announcement] config (pure).

A display device is limited in the database to some agencies (`antrean device add --agency`);
config may add agencies, floors or zones by the device's name, so a screen on floor 2 follows
whatever agencies sit on floor 2 without re-pairing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.errors import InvalidConfig
from queue_server.domain.hall import Catalog

from .announcement import AnnouncementSettings

DEFAULT_RUNNING_TEXT = ("Selamat datang. Mohon siapkan dokumen Anda dan perhatikan nomor antrean di layar. "
                        "· Welcome. Please have your documents ready and watch for your number.")
_OPTIONS = ("recent", "running_text", "media_dir")


@dataclass(frozen=True)
class DisplayProfile:
    """One screen: whose calls it shows (() = the whole hall) and what else is on it."""

    name: str = ""
    agencies: tuple[str, ...] = ()
    recent: int = 8
    running_text: str = DEFAULT_RUNNING_TEXT
    media_dir: str = ""


@dataclass(frozen=True)
class DisplayConfig:
    """The display-related sections of the stored hall settings."""

    announcement: AnnouncementSettings = field(default_factory=AnnouncementSettings)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    by_device: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_json(cls, settings: Mapping[str, Any]) -> DisplayConfig:
        """From the hall settings JSON; InvalidConfig when a section is malformed."""
        displays = settings.get("displays", [])
        if not isinstance(displays, list) or not all(isinstance(d, dict) and d.get("device") for d in displays):
            raise InvalidConfig("Setiap [[displays]] perlu nama perangkat (device)",
                                "Every [[displays]] entry needs a device name")
        defaults = settings.get("display", {})
        if not isinstance(defaults, Mapping):
            raise InvalidConfig("Bagian [display] harus tabel", "The [display] section must be a table")
        recent = defaults.get("recent", 8)
        if isinstance(recent, bool) or not isinstance(recent, int) or not 1 <= recent <= 20:
            raise InvalidConfig("Layar: 'recent' harus bilangan bulat 1-20",
                                "Display: 'recent' must be a whole number 1-20")
        max_mb = defaults.get("media_max_mb", 50)
        if isinstance(max_mb, bool) or not isinstance(max_mb, int) or not 1 <= max_mb <= 2048:
            raise InvalidConfig("Layar: 'media_max_mb' harus bilangan bulat 1-2048",
                                "Display: 'media_max_mb' must be a whole number 1-2048")
        if not all(isinstance(defaults.get(key, ""), str) for key in ("running_text", "media_dir")):
            raise InvalidConfig("Layar: teks berjalan dan folder media harus teks",
                                "Display: running text and media folder must be text")
        return cls(announcement=AnnouncementSettings.from_json(settings.get("announcement", {})),
                   defaults=dict(defaults),
                   by_device={str(d["device"]): d for d in displays})

    def profile(self, device: str, device_agencies: tuple[str, ...], catalog: Catalog) -> DisplayProfile:
        """The profile of a display device (device "" is the public hall view)."""
        entry = self.by_device.get(device, {}) if device else {}
        options = {k: v for src in (self.defaults, entry) for k, v in src.items() if k in _OPTIONS}
        wanted = set(device_agencies) | set(entry.get("agencies", ()))
        floors, zones = {str(f) for f in entry.get("floors", ())}, {str(z) for z in entry.get("zones", ())}
        agencies = tuple(a.code for a in catalog.agencies.values()
                         if a.code in wanted or a.floor in floors or a.zone in zones)
        if not agencies and (wanted or floors or zones):
            agencies = ("",)  # limited, but to nothing that exists: show nothing rather than everything
        recent = int(options.get("recent", 8))
        return DisplayProfile(
            name=device, agencies=agencies, recent=max(1, min(recent, 20)),
            running_text=str(options.get("running_text", DEFAULT_RUNNING_TEXT)),
            media_dir=str(options.get("media_dir", "")))
