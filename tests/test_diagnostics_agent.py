"""Diagnostics of a queue agent: the agent's state and queues help, its line does not."""

from __future__ import annotations

import json

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from . import agent_frames
from .agent_frames import AGENT_ID, AGENT_STATE, BLUESKY, SUPPORT
from .common import state_is, wait_for_state
from .simulator import XucSimulator

# Alice is agent 12 on this module's simulator (see agent_frames).
sim_data = agent_frames.sim_data
xuc_server = agent_frames.xuc_server


async def test_agent_diagnostics_keep_state_redact_the_line(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """State, queues and memberships are there; the agent's line is nowhere."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    snapshot = diagnostics["snapshot"]
    agent = snapshot["agent"]
    assert agent["agent_id"] == AGENT_ID
    assert agent["status"] == "ready"
    assert agent["phone_number"] == REDACTED
    assert {int(queue) for queue in snapshot["memberships"]} == {BLUESKY, SUPPORT}
    # The agent logs on alice's line: no frame of the journal names it.
    journal = diagnostics["protocol_journal"]
    agent_frames_in = [
        entry["frame"]["ctiMessage"]
        for entry in journal
        if entry.get("msg_type") == "AgentStateEvent"
    ]
    assert agent_frames_in
    assert all(item["phoneNb"] == REDACTED for item in agent_frames_in)
    assert '"1000"' not in json.dumps(diagnostics)
