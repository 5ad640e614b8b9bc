"""Call control shared by the buttons and the actions: which call a command is for.

`answer` takes the ringing call, `hangup` and `hold` the most recent call that is up.
A call named by its id (the `call_id` of the call event) must be one in progress. The
call's `uniqueId` is sent only when it is needed to tell calls apart (an action naming
one, or several calls at once): older servers take these commands without it (§14.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .xuc.call_state import current_call, find_call, ringing_call

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from .xuc import Call, XucClient, XucSnapshot


@dataclass(frozen=True, kw_only=True, slots=True)
class CallCommand:
    """A command for one call: how to pick the call, what to say when there is none."""

    key: str
    pick: Callable[[Mapping[str, Call]], Call | None]
    no_call: str  # the `exceptions` translation key when no call applies
    send: Callable[[XucClient, str | None], Awaitable[None]]


ANSWER: Final = CallCommand(
    key="answer",
    pick=ringing_call,
    no_call="no_ringing_call",
    send=lambda client, unique_id: client.answer(unique_id),
)
HANGUP: Final = CallCommand(
    key="hangup",
    pick=current_call,
    no_call="no_call_to_hang_up",
    send=lambda client, unique_id: client.hangup(unique_id),
)
HOLD: Final = CallCommand(
    key="hold",
    pick=current_call,
    no_call="no_call_to_hold",
    send=lambda client, unique_id: client.hold(unique_id),
)
CALL_COMMANDS: Final = (ANSWER, HANGUP, HOLD)


async def run_call_command(
    command: CallCommand,
    client: XucClient,
    snapshot: XucSnapshot,
    call_id: str | None = None,
) -> None:
    """Send `command` for the call it applies to, or say why there is none."""
    calls = snapshot.calls
    if call_id is not None:
        call = find_call(calls, call_id)
        if call is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_call",
                translation_placeholders={"call_id": call_id},
            )
        await command.send(client, call.unique_id)
        return
    call = command.pick(calls)
    if call is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key=command.no_call
        )
    await command.send(client, call.unique_id if len(calls) > 1 else None)
