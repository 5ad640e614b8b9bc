"""Calls on the user's line: the event entity, missed calls, dial."""

from __future__ import annotations

from typing import Any

from homeassistant.core import (
    HomeAssistant,
    State,
)
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.xivo.const import DOMAIN

from .common import CALL, state_is, wait_events, wait_for_state
from .simulator import XucSimulator

MISSED = "sensor.alice_johnson_missed_calls"
PHONE = "sensor.alice_johnson_phone_state"


async def test_incoming_answered_ended(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """An answered call fires incoming, answered, ended with the caller's details."""
    call_id = await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await wait_events(hass, call_events, 1)
    await wait_for_state(hass, PHONE, state_is("ringing"))
    await xuc_server.answer_call("alice", call_id)
    await xuc_server.hold_call("alice", call_id)
    await xuc_server.hang_up("alice", call_id)
    await wait_events(hass, call_events, 4)
    assert [event["event_type"] for event in call_events] == [
        "incoming",
        "answered",
        "on_hold",
        "ended",
    ]
    assert {event["call_id"] for event in call_events} == {call_id}
    assert call_events[0]["number"] == "1002"
    assert call_events[0]["name"] == "Hawkeye Pierce"
    assert call_events[0]["direction"] == "incoming"
    assert hass.states.get(MISSED).state == "0"


async def test_missed_call_counted_and_reset(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """A call that rang and ended unanswered is missed; the action resets the count."""
    call_id = await xuc_server.incoming_call("alice", "0427466347")
    await xuc_server.hang_up("alice", call_id)
    await wait_events(hass, call_events, 2)
    assert call_events[-1]["event_type"] == "missed"
    await wait_for_state(hass, MISSED, state_is("1"))

    await hass.services.async_call(
        DOMAIN,
        "reset_missed_calls",
        {"config_entry_id": init_integration.entry_id},
        blocking=True,
    )
    await wait_for_state(hass, MISSED, state_is("0"))


async def test_two_calls_told_apart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """Two calls at once carry their own ids; the unanswered one is the missed one."""
    first = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", first)
    second = await xuc_server.incoming_call("alice", "1004")
    await xuc_server.hang_up("alice", second)
    await xuc_server.hang_up("alice", first)
    await wait_events(hass, call_events, 5)
    by_call = {(event["call_id"], event["event_type"]) for event in call_events}
    assert by_call == {
        (first, "incoming"),
        (first, "answered"),
        (second, "incoming"),
        (second, "missed"),
        (first, "ended"),
    }
    await wait_for_state(hass, MISSED, state_is("1"))


async def test_caller_name_from_favorites_and_directory(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """A caller without a name gets one from the favorites, or from a background look-up."""
    favorite = await xuc_server.incoming_call("alice", "0427466347", "")
    await wait_events(hass, call_events, 1)
    assert call_events[0]["name"] == "Émilie Lefèvre"
    await xuc_server.hang_up("alice", favorite)

    stranger = await xuc_server.incoming_call("alice", "1004", "")
    await wait_events(hass, call_events, 3)
    # The look-up never delays the event: the first one may not know the name yet.
    tracker = init_integration.runtime_data.calls
    await wait_for_state(
        hass, CALL, lambda _state: tracker.name_for("1004") is not None
    )
    await xuc_server.hang_up("alice", stranger)
    await wait_events(hass, call_events, 4)
    assert call_events[-1]["event_type"] == "missed"
    assert call_events[-1]["name"] == "peter pan"


async def test_dial(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The dial action places the call from the user's device."""
    await hass.services.async_call(
        DOMAIN,
        "dial",
        {"config_entry_id": init_integration.entry_id, "number": "1002"},
        blocking=True,
    )
    assert await xuc_server.wait_for_command("dial") == {
        "claz": "web",
        "command": "dial",
        "destination": "1002",
    }
    await wait_for_state(hass, PHONE, state_is("calling"))


async def test_missed_calls_survive_restart(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The count saved before a restart is restored, and counting goes on from there."""
    mock_restore_cache_with_extra_data(
        hass,
        (
            (
                State(MISSED, "3"),
                {"native_value": 3, "native_unit_of_measurement": "calls"},
            ),
        ),
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(MISSED).state == "3"
    call_id = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.hang_up("alice", call_id)
    await wait_for_state(hass, MISSED, state_is("4"))
