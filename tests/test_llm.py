"""What LLM assistants are told about each XiVO tool: what it does to the world.

On Home Assistant 2026+ the `llm` platform gives each tool annotations; up to 2025.x a
tool has none, so every description says the same in words. Both are checked here, on
whichever lane runs, through the Assist API an LLM conversation agent gets.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.intent import (
    INTENT_AGENT_PAUSED,
    INTENT_AGENT_READY,
    INTENT_CALL,
    INTENT_CALL_BACK,
    INTENT_GET_PRESENCE,
    INTENT_HANG_UP,
    INTENT_MISSED_CALLS,
    INTENT_QUEUE_CALLS,
    INTENT_SET_PRESENCE,
    INTENT_TYPES,
    INTENT_VOICEMAIL,
    registered_handlers,
)
from custom_components.xivo.intent_base import CONFIRM_NOTE, READ_ONLY_NOTE, Effects

from .test_intent import HAS_LLM_COMPONENT, TOOL_PREFIX, _assist_api, intents

__all__ = ["intents"]  # the fixture, used by name

# Tools that place or end calls, or log an agent in: never repeated without asking.
# (Ready logs a logged-out agent in first.)
OUTSIDE_WORLD = {INTENT_CALL, INTENT_CALL_BACK, INTENT_HANG_UP, INTENT_AGENT_READY}
READ_ONLY = {
    INTENT_GET_PRESENCE,
    INTENT_MISSED_CALLS,
    INTENT_VOICEMAIL,
    INTENT_AGENT_PAUSED,
    INTENT_QUEUE_CALLS,
}


def test_effects_as_annotations() -> None:
    """Read-only reads; setting is idempotent; acting is neither; all reach XiVO."""
    assert Effects.READ.annotations == {
        "read_only": True,
        "destructive": False,
        "idempotent": True,
        "open_world": True,
    }
    assert Effects.SET.annotations["idempotent"]
    assert not Effects.SET.annotations["read_only"]
    assert not Effects.ACT.annotations["idempotent"]
    assert not Effects.ACT.annotations["read_only"]


async def test_every_description_says_its_effects(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """Read-only tools say so; calling tools ask to confirm a number; none both."""
    handlers = {handler.intent_type: handler for handler in registered_handlers(hass)}
    assert set(handlers) == set(INTENT_TYPES)
    for intent_type, handler in handlers.items():
        description = str(handler.description)
        assert "XiVO" in description, intent_type
        assert handler.title, intent_type
        assert (READ_ONLY_NOTE in description) is (handler.effects is Effects.READ), (
            intent_type
        )
        if handler.effects is Effects.ACT:
            assert "Not idempotent" in description, intent_type
    for intent_type in READ_ONLY:
        assert handlers[intent_type].effects is Effects.READ
    for intent_type in OUTSIDE_WORLD:
        assert handlers[intent_type].effects is Effects.ACT
        assert CONFIRM_NOTE in str(handlers[intent_type].description), intent_type
    assert handlers[INTENT_SET_PRESENCE].effects is Effects.SET


async def test_assist_api_tools_carry_them(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """The tools an LLM agent gets: the same descriptions; annotations where they exist."""
    api = await _assist_api(hass)
    tools = {tool.name: tool for tool in api.tools}
    handlers = {handler.intent_type: handler for handler in intent.async_get(hass)}

    for intent_type in INTENT_TYPES:
        tool = tools[f"{TOOL_PREFIX}{intent_type}"]
        handler = handlers[intent_type]
        assert tool.description == handler.description
        if not HAS_LLM_COMPONENT:
            # 2025.x: a tool has no annotations, the description is all there is.
            assert not hasattr(tool, "annotations")
            continue
        annotations = tool.annotations
        expected = handler.effects.annotations  # type: ignore[attr-defined]
        assert {field: getattr(annotations, field) for field in expected} == expected
        assert tool.title == handler.title  # type: ignore[attr-defined]


@pytest.mark.parametrize("intent_type", sorted(OUTSIDE_WORLD))
async def test_calling_tools_are_not_idempotent(
    hass: HomeAssistant, intents: MockConfigEntry, intent_type: str
) -> None:
    """Where annotations exist, a calling tool is neither read-only nor idempotent."""
    if not HAS_LLM_COMPONENT:
        pytest.skip("no tool annotations before Home Assistant 2026")
    api = await _assist_api(hass)
    tool = next(t for t in api.tools if t.name == f"{TOOL_PREFIX}{intent_type}")
    assert not tool.annotations.read_only
    assert not tool.annotations.idempotent
    assert tool.annotations.open_world
