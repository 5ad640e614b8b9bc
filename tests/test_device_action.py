"""Device actions of the account's device, through automations, against the simulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xivo.const import DOMAIN

from .common import state_is, wait_for_state
from .simulator import XucSimulator
from .test_device_trigger import (
    account_device_id,
    extra_fields,
    listed_types,
    setup_automations,
)

PRESENCE = "select.alice_johnson_presence"
DND = "switch.alice_johnson_do_not_disturb"


async def _acting(hass: HomeAssistant, device_id: str, **action: Any) -> None:
    """An automation that runs this device action on the `act` event."""
    await setup_automations(
        hass,
        [
            {
                "trigger": {"platform": "event", "event_type": "act"},
                "action": {"domain": DOMAIN, "device_id": device_id, **action},
            }
        ],
    )


async def test_actions_listed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account's device lists presence, Do Not Disturb and dial."""
    assert await listed_types(hass, DeviceAutomationType.ACTION, init_integration) == [
        "dial",
        "set_dnd",
        "set_presence",
    ]


async def test_set_presence_for_a_while(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A label and a duration: the status, then the previous one at the end."""
    await _acting(
        hass,
        account_device_id(hass, init_integration),
        type="set_presence",
        status="Ne pas déranger",
        duration={"minutes": 30},
    )
    hass.bus.async_fire("act")
    state = await wait_for_state(hass, PRESENCE, state_is("Ne pas déranger"))
    assert state is not None
    until = dt_util.parse_datetime(state.attributes["until"])
    assert until is not None
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await wait_for_state(hass, PRESENCE, state_is("Disponible"))
    assert [f["status"] for f in xuc_server.commands("userStatusUpdate")] == [
        "donotdisturb",
        "available",
    ]


@pytest.mark.parametrize("enabled", [True, False])
async def test_set_dnd(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    enabled: bool,
) -> None:
    """Do Not Disturb on or off, as asked."""
    await _acting(
        hass,
        account_device_id(hass, init_integration),
        type="set_dnd",
        dnd=enabled,
    )
    hass.bus.async_fire("act")
    assert (await xuc_server.wait_for_command("dnd"))["state"] is enabled
    await wait_for_state(hass, DND, state_is("on" if enabled else "off"))


async def test_dial(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Dial places the call (spaces trimmed)."""
    await _acting(
        hass,
        account_device_id(hass, init_integration),
        type="dial",
        number=" 1002 ",
    )
    hass.bus.async_fire("act")
    assert (await xuc_server.wait_for_command("dial"))["destination"] == "1002"


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"type": "set_presence", "status": "holiday"}, "Unknown XiVO status"),
        ({"type": "set_presence"}, "set_presence needs status"),
        ({"type": "set_dnd"}, "set_dnd needs dnd"),
        ({"type": "dial", "number": "10 02a"}, "number"),
        (
            {"type": "dial", "number": "1002", "duration": "00:10:00"},
            "dial takes no duration",
        ),
        ({"type": "set_presence", "status": "away", "duration": "25:00:00"}, "24"),
    ],
)
async def test_bad_actions_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    *,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
    action: dict[str, Any],
    message: str,
) -> None:
    """Each bad value is a clear error, and nothing is sent."""
    await _acting(hass, account_device_id(hass, init_integration), **action)
    assert message in caplog.text
    hass.bus.async_fire("act")
    await hass.async_block_till_done()
    assert not xuc_server.commands("userStatusUpdate")
    assert not xuc_server.commands("dial")


async def test_action_capabilities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The UI gets the server's statuses and a duration for set_presence."""
    action = {"domain": DOMAIN, "device_id": account_device_id(hass, init_integration)}
    status, duration = await extra_fields(
        hass, hass_ws_client, "action", {**action, "type": "set_presence"}
    )
    assert status["name"] == "status"
    assert status["required"]
    assert ["away", "Sorti"] in status["options"]
    # (The newest releases also say `required: False`.)
    assert {key: duration[key] for key in ("name", "optional", "type")} == {
        "name": "duration",
        "optional": True,
        "type": "positive_time_period_dict",
    }
    for action_type, name in (("set_dnd", "dnd"), ("dial", "number")):
        fields = await extra_fields(
            hass, hass_ws_client, "action", {**action, "type": action_type}
        )
        assert [field["name"] for field in fields] == [name]
