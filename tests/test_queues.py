"""The agent's queues as devices, through Home Assistant, against the simulator.

One device per membership, live: created when a `QueueMember` (or the list) adds it,
removed from the device registry when the membership ends, reconciled at set-up.
"""

from __future__ import annotations

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN

from . import agent_frames
from .agent_frames import (
    AGENT_ID,
    AGENT_STATE,
    BLUESKY,
    BLUESKY_AGENTS,
    BLUESKY_LONGEST,
    BLUESKY_MEMBER,
    BLUESKY_WAITING,
    SALES,
    SALES_AGENTS,
    SALES_MEMBER,
    SALES_WAITING,
    SUPPORT,
    SUPPORT_MEMBER,
    SUPPORT_WAITING,
    frame,
    member_frame,
    stats_frame,
    switch,
)
from .common import state_is, wait_for_state
from .simulator import IDEAL, REAL, SimData, XucSimulator

# Alice is agent 12 on this module's simulator (see agent_frames).
sim_data = agent_frames.sim_data
xuc_server = agent_frames.xuc_server

ACCOUNT = "alice@127.0.0.1"


def _queue_devices(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """The entry's queue devices: identifier -> name."""
    return {
        identifier: str(device.name)
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        for domain, identifier in device.identifiers
        if domain == DOMAIN and "_queue_" in identifier
    }


async def test_one_device_per_membership(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Named after the queue, through the account's device, with its entities."""
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    await wait_for_state(hass, SUPPORT_MEMBER, state_is("on"))
    assert _queue_devices(hass, init_integration) == {
        f"{ACCOUNT}_queue_1": "Blue Sky",
        f"{ACCOUNT}_queue_2": "Support",
    }
    # By the entry's devices: the newest release refuses `async_get_device`.
    devices = {
        identifier: device
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), init_integration.entry_id
        )
        for _domain, identifier in device.identifiers
    }
    account, queue = devices[ACCOUNT], devices[f"{ACCOUNT}_queue_1"]
    assert queue.via_device_id == account.id
    state = hass.states.get(BLUESKY_MEMBER)
    assert state is not None
    assert state.attributes["penalty"] == 2
    entity = er.async_get(hass).async_get(BLUESKY_WAITING)
    assert entity is not None
    assert entity.device_id == queue.id
    assert hass.states.get(SALES_MEMBER) is None


@pytest.mark.parametrize("server_profile", [IDEAL, REAL], ids=["ideal", "real"])
async def test_counters_follow_the_statistics(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Waiting calls, longest wait (a duration in seconds), available agents, live.

    The real-world server names queues by `queueRef` and pushes every agent's events.
    """
    await wait_for_state(hass, BLUESKY_WAITING, state_is("0"))
    await wait_for_state(hass, BLUESKY_AGENTS, state_is("1"))
    await xuc_server.add_caller(BLUESKY, waited=37)
    await wait_for_state(hass, BLUESKY_WAITING, state_is("1"))
    state = await wait_for_state(hass, BLUESKY_LONGEST, state_is("37.0"))
    assert state is not None
    assert state.attributes["device_class"] == "duration"
    assert state.attributes["unit_of_measurement"] == "s"
    await xuc_server.add_caller(BLUESKY)
    await wait_for_state(hass, BLUESKY_WAITING, state_is("2"))
    await xuc_server.set_agent_state(AGENT_ID, "AgentOnPause", cause="outtolunch")
    await wait_for_state(hass, BLUESKY_AGENTS, state_is("0"))
    await xuc_server.remove_caller(BLUESKY)
    await xuc_server.remove_caller(BLUESKY)
    await wait_for_state(hass, BLUESKY_WAITING, state_is("0"))


async def test_available_agents_only_once_the_server_sends_it(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A queue whose statistics lack `AvailableAgents` has no such sensor until sent."""
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    # Written raw: the simulator sends every counter of a queue it shows.
    await xuc_server.send_raw(member_frame(SALES, 1))
    await xuc_server.send_raw(stats_frame("sales", WaitingCalls=1))
    await wait_for_state(hass, SALES_WAITING, state_is("1"))
    assert hass.states.get(SALES_AGENTS) is None
    await xuc_server.send_raw(stats_frame(SALES, AvailableAgents=3))
    await wait_for_state(hass, SALES_AGENTS, state_is("3"))
    state = hass.states.get(SALES_WAITING)
    assert state is not None
    assert state.state == "1"


async def test_devices_come_and_go_with_memberships(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A negative penalty removes the device and its entities; joining brings it back."""
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    await xuc_server.set_membership(AGENT_ID, BLUESKY, -1)
    await wait_for_state(hass, BLUESKY_MEMBER, lambda s: s is None)
    assert _queue_devices(hass, init_integration) == {f"{ACCOUNT}_queue_2": "Support"}
    assert er.async_get(hass).async_get(BLUESKY_WAITING) is None
    state = await wait_for_state(
        hass,
        AGENT_STATE,
        lambda s: s is not None and s.attributes["queues"] == ["Support"],
    )

    await xuc_server.set_membership(AGENT_ID, BLUESKY, 4)
    state = await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    assert state is not None
    assert state.attributes["penalty"] == 4
    assert set(_queue_devices(hass, init_integration)) == {
        f"{ACCOUNT}_queue_1",
        f"{ACCOUNT}_queue_2",
    }


async def test_membership_switch_leaves_and_joins(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Off sends removeAgentFromQueue (camelCase), and the device goes; on rejoins."""
    await wait_for_state(hass, SUPPORT_MEMBER, state_is("on"))
    await switch(hass, SUPPORT_MEMBER, False)
    assert xuc_server.commands("removeAgentFromQueue") == [
        {
            "claz": "web",
            "command": "removeAgentFromQueue",
            "agentId": AGENT_ID,
            "queueId": SUPPORT,
        }
    ]
    await wait_for_state(hass, SUPPORT_MEMBER, lambda s: s is None)
    await wait_for_state(hass, SUPPORT_WAITING, lambda s: s is None)
    assert set(_queue_devices(hass, init_integration)) == {f"{ACCOUNT}_queue_1"}

    # Turned on while it still shows (here: Blue Sky, penalty 2): setAgentQueue.
    await switch(hass, BLUESKY_MEMBER, True)
    await xuc_server.wait_for_command("setAgentQueue")
    assert xuc_server.commands("setAgentQueue") == [
        {
            "claz": "web",
            "command": "setAgentQueue",
            "agentId": AGENT_ID,
            "queueId": BLUESKY,
            "penalty": 2,
        }
    ]


async def test_renamed_queue_renames_its_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A `QueueConfig` with a new display name renames the device, not the entities."""
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    await xuc_server.send_raw(
        frame("QueueConfig", {"id": BLUESKY, "name": "bluesky", "displayName": "Ciel"})
    )
    await wait_for_state(
        hass,
        AGENT_STATE,
        lambda s: s is not None and s.attributes["queues"] == ["Ciel", "Support"],
    )
    assert _queue_devices(hass, init_integration)[f"{ACCOUNT}_queue_1"] == "Ciel"
    assert hass.states.get(BLUESKY_MEMBER) is not None


async def test_devices_of_ended_memberships_are_removed_at_set_up(
    hass: HomeAssistant, sim_data: SimData, config_entry: MockConfigEntry
) -> None:
    """A queue device left from before whose membership is gone goes at set-up."""
    del sim_data.memberships[(AGENT_ID, SUPPORT)]
    config_entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    for queue_id, name in ((BLUESKY, "Blue Sky"), (SUPPORT, "Support"), (9, "Old")):
        registry.async_get_or_create(
            config_entry_id=config_entry.entry_id,
            identifiers={(DOMAIN, f"{ACCOUNT}_queue_{queue_id}")},
            name=name,
        )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    assert _queue_devices(hass, config_entry) == {f"{ACCOUNT}_queue_1": "Blue Sky"}


async def test_devices_go_when_the_user_is_no_agent_any_more(
    hass: HomeAssistant, sim_data: SimData, config_entry: MockConfigEntry
) -> None:
    """A user the server gives no agent id has no queue: old devices go at set-up."""
    user = sim_data.user("alice")
    assert user is not None
    user.agent_id = 0
    config_entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=config_entry.entry_id,
        identifiers={(DOMAIN, f"{ACCOUNT}_queue_{BLUESKY}")},
        name="Blue Sky",
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _queue_devices(hass, config_entry) == {}


async def test_server_restart_resyncs_the_queues(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Left Support and joined Sales while the link was down: the devices follow."""
    await wait_for_state(hass, SUPPORT_MEMBER, state_is("on"))
    await xuc_server.stop()
    await wait_for_state(hass, SUPPORT_MEMBER, state_is(STATE_UNAVAILABLE))
    # While down, nothing is removed: the link, not the membership, is gone.
    assert len(_queue_devices(hass, init_integration)) == 2
    del xuc_server.data.memberships[(AGENT_ID, SUPPORT)]
    xuc_server.data.memberships[(AGENT_ID, SALES)] = 0
    await xuc_server.start()
    await wait_for_state(hass, SALES_MEMBER, state_is("on"))
    await wait_for_state(hass, SUPPORT_MEMBER, lambda s: s is None)
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    assert set(_queue_devices(hass, init_integration)) == {
        f"{ACCOUNT}_queue_1",
        f"{ACCOUNT}_queue_3",
    }


async def test_a_queue_the_server_has_not_described_yet(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A membership of a queue no list described: "Queue 9" until its name comes."""
    await wait_for_state(hass, BLUESKY_MEMBER, state_is("on"))
    await xuc_server.send_raw(member_frame(9, 0))
    await wait_for_state(hass, "switch.queue_9_membership", state_is("on"))
    assert _queue_devices(hass, init_integration)[f"{ACCOUNT}_queue_9"] == "Queue 9"
    agent = hass.states.get(AGENT_STATE)
    assert agent is not None
    assert "9" in agent.attributes["queues"]

    await xuc_server.send_raw(
        frame("QueueConfig", {"id": 9, "name": "night", "displayName": "Night line"})
    )
    await wait_for_state(
        hass,
        AGENT_STATE,
        lambda s: s is not None and "Night line" in s.attributes["queues"],
    )
    assert _queue_devices(hass, init_integration)[f"{ACCOUNT}_queue_9"] == "Night line"
    assert hass.states.get("switch.queue_9_membership") is not None  # ids stay
