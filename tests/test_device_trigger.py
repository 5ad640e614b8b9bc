"""Device triggers of the account's device, through automations, against the simulator."""

from __future__ import annotations

from typing import Any

from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.coordinator import account_device
from custom_components.xivo.device_trigger import EVENT_XIVO
from custom_components.xivo.services import SERVICE_DIAL

from .common import CALL, wait_for_state
from .simulator import XucSimulator

ACCOUNT_TRIGGERS = [
    "incoming_call",
    "outgoing_call",
    "call_answered",
    "call_ended",
    "missed_call",
    "new_voicemail",
    "presence_changed",
]


def account_device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The id of the account's device in the registry."""
    device = account_device(dr.async_get(hass), entry)
    assert device is not None
    return device.id


async def wait_calls(
    hass: HomeAssistant, calls: list[ServiceCall], count: int
) -> list[ServiceCall]:
    """Wait until the automations have called `test.automation` `count` times."""
    await wait_for_state(hass, CALL, lambda _state: len(calls) >= count)
    return calls


async def setup_automations(
    hass: HomeAssistant, automations: list[dict[str, Any]]
) -> list[ServiceCall]:
    """Set these automations up; the `test.automation` calls they make are returned."""
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass, automation.DOMAIN, {automation.DOMAIN: automations}
    )
    await hass.async_block_till_done()
    return calls


async def listed_types(
    hass: HomeAssistant, kind: DeviceAutomationType, entry: MockConfigEntry
) -> list[str]:
    """The types of this integration's device automations of a kind, sorted.

    (The device's entities add their own, such as a switch turning on, with other
    domains.)
    """
    automations = await async_get_device_automations(
        hass, kind, account_device_id(hass, entry)
    )
    assert all(a["device_id"] == account_device_id(hass, entry) for a in automations)
    return sorted(a["type"] for a in automations if a["domain"] == DOMAIN)


async def extra_fields(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    kind: str,
    config: dict[str, Any],
) -> list[dict[str, Any]]:
    """The fields the UI is offered for a device trigger, condition or action."""
    assert await async_setup_component(hass, "device_automation", {})
    client = await hass_ws_client(hass)
    await client.send_json(
        {"id": 1, "type": f"device_automation/{kind}/capabilities", kind: config}
    )
    reply = await client.receive_json()
    assert reply["success"], reply
    fields: list[dict[str, Any]] = reply["result"].get("extra_fields", [])
    return fields


async def _automations(
    hass: HomeAssistant, device_id: str, *triggers: dict[str, Any]
) -> list[ServiceCall]:
    """One automation per trigger; each records its trigger's type and data."""
    return await setup_automations(
        hass,
        [
            {
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    **trigger,
                },
                "action": {
                    "service": "test.automation",
                    "data": {
                        "type": "{{ trigger.event.data.type }}",
                        "name": "{{ trigger.event.data.name }}",
                        "status": "{{ trigger.event.data.status }}",
                    },
                },
            }
            for trigger in triggers
        ],
    )


async def test_triggers_listed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The account's device lists the call, voicemail and presence triggers."""
    assert await listed_types(
        hass, DeviceAutomationType.TRIGGER, init_integration
    ) == sorted(ACCOUNT_TRIGGERS)


async def test_call_triggers_fire(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Incoming, answered, ended and missed fire with the caller's name."""
    device_id = account_device_id(hass, init_integration)
    calls = await _automations(
        hass,
        device_id,
        *({"type": kind} for kind in ("incoming_call", "call_answered", "call_ended")),
        {"type": "missed_call"},
    )
    call_id = await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await wait_calls(hass, calls, 1)
    await xuc_server.answer_call("alice", call_id)
    await xuc_server.hang_up("alice", call_id)
    await wait_calls(hass, calls, 3)
    missed = await xuc_server.incoming_call("alice", "0427466347")
    await xuc_server.hang_up("alice", missed)
    await wait_calls(hass, calls, 5)
    assert [call.data["type"] for call in calls] == [
        "incoming_call",
        "call_answered",
        "call_ended",
        "incoming_call",
        "missed_call",
    ]
    assert calls[0].data["name"] == "Hawkeye Pierce"


async def test_outgoing_call_fires(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A call placed from Home Assistant fires outgoing_call."""
    calls = await _automations(
        hass, account_device_id(hass, init_integration), {"type": "outgoing_call"}
    )
    await hass.services.async_call(
        DOMAIN,
        SERVICE_DIAL,
        {"config_entry_id": init_integration.entry_id, "number": "1002"},
        blocking=True,
    )
    assert [c.data["type"] for c in await wait_calls(hass, calls, 1)] == [
        "outgoing_call"
    ]


async def test_new_voicemail_fires_when_the_count_goes_up(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """More new messages fire; fewer (listened to) do not."""
    calls = await _automations(
        hass, account_device_id(hass, init_integration), {"type": "new_voicemail"}
    )
    await xuc_server.set_voicemail("alice", 2, 0)
    await wait_calls(hass, calls, 1)
    await xuc_server.set_voicemail("alice", 1, 1)
    await xuc_server.set_voicemail("alice", 3, 1)
    await wait_calls(hass, calls, 2)
    await hass.async_block_till_done()
    assert len(calls) == 2


async def test_presence_changed_with_and_without_status(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Any change fires the plain trigger; `to` (a label here) fires on its status."""
    calls = await _automations(
        hass,
        account_device_id(hass, init_integration),
        {"type": "presence_changed"},
        {"type": "presence_changed", "to": "Parti Manger"},
    )
    await xuc_server.set_user_status("alice", "away")
    await wait_calls(hass, calls, 1)
    await xuc_server.set_user_status("alice", "outtolunch")
    await wait_calls(hass, calls, 3)
    await hass.async_block_till_done()
    assert sorted(c.data["status"] for c in calls) == [
        "away",
        "outtolunch",
        "outtolunch",
    ]


async def test_bad_trigger_configs_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown status, or `to` on a call trigger, leave the automation unset."""
    device_id = account_device_id(hass, init_integration)
    await _automations(
        hass,
        device_id,
        {"type": "presence_changed", "to": "holiday"},
        {"type": "incoming_call", "to": "away"},
    )
    assert "Unknown XiVO status 'holiday'" in caplog.text
    assert "incoming_call takes no to" in caplog.text
    assert not hass.bus.async_listeners().get(EVENT_XIVO)


async def test_trigger_capabilities_offer_statuses(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The UI offers the server's statuses (name -> label) for `to`, and only there."""
    trigger = {
        "platform": "device",
        "domain": DOMAIN,
        "device_id": account_device_id(hass, init_integration),
    }
    (field,) = await extra_fields(
        hass, hass_ws_client, "trigger", {**trigger, "type": "presence_changed"}
    )
    assert field["name"] == "to"
    assert ["outtolunch", "Parti Manger"] in field["options"]
    assert not await extra_fields(
        hass, hass_ws_client, "trigger", {**trigger, "type": "incoming_call"}
    )
