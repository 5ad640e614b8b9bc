"""The agent through the client, against the simulator over 127.0.0.1 (§12, §13).

Start-up requests, own-agent filtering, every command's frame and confirmation, the
errors, the takeover, statistics by `queueRef`, a reconnect.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import json
import logging
import time
from typing import Any

import pytest

from custom_components.xivo.xuc import (
    AgentStatus,
    XucAgentError,
    XucClient,
    XucNoAgentError,
    XucNotConnectedError,
    XucSnapshot,
    XucTimeoutError,
)
from tests.simulator import IDEAL, REAL, ServerProfile, XucSimulator
from tests.simulator.agents import add_agents, make_agent
from tests.simulator.data import SimQueue

from .common import ClientFactory, barrier, wait_until

AGENT = 12
START_UP = (
    "getList",
    "getAgentStates",
    "subscribeToAgentEvents",
    "subscribeToQueueStats",
)


def sent(sim: XucSimulator, *names: str) -> list[dict[str, Any]]:
    """The frames of these commands the simulator received, in order."""
    return [
        {k: v for k, v in frame.items() if k != "claz"}
        for _login, frame in sim.received
        if frame.get("command") in names
    ]


async def agent_client(
    make_client: ClientFactory, sim: XucSimulator, **kwargs: Any
) -> XucClient:
    """Alice's client once her agent's start-up requests were answered."""
    client = make_client(**kwargs)
    await client.start()
    await sim.wait_for_command("subscribeToQueueStats")
    await barrier(client)
    return client


@pytest.fixture
async def agent(make_client: ClientFactory, xuc_server: XucSimulator) -> XucClient:
    """Alice as agent 12, logged out, in queues 1 and 2, recording on."""
    make_agent(xuc_server.data, monitor_state="ACTIVE")
    return await agent_client(make_client, xuc_server)


def status(client: XucClient) -> AgentStatus | None:
    """The own agent's status in the client's snapshot."""
    assert client.snapshot.agent is not None
    return client.snapshot.agent.status


async def test_a_user_without_an_agent_asks_nothing(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    client = make_client()
    await client.start()
    await barrier(client)
    assert sent(xuc_server, *START_UP) == []
    assert client.snapshot.user.agent_id is None
    with pytest.raises(XucNoAgentError):
        await client.agent_pause()
    with pytest.raises(XucNoAgentError):
        await client.join_queue(1)
    assert sent(xuc_server, "pauseAgent", "setAgentQueue") == []


async def test_start_up_requests_once_per_session_and_the_snapshot(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    assert sent(xuc_server, *START_UP) == [
        {"command": "getList", "objectType": "queue"},
        {"command": "getList", "objectType": "queuemember"},
        {"command": "getAgentStates"},
        {"command": "subscribeToAgentEvents"},
        {"command": "subscribeToQueueStats"},
    ]
    snapshot = agent.snapshot
    assert snapshot.user.agent_id == AGENT
    assert snapshot.agent is not None
    assert snapshot.agent.status is AgentStatus.LOGGED_OUT
    assert snapshot.agent.phone_number is None  # "null" on the wire
    assert snapshot.agent.queue_ids == (1, 2)
    assert snapshot.agent.recordable
    assert {q.display_name for q in snapshot.queues.values()} == {"Blue Sky", "Support"}
    assert dict(snapshot.memberships) == {1: 0, 2: 0}
    assert snapshot.queue_stats[1].waiting_calls == 0
    assert snapshot.queue_stats[2].available_agents == 0
    # A configuration change of another kind asks nothing again.
    await xuc_server.update_user_config("alice", fullName="Alice Doe")
    await barrier(agent)
    assert len(sent(xuc_server, *START_UP)) == 5


async def test_a_reconnect_asks_everything_again(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    xuc_server.clear_received()
    await xuc_server.close_sessions()
    await xuc_server.wait_for_command("subscribeToQueueStats")
    await wait_until(lambda: agent.connected, what="reconnected")
    await barrier(agent)
    assert [f["command"] for f in sent(xuc_server, *START_UP)] == [
        "getList",
        "getList",
        "getAgentStates",
        "subscribeToAgentEvents",
        "subscribeToQueueStats",
    ]


async def test_login_ready_pause_logout_frames_and_confirmations(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await agent.agent_login()
    assert status(agent) in {AgentStatus.LOGGED_IN, AgentStatus.READY}
    assert agent.snapshot.agent is not None
    assert agent.snapshot.agent.phone_number == "1000"
    await agent.agent_ready()
    assert status(agent) is AgentStatus.READY
    await agent.agent_pause("outtolunch")
    assert status(agent) is AgentStatus.PAUSED
    assert agent.snapshot.agent is not None
    assert agent.snapshot.agent.cause == "outtolunch"
    await agent.agent_pause()  # already paused: sent, nothing awaited
    await agent.agent_ready()
    await agent.agent_logout()
    assert status(agent) is AgentStatus.LOGGED_OUT
    assert sent(
        xuc_server, "agentLogin", "unpauseAgent", "pauseAgent", "agentLogout"
    ) == [
        {"command": "agentLogin", "agentphonenumber": "1000", "agentid": AGENT},
        {"command": "unpauseAgent", "agentid": AGENT},
        {"command": "pauseAgent", "agentid": AGENT, "reason": "outtolunch"},
        {"command": "pauseAgent", "agentid": AGENT},
        {"command": "unpauseAgent", "agentid": AGENT},
        {"command": "agentLogout", "agentid": AGENT},
    ]


async def test_ready_when_logged_out_logs_in_first(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await agent.agent_ready()
    assert status(agent) is AgentStatus.READY
    await barrier(agent)  # the unpause, sent but not awaited (ready already)
    assert [f["command"] for f in sent(xuc_server, "agentLogin", "unpauseAgent")] == [
        "agentLogin",
        "unpauseAgent",
    ]


async def test_join_and_leave_a_queue(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await agent.join_queue(1, penalty=3)
    assert agent.snapshot.memberships[1] == 3
    await agent.leave_queue(1)  # a QueueMember with penalty -1
    assert 1 not in agent.snapshot.memberships
    assert agent.snapshot.agent is not None
    assert agent.snapshot.agent.queue_ids == (2,)
    await agent.leave_queue(1)  # not a member: sent, nothing awaited
    await agent.join_queue(1)  # the penalty it had: 3
    assert agent.snapshot.memberships[1] == 3
    await agent.join_queue(2)  # a member already, same penalty: nothing awaited
    await barrier(agent)
    assert sent(xuc_server, "setAgentQueue", "removeAgentFromQueue") == [
        {"command": "setAgentQueue", "agentId": AGENT, "queueId": 1, "penalty": 3},
        {"command": "removeAgentFromQueue", "agentId": AGENT, "queueId": 1},
        {"command": "removeAgentFromQueue", "agentId": AGENT, "queueId": 1},
        {"command": "setAgentQueue", "agentId": AGENT, "queueId": 1, "penalty": 3},
        {"command": "setAgentQueue", "agentId": AGENT, "queueId": 2, "penalty": 0},
    ]
    with pytest.raises(ValueError, match="penalty"):
        await agent.join_queue(1, penalty=-1)


async def test_recording_pause_and_resume(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await agent.pause_recording()
    assert agent.snapshot.agent is not None
    assert agent.snapshot.agent.monitor_state == "PAUSED"
    assert not agent.snapshot.agent.recording
    await agent.resume_recording()
    assert agent.snapshot.agent.recording
    assert sent(xuc_server, "monitorPause", "monitorUnpause") == [
        {"command": "monitorPause", "agentid": AGENT},
        {"command": "monitorUnpause", "agentid": AGENT},
    ]


async def test_no_confirmation_is_a_time_out(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    agent.agent_confirm_timeout = 0.2
    await agent.agent_login()
    xuc_server.drop_commands = {"pauseAgent", "setAgentQueue"}
    started = time.monotonic()
    with pytest.raises(XucTimeoutError, match="pauseAgent"):
        await agent.agent_pause()
    assert 0.2 <= time.monotonic() - started < 2
    with pytest.raises(XucTimeoutError, match="setAgentQueue"):
        await agent.join_queue(1, penalty=5)


async def test_the_link_down_fails_at_once(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await agent.agent_login()
    xuc_server.drop_commands = {"pauseAgent"}
    task = asyncio.create_task(agent.agent_pause())
    await xuc_server.wait_for_command("pauseAgent")
    await xuc_server.stop()
    with pytest.raises(XucNotConnectedError):
        await task
    with pytest.raises(XucNotConnectedError):
        await agent.agent_logout()


@pytest.mark.parametrize("error_type", ["AgentError", "Error"])
async def test_the_two_login_errors(
    make_client: ClientFactory, xuc_server: XucSimulator, error_type: Any
) -> None:
    xuc_server.profile = replace(IDEAL, agent_error_type=error_type)
    make_agent(xuc_server.data, state="AgentReady")
    xuc_server.data.agents[-1].phone_number = "1001"  # bob's line
    client = await agent_client(make_client, xuc_server)
    with pytest.raises(XucAgentError) as unknown:
        await client.agent_login("1999")
    assert unknown.value.error == "PhoneNumberUnknown"
    assert unknown.value.requested_number == "1999"  # the frame names none
    with pytest.raises(XucAgentError) as elsewhere:
        await client.agent_login()
    assert elsewhere.value.error == "LoggedInOnAnotherPhone"
    assert elsewhere.value.phone_number == "1001"
    assert elsewhere.value.requested_number == "1000"
    assert "1001" in str(elsewhere.value)
    await client.agent_login("1001")  # where it is: nothing awaited
    assert status(client) is AgentStatus.READY


async def test_login_takes_the_line_over_from_another_agent(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    make_agent(xuc_server.data)
    bob = make_agent(xuc_server.data, "bob", agent_id=13, state="AgentReady")
    bob.phone_number = "1000"  # on alice's line
    client = await agent_client(make_client, xuc_server)
    await client.agent_login()
    assert status(client) is not AgentStatus.LOGGED_OUT
    assert bob.state == "AgentLoggedOut"
    assert bob.phone_number is None


@pytest.mark.parametrize("server_profile", [REAL], ids=["real"])
async def test_a_thousand_foreign_events_cost_no_publish(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A no-profile server (REAL: scope "all") pushes every agent's events."""
    make_agent(xuc_server.data, state="AgentReady", queues={1: 0})
    xuc_server.data.queues.append(SimQueue(3, "sales", "Sales", "3003"))
    others = add_agents(xuc_server.data, 10, queue_id=3)  # in another queue
    client = await agent_client(make_client, xuc_server)
    own = client.snapshot.agent
    assert own is not None
    assert own.status is AgentStatus.READY
    published: list[XucSnapshot] = []
    client.add_listener(published.append)
    names = ("AgentOnPause", "AgentReady", "AgentOnCall", "AgentOnMoon")
    for i in range(1000):
        await xuc_server.set_agent_state(
            others[i % 10].agent_id, names[i % 4], cause="outtolunch"
        )
    await barrier(client)
    assert published == []
    assert client.snapshot.agent is own
    # A caller in queue 1, which the agent is in: published; its stats by name (REAL).
    await xuc_server.add_caller(1, waited=30)
    await wait_until(lambda: bool(published), what="a publish")
    assert client.snapshot.queue_stats[1].waiting_calls == 1
    assert (client.snapshot.queue_stats[1].longest_wait or 0) >= 30
    assert [f["command"] for f in sent(xuc_server, *START_UP)][-1] == (
        "subscribeToQueueStats"
    )


@pytest.mark.parametrize("server_profile", [REAL], ids=["real"])
async def test_stats_of_another_queue_are_kept_without_a_publish(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    make_agent(xuc_server.data, queues={1: 0})
    client = await agent_client(make_client, xuc_server)
    published: list[XucSnapshot] = []
    client.add_listener(published.append)
    await xuc_server.add_caller(2)
    await barrier(client)
    assert published == []
    assert client.snapshot.queue_stats[2].waiting_calls == 1  # there, quietly
    await client.join_queue(2)
    assert published
    assert client.snapshot.queue_stats[2].waiting_calls == 1


async def test_an_unknown_state_from_the_server_is_logged_once(
    agent: XucClient, xuc_server: XucSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "custom_components.xivo.xuc"):
        await xuc_server.set_agent_state(AGENT, "AgentOnMars")
        await xuc_server.set_agent_state(AGENT, "AgentOnMars")
        await barrier(agent)
    assert status(agent) is None
    assert agent.snapshot.agent is not None
    assert agent.snapshot.agent.wire_name == "AgentOnMars"
    assert len([r for r in caplog.records if "AgentOnMars" in r.getMessage()]) == 1


async def test_the_server_changes_the_membership(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    await xuc_server.set_membership(AGENT, 2, -1)
    await barrier(agent)
    assert dict(agent.snapshot.memberships) == {1: 0}
    await xuc_server.set_membership(AGENT, 2, 4)
    await barrier(agent)
    assert dict(agent.snapshot.memberships) == {1: 0, 2: 4}


async def test_a_new_session_keeps_no_stale_membership(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    """A membership that ended while the link was down goes at the next list."""
    await xuc_server.stop()
    del xuc_server.data.memberships[(AGENT, 2)]
    await xuc_server.start()
    await wait_until(lambda: agent.connected, what="reconnected")
    await barrier(agent)
    await wait_until(
        lambda: dict(agent.snapshot.memberships) == {1: 0}, what="the new list"
    )


async def test_login_needs_a_number(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """No `LineConfig.number` (G6) and none configured: nothing to log in on."""
    xuc_server.profile = replace(IDEAL, line_number=False)
    make_agent(xuc_server.data)
    client = await agent_client(make_client, xuc_server)
    assert client.snapshot.own_number is None
    with pytest.raises(ValueError, match="phone number"):
        await client.agent_login()
    with pytest.raises(ValueError, match="phone number"):
        await client.agent_ready()
    await client.agent_login("1000")  # an explicit number is enough
    assert status(client) is not AgentStatus.LOGGED_OUT
    assert sent(xuc_server, "agentLogin") == [
        {"command": "agentLogin", "agentphonenumber": "1000", "agentid": AGENT}
    ]


def test_the_default_profiles() -> None:
    """IDEAL filters to the own agent; REAL is the no-profile server of §12.8."""
    assert IDEAL.agent_scope == "own"
    assert REAL.agent_scope == "all"
    assert REAL.queue_stats_key == "ref"
    assert ServerProfile().agent_error_type == "AgentError"


async def test_a_new_agent_id_asks_again(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    """The user became another agent mid-session: its state is asked for at once."""
    make_agent(xuc_server.data, agent_id=14, queues={2: 1}, state="AgentReady")
    xuc_server.clear_received()
    await xuc_server.update_user_config("alice", agentId=14)
    await xuc_server.wait_for_command("subscribeToQueueStats")
    await barrier(agent)
    assert len(sent(xuc_server, *START_UP)) == 5
    assert agent.snapshot.user.agent_id == 14
    assert status(agent) is AgentStatus.READY
    assert dict(agent.snapshot.memberships) == {2: 1}


async def test_a_queue_joined_without_known_statistics_asks_for_them(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A server filtering statistics by profile tells a queue's only to its members.

    Each queue joined asks for them again: unknown, or stale since it was left.
    """
    make_agent(xuc_server.data, state="AgentReady")
    xuc_server.data.queues.append(SimQueue(3, "sales", "Sales", "3002"))
    await xuc_server.add_caller(3, waited=12)
    client = await agent_client(make_client, xuc_server)
    assert 3 not in client.snapshot.queue_stats  # IDEAL: only her queues' figures
    assert len(xuc_server.commands("subscribeToQueueStats")) == 1

    await xuc_server.set_membership(12, 3, 0)
    await wait_until(
        lambda: 3 in client.snapshot.queue_stats, what="the joined queue's figures"
    )
    assert client.snapshot.queue_stats[3].waiting_calls == 1
    assert len(xuc_server.commands("subscribeToQueueStats")) == 2

    # Out of the queue, the server tells her nothing of it: back, she asks again.
    await xuc_server.set_membership(12, 3, -1)
    await wait_until(lambda: 3 not in client.snapshot.memberships, what="left")
    await xuc_server.add_caller(3)
    await xuc_server.set_membership(12, 3, 1)
    await wait_until(
        lambda: client.snapshot.queue_stats[3].waiting_calls == 2,
        what="the figures of the queue joined again",
    )
    assert len(xuc_server.commands("subscribeToQueueStats")) == 3
    # A penalty changed is no join: nothing asked.
    await xuc_server.set_membership(12, 3, 2)
    await wait_until(lambda: client.snapshot.memberships.get(3) == 2, what="penalty")
    await barrier(client)
    assert len(xuc_server.commands("subscribeToQueueStats")) == 3


def _config(**fields: Any) -> str:
    return json.dumps(
        {"msgType": "UserConfigUpdate", "ctiMessage": {"userId": 1, **fields}}
    )


async def test_no_agent_counts_only_in_a_full_update(
    agent: XucClient, xuc_server: XucSimulator
) -> None:
    """A partial update's default `agentId: 0` says nothing; a full one ends the agent.

    An agent that comes back in the same session is asked about again.
    """
    await xuc_server.send_raw(_config(dndEnabled=True, agentId=0))
    await wait_until(lambda: agent.snapshot.user.dnd, what="the partial update")
    assert agent.snapshot.user.agent_id == 12
    assert set(agent.snapshot.memberships) == {1, 2}

    await xuc_server.send_raw(_config(fullName="Alice Johnson", agentId=0))
    await wait_until(lambda: agent.snapshot.user.agent_id is None, what="no agent")
    assert agent.snapshot.agent is None
    assert not agent.snapshot.memberships

    xuc_server.clear_received()
    await xuc_server.send_raw(_config(fullName="Alice Johnson", agentId=12))
    await xuc_server.wait_for_command("subscribeToQueueStats")
    await barrier(agent)
    assert len(sent(xuc_server, *START_UP)) == 5
    assert set(agent.snapshot.memberships) == {1, 2}


async def test_an_error_frame_is_logged_by_its_code_only(
    agent: XucClient, xuc_server: XucSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Its numbers are personal data: the log names the error, not the lines."""
    error = {
        "Error": "LoggedInOnAnotherPhone",
        "phoneNb": "1777",
        "RequestedNb": "1888",
    }
    with caplog.at_level(logging.WARNING):
        await xuc_server.send_raw(json.dumps({"msgType": "Error", "ctiMessage": error}))
        await xuc_server.send_raw(
            json.dumps({"msgType": "Error", "ctiMessage": "Busy"})
        )
        await barrier(agent)
    assert "The server reported an error: LoggedInOnAnotherPhone" in caplog.text
    assert "The server reported an error: Busy" in caplog.text
    assert "1777" not in caplog.text
    assert "1888" not in caplog.text
