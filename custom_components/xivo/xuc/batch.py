"""The frequent pushes of one read burst, applied to mutable copies, published once.

Rebuilding the immutable snapshot costs more than everything else a frame takes (the
profile in BENCHMARKS.md), and a busy server sends its pushes in bursts: one socket
read often brings dozens of frames. The three pushes that make up nearly all the
traffic (`PhoneHintStatusEvent`, `UserConfigUpdate`, `UserStatusUpdate`) are therefore
applied here, to a working copy of the one field each of them touches, and the session
publishes one snapshot for a run of them: when another message type comes (so replies,
call events and the greeting always see every earlier frame applied) and before the
reader waits for the socket. Every push thus still reaches the listeners in the loop
turn it was read in; only snapshots nobody could have seen in between are skipped.

The result is the snapshot the reducer would give frame by frame: each of the three
types reads and writes only its own field (`phone_hints`, `user`, `status_name`), so
applying them to separate working copies commutes. The checks are the reducer's
(`reducer.py`, `presence.py`); `tests/xuc/test_frame_path.py` feeds random streams to
both and compares.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .agent_reducer import agent_changes
from .hints import read_phone_hint
from .models import UserConfig
from .payload import require_dict
from .presence import status_name_of
from .user_config import user_config_changes

if TYPE_CHECKING:
    from collections.abc import Callable

    from .models import XucSnapshot

BATCHED_TYPES: Final = frozenset(
    {"PhoneHintStatusEvent", "UserConfigUpdate", "UserStatusUpdate"}
)


class PushBatch:
    """Working copies of the fields the batched pushes change, since the last snapshot.

    `None` means "unchanged since the base snapshot": a copy is taken at the first
    change, so a burst copies each mapping once instead of once per frame.
    """

    __slots__ = ("_fields", "_hints", "_status_name", "appliers")

    def __init__(self) -> None:
        """Nothing pending."""
        self._hints: dict[str, int] | None = None
        self._fields: dict[str, Any] | None = None
        self._status_name: str | None = None
        # msgType -> how to apply it over a base snapshot (`XucProtocolError` if
        # unreadable); one look-up tells the session whether a type is batched.
        self.appliers: dict[str, Callable[[XucSnapshot, Any], None]] = {
            "PhoneHintStatusEvent": self._phone_hint,
            "UserConfigUpdate": self._user_config,
            "UserStatusUpdate": self._user_status,
        }

    @property
    def pending(self) -> bool:
        """Whether some frame changed the state since the last `publish`."""
        return (
            self._hints is not None
            or self._fields is not None
            or self._status_name is not None
        )

    def apply(self, base: XucSnapshot, msg_type: str, payload: Any) -> None:
        """Apply one push of `BATCHED_TYPES` over `base`; `XucProtocolError` if unreadable.

        A push that cannot be read changes nothing, as with the reducer.
        """
        self.appliers[msg_type](base, payload)

    def _phone_hint(self, base: XucSnapshot, payload: Any) -> None:
        number, code = read_phone_hint(payload)
        hints = self._hints
        if hints is None:
            if base.phone_hints.get(number) == code:
                return
            hints = self._hints = dict(base.phone_hints)
        hints[number] = code

    def _user_config(self, base: XucSnapshot, payload: Any) -> None:
        """Merge the fields that change what is known (the reducer's rule, G1)."""
        data = require_dict(payload, "UserConfigUpdate")
        current = base.user.fields if self._fields is None else self._fields
        changes = user_config_changes(current, data)
        if not changes:
            return
        if self._fields is None:
            self._fields = dict(current)
        self._fields.update(changes)

    def _user_status(self, base: XucSnapshot, payload: Any) -> None:
        """The current presence; a null or empty status is ignored (G9)."""
        name = status_name_of(payload)
        if not name:
            return
        current = base.status_name if self._status_name is None else self._status_name
        if name != current:
            self._status_name = name

    def publish(self, base: XucSnapshot) -> XucSnapshot:
        """`base` with the pending changes, as one new snapshot; nothing is pending after.

        A run that ends where it started (a hint back to its code) still gives a new
        snapshot: telling listeners once too often is harmless, comparing costs more.
        """
        changes: dict[str, Any] = {}
        if self._hints is not None:
            changes["phone_hints"] = MappingProxyType(self._hints)
        if self._fields is not None:
            user = UserConfig(fields=MappingProxyType(self._fields))
            changes["user"] = user
            changes.update(agent_changes(base, user))
        if self._status_name is not None:
            changes["status_name"] = self._status_name
        self._hints = self._fields = self._status_name = None
        return base.evolve(**changes)
