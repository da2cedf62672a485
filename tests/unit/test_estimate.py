"""Wait estimates: recent service times, shrunk toward the standard, shared by open counters."""

import pytest

from queue_server.domain.estimate import PRIOR_WEIGHT, estimate_wait, mean_service_time


def test_no_history_uses_the_service_standard() -> None:
    est = estimate_wait(people_ahead=6, recent_s=[], target_s=600, open_counters=2)
    assert est.mean_service_s == 600 and est.seconds == 6 * 600 / 2 and est.samples == 0


def test_history_pulls_the_mean_toward_what_happened() -> None:
    recent = [300.0] * 17
    mean = mean_service_time(recent, 600)
    assert mean == pytest.approx((PRIOR_WEIGHT * 600 + 17 * 300) / (PRIOR_WEIGHT + 17))
    assert estimate_wait(4, recent, 600, 1).seconds == round(4 * mean)


def test_outliers_are_clipped() -> None:
    # A desk left open over lunch (2 h) counts as 3 x target, a mis-click (1 s) as 15 s.
    assert mean_service_time([7200.0], 300) == pytest.approx((PRIOR_WEIGHT * 300 + 900) / (PRIOR_WEIGHT + 1))
    assert mean_service_time([1.0], 300) == pytest.approx((PRIOR_WEIGHT * 300 + 15) / (PRIOR_WEIGHT + 1))


def test_more_open_counters_shorten_the_wait_and_nobody_ahead_means_no_wait() -> None:
    assert estimate_wait(10, [], 300, 1).seconds == 3000
    assert estimate_wait(10, [], 300, 4).seconds == 750
    assert estimate_wait(10, [], 300, 0).seconds == 3000  # all paused: at least one will reopen
    assert estimate_wait(0, [120.0], 300, 1).seconds == 0
