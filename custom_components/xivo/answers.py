"""What a voice intent answers with, and for which account.

Answers are the `common` texts of the integration's translations, in the intent's
language (English for a language without translations), so that they can be translated
like every other text of the integration. The handlers always speak themselves: LLM
assistants and direct callers never see the `responses` of sentence files. A server
problem is said with the `exceptions` text that entities and actions show for the same
error (`helpers.error_translation_key`).

An intent acts for one XiVO account, the speaker's (`accounts.py`: the context's
user, the request's satellite device or area, else the only loaded entry); when none
can be told, the answer asks which account and nothing is done. The account's title is
said when more than one is loaded, so that a shared speaker always tells whose answer
it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import intent
from homeassistant.helpers.translation import async_get_translations

from .accounts import linkable_entries, pick_entry, request_origin
from .const import DOMAIN
from .helpers import error_placeholders, error_translation_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.core import Context, HomeAssistant

    from .data import XivoConfigEntry, XivoData
    from .xuc import XucError, XucSnapshot

# Where Home Assistant's translation cache keeps the integration's texts.
_COMMON: Final = f"component.{DOMAIN}.common."
_EXCEPTIONS: Final = f"component.{DOMAIN}.exceptions."


class Speaker:
    """What an intent says: the integration's texts in its language, for one account."""

    def __init__(self, texts: Mapping[str, str], account: str | None) -> None:
        """Speak from loaded texts; name the account when it is one of several."""
        self._texts = texts
        self.account = account

    @classmethod
    async def async_load(
        cls, hass: HomeAssistant, language: str | None, account: str | None = None
    ) -> Speaker:
        """The texts of a language; Home Assistant fills in the missing ones in English.

        The translation files are named by primary language, so "fr-FR" speaks "fr";
        anything that is no language tag at all speaks English.
        """
        primary = (language or "").replace("_", "-").split("-", 1)[0].casefold()
        if not (primary.isascii() and primary.isalpha()):
            primary = "en"
        texts = {
            **await async_get_translations(hass, primary, "common", {DOMAIN}),
            **await async_get_translations(hass, primary, "exceptions", {DOMAIN}),
        }
        return cls(texts, account)

    def text(self, key: str, **values: object) -> str:
        """A `common` text, with its placeholders filled in."""
        return self._texts[_COMMON + key].format(**values)

    def say(self, key: str, **values: object) -> str:
        """A text as spoken: prefixed by the account when several are loaded."""
        return self.join(self.text(key, **values))

    def join(self, *texts: str) -> str:
        """Sentences spoken together, prefixed by the account when several are loaded."""
        text = " ".join(part for part in texts if part)
        if self.account is None:
            return text
        return self.text("account", account=self.account, text=text)

    def listing(
        self, items: Iterable[str], conjunction: Literal["and", "or"] = "and"
    ) -> str:
        """Items as "a, b and c" in the language ("a, b or c" for choices)."""
        words = list(items)
        if len(words) < 2:
            return "".join(words)
        return self.text(
            f"list_{conjunction}", items=", ".join(words[:-1]), last=words[-1]
        )

    def exception_text(self, key: str, **values: object) -> str:
        """An `exceptions` text, with its placeholders filled in."""
        return self._texts[f"{_EXCEPTIONS}{key}.message"].format(**values)

    def error(self, key: str, **values: object) -> intent.IntentHandleError:
        """A handling error that speaks an `exceptions` text."""
        return intent.IntentHandleError(self.join(self.exception_text(key, **values)))

    def server_error(self, err: XucError) -> intent.IntentHandleError:
        """The handling error that says what went wrong with a command."""
        return self.error(error_translation_key(err), **(error_placeholders(err) or {}))


@dataclass(frozen=True, slots=True)
class Request:
    """An intent being answered: the account it acts for, its slot values, the response."""

    hass: HomeAssistant
    entry: XivoConfigEntry
    speaker: Speaker
    slots: Mapping[str, str]
    response: intent.IntentResponse
    context: Context
    """The intent's: what it changes is logged as the speaker's doing."""

    @property
    def account(self) -> XivoData:
        """The account's session: client, coordinator, calls and missed calls."""
        return self.entry.runtime_data

    @property
    def snapshot(self) -> XucSnapshot:
        """What the account's server told last."""
        return self.account.coordinator.data

    async def call_action(self, service: str, data: Mapping[str, Any]) -> None:
        """Call one of the integration's actions for this account, and wait for it.

        A refusal the user can fix (`ServiceValidationError`) is left to the handler;
        any other translated error is said as a handling error, with its text.
        """
        try:
            await self.hass.services.async_call(
                DOMAIN,
                service,
                {"config_entry_id": self.entry.entry_id, **data},
                blocking=True,
                context=self.context,
            )
        except ServiceValidationError:
            raise
        except HomeAssistantError as err:
            if err.translation_key is None:
                raise
            raise self.speaker.error(
                err.translation_key, **(err.translation_placeholders or {})
            ) from err

    def refuse(self, key: str, **values: object) -> None:
        """Answer that nothing was done, and why (no valid target)."""
        self.response.async_set_error(
            intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            self.speaker.say(key, **values),
        )

    def refuse_with(self, key: str, **values: object) -> None:
        """Refuse with an `exceptions` text: what an action says for the same case."""
        self.response.async_set_error(
            intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            self.speaker.join(self.speaker.exception_text(key, **values)),
        )


async def async_request(
    intent_obj: intent.Intent, slots: Mapping[str, str]
) -> Request | intent.IntentResponse:
    """The request for the speaker's entry, connected to its server.

    When the speaker's account cannot be told, the response that asks which account
    (and does nothing else) is returned instead.
    """
    hass = intent_obj.hass
    origin = request_origin(
        hass,
        user_id=intent_obj.context.user_id,
        device_id=intent_obj.device_id,
        # Home Assistant 2026+: the assist satellite entity the request came from.
        satellite_id=getattr(intent_obj, "satellite_id", None),
    )
    picked = pick_entry(linkable_entries(hass), origin)
    loaded = hass.config_entries.async_loaded_entries(DOMAIN)
    several = len(loaded) > 1
    if isinstance(picked, tuple):
        speaker = await Speaker.async_load(hass, intent_obj.language)
        if not picked:
            raise speaker.error("no_account")
        response = intent_obj.create_response()
        response.async_set_error(
            intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            speaker.text(
                "which_account",
                accounts=speaker.listing((e.title for e in picked), "or"),
            ),
        )
        return response
    entry: XivoConfigEntry = picked
    speaker = await Speaker.async_load(
        hass, intent_obj.language, entry.title if several else None
    )
    if entry.state is not ConfigEntryState.LOADED:
        raise speaker.error("not_loaded", target=entry.title)
    if not entry.runtime_data.client.connected:
        raise speaker.error("not_connected")
    return Request(
        hass, entry, speaker, slots, intent_obj.create_response(), intent_obj.context
    )
