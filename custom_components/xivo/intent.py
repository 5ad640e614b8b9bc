"""Voice intents for Assist and LLM assistants: the registry of the XiVO intents.

This module is the integration's `intent` platform: Home Assistant's `intent`
integration awaits `async_setup_intents` when it finds it, and the integration calls
it again for each entry it sets up (idempotent) and `async_remove_intents` when its
last entry unloads. The same handlers are the LLM tools of `llm.py`.

The handlers live by concept: presence (`intent_presence.py`), colleagues and calls to
them (`intent_contacts.py`), the user's own calls and voicemail (`intent_calls.py`),
contact-center agents (`intent_agents.py`);
what they share is `intent_base.py`, what they say and for which account `answers.py`
and `accounts.py`.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent

from .intent_agents import (
    INTENT_AGENT_LOGOUT,
    INTENT_AGENT_PAUSE,
    INTENT_AGENT_PAUSED,
    INTENT_AGENT_READY,
    INTENT_QUEUE_CALLS,
    AgentLogoutIntentHandler,
    AgentPausedIntentHandler,
    AgentPauseIntentHandler,
    AgentReadyIntentHandler,
    QueueCallsIntentHandler,
)
from .intent_base import XivoIntentHandler
from .intent_calls import (
    INTENT_ANSWER,
    INTENT_CALL_BACK,
    INTENT_HANG_UP,
    INTENT_HOLD,
    INTENT_MISSED_CALLS,
    INTENT_VOICEMAIL,
    AnswerIntentHandler,
    CallBackIntentHandler,
    HangUpIntentHandler,
    HoldIntentHandler,
    MissedCallsIntentHandler,
    VoicemailIntentHandler,
)
from .intent_contacts import (
    INTENT_CALL,
    INTENT_COLLEAGUE_AVAILABLE,
    INTENT_COLLEAGUE_NUMBER,
    CallIntentHandler,
    ColleagueAvailableIntentHandler,
    ColleagueNumberIntentHandler,
)
from .intent_presence import (
    INTENT_GET_PRESENCE,
    INTENT_SET_PRESENCE,
    INTENT_SET_PRESENCE_FOR,
    GetPresenceIntentHandler,
    SetPresenceForIntentHandler,
    SetPresenceIntentHandler,
)

__all__ = [
    "INTENT_AGENT_LOGOUT",
    "INTENT_AGENT_PAUSE",
    "INTENT_AGENT_PAUSED",
    "INTENT_AGENT_READY",
    "INTENT_ANSWER",
    "INTENT_CALL",
    "INTENT_CALL_BACK",
    "INTENT_COLLEAGUE_AVAILABLE",
    "INTENT_COLLEAGUE_NUMBER",
    "INTENT_GET_PRESENCE",
    "INTENT_HANG_UP",
    "INTENT_HOLD",
    "INTENT_MISSED_CALLS",
    "INTENT_QUEUE_CALLS",
    "INTENT_SET_PRESENCE",
    "INTENT_SET_PRESENCE_FOR",
    "INTENT_TYPES",
    "INTENT_VOICEMAIL",
    "XivoIntentHandler",
    "async_remove_intents",
    "async_setup_intents",
    "registered_handlers",
]

_HANDLERS: Final[tuple[type[XivoIntentHandler], ...]] = (
    SetPresenceIntentHandler,
    GetPresenceIntentHandler,
    SetPresenceForIntentHandler,
    ColleagueAvailableIntentHandler,
    ColleagueNumberIntentHandler,
    CallIntentHandler,
    AnswerIntentHandler,
    HangUpIntentHandler,
    HoldIntentHandler,
    MissedCallsIntentHandler,
    CallBackIntentHandler,
    VoicemailIntentHandler,
    AgentPauseIntentHandler,
    AgentReadyIntentHandler,
    AgentLogoutIntentHandler,
    AgentPausedIntentHandler,
    QueueCallsIntentHandler,
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
