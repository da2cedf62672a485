"""config.toml: the server's settings and the hall's description, with environment overrides."""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from display.profile import DisplayConfig
from printers.config import check_printers

from .domain.errors import InvalidConfig
from .domain.hall import Agency, Catalog, Counter, Service
from .domain.hours import WeeklyHours
from .adapters.repository import settings_from_json

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"
HALL_SECTIONS = ("priority", "announcement", "kiosk", "display", "printers", "displays")  # kept beside [hall]


@dataclass(frozen=True)
class ServerSettings:
    """How this server runs: database, secret, public URL, thread count."""

    config_path: Path
    database_url: str
    secret_key: str
    public_url: str = ""
    threads: int = 600
    token_hours: float = 16.0
    raw: Mapping[str, Any] = field(default_factory=dict)


def _absolute_sqlite(url: str, base: Path) -> str:
    """sqlite:///relative.db is taken relative to the config file, not the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        path = (base / url[len(prefix):]).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return prefix + str(path)
    return url


def _secret(server: Mapping[str, Any], base: Path, env: Mapping[str, str]) -> str:
    """ANTREAN_SECRET_KEY, else [server].secret_key, else a key generated once into var/secret_key."""
    if env.get("ANTREAN_SECRET_KEY"):
        return env["ANTREAN_SECRET_KEY"]
    if server.get("secret_key"):
        return str(server["secret_key"])
    path = base / server.get("secret_key_file", "var/secret_key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings(env: Mapping[str, str] | None = None) -> ServerSettings:
    """Read config.toml (ANTREAN_CONFIG, else the repository's) and apply environment overrides."""
    env = os.environ if env is None else env
    path = Path(env.get("ANTREAN_CONFIG") or DEFAULT_CONFIG).resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidConfig(f"Berkas konfigurasi tidak ada: {path}", f"Config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidConfig(f"config.toml rusak: {exc}", f"config.toml is malformed: {exc}") from None
    server = raw.get("server", {})
    base = path.parent
    url = env.get("ANTREAN_DATABASE_URL") or server.get("database_url", "sqlite:///var/antrean.db")
    return ServerSettings(
        config_path=path,
        database_url=_absolute_sqlite(url, base),
        secret_key=_secret(server, base, env),
        public_url=str(server.get("public_url", "")).rstrip("/"),
        threads=int(server.get("threads", 600)),
        token_hours=float(server.get("token_hours", 16)),
        raw=raw,
    )


def _hours(data: Mapping[str, Any], default: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    hours = dict(data.get("hours", default))
    closed = list(hours.pop("closed_dates", default.get("closed_dates", [])))
    return hours, [str(d) for d in closed]


def hall_from_config(raw: Mapping[str, Any], always_open: bool = False) -> tuple[Catalog, dict[str, Any]]:
    """The hall in config.toml as a validated Catalog plus the hall-settings JSON to store.

    `always_open` replaces every service's hours with round the clock (the demo hall). The
    settings JSON also carries the sections other parts read (announcement, kiosk, printers...).
    """
    hall = dict(raw.get("hall", {}))
    default_hours = hall.pop("hours", {})
    try:
        ZoneInfo(hall.get("timezone", "Asia/Jakarta"))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidConfig(f"Zona waktu tidak dikenal: {hall.get('timezone')}",
                            f"Unknown time zone: {hall.get('timezone')}") from None
    settings_json: dict[str, Any] = {**hall}
    for section in HALL_SECTIONS:
        if section in raw:
            settings_json[section] = raw[section]
    try:
        settings = settings_from_json(settings_json)
        DisplayConfig.from_json(settings_json)  # the displays' own parser: [announcement], [display], [[displays]]
        check_printers(settings_json.get("printers", {}))  # the print service's own parser
        agencies = {a["code"]: Agency(a["code"], a["name"], str(a.get("floor", "")), str(a.get("zone", "")),
                                      a.get("color", ""), a.get("short_name", ""))
                    for a in raw.get("agencies", [])}
        services = {}
        for s in raw.get("services", []):
            mapping, closed = _hours(s, default_hours)
            hours = WeeklyHours.always() if always_open else WeeklyHours.from_mapping(
                mapping, tuple(date.fromisoformat(d) for d in closed))
            services[s["code"]] = Service(
                code=s["code"], name=s["name"], agency_code=s["agency"], prefix=s["prefix"], hours=hours,
                daily_quota=s.get("quota"), requirements=s.get("requirements", ""),
                completion_time=s.get("completion_time", ""),
                target_service_s=round(float(s.get("target_minutes", 10)) * 60),
                active=bool(s.get("active", True)), synonyms=tuple(s.get("synonyms", ())))
        counters = {c["code"]: Counter(c["code"], c["name"], c["agency"], tuple(c.get("services", ())))
                    for c in raw.get("counters", [])}
    except KeyError as exc:
        raise InvalidConfig(f"Konfigurasi kurang isian {exc}", f"Config is missing the key {exc}") from None
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidConfig(f"Nilai konfigurasi tidak sah: {exc}", f"Invalid config value: {exc}") from None
    return Catalog(settings, agencies, services, counters), settings_json


def hall_to_config(catalog: Catalog, settings_json: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of hall_from_config: the stored hall as config.toml's sections.

    Every service carries its own hours (with its closing dates), so loading the result again
    gives back the same Catalog and settings JSON and changes nothing.
    """
    def present(item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if v not in (None, "", [], {})}

    raw: dict[str, Any] = {"hall": {k: v for k, v in settings_json.items() if k not in HALL_SECTIONS}}
    raw.update({k: v for k, v in settings_json.items() if k in HALL_SECTIONS})
    raw["agencies"] = [present({"code": a.code, "name": a.name, "short_name": a.short_name, "floor": a.floor,
                                "zone": a.zone, "color": a.color}) for a in catalog.agencies.values()]
    raw["services"] = [present({
        "code": s.code, "agency": s.agency_code, "name": s.name, "prefix": s.prefix, "quota": s.daily_quota,
        "target_minutes": s.target_service_s // 60 if s.target_service_s % 60 == 0 else s.target_service_s / 60, "completion_time": s.completion_time,
        "requirements": s.requirements, "synonyms": list(s.synonyms), "active": s.active,
        "hours": {**s.hours.to_mapping(), "closed_dates": sorted(d.isoformat() for d in s.hours.closed_dates)},
    }) for s in catalog.services.values()]
    raw["counters"] = [{"code": c.code, "agency": c.agency_code, "name": c.name, "services": list(c.service_codes)}
                       for c in catalog.counters.values()]
    return raw
