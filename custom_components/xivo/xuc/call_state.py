"""Which call a user means: the ringing one, the current one, one by its id.

The snapshot keeps the calls in progress by their key, in the order they began. A
"busy light" needs to know whether any call is up or ringing; a button or a voice
command needs the one call it applies to: `answer` takes the ringing call, `hangup` and
`hold` the most recent call that is up (established or on hold).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .models import Call

# A call is "up" while it is established or on hold: the user is on the phone.
UP_STATES: Final = frozenset({"established", "on_hold"})


def is_ringing_in(call: Call) -> bool:
    """An incoming call that rings (a dialled call's ringback is not "ringing")."""
    return call.state == "ringing" and call.direction != "Outgoing"


def ringing_call(calls: Mapping[str, Call]) -> Call | None:
    """The most recent incoming call that rings, if any."""
    return next(
        (call for call in reversed(tuple(calls.values())) if is_ringing_in(call)), None
    )


def current_call(calls: Mapping[str, Call]) -> Call | None:
    """The most recent call that is up (established or on hold), if any."""
    return next(
        (call for call in reversed(tuple(calls.values())) if call.state in UP_STATES),
        None,
    )


def find_call(calls: Mapping[str, Call], call_id: str) -> Call | None:
    """The call with this id: its latest unique id, or its linked id."""
    return next(
        (
            call
            for call in calls.values()
            if call_id in (call.unique_id, call.linked_id)
        ),
        None,
    )
