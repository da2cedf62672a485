"""Printers by transport: one base class drives every python-escpos link the same way.

A print is: open the link; where the link is two-way and status is on, ask the printer whether
it can print (DLE EOT, answered at once); send the ticket's bytes unchanged; ask GS r 1, which
the printer answers only after processing the ticket, as the acknowledgement; close. Every
wait is bounded by the printer's timeout, and every failure says whether bytes had left.
"""

from __future__ import annotations

import itertools
import socket
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError

from .config import PrinterConfig
from .decoder import save_ticket
from .jobs import FailureKind, PrintFailure
from .layout import Paper
from .status import (
    ASK_OFFLINE_CAUSE,
    ASK_ONLINE,
    ASK_PAPER,
    ASK_PROCESSED,
    PrinterState,
    is_offline,
    offline_cause,
    paper_state,
    processed_paper_state,
)

LINK_ERRORS = (OSError, EscposError, ValueError)


class Printer(ABC):
    """A configured ticket printer: print bytes, or report its state, within its timeout."""

    empty_reply_means_closed: ClassVar[bool] = False

    def __init__(self, config: PrinterConfig, base: Path) -> None:
        self.config = config
        self.base = base

    @abstractmethod
    def _device(self) -> Escpos:
        """The python-escpos object for this link (not yet opened)."""

    def _open(self) -> Escpos:
        """The opened link; any driver error (no such device, missing pyusb/pycups) means unreachable."""
        try:
            device = self._device()
            device.open()
        except Exception as exc:  # third-party drivers raise their own types; none may crash a worker
            raise PrintFailure(FailureKind.UNREACHABLE, PrinterState.UNREACHABLE, f"{type(exc).__name__}: {exc}") from None
        return device

    def _ask(self, device: Escpos, query: bytes) -> int:
        """Send a status query and return the reply byte; PrintFailure if none comes in time."""
        device._raw(query)
        try:
            reply = self._read_reply(device)
        except (TimeoutError, socket.timeout):
            reply = None
        except LINK_ERRORS as exc:
            if "timeout" in str(exc).lower() or "timed out" in str(exc).lower():
                reply = None
            else:
                raise
        if reply is None or (len(reply) == 0 and not self.empty_reply_means_closed):
            raise PrintFailure(FailureKind.NO_ANSWER, PrinterState.NO_ANSWER, "tidak ada jawaban status")
        if len(reply) == 0:
            raise PrintFailure(FailureKind.UNREACHABLE, PrinterState.UNREACHABLE, "sambungan ditutup printer")
        return reply[-1]

    def _read_reply(self, device: Escpos) -> bytes:
        """Whatever the printer sent back (empty or TimeoutError when nothing came in time)."""
        return device._read()

    def _readiness(self, device: Escpos) -> PrinterState:
        """OK or PAPER_NEAR_END, or a PrintFailure saying why nothing may be sent."""
        if is_offline(self._ask(device, ASK_ONLINE)):
            cause = offline_cause(self._ask(device, ASK_OFFLINE_CAUSE))
            kind = FailureKind.PAPER_OUT if cause is PrinterState.PAPER_OUT else FailureKind.NOT_READY
            raise PrintFailure(kind, cause)
        state = paper_state(self._ask(device, ASK_PAPER))
        if state is PrinterState.PAPER_OUT:
            raise PrintFailure(FailureKind.PAPER_OUT, state)
        return state

    def _send(self, device: Escpos, data: bytes) -> None:
        """Hand the bytes to the link (CUPS submits its job here)."""
        device._raw(data)

    def print_ticket(self, data: bytes, label: str) -> PrinterState:
        """Print `data` once; the printer's state afterwards, or a PrintFailure."""
        device = self._open()
        sent = False
        try:
            state = self._readiness(device) if self.config.status else PrinterState.UNKNOWN
            sent = True
            self._send(device, data)
            if self.config.status:
                try:
                    state = processed_paper_state(self._ask(device, ASK_PROCESSED))
                except PrintFailure as exc:
                    raise PrintFailure(FailureKind.UNCERTAIN, exc.state, "printer tidak mengonfirmasi tiket") from None
            return state
        except LINK_ERRORS as exc:
            kind = FailureKind.UNCERTAIN if sent else FailureKind.UNREACHABLE
            raise PrintFailure(kind, PrinterState.UNREACHABLE, str(exc)) from None
        finally:
            _close(device)

    def status(self) -> PrinterState:
        """The printer's state now, without printing (UNKNOWN where the link cannot tell)."""
        if not self.config.status:
            return PrinterState.UNKNOWN
        try:
            device = self._open()
        except PrintFailure as exc:
            return exc.state
        try:
            return self._readiness(device)
        except PrintFailure as exc:
            return exc.state
        except LINK_ERRORS:
            return PrinterState.UNREACHABLE
        finally:
            _close(device)


def _close(device: Escpos) -> None:
    try:
        device.close()
    except LINK_ERRORS:
        pass


class NetworkPrinter(Printer):
    """A printer on the hall LAN, raw TCP (port 9100)."""

    empty_reply_means_closed = True

    def _device(self) -> Escpos:
        from escpos.printer import Network

        return Network(str(self.config.options["host"]), int(self.config.options.get("port", 9100)),
                       timeout=self.config.timeout_s, profile=self.config.profile)


class UsbPrinter(Printer):
    """A printer on the kiosk PC's USB port, by vendor and product id (driven by the kiosk agent)."""

    def _device(self) -> Escpos:
        from escpos.printer import Usb

        opts = self.config.options
        return Usb(_int(opts["vendor_id"]), _int(opts["product_id"]), timeout=int(self.config.timeout_s * 1000),
                   in_ep=_int(opts.get("in_ep", 0x82)), out_ep=_int(opts.get("out_ep", 0x01)),
                   profile=self.config.profile)


class SerialPrinter(Printer):
    """A printer on a serial port (RS-232 or a USB-serial adapter)."""

    def _device(self) -> Escpos:
        from escpos.printer import Serial

        opts = self.config.options
        return Serial(str(opts["device"]), baudrate=int(opts.get("baudrate", 9600)), timeout=self.config.timeout_s,
                      dsrdtr=bool(opts.get("dsrdtr", False)), profile=self.config.profile)

    def _read_reply(self, device: Escpos) -> bytes:
        """One byte: python-escpos reads 16, which on a serial line always waits out the timeout."""
        return device.device.read(1)  # type: ignore[attr-defined]


class FilePrinter(Printer):
    """A device file such as /dev/usb/lp0: one-way, so it cannot report paper or cover."""

    def _device(self) -> Escpos:
        from escpos.printer import File

        return File(str(_resolve(self.config.options["device"], self.base)), profile=self.config.profile)


class CupsPrinter(Printer):
    """A CUPS queue taking raw jobs (needs `pip install pycups`): one-way."""

    def _device(self) -> Escpos:
        from escpos.printer import CupsPrinter as Cups

        opts = self.config.options
        return Cups(str(opts.get("queue", "")), host=str(opts.get("host", "localhost")),
                    port=int(opts.get("port", 631)), profile=self.config.profile)

    def _send(self, device: Escpos, data: bytes) -> None:
        device._raw(data)
        device.send()  # type: ignore[attr-defined]


class VirtualPrinter(Printer):
    """A folder: each ticket becomes .bin (the exact bytes), .png and .txt (decoded). The demo's printer."""

    _sequence = itertools.count(1)

    def _device(self) -> Escpos:
        raise NotImplementedError("a virtual printer has no device")

    def folder(self) -> Path:
        """Where tickets land: a subfolder per day."""
        return _resolve(self.config.options.get("folder", "var/tickets"), self.base) / f"{datetime.now():%Y-%m-%d}"

    def print_ticket(self, data: bytes, label: str) -> PrinterState:
        folder = self.folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stem = f"{datetime.now():%H%M%S}-{next(self._sequence):04d}-{_safe(label)}"
            (folder / f"{stem}.bin").write_bytes(data)
            save_ticket(data, folder / f"{stem}.png", Paper(self.config.paper).dots)
        except OSError as exc:
            raise PrintFailure(FailureKind.UNREACHABLE, PrinterState.UNREACHABLE, str(exc)) from None
        return PrinterState.OK

    def status(self) -> PrinterState:
        return PrinterState.OK


def _int(value: int | str) -> int:
    """USB ids are written in hex in most manuals: accept 0x0416, "0416" and 1046."""
    return value if isinstance(value, int) else int(str(value), 16)


def _resolve(value: str, base: Path) -> Path:
    path = Path(str(value))
    return path if path.is_absolute() else base / path


def _safe(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:40]


PRINTERS: dict[str, type[Printer]] = {
    "network": NetworkPrinter, "usb": UsbPrinter, "serial": SerialPrinter, "file": FilePrinter,
    "cups": CupsPrinter, "virtual": VirtualPrinter,
}


def printer_for(config: PrinterConfig, base: Path) -> Printer:
    """The Printer subclass for a configured transport."""
    return PRINTERS[config.transport](config, base)
