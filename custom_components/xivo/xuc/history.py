"""The user's call history (§15): the request, its replies and their entries.

`getUserCallHistory` and `getUserCallHistoryByDays` carry no request id, and the server
may answer either with `CallHistory`, `CallHistoryByDays` or `RichCallHistory` (§15.3:
the docs say `CallHistory`, the official clients know the other two types, no sample of
them exists). All three are read by the same parser, and the client waits for any of
them (see `HistoryCorrelator`).

An entry has no id (§15.2): `HistoryEntry.key` (its start and the other party's number)
is what tells two entries apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import logging
import math
import re
from typing import Any, Final, Literal

from .correlation import Correlator
from .exceptions import XucProtocolError
from .logonce import OnceLog
from .payload import wire_text

_LOGGER = logging.getLogger(__name__)
_LOG: Final = OnceLog(_LOGGER)

HISTORY_REPLY: Final = "CallHistory"
"""The reply type a history request waits for; the other two are read as this one."""

HISTORY_REPLY_TYPES: Final = frozenset(
    {"CallHistory", "CallHistoryByDays", "RichCallHistory"}
)
"""Every message type that carries a history (§15.3)."""

MAX_HISTORY_SIZE: Final = 100
"""The most entries asked for at once (the official client asks for 20)."""

MAX_HISTORY_DAYS: Final = 30
"""The most days asked for at once."""

# `YYYY-MM-DD HH:MM:SS` as documented; an ISO `T` and fractions of a second are taken
# too, and a zone (the protocol shows one sample only).
_START_RE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?"
)
# `HH:MM:SS` as documented (hours may pass 24: nothing says they wrap).
_DURATION_RE: Final = re.compile(r"(\d+):([0-5]\d):([0-5]\d)")

type Direction = Literal["outgoing", "incoming"]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One call of the history, seen from the user: who the other party was.

    `start` is naive: the server's local time, as the official client reads it (§15.2).
    `number` and `name` are the other party's, chosen as the official client does:
    the destination of an `emitted` call, the source of any other.
    """

    start: datetime
    duration_s: int
    status: str
    direction: Direction
    number: str
    name: str | None

    @property
    def key(self) -> str:
        """What identifies the entry (entries have no id): `<start ISO>_<number>`."""
        return f"{self.start.isoformat()}_{self.number}"


def history_request(*, size: int | None, days: int | None) -> dict[str, Any]:
    """The frame asking for the last `size` calls or the last `days` days.

    Exactly one of them; raises ValueError otherwise or when out of range (1 to
    `MAX_HISTORY_SIZE` calls, 1 to `MAX_HISTORY_DAYS` days). The protocol allows a
    `null` size (ten days); `days` says that more plainly.
    """
    if (size is None) == (days is None):
        raise ValueError("give either a number of calls or a number of days")
    if size is not None:
        _check_count("size", size, MAX_HISTORY_SIZE)
        return {"claz": "web", "command": "getUserCallHistory", "size": size}
    assert days is not None  # noqa: S101 - narrowed by the test above
    _check_count("days", days, MAX_HISTORY_DAYS)
    return {"claz": "web", "command": "getUserCallHistoryByDays", "days": days}


def _check_count(name: str, value: int, highest: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number")  # noqa: TRY004 - one error for every bad value
    if not 1 <= value <= highest:
        raise ValueError(f"{name} must be between 1 and {highest}")


def parse_history(payload: Any) -> tuple[HistoryEntry, ...]:
    """The entries of a history reply, in the order the server sent them.

    The payload is an array (§15.2); `{"list": [...]}` and `{"response": {"list":
    [...]}}` (the shape of the customer history, §15.3) are taken too, since no sample
    of the newer reply types exists. Anything else raises `XucProtocolError`. An entry
    without a readable `start` or `duration` is skipped (a bad entry must not hide the
    others): one log line per reply, a warning the first time only.
    """
    items = _entries_of(payload)
    entries: list[HistoryEntry] = []
    skipped = 0
    for item in items:
        entry = _entry(item)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if skipped:
        _LOG.warning(
            "skipped",
            "Skipped %d of %d call history entries without a readable start or duration",
            skipped,
            len(items),
        )
    return tuple(entries)


def _entries_of(payload: Any) -> list[Any]:
    if isinstance(payload, dict):
        if isinstance(payload.get("response"), dict):
            payload = payload["response"]
        payload = payload.get("list")
    if not isinstance(payload, list):
        raise XucProtocolError("the call history is not an array")
    return payload


def _entry(item: Any) -> HistoryEntry | None:
    if not isinstance(item, dict):
        return None
    start = parse_start(item.get("start"))
    duration = parse_duration(item.get("duration"))
    if start is None or duration is None:
        return None
    status = (wire_text(item.get("status")) or "").strip().lower() or "unknown"
    side = "dst" if status == "emitted" else "src"
    names = (wire_text(item.get(f"{side}{part}")) for part in ("FirstName", "LastName"))
    name = " ".join(part.strip() for part in names if part and part.strip())
    return HistoryEntry(
        start=start,
        duration_s=duration,
        status=status,
        direction="outgoing" if status == "emitted" else "incoming",
        number=(wire_text(item.get(f"{side}Num")) or "").strip(),
        name=name or None,
    )


def parse_start(value: Any) -> datetime | None:
    """A history `start` as a naive datetime, or None when it is not one.

    A time zone, which the protocol never shows, is dropped: the wall-clock time is
    kept, as for every other entry.
    """
    if not isinstance(value, str) or not _START_RE.fullmatch(value.strip()):
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:  # 2022-13-45 and the like
        return None


def parse_duration(value: Any) -> int | None:
    """A history `duration` in whole seconds (`HH:MM:SS` or a number), or None.

    A number of seconds (also as text) is taken too: newer reply types are unknown.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return round(value) if math.isfinite(value) and value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _DURATION_RE.fullmatch(text):
        hours, minutes, seconds = (int(part) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    if text.isdigit():
        return int(text)
    return None


class HistoryCorrelator(Correlator):
    """A correlator for which every history reply type answers a `CallHistory` wait.

    The correlator waits for one reply type per request; a history request may be
    answered by any of three (§15.3), so they are folded into one before matching.
    A late history reply of any type then also counts as the owed one.
    """

    __slots__ = ()

    def resolve(self, msg_type: str, payload: Any) -> None:
        """Hand a reply to its request, any history type as `CallHistory`."""
        if msg_type in HISTORY_REPLY_TYPES:
            msg_type = HISTORY_REPLY
        super().resolve(msg_type, payload)
