"""What happens in a soak, drawn from the seed alone.

Every round draws the same number of random values whatever the world looks like, so
the sequence of intents (which fault, which action, which arguments) is a function of
the seed: the same seed replays the same run. How an intent lands depends on the state
it meets (adding a favorite that is one already removes it instead), but that state is
itself the product of the same intents. Timing on real sockets may still make a command
meet a link that is down in one run and up in another: the intents stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
import hashlib
import random
from typing import Final

FAULT_WEIGHTS: Final[dict[str, int]] = {
    "none": 2,
    "restart": 3,
    "abrupt_close": 3,
    "half_open": 3,
    "token_expiry": 3,
    "session_refused": 2,
    "refused_login": 1,
    "slow_replies": 3,
    "malformed_burst": 3,
    "partial_updates": 2,
    "no_favorites_reply": 2,
    "changing_call_ids": 2,
}
"""Fault kinds and their weights: each happens many times in a short run.

``refused_login`` (the REST login answered 401) costs a reauth flow and a reload of the
entry, so it is drawn less often; ``none`` is a round with changes but no fault.
"""

SERVER_WEIGHTS: Final[dict[str, int]] = {
    "srv_status": 3,
    "srv_device": 2,
    "srv_mobile": 1,
    "srv_dnd": 2,
    "srv_forward": 3,
    "srv_favorite": 3,
    "srv_hint": 4,
    "srv_voicemail": 2,
    "srv_call": 5,
    "srv_agent": 3,
    "srv_queue": 3,
}
"""Changes another client (or the PBX) makes on the server."""

USER_WEIGHTS: Final[dict[str, int]] = {
    "usr_presence": 3,
    "usr_device": 2,
    "usr_mobile": 1,
    "usr_dnd": 2,
    "usr_forward_switch": 2,
    "usr_forward_text": 2,
    "usr_lookup": 1,
    "usr_add_favorite": 2,
    "usr_remove_favorite": 2,
    "usr_dial": 1,
    "usr_agent": 2,
    "usr_queue": 2,
    "usr_recording": 1,
}
"""Commands a user gives through Home Assistant."""

ACTION_WEIGHTS: Final[dict[str, int]] = {**SERVER_WEIGHTS, **USER_WEIGHTS}


@dataclass(frozen=True, slots=True)
class Action:
    """One change or command; ``a``, ``b``, ``c`` in [0, 1) choose its arguments."""

    kind: str
    a: float
    b: float
    c: float
    pause: float
    """Seconds to wait after it (0 to 30 ms): lets pushes and commands interleave."""


@dataclass(frozen=True, slots=True)
class Round:
    """A fault (or none), the actions while it holds, and those after it healed."""

    index: int
    fault: str
    strength: float
    """In [0, 1): how hard the fault hits (a reply delay, how long it holds)."""
    during: tuple[Action, ...]
    after: tuple[Action, ...]

    def describe(self) -> str:
        """One line for a divergence report."""
        kinds = [action.kind for action in self.during]
        later = [action.kind for action in self.after]
        return f"round {self.index}: fault {self.fault} ({self.strength:.2f}) during {kinds} after {later}"


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    """One weighted choice: exactly one draw from ``rng``."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _action(rng: random.Random) -> Action:
    return Action(
        kind=_pick(rng, ACTION_WEIGHTS),
        a=rng.random(),
        b=rng.random(),
        c=rng.random(),
        pause=rng.random() * 0.03,
    )


class Plan:
    """The rounds of one seed, drawn one at a time (a run may stop at any round)."""

    def __init__(self, seed: int) -> None:
        """Start the seed's sequence; nothing but this object draws from it."""
        self.seed = seed
        self._rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
        self._index = 0
        self._digest = hashlib.sha256(str(seed).encode())

    def next_round(self) -> Round:
        """The next round: a fixed number of draws per action, whatever the world."""
        rng = self._rng
        fault = _pick(rng, FAULT_WEIGHTS)
        strength = rng.random()
        during = tuple(_action(rng) for _ in range(rng.randint(1, 6)))
        after = tuple(_action(rng) for _ in range(rng.randint(0, 3)))
        round_ = Round(self._index, fault, strength, during, after)
        self._index += 1
        self._digest.update(repr(round_).encode())
        return round_

    @property
    def digest(self) -> str:
        """A fingerprint of the rounds drawn so far: equal for equal seeds."""
        return self._digest.hexdigest()[:16]
