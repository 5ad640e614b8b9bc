"""Properties of `apply_message` over generated messages (hypothesis).

* any JSON as the payload of any message type: a new snapshot, or XucProtocolError;
* after any sequence of messages, every field of the snapshot has its declared type;
* well-shaped payloads with random field types go deeper: idempotence, identity when
  nothing changes, call events consistent with the calls, the merge of user config.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.xivo.xuc.agents import (
    AgentState,
    AgentStatus,
    Queue,
    QueueStats,
    positive_id,
)
from custom_components.xivo.xuc.directory import parse_directory
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import (
    Call,
    Contact,
    Forward,
    PhoneState,
    Preference,
    Status,
    StatusAction,
    UserConfig,
    Voicemail,
    XucSnapshot,
)
from custom_components.xivo.xuc.reducer import (
    HANDLERS,
    PASSIVE_MESSAGE_TYPES,
    CallEvent,
    CallEventType,
    apply_message,
    favorite_key,
)

SETTINGS = settings(max_examples=200, deadline=None)

Message = tuple[str, Any]


def reduce(snapshot: XucSnapshot, msg_type: str, payload: Any) -> Any:
    """Apply a message; None when it is refused as malformed."""
    try:
        return apply_message(snapshot, msg_type, payload)
    except XucProtocolError:
        return None


# --- Random JSON ----------------------------------------------------------------------

KNOWN_KEYS = (
    "name",
    "longName",
    "displayName",
    "color",
    "status",
    "actions",
    "parameters",
    "userId",
    "fullName",
    "firstName",
    "lastName",
    "dndEnabled",
    "uncFwdEnabled",
    "uncFwdDestination",
    "key",
    "value",
    "value_type",
    "valueType",
    "headers",
    "entries",
    "entry",
    "favorite",
    "contact_id",
    "contactId",
    "source",
    "action",
    "number",
    "newMessages",
    "waitingMessages",
    "oldMessages",
    "eventType",
    "uniqueId",
    "linkedId",
    "otherDN",
    "otherDName",
    "callDirection",
    "queueName",
    "userData",
    "events",
    "id",
)
INTERESTING_TEXT = (
    "0",
    "8",
    "-1",
    " 16 ",
    "true",
    "false",
    "AVAILABLE",
    "INDISPONIBLE",
    "Removed",
    "Added",
    "EventRinging",
    "EventDialing",
    "EventEstablished",
    "EventOnHold",
    "EventReleased",
    "Outgoing",
    "incoming",
    "DirectionUnknown",
    "USR_var1",
    "-",
    "enablednd",
    "Firstname",
    "Numéro",
    "1000",
)
TEXT = st.text(max_size=12) | st.sampled_from(INTERESTING_TEXT)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | TEXT, children, max_size=6)
    ),
    max_leaves=15,
)


def _populated() -> XucSnapshot:
    snapshot = XucSnapshot()
    for msg_type, payload in [
        ("UsersStatuses", [{"name": "away", "longName": "Away", "color": "#FF0"}]),
        ("CtiStatuses", [{"name": "away", "status": 1}, {"name": "available"}]),
        ("UserStatusUpdate", {"status": "away"}),
        ("UserConfigUpdate", {"fullName": "Alice", "dndEnabled": True}),
        ("UserPreference", {"K": {"value": "v", "value_type": "String"}}),
        (
            "Favorites",
            {
                "headers": ["Number"],
                "entries": [
                    {"entry": ["1000"], "contact_id": "1", "source": "internal"}
                ],
            },
        ),
        ("PhoneHintStatusEvent", {"number": "1000", "status": 8}),
        ("PhoneStatusUpdate", {"status": 0}),
        ("VoiceMailStatusUpdate", {"newMessages": 1}),
        ("LineConfig", {"number": "1000"}),
        ("PhoneEvent", {"eventType": "EventRinging", "uniqueId": "A"}),
        ("UserConfigUpdate", {"agentId": 7}),
        ("QueueList", [{"id": 1, "name": "blue"}, {"id": 2, "name": "red"}]),
        ("QueueMemberList", [{"agentId": 7, "queueId": 1, "penalty": 0}]),
        ("AgentStateEvent", {"agentId": 7, "name": "AgentReady", "since": 3}),
        ("QueueStatistics", {"queueId": 1, "counters": []}),
    ]:
        snapshot, _ = apply_message(snapshot, msg_type, payload)
    return snapshot


POPULATED = _populated()
STARTS = st.sampled_from([XucSnapshot(), POPULATED])


# --- Checks ---------------------------------------------------------------------------

CALL_STATES = {"ringing", "dialing", "established", "on_hold"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_frozen_mapping(value: Any) -> None:
    assert isinstance(value, Mapping)
    assert not isinstance(value, dict)  # read-only views, not the dicts themselves


def _opt_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def check_contact(contact: Any) -> None:
    assert isinstance(contact, Contact)
    for text in (
        contact.first_name,
        contact.last_name,
        contact.full_name,
        contact.number,
        contact.mobile,
    ):
        assert isinstance(text, str)
    if contact.full_name:
        assert contact.name == contact.full_name
    assert isinstance(contact.favorite, bool)
    assert contact.status_code is None or _is_int(contact.status_code)
    assert _opt_str(contact.contact_id)
    assert _opt_str(contact.source)
    _check_frozen_mapping(contact.fields)
    for key, value in contact.fields.items():
        assert isinstance(key, str)
        assert isinstance(value, str)
    assert isinstance(contact.name, str)
    assert _opt_str(contact.key)
    assert contact.phone_state is None or isinstance(contact.phone_state, PhoneState)


def check_call(call: Any) -> None:
    assert isinstance(call, Call)
    assert isinstance(call.unique_id, str)
    assert call.unique_id
    assert call.direction in {"Incoming", "Outgoing", None}
    for text in (call.other_number, call.other_name, call.linked_id, call.queue_name):
        assert text is None or (isinstance(text, str) and text)  # never empty
    assert isinstance(call.answered, bool)
    assert isinstance(call.key, str)
    assert call.key
    _check_frozen_mapping(call.user_data)
    for key, value in call.user_data.items():
        assert isinstance(key, str)
        assert key.startswith("USR_")
        assert isinstance(value, str)


def check_contact_center(snapshot: XucSnapshot) -> None:
    """The agent's fields: own agent only, read-only mappings, typed values."""
    agent = snapshot.agent
    if agent is not None:
        assert isinstance(agent, AgentState)
        assert agent.agent_id == snapshot.user.agent_id
        assert agent.status is None or isinstance(agent.status, AgentStatus)
        assert isinstance(agent.wire_name, str)
        assert agent.wire_name
        assert agent.phone_number not in {"", "null"}
        assert _opt_str(agent.phone_number)
        assert agent.since is None or agent.since.tzinfo is not None
        assert all(_is_int(item) for item in agent.queue_ids)
        assert agent.cause is None or agent.status is AgentStatus.PAUSED
        assert isinstance(agent.acd, bool)
        assert agent.recording <= agent.recordable
    _check_frozen_mapping(snapshot.queues)
    for queue_id, queue in snapshot.queues.items():
        assert isinstance(queue, Queue)
        assert queue.queue_id == queue_id
        assert queue.name
        assert queue.display_name
    _check_frozen_mapping(snapshot.memberships)
    for queue_id, penalty in snapshot.memberships.items():
        assert _is_int(queue_id)
        assert _is_int(penalty)
        assert penalty >= 0
    _check_frozen_mapping(snapshot.queue_stats)
    for queue_id, stats in snapshot.queue_stats.items():
        assert _is_int(queue_id)
        assert isinstance(stats, QueueStats)
        _check_frozen_mapping(stats.counters)
        assert all(isinstance(value, float) for value in stats.counters.values())
        for count in (stats.waiting_calls, stats.available_agents):
            assert count is None or (_is_int(count) and count >= 0)


def check_snapshot(snapshot: Any) -> None:
    """Every field of the snapshot has its declared type."""
    assert isinstance(snapshot, XucSnapshot)

    user = snapshot.user
    assert isinstance(user, UserConfig)
    _check_frozen_mapping(user.fields)
    for key, value in user.fields.items():
        assert isinstance(key, str)
        assert value is not None
    assert _opt_str(user.user_id)
    assert user.full_name is None or (
        isinstance(user.full_name, str) and user.full_name
    )
    assert _opt_str(user.mobile_number)
    assert isinstance(user.dnd, bool)
    for forward in (
        user.unconditional_forward,
        user.no_answer_forward,
        user.busy_forward,
    ):
        assert isinstance(forward, Forward)
        assert isinstance(forward.enabled, bool)
        assert isinstance(forward.destination, str)

    assert isinstance(snapshot.statuses, tuple)
    names = [status.name for status in snapshot.statuses]
    assert len(names) == len(set(names))
    for status in snapshot.statuses:
        assert isinstance(status, Status)
        assert isinstance(status.name, str)
        assert status.name
        assert isinstance(status.label, str)
        assert status.label
        assert _opt_str(status.color)
        assert status.category is None or _is_int(status.category)
        assert isinstance(status.actions, tuple)
        for action in status.actions:
            assert isinstance(action, StatusAction)
            assert isinstance(action.name, str)
            assert action.name
            assert isinstance(action.parameters, str)
        assert status.dnd in {True, False, None}
    assert snapshot.status_name is None or (
        isinstance(snapshot.status_name, str) and snapshot.status_name
    )
    assert snapshot.status is None or snapshot.status in snapshot.statuses
    if snapshot.status is not None:
        assert snapshot.status.name == snapshot.status_name

    _check_frozen_mapping(snapshot.preferences)
    for key, preference in snapshot.preferences.items():
        assert isinstance(key, str)
        assert isinstance(preference, Preference)
        assert preference.key == key
        assert isinstance(preference.value, str)
        assert isinstance(preference.value_type, str)
        assert preference.value_type

    _check_frozen_mapping(snapshot.favorites)
    for key, contact in snapshot.favorites.items():
        assert isinstance(key, str)
        check_contact(contact)
        assert contact.favorite is True
        assert favorite_key(contact) == key
        state = snapshot.contact_phone_state(contact)
        assert state is None or isinstance(state, PhoneState)

    _check_frozen_mapping(snapshot.phone_hints)
    for number, code in snapshot.phone_hints.items():
        assert isinstance(number, str)
        assert _is_int(code)

    assert _opt_str(snapshot.line_number)
    assert _opt_str(snapshot.line_id)
    assert _opt_str(snapshot.phone_number)
    assert snapshot.has_line in {True, False, None}
    assert snapshot.own_number in {snapshot.line_number, snapshot.phone_number}
    assert snapshot.own_phone_status is None or isinstance(
        snapshot.own_phone_status, PhoneState
    )
    assert snapshot.own_phone_state is None or isinstance(
        snapshot.own_phone_state, PhoneState
    )

    voicemail = snapshot.voicemail
    assert voicemail is None or isinstance(voicemail, Voicemail)
    if voicemail is not None:
        for count in (voicemail.new, voicemail.waiting, voicemail.old):
            assert _is_int(count)
            assert count >= 0

    check_contact_center(snapshot)

    _check_frozen_mapping(snapshot.calls)
    for key, call in snapshot.calls.items():
        check_call(call)
        assert call.key == key
        assert call.state in CALL_STATES
        if call.state == "established":
            assert call.answered


def check_reduction(
    old: XucSnapshot, msg_type: str, result: Any, old_repr: str
) -> XucSnapshot:
    """The result of one message: types, events and identity; returns the new state."""
    assert repr(old) == old_repr  # the previous snapshot was not touched
    if result is None:
        return old
    assert isinstance(result, tuple)
    assert len(result) == 2
    new, events = result
    assert isinstance(new, XucSnapshot)
    check_snapshot(new)
    # Nothing changed if and only if it is the very same object.
    assert (new is old) == (new == old)
    assert isinstance(events, tuple)
    if msg_type != "PhoneEvent":
        assert events == ()
    for event in events:
        assert isinstance(event, CallEvent)
        assert isinstance(event.type, CallEventType)
        check_call(event.call)
        key = event.call.key
        if event.type in {CallEventType.ENDED, CallEventType.MISSED}:
            assert event.call.state == "released"
            assert key in old.calls
            assert key not in new.calls
            # Released as it stood.
            assert old.calls[key] == dataclasses.replace(
                event.call, state=old.calls[key].state
            )
            missed = not event.call.answered and event.call.direction == "Incoming"
            assert (event.type is CallEventType.MISSED) == missed
        else:
            assert len(events) == 1
            assert new.calls[key] == event.call
        if event.type in {CallEventType.INCOMING, CallEventType.OUTGOING}:
            assert key not in old.calls
            direction = (
                "Outgoing" if event.type is CallEventType.OUTGOING else "Incoming"
            )
            assert event.call.direction == direction
            assert event.call.state in {"ringing", "dialing"}
        if event.type is CallEventType.ANSWERED:
            assert event.call.answered
            assert event.call.state == "established"
            assert key not in old.calls or not old.calls[key].answered
        if event.type is CallEventType.ON_HOLD:
            assert event.call.state == "on_hold"
    if msg_type == "PhoneEvent":
        added = set(new.calls) - set(old.calls)
        removed = set(old.calls) - set(new.calls)
        changed = {
            key
            for key in set(old.calls) & set(new.calls)
            if old.calls[key] != new.calls[key]
        }
        ended = [
            e for e in events if e.type in {CallEventType.ENDED, CallEventType.MISSED}
        ]
        if ended:
            # A release removes calls, one event each, and touches no other.
            assert not added
            assert not changed
            assert {event.call.key for event in ended} == removed
            assert len(ended) == len(events) == len(removed)
        else:
            # Any other event changes one call at most (a call first seen without its
            # linkedId may move to it: one key out, one in).
            assert len(added) + len(changed) <= 1
            assert len(removed) <= len(added)
            assert len(events) <= 1
    return new


def run(snapshot: XucSnapshot, messages: list[Message]) -> XucSnapshot:
    for msg_type, payload in messages:
        payload_repr = repr(payload)
        old_repr = repr(snapshot)
        result = reduce(snapshot, msg_type, payload)
        assert repr(payload) == payload_repr  # the payload was not touched
        snapshot = check_reduction(snapshot, msg_type, result, old_repr)
    return snapshot


def test_the_checks_accept_the_populated_snapshot() -> None:
    check_snapshot(XucSnapshot())
    check_snapshot(POPULATED)
    assert POPULATED.statuses
    assert POPULATED.favorites
    assert POPULATED.calls
    assert POPULATED.own_phone_state is PhoneState.RINGING


# --- (a) Any JSON as any message ------------------------------------------------------


# Each generated payload is tried as every message type: one draw serves them all.
UNKNOWN_TYPES = ("NoSuchType", "", "phoneevent", "UsersStatus")


@SETTINGS
@given(start=STARTS, payload=JSON)
def test_any_json_payload_gives_a_snapshot_or_a_protocol_error(
    start: XucSnapshot, payload: Any
) -> None:
    for msg_type in sorted(HANDLERS):
        run(start, [(msg_type, payload)])


@SETTINGS
@given(
    start=STARTS,
    payload=JSON,
    unknown=st.text(max_size=20).filter(lambda text: text not in HANDLERS),
)
def test_passive_and_unknown_types_change_nothing(
    start: XucSnapshot, payload: Any, unknown: str
) -> None:
    for msg_type in (*sorted(PASSIVE_MESSAGE_TYPES), *UNKNOWN_TYPES, unknown):
        new, events = apply_message(start, msg_type, payload)
        assert new is start
        assert events == ()


# --- (c) Well-shaped payloads with random field types --------------------------------

WEIRD = (
    st.none()
    | st.booleans()
    | st.integers(-3, 20)
    | st.floats(allow_nan=False, width=32)
    | st.text(max_size=6)
    | st.lists(st.integers(0, 3), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(0, 3), max_size=2)
)


@st.composite
def mostly(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    """Usually `strategy`, sometimes (one in six) a value of a random type."""
    if draw(st.integers(0, 5)) == 0:
        return draw(WEIRD)
    return draw(strategy)


STATUS_NAMES = st.sampled_from(["available", "away", "donotdisturb", "outtolunch", ""])
NUMBERS = st.sampled_from(["1000", "1002", "1004"]) | st.integers(1000, 1002)
CODES = st.sampled_from([-99, -2, -1, 0, 1, 2, 3, 4, 8, 9, 16]) | st.sampled_from(
    ["0", "8", "-1", " 16", "x"]
)
IDS = st.sampled_from(["1", "2", "3"]) | st.integers(1, 3)
SOURCES = st.sampled_from(["internal", "xivou", ""])
UNIQUE_IDS = st.sampled_from(["A", "B", "C"])
EVENT_TYPES = st.sampled_from(
    [
        "EventRinging",
        "EventDialing",
        "EventEstablished",
        "EventOnHold",
        "EventReleased",
        "EventOther",
    ]
)
HEADERS = st.sampled_from(
    [
        "Firstname",
        "PRÉNOM",
        "Lastname",
        "Nom",
        "Name",
        "Nom complet",
        "Display name",
        "Number",
        "numéro",
        "Mobile",
        "Favoris",
        "Email",
    ]
)
CONFIG_KEYS = st.sampled_from(
    [
        "agentId",
        "userId",
        "fullName",
        "firstName",
        "lastName",
        "mobileNumber",
        "dndEnabled",
        "naFwdEnabled",
        "naFwdDestination",
        "uncFwdEnabled",
        "uncFwdDestination",
        "busyFwdEnabled",
        "busyFwdDestination",
        "voiceMailEnabled",
    ]
)
PREF_KEYS = st.sampled_from(["PREFERRED_DEVICE", "MOBILE_APP_INFO", "OTHER"])
PREF_VALUES = st.sampled_from(["true", "false", "TypePhoneDevice", "TypeDefaultDevice"])

ACTION = st.fixed_dictionaries(
    {},
    optional={
        "name": mostly(st.sampled_from(["enablednd", "queuepause_all", "agentlogoff"])),
        "parameters": mostly(st.sampled_from(["true", "false", ""])),
    },
)
STATUS_ITEM = st.fixed_dictionaries(
    {"name": mostly(STATUS_NAMES)},
    optional={
        "longName": mostly(st.text(max_size=6)),
        "displayName": mostly(st.text(max_size=6)),
        "color": mostly(st.sampled_from(["#FF0000", "#00FF00", ""])),
        "status": mostly(CODES),
        "actions": mostly(st.lists(mostly(ACTION), max_size=3)),
    },
)
STATUS_LIST = st.lists(mostly(STATUS_ITEM), max_size=5)
STATUSES = STATUS_LIST | st.fixed_dictionaries({"statuses": STATUS_LIST})

PREFERENCE_OBJECT = st.fixed_dictionaries(
    {},
    optional={
        "value": mostly(PREF_VALUES),
        "value_type": mostly(st.sampled_from(["String", "Boolean"])),
        "valueType": mostly(st.sampled_from(["String", "Boolean"])),
    },
)
PREFERENCES = (
    st.dictionaries(PREF_KEYS, mostly(PREFERENCE_OBJECT | PREF_VALUES), max_size=3)
    | st.lists(
        mostly(
            st.fixed_dictionaries({"key": mostly(PREF_KEYS)}).flatmap(
                lambda head: PREFERENCE_OBJECT.map(lambda rest: {**head, **rest})
            )
        ),
        max_size=3,
    )
    | st.fixed_dictionaries(
        {"key": PREF_KEYS, "value": mostly(PREF_VALUES)},
        optional={"value_type": mostly(st.sampled_from(["String", "Boolean"]))},
    )
)

ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "entry": mostly(
            st.lists(
                mostly(st.sampled_from(["hawkeye", "1002", "true", ""])), max_size=7
            )
        ),
        "status": mostly(CODES),
        "contact_id": mostly(IDS),
        "contactId": mostly(IDS),
        "source": mostly(SOURCES),
        "favorite": mostly(st.booleans() | st.sampled_from(["true", "false"])),
    },
)
DIRECTORY = st.fixed_dictionaries(
    {},
    optional={
        "headers": mostly(st.lists(mostly(HEADERS), max_size=6)),
        "entries": mostly(st.lists(mostly(ENTRY), max_size=5)),
    },
)

DIRECTIONS = st.sampled_from(
    ["Incoming", "Outgoing", "DirectionUnknown", "incoming", "OUTGOING", ""]
)
USER_DATA = st.dictionaries(
    st.sampled_from(["USR_a", "USR_b", "XIVO_USERID", "SIPCALLID"]),
    mostly(st.sampled_from(["1", "x", ""])),
    max_size=3,
)
PHONE_EVENT = st.fixed_dictionaries(
    {"eventType": mostly(EVENT_TYPES), "uniqueId": mostly(UNIQUE_IDS)},
    optional={
        "linkedId": mostly(UNIQUE_IDS | st.sampled_from(["L1", "L2"])),
        "otherDN": mostly(NUMBERS),
        "otherDName": mostly(st.text(max_size=5)),
        "callDirection": mostly(DIRECTIONS),
        "queueName": mostly(st.sampled_from(["bluesky", ""])),
        "userData": mostly(USER_DATA),
        "DN": st.just("1000"),
    },
)

AGENT_IDS = st.sampled_from([7, 8, "7", 0, -1])
QUEUE_IDS = st.sampled_from([1, 2, "3"])
AGENT_STATE = st.fixed_dictionaries(
    {
        "agentId": mostly(AGENT_IDS),
        "name": mostly(
            st.sampled_from(["AgentReady", "AgentOnPause", "AgentLoggedOut", "AgentX"])
        ),
    },
    optional={
        "phoneNb": mostly(st.sampled_from(["1000", "null", ""])),
        "since": mostly(st.integers(0, 100) | st.sampled_from(["5", -3, 1e300])),
        "queues": mostly(st.lists(mostly(QUEUE_IDS), max_size=3)),
        "cause": mostly(STATUS_NAMES),
        "acd": mostly(st.booleans()),
        "direction": mostly(DIRECTIONS),
        "monitorState": mostly(st.sampled_from(["ACTIVE", "PAUSED", "DISABLED"])),
    },
)
QUEUE = st.fixed_dictionaries(
    {"id": mostly(QUEUE_IDS), "name": mostly(st.sampled_from(["blue", "red", ""]))},
    optional={
        "displayName": mostly(st.sampled_from(["Blue", ""])),
        "number": mostly(NUMBERS),
    },
)
MEMBER = st.fixed_dictionaries(
    {"agentId": mostly(AGENT_IDS), "queueId": mostly(QUEUE_IDS)},
    optional={"penalty": mostly(st.integers(-2, 3) | st.sampled_from(["1", "x"]))},
)
COUNTER = st.fixed_dictionaries(
    {
        "statName": mostly(
            st.sampled_from(["WaitingCalls", "LongestWaitTime", "AvailableAgents"])
        ),
        "value": mostly(st.integers(0, 9) | st.sampled_from(["2", "1.5", "x", "nan"])),
    }
)
QUEUE_STATS = st.fixed_dictionaries(
    {"counters": mostly(st.lists(mostly(COUNTER), max_size=3))},
    optional={
        "queueId": mostly(QUEUE_IDS),
        "queueRef": mostly(st.sampled_from(["blue", "red", "green"])),
    },
)

STRUCTURED: dict[str, st.SearchStrategy[Any]] = {
    "UsersStatuses": STATUSES,
    "CtiStatuses": STATUSES,
    "UserStatusUpdate": st.fixed_dictionaries(
        {"status": mostly(STATUS_NAMES | st.none())}
    ),
    "UserConfigUpdate": st.dictionaries(
        CONFIG_KEYS | st.text(max_size=6),
        st.none() | WEIRD | st.sampled_from(["true", "false"]),
    ),
    "UserPreference": PREFERENCES,
    "Favorites": DIRECTORY,
    "FavoriteUpdated": st.fixed_dictionaries(
        {"action": mostly(st.sampled_from(["Added", "Removed", "Failed"]))},
        optional={
            "contact_id": mostly(IDS),
            "contactId": mostly(IDS),
            "source": mostly(SOURCES),
        },
    ),
    "PhoneHintStatusEvent": st.fixed_dictionaries(
        {"number": mostly(NUMBERS), "status": mostly(CODES)}
    ),
    "PhoneStatusUpdate": st.fixed_dictionaries(
        {},
        optional={
            "status": mostly(
                CODES | st.sampled_from(["AVAILABLE", "INDISPONIBLE", "ringing", "x"])
            )
        },
    ),
    "VoiceMailStatusUpdate": st.fixed_dictionaries(
        {},
        optional={
            key: mostly(st.integers(-2, 10) | st.sampled_from(["0", "3", "-1"]))
            for key in ("newMessages", "waitingMessages", "oldMessages")
        },
    ),
    "LineConfig": st.fixed_dictionaries(
        {},
        optional={
            "number": mostly(NUMBERS),
            "id": mostly(st.sampled_from(["3", "4", "-"]) | st.integers(3, 4)),
            "webRtc": st.booleans(),
        },
    ),
    "PhoneEvent": PHONE_EVENT,
    "CurrentCallsPhoneEvents": st.fixed_dictionaries(
        {"events": mostly(st.lists(mostly(PHONE_EVENT), max_size=5))}
    ),
    "AgentStateEvent": AGENT_STATE,
    "QueueList": st.lists(mostly(QUEUE), max_size=4),
    "QueueConfig": QUEUE,
    "QueueMemberList": st.lists(mostly(MEMBER), max_size=4),
    "QueueMember": MEMBER,
    "QueueStatistics": QUEUE_STATS,
}


def test_structured_strategies_cover_every_handler() -> None:
    assert set(STRUCTURED) == set(HANDLERS)


STRUCTURED_MESSAGE = st.one_of(
    *(st.tuples(st.just(msg_type), payload) for msg_type, payload in STRUCTURED.items())
)
ANY_MESSAGE = st.one_of(
    STRUCTURED_MESSAGE,
    st.tuples(st.sampled_from(sorted(HANDLERS)), JSON),
)


@SETTINGS
@given(start=STARTS, messages=st.lists(ANY_MESSAGE, max_size=8))
def test_state_stays_valid_after_any_sequence(
    start: XucSnapshot, messages: list[Message]
) -> None:
    """(b) After every message, every field has its declared type."""
    run(start, messages)


@SETTINGS
@given(start=STARTS, messages=st.lists(STRUCTURED_MESSAGE, max_size=10))
def test_state_stays_valid_after_well_shaped_sequences(
    start: XucSnapshot, messages: list[Message]
) -> None:
    run(start, messages)


@SETTINGS
@given(
    start=STARTS,
    prefix=st.lists(STRUCTURED_MESSAGE, max_size=5),
    message=STRUCTURED_MESSAGE,
)
def test_a_message_applied_twice_changes_nothing_the_second_time(
    start: XucSnapshot, prefix: list[Message], message: Message
) -> None:
    snapshot = run(start, prefix)
    msg_type, payload = message
    once = reduce(snapshot, msg_type, payload)
    if once is None:
        return
    twice = reduce(once[0], msg_type, payload)
    assert twice is not None
    assert twice[0] is once[0]
    assert twice[1] == ()


@SETTINGS
@given(
    start=STARTS,
    updates=st.lists(
        st.dictionaries(
            CONFIG_KEYS | st.text(max_size=4),
            st.none() | st.booleans() | st.integers(0, 3) | st.text(max_size=4),
        ),
        max_size=8,
    ),
)
def test_user_config_is_the_merge_of_non_null_fields(
    start: XucSnapshot, updates: list[dict[str, Any]]
) -> None:
    snapshot = start
    expected = dict(start.user.fields)
    for update in updates:
        snapshot, _ = apply_message(snapshot, "UserConfigUpdate", update)
        expected.update(
            {
                k: v
                for k, v in update.items()
                if v is not None
                # A forward's flag counts only with its destination (G1).
                and not (
                    k.endswith("FwdEnabled")
                    and update.get(k.replace("Enabled", "Destination")) is None
                    and k.removesuffix("FwdEnabled") in {"na", "unc", "busy"}
                )
                # "No agent" (anything but a positive id) counts only in a full
                # update, one with the user's name.
                and not (
                    k == "agentId"
                    and positive_id(v) is None
                    and update.get("fullName") is None
                )
            }
        )
        assert dict(snapshot.user.fields) == expected
        # A key that was ever set is never lost.
        assert set(expected) == set(snapshot.user.fields)


@SETTINGS
@given(start=STARTS, payload=DIRECTORY)
def test_favorites_are_the_parsed_rows_by_key(start: XucSnapshot, payload: Any) -> None:
    try:
        rows = parse_directory(payload).contacts
    except XucProtocolError:
        with pytest.raises(XucProtocolError):
            apply_message(start, "Favorites", payload)
        return
    snapshot, _ = apply_message(start, "Favorites", payload)
    expected = {favorite_key(row): row for row in rows}
    assert list(snapshot.favorites) == list(expected)
    for key, contact in snapshot.favorites.items():
        assert contact.favorite is True
        row = expected[key]
        assert (contact.number, contact.name, contact.contact_id, contact.source) == (
            row.number,
            row.name,
            row.contact_id,
            row.source,
        )


@SETTINGS
@given(start=STARTS, hints=st.lists(STRUCTURED["PhoneHintStatusEvent"], max_size=8))
def test_phone_hints_keep_the_last_code_per_number(
    start: XucSnapshot, hints: list[dict[str, Any]]
) -> None:
    snapshot = start
    expected = dict(start.phone_hints)
    for hint in hints:
        result = reduce(snapshot, "PhoneHintStatusEvent", hint)
        if result is None:
            continue
        snapshot = result[0]
        expected[str(hint["number"])] = int(str(hint["status"]).strip())
        assert dict(snapshot.phone_hints) == expected


# --- Calls whose uniqueId changes, of unknown direction (G3, G4) -----------------------

CHANNELS = st.sampled_from(["U1", "U2", "U3", "U4"])
LIVE_EVENT_TYPES = st.sampled_from(
    ["EventRinging", "EventDialing", "EventEstablished", "EventOnHold", "EventOther"]
)
UNKNOWN_DIRECTION = st.sampled_from(
    [{}, {"callDirection": "DirectionUnknown"}, {"callDirection": ""}]
)


@st.composite
def one_call(draw: st.DrawFn, first: str | None = None) -> list[dict[str, Any]]:
    """The PhoneEvents of one call (linkedId L, any channels), ending in a release."""
    direction = draw(UNKNOWN_DIRECTION)
    types = [
        first or draw(LIVE_EVENT_TYPES),
        *draw(st.lists(LIVE_EVENT_TYPES, max_size=6)),
    ]
    events = [
        {"eventType": kind, "uniqueId": draw(CHANNELS), "linkedId": "L", **direction}
        for kind in types
    ]
    seen = [event["uniqueId"] for event in events]
    # The handle: the uniqueId of the last event the call took (not an unknown type).
    handle = next(
        (e["uniqueId"] for e in reversed(events) if e["eventType"] != "EventOther"),
        seen[-1],
    )
    release = draw(
        st.sampled_from(
            [
                {"uniqueId": handle, "linkedId": "L"},
                {"uniqueId": draw(st.sampled_from(seen)), "linkedId": "L"},
                # Without its linkedId, a release names the call by its handle.
                {"uniqueId": handle},
                {"linkedId": "L"},
                {"uniqueId": "L"},
                {"uniqueId": "U9", "linkedId": "L"},
            ]
        )
    )
    return [*events, {"eventType": "EventReleased", **release}]


@SETTINGS
@given(events=one_call())
def test_no_call_is_left_after_its_release(events: list[dict[str, Any]]) -> None:
    snapshot = XucSnapshot()
    for payload in events[:-1]:
        snapshot, _ = apply_message(snapshot, "PhoneEvent", payload)
        assert set(snapshot.calls) <= {"L"}  # one call, whatever its channel
    if snapshot.calls:
        assert snapshot.calls["L"].unique_id in {e["uniqueId"] for e in events[:-1]}
    snapshot, _ = apply_message(snapshot, "PhoneEvent", events[-1])
    assert dict(snapshot.calls) == {}


@SETTINGS
@given(events=one_call(first="EventDialing"))
def test_a_dialled_call_of_unknown_direction_is_never_incoming_or_missed(
    events: list[dict[str, Any]],
) -> None:
    snapshot = XucSnapshot()
    kinds: list[CallEventType] = []
    for payload in events:
        snapshot, new = apply_message(snapshot, "PhoneEvent", payload)
        kinds.extend(event.type for event in new)
    assert CallEventType.INCOMING not in kinds
    assert CallEventType.MISSED not in kinds
    assert kinds[0] is CallEventType.OUTGOING
    assert kinds.count(CallEventType.OUTGOING) == 1
    assert kinds[-1] is CallEventType.ENDED
