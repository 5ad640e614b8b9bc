"""Exponential back-off with jitter for reconnecting."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


class Backoff:
    """Delays of `minimum` doubling to `maximum`, each jittered but kept in those bounds.

    Jitter spreads the reconnects of many clients after a server restart, so they do not
    all knock at the same second.
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
        delay = base * (1 + self._jitter * (2 * self._rng() - 1))
        return float(min(self.maximum, max(self.minimum, delay)))

    def reset(self) -> None:
        """Start again from the minimum (after a successful connection)."""
        self._attempt = 0
