"""What every XiVO intent handler shares: its slots, its effects, the account, the answer.

A handler validates its slots, finds the speaker's account (`answers.async_request`),
then fills the response in. What the user can fix (an unknown status, a name that
matches nobody, no call to hang up) is an error response whose speech says what went
wrong, never an exception; a server problem (link down, timeout, refusal) raises
`intent.IntentHandleError` with the `exceptions` text of that error.

Each handler also says what it does to the world (`effects`), which LLM assistants are
told twice: in the tool's annotations where Home Assistant has them (2026+), and in the
description, which every version shows (`llm.py`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Final, NamedTuple

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import intent
import voluptuous as vol

from .answers import async_request

if TYPE_CHECKING:
    from collections.abc import Callable

    from .answers import Request

# How many items (contacts, callers) an answer names at most.
MAX_SPOKEN: Final = 3


class Slot(NamedTuple):
    """A slot an intent takes, described for LLM assistants.

    A text slot is a non-blank string; `validator` replaces that (a number of minutes).
    """

    name: str
    required: bool
    description: str
    validator: Callable[[Any], Any] | None = None


class Effects(Enum):
    """What an intent does to the world, as LLM tool annotations say it."""

    READ = "read"  # reads the account: changes nothing, anywhere
    SET = "set"  # sets a state on the server: doing it twice is doing it once
    ACT = "act"  # acts on the phone system (a call, a login): each time anew

    @property
    def annotations(self) -> dict[str, bool]:
        """The `llm.ToolAnnotations` fields of these effects."""
        return {
            "read_only": self is Effects.READ,
            "destructive": False,
            "idempotent": self is not Effects.ACT,
            # Every intent talks to the XiVO server, outside Home Assistant.
            "open_world": True,
        }


# What every description ends with, by effects (2025.x tools have no annotations).
READ_ONLY_NOTE: Final = " Read-only: it changes nothing."
CONFIRM_NOTE: Final = (
    " Not idempotent, and it reaches the outside world: each use acts anew. Confirm "
    "the phone number with the user first, unless it came from a contact look-up."
)


class XivoIntentHandler(intent.IntentHandler, ABC):
    """Common ground of the XiVO intents: validated slots, the account, the response."""

    # The slots; LLM assistants see them as the tool's parameters.
    slot_specs: ClassVar[tuple[Slot, ...]] = ()
    # The title of the LLM tool.
    title: ClassVar[str]
    effects: ClassVar[Effects]

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """Each slot, required or not, validated and described."""
        return {
            (vol.Required if slot.required else vol.Optional)(
                slot.name, description=slot.description
            ): slot.validator or intent.non_empty_string
            for slot in self.slot_specs
        }

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Validate the slots, find the speaker's account, then answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        values = {
            key: str(slot["value"]).strip()
            for key, slot in slots.items()
            if isinstance(slot, dict) and slot.get("value") is not None
        }
        request = await async_request(intent_obj, values)
        if isinstance(request, intent.IntentResponse):
            return request  # which account? nothing done
        try:
            await self._async_answer(request)
        except ServiceValidationError as err:
            # A translated refusal of a command shared with the actions (no call to
            # hang up): said with the same `exceptions` text.
            if err.translation_key is None:
                raise
            request.refuse_with(
                err.translation_key, **(err.translation_placeholders or {})
            )
        return request.response

    @abstractmethod
    async def _async_answer(self, request: Request) -> None:
        """Fill the response in for the account, from the validated slot values."""
