"""Opening hours per weekday and the reason a closed service gives to a visitor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .errors import InvalidConfig

DAY_KEYS: tuple[tuple[str, ...], ...] = (
    ("mon", "senin"),
    ("tue", "selasa"),
    ("wed", "rabu"),
    ("thu", "kamis"),
    ("fri", "jumat"),
    ("sat", "sabtu"),
    ("sun", "minggu"),
)
DAY_NAMES_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Indonesia's zones as people name them on screens and tickets (09.05 WIB).
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
_SPAN = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*-\s*(\d{1,2})[.:](\d{2})\s*$")


@dataclass(frozen=True, order=True)
class Span:
    """One opening span of a day, in minutes after local midnight (end may be 1440)."""

    start: int
    end: int


def clock(minutes: int) -> str:
    """Minutes after midnight as the Indonesian clock notation, 08.00."""
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def parse_spans(text: str) -> tuple[Span, ...]:
    """Parse "08.00-11.00, 13.00-15.00" (":" works too); "" or "tutup" means closed all day."""
    text = text.strip().lower()
    if text in ("", "tutup", "closed"):
        return ()
    spans = []
    for part in text.split(","):
        m = _SPAN.match(part)
        if not m:
            raise InvalidConfig(f"Format jam buka tidak dikenal: {part!r} (contoh 08.00-15.00)",
                                f"Unknown opening hours format: {part!r} (e.g. 08.00-15.00)")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if not (0 <= start < end <= 1440 and m1 < 60 and m2 < 60):
            raise InvalidConfig(f"Jam buka tidak masuk akal: {part!r}", f"Impossible opening hours: {part!r}")
        spans.append(Span(start, end))
    spans.sort()
    for a, b in zip(spans, spans[1:]):
        if b.start < a.end:
            raise InvalidConfig(f"Jam buka bertumpuk: {text!r}", f"Overlapping opening hours: {text!r}")
    return tuple(spans)


@dataclass(frozen=True)
class WeeklyHours:
    """Spans per weekday (0 = Monday) plus dates the service is closed (holidays)."""

    days: tuple[tuple[Span, ...], ...] = ((),) * 7
    closed_dates: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def always(cls) -> WeeklyHours:
        """Open round the clock every day (the demo hall)."""
        return cls(days=((Span(0, 1440),),) * 7)

    @classmethod
    def from_mapping(cls, mapping: dict[str, str], closed_dates: tuple[date, ...] = ()) -> WeeklyHours:
        """Build from {"mon": "08.00-15.00", "fri": "08.00-11.00,13.00-15.00"}; absent days are closed."""
        known = {key: i for i, keys in enumerate(DAY_KEYS) for key in keys}
        days: list[tuple[Span, ...]] = [()] * 7
        for key, text in mapping.items():
            if key.lower() not in known:
                raise InvalidConfig(f"Nama hari tidak dikenal: {key!r}", f"Unknown weekday: {key!r}")
            days[known[key.lower()]] = parse_spans(text)
        return cls(days=tuple(days), closed_dates=frozenset(closed_dates))

    def to_mapping(self) -> dict[str, str]:
        """The inverse of from_mapping, with English day keys; closed days are left out."""
        return {
            DAY_KEYS[i][0]: ",".join(f"{clock(s.start)}-{clock(s.end)}" for s in spans)
            for i, spans in enumerate(self.days)
            if spans
        }

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """Opening spans of one local date, none on a closing date."""
        return () if day in self.closed_dates else self.days[day.weekday()]


@dataclass(frozen=True)
class Availability:
    """Whether a service takes tickets at a moment, and if not, why (both languages)."""

    open: bool
    reason: str = ""
    reason_en: str = ""


def availability(hours: WeeklyHours, now_local: datetime) -> Availability:
    """Open now, or the sentence a kiosk shows: when it opens (again)."""
    minute = now_local.hour * 60 + now_local.minute
    today = hours.spans_on(now_local.date())
    if any(s.start <= minute < s.end for s in today):
        return Availability(True)
    later = [s for s in today if s.start > minute]
    if later:
        at = clock(later[0].start)
        if any(s.end <= minute for s in today):
            return Availability(False, f"Layanan sedang istirahat, dibuka kembali pukul {at}",
                                f"Service is on a break, reopens at {at}")
        return Availability(False, f"Layanan dibuka pukul {at}", f"Service opens at {at}")
    closed_id, closed_en = ("Layanan sudah tutup", "Service is closed") if today else (
        "Layanan tutup hari ini", "Service is closed today")
    for ahead in range(1, 15):
        day = now_local.date() + timedelta(days=ahead)
        spans = hours.spans_on(day)
        if spans:
            at = clock(spans[0].start)
            when_id, when_en = ("besok", "tomorrow") if ahead == 1 else (
                DAY_NAMES_ID[day.weekday()], DAY_NAMES_EN[day.weekday()])
            return Availability(False, f"{closed_id}, dibuka kembali {when_id} pukul {at}",
                                f"{closed_en}, reopens {when_en} at {at}")
    return Availability(False, closed_id, closed_en)
