"""What the benchmarks share: data sets, frame streams, raw bursts and statistics.

Frames are pushed to the client by writing ready-made WebSocket frames straight onto the
transport of a simulator session (`write_raw`), so that the sender costs next to nothing
and the same bytes reach the client under test and the bare reader. The simulator itself
is not modified: `IndexedSimData` only speeds up its favorite look-up for large data sets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import json
import math
import random
import statistics
from typing import TYPE_CHECKING, Any, Final

from tests.simulator import (
    ALICE_PASSWORD,
    SimContact,
    SimData,
    SimUser,
    XucSimulator,
    seed_statuses,
)
from tests.simulator.server import CONFIG_KEYS

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import aiohttp

    from tests.simulator import SimSession

CTI_PATH: Final = "/xuc/api/2.0/cti"
LOGIN: Final = "alice"
PASSWORD: Final = ALICE_PASSWORD
LINE_NUMBER: Final = "1000"


# Codes a phone hint takes in real life (Cti.PhoneStatus): idle, calling, busy, not
# available, ringing, busy and ringing, on hold.
HINT_CODES: Final = (0, 1, 2, 4, 8, 9, 16)

_FIRST_NAMES: Final = (
    "Alice",
    "Bruno",
    "Chloé",
    "David",
    "Émilie",
    "François",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Julien",
)
_LAST_NAMES: Final = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Lefèvre",
    "Moreau",
)


@dataclass
class IndexedSimData(SimData):
    """Simulator data whose favorite look-up is a dict instead of a directory scan.

    `SimData.contact` scans the whole directory, which makes the simulator's `Favorites`
    reply quadratic in the number of favorites: for 1,000 favorites that would be time of
    the simulator, not of the integration, inside the measured set-up.
    """

    _index: dict[tuple[str, str], SimContact] = field(
        default_factory=dict, repr=False, compare=False
    )

    def contact(self, contact_id: str, source: str) -> SimContact | None:
        """Find a directory entry by its favorite key (indexed)."""
        if len(self._index) != len(self.directory):
            self._index = {(c.contact_id, c.source): c for c in self.directory}
        return self._index.get((contact_id, source))


class HintHoldingSimulator(XucSimulator):
    """A simulator that answers phone-hint subscriptions for favorites only on demand.

    With `hold_hints` set, a `subscribeToPhoneHints` naming any number other than the
    user's line waits for `release_hints()` (the line's own subscription, which the client
    may send before asking for the favorites, is answered at once). This makes set-up
    deterministic: Home Assistant first creates every entity, then the hints arrive, as
    they do from a server slower to answer than Home Assistant is to add the entities.
    """

    def __init__(self, data: SimData, *, hold_hints: bool = False) -> None:
        """Prepare the simulator; with `hold_hints`, favorites' hints wait."""
        super().__init__(data)
        self._released = asyncio.Event()
        if not hold_hints:
            self._released.set()

    def release_hints(self) -> None:
        """Answer the held subscriptions (and any later one) now."""
        self._released.set()

    async def _dispatch(self, session: SimSession, frame: dict[str, Any]) -> None:
        if frame.get("command") == "subscribeToPhoneHints" and set(
            frame.get("phoneNumbers") or ()
        ) - {LINE_NUMBER}:
            await self._released.wait()
        await super()._dispatch(session, frame)


def favorite_number(index: int) -> str:
    """The phone number of the `index`-th generated contact."""
    return f"2{index:05d}"


def scale_data(favorites: int) -> IndexedSimData:
    """Alice (line 1000) with `favorites` directory contacts as favorites, all idle."""
    directory = [
        SimContact(
            contact_id=str(100 + index),
            source="internal",
            first_name=_FIRST_NAMES[index % len(_FIRST_NAMES)],
            last_name=f"{_LAST_NAMES[index // len(_FIRST_NAMES) % len(_LAST_NAMES)]}"
            f" {index}",
            number=favorite_number(index),
            mobile=f"06{index:08d}",
        )
        for index in range(favorites)
    ]
    alice = SimUser(
        login=LOGIN,
        password=PASSWORD,
        full_name="Alice Johnson",
        user_id=1,
        line_number=LINE_NUMBER,
        mobile_number="0612345678",
        voicemail_id=1,
        favorites=[(contact.contact_id, contact.source) for contact in directory],
    )
    phone_states = {contact.number: 0 for contact in directory}
    phone_states[LINE_NUMBER] = 0
    return IndexedSimData(users=[alice], directory=directory, phone_states=phone_states)


def envelope(msg_type: str, payload: Any) -> str:
    """A server frame as xuc sends it."""
    return json.dumps(
        {"msgType": msg_type, "ctiMessage": payload},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def ws_text_frame(text: str) -> bytes:
    """One unmasked WebSocket text frame (server to client), FIN set."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 1 << 16:
        header = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return header + payload


def encode_frames(texts: Iterable[str]) -> bytes:
    """Ready-to-write bytes of several text frames."""
    return b"".join(ws_text_frame(text) for text in texts)


def raw_writer(session: SimSession) -> Any:
    """The asyncio transport under a simulator session's WebSocket (aiohttp internals).

    Nothing else writes on the session while a burst goes out, and aiohttp writes each
    frame with one synchronous `transport.write`, so frames never interleave.
    """
    writer = getattr(session.ws, "_writer", None)
    transport = getattr(writer, "transport", None)
    if transport is None or transport.is_closing():
        raise RuntimeError(f"{session!r} has no open transport")
    return transport


def write_raw(session: SimSession, data: bytes) -> None:
    """Put ready-made frames on a simulator session's socket in one write."""
    raw_writer(session).write(data)


def session_of(simulator: XucSimulator, before: Sequence[SimSession]) -> SimSession:
    """The one session opened since `before` was taken."""
    new = [session for session in simulator.sessions if session not in before]
    if len(new) != 1:
        raise RuntimeError(f"expected one new simulator session, found {new!r}")
    return new[0]


async def drain_greeting(ws: aiohttp.ClientWebSocketResponse) -> None:
    """Read the frames the simulator sends on connect (it ends with the voicemail)."""
    while True:
        msg = await ws.receive()
        if '"VoiceMailStatusUpdate"' in msg.data:
            return


class FrameMix:
    """A realistic stream of pushes for one user.

    70 % phone hints, 15 % partial `UserConfigUpdate`, 15 % `UserStatusUpdate`. It
    remembers what it sent, so every frame changes the client's snapshot (a hint
    takes a new code, a config update flips DND or a forward, a status differs from the
    current one) and each batch ends with a status nobody else uses, its end marker.
    """

    def __init__(self, numbers: Sequence[str], seed: int = 1) -> None:
        """Start from the simulator's initial state: all idle, available, no DND."""
        self._rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self._numbers = list(numbers)
        self._codes = dict.fromkeys(self._numbers, 0)
        self._statuses = [status.name for status in seed_statuses()]
        self._status = "available"
        self._dnd = False
        self._forward = False
        self._batches = 0

    def _hint(self) -> str:
        number = self._rng.choice(self._numbers)
        code = self._rng.choice([c for c in HINT_CODES if c != self._codes[number]])
        self._codes[number] = code
        return envelope("PhoneHintStatusEvent", {"number": number, "status": code})

    def _config(self) -> str:
        payload: dict[str, Any] = dict.fromkeys(CONFIG_KEYS)
        payload["userId"] = 1
        if self._rng.random() < 0.5:
            self._dnd = not self._dnd
            payload["dndEnabled"] = self._dnd
        else:
            self._forward = not self._forward
            payload["uncFwdEnabled"] = self._forward
            payload["uncFwdDestination"] = "0611223344" if self._forward else ""
        return envelope("UserConfigUpdate", payload)

    def _status_frame(self, name: str | None = None) -> str:
        if name is None:
            name = self._rng.choice([s for s in self._statuses if s != self._status])
        self._status = name
        return envelope("UserStatusUpdate", {"status": name})

    def batch(self, count: int) -> tuple[list[str], str]:
        """`count` frames of the mix plus the end marker; returns them and its status."""
        hints = round(count * 0.70)
        configs = round(count * 0.15)
        kinds = ["hint"] * hints + ["config"] * configs
        kinds += ["status"] * (count - len(kinds))
        self._rng.shuffle(kinds)
        build = {
            "hint": self._hint,
            "config": self._config,
            "status": self._status_frame,
        }
        frames = [build[kind]() for kind in kinds]
        self._batches += 1
        marker = f"bench-end-{self._batches}"
        frames.append(self._status_frame(marker))
        return frames, marker


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` in 0..1) of a non-empty sample."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary_ms(samples: Sequence[float]) -> dict[str, float | int]:
    """p50, p90, p99, max and mean of durations in seconds, given in milliseconds."""
    return {
        "n": len(samples),
        "p50_ms": percentile(samples, 0.50) * 1e3,
        "p90_ms": percentile(samples, 0.90) * 1e3,
        "p99_ms": percentile(samples, 0.99) * 1e3,
        "max_ms": max(samples) * 1e3,
        "mean_ms": statistics.fmean(samples) * 1e3,
    }
