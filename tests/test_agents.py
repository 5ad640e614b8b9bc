"""A user who is a queue agent, through Home Assistant, against the simulator.

The agent's state, availability and recording follow the server's pushes, the select
and the switch send the right frames; a user who is no agent has none of them; other
agents' events change nothing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_STATE_CHANGED,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN

from . import agent_frames
from .agent_frames import (
    AGENT_ID,
    AGENT_STATE,
    AVAILABILITY,
    BLUESKY,
    BLUESKY_LONGEST,
    BLUESKY_WAITING,
    OTHERS,
    RECORDING,
    SALES,
    agent_event,
    switch,
)
from .common import state_is, wait_for_state
from .simulator import ServerProfile, SimData, XucSimulator

# Alice is agent 12 on this module's simulator (see agent_frames).
sim_data = agent_frames.sim_data
xuc_server = agent_frames.xuc_server
no_agent_entry = agent_frames.no_agent_entry


async def _select(hass: HomeAssistant, option: str) -> None:
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: AVAILABILITY, ATTR_OPTION: option},
        blocking=True,
    )


async def test_agent_state_and_its_attributes(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Paused for a reason: the status name and label, since, queues, call fields."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause", cause="outtolunch")
    state = await wait_for_state(hass, AGENT_STATE, state_is("paused"))
    assert state is not None
    attributes = state.attributes
    assert attributes["pause_reason"] == "outtolunch"
    assert attributes["pause_reason_label"] == "Parti Manger"
    assert attributes["queues"] == ["Blue Sky", "Support"]
    assert attributes["acd_call"] is False
    assert attributes["call_direction"] is None
    assert attributes["since"].endswith("+00:00")
    assert attributes["options"] == [
        "logged_out",
        "logged_in",
        "ready",
        "paused",
        "wrapup",
        "on_call",
        "ringing",
        "dialing",
    ]

    await xuc_server.set_agent_state(
        AGENT_ID, "AgentOnCall", acd=True, direction="Incoming"
    )
    state = await wait_for_state(hass, AGENT_STATE, state_is("on_call"))
    assert state is not None
    assert state.attributes["acd_call"] is True
    assert state.attributes["call_direction"] == "Incoming"
    assert state.attributes["pause_reason"] is None
    assert state.attributes["pause_reason_label"] is None


async def test_unknown_state_name_is_unknown(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A state name the library does not know shows as unknown."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await xuc_server.send_raw(agent_event("AgentOnAcdCall"))
    await wait_for_state(hass, AGENT_STATE, state_is(STATE_UNKNOWN))
    await wait_for_state(hass, AVAILABILITY, state_is(STATE_UNKNOWN))


async def test_availability_follows_the_push(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Ready, the reason's label while paused, `paused` for another cause, logged out."""
    state = await wait_for_state(hass, AVAILABILITY, state_is("ready"))
    assert state is not None
    # The seed's one queuepause_all status is `outtolunch`.
    assert state.attributes["options"] == ["ready", "Parti Manger", "logged_out"]
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause", cause="outtolunch")
    await wait_for_state(hass, AVAILABILITY, state_is("Parti Manger"))
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause", cause="away")
    state = await wait_for_state(hass, AVAILABILITY, state_is("paused"))
    assert state is not None
    assert "paused" in state.attributes["options"]
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnWrapup")
    await wait_for_state(hass, AVAILABILITY, state_is("ready"))
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    await wait_for_state(hass, AVAILABILITY, state_is("logged_out"))


async def test_each_option_sends_its_frame(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A reason pauses with its name, ready unpauses, logged out logs out, ready logs in."""
    await wait_for_state(hass, AVAILABILITY, state_is("ready"))
    await _select(hass, "Parti Manger")
    assert xuc_server.commands("pauseAgent") == [
        {
            "claz": "web",
            "command": "pauseAgent",
            "agentid": AGENT_ID,
            "reason": "outtolunch",
        }
    ]
    await wait_for_state(hass, AVAILABILITY, state_is("Parti Manger"))
    await _select(hass, "ready")
    assert xuc_server.commands("unpauseAgent") == [
        {"claz": "web", "command": "unpauseAgent", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _select(hass, "logged_out")
    assert xuc_server.commands("agentLogout") == [
        {"claz": "web", "command": "agentLogout", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    # Ready from logged out: log in on the own line first.
    await _select(hass, "ready")
    assert xuc_server.commands("agentLogin") == [
        {
            "claz": "web",
            "command": "agentLogin",
            "agentphonenumber": "1000",
            "agentid": AGENT_ID,
        }
    ]
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))


async def test_one_paused_option_without_pause_reasons(
    hass: HomeAssistant,
    sim_data: SimData,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """A server with no queuepause_all status: `paused` pauses with no reason."""
    await xuc_server.set_statuses(
        [status for status in sim_data.statuses if status.name != "outtolunch"]
    )
    state = await wait_for_state(
        hass,
        AVAILABILITY,
        lambda s: s is not None and s.attributes["options"][1] == "paused",
    )
    assert state is not None
    assert state.attributes["options"] == ["ready", "paused", "logged_out"]
    await _select(hass, "paused")
    assert xuc_server.commands("pauseAgent") == [
        {"claz": "web", "command": "pauseAgent", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, AVAILABILITY, state_is("paused"))


async def test_recording_switch(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Off pauses the recording, on resumes it; unavailable while recording is off."""
    await wait_for_state(hass, RECORDING, state_is("on"))
    await switch(hass, RECORDING, False)
    assert xuc_server.commands("monitorPause") == [
        {"claz": "web", "command": "monitorPause", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, RECORDING, state_is("off"))
    await switch(hass, RECORDING, True)
    assert xuc_server.commands("monitorUnpause") == [
        {"claz": "web", "command": "monitorUnpause", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, RECORDING, state_is("on"))
    await xuc_server.set_monitor_state(AGENT_ID, "DISABLED")
    await wait_for_state(hass, RECORDING, state_is(STATE_UNAVAILABLE))


async def test_no_agent_entities_for_a_user_who_is_no_agent(
    hass: HomeAssistant, no_agent_entry: MockConfigEntry
) -> None:
    """A user without an agent id: no agent entity, no queue device."""
    unique_ids = {
        entry.unique_id
        for entry in er.async_entries_for_config_entry(
            er.async_get(hass), no_agent_entry.entry_id
        )
    }
    assert unique_ids
    assert not {
        uid
        for uid in unique_ids
        if uid.endswith(("agent_state", "agent_availability", "recording"))
        or "_queue_" in uid
    }


async def test_agent_id_that_comes_later_adds_the_entities(
    hass: HomeAssistant, no_agent_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """An administrator makes the user an agent: the entities come without a reload."""
    assert hass.states.get(AGENT_STATE) is None
    # The simulator knows agent 12 as Alice's; the server now says so.
    await xuc_server.update_user_config("alice", agentId=AGENT_ID)
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await wait_for_state(hass, AVAILABILITY, state_is("ready"))
    await wait_for_state(hass, BLUESKY_WAITING, lambda s: s is not None)


@pytest.mark.parametrize("server_profile", [ServerProfile(agent_scope="all")])
async def test_other_agents_change_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A no-profile server's other agents and other queues: no state write at all."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await wait_for_state(hass, BLUESKY_WAITING, state_is("0"))
    changes: list[Any] = []

    @callback
    def record(event: Event[Any]) -> None:
        changes.append(event.data["entity_id"])

    remove = hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    for agent_id in OTHERS:
        await xuc_server.set_agent_state(agent_id, "AgentOnPause", cause="outtolunch")
        await xuc_server.set_membership(agent_id, SALES, 3)
    await xuc_server.add_caller(SALES)
    # A frame that does concern the user closes the sequence: all before it was read.
    await xuc_server.add_caller(BLUESKY)
    await wait_for_state(hass, BLUESKY_WAITING, state_is("1"))
    remove()
    assert BLUESKY_WAITING in changes
    assert set(changes) <= {BLUESKY_WAITING, BLUESKY_LONGEST}


async def test_agent_entities_from_before_go_for_a_user_who_is_no_agent(
    hass: HomeAssistant, sim_data: SimData, config_entry: MockConfigEntry
) -> None:
    """No longer an agent at set-up: the agent entities left in the registry go."""
    user = sim_data.user("alice")
    assert user is not None
    user.agent_id = 0
    config_entry.add_to_hass(hass)
    registry = er.async_get(hass)
    for domain, key in (
        ("sensor", "agent_state"),
        ("select", "agent_availability"),
        ("switch", "recording"),
    ):
        registry.async_get_or_create(
            domain, DOMAIN, f"alice@127.0.0.1_{key}", config_entry=config_entry
        )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    left = {
        entry.unique_id
        for entry in er.async_entries_for_config_entry(registry, config_entry.entry_id)
    }
    assert not left & {
        "alice@127.0.0.1_agent_state",
        "alice@127.0.0.1_agent_availability",
        "alice@127.0.0.1_recording",
    }
    assert "alice@127.0.0.1_dnd" in left
