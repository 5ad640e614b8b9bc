"""The busy light, the call buttons and the call-control actions, through Home Assistant."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.xivo.const import DOMAIN

from .common import state_is, wait_events, wait_for_state
from .simulator import IDEAL, REAL, XucSimulator

ON_CALL = "binary_sensor.alice_johnson_on_a_call"
RINGING = "binary_sensor.alice_johnson_ringing"
ANSWER = "button.alice_johnson_answer"
HANGUP = "button.alice_johnson_hang_up"
HOLD = "button.alice_johnson_hold"
HAWKEYE = "sensor.alice_johnson_hawkeye_pierce"
PHONE = "sensor.alice_johnson_phone_state"


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        "button", "press", {"entity_id": entity_id}, blocking=True
    )


async def _action(
    hass: HomeAssistant, entry: MockConfigEntry, name: str, **data: Any
) -> None:
    await hass.services.async_call(
        DOMAIN, name, {"config_entry_id": entry.entry_id, **data}, blocking=True
    )


@pytest.mark.parametrize("server_profile", [IDEAL, REAL], ids=["ideal", "real"])
async def test_the_busy_light_follows_two_overlapping_calls_and_a_reconnect(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """On a call while any call is up; ringing while an incoming call rings."""
    assert hass.states.get(ON_CALL).state == "off"
    assert hass.states.get(RINGING).state == "off"
    first = await xuc_server.incoming_call("alice", "1002")
    await wait_for_state(hass, RINGING, state_is("on"))
    assert hass.states.get(ON_CALL).state == "off"
    await xuc_server.answer_call("alice", first)
    await wait_for_state(hass, ON_CALL, state_is("on"))
    await wait_for_state(hass, RINGING, state_is("off"))

    second = await xuc_server.incoming_call("alice", "0427466347")
    await wait_for_state(hass, RINGING, state_is("on"))
    assert hass.states.get(ON_CALL).state == "on"
    await xuc_server.hang_up("alice", second)  # the caller gave up
    await wait_for_state(hass, RINGING, state_is("off"))
    assert hass.states.get(ON_CALL).state == "on"

    # A reconnect re-synchronises from the server's calls: still on, never stuck on.
    await xuc_server.close_sessions()
    await wait_for_state(hass, ON_CALL, state_is("unavailable"))
    await wait_for_state(hass, ON_CALL, state_is("on"), timeout=10)
    await xuc_server.hang_up("alice", first)
    await wait_for_state(hass, ON_CALL, state_is("off"))


async def test_a_call_that_ended_while_down_is_not_stuck_on(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The server no longer lists the call after the reconnect: the light goes off."""
    call_id = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", call_id)
    await wait_for_state(hass, ON_CALL, state_is("on"))
    xuc_server.go_silent()
    await xuc_server.hang_up("alice", call_id)  # the release is never pushed
    xuc_server.resume()
    await xuc_server.close_sessions()
    await wait_for_state(hass, ON_CALL, state_is("unavailable"))
    await wait_for_state(hass, ON_CALL, state_is("off"), timeout=10)


async def test_answer_takes_the_ringing_call(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """One call: `answer` without an id (older servers take no id); it is answered."""
    await xuc_server.incoming_call("alice", "1002")
    await wait_for_state(hass, RINGING, state_is("on"))
    await _press(hass, ANSWER)
    frame = await xuc_server.wait_for_command("answer")
    assert frame == {"claz": "web", "command": "answer"}


async def test_with_two_calls_the_buttons_name_theirs(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Answer takes the ringing call, hang up and hold the most recent one that is up.

    Each command names its call (`uniqueId`): with two calls, the server must know which.
    """
    first = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", first)
    await wait_for_state(hass, ON_CALL, state_is("on"))
    second = await xuc_server.incoming_call("alice", "0427466347")
    await wait_for_state(hass, RINGING, state_is("on"))
    calls = init_integration.runtime_data.client.snapshot.calls
    handle = {call.other_number: call.unique_id for call in calls.values()}

    await _press(hass, ANSWER)
    assert (await xuc_server.wait_for_command("answer"))["uniqueId"] == handle[
        "0427466347"
    ]
    # The second call is now up too, and the most recent one: hold and hang up take it.
    await wait_for_state(hass, RINGING, state_is("off"))
    client = init_integration.runtime_data.client
    second_handle = next(
        call.unique_id
        for call in client.snapshot.calls.values()
        if call.other_number == "0427466347"
    )
    await _press(hass, HOLD)
    assert (await xuc_server.wait_for_command("hold"))["uniqueId"] == second_handle
    await _press(hass, HANGUP)
    assert (await xuc_server.wait_for_command("hangup"))["uniqueId"] == second_handle
    assert first != second


@pytest.mark.parametrize(
    ("button", "key"),
    [
        (ANSWER, "no_ringing_call"),
        (HANGUP, "no_call_to_hang_up"),
        (HOLD, "no_call_to_hold"),
    ],
)
async def test_a_button_with_no_call_says_so(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    button: str,
    key: str,
) -> None:
    """Pressed with nothing to act on: a translated validation error, nothing sent."""
    xuc_server.clear_received()
    with pytest.raises(ServiceValidationError) as raised:
        await _press(hass, button)
    assert raised.value.translation_key == key
    assert xuc_server.received == []


async def test_actions_name_a_call_by_its_id(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """The call event's `call_id` picks the call; an unknown one is refused."""
    await xuc_server.incoming_call("alice", "1002")
    await wait_events(hass, call_events, 1)
    call_id = call_events[0]["call_id"]
    await _action(hass, init_integration, "answer", call_id=call_id)
    assert (await xuc_server.wait_for_command("answer"))["uniqueId"] == call_id
    with pytest.raises(ServiceValidationError) as raised:
        await _action(hass, init_integration, "hangup", call_id="nope")
    assert raised.value.translation_key == "unknown_call"
    assert xuc_server.commands("hangup") == []


async def test_transfers_dtmf_and_conference_send_their_frames(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Each action sends the frame of the official client; DTMF one key per frame."""
    await _action(hass, init_integration, "transfer", destination="1002")
    assert await xuc_server.wait_for_command("directTransfer") == {
        "claz": "web",
        "command": "directTransfer",
        "destination": "1002",
    }
    await _action(
        hass, init_integration, "transfer", destination="+33427466347", attended=True
    )
    assert (await xuc_server.wait_for_command("attendedTransfer"))[
        "destination"
    ] == "+33427466347"
    for name, command in (
        ("complete_transfer", "completeTransfer"),
        ("cancel_transfer", "cancelTransfer"),
        ("conference", "conference"),
    ):
        await _action(hass, init_integration, name)
        assert await xuc_server.wait_for_command(command) == {
            "claz": "web",
            "command": command,
        }
    await _action(hass, init_integration, "send_dtmf", digits="12#")
    await xuc_server.wait_for_command("sendDtmf", count=3)
    assert [frame["key"] for frame in xuc_server.commands("sendDtmf")] == [
        "1",
        "2",
        "#",
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("send_dtmf", {"digits": "12a"}),
        ("send_dtmf", {"digits": ""}),
        ("transfer", {"destination": "mum"}),
        ("answer", {"call_id": ""}),
    ],
)
async def test_bad_action_arguments_are_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    name: str,
    data: dict[str, Any],
) -> None:
    """Digits and destinations follow the one grammar; nothing reaches the server."""
    xuc_server.clear_received()
    with pytest.raises(vol.Invalid):
        await _action(hass, init_integration, name, **data)
    assert xuc_server.received == []


async def test_a_queue_call_says_where_it_comes_from(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    call_events: list[dict[str, Any]],
) -> None:
    """The call event carries the queue and the attached data of a queue call."""
    await xuc_server.incoming_call(
        "alice", "0427466347", queue="bluesky", user_data={"USR_ticket": "42"}
    )
    await wait_events(hass, call_events, 1)
    assert call_events[0]["queue"] == "bluesky"
    assert call_events[0]["user_data"] == {"USR_ticket": "42"}


async def test_call_a_favorite_from_its_sensor(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`xivo.call_contact` on a favorite dials its number; on another sensor, refused."""
    await hass.services.async_call(
        DOMAIN, "call_contact", {"entity_id": HAWKEYE}, blocking=True
    )
    assert (await xuc_server.wait_for_command("dial"))["destination"] == "1002"
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN, "call_contact", {"entity_id": PHONE}, blocking=True
        )
    assert raised.value.translation_key == "not_a_favorite"
    assert len(xuc_server.commands("dial")) == 1


async def test_the_call_history_as_response_data(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`xivo.get_call_history`: the other party of each call, as the official client."""
    xuc_server.add_history(
        "alice",
        xuc_server.history_entry(
            "alice", status="missed", number="0427466347", name="Émilie Lefèvre"
        ),
        xuc_server.history_entry(
            "alice",
            status="emitted",
            number="1002",
            name="hawkeye pierce",
            duration_s=75,
        ),
    )
    response = await hass.services.async_call(
        DOMAIN,
        "get_call_history",
        {"config_entry_id": init_integration.entry_id, "size": 20},
        blocking=True,
        return_response=True,
    )
    assert xuc_server.commands("getUserCallHistory")[-1]["size"] == 20
    calls = response["calls"]
    assert {(c["status"], c["direction"], c["number"], c["name"]) for c in calls} == {
        ("missed", "incoming", "0427466347", "Émilie Lefèvre"),
        ("emitted", "outgoing", "1002", "hawkeye pierce"),
    }
    emitted = next(c for c in calls if c["status"] == "emitted")
    assert emitted["duration_s"] == 75
    assert emitted["start"][:4].isdigit()  # ISO time

    # By days; ten days when neither is given.
    for data, days in (({"days": 3}, 3), ({}, 10)):
        await hass.services.async_call(
            DOMAIN,
            "get_call_history",
            {"config_entry_id": init_integration.entry_id, **data},
            blocking=True,
            return_response=True,
        )
        assert xuc_server.commands("getUserCallHistoryByDays")[-1]["days"] == days


@pytest.mark.parametrize(
    "data", [{"size": 0}, {"size": 101}, {"days": 31}, {"size": 5, "days": 5}]
)
async def test_a_bad_history_range_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    data: dict[str, Any],
) -> None:
    """1 to 100 calls or 1 to 30 days, not both: refused before anything is sent."""
    xuc_server.clear_received()
    with pytest.raises(vol.Invalid):
        await hass.services.async_call(
            DOMAIN,
            "get_call_history",
            {"config_entry_id": init_integration.entry_id, **data},
            blocking=True,
            return_response=True,
        )
    assert xuc_server.received == []


async def test_a_refused_history_is_a_translated_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A server that answers the history request with an error: a time-out, said so."""
    xuc_server.refuse_history = True
    init_integration.runtime_data.client.timings.command_timeout = 0.3
    with pytest.raises(HomeAssistantError) as raised:
        await hass.services.async_call(
            DOMAIN,
            "get_call_history",
            {"config_entry_id": init_integration.entry_id, "size": 5},
            blocking=True,
            return_response=True,
        )
    assert raised.value.translation_key in {"command_timeout", "command_refused"}
