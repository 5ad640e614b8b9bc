"""What a voice intent answers with, and for which account.

Answers are the `common` texts of the integration's translations, in the intent's
language (English for a language without translations), so that they can be translated
like every other text of the integration. The handlers always speak themselves: LLM
assistants and direct callers never see the `responses` of sentence files. A server
problem is said with the `exceptions` text that entities and actions show for the same
error (`helpers.error_translation_key`).

An intent acts for one XiVO account: Home Assistant users are not linked to XiVO
accounts, so the voice satellite's user (`intent_obj.context.user_id`) cannot pick one.
The first loaded entry is used, and its title is said when more than one is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from homeassistant.helpers import intent
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN
from .helpers import error_translation_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.core import HomeAssistant

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

    def error(self, key: str) -> intent.IntentHandleError:
        """A handling error that speaks an `exceptions` text."""
        return intent.IntentHandleError(
            self.join(self._texts[f"{_EXCEPTIONS}{key}.message"])
        )

    def server_error(self, err: XucError) -> intent.IntentHandleError:
        """The handling error that says what went wrong with a command."""
        return self.error(error_translation_key(err))


@dataclass(frozen=True, slots=True)
class Request:
    """An intent being answered: the account it acts for, its slot values, the response."""

    account: XivoData
    speaker: Speaker
    slots: Mapping[str, str]
    response: intent.IntentResponse

    @property
    def snapshot(self) -> XucSnapshot:
        """What the account's server told last."""
        return self.account.coordinator.data

    def refuse(self, key: str, **values: object) -> None:
        """Answer that nothing was done, and why (no valid target)."""
        self.response.async_set_error(
            intent.IntentResponseErrorCode.NO_VALID_TARGETS,
            self.speaker.say(key, **values),
        )


async def async_request(intent_obj: intent.Intent, slots: Mapping[str, str]) -> Request:
    """The request for the first loaded XiVO entry, connected to its server.

    Home Assistant users are not linked to XiVO accounts, so the satellite's user
    (`intent_obj.context.user_id`) cannot choose the entry.
    """
    hass = intent_obj.hass
    entries: list[XivoConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries:
        raise (await Speaker.async_load(hass, intent_obj.language)).error("no_account")
    entry = entries[0]
    speaker = await Speaker.async_load(
        hass, intent_obj.language, entry.title if len(entries) > 1 else None
    )
    if not entry.runtime_data.client.connected:
        raise speaker.error("not_connected")
    return Request(entry.runtime_data, speaker, slots, intent_obj.create_response())
