"""Exponential back-off with jitter for reconnecting."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class Backoff:
    """Delays of `minimum` doubling to `maximum`, each jittered but kept in those bounds.

    Jitter spreads the reconnects of many clients after a server restart, so they do not
    all knock at the same second. A draw that falls outside the bounds is mirrored back
    inside rather than clamped: clamping would put half of the first delays at exactly
    `minimum` and half of the capped ones at exactly `maximum`, the very pile-up jitter
    is there to avoid. Uniform draws stay uniform over the band, and the middle draw is
    still the base delay.
    """

    def __init__(
        self,
        minimum: float = 1.0,
        maximum: float = 60.0,
        jitter: float = 0.2,
        rng: Callable[[], float] = random.random,
    ) -> None:
        """Set the bounds; `rng` returns a float in [0, 1) (injectable for tests)."""
        if not 0 < minimum <= maximum:
            raise ValueError("backoff bounds must satisfy 0 < minimum <= maximum")
        self.minimum = minimum
        self.maximum = maximum
        self._jitter = jitter
        self._rng = rng
        self._attempt = 0

    def next(self) -> float:
        """The delay before the next attempt."""
        base = min(self.maximum, self.minimum * 2.0 ** min(self._attempt, 32))
        self._attempt += 1
        spread = base * self._jitter
        delay = base + spread * (2 * self._rng() - 1)
        return _fold(
            delay, max(self.minimum, base - spread), min(self.maximum, base + spread)
        )

    def reset(self) -> None:
        """Start again from the minimum (after a successful connection)."""
        self._attempt = 0


def _fold(value: float, low: float, high: float) -> float:
    """`value` mirrored at the bounds until it lies in [low, high]."""
    width = high - low
    if width <= 0:
        return float(low)
    offset = (value - low) % (2 * width)
    return float(low + (offset if offset <= width else 2 * width - offset))
