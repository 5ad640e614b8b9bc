"""Voice intents for Assist and LLM assistants: presence, colleagues, numbers and calls.

This module is the integration's `intent` platform: Home Assistant's `intent`
integration awaits `async_setup_intents` when it finds it, and the integration calls
it again for each entry it sets up (idempotent) and `async_remove_intents` when its
last entry unloads. The same handlers are the LLM tools of `llm.py`.

Here are the handlers and their registration only: how a spoken name, status or number
is matched is the library's (`xuc.matching`), what is said and for which account is
`answers.py`'s. A server problem (link down, timeout, refusal) raises
`intent.IntentHandleError`. What the user can fix (an unknown status, a name that
matches nobody, an ambiguous call) is an error response whose speech says what went
wrong, never an exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Final, NamedTuple

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
import voluptuous as vol

from .answers import async_request
from .xuc import XucError
from .xuc.matching import (
    best_contacts,
    clean_name,
    display_name,
    find_status,
    matching_favorites,
    normalize_number,
    number_from_speech,
    status_labels,
)

if TYPE_CHECKING:
    from .answers import Request
    from .xuc import Contact


class _Slot(NamedTuple):
    """A slot an intent takes: a non-blank string, described for LLM assistants."""

    name: str
    required: bool
    description: str


INTENT_SET_PRESENCE: Final = "XivoSetPresence"
INTENT_GET_PRESENCE: Final = "XivoGetPresence"
INTENT_COLLEAGUE_AVAILABLE: Final = "XivoColleagueAvailable"
INTENT_COLLEAGUE_NUMBER: Final = "XivoColleagueNumber"
INTENT_CALL: Final = "XivoCall"

_STATUS: Final = _Slot(
    "status",
    required=True,
    description=(
        "The status to take, as its label or name on the XiVO server, e.g. 'out to "
        "lunch' or 'Parti Manger'; case and accents do not matter."
    ),
)
_NAME: Final = _Slot(
    "name",
    required=True,
    description=(
        "The colleague's or contact's name, whole or in part (first name, last name "
        "or both); case and accents do not matter."
    ),
)
_NUMBER: Final = _Slot(
    "number",
    required=False,
    description=(
        "The phone number to dial: digits, optionally with a leading + and * or #."
    ),
)

# How many contacts an answer names when a name matches several.
MAX_SPOKEN_CONTACTS: Final = 3


async def _find_contacts(request: Request, query: str) -> list[Contact]:
    """Contacts a name means: the favorites that match, else a directory search."""
    if favorites := matching_favorites(request.snapshot.favorites.values(), query):
        return favorites
    try:
        result = await request.account.client.directory_lookup(query)
    except XucError as err:
        raise request.speaker.server_error(err) from err
    return best_contacts(result.contacts, query)


class XivoIntentHandler(intent.IntentHandler, ABC):
    """Common ground of the XiVO intents: validated slots, the account, the response."""

    # The slots; LLM assistants see them as the tool's parameters.
    slot_specs: ClassVar[tuple[_Slot, ...]] = ()

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """Each slot, required or not, as a non-blank string with its description."""
        return {
            (vol.Required if slot.required else vol.Optional)(
                slot.name, description=slot.description
            ): intent.non_empty_string
            for slot in self.slot_specs
        }

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Validate the slots, find the account, then answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        values = {
            key: str(slot["value"]).strip()
            for key, slot in slots.items()
            if isinstance(slot, dict) and slot.get("value") is not None
        }
        request = await async_request(intent_obj, values)
        await self._async_answer(request)
        return request.response

    @abstractmethod
    async def _async_answer(self, request: Request) -> None:
        """Fill the response in for the account, from the validated slot values."""


class SetPresenceIntentHandler(XivoIntentHandler):
    """Take one of the statuses the server lists."""

    intent_type = INTENT_SET_PRESENCE
    description = (
        "Sets the user's presence status on the XiVO phone system, for example "
        "available, away, out to lunch or do not disturb. The status must be one the "
        "XiVO server lists (its label or its name); for an unknown one the answer "
        "lists the valid statuses."
    )

    slot_specs = (_STATUS,)

    async def _async_answer(self, request: Request) -> None:
        speaker = request.speaker
        statuses = request.snapshot.statuses
        query = request.slots[_STATUS.name]
        status = find_status(statuses, query)
        if status is None and not statuses:
            request.refuse("status_none")
        elif status is None:
            choices = speaker.listing(status_labels(statuses), "or")
            request.refuse("status_not_found", query=query, choices=choices)
        else:
            try:
                await request.account.client.change_status(status.name)
            except XucError as err:
                raise speaker.server_error(err) from err
            request.response.async_set_speech(
                speaker.say("status_set", status=status.label)
            )


class GetPresenceIntentHandler(XivoIntentHandler):
    """Say the current status."""

    intent_type = INTENT_GET_PRESENCE
    description = "Tells the user's current presence status on the XiVO phone system."

    async def _async_answer(self, request: Request) -> None:
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        snapshot = request.snapshot
        status = snapshot.status
        label = status.label if status else snapshot.status_name
        request.response.async_set_speech(
            request.speaker.say("status_current", status=label)
            if label
            else request.speaker.say("status_unknown")
        )


class _ContactQueryHandler(XivoIntentHandler):
    """An answer about the contacts a name means (at most three are spoken)."""

    slot_specs = (_NAME,)

    async def _async_answer(self, request: Request) -> None:
        speaker = request.speaker
        query = clean_name(request.slots[_NAME.name])
        contacts = await _find_contacts(request, query)
        if not contacts:
            request.refuse("contact_not_found", query=query)
            return
        request.response.response_type = intent.IntentResponseType.QUERY_ANSWER
        details = [self._describe(request, contact) for contact in contacts]
        if len(contacts) == 1:
            request.response.async_set_speech(speaker.join(details[0]))
            return
        request.response.async_set_speech(
            speaker.join(
                speaker.text("contacts_found", count=len(contacts), query=query),
                speaker.text("first_three")
                if len(contacts) > MAX_SPOKEN_CONTACTS
                else "",
                *details[:MAX_SPOKEN_CONTACTS],
            )
        )

    @abstractmethod
    def _describe(self, request: Request, contact: Contact) -> str:
        """What is said about one contact."""


class ColleagueAvailableIntentHandler(_ContactQueryHandler):
    """Say whether a contact's phone is free."""

    intent_type = INTENT_COLLEAGUE_AVAILABLE
    description = (
        "Tells whether a colleague or contact is available on the phone (available, "
        "on the phone, ringing, not available...). The name is looked up in the "
        "user's XiVO favorites, then in the XiVO directory."
    )

    def _describe(self, request: Request, contact: Contact) -> str:
        state = request.snapshot.contact_phone_state(contact)
        key = f"state_{state.value}" if state is not None else "state_unknown"
        return request.speaker.text(key, name=display_name(contact))


class ColleagueNumberIntentHandler(_ContactQueryHandler):
    """Say a contact's number and mobile."""

    intent_type = INTENT_COLLEAGUE_NUMBER
    description = (
        "Gives the phone number and the mobile number of a colleague or contact, "
        "looked up by name in the user's XiVO favorites, then in the XiVO directory. "
        "When several contacts match, the first three are given. To call someone, "
        "use the call tool: it looks the number up itself."
    )

    def _describe(self, request: Request, contact: Contact) -> str:
        speaker = request.speaker
        name = display_name(contact)
        numbers = []
        if contact.number:
            numbers.append(speaker.text("contact_number", number=contact.number))
        if contact.mobile:
            numbers.append(speaker.text("contact_mobile", mobile=contact.mobile))
        if not numbers:
            return speaker.text("contact_no_number", name=name)
        return speaker.text("contact_numbers", name=name, numbers=", ".join(numbers))


class CallIntentHandler(XivoIntentHandler):
    """Place a call to a contact named, or to a number."""

    intent_type = INTENT_CALL
    description = (
        "Places a phone call from the user's XiVO phone, to a phone number or to a "
        "contact looked up by name in the user's XiVO favorites, then in the XiVO "
        "directory. Give either the name or the number. No call is placed when the "
        "name matches nobody or several contacts: the answer says so."
    )

    slot_specs = (_NAME._replace(required=False), _NUMBER)

    async def _async_answer(self, request: Request) -> None:
        slots = request.slots
        text = slots.get(_NUMBER.name) or slots.get(_NAME.name, "")
        # A name that is a number ("call 1002") is dialled as a number.
        number = number_from_speech(text)
        if not text:
            request.refuse("call_nothing")
        elif number is not None:
            await self._dial(request, number)
            request.response.async_set_speech(
                request.speaker.say("calling_number", number=number)
            )
        elif _NUMBER.name in slots:
            request.refuse("call_bad_number", number=text)
        else:
            await self._call_contact(request, clean_name(text))

    async def _call_contact(self, request: Request, query: str) -> None:
        """Call the one contact a name means, or say why not."""
        speaker = request.speaker
        contacts = await _find_contacts(request, query)
        if not contacts:
            request.refuse("call_not_found", query=query)
            return
        if len(contacts) > 1:
            spoken = [display_name(c) for c in contacts[:MAX_SPOKEN_CONTACTS]]
            names = (
                speaker.text("and_others", names=", ".join(spoken))
                if len(contacts) > MAX_SPOKEN_CONTACTS
                else speaker.listing(spoken)
            )
            request.refuse(
                "call_ambiguous", query=query, count=len(contacts), names=names
            )
            return
        contact = contacts[0]
        name = display_name(contact)
        number = normalize_number(contact.number) or normalize_number(contact.mobile)
        if number is None:
            request.refuse("call_no_number", name=name)
            return
        await self._dial(request, number)
        request.response.async_set_speech(
            speaker.say("calling_contact", name=name, number=number)
        )

    @staticmethod
    async def _dial(request: Request, number: str) -> None:
        try:
            await request.account.client.dial(number)
        except XucError as err:
            raise request.speaker.server_error(err) from err


_HANDLERS: Final[tuple[type[XivoIntentHandler], ...]] = (
    SetPresenceIntentHandler,
    GetPresenceIntentHandler,
    ColleagueAvailableIntentHandler,
    ColleagueNumberIntentHandler,
    CallIntentHandler,
)
INTENT_TYPES: Final[tuple[str, ...]] = tuple(
    handler.intent_type for handler in _HANDLERS
)


@callback
def registered_handlers(hass: HomeAssistant) -> list[XivoIntentHandler]:
    """The XiVO intent handlers registered now, in registration order."""
    return [
        handler
        for handler in intent.async_get(hass)
        if isinstance(handler, XivoIntentHandler)
    ]


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the XiVO intent handlers; registering them again changes nothing.

    This is also the `intent` platform's hook: Home Assistant's `intent` integration
    awaits it once the integration is loaded, whether an entry is loaded or not.
    """
    registered = {handler.intent_type for handler in registered_handlers(hass)}
    for handler_class in _HANDLERS:
        if handler_class.intent_type not in registered:
            intent.async_register(hass, handler_class())


@callback
def async_remove_intents(hass: HomeAssistant) -> None:
    """Unregister the XiVO intent handlers (when the last entry unloads)."""
    for intent_type in INTENT_TYPES:
        intent.async_remove(hass, intent_type)
