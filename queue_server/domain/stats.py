"""Duration statistics of the reports: mean, median, 90th percentile, share within a target.

Exact on the values given (no sampling, no histogram buckets): the median is the middle value
(mean of the two middle ones for an even count) and p90 the nearest-rank percentile, the
smallest value with at least 90 % of the values at or below it, so it is always a real duration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Durations:
    """Summary of durations in seconds; None where there is nothing to summarise."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None


def summarize(values: Sequence[float]) -> Durations:
    """Mean, median and p90 of `values` (sorted here; pass a sorted list to skip nothing)."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        return Durations(0, None, None, None)
    mid = n // 2
    median = data[mid] if n % 2 else (data[mid - 1] + data[mid]) / 2
    return Durations(n, sum(data) / n, median, data[math.ceil(0.9 * n) - 1])


def share_within(values: Sequence[float], target: float) -> float | None:
    """The fraction of `values` at or below `target` (None when empty)."""
    return sum(1 for v in values if v <= target) / len(values) if values else None
