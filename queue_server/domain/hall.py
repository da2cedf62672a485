"""The hall as the queue sees it: agencies, their services and counters, and hall-wide rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .errors import InvalidConfig, IssueRefused, NotFound
from .hours import Availability, WeeklyHours, availability

QUOTA_EXHAUSTED = ("Kuota harian layanan ini sudah habis", "Today's quota for this service is used up")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_PREFIX = re.compile(r"^[A-Z]{1,3}$")


class NextTicketRule(StrEnum):
    """How a counter that serves several services picks among their waiting tickets."""

    OLDEST_FIRST = "oldest_first"  # whoever arrived first, whatever the service
    SERVICE_ORDER = "service_order"  # the counter's first service with anybody waiting, then oldest


@dataclass(frozen=True)
class Agency:
    """A tenant of the hall (Dukcapil, Imigrasi...) with its own counters."""

    code: str
    name: str
    floor: str = ""
    zone: str = ""
    color: str = ""
    short_name: str = ""

    @property
    def spoken_name(self) -> str:
        """The name said aloud and shown where space is short (Dukcapil rather than the full name)."""
        return self.short_name or self.name


@dataclass(frozen=True)
class Service:
    """A kind of service a visitor queues for; its own prefix, quota, hours and standard time."""

    code: str
    name: str
    agency_code: str
    prefix: str
    hours: WeeklyHours = field(default_factory=WeeklyHours.always)
    daily_quota: int | None = None
    requirements: str = ""
    completion_time: str = ""
    target_service_s: int = 600
    active: bool = True
    synonyms: tuple[str, ...] = ()

    def availability(self, now_local: datetime) -> Availability:
        """Whether tickets can be issued at this local moment (hours and the active flag)."""
        if not self.active:
            return Availability(False, "Layanan ini sedang tidak tersedia", "This service is not available")
        return availability(self.hours, now_local)

    def quota_left(self, issued_today: int) -> int | None:
        """Tickets still to be had today; None when the service has no quota."""
        return None if self.daily_quota is None else max(0, self.daily_quota - issued_today)

    def issuable(self, now_local: datetime, issued_today: int) -> Availability:
        """Whether a ticket can be had now: hours, the active flag, then today's quota."""
        avail = self.availability(now_local)
        if avail.open and self.quota_left(issued_today) == 0:
            return Availability(False, QUOTA_EXHAUSTED[0], QUOTA_EXHAUSTED[1])
        return avail

    def check_issuable(self, now_local: datetime, issued_today: int) -> None:
        """Raise IssueRefused with the visitor-facing reason when no ticket may be issued."""
        avail = self.issuable(now_local, issued_today)
        if not avail.open:
            code = "quota_exhausted" if avail.reason == QUOTA_EXHAUSTED[0] else "service_closed"
            raise IssueRefused(avail.reason, avail.reason_en, code=code)


@dataclass(frozen=True)
class Counter:
    """A loket: one agency's desk, serving some of that hall's services in its own order."""

    code: str
    name: str
    agency_code: str
    service_codes: tuple[str, ...]


@dataclass(frozen=True)
class PriorityCategory:
    """A group given perlakuan khusus (UU 25/2009 Art. 29): lansia, disabilitas, ibu hamil..."""

    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class PriorityPolicy:
    """Priority categories and how many priority calls a counter makes per regular call."""

    categories: tuple[PriorityCategory, ...] = ()
    ratio: int = 2
    at_kiosk: bool = True

    def __post_init__(self) -> None:
        """Refuse what would break the kiosk or the counters: an odd ratio, a nameless or twice-used code."""
        if isinstance(self.ratio, bool) or not isinstance(self.ratio, int) or not 0 <= self.ratio <= 10:
            raise InvalidConfig("Rasio prioritas harus bilangan bulat 0-10",
                                "The priority ratio must be a whole number from 0 to 10")
        codes = [c.code for c in self.categories]
        for category in self.categories:
            if not (isinstance(category.code, str) and _CODE.match(category.code)):
                raise InvalidConfig(f"Kode kategori prioritas tidak sah: {category.code!r}",
                                    f"Invalid priority category code: {category.code!r}")
            if not (isinstance(category.name, str) and category.name.strip()):
                raise InvalidConfig(f"Kategori prioritas {category.code} perlu nama",
                                    f"Priority category {category.code} needs a name")
            if codes.count(category.code) > 1:
                raise InvalidConfig(f"Kode kategori prioritas {category.code} dipakai dua kali",
                                    f"Priority category code {category.code} is used twice")

    def category(self, code: str) -> PriorityCategory:
        """The category with this code, or NotFound."""
        for category in self.categories:
            if category.code == code:
                return category
        raise NotFound(f"Kategori prioritas tidak dikenal: {code}", f"Unknown priority category: {code}")


@dataclass(frozen=True)
class HallSettings:
    """Hall-wide settings the queue rules need."""

    name: str = "Mal Pelayanan Publik"
    timezone: str = "Asia/Jakarta"
    next_ticket_rule: NextTicketRule = NextTicketRule.OLDEST_FIRST
    priority: PriorityPolicy = field(default_factory=PriorityPolicy)
    public_display: bool = True


@dataclass(frozen=True)
class Catalog:
    """Everything configured in a hall, looked up by code; validated on construction."""

    settings: HallSettings
    agencies: dict[str, Agency]
    services: dict[str, Service]
    counters: dict[str, Counter]

    def __post_init__(self) -> None:
        self._validate()

    def _validate(self) -> None:
        for kind, items in (("agensi", self.agencies), ("layanan", self.services), ("loket", self.counters)):
            for code in items:
                if not _CODE.match(code):
                    raise InvalidConfig(f"Kode {kind} tidak sah: {code!r}", f"Invalid {kind} code: {code!r}")
        prefixes: dict[str, str] = {}
        for service in self.services.values():
            if service.agency_code not in self.agencies:
                raise InvalidConfig(f"Layanan {service.code}: agensi {service.agency_code} tidak ada",
                                    f"Service {service.code}: unknown agency {service.agency_code}")
            if not _PREFIX.match(service.prefix):
                raise InvalidConfig(f"Layanan {service.code}: awalan nomor harus 1-3 huruf besar",
                                    f"Service {service.code}: prefix must be 1-3 capital letters")
            if service.active and service.prefix in prefixes:
                raise InvalidConfig(
                    f"Awalan {service.prefix} dipakai dua layanan: {prefixes[service.prefix]} dan {service.code}",
                    f"Prefix {service.prefix} used by {prefixes[service.prefix]} and {service.code}")
            if service.active:
                prefixes[service.prefix] = service.code
            if service.daily_quota is not None and service.daily_quota < 0:
                raise InvalidConfig(f"Layanan {service.code}: kuota negatif", f"Service {service.code}: negative quota")
        for counter in self.counters.values():
            if counter.agency_code not in self.agencies:
                raise InvalidConfig(f"Loket {counter.code}: agensi {counter.agency_code} tidak ada",
                                    f"Counter {counter.code}: unknown agency {counter.agency_code}")
            if not counter.service_codes:
                raise InvalidConfig(f"Loket {counter.code} tidak melayani layanan apa pun",
                                    f"Counter {counter.code} serves no service")
            for code in counter.service_codes:
                if code not in self.services:
                    raise InvalidConfig(f"Loket {counter.code}: layanan {code} tidak ada",
                                        f"Counter {counter.code}: unknown service {code}")

    def service(self, code: str) -> Service:
        """The service with this code, or NotFound (a 404 for the API)."""
        try:
            return self.services[code]
        except KeyError:
            raise NotFound(f"Layanan tidak ditemukan: {code}", f"Unknown service: {code}") from None

    def counter(self, code: str) -> Counter:
        """The counter with this code, or NotFound."""
        try:
            return self.counters[code]
        except KeyError:
            raise NotFound(f"Loket tidak ditemukan: {code}", f"Unknown counter: {code}") from None

    def agency(self, code: str) -> Agency:
        """The agency with this code, or NotFound."""
        try:
            return self.agencies[code]
        except KeyError:
            raise NotFound(f"Agensi tidak ditemukan: {code}", f"Unknown agency: {code}") from None

    def counters_serving(self, service_code: str) -> tuple[Counter, ...]:
        """Counters that list this service, in catalog order."""
        return tuple(c for c in self.counters.values() if service_code in c.service_codes)
