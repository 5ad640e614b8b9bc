"""Intents for Assist and LLM assistants: presence, colleagues, numbers and calls.

The handlers speak English or French, from the intent's language (English otherwise).
Matching folds accents, case, spaces and punctuation (`xuc.directory.fold`), so "parti
manger" finds the status "Parti Manger" and "emilie" the favorite "Émilie Lefèvre".

They act for one XiVO account: Home Assistant users are not linked to XiVO accounts, so
the voice satellite's user (`intent_obj.context.user_id`) cannot pick one; the first
loaded entry is used, and its title is said when more than one entry is loaded.

This module is the integration's `intent` platform: Home Assistant's `intent`
integration awaits `async_setup_intents` when it finds it, and the integration calls
it again for each entry it sets up (idempotent) and `async_remove_intents` when its
last entry unloads.

A server problem (link down, timeout, refusal) raises `intent.IntentHandleError` with a
message in the intent's language. What the user can fix (an unknown status, a name that
matches nobody, an ambiguous call) is an error response whose speech says what went
wrong, never an exception.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
import importlib
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
import voluptuous as vol

from .const import DOMAIN
from .select import status_labels
from .services import NUMBER_PATTERN
from .xuc import (
    XucCommandError,
    XucError,
    XucNotConnectedError,
    XucTimeoutError,
    fold,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.helpers.llm import LLMContext

    from .coordinator import XivoConfigEntry, XivoCoordinator
    from .xuc import Contact, Status

INTENT_SET_PRESENCE: Final = "XivoSetPresence"
INTENT_GET_PRESENCE: Final = "XivoGetPresence"
INTENT_COLLEAGUE_AVAILABLE: Final = "XivoColleagueAvailable"
INTENT_COLLEAGUE_NUMBER: Final = "XivoColleagueNumber"
INTENT_CALL: Final = "XivoCall"

SLOT_STATUS: Final = "status"
SLOT_NAME: Final = "name"
SLOT_NUMBER: Final = "number"

# How many contacts an answer names when a name matches several.
MAX_SPOKEN_CONTACTS: Final = 3

_NUMBER_RE: Final = re.compile(NUMBER_PATTERN)
# What a spoken or typed phone number may look like before its separators are removed.
_NUMBER_LIKE_RE: Final = re.compile(r"\+?[\d*#][\d*#\s.\-/()]*")
_NUMBER_SEPARATORS_RE: Final = re.compile(r"[\s.\-/()]")
# Words said before a number ("call the number 1002", "appelle le 1002").
_NUMBER_WORDS_RE: Final = re.compile(
    r"^(?:(?:the|number|le|la|au|numéro|numero)\s+)+", re.IGNORECASE
)
# Apostrophes: ASCII and typographic (U+2019), as speech-to-text engines write them.
_APOSTROPHES: Final = "'\u2019"
_POSSESSIVE_RE: Final = re.compile(rf"\s*[{_APOSTROPHES}]s?\s*$", re.IGNORECASE)
_WORD_SPLIT_RE: Final = re.compile(rf"[\s\-{_APOSTROPHES}]+")
_WORD_START_RE: Final = re.compile(rf"(^|[\s\-{_APOSTROPHES}])(\w)")

# Spoken answers, by language; "en" is the fallback.
_MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "account": "Account {account}: {text}",
        "and": "and",
        "or": "or",
        "no_account": "No XiVO account is loaded.",
        "not_connected": "The XiVO server is not connected right now; try again when the connection is back.",
        "command_timeout": "The XiVO server did not answer in time.",
        "command_refused": "The XiVO server refused the request.",
        "command_failed": "The request to the XiVO server failed.",
        "status_set": "Your status is now {status}.",
        "status_current": "Your status is {status}.",
        "status_unknown": "I don't know your current status.",
        "status_not_found": 'There is no status "{query}". You can choose {choices}.',
        "status_none": "The XiVO server lists no statuses.",
        "contact_not_found": "I found no one called {query} in your favorites or the directory.",
        "several": "I found {count} contacts for {query}.",
        "first_three": "Here are the first three.",
        "state_available": "{name} is available.",
        "state_calling": "{name} is on a call.",
        "state_busy": "{name} is on the phone.",
        "state_not_available": "{name} is not available.",
        "state_ringing": "{name}'s phone is ringing.",
        "state_busy_and_ringing": "{name} is on the phone and another call is ringing.",
        "state_on_hold": "{name} has a call on hold.",
        "state_deactivated": "{name}'s phone is deactivated.",
        "state_unknown": "I don't know whether {name} is available.",
        "numbers": "{name}: {numbers}.",
        "number": "number {number}",
        "mobile": "mobile {mobile}",
        "no_number": "{name} has no number in the directory.",
        "calling_contact": "Calling {name} on {number}.",
        "calling_number": "Calling {number}.",
        "call_nothing": "Tell me a name or a number to call.",
        "call_not_found": "Not calling: I found no one called {query}.",
        "call_ambiguous": "Not calling: {count} contacts match {query}: {names}. Say the full name or the number.",
        "and_others": "{names} and others",
        "call_no_number": "Not calling: {name} has no number.",
        "call_bad_number": 'Not calling: "{number}" is not a number I can dial.',
    },
    "fr": {
        "account": "Compte {account} : {text}",
        "and": "et",
        "or": "ou",
        "no_account": "Aucun compte XiVO n'est chargé.",
        "not_connected": "Le serveur XiVO n'est pas connecté en ce moment ; réessayez quand la connexion sera rétablie.",
        "command_timeout": "Le serveur XiVO n'a pas répondu à temps.",
        "command_refused": "Le serveur XiVO a refusé la demande.",
        "command_failed": "La demande au serveur XiVO a échoué.",
        "status_set": "Votre statut est maintenant {status}.",
        "status_current": "Votre statut est {status}.",
        "status_unknown": "Je ne connais pas votre statut actuel.",
        "status_not_found": "Il n'y a pas de statut « {query} ». Vous pouvez choisir {choices}.",
        "status_none": "Le serveur XiVO ne propose aucun statut.",
        "contact_not_found": "Je ne trouve personne du nom de {query} dans vos favoris ni dans l'annuaire.",
        "several": "J'ai trouvé {count} contacts pour {query}.",
        "first_three": "Voici les trois premiers.",
        "state_available": "{name} est disponible.",
        "state_calling": "{name} est en communication.",
        "state_busy": "{name} est au téléphone.",
        "state_not_available": "{name} n'est pas disponible.",
        "state_ringing": "Le téléphone de {name} sonne.",
        "state_busy_and_ringing": "{name} est au téléphone et un autre appel sonne.",
        "state_on_hold": "{name} a un appel en attente.",
        "state_deactivated": "Le téléphone de {name} est désactivé.",
        "state_unknown": "Je ne sais pas si {name} est disponible.",
        "numbers": "{name} : {numbers}.",
        "number": "numéro {number}",
        "mobile": "portable {mobile}",
        "no_number": "{name} n'a pas de numéro dans l'annuaire.",
        "calling_contact": "J'appelle {name} au {number}.",
        "calling_number": "J'appelle le {number}.",
        "call_nothing": "Dites-moi un nom ou un numéro à appeler.",
        "call_not_found": "Je n'appelle pas : je ne trouve personne du nom de {query}.",
        "call_ambiguous": "Je n'appelle pas : {count} contacts correspondent à {query} : {names}. Dites le nom complet ou le numéro.",
        "and_others": "{names} et d'autres",
        "call_no_number": "Je n'appelle pas : {name} n'a pas de numéro.",
        "call_bad_number": "Je n'appelle pas : « {number} » n'est pas un numéro que je peux composer.",
    },
}


class _Speaker:
    """The answers of one intent, in its language, for one account."""

    def __init__(self, language: str | None, account: str | None = None) -> None:
        primary = (language or "").replace("_", "-").split("-", 1)[0].casefold()
        self.language = primary if primary in _MESSAGES else "en"
        self.account = account

    def text(self, key: str, **values: object) -> str:
        """A message of the language, with its placeholders filled in."""
        return _MESSAGES[self.language][key].format(**values)

    def say(self, key: str, **values: object) -> str:
        """A message as spoken: prefixed by the account when several are loaded."""
        return self.join(self.text(key, **values))

    def join(self, *texts: str) -> str:
        """Sentences spoken together, prefixed by the account when several are loaded."""
        text = " ".join(part for part in texts if part)
        if self.account is None:
            return text
        return self.text("account", account=self.account, text=text)

    def listing(self, items: Iterable[str], conjunction: str = "and") -> str:
        """Items as "a, b and c" in the language ("a, b or c" for choices)."""
        words = list(items)
        if len(words) < 2:
            return "".join(words)
        return f"{', '.join(words[:-1])} {self.text(conjunction)} {words[-1]}"

    def error(self, key: str, **values: object) -> intent.IntentHandleError:
        """A handling error whose message is spoken in the language."""
        return intent.IntentHandleError(self.say(key, **values))

    def server_error(self, err: XucError) -> intent.IntentHandleError:
        """The handling error that says what went wrong with a command."""
        if isinstance(err, XucNotConnectedError):
            return self.error("not_connected")
        if isinstance(err, XucTimeoutError):
            return self.error("command_timeout")
        if isinstance(err, XucCommandError):
            return self.error("command_refused")
        return self.error("command_failed")


@dataclass(frozen=True, slots=True)
class _Target:
    """The account an intent acts for, and how to speak to its user."""

    coordinator: XivoCoordinator
    speaker: _Speaker


def _target(intent_obj: intent.Intent) -> _Target:
    """The first loaded XiVO entry, connected to its server.

    Home Assistant users are not linked to XiVO accounts, so the satellite's user
    (`intent_obj.context.user_id`) cannot choose the entry.
    """
    entries: list[XivoConfigEntry] = (
        intent_obj.hass.config_entries.async_loaded_entries(DOMAIN)
    )
    if not entries:
        raise _Speaker(intent_obj.language).error("no_account")
    entry = entries[0]
    speaker = _Speaker(intent_obj.language, entry.title if len(entries) > 1 else None)
    coordinator = entry.runtime_data
    if not coordinator.client.connected:
        raise speaker.error("not_connected")
    return _Target(coordinator, speaker)


# ---------------------------------------------------------------------- matching


def _status_for(statuses: Iterable[Status], query: str) -> Status | None:
    """The status a spoken text names: label or name, whole, else a unique part."""
    key = fold(query)
    if not key:
        return None
    statuses = list(statuses)
    exact = [s for s in statuses if key in {fold(s.label), fold(s.name)}]
    if len(exact) == 1:
        return exact[0]
    if exact:  # two statuses share that label: only their names tell them apart
        return None
    partial = [s for s in statuses if key in fold(s.label) or key in fold(s.name)]
    return partial[0] if len(partial) == 1 else None


def _clean_name(text: str) -> str:
    """A spoken name without a trailing possessive ("Hawkeye's" is Hawkeye)."""
    return _POSSESSIVE_RE.sub("", text.strip()).strip()


def _words(text: str) -> list[str]:
    return [word for part in _WORD_SPLIT_RE.split(text) if (word := fold(part))]


def _joined_names(contact: Contact) -> tuple[str, str]:
    first, last = fold(contact.first_name), fold(contact.last_name)
    return first + last, last + first


def _is_exact(contact: Contact, query: str) -> bool:
    return fold(query) in _joined_names(contact)


def _matches(contact: Contact, query: str) -> bool:
    """Whether a name means this favorite: whole words of its name, in any order.

    "hawkeye" or "Pierce Hawkeye" mean "hawkeye pierce"; "hawk" does not (a part of a
    word is left to the directory search, where several matches are noticed).
    """
    words = set(_words(contact.name))
    wanted = _words(query)
    return bool(wanted) and (
        all(word in words for word in wanted) or _is_exact(contact, query)
    )


def _best(contacts: Iterable[Contact], query: str) -> list[Contact]:
    """Distinct contacts; only the exact ones when a whole name was said."""
    seen: set[tuple[str, str]] = set()
    distinct: list[Contact] = []
    for contact in contacts:
        identity = (fold(contact.name), contact.number)
        if identity not in seen:
            seen.add(identity)
            distinct.append(contact)
    exact = [contact for contact in distinct if _is_exact(contact, query)]
    return exact or distinct


async def _find_contacts(target: _Target, query: str) -> list[Contact]:
    """Contacts a name means: the favorites that match, else a directory search."""
    favorites = [
        contact
        for contact in target.coordinator.data.favorites.values()
        if _matches(contact, query)
    ]
    if favorites:
        return _best(favorites, query)
    try:
        result = await target.coordinator.client.directory_lookup(query)
    except XucError as err:
        raise target.speaker.server_error(err) from err
    return _best(result.contacts, query)


def _display_name(contact: Contact) -> str:
    """A contact's name as spoken; a name written all in lower case gets capitals."""
    name = contact.name or contact.number
    if name != name.lower():
        return name
    return _WORD_START_RE.sub(lambda m: m[1] + m[2].upper(), name)


def _phone_number(text: str) -> str | None:
    """The dialable form of a text that looks like a phone number, else None."""
    text = _NUMBER_WORDS_RE.sub("", text.strip())
    if not _NUMBER_LIKE_RE.fullmatch(text):
        return None
    number = _NUMBER_SEPARATORS_RE.sub("", text)
    return number if _NUMBER_RE.fullmatch(number) else None


# ---------------------------------------------------------------------- handlers


class _XivoIntentHandler(intent.IntentHandler, ABC):
    """Common ground: validated slots, the target account, the response."""

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Validate the slots, find the account, then answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        values = {
            key: str(slot["value"]).strip()
            for key, slot in slots.items()
            if isinstance(slot, dict) and slot.get("value") is not None
        }
        target = _target(intent_obj)
        response = intent_obj.create_response()
        await self._async_answer(target, values, response)
        return response

    @abstractmethod
    async def _async_answer(
        self,
        target: _Target,
        slots: dict[str, str],
        response: intent.IntentResponse,
    ) -> None:
        """Fill the response in for the account, from the validated slot values."""


class SetPresenceIntentHandler(_XivoIntentHandler):
    """Take one of the statuses the server lists."""

    intent_type = INTENT_SET_PRESENCE
    description = (
        "Sets the user's presence status on the XiVO phone system, for example "
        "available, away, out to lunch or do not disturb. The status must be one the "
        "XiVO server lists (its label or its name); for an unknown one the answer "
        "lists the valid statuses."
    )

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The status to take."""
        return {
            vol.Required(
                SLOT_STATUS,
                description=(
                    "The status to take, as its label or name on the XiVO server, "
                    "e.g. 'out to lunch' or 'Parti Manger'; case and accents do not "
                    "matter."
                ),
            ): intent.non_empty_string
        }

    async def _async_answer(
        self,
        target: _Target,
        slots: dict[str, str],
        response: intent.IntentResponse,
    ) -> None:
        speaker = target.speaker
        statuses = target.coordinator.data.statuses
        query = slots[SLOT_STATUS]
        status = _status_for(statuses, query)
        if status is None:
            if not statuses:
                message = speaker.say("status_none")
            else:
                choices = speaker.listing(status_labels(statuses), "or")
                message = speaker.say("status_not_found", query=query, choices=choices)
            response.async_set_error(
                intent.IntentResponseErrorCode.NO_VALID_TARGETS, message
            )
            return
        try:
            await target.coordinator.client.change_status(status.name)
        except XucError as err:
            raise speaker.server_error(err) from err
        response.async_set_speech(speaker.say("status_set", status=status.label))


class GetPresenceIntentHandler(_XivoIntentHandler):
    """Say the current status."""

    intent_type = INTENT_GET_PRESENCE
    description = "Tells the user's current presence status on the XiVO phone system."

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """No slot."""
        return {}

    async def _async_answer(
        self,
        target: _Target,
        slots: dict[str, str],
        response: intent.IntentResponse,
    ) -> None:
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        data = target.coordinator.data
        status = data.status
        label = status.label if status else data.status_name
        if label:
            response.async_set_speech(
                target.speaker.say("status_current", status=label)
            )
        else:
            response.async_set_speech(target.speaker.say("status_unknown"))


_NAME_SLOT_DESCRIPTION: Final = (
    "The colleague's or contact's name, whole or in part (first name, last name or "
    "both); case and accents do not matter."
)


class _ContactQueryHandler(_XivoIntentHandler):
    """An answer about the contacts a name means (at most three are spoken)."""

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """The contact's name."""
        return {
            vol.Required(
                SLOT_NAME, description=_NAME_SLOT_DESCRIPTION
            ): intent.non_empty_string
        }

    async def _async_answer(
        self,
        target: _Target,
        slots: dict[str, str],
        response: intent.IntentResponse,
    ) -> None:
        speaker = target.speaker
        query = _clean_name(slots[SLOT_NAME]) or slots[SLOT_NAME]
        contacts = await _find_contacts(target, query)
        if not contacts:
            response.async_set_error(
                intent.IntentResponseErrorCode.NO_VALID_TARGETS,
                speaker.say("contact_not_found", query=query),
            )
            return
        response.response_type = intent.IntentResponseType.QUERY_ANSWER
        details = [self._describe(target, contact) for contact in contacts]
        if len(contacts) == 1:
            response.async_set_speech(speaker.join(details[0]))
            return
        response.async_set_speech(
            speaker.join(
                speaker.text("several", count=len(contacts), query=query),
                speaker.text("first_three")
                if len(contacts) > MAX_SPOKEN_CONTACTS
                else "",
                *details[:MAX_SPOKEN_CONTACTS],
            )
        )

    @abstractmethod
    def _describe(self, target: _Target, contact: Contact) -> str:
        """What is said about one contact."""


class ColleagueAvailableIntentHandler(_ContactQueryHandler):
    """Say whether a contact's phone is free."""

    intent_type = INTENT_COLLEAGUE_AVAILABLE
    description = (
        "Tells whether a colleague or contact is available on the phone (available, "
        "on the phone, ringing, not available...). The name is looked up in the "
        "user's XiVO favorites, then in the XiVO directory."
    )

    def _describe(self, target: _Target, contact: Contact) -> str:
        state = target.coordinator.data.contact_phone_state(contact)
        key = f"state_{state.value}" if state is not None else "state_unknown"
        return target.speaker.text(key, name=_display_name(contact))


class ColleagueNumberIntentHandler(_ContactQueryHandler):
    """Say a contact's number and mobile."""

    intent_type = INTENT_COLLEAGUE_NUMBER
    description = (
        "Gives the phone number and the mobile number of a colleague or contact, "
        "looked up by name in the user's XiVO favorites, then in the XiVO directory. "
        "When several contacts match, the first three are given."
    )

    def _describe(self, target: _Target, contact: Contact) -> str:
        speaker = target.speaker
        name = _display_name(contact)
        numbers = []
        if contact.number:
            numbers.append(speaker.text("number", number=contact.number))
        if contact.mobile:
            numbers.append(speaker.text("mobile", mobile=contact.mobile))
        if not numbers:
            return speaker.text("no_number", name=name)
        return speaker.text("numbers", name=name, numbers=", ".join(numbers))


class CallIntentHandler(_XivoIntentHandler):
    """Place a call to a contact named, or to a number."""

    intent_type = INTENT_CALL
    description = (
        "Places a phone call from the user's XiVO phone, to a phone number or to a "
        "contact looked up by name in the user's XiVO favorites, then in the XiVO "
        "directory. Give either the name or the number. No call is placed when the "
        "name matches nobody or several contacts: the answer says so."
    )

    @property
    def slot_schema(self) -> dict[Any, Any]:
        """A name or a number."""
        return {
            vol.Optional(
                SLOT_NAME, description=_NAME_SLOT_DESCRIPTION
            ): intent.non_empty_string,
            vol.Optional(
                SLOT_NUMBER,
                description=(
                    "The phone number to dial: digits, optionally with a leading + "
                    "and * or #."
                ),
            ): intent.non_empty_string,
        }

    async def _async_answer(
        self,
        target: _Target,
        slots: dict[str, str],
        response: intent.IntentResponse,
    ) -> None:
        speaker = target.speaker
        refused = intent.IntentResponseErrorCode.NO_VALID_TARGETS
        text = slots.get(SLOT_NUMBER) or slots.get(SLOT_NAME, "")
        if not text:
            response.async_set_error(refused, speaker.say("call_nothing"))
            return
        # A name that is a number ("call 1002") is dialled as a number.
        number = _phone_number(text)
        if SLOT_NUMBER in slots and number is None:
            response.async_set_error(
                refused, speaker.say("call_bad_number", number=text)
            )
            return
        if number is not None:
            await self._dial(target, number)
            response.async_set_speech(speaker.say("calling_number", number=number))
            return

        query = _clean_name(text) or text
        contacts = await _find_contacts(target, query)
        if not contacts:
            response.async_set_error(
                refused, speaker.say("call_not_found", query=query)
            )
            return
        if len(contacts) > 1:
            spoken = [_display_name(c) for c in contacts[:MAX_SPOKEN_CONTACTS]]
            names = (
                speaker.text("and_others", names=", ".join(spoken))
                if len(contacts) > MAX_SPOKEN_CONTACTS
                else speaker.listing(spoken)
            )
            response.async_set_error(
                refused,
                speaker.say(
                    "call_ambiguous", query=query, count=len(contacts), names=names
                ),
            )
            return
        contact = contacts[0]
        name = _display_name(contact)
        number = _phone_number(contact.number) or _phone_number(contact.mobile)
        if number is None:
            response.async_set_error(refused, speaker.say("call_no_number", name=name))
            return
        await self._dial(target, number)
        response.async_set_speech(
            speaker.say("calling_contact", name=name, number=number)
        )

    @staticmethod
    async def _dial(target: _Target, number: str) -> None:
        try:
            await target.coordinator.client.dial(number)
        except XucError as err:
            raise target.speaker.server_error(err) from err


_HANDLERS: Final[tuple[type[_XivoIntentHandler], ...]] = (
    SetPresenceIntentHandler,
    GetPresenceIntentHandler,
    ColleagueAvailableIntentHandler,
    ColleagueNumberIntentHandler,
    CallIntentHandler,
)
INTENT_TYPES: Final[tuple[str, ...]] = tuple(
    handler.intent_type for handler in _HANDLERS
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the XiVO intent handlers; registering them again changes nothing.

    This is also the `intent` platform's hook: Home Assistant's `intent` integration
    awaits it once the integration is loaded, whether an entry is loaded or not.
    """
    registered = {
        handler.intent_type
        for handler in intent.async_get(hass)
        if isinstance(handler, _XivoIntentHandler)
    }
    for handler_class in _HANDLERS:
        if handler_class.intent_type not in registered:
            intent.async_register(hass, handler_class())


@callback
def async_remove_intents(hass: HomeAssistant) -> None:
    """Unregister the XiVO intent handlers (when the last entry unloads)."""
    for intent_type in INTENT_TYPES:
        intent.async_remove(hass, intent_type)


# ---------------------------------------------------------------------- LLM tools
# Home Assistant up to 2025.x turns every registered intent into an Assist API tool.
# Later versions ask each integration for its tools through an `llm` platform
# (`async_get_tools` in `<integration>/llm.py`, returning `LLMTools`, with tool names
# prefixed by the domain). This builds them; the classes it needs exist only there.

_TOOL_TITLES: Final[Mapping[str, str]] = {
    INTENT_SET_PRESENCE: "Set XiVO presence",
    INTENT_GET_PRESENCE: "Get XiVO presence",
    INTENT_COLLEAGUE_AVAILABLE: "Is a colleague available",
    INTENT_COLLEAGUE_NUMBER: "Get a colleague's number",
    INTENT_CALL: "Call a contact or number",
}
_READ: Final = {"read_only": True, "destructive": False, "idempotent": True}
_TOOL_ANNOTATIONS: Final[Mapping[str, Mapping[str, bool]]] = {
    INTENT_SET_PRESENCE: {"destructive": False, "idempotent": True},
    INTENT_GET_PRESENCE: _READ,
    INTENT_COLLEAGUE_AVAILABLE: _READ,
    INTENT_COLLEAGUE_NUMBER: _READ,
    INTENT_CALL: {"destructive": False, "idempotent": False},
}


@callback
def async_get_llm_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> Any:
    """The `llm` platform's tools (Home Assistant 2026+): one per registered intent.

    Returns an `LLMTools`, or None for another API than Assist, when no intent is
    registered, or on a Home Assistant without the `llm` integration.
    """
    try:
        llm_component: Any = importlib.import_module("homeassistant.components.llm")
    except ImportError:
        return None
    llm_helper: Any = importlib.import_module("homeassistant.helpers.llm")
    if api_id != llm_helper.LLM_API_ASSIST:
        return None
    tools = [
        llm_helper.IntentTool(
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=_TOOL_TITLES[handler.intent_type],
            integration=DOMAIN,
            annotations=llm_helper.ToolAnnotations(
                **_TOOL_ANNOTATIONS[handler.intent_type]
            ),
        )
        for handler in intent.async_get(hass)
        if isinstance(handler, _XivoIntentHandler)
    ]
    return llm_component.LLMTools(tools=tools) if tools else None
