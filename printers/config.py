"""The [printers] section of config.toml: which printer serves which kiosk, how, and the ticket's text.

    [printers]
    footer = "..."            show_requirements = true     layout = "my_ticket.toml"  logo = "logo.png"
    timeout_s = 3             attempts = 3   retry_after_s = 0.5   deadline_s = 20
    status_every_s = 30       (0: no status checks of server-driven printers, only job results)
    [[printers.device]]
    name = "Printer Kiosk Lobi"   kiosks = ["Kiosk Lobi"]   driven_by = "server" | "agent"
    transport = "network" | "usb" | "serial" | "file" | "cups" | "virtual"   paper = 58 | 80
    (network) host, port   (usb) vendor_id, product_id   (serial) device, baudrate
    (file) device          (cups) queue                  (virtual) folder
    status = true | false  (ask the printer for its state; network/usb/serial only)

Relative paths are relative to the folder of config.toml (server) or the working directory (agent).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from queue_server.domain.errors import InvalidConfig, NotFound

from .jobs import RetryPolicy
from .layout import DEFAULT_LAYOUT, Layout, Paper

TRANSPORTS = ("network", "usb", "serial", "file", "cups", "virtual")
TWO_WAY = ("network", "usb", "serial")  # links that can carry the printer's answers back
DRIVERS = ("server", "agent")
REQUIRED = {"network": ("host",), "usb": ("vendor_id", "product_id"), "serial": ("device",), "file": ("device",)}


@dataclass(frozen=True)
class PrinterConfig:
    """One ticket printer, the kiosks it prints for and how to reach it."""

    name: str
    transport: str
    kiosks: tuple[str, ...] = ()
    driven_by: str = "server"
    paper: int = 80
    profile: str = "TM-T20II"
    status: bool = False
    timeout_s: float = 3.0
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], timeout_s: float) -> PrinterConfig:
        """Validate one [[printers.device]] table."""
        known = {"name", "transport", "kiosks", "driven_by", "paper", "profile", "status", "timeout_s"}
        try:
            transport = str(raw["transport"])
            cfg = cls(name=str(raw["name"]), transport=transport, kiosks=tuple(raw.get("kiosks", ())),
                      driven_by=str(raw.get("driven_by", "server")), paper=int(raw.get("paper", 80)),
                      profile=str(raw.get("profile", "TM-T20II")),
                      status=bool(raw.get("status", transport in TWO_WAY)),
                      timeout_s=float(raw.get("timeout_s", timeout_s)),
                      options={k: v for k, v in raw.items() if k not in known})
        except KeyError as exc:
            raise InvalidConfig(f"Printer tanpa isian {exc}", f"Printer is missing {exc}") from None
        if cfg.transport not in TRANSPORTS:
            raise InvalidConfig(f"Printer {cfg.name}: jenis sambungan tidak dikenal: {cfg.transport}",
                                f"Printer {cfg.name}: unknown transport {cfg.transport}")
        if cfg.driven_by not in DRIVERS:
            raise InvalidConfig(f"Printer {cfg.name}: driven_by harus server atau agent",
                                f"Printer {cfg.name}: driven_by must be server or agent")
        missing = [name for name in REQUIRED.get(cfg.transport, ()) if str(cfg.options.get(name, "")).strip() == ""]
        if missing:
            raise InvalidConfig(f"Printer {cfg.name}: sambungan {cfg.transport} perlu isian {', '.join(missing)}",
                                f"Printer {cfg.name}: a {cfg.transport} link needs {', '.join(missing)}")
        if cfg.status and cfg.transport not in TWO_WAY:
            raise InvalidConfig(f"Printer {cfg.name}: sambungan {cfg.transport} tidak bisa membaca status",
                                f"Printer {cfg.name}: a {cfg.transport} link cannot read status")
        Paper(cfg.paper)
        return cfg

    def link(self) -> str:
        """The transport and where it leads, for people: "network 192.168.1.50:9100", "usb 0416:5011"."""
        o = self.options
        where = {"network": f"{o.get('host', '')}:{o.get('port', 9100)}",
                 "usb": f"{o.get('vendor_id', '')}:{o.get('product_id', '')}", "serial": o.get("device", ""),
                 "file": o.get("device", ""), "cups": o.get("queue", ""), "virtual": o.get("folder", "var/tickets")}
        return f"{self.transport} {where[self.transport]}".strip()

    def as_json(self) -> dict[str, Any]:
        """What an agent needs to drive this printer (sent on connect)."""
        return {"name": self.name, "transport": self.transport, "kiosks": list(self.kiosks),
                "driven_by": self.driven_by, "paper": self.paper, "profile": self.profile,
                "status": self.status, "timeout_s": self.timeout_s, **self.options}


@dataclass(frozen=True)
class PrintSettings:
    """Printers, the ticket layout and the retry policy of the hall."""

    printers: tuple[PrinterConfig, ...] = ()
    layout: Layout = field(default_factory=Layout.load)
    footer: str = ""
    logo: str = ""
    show_requirements: bool = True
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    status_every_s: float = 30.0

    def for_kiosk(self, kiosk: str) -> PrinterConfig | None:
        """The printer that prints this kiosk's tickets, if it has one."""
        return next((p for p in self.printers if kiosk in p.kiosks), None)

    def printer(self, name: str) -> PrinterConfig:
        """A printer by name, or NotFound."""
        for p in self.printers:
            if p.name == name:
                return p
        raise NotFound(f"Printer tidak dikenal: {name}", f"Unknown printer: {name}")


def _path(value: str, base: Path) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path


def _printers_and_policy(section: Mapping[str, Any]) -> tuple[tuple[PrinterConfig, ...], RetryPolicy]:
    timeout = float(section.get("timeout_s", 3.0))
    printers = tuple(PrinterConfig.from_mapping(raw, timeout) for raw in section.get("device", []))
    names = [p.name for p in printers]
    if len(set(names)) != len(names):
        raise InvalidConfig("Nama printer harus unik", "Printer names must be unique")
    policy = RetryPolicy(attempts=int(section.get("attempts", 3)), retry_after_s=float(section.get("retry_after_s", 0.5)),
                         deadline_s=float(section.get("deadline_s", 20)))
    return printers, policy


def check_printers(section: Mapping[str, Any]) -> None:
    """Refuse a [printers] section the print service could not use (called when the hall is
    loaded or edited, so a bad edit is refused at once instead of failing the next ticket)."""
    _printers_and_policy(section)


def print_settings(section: Mapping[str, Any], base: Path) -> PrintSettings:
    """PrintSettings from the [printers] section (as stored in the hall settings JSON)."""
    printers, policy = _printers_and_policy(section)
    layout = Layout.load(_path(section["layout"], base)) if section.get("layout") else Layout.load(DEFAULT_LAYOUT)
    return PrintSettings(
        printers=printers, layout=layout, footer=str(section.get("footer", "")),
        logo=str(_path(section["logo"], base)) if section.get("logo") else "",
        show_requirements=bool(section.get("show_requirements", True)), policy=policy,
        status_every_s=float(section.get("status_every_s", 30)))
