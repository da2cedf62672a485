"""The ticket as a template of blocks (configuration), turned into print steps for one paper width.

A layout is data: a list of blocks (text with {fields}, the number, a QR code, a rule, a feed,
a logo, the cut) read from TOML. compose() fills in a TicketDocument and wraps every line to the
paper, so the same template serves 58 mm and 80 mm rolls. Text is kept to plain ASCII: cheap
printers disagree on code pages, and a "?" in a name is worse than a missing accent.
"""

from __future__ import annotations

import textwrap
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from queue_server.domain.errors import InvalidConfig
from queue_server.domain.hours import ZONE_NAMES

DEFAULT_LAYOUT = Path(__file__).resolve().parent / "ticket_layout.toml"
COLUMNS = {58: 32, 80: 48}  # characters of font A (12 x 24 dots) per line
DOTS = {58: 384, 80: 576}  # printable dots per line at 203 dpi
QR_MODULE = {58: 5, 80: 6}  # dots per QR module: a 40-character URL stays well under the width
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BLOCK_KINDS = ("text", "number", "qr", "rule", "feed", "logo", "cut")
ALIGNS = ("left", "center", "right")
SIZES = ("normal", "double", "largest")


def indonesian_date(at: datetime) -> str:
    """Senin, 23 November 2026."""
    return f"{DAYS_ID[at.weekday()]}, {at.day} {MONTHS_ID[at.month - 1]} {at.year}"


def clock_time(at: datetime, timezone: str) -> str:
    """09.05 WIB: the Indonesian clock notation with the zone's name."""
    return f"{at:%H.%M} {ZONE_NAMES.get(timezone, at.tzname() or '')}".strip()


def wait_words(seconds: int) -> str:
    """An estimated wait as a person says it: "segera", "sekitar 25 menit", "sekitar 1 jam 10 menit"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "segera"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"sekitar {minutes} menit"
    return f"sekitar {hours} jam" + (f" {rest} menit" if rest else "")


def plain(text: str) -> str:
    """ASCII only: accents dropped, dashes and quotes straightened, anything else removed."""
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").replace("\u00b1", "+/-")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@dataclass(frozen=True)
class TicketDocument:
    """Everything a ticket may show; the layout picks and arranges."""

    hall: str
    agency: str
    service: str
    number: str
    issued_at: datetime  # aware, in the hall's zone
    timezone: str
    people_ahead: int
    wait_s: int
    track_url: str
    counters: str = ""
    requirements: str = ""
    priority: str = ""
    footer: str = ""
    reprinted_at: datetime | None = None

    def fields(self) -> dict[str, str]:
        """The {names} a layout's text may use."""
        return {
            "hall": self.hall, "agency": self.agency, "service": self.service, "number": self.number,
            "date": indonesian_date(self.issued_at), "time": clock_time(self.issued_at, self.timezone),
            "people_ahead": str(self.people_ahead), "wait": wait_words(self.wait_s),
            "track_url": self.track_url, "counters": self.counters, "requirements": self.requirements,
            "priority": self.priority, "footer": self.footer,
            "reprint": (f"{indonesian_date(self.reprinted_at)} {clock_time(self.reprinted_at, self.timezone)}"
                        if self.reprinted_at else ""),
        }


@dataclass(frozen=True)
class Block:
    """One element of the template."""

    kind: str
    text: str = ""
    align: str = "left"
    bold: bool = False
    size: str = "normal"
    when: str = ""  # print only when this field is not empty
    lines: int = 1


@dataclass(frozen=True)
class Layout:
    """The ticket template: blocks top to bottom, and the largest magnification for the number."""

    blocks: tuple[Block, ...]
    max_magnification: int = 6

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Layout:
        """From parsed TOML: `max_magnification` and an array of `[[block]]` tables."""
        blocks = []
        for raw in data.get("block", []):
            block = Block(kind=str(raw.get("kind", "")), text=str(raw.get("text", "")),
                          align=str(raw.get("align", "left")), bold=bool(raw.get("bold", False)),
                          size=str(raw.get("size", "normal")), when=str(raw.get("when", "")),
                          lines=int(raw.get("lines", 1)))
            if block.kind not in BLOCK_KINDS or block.align not in ALIGNS or block.size not in SIZES:
                raise InvalidConfig(f"Blok tata letak tiket tidak sah: {raw}", f"Invalid ticket layout block: {raw}")
            blocks.append(block)
        if not any(b.kind == "number" for b in blocks):
            raise InvalidConfig("Tata letak tiket harus memuat nomor antrean", "A ticket layout must print the number")
        magnification = int(data.get("max_magnification", 6))
        if not 1 <= magnification <= 8:
            raise InvalidConfig("max_magnification harus 1-8", "max_magnification must be 1-8")
        return cls(tuple(blocks), magnification)

    @classmethod
    def load(cls, path: Path = DEFAULT_LAYOUT) -> Layout:
        """Read a layout file."""
        try:
            return cls.from_mapping(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidConfig(f"Tata letak tiket tidak terbaca: {path}: {exc}",
                                f"Cannot read ticket layout {path}: {exc}") from None


# -- print steps: what the ESC/POS writer executes -------------------------------------------

@dataclass(frozen=True)
class Style:
    """Alignment, emphasis and character magnification for the lines that follow."""

    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True)
class Line:
    """One printed line of text."""

    text: str


@dataclass(frozen=True)
class Qr:
    """A QR code drawn by the printer itself."""

    data: str
    module: int


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int


@dataclass(frozen=True)
class Logo:
    """An image file, scaled to the paper by the writer."""

    path: str
    max_width: int


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut."""


Step = Style | Line | Qr | Feed | Logo | Cut


@dataclass(frozen=True)
class Paper:
    """A roll width and what fits on it."""

    mm: int
    columns: int = field(init=False)
    dots: int = field(init=False)

    def __post_init__(self) -> None:
        if self.mm not in COLUMNS:
            raise InvalidConfig(f"Lebar kertas {self.mm} mm tidak didukung (58 atau 80)",
                                f"Paper width {self.mm} mm is not supported (58 or 80)")
        object.__setattr__(self, "columns", COLUMNS[self.mm])
        object.__setattr__(self, "dots", DOTS[self.mm])


def largest_magnification(text: str, paper: Paper, cap: int) -> int:
    """The biggest character size at which `text` still fits on one line."""
    return max(1, min(cap, paper.columns // max(1, len(text))))


def _wrapped(text: str, columns: int) -> list[Step]:
    """A text as lines that fit `columns` (an empty text still takes its line)."""
    return [Line(line) for line in textwrap.wrap(text, columns) or [""]]


def compose(layout: Layout, doc: TicketDocument, paper: Paper, logo: str = "") -> list[Step]:
    """The template filled with `doc` for `paper`: styles, wrapped lines, QR, cut."""
    values = {k: plain(v) for k, v in doc.fields().items()}
    steps: list[Step] = []
    for block in layout.blocks:
        if block.when and not values.get(block.when):
            continue
        if block.kind == "text":
            size = 2 if block.size == "double" else 1
            text = block.text.format_map(values)
            if block.size == "largest":
                size = largest_magnification(text, paper, layout.max_magnification)
            steps.append(Style(block.align, block.bold, size, size))
            steps += _wrapped(text, paper.columns // size)
        elif block.kind == "number":
            size = largest_magnification(doc.number, paper, layout.max_magnification)
            steps += [Style("center", True, size, size), Line(values["number"])]
        elif block.kind == "qr":
            steps += [Style("center"), Qr(doc.fields().get(block.text or "track_url", ""), QR_MODULE[paper.mm])]
        elif block.kind == "rule":
            steps += [Style("left"), Line("-" * paper.columns)]
        elif block.kind == "feed":
            steps.append(Feed(block.lines))
        elif block.kind == "logo" and logo:
            steps += [Style("center"), Logo(logo, paper.dots)]
        elif block.kind == "cut":
            steps.append(Cut())
    return steps


# -- the admin's test page: the same steps and writer as a ticket, its own fixed content ----------

SAMPLE_NUMBER = "A-001"
TEST_LABEL = "UJI-CETAK"  # the job's number: a test page has no ticket


@dataclass(frozen=True)
class PrinterTestSheet:
    """What a test page says: which printer this is, how it is reached, who asked, and when."""

    hall: str
    printer: str
    link: str  # transport and address, e.g. "network 192.168.1.50:9100"
    driven_by: str
    kiosks: str
    requested_by: str
    printed_at: datetime  # aware, in the hall's zone
    timezone: str


def column_ruler(columns: int) -> list[str]:
    """Tens over units for every column, so a clipped edge or a wrong paper width shows at a glance."""
    tens = "".join(str(i // 10 % 10) if i % 10 == 0 else " " for i in range(1, columns + 1))
    return [tens.rstrip(), "".join(str(i % 10) for i in range(1, columns + 1))]


def compose_test_sheet(sheet: PrinterTestSheet, paper: Paper, logo: str = "", max_magnification: int = 6) -> list[Step]:
    """The test page for `paper`: the logo, the printer's particulars, a column ruler, a sample ticket
    number at its real size, a native QR code and the cut, which together try all a ticket needs."""
    at = f"{indonesian_date(sheet.printed_at)} {clock_time(sheet.printed_at, sheet.timezone)}"
    facts = [f"Printer: {sheet.printer}", f"Sambungan / Link: {sheet.link}",
             f"Kertas / Paper: {paper.mm} mm, {paper.columns} kolom / columns",
             f"Dijalankan oleh / Driven by: {sheet.driven_by}", f"Kiosk: {sheet.kiosks or '-'}",
             f"Waktu / Time: {at}", f"Diminta oleh / Requested by: {sheet.requested_by}"]
    size = largest_magnification(SAMPLE_NUMBER, paper, max_magnification)
    steps: list[Step] = [Style("center"), Logo(logo, paper.dots)] if logo else []
    steps += [Style("center", True, 2, 2), *_wrapped("Uji cetak", paper.columns // 2),
              Style("center"), Line("Test print"), Style("center", True), *_wrapped(plain(sheet.hall), paper.columns),
              Style("left"), Line("-" * paper.columns)]
    for fact in facts:
        steps += _wrapped(plain(fact), paper.columns)
    steps += [Line("-" * paper.columns), Line("Penggaris kolom / Column ruler:"),
              *(Line(line) for line in column_ruler(paper.columns)), Feed(1),
              Style("center"), Line("Contoh nomor / Sample number:"),
              Style("center", True, size, size), Line(SAMPLE_NUMBER),
              Style("center"), Qr(plain(f"Uji cetak {sheet.printer}"), QR_MODULE[paper.mm]),
              *_wrapped("Semua baris utuh: printer siap.", paper.columns),
              *_wrapped("Every line whole: the printer is ready.", paper.columns),
              Cut()]
    return steps
