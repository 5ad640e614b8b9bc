"""The agent device triggers, condition and actions, for Alice as agent 12.

Listed only for a user the server gives an agent id; each fires, holds or acts against
the simulator (see `agent_frames` for the queues and the colleagues). The agent
blueprint, made of them, is tested here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.xivo.const import DOMAIN

from . import agent_frames
from .agent_frames import AGENT_ID, AGENT_STATE, BLUESKY, BLUESKY_WAITING, SALES
from .common import state_is, wait_for_state
from .simulator import XucSimulator
from .test_blueprints import use_blueprint
from .test_device_trigger import (
    account_device_id,
    extra_fields,
    listed_types,
    setup_automations,
)

# Alice is agent 12 on this module's simulator (see agent_frames).
sim_data = agent_frames.sim_data
xuc_server = agent_frames.xuc_server
no_agent_entry = agent_frames.no_agent_entry

AGENT_TRIGGERS = ["agent_paused", "agent_ready", "calls_waiting"]


@pytest.mark.parametrize(
    ("kind", "agent_types"),
    [
        (DeviceAutomationType.TRIGGER, AGENT_TRIGGERS),
        (DeviceAutomationType.CONDITION, ["agent_is"]),
        (DeviceAutomationType.ACTION, ["agent_pause", "agent_ready"]),
    ],
)
async def test_agent_automations_listed_for_agents_only(
    hass: HomeAssistant,
    no_agent_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    kind: DeviceAutomationType,
    agent_types: list[str],
) -> None:
    """A user who is no agent has none; once the server names an agent, they appear."""
    listed = await listed_types(hass, kind, no_agent_entry)
    assert not set(agent_types) & set(listed)
    await xuc_server.update_user_config("alice", agentId=AGENT_ID)
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    assert sorted({*listed, *agent_types}) == await listed_types(
        hass, kind, no_agent_entry
    )


async def test_agent_triggers_fire(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Paused (with its reason), ready again, and calls waiting in one of her queues."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await wait_for_state(hass, BLUESKY_WAITING, state_is("0"))
    device_id = account_device_id(hass, init_integration)
    calls = await setup_automations(
        hass,
        [
            {
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    "type": trigger_type,
                },
                "action": {
                    "service": "test.automation",
                    "data": {
                        "type": trigger_type,
                        "detail": "{{ trigger.event.data.reason"
                        " or trigger.event.data.queue or '' }}",
                    },
                },
            }
            for trigger_type in AGENT_TRIGGERS
        ],
    )
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause", cause="outtolunch")
    await wait_for_state(hass, AGENT_STATE, state_is("paused"))
    await xuc_server.set_agent_state(AGENT_ID, "AgentReady")
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await xuc_server.add_caller(SALES)  # not one of her queues
    await xuc_server.add_caller(BLUESKY)
    await xuc_server.add_caller(BLUESKY)  # 1 -> 2: no new trigger
    await wait_for_state(hass, BLUESKY_WAITING, state_is("2"))
    await hass.async_block_till_done()
    assert [(c.data["type"], c.data["detail"]) for c in calls] == [
        ("agent_paused", "outtolunch"),
        ("agent_ready", ""),
        ("calls_waiting", "Blue Sky"),
    ]


async def test_agent_is(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`agent_is` holds for the agent's availability: ready, paused, logged out."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    calls = await setup_automations(
        hass,
        [
            {
                "trigger": {"platform": "event", "event_type": "check"},
                "condition": {
                    "condition": "device",
                    "domain": DOMAIN,
                    "device_id": account_device_id(hass, init_integration),
                    "type": "agent_is",
                    "state": state,
                },
                "action": {"service": "test.automation", "data": {"held": state}},
            }
            for state in ("ready", "paused", "logged_out")
        ],
    )

    async def held() -> list[str]:
        calls.clear()
        hass.bus.async_fire("check")
        await hass.async_block_till_done()
        return [call.data["held"] for call in calls]

    assert await held() == ["ready"]
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause")
    await wait_for_state(hass, AGENT_STATE, state_is("paused"))
    assert await held() == ["paused"]
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    assert await held() == ["logged_out"]


async def _actions(
    hass: HomeAssistant, entry: MockConfigEntry, *actions: dict[str, Any]
) -> None:
    """An automation per device action, run by the event `act<its index>`."""
    await setup_automations(
        hass,
        [
            {
                "trigger": {"platform": "event", "event_type": f"act{index}"},
                "action": {
                    "domain": DOMAIN,
                    "device_id": account_device_id(hass, entry),
                    **action,
                },
            }
            for index, action in enumerate(actions)
        ],
    )


async def test_agent_pause_then_ready(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A reason given by its label is sent as its name; ready unpauses."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _actions(
        hass,
        init_integration,
        {"type": "agent_pause", "reason": "Parti Manger"},
        {"type": "agent_ready"},
    )
    hass.bus.async_fire("act0")
    assert (await xuc_server.wait_for_command("pauseAgent"))["reason"] == "outtolunch"
    await wait_for_state(hass, AGENT_STATE, state_is("paused"))
    hass.bus.async_fire("act1")
    assert (await xuc_server.wait_for_command("unpauseAgent"))["agentid"] == AGENT_ID
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))


async def test_status_that_is_no_pause_reason_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """`away` does not pause the queues: the automation is refused, nothing is sent."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _actions(hass, init_integration, {"type": "agent_pause", "reason": "away"})
    hass.bus.async_fire("act0")
    await hass.async_block_till_done()
    assert (
        "Unknown XiVO pause reason 'away'; the server lists: outtolunch" in caplog.text
    )
    assert not xuc_server.commands("pauseAgent")


async def test_pause_reasons_offered(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The UI offers the server's pause reasons (name -> label), and the agent states."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    device_id = account_device_id(hass, init_integration)
    (reason,) = await extra_fields(
        hass,
        hass_ws_client,
        "action",
        {"domain": DOMAIN, "device_id": device_id, "type": "agent_pause"},
    )
    assert reason["name"] == "reason"
    assert reason["options"] == [["outtolunch", "Parti Manger"]]
    (state,) = await extra_fields(
        hass,
        hass_ws_client,
        "condition",
        {
            "condition": "device",
            "domain": DOMAIN,
            "device_id": device_id,
            "type": "agent_is",
        },
    )
    assert [option[0] for option in state["options"]] == [
        "ready",
        "paused",
        "logged_out",
    ]


async def test_agent_pause_on_sensor_blueprint(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """The blueprint: the door opens, paused for the reason (its label); closed: ready."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    hass.states.async_set("binary_sensor.front_door", "off")
    await use_blueprint(
        hass,
        tmp_path,
        "agent_pause_on_sensor",
        {
            "account": account_device_id(hass, init_integration),
            "sensor": "binary_sensor.front_door",
            "reason": "Parti Manger",
        },
    )
    hass.states.async_set("binary_sensor.front_door", "on")
    await wait_for_state(hass, AGENT_STATE, state_is("paused"))
    assert xuc_server.commands("pauseAgent")[-1]["reason"] == "outtolunch"
    hass.states.async_set("binary_sensor.front_door", "off")
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    assert len(xuc_server.commands("unpauseAgent")) == 1
