"""Switches and forward destinations, against the simulator."""

from __future__ import annotations

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.components.text import (
    ATTR_VALUE,
    DOMAIN as TEXT_DOMAIN,
    SERVICE_SET_VALUE,
)
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .common import state_is, wait_for_state
from .simulator import XucSimulator

MOBILE = "switch.alice_johnson_mobile_app"
PRESENCE = "select.alice_johnson_presence"
DND = "switch.alice_johnson_do_not_disturb"
FORWARDS = {
    "uncFwd": (
        "switch.alice_johnson_forward_all_calls",
        "text.alice_johnson_forward_all_calls_to",
    ),
    "naFwd": (
        "switch.alice_johnson_forward_on_no_answer",
        "text.alice_johnson_forward_on_no_answer_to",
    ),
    "busyFwd": (
        "switch.alice_johnson_forward_when_busy",
        "text.alice_johnson_forward_when_busy_to",
    ),
}


async def _switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    await hass.services.async_call(
        SWITCH_DOMAIN,
        SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )


async def _set_text(hass: HomeAssistant, entity_id: str, value: str) -> None:
    await hass.services.async_call(
        TEXT_DOMAIN,
        SERVICE_SET_VALUE,
        {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value},
        blocking=True,
    )


async def test_mobile_app_preference(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """MOBILE_APP_INFO travels as "true"/"false" with value_type Boolean."""
    assert hass.states.get(MOBILE).state == "on"
    await _switch(hass, MOBILE, False)
    assert await xuc_server.wait_for_command("setUserPreference") == {
        "claz": "web",
        "command": "setUserPreference",
        "key": "MOBILE_APP_INFO",
        "value": "false",
        "value_type": "Boolean",
    }
    await wait_for_state(hass, MOBILE, state_is("off"))
    await _switch(hass, MOBILE, True)
    assert (await xuc_server.wait_for_command("setUserPreference", count=2))[
        "value"
    ] == "true"
    await wait_for_state(hass, MOBILE, state_is("on"))


async def test_dnd(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The DND switch sends `dnd` and follows `UserConfigUpdate.dndEnabled`."""
    await _switch(hass, DND, True)
    assert await xuc_server.wait_for_command("dnd") == {
        "claz": "web",
        "command": "dnd",
        "state": True,
    }
    await wait_for_state(hass, DND, state_is("on"))
    await _switch(hass, DND, False)
    await wait_for_state(hass, DND, state_is("off"))


async def test_status_with_dnd_action_keeps_switch_consistent(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The switch is the server's `dndEnabled`, never guessed from a status's actions.

    Running a status's `enablednd` action is the server's job (the simulator does it
    as xuc does, §16): that half alone would test the simulator. The integration's
    part is to wait for the server's word: a presence push whose status carries
    `enablednd(true)`, with no `dndEnabled` after it, leaves the switch off.
    """
    await xuc_server.send_raw(
        '{"msgType": "UserStatusUpdate", "ctiMessage": {"status": "donotdisturb"}}'
    )
    await wait_for_state(hass, PRESENCE, state_is("Ne pas déranger"))
    dnd = hass.states.get(DND)
    assert dnd is not None
    assert dnd.state == "off"
    # The server runs the action and says so: now the switch follows.
    await xuc_server.set_user_status("alice", "donotdisturb")
    await wait_for_state(hass, DND, state_is("on"))
    await xuc_server.set_user_status("alice", "available")
    await wait_for_state(hass, DND, state_is("off"))


@pytest.mark.parametrize("command", list(FORWARDS))
async def test_forward(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    command: str,
) -> None:
    """Set a destination, turn the forward on then off; state follows the pushes."""
    switch, text = FORWARDS[command]
    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, switch, True)
    assert err.value.translation_key == "forward_without_destination"
    assert not xuc_server.commands(command)

    await _set_text(hass, text, "+33612345678")
    assert await xuc_server.wait_for_command(command) == {
        "claz": "web",
        "command": command,
        "state": False,
        "destination": "+33612345678",
    }
    await wait_for_state(hass, text, state_is("+33612345678"))
    await _switch(hass, switch, True)
    assert (await xuc_server.wait_for_command(command, count=2))["state"] is True
    await wait_for_state(hass, switch, state_is("on"))
    await _switch(hass, switch, False)
    assert await xuc_server.wait_for_command(command, count=3) == {
        "claz": "web",
        "command": command,
        "state": False,
        "destination": "+33612345678",
    }
    await wait_for_state(hass, switch, state_is("off"))


async def test_invalid_destination(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Only digits, +, * and # are accepted; nothing is sent otherwise."""
    _switch_id, text = FORWARDS["naFwd"]
    with pytest.raises((ServiceValidationError, ValueError)):
        await _set_text(hass, text, "12ab")
    assert not xuc_server.commands("naFwd")


async def test_clearing_destination_of_active_forward(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """An active forward cannot lose its destination."""
    switch, text = FORWARDS["busyFwd"]
    await xuc_server.update_user_config(
        "alice", busyFwdEnabled=True, busyFwdDestination="1002"
    )
    await wait_for_state(hass, switch, state_is("on"))
    with pytest.raises(ServiceValidationError) as err:
        await _set_text(hass, text, "")
    assert err.value.translation_key == "invalid_destination"


async def test_forward_set_elsewhere(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A forward set from another client shows up; a partial update keeps the rest."""
    await xuc_server.update_user_config(
        "alice", uncFwdEnabled=True, uncFwdDestination="0427466347"
    )
    await wait_for_state(hass, FORWARDS["uncFwd"][0], state_is("on"))
    await wait_for_state(hass, FORWARDS["uncFwd"][1], state_is("0427466347"))
    await xuc_server.update_user_config("alice", dndEnabled=True)
    await wait_for_state(hass, DND, state_is("on"))
    assert hass.states.get(FORWARDS["uncFwd"][0]).state == "on"
    assert hass.states.get(FORWARDS["uncFwd"][1]).state == "0427466347"
