"""Agents and queues in the reducer: models, parsing, own-agent filtering (§12, §13).

Frames are fed to `apply_message` directly; the client's side (start-up requests,
commands) is in `test_agents_client.py`, against the simulator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging
from typing import Any

import pytest

from custom_components.xivo.xuc import (
    AgentState,
    AgentStatus,
    Queue,
    QueueStats,
    Status,
    StatusAction,
    XucAgentError,
    XucCommandError,
    XucSnapshot,
    pause_reasons,
)
from custom_components.xivo.xuc.agent_control import agent_error_of
from custom_components.xivo.xuc.agent_reducer import QUIET_TYPES, quiet
from custom_components.xivo.xuc.agents import (
    parse_agent_state,
    parse_queue_stats,
    positive_id,
)
from custom_components.xivo.xuc.batch import PushBatch
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import UserConfig
from custom_components.xivo.xuc.reducer import apply_message
from custom_components.xivo.xuc.scalars import parse_number

AGENT = 12


def apply(snapshot: XucSnapshot, msg_type: str, payload: Any) -> XucSnapshot:
    """The snapshot after one message."""
    new, events = apply_message(snapshot, msg_type, payload)
    assert events == ()
    return new


def agent_user(agent_id: Any = AGENT) -> XucSnapshot:
    """A snapshot whose user has this agent id."""
    return apply(XucSnapshot(), "UserConfigUpdate", {"agentId": agent_id})


def state_event(**fields: Any) -> dict[str, Any]:
    """An AgentStateEvent payload about the own agent."""
    return {"agentId": AGENT, "name": "AgentReady", "phoneNb": "1000", **fields}


# --- the user's agent id ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        ("12", 12),
        (" 7 ", 7),
        (0, None),
        (-1, None),
        ("-1", None),
        (None, None),
        ("", None),
        ("x", None),
        (True, None),
        (1.5, None),
        ([12], None),
    ],
)
def test_agent_id_is_a_positive_id_or_none(value: Any, expected: int | None) -> None:
    """§18.1: what a user without an agent gets is unknown; only > 0 is an agent."""
    fields = {} if value is None else {"agentId": value}
    assert UserConfig(fields=fields).agent_id == expected
    assert positive_id(value) == expected


def test_agent_id_absent() -> None:
    assert UserConfig().agent_id is None
    assert XucSnapshot().agent is None
    assert dict(XucSnapshot().queues) == {}
    assert dict(XucSnapshot().memberships) == {}
    assert dict(XucSnapshot().queue_stats) == {}


# --- AgentStateEvent -------------------------------------------------------------------


def test_agent_state_is_read_with_every_field() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    state = parse_agent_state(
        state_event(
            name="AgentOnPause",
            since=42,
            queues=[1, "2", 3, True, None],
            cause="outtolunch",
            acd=True,
            direction="Incoming",
            monitorState="ACTIVE",
        ),
        now,
    )
    assert state == AgentState(
        agent_id=AGENT,
        status=AgentStatus.PAUSED,
        wire_name="AgentOnPause",
        phone_number="1000",
        since=now - timedelta(seconds=42),
        queue_ids=(1, 3),
        cause="outtolunch",
        acd=True,
        direction="Incoming",
        monitor_state="ACTIVE",
    )
    assert state.recordable
    assert state.recording


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("AgentLoggedOut", AgentStatus.LOGGED_OUT),
        ("AgentLogin", AgentStatus.LOGGED_IN),
        ("AgentReady", AgentStatus.READY),
        ("AgentOnPause", AgentStatus.PAUSED),
        ("AgentOnWrapup", AgentStatus.WRAPUP),
        ("AgentOnCall", AgentStatus.ON_CALL),
        ("AgentRinging", AgentStatus.RINGING),
        ("AgentDialing", AgentStatus.DIALING),
    ],
)
def test_every_state_name(name: str, status: AgentStatus) -> None:
    state = parse_agent_state(state_event(name=name), datetime.now(UTC))
    assert state.status is status
    assert state.wire_name == name


def test_an_unknown_state_name_is_none_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    snapshot = agent_user()
    with caplog.at_level(logging.DEBUG, "custom_components.xivo.xuc.agents"):
        snapshot = apply(snapshot, "AgentStateEvent", state_event(name="AgentOnMoon"))
        snapshot = apply(
            snapshot, "AgentStateEvent", state_event(name="AgentOnMoon", since=9)
        )
    assert snapshot.agent is not None
    assert snapshot.agent.status is None
    assert snapshot.agent.wire_name == "AgentOnMoon"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "AgentOnMoon" in warnings[0].getMessage()


@pytest.mark.parametrize("phone", ["", "null", " null ", None, {"x": 1}])
def test_no_phone_number(phone: Any) -> None:
    state = parse_agent_state(state_event(phoneNb=phone), datetime.now(UTC))
    assert state.phone_number is None


@pytest.mark.parametrize("since", [None, -1, "x", 1e300, float("nan"), True])
def test_an_unusable_since_is_none(since: Any) -> None:
    state = parse_agent_state(state_event(since=since), datetime.now(UTC))
    assert state.since is None


def test_since_is_ignored_when_logged_out_and_a_string_is_taken() -> None:
    now = datetime.now(UTC)
    assert (
        parse_agent_state(state_event(name="AgentLoggedOut", since=5), now).since
        is None
    )
    assert parse_agent_state(state_event(since="5"), now).since == now - timedelta(
        seconds=5
    )


def test_cause_is_kept_only_while_paused() -> None:
    now = datetime.now(UTC)
    assert parse_agent_state(state_event(cause="outtolunch"), now).cause is None
    paused = state_event(name="AgentOnPause", cause="")
    assert parse_agent_state(paused, now).cause is None


@pytest.mark.parametrize(
    "payload", [[], "x", {"name": "AgentReady"}, {"agentId": AGENT}, {"agentId": 0}]
)
def test_an_own_state_without_id_or_name_is_a_protocol_error(payload: Any) -> None:
    with pytest.raises(XucProtocolError):
        parse_agent_state(payload, datetime.now(UTC))


def test_the_reducer_keeps_only_the_own_agent() -> None:
    snapshot = agent_user()
    own = apply(snapshot, "AgentStateEvent", state_event())
    assert own.agent is not None
    assert own.agent.status is AgentStatus.READY
    # Another agent, or an id of another type that is not the own one: the same object.
    for other in (13, "13", 0, None, True):
        assert apply(own, "AgentStateEvent", state_event(agentId=other)) is own
    assert apply(own, "AgentStateEvent", state_event(agentId=str(AGENT))) is own
    # Not a dict at all: a protocol error even when it is nobody's.
    with pytest.raises(XucProtocolError):
        apply_message(own, "AgentStateEvent", "x")


def test_without_an_agent_id_nothing_is_kept() -> None:
    snapshot = XucSnapshot()
    for msg_type, payload in [
        ("AgentStateEvent", state_event()),
        ("QueueMember", {"agentId": AGENT, "queueId": 1, "penalty": 0}),
        ("QueueMemberList", [{"agentId": AGENT, "queueId": 1, "penalty": 0}]),
    ]:
        assert apply(snapshot, msg_type, payload) is snapshot


def test_a_resent_state_is_no_change() -> None:
    """GetAgentStates at each connect resends it: its start moves by rounding only."""
    snapshot = apply(agent_user(), "AgentStateEvent", state_event(since=10))
    assert apply(snapshot, "AgentStateEvent", state_event(since=10)) is snapshot
    assert apply(snapshot, "AgentStateEvent", state_event(since=11)) is snapshot
    later = apply(snapshot, "AgentStateEvent", state_event(since=0))
    assert later is not snapshot  # ten seconds apart: a new state began
    paused = apply(snapshot, "AgentStateEvent", state_event(name="AgentOnPause"))
    assert paused.agent is not None
    assert paused.agent.status is AgentStatus.PAUSED


def test_a_new_agent_id_forgets_the_previous_agent() -> None:
    snapshot = apply(agent_user(), "AgentStateEvent", state_event())
    snapshot = apply(
        snapshot, "QueueMember", {"agentId": AGENT, "queueId": 1, "penalty": 0}
    )
    same = apply(snapshot, "UserConfigUpdate", {"agentId": AGENT, "fullName": "A"})
    assert same.agent == snapshot.agent
    assert dict(same.memberships) == {1: 0}
    moved = apply(same, "UserConfigUpdate", {"agentId": 13})
    assert moved.agent is None
    assert dict(moved.memberships) == {}
    # The batch of frequent pushes applies the same rule.
    batch = PushBatch()
    batch.apply(same, "UserConfigUpdate", {"agentId": 13})
    published = batch.publish(same)
    assert published.agent is None
    assert dict(published.memberships) == {}


# --- queues, memberships, statistics ---------------------------------------------------

QUEUES = [
    {"id": 1, "name": "blue", "displayName": "Blue Sky", "number": "3000"},
    {"id": "2", "name": "red"},
    {"id": 0, "name": "zero"},
    {"name": "noid"},
    "junk",
]


def with_queues() -> XucSnapshot:
    """An agent in queue 1 (penalty 2), of the two queues configured."""
    snapshot = apply(agent_user(), "QueueList", QUEUES)
    return apply(
        snapshot,
        "QueueMemberList",
        [
            {"agentId": AGENT, "queueId": 1, "penalty": 2},
            {"agentId": 99, "queueId": 2, "penalty": 0},
            {"agentId": AGENT, "queueId": 2, "penalty": -1},
            {"agentId": AGENT},
        ],
    )


def test_queue_list_and_config() -> None:
    snapshot = with_queues()
    assert dict(snapshot.queues) == {
        1: Queue(queue_id=1, name="blue", display_name="Blue Sky", number="3000"),
        2: Queue(queue_id=2, name="red", display_name="red", number=None),
    }
    assert apply(snapshot, "QueueList", QUEUES) is snapshot
    renamed = apply(snapshot, "QueueConfig", {"id": 2, "name": "red", "number": 3001})
    assert renamed.queues[2].number == "3001"
    assert renamed.queues[1] is snapshot.queues[1]
    # An object wrapping a list is read too; a list of nothing readable is refused.
    wrapped = apply(snapshot, "QueueList", {"queues": [{"id": 5, "name": "five"}]})
    assert set(wrapped.queues) == {1, 2, 5}
    for bad in ([{"id": 1}], "x", {"id": None}):
        with pytest.raises(XucProtocolError):
            apply_message(snapshot, "QueueList", bad)
    assert apply(snapshot, "QueueList", []) is snapshot


def test_memberships_of_the_own_agent_only() -> None:
    snapshot = with_queues()
    assert dict(snapshot.memberships) == {1: 2}
    joined = apply(snapshot, "QueueMember", {"agentId": AGENT, "queueId": 2})
    assert dict(joined.memberships) == {1: 2, 2: 0}  # no penalty: 0
    other = {"agentId": 99, "queueId": 1, "penalty": -1}
    assert apply(joined, "QueueMember", other) is joined
    left = apply(joined, "QueueMember", {"agentId": AGENT, "queueId": 1, "penalty": -1})
    assert dict(left.memberships) == {2: 0}
    assert (
        apply(left, "QueueMember", {"agentId": AGENT, "queueId": 1, "penalty": -1})
        is left
    )
    with pytest.raises(XucProtocolError):
        apply_message(left, "QueueMember", {"agentId": AGENT, "penalty": "x"})
    with pytest.raises(XucProtocolError):
        apply_message(left, "QueueMember", "x")
    # The list is the whole truth: it replaces what was known.
    relisted = apply(left, "QueueMemberList", [])
    assert dict(relisted.memberships) == {}


def test_queue_statistics_by_id_and_by_name() -> None:
    snapshot = with_queues()
    stats = apply(
        snapshot,
        "QueueStatistics",
        {
            "queueId": 1,
            "counters": [
                {"statName": "WaitingCalls", "value": 2},
                {"statName": "LongestWaitTime", "value": "37"},
                {"statName": "Bad", "value": "x"},
                "junk",
            ],
        },
    )
    assert stats.queue_stats[1] == QueueStats(
        counters={"WaitingCalls": 2.0, "LongestWaitTime": 37.0}
    )
    assert stats.queue_stats[1].waiting_calls == 2
    assert stats.queue_stats[1].longest_wait == 37.0
    assert stats.queue_stats[1].available_agents is None
    # A subset merges; by queueRef (the name) too.
    merged = apply(
        stats,
        "QueueStatistics",
        {"queueRef": "blue", "counters": [{"statName": "AvailableAgents", "value": 1}]},
    )
    assert merged.queue_stats[1].available_agents == 1
    assert merged.queue_stats[1].waiting_calls == 2
    assert (
        apply(
            merged,
            "QueueStatistics",
            {
                "queueRef": "blue",
                "counters": [{"statName": "AvailableAgents", "value": 1}],
            },
        )
        is merged
    )
    unknown = {"queueRef": "nope", "counters": [{"statName": "X", "value": 1}]}
    assert apply(merged, "QueueStatistics", unknown) is merged
    with pytest.raises(XucProtocolError):
        apply_message(merged, "QueueStatistics", {"counters": []})


def test_stats_of_a_queue_the_agent_is_not_in_are_quiet() -> None:
    snapshot = with_queues()
    assert {"QueueStatistics", "QueueConfig", "QueueList"} == QUIET_TYPES
    other = apply(
        snapshot,
        "QueueStatistics",
        {"queueId": 2, "counters": [{"statName": "WaitingCalls", "value": 4}]},
    )
    assert other.queue_stats[2].waiting_calls == 4  # kept for a later membership
    assert quiet(snapshot, other)
    own = apply(
        other,
        "QueueStatistics",
        {"queueId": 1, "counters": [{"statName": "WaitingCalls", "value": 1}]},
    )
    assert not quiet(other, own)
    renamed = apply(own, "QueueConfig", {"id": 1, "name": "blue", "displayName": "B"})
    assert not quiet(own, renamed)
    assert quiet(own, apply(own, "QueueConfig", {"id": 2, "name": "r"}))


def test_negative_counters_read_as_zero() -> None:
    stats = QueueStats(
        counters={"WaitingCalls": -1, "LongestWaitTime": -5.0, "AvailableAgents": -2}
    )
    assert stats.waiting_calls == 0
    assert stats.longest_wait == 0.0
    assert stats.available_agents == 0


def test_parse_number() -> None:
    assert parse_number(3) == 3.0
    assert parse_number(" 1.5 ") == 1.5
    assert parse_number(2**60) is None
    for bad in ("nan", "inf", float("inf"), None, True, "x", [], "9" * 40):
        assert parse_number(bad) is None
    reading = parse_queue_stats({"queueId": "3", "counters": "x"})
    assert (reading.queue_id, reading.queue_ref, dict(reading.counters)) == (
        3,
        None,
        {},
    )


# --- pause reasons ---------------------------------------------------------------------


def test_pause_reasons_from_actions_or_category() -> None:
    pause = StatusAction(name="queuepause_all", parameters="")
    dnd = StatusAction(name="enablednd", parameters="true")
    statuses = [
        Status(name="available", label="Available", category=0),
        Status(name="outtolunch", label="Lunch", actions=(dnd, pause)),
        Status(name="ook", label="Out", category=1),  # CtiStatuses: no actions
        Status(name="dnd", label="DND", category=1, actions=(dnd,)),  # actions win
        Status(name="disconnected", label="Off", category=2),
    ]
    assert [s.name for s in pause_reasons(statuses)] == ["outtolunch", "ook"]
    assert pause_reasons([]) == ()


# --- errors ----------------------------------------------------------------------------


def test_agent_error_carries_the_numbers() -> None:
    error = XucAgentError(
        "LoggedInOnAnotherPhone", phone_number="1002", requested_number="1001"
    )
    assert isinstance(error, XucCommandError)
    assert (error.error, error.phone_number, error.requested_number) == (
        "LoggedInOnAnotherPhone",
        "1002",
        "1001",
    )
    assert "1002" in str(error)
    assert "1001" in str(error)
    assert str(XucAgentError("PhoneNumberUnknown")).endswith("(PhoneNumberUnknown)")


def test_agent_error_frames() -> None:
    """§12.5: `Error` with a capital E; other fields kept; a bare text too."""
    assert agent_error_of("PhoneEvent", {"Error": "PhoneNumberUnknown"}) is None
    assert agent_error_of("Error", {"Error": "Invalid message"}) is None
    assert agent_error_of("Error", "PhoneNumberUnknown") is None
    generic = agent_error_of("Error", {"Error": "LoggedInOnAnotherPhone"})
    assert generic is not None
    assert generic.error == "LoggedInOnAnotherPhone"
    assert generic.phone_number is None
    for payload, code in [
        ({"error": "Lower"}, "Lower"),
        ("NotAnObject", "NotAnObject"),
        (None, "AgentError"),
        ({"phoneNb": 1002}, "AgentError"),
    ]:
        error = agent_error_of("AgentError", payload)
        assert error is not None
        assert error.error == code
    numbered = agent_error_of("AgentError", {"phoneNb": 1002, "RequestedNb": ""})
    assert numbered is not None
    assert (numbered.phone_number, numbered.requested_number) == ("1002", None)


def test_agent_states_as_one_list() -> None:
    """§18.8: `getAgentStates` may answer one list; the own item counts."""
    snapshot = agent_user()
    listed = apply(
        snapshot,
        "AgentStateEvent",
        [state_event(agentId=13), state_event(name="AgentOnPause"), "junk"],
    )
    assert listed.agent is not None
    assert listed.agent.status is AgentStatus.PAUSED
    assert apply(listed, "AgentStateEvent", [state_event(agentId=13)]) is listed
    assert apply(XucSnapshot(), "AgentStateEvent", [state_event()]) == XucSnapshot()


def test_counters_as_an_object() -> None:
    reading = parse_queue_stats(
        {"queueId": 1, "counters": {"WaitingCalls": "3", "EWT": None}}
    )
    assert dict(reading.counters) == {"WaitingCalls": 3.0}
