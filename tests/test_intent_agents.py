"""Agents by voice: pause (with a reason), ready, log out, paused?, calls waiting.

Alice is agent 12 of the simulator, ready, in the queues Blue Sky (1) and Support (2);
the simulator confirms each command with the agent's new state, as xuc does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.intent import (
    INTENT_AGENT_LOGOUT,
    INTENT_AGENT_PAUSE,
    INTENT_AGENT_PAUSED,
    INTENT_AGENT_READY,
    INTENT_QUEUE_CALLS,
)
from custom_components.xivo.xuc import AgentStatus, XucAgentError, XucSnapshot

from .simulator import (
    ServerProfile,
    SimStatus,
    XucSimulator,
    default_data,
    make_agent,
)
from .test_intent import _is_error, handle, intents, speech, wait_for_snapshot

__all__ = ["intents"]  # the fixture, used by name

AGENT_ID = 12
LUNCH = SimStatus("meal", "Déjeuner", "#00FF00", 1, [("queuepause_all", "true")])


@pytest.fixture
async def xuc_server(
    socket_enabled: None, server_profile: ServerProfile
) -> AsyncIterator[XucSimulator]:
    """The simulator, with Alice a ready agent in two queues (overrides conftest's)."""
    data = default_data()
    make_agent(data, "alice", agent_id=AGENT_ID, state="AgentReady")
    data.statuses.append(LUNCH)  # a second pause reason, as « pause déjeuner »
    simulator = XucSimulator(data, profile=server_profile)
    await simulator.start()
    yield simulator
    await simulator.stop()


def _agent_is(status: AgentStatus) -> object:
    def check(data: XucSnapshot) -> bool:
        return data.agent is not None and data.agent.status is status

    return check


@pytest.fixture
async def agent(intents: MockConfigEntry) -> MockConfigEntry:
    """Alice's entry once her agent's state and queues are known."""
    await wait_for_snapshot(intents, _agent_is(AgentStatus.READY))  # type: ignore[arg-type]
    await wait_for_snapshot(intents, lambda data: len(data.memberships) == 2)
    return intents


# ---------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("slots", "language", "reason", "answer", "asked"),
    [
        ({}, "en", None, "You are paused.", "Yes, you are paused."),
        (
            {"reason": "lunch"},
            "en",
            "outtolunch",
            "You are paused: Parti Manger.",
            "Yes, you are paused: Parti Manger.",
        ),
        (
            {"reason": "déjeuner"},
            "fr",
            "meal",
            "Vous êtes en pause : Déjeuner.",
            "Oui, vous êtes en pause : Déjeuner.",
        ),
    ],
)
async def test_pause_then_am_i_paused_then_ready(
    hass: HomeAssistant,
    *,
    agent: MockConfigEntry,
    xuc_server: XucSimulator,
    slots: dict[str, str],
    language: str,
    reason: str | None,
    answer: str,
    asked: str,
) -> None:
    """Paused (confirmed by the server) with the reason; asked; ready again."""
    assert speech(await handle(hass, INTENT_AGENT_PAUSED, language=language)) == (
        "Non, vous n'êtes pas en pause."
        if language == "fr"
        else "No, you are not paused."
    )

    response = await handle(hass, INTENT_AGENT_PAUSE, slots, language)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == answer
    frame = await xuc_server.wait_for_command("pauseAgent")
    assert frame.get("reason") == reason
    assert frame["agentid"] == AGENT_ID
    # The command returned once the server's push confirmed it.
    assert agent.runtime_data.coordinator.data.agent.status is AgentStatus.PAUSED
    response = await handle(hass, INTENT_AGENT_PAUSED, language=language)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == asked

    response = await handle(hass, INTENT_AGENT_READY, language=language)
    assert speech(response) == (
        "Vous êtes disponible pour les appels."
        if language == "fr"
        else "You are ready for calls."
    )
    await xuc_server.wait_for_command("unpauseAgent")


async def test_an_unknown_pause_reason_lists_the_reasons(
    hass: HomeAssistant, agent: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Only the statuses marked as pause reasons are offered; nothing is sent."""
    response = await handle(hass, INTENT_AGENT_PAUSE, {"reason": "coffee"})

    assert _is_error(response)
    assert speech(response) == (
        'There is no pause reason "coffee". You can choose Parti Manger or Déjeuner.'
    )
    await hass.async_block_till_done()
    assert xuc_server.commands("pauseAgent") == []


async def test_a_server_without_pause_reasons(
    hass: HomeAssistant, agent: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No status is a pause reason: a reason cannot be chosen; a bare pause can."""
    await xuc_server.set_statuses(xuc_server.data.statuses[:2])
    await wait_for_snapshot(agent, lambda data: len(data.statuses) == 2)

    response = await handle(hass, INTENT_AGENT_PAUSE, {"reason": "lunch"})
    assert _is_error(response)
    assert speech(response) == (
        "The XiVO server lists no pause reasons: ask for a pause without one."
    )
    await hass.async_block_till_done()
    assert xuc_server.commands("pauseAgent") == []
    assert speech(await handle(hass, INTENT_AGENT_PAUSE)) == "You are paused."


async def test_log_out_then_ready_logs_in(
    hass: HomeAssistant, agent: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Logged out of the queues; "I'm ready" then logs in on the own line first."""
    response = await handle(hass, INTENT_AGENT_LOGOUT, language="fr")
    assert speech(response) == "Votre agent est déconnecté de ses files d'attente."
    await xuc_server.wait_for_command("agentLogout")
    assert speech(await handle(hass, INTENT_AGENT_PAUSED)) == (
        "No: you are logged out of your queues."
    )

    response = await handle(hass, INTENT_AGENT_PAUSE)  # logged out: no pause
    assert speech(response) == (
        "The agent is logged out: make it ready first (that logs it in), then pause it."
    )
    assert xuc_server.commands("pauseAgent") == []

    assert speech(await handle(hass, INTENT_AGENT_READY)) == "You are ready for calls."
    login = await xuc_server.wait_for_command("agentLogin")
    assert login["agentphonenumber"] == "1000"
    await wait_for_snapshot(agent, _agent_is(AgentStatus.READY))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            XucAgentError("PhoneNumberUnknown", requested_number="1000"),
            (
                "The XiVO server does not know the line 1000: the agent cannot log in "
                "on it."
            ),
        ),
        (
            XucAgentError("Busy"),
            "The XiVO server refused the agent request: Busy.",
        ),
    ],
)
async def test_an_agent_error_is_said(
    hass: HomeAssistant, agent: MockConfigEntry, error: XucAgentError, message: str
) -> None:
    """The server refuses the agent command: the actions' text, with its numbers."""
    client = agent.runtime_data.client
    with (
        patch.object(client, "agent_ready", side_effect=error),
        pytest.raises(intent.IntentHandleError) as err,
    ):
        await handle(hass, INTENT_AGENT_READY)

    assert str(err.value) == message


# ---------------------------------------------------------------------- queues


async def test_calls_waiting_in_the_agents_queues(
    hass: HomeAssistant, agent: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Summed over the agent's queues; the longest wait of any of them."""

    def waiting(count: int) -> object:
        def check(data: XucSnapshot) -> bool:
            known = [data.queue_stats.get(q) for q in data.memberships]
            return sum((s.waiting_calls or 0) for s in known if s) == count

        return check

    await wait_for_snapshot(agent, lambda data: bool(data.queue_stats))
    assert speech(await handle(hass, INTENT_QUEUE_CALLS)) == (
        "No call is waiting in your queues."
    )

    await xuc_server.add_caller(1, waited=30)
    await wait_for_snapshot(agent, waiting(1))  # type: ignore[arg-type]
    response = await handle(hass, INTENT_QUEUE_CALLS)
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) in {
        f"One call is waiting in your queues, for {s} seconds." for s in (30, 31)
    }

    await xuc_server.add_caller(2, waited=125)
    await xuc_server.add_caller(2, waited=5)
    await wait_for_snapshot(agent, waiting(3))  # type: ignore[arg-type]
    assert speech(await handle(hass, INTENT_QUEUE_CALLS, language="fr")) in {
        "3 appels attendent dans vos files d'attente ; le plus ancien depuis "
        f"2 minutes et {s} secondes."
        for s in (5, 6)
    }


async def test_calls_waiting_without_figures(
    hass: HomeAssistant, agent: MockConfigEntry
) -> None:
    """No queue, no statistics yet, or counts without waits: each said plainly."""
    coordinator = agent.runtime_data.coordinator
    data = coordinator.data
    coordinator.async_set_updated_data(data.evolve(queue_stats={}))
    assert speech(await handle(hass, INTENT_QUEUE_CALLS)) == (
        "I don't know yet how many calls are waiting."
    )
    coordinator.async_set_updated_data(data.evolve(memberships={}))
    assert speech(await handle(hass, INTENT_QUEUE_CALLS, language="fr")) == (
        "Votre agent n'est dans aucune file d'attente."
    )
    stats = type(next(iter(data.queue_stats.values())))
    for count, answer in (
        (1, "One call is waiting in your queues."),
        (2, "2 calls are waiting in your queues."),
    ):
        coordinator.async_set_updated_data(
            data.evolve(queue_stats={1: stats({"WaitingCalls": count})})
        )
        assert speech(await handle(hass, INTENT_QUEUE_CALLS)) == answer


async def test_agent_state_not_known(
    hass: HomeAssistant, agent: MockConfigEntry
) -> None:
    """No agent state received: said so."""
    coordinator = agent.runtime_data.coordinator
    coordinator.async_set_updated_data(coordinator.data.evolve(agent=None))

    assert speech(await handle(hass, INTENT_AGENT_PAUSED)) == (
        "I don't know your agent's state yet."
    )


# ---------------------------------------------------------------------- no agent


@pytest.mark.parametrize(
    ("intent_type", "slots"),
    [
        (INTENT_AGENT_PAUSE, {"reason": "lunch"}),
        (INTENT_AGENT_READY, {}),
        (INTENT_AGENT_LOGOUT, {}),
        (INTENT_AGENT_PAUSED, {}),
        (INTENT_QUEUE_CALLS, {}),
    ],
)
async def test_an_account_without_an_agent_is_told_so(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    intent_type: str,
    slots: dict[str, str],
) -> None:
    """Bob's kind of account (no agent id): refused aloud, nothing sent."""
    coordinator = intents.runtime_data.coordinator
    user = coordinator.data.user
    fields = {key: value for key, value in user.fields.items() if key != "agentId"}
    coordinator.async_set_updated_data(
        coordinator.data.evolve(user=type(user)(fields=fields))
    )

    response = await handle(hass, intent_type, slots, "fr")

    assert _is_error(response)
    assert (
        speech(response) == "Cet utilisateur XiVO n'est pas un agent de file d'attente."
    )
    await hass.async_block_till_done()
    assert [
        *xuc_server.commands("pauseAgent"),
        *xuc_server.commands("unpauseAgent"),
        *xuc_server.commands("agentLogout"),
    ] == []
