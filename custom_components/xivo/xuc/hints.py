"""Which numbers' phone state the client follows (`subscribeToPhoneHints`).

xuc has no "unsubscribe one number" and no source says whether a second
`subscribeToPhoneHints` adds to the first or replaces it (protocol reference, G12). So
every subscription carries the whole set followed: all favorites' numbers, the user's
own line and configured number, and any number a caller asked for. That is right under
either reading; it is sent again only when the set changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .exceptions import XucProtocolError
from .payload import require_dict, wire_text
from .scalars import parse_code

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .models import XucSnapshot


class FollowedNumbers:
    """The set of numbers to follow, and the set this session was last sent."""

    __slots__ = ("_extra", "_sent")

    def __init__(self) -> None:
        """Nothing followed, nothing sent."""
        self._extra: set[str] = set()
        self._sent: frozenset[str] = frozenset()

    def add(self, numbers: Iterable[str]) -> None:
        """Follow these numbers too, in this session and the next ones."""
        self._extra.update(number for number in numbers if number)

    def wanted(self, snapshot: XucSnapshot) -> frozenset[str]:
        """Every number to follow for this snapshot."""
        numbers = {contact.number for contact in snapshot.favorites.values()}
        numbers.update(self._extra)
        numbers.add(snapshot.line_number or "")
        numbers.add(snapshot.phone_number or "")
        numbers.discard("")
        return frozenset(numbers)

    def take(self, snapshot: XucSnapshot) -> frozenset[str] | None:
        """The set to send now, taken as sent; None when nothing changed (or empty)."""
        wanted = self.wanted(snapshot)
        if not wanted or wanted == self._sent:
            return None
        self._sent = wanted
        return wanted

    def unsent(self, numbers: frozenset[str]) -> None:
        """Sending `numbers` failed: they are not followed on this session."""
        if self._sent == numbers:
            self._sent = frozenset()

    def new_session(self) -> None:
        """A new socket follows nothing until it is sent the set."""
        self._sent = frozenset()


def read_phone_hint(payload: Any) -> tuple[str, int]:
    """A `PhoneHintStatusEvent`'s number and state code; `XucProtocolError` if unreadable.

    The reducer and the batch of frequent pushes both read it so.
    """
    data = require_dict(payload, "PhoneHintStatusEvent")
    number = wire_text(data.get("number"))
    code = parse_code(data.get("status"))
    if number is None or code is None:
        raise XucProtocolError(
            "PhoneHintStatusEvent lacks a number or a numeric status"
        )
    return number, code
