"""The other transports: device file, serial (over a pseudo-terminal), USB and CUPS without hardware, virtual."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from printers.config import PrinterConfig
from printers.decoder import decode
from printers.jobs import FailureKind, RetryPolicy, run_job
from printers.layout import Layout, Paper, compose
from printers.render import escpos_bytes
from printers.status import ASK_ONLINE, ASK_PAPER, ASK_PROCESSED, PrinterState
from printers.transports import printer_for
from queue_server.domain.errors import InvalidConfig

from .helpers import document

DATA = escpos_bytes(compose(Layout.load(), document(), Paper(58)))


def config(**raw: object) -> PrinterConfig:
    return PrinterConfig.from_mapping({"name": "P", "paper": 58, **raw}, 1.0)


def test_device_file_gets_the_bytes_and_cannot_tell_its_state(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    printer = printer_for(config(transport="file", device=str(device)), tmp_path)
    assert printer.print_ticket(DATA, "A-007") is PrinterState.UNKNOWN
    assert device.read_bytes() == DATA
    assert printer.status() is PrinterState.UNKNOWN
    with pytest.raises(InvalidConfig):
        config(transport="file", device="x", status=True)  # a one-way link cannot answer


def test_serial_printer_answers_status_over_a_pseudo_terminal(tmp_path: Path) -> None:
    master, slave = os.openpty()
    got = bytearray()

    def printer_side() -> None:
        while not got.endswith(ASK_PROCESSED):
            chunk = os.read(master, 4096)
            got.extend(chunk)
            for query, reply in ((ASK_ONLINE, b"\x12"), (ASK_PAPER, b"\x12"), (ASK_PROCESSED, b"\x00")):
                if chunk.endswith(query):
                    os.write(master, reply)

    thread = threading.Thread(target=printer_side, daemon=True)
    thread.start()
    try:
        printer = printer_for(config(transport="serial", device=os.ttyname(slave), baudrate=19200, status=True), tmp_path)
        started = time.monotonic()
        assert printer.print_ticket(DATA, "A-007") is PrinterState.OK
        assert time.monotonic() - started < 0.9  # each reply is read as it comes, not after the 1 s timeout
        thread.join(2)
        assert bytes(got) == ASK_ONLINE + ASK_PAPER + DATA + ASK_PROCESSED
    finally:
        os.close(master)
        os.close(slave)


@pytest.mark.parametrize("raw", [{"transport": "usb", "vendor_id": "0x0416", "product_id": "0x5011"},
                                 {"transport": "cups", "queue": "tiket"},
                                 {"transport": "serial", "device": "/dev/nonexistent-tty"}])
def test_missing_hardware_is_a_failed_print_not_a_crash(raw: dict, tmp_path: Path) -> None:
    outcome = run_job(DATA, "A-007", printer_for(config(**raw), tmp_path), RetryPolicy(2, 0.01, 5))
    assert not outcome.printed and outcome.failure is FailureKind.UNREACHABLE and outcome.attempts == 2
    assert outcome.error


def test_virtual_printer_writes_bytes_picture_and_text(tmp_path: Path, artifacts: Path) -> None:
    printer = printer_for(config(transport="virtual", folder="tickets"), tmp_path)
    assert printer.print_ticket(DATA, "A-007") is PrinterState.OK
    [day] = (tmp_path / "tickets").iterdir()
    files = sorted(p.suffix for p in day.iterdir())
    assert files == [".bin", ".png", ".txt"]
    [binary] = day.glob("*A-007.bin")
    assert binary.read_bytes() == DATA and decode(DATA)[0].name == "INIT"
    assert 'TEXT "A-007"' in binary.with_suffix(".txt").read_text()
    (artifacts / "virtual-ticket-58mm.png").write_bytes(binary.with_suffix(".png").read_bytes())
