"""Wait estimates from recent service times, shrunk toward the service's standard time.

Method (docs/ARCHITECTURE.md repeats it): the mean time a counter spends on one ticket of the
service is estimated from its most recent finished tickets (call to finish), each clipped to
[MIN_SAMPLE_S, 3 x target] so a desk left open over lunch does not swamp it, and blended with the
service's standard time (the target from its service standard, Art. 21 UU 25/2009) as a prior
worth PRIOR_WEIGHT tickets: few samples lean on the standard, many samples on what happened.
The people ahead share the counters that serve the service and are open now (at least one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PRIOR_WEIGHT = 3
MIN_SAMPLE_S = 15.0
RECENT_SAMPLES = 20


@dataclass(frozen=True)
class WaitEstimate:
    """People ahead and the seconds they are expected to take."""

    people_ahead: int
    seconds: int
    mean_service_s: float
    samples: int
    open_counters: int = 1

    def with_people_ahead(self, people_ahead: int) -> WaitEstimate:
        """The same queue seen from another place in it."""
        seconds = round(people_ahead * self.mean_service_s / max(1, self.open_counters))
        return WaitEstimate(people_ahead, seconds, self.mean_service_s, self.samples, self.open_counters)


def mean_service_time(recent_s: Sequence[float], target_s: int) -> float:
    """Blend of the clipped recent durations and the standard time, in seconds per ticket."""
    cap = max(3.0 * target_s, MIN_SAMPLE_S)
    clipped = [min(max(s, MIN_SAMPLE_S), cap) for s in recent_s[:RECENT_SAMPLES]]
    return (PRIOR_WEIGHT * target_s + sum(clipped)) / (PRIOR_WEIGHT + len(clipped))


def estimate_wait(people_ahead: int, recent_s: Sequence[float], target_s: int, open_counters: int) -> WaitEstimate:
    """Expected wait before a counter calls the next person to join this queue."""
    mean = mean_service_time(recent_s, target_s)
    return WaitEstimate(0, 0, mean, min(len(recent_s), RECENT_SAMPLES), open_counters).with_people_ahead(people_ahead)
