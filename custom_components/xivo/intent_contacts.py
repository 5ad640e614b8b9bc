"""Voice intents about colleagues and contacts: available?, their number, call them.

A name is looked up in the user's favorites first, then in the XiVO directory; how a
spoken name or number is matched is the library's (`xuc.matching`). At most
`MAX_SPOKEN` contacts are named; a call is placed only to one contact, or to a number.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Final

from homeassistant.helpers import intent

from .intent_base import (
    CONFIRM_NOTE,
    MAX_SPOKEN,
    READ_ONLY_NOTE,
    Effects,
    Slot,
    XivoIntentHandler,
)
from .xuc import XucError
from .xuc.matching import (
    best_contacts,
    clean_name,
    display_name,
    matching_favorites,
    normalize_number,
    number_from_speech,
)

if TYPE_CHECKING:
    from .answers import Request
    from .xuc import Contact

INTENT_COLLEAGUE_AVAILABLE: Final = "XivoColleagueAvailable"
INTENT_COLLEAGUE_NUMBER: Final = "XivoColleagueNumber"
INTENT_CALL: Final = "XivoCall"

NAME: Final = Slot(
    "name",
    required=True,
    description=(
        "The colleague's or contact's name, whole or in part (first name, last name "
        "or both); case and accents do not matter."
    ),
)
NUMBER: Final = Slot(
    "number",
    required=False,
    description=(
        "The phone number to dial: digits, optionally with a leading + and * or #."
    ),
)


async def _find_contacts(request: Request, query: str) -> list[Contact]:
    """Contacts a name means: the favorites that match, else a directory search."""
    if favorites := matching_favorites(request.snapshot.favorites.values(), query):
        return favorites
    try:
        result = await request.account.client.directory_lookup(query)
    except XucError as err:
        raise request.speaker.server_error(err) from err
    return best_contacts(result.contacts, query)


async def dial(request: Request, number: str) -> None:
    """Place a call from the account's phone; a server problem is said."""
    try:
        await request.account.client.dial(number)
    except XucError as err:
        raise request.speaker.server_error(err) from err


class _ContactQueryHandler(XivoIntentHandler):
    """An answer about the contacts a name means (at most three are spoken)."""

    slot_specs = (NAME,)
    effects = Effects.READ

    async def _async_answer(self, request: Request) -> None:
        speaker = request.speaker
        query = clean_name(request.slots[NAME.name])
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
                speaker.text("first_three") if len(contacts) > MAX_SPOKEN else "",
                *details[:MAX_SPOKEN],
            )
        )

    @abstractmethod
    def _describe(self, request: Request, contact: Contact) -> str:
        """What is said about one contact."""


class ColleagueAvailableIntentHandler(_ContactQueryHandler):
    """Say whether a contact's phone is free."""

    intent_type = INTENT_COLLEAGUE_AVAILABLE
    title = "Is a colleague available"
    description = (
        "Tells whether a colleague or contact is available on the phone (available, "
        "on the phone, ringing, not available...). The name is looked up in the "
        "user's XiVO favorites, then in the XiVO directory." + READ_ONLY_NOTE
    )

    def _describe(self, request: Request, contact: Contact) -> str:
        state = request.snapshot.contact_phone_state(contact)
        key = f"state_{state.value}" if state is not None else "state_unknown"
        return request.speaker.text(key, name=display_name(contact))


class ColleagueNumberIntentHandler(_ContactQueryHandler):
    """Say a contact's number and mobile."""

    intent_type = INTENT_COLLEAGUE_NUMBER
    title = "Get a colleague's number"
    description = (
        "Gives the phone number and the mobile number of a colleague or contact, "
        "looked up by name in the user's XiVO favorites, then in the XiVO directory. "
        "When several contacts match, the first three are given. This is the contact "
        "look-up whose numbers may be called without asking again; to call someone "
        "by name, the call tool looks the number up itself." + READ_ONLY_NOTE
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
    title = "Call a contact or number"
    effects = Effects.ACT
    description = (
        "Places a phone call from the user's XiVO phone, to a phone number or to a "
        "contact looked up by name in the user's XiVO favorites, then in the XiVO "
        "directory. Give either the name or the number. No call is placed when the "
        "name matches nobody or several contacts: the answer says so." + CONFIRM_NOTE
    )

    slot_specs = (NAME._replace(required=False), NUMBER)

    async def _async_answer(self, request: Request) -> None:
        slots = request.slots
        text = slots.get(NUMBER.name) or slots.get(NAME.name, "")
        # A name that is a number ("call 1002") is dialled as a number.
        number = number_from_speech(text)
        if not text:
            request.refuse("call_nothing")
        elif number is not None:
            await dial(request, number)
            request.response.async_set_speech(
                request.speaker.say("calling_number", number=number)
            )
        elif NUMBER.name in slots:
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
            spoken = [display_name(c) for c in contacts[:MAX_SPOKEN]]
            names = (
                speaker.text("and_others", names=", ".join(spoken))
                if len(contacts) > MAX_SPOKEN
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
        await dial(request, number)
        request.response.async_set_speech(
            speaker.say("calling_contact", name=name, number=number)
        )
