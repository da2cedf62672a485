"""Ticket numbers and the daily reset at local midnight."""

from datetime import UTC, date, datetime

import pytest

from queue_server.domain.tickets import format_number, local_day


@pytest.mark.parametrize(("prefix", "serial", "number"), [
    ("A", 1, "A-001"), ("A", 11, "A-011"), ("B", 999, "B-999"), ("AB", 1000, "AB-1000"), ("AF", 42, "AF-042"),
])
def test_number_is_prefix_and_three_digit_serial(prefix: str, serial: int, number: str) -> None:
    assert format_number(prefix, serial) == number


def test_day_changes_at_wib_midnight_not_utc_midnight() -> None:
    # 16.59 UTC is 23.59 WIB on the 23rd; 17.00 UTC is 00.00 WIB on the 24th.
    assert local_day(datetime(2026, 11, 23, 16, 59, 59, tzinfo=UTC), "Asia/Jakarta") == date(2026, 11, 23)
    assert local_day(datetime(2026, 11, 23, 17, 0, 0, tzinfo=UTC), "Asia/Jakarta") == date(2026, 11, 24)
    # A hall in WITA (Makassar, UTC+8) turns the day an hour earlier.
    assert local_day(datetime(2026, 11, 23, 16, 0, 0, tzinfo=UTC), "Asia/Makassar") == date(2026, 11, 24)


def test_local_day_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        local_day(datetime(2026, 11, 23, 12, 0), "Asia/Jakarta")
