"""Device conditions of the account's device, through automations, against the simulator."""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN

from .common import state_is, wait_for_state
from .simulator import XucSimulator
from .test_device_trigger import account_device_id, listed_types, setup_automations

ON_CALL = "binary_sensor.alice_johnson_on_a_call"
RINGING = "binary_sensor.alice_johnson_ringing"
PRESENCE = "select.alice_johnson_presence"


async def _checked(
    hass: HomeAssistant, device_id: str, *conditions: dict[str, Any]
) -> list[ServiceCall]:
    """An automation per condition, fired by the `check` event; each records its type."""
    return await setup_automations(
        hass,
        [
            {
                "trigger": {"platform": "event", "event_type": "check"},
                "condition": {
                    "condition": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    **condition,
                },
                "action": {
                    "service": "test.automation",
                    "data": {"held": f"{condition['type']} {index}"},
                },
            }
            for index, condition in enumerate(conditions)
        ],
    )


async def _held(hass: HomeAssistant, calls: list[ServiceCall]) -> list[str]:
    """Fire `check`; the conditions that held, in order."""
    calls.clear()
    hass.bus.async_fire("check")
    await hass.async_block_till_done()
    return sorted(call.data["held"] for call in calls)


async def test_conditions_listed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account's device lists on a call, ringing and presence."""
    assert await listed_types(
        hass, DeviceAutomationType.CONDITION, init_integration
    ) == ["is_on_call", "is_ringing", "presence_is"]


async def test_call_conditions_follow_the_call(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Ringing while it rings, on a call once answered, neither once hung up."""
    calls = await _checked(
        hass,
        account_device_id(hass, init_integration),
        {"type": "is_on_call"},
        {"type": "is_ringing"},
    )
    assert await _held(hass, calls) == []
    call_id = await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await wait_for_state(hass, RINGING, state_is("on"))
    assert await _held(hass, calls) == ["is_ringing 1"]
    await xuc_server.answer_call("alice", call_id)
    await wait_for_state(hass, ON_CALL, state_is("on"))
    assert await _held(hass, calls) == ["is_on_call 0"]
    await xuc_server.hang_up("alice", call_id)
    await wait_for_state(hass, ON_CALL, state_is("off"))
    assert await _held(hass, calls) == []


async def test_presence_is(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`presence_is` holds for its status only; a label is stored as the name."""
    calls = await _checked(
        hass,
        account_device_id(hass, init_integration),
        {"type": "presence_is", "status": "available"},
        {"type": "presence_is", "status": "Sorti"},
    )
    assert await _held(hass, calls) == ["presence_is 0"]
    await xuc_server.set_user_status("alice", "away")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    assert await _held(hass, calls) == ["presence_is 1"]


async def test_no_condition_holds_while_the_link_is_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Nothing is known of the state with the link down: no condition holds."""
    calls = await _checked(
        hass,
        account_device_id(hass, init_integration),
        {"type": "presence_is", "status": "available"},
    )
    await xuc_server.stop()
    await wait_for_state(hass, PRESENCE, state_is("unavailable"))
    assert await _held(hass, calls) == []


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"type": "presence_is", "status": "holiday"}, "Unknown XiVO status"),
        ({"type": "presence_is"}, "presence_is needs status"),
        ({"type": "is_busy"}, "value must be one of ['agent_is', 'is_on_call'"),
    ],
)
async def test_bad_conditions_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    condition: dict[str, Any],
    message: str,
) -> None:
    """A bad status, a missing one or an unknown type leave the automation unset."""
    calls = await _checked(hass, account_device_id(hass, init_integration), condition)
    assert message in caplog.text
    assert await _held(hass, calls) == []
