"""Opening hours, holidays and daily quotas: the reason a kiosk shows."""

from datetime import date, datetime

import pytest

from queue_server.domain.errors import InvalidConfig, IssueRefused
from queue_server.domain.hall import Service
from queue_server.domain.hours import WeeklyHours, parse_spans

HOURS = WeeklyHours.from_mapping(
    {"mon": "08.00-15.00", "tue": "08.00-15.00", "wed": "08.00-15.00", "thu": "08.00-15.00",
     "fri": "08.00-11.00,13.00-15.00"},
    closed_dates=(date(2026, 12, 25),))
SERVICE = Service(code="PASPOR", name="Paspor", agency_code="IMIGRASI", prefix="F", hours=HOURS, daily_quota=30)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute)  # local wall time; 23 Nov 2026 is a Monday


@pytest.mark.parametrize(("when", "reason"), [
    (at(23, 7, 59), "Layanan dibuka pukul 08.00"),
    (at(27, 11, 30), "Layanan sedang istirahat, dibuka kembali pukul 13.00"),
    (at(23, 15, 0), "Layanan sudah tutup, dibuka kembali besok pukul 08.00"),
    (at(27, 15, 1), "Layanan sudah tutup, dibuka kembali Senin pukul 08.00"),
    (at(28, 9, 0), "Layanan tutup hari ini, dibuka kembali Senin pukul 08.00"),
    (at(25, 9, 0, month=12), "Layanan tutup hari ini, dibuka kembali Senin pukul 08.00"),  # holiday
    (at(24, 16, 0, month=12), "Layanan sudah tutup, dibuka kembali Senin pukul 08.00"),  # skips the holiday
])
def test_closed_moments_give_the_visitor_a_reason(when: datetime, reason: str) -> None:
    avail = SERVICE.availability(when)
    assert not avail.open and avail.reason == reason
    with pytest.raises(IssueRefused) as err:
        SERVICE.check_issuable(when, 0)
    assert err.value.code == "service_closed" and err.value.message == reason


@pytest.mark.parametrize("when", [at(23, 8, 0), at(23, 14, 59), at(27, 10, 59), at(27, 13, 0)])
def test_open_moments(when: datetime) -> None:
    assert SERVICE.availability(when).open
    SERVICE.check_issuable(when, 0)


def test_quota_refuses_the_31st_with_the_kiosk_sentence() -> None:
    SERVICE.check_issuable(at(23, 9), 29)
    with pytest.raises(IssueRefused) as err:
        SERVICE.check_issuable(at(23, 9), 30)
    assert err.value.message == "Kuota harian layanan ini sudah habis" and err.value.code == "quota_exhausted"
    assert SERVICE.quota_left(30) == 0 and SERVICE.quota_left(12) == 18


def test_no_quota_means_unlimited_and_inactive_is_refused() -> None:
    free = Service(code="X", name="X", agency_code="A", prefix="X")
    assert free.quota_left(10_000) is None
    free.check_issuable(at(23, 3), 10_000)
    off = Service(code="Y", name="Y", agency_code="A", prefix="Y", active=False)
    with pytest.raises(IssueRefused, match="tidak tersedia"):
        off.check_issuable(at(23, 9), 0)


@pytest.mark.parametrize("bad", ["8-15", "08.00-07.00", "08.00-25.00", "08.00-12.00,11.00-13.00"])
def test_bad_hours_are_refused(bad: str) -> None:
    with pytest.raises(InvalidConfig):
        parse_spans(bad)


def test_hours_round_trip() -> None:
    assert WeeklyHours.from_mapping(HOURS.to_mapping(), tuple(HOURS.closed_dates)) == HOURS
