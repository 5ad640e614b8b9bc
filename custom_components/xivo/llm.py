"""The `llm` platform (Home Assistant 2026+): the voice intents as Assist API tools.

Up to 2025.x, Home Assistant turns every registered intent into an Assist API tool by
itself and never loads this module. From 2026 the `llm` integration asks each
integration's `llm` platform for its tools (`async_get_tools`, returning `LLMTools`), and
wants them named with the domain as a prefix and tagged with it; titles and annotations
tell assistants what a tool does before they call it.

`LLMTools`, `ToolAnnotations` and those arguments of `IntentTool` exist only from 2026.
The module still imports on older versions (and answers None there), so that nothing
that imports it breaks; the type checker of the oldest lane does not know those names,
hence the few `type: ignore` comments, each of which is unused on the newest lane.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import llm

from .const import DOMAIN
from .intent import (
    INTENT_CALL,
    INTENT_COLLEAGUE_AVAILABLE,
    INTENT_COLLEAGUE_NUMBER,
    INTENT_GET_PRESENCE,
    INTENT_SET_PRESENCE,
    registered_handlers,
)

try:
    from homeassistant.components.llm import (  # type: ignore[import-not-found, unused-ignore]
        LLMTools,
    )
except ImportError:  # Home Assistant 2025.x: the intents are the tools already
    HAS_LLM_PLATFORMS = False
else:
    HAS_LLM_PLATFORMS = True

if TYPE_CHECKING:
    from collections.abc import Mapping

_TOOL_TITLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        INTENT_SET_PRESENCE: "Set XiVO presence",
        INTENT_GET_PRESENCE: "Get XiVO presence",
        INTENT_COLLEAGUE_AVAILABLE: "Is a colleague available",
        INTENT_COLLEAGUE_NUMBER: "Get a colleague's number",
        INTENT_CALL: "Call a contact or number",
    }
)
# What each tool does to the world: reading a status or a directory changes nothing;
# setting a status twice is setting it once; every call is a new call.
_READ: Final = MappingProxyType(
    {"read_only": True, "destructive": False, "idempotent": True}
)
_TOOL_ANNOTATIONS: Final[Mapping[str, Mapping[str, bool]]] = MappingProxyType(
    {
        INTENT_SET_PRESENCE: {"destructive": False, "idempotent": True},
        INTENT_GET_PRESENCE: _READ,
        INTENT_COLLEAGUE_AVAILABLE: _READ,
        INTENT_COLLEAGUE_NUMBER: _READ,
        INTENT_CALL: {"destructive": False, "idempotent": False},
    }
)


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: llm.LLMContext, api_id: str
) -> LLMTools | None:
    """One tool per registered XiVO intent, for the Assist API.

    None for another API, when no intent is registered (no account loaded), and on a
    Home Assistant without `llm` platforms.
    """
    if not HAS_LLM_PLATFORMS or api_id != llm.LLM_API_ASSIST:
        return None
    tools: list[llm.Tool] = [
        llm.IntentTool(  # type: ignore[call-arg, unused-ignore]
            f"{DOMAIN}__{handler.intent_type}",
            handler,
            title=_TOOL_TITLES[handler.intent_type],
            integration=DOMAIN,
            annotations=llm.ToolAnnotations(  # type: ignore[attr-defined, unused-ignore]
                **_TOOL_ANNOTATIONS[handler.intent_type]
            ),
        )
        for handler in registered_handlers(hass)
    ]
    return LLMTools(tools=tools) if tools else None
