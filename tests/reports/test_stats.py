"""Duration statistics on numbers worked by hand."""

from __future__ import annotations

from queue_server.domain.stats import summarize


def test_odd_count() -> None:
    d = summarize([30, 10, 20, 50, 40])
    assert (d.count, d.mean, d.median, d.p90) == (5, 30, 30, 50)  # ceil(4.5) = 5th value


def test_even_count_and_nearest_rank_p90() -> None:
    values = list(range(1, 21))  # 1..20
    d = summarize(values)
    assert d.median == 10.5 and d.p90 == 18 and d.mean == 10.5  # ceil(18) = 18th value


def test_empty() -> None:
    d = summarize([])
    assert (d.count, d.mean, d.median, d.p90) == (0, None, None, None)
