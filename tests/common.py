"""Helpers shared by the integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time
from typing import Any

from homeassistant.core import HomeAssistant, State

CALL = "event.alice_johnson_call"


async def wait_for_state(
    hass: HomeAssistant,
    entity_id: str,
    predicate: Callable[[State | None], bool],
    timeout: float = 5.0,  # noqa: ASYNC109 - a bounded poll with a clear failure message
) -> State | None:
    """Wait until an entity's state satisfies `predicate`; fail with what it was."""
    deadline = time.monotonic() + timeout
    while True:
        await hass.async_block_till_done()
        state = hass.states.get(entity_id)
        if predicate(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"{entity_id} never matched; last state: {state}")
        await asyncio.sleep(0.01)


def state_is(value: str) -> Callable[[State | None], bool]:
    """A predicate: the entity exists and has this state."""
    return lambda state: state is not None and state.state == value


async def wait_events(
    hass: HomeAssistant, fired: list[dict[str, Any]], count: int
) -> None:
    """Wait until the call entity has fired `count` events (see `call_events`)."""
    await wait_for_state(hass, CALL, lambda _state: len(fired) >= count)
