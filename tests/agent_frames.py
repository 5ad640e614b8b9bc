"""What the agent tests share: a simulator where Alice is agent 12, and raw frames.

Alice is agent 12 in the simulator's two default queues, Blue Sky (1, penalty 2) and
Support (2, penalty 0); a third queue, Sales (3), has three other agents and not her.
The simulator answers the client's start-up requests and agent commands itself; a few
frames it has no hook for (an unknown state name, a renamed queue) are written raw
(`XucSimulator.send_raw`), as a server sends them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from typing import Any, Final

from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .simulator import ServerProfile, SimData, XucSimulator, default_data
from .simulator.agents import add_agents, make_agent
from .simulator.data import SimQueue

AGENT_ID: Final = 12
BLUESKY: Final = 1
SUPPORT: Final = 2
SALES: Final = 3
OTHERS: Final = (100, 101, 102)

AGENT_STATE = "sensor.alice_johnson_agent_state"
AVAILABILITY = "select.alice_johnson_agent_availability"
RECORDING = "switch.alice_johnson_call_recording"
BLUESKY_MEMBER = "switch.blue_sky_membership"
BLUESKY_WAITING = "sensor.blue_sky_waiting_calls"
BLUESKY_LONGEST = "sensor.blue_sky_longest_wait"
BLUESKY_AGENTS = "sensor.blue_sky_available_agents"
SUPPORT_MEMBER = "switch.support_membership"
SUPPORT_WAITING = "sensor.support_waiting_calls"
SALES_MEMBER = "switch.sales_membership"
SALES_WAITING = "sensor.sales_waiting_calls"
SALES_AGENTS = "sensor.sales_available_agents"


def agent_data() -> SimData:
    """The default data with Alice ready as agent 12, recorded, and three colleagues."""
    data = default_data()
    make_agent(
        data,
        "alice",
        agent_id=AGENT_ID,
        queues={BLUESKY: 2, SUPPORT: 0},
        state="AgentReady",
        monitor_state="ACTIVE",
    )
    data.queues.append(SimQueue(SALES, "sales", "Sales", "3002"))
    add_agents(data, len(OTHERS), first_id=OTHERS[0], queue_id=SALES)
    return data


@pytest.fixture
def sim_data() -> SimData:
    """The simulator's data; a test may change it before the server starts."""
    return agent_data()


@pytest.fixture
async def xuc_server(
    socket_enabled: None, server_profile: ServerProfile, sim_data: SimData
) -> AsyncIterator[XucSimulator]:
    """The simulator, with Alice as an agent (overrides conftest's)."""
    simulator = XucSimulator(sim_data, profile=server_profile)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def no_agent_entry(
    hass: HomeAssistant, sim_data: SimData, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Alice's entry, set up while the server gives her no agent id."""
    user = sim_data.user("alice")
    assert user is not None
    user.agent_id = 0
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


def frame(msg_type: str, payload: Any) -> str:
    """A server frame."""
    return json.dumps({"msgType": msg_type, "ctiMessage": payload})


def agent_event(name: str, agent_id: int = AGENT_ID, **fields: Any) -> str:
    """An `AgentStateEvent` (the own agent unless told), on line 1000."""
    return frame(
        "AgentStateEvent",
        {"agentId": agent_id, "name": name, "phoneNb": "1000", "since": 42, **fields},
    )


def member_frame(queue_id: int, penalty: int) -> str:
    """A `QueueMember` of Alice's agent (a negative penalty ends the membership)."""
    return frame(
        "QueueMember", {"agentId": AGENT_ID, "queueId": queue_id, "penalty": penalty}
    )


def stats_frame(queue: int | str, **counters: float) -> str:
    """A `QueueStatistics` by queue id, or by queue name (`queueRef`) for a string."""
    key = "queueRef" if isinstance(queue, str) else "queueId"
    return frame(
        "QueueStatistics",
        {
            key: queue,
            "counters": [{"statName": k, "value": v} for k, v in counters.items()],
        },
    )


async def switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    """Turn a switch on or off (the call returns once the command is done)."""
    await hass.services.async_call(
        SWITCH_DOMAIN,
        SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )
