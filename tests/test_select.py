"""The presence and preferred-device selects, against the simulator."""

from __future__ import annotations

import contextlib
import logging

from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.select import status_labels
from custom_components.xivo.xuc import Status

from .common import state_is, wait_for_state
from .simulator import SimStatus, XucSimulator

PRESENCE = "select.alice_johnson_presence"
DEVICE = "select.alice_johnson_preferred_device"


async def _select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: option},
        blocking=True,
    )


async def test_presence_lists_server_statuses(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Options are the labels the server lists; name and colour are attributes."""
    state = hass.states.get(PRESENCE)
    assert state is not None
    assert state.state == "Disponible"
    assert state.attributes["options"] == [
        "Disponible",
        "Sorti",
        "Parti Manger",
        "Ne pas déranger",
        "Bientôt de retour",
        "Déconnecté",
    ]
    assert state.attributes["status_name"] == "available"
    assert state.attributes["color"] == "#08FD20"


async def test_choosing_presence_sends_status_name(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Choosing a label sends the status's name; the state follows the server's push."""
    await _select(hass, PRESENCE, "Parti Manger")
    assert await xuc_server.wait_for_command("userStatusUpdate") == {
        "claz": "web",
        "command": "userStatusUpdate",
        "status": "outtolunch",
    }
    state = await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    assert state is not None
    assert state.attributes["status_name"] == "outtolunch"


async def test_presence_follows_other_clients(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A status taken on the desk phone or another client shows up live."""
    await xuc_server.set_user_status("alice", "away")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))


async def test_presence_options_follow_new_list(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A new list of statuses from the server replaces the options."""
    await xuc_server.set_statuses(
        [
            SimStatus("available", "Disponible", "#08FD20", 0),
            SimStatus("meeting", "En réunion", "#FF0000", 1, [("enablednd", "true")]),
        ]
    )
    await wait_for_state(
        hass,
        PRESENCE,
        lambda state: (
            state is not None
            and state.attributes["options"] == ["Disponible", "En réunion"]
        ),
    )


def test_shared_labels_stay_distinct() -> None:
    """Two statuses with one label get distinct options (the label and the name)."""
    labels = status_labels(
        (Status("a", "Away"), Status("b", "Away"), Status("c", "Here"))
    )
    assert list(labels) == ["Away (a)", "Away (b)", "Here"]


async def test_preferred_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The preference travels as a String; the state follows the push."""
    assert hass.states.get(DEVICE).state == "phone_device"
    await _select(hass, DEVICE, "default_device")
    assert await xuc_server.wait_for_command("setUserPreference") == {
        "claz": "web",
        "command": "setUserPreference",
        "key": "PREFERRED_DEVICE",
        "value": "TypeDefaultDevice",
        "value_type": "String",
    }
    await wait_for_state(hass, DEVICE, state_is("default_device"))


async def test_unknown_preferred_device_is_unknown(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A value this integration does not know is shown as unknown and logged once."""
    with caplog.at_level(logging.WARNING):
        await xuc_server.set_preference(
            "alice", "PREFERRED_DEVICE", "TypeWebRTC", "String"
        )
        await wait_for_state(hass, DEVICE, state_is(STATE_UNKNOWN))
        await xuc_server.set_preference("alice", "MOBILE_APP_INFO", "false", "Boolean")
        await wait_for_state(hass, "switch.alice_johnson_mobile_app", state_is("off"))
    assert caplog.text.count("TypeWebRTC") == 1


async def test_command_while_link_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """With the link down the entity is unavailable: its command is never queued.

    Home Assistant does not call an unavailable entity (2025.4 skips it; newer releases
    may raise): either way nothing reaches the server, not even after the link is back.
    """
    await xuc_server.stop()
    await wait_for_state(hass, PRESENCE, state_is("unavailable"))
    with contextlib.suppress(HomeAssistantError):
        await _select(hass, PRESENCE, "Sorti")
    await xuc_server.start()
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=10)
    assert not xuc_server.commands("userStatusUpdate")
