"""The `llm` platform (Home Assistant 2026+): the voice intents as Assist API tools.

Up to 2025.x, Home Assistant turns every registered intent into an Assist API tool by
itself and never loads this module. From 2026 the `llm` integration asks each
integration's `llm` platform for its tools (`async_get_tools`, returning `LLMTools`), and
wants them named with the domain as a prefix and tagged with it; titles and annotations
tell assistants what a tool does before they call it.

Each handler carries its title and its effects (`intent_base.Effects`: read-only,
idempotent setting, or acting anew each time), which become the tool's annotations.
Up to 2025.x a tool has no annotations: there, the descriptions say the same in words
(read-only intents say so; those that call, call back, hang up or log in say they are
not idempotent and ask to confirm a number), which every version shows.

`LLMTools`, `ToolAnnotations` and those arguments of `IntentTool` exist only from 2026.
The module still imports on older versions (and answers None there), so that nothing
that imports it breaks; the type checker of the oldest lane does not know those names,
hence the few `type: ignore` comments, each of which is unused on the newest lane.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import llm

from .const import DOMAIN
from .intent import registered_handlers

try:
    from homeassistant.components.llm import (  # type: ignore[import-not-found, unused-ignore]
        LLMTools,
    )
except ImportError:  # Home Assistant 2025.x: the intents are the tools already
    HAS_LLM_PLATFORMS = False
else:
    HAS_LLM_PLATFORMS = True


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
            title=handler.title,
            integration=DOMAIN,
            annotations=llm.ToolAnnotations(  # type: ignore[attr-defined, unused-ignore]
                **handler.effects.annotations
            ),
        )
        for handler in registered_handlers(hass)
    ]
    return LLMTools(tools=tools) if tools else None
