"""What a thermal printer says about itself (ESC/POS real-time status), as states staff can read.

DLE EOT n is answered at once, even while the printer is busy: n=1 printer status (bit 3 =
offline), n=2 offline cause (bit 2 cover open, bit 5 paper end, bit 6 error), n=4 roll paper
sensor (bits 2-3 near end, bits 5-6 end). GS r 1 is answered in order, after everything sent
before it was processed, so it serves as the acknowledgement that a ticket went through.
An empty reply means "unknown", never "ok" (python-escpos' paper_status() gets this wrong).
"""

from __future__ import annotations

from enum import StrEnum

ASK_ONLINE = b"\x10\x04\x01"
ASK_OFFLINE_CAUSE = b"\x10\x04\x02"
ASK_PAPER = b"\x10\x04\x04"
ASK_PROCESSED = b"\x1dr\x01"  # GS r 1: paper sensor status, sent after the ticket as its acknowledgement


class PrinterState(StrEnum):
    """A printer's condition as the last check or job found it."""

    OK = "ok"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    NO_ANSWER = "no_answer"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"

    @property
    def can_print(self) -> bool:
        """Whether a ticket may be sent (near end still prints; unknown is tried)."""
        return self in (PrinterState.OK, PrinterState.PAPER_NEAR_END, PrinterState.UNKNOWN)


STATE_LABELS: dict[PrinterState, tuple[str, str]] = {
    PrinterState.OK: ("Siap", "Ready"),
    PrinterState.PAPER_NEAR_END: ("Kertas hampir habis", "Paper nearly out"),
    PrinterState.PAPER_OUT: ("Kertas habis", "Paper out"),
    PrinterState.COVER_OPEN: ("Penutup printer terbuka", "Printer cover open"),
    PrinterState.OFFLINE: ("Printer tidak siap (offline)", "Printer offline"),
    PrinterState.NO_ANSWER: ("Printer tidak menjawab", "Printer does not answer"),
    PrinterState.UNREACHABLE: ("Printer tidak dapat dihubungi", "Printer unreachable"),
    PrinterState.UNKNOWN: ("Status tidak diketahui", "Status unknown"),
}


def is_offline(reply: int) -> bool:
    """DLE EOT 1: bit 3 set means offline."""
    return bool(reply & 0x08)


def offline_cause(reply: int) -> PrinterState:
    """DLE EOT 2: why the printer is offline."""
    if reply & 0x20:
        return PrinterState.PAPER_OUT
    if reply & 0x04:
        return PrinterState.COVER_OPEN
    return PrinterState.OFFLINE


def paper_state(reply: int) -> PrinterState:
    """DLE EOT 4: the roll paper sensors."""
    if reply & 0x60 == 0x60:
        return PrinterState.PAPER_OUT
    if reply & 0x0C == 0x0C:
        return PrinterState.PAPER_NEAR_END
    return PrinterState.OK


def processed_paper_state(reply: int) -> PrinterState:
    """GS r 1: bits 2-3 paper end, bits 0-1 near end."""
    if reply & 0x0C:
        return PrinterState.PAPER_OUT
    if reply & 0x03:
        return PrinterState.PAPER_NEAR_END
    return PrinterState.OK
