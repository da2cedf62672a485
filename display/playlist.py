"""One display's announcement queue (pure): calls spoken in order, never over each other.

The browser page (static/display.js) and the PC agent follow the same rules:
- every call is kept and spoken in the order it arrived; nothing cuts off the one in progress;
- a call is repeated `repeat` times only while nobody else waits: in a rush each number is said
  once, so the queue drains without dropping anyone;
- a recall is queued again; an identical call still waiting is not queued twice.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class QueuedCall:
    """A call as a display speaks it."""

    number: str
    counter: str
    text: str
    chime_url: str
    speech_url: str | None
    repeat: int = 2
    recall: bool = False

    @property
    def key(self) -> str:
        """Calls with the same key say the same thing."""
        return f"{self.number}|{self.counter}|{self.recall}"


class AnnouncementQueue:
    """Calls waiting to be spoken at one display (not thread-safe: the caller holds a lock)."""

    def __init__(self) -> None:
        self._waiting: deque[QueuedCall] = deque()

    def __len__(self) -> int:
        return len(self._waiting)

    def push(self, call: QueuedCall) -> bool:
        """Queue a call; False when the same call already waits."""
        if any(c.key == call.key for c in self._waiting):
            return False
        self._waiting.append(call)
        return True

    def pop(self) -> QueuedCall | None:
        """The next call to speak, or None."""
        return self._waiting.popleft() if self._waiting else None

    def say_again(self, call: QueuedCall, times_said: int) -> bool:
        """Whether to repeat the call in progress: only up to `repeat`, and only while nobody waits."""
        return times_said < call.repeat and not self._waiting
