"""Calls from `PhoneEvent` and `CurrentCallsPhoneEvents` (`phone_events.py`).

Real servers change `uniqueId` during a call and keep `linkedId` (§19 G4), send
`callDirection` values nobody documented (G3), and may send event types no source
names (§16.2): the reducer must keep one call per call, never invent a missed call, and
never leave a call behind.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.xivo.xuc import XucClient, phone_events
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import Call, XucSnapshot
from custom_components.xivo.xuc.reducer import CallEvent, CallEventType, apply_message
from tests.simulator import ALICE_PASSWORD, IDEAL, REAL, XucSimulator

from .common import FAST, barrier

# --- PhoneEvent / CurrentCallsPhoneEvents ---------------------------------------------


def phone_event(
    event_type: str, unique_id: str = "1.1", **extra: Any
) -> dict[str, Any]:
    return {
        "eventType": event_type,
        "DN": "1000",
        "uniqueId": unique_id,
        "linkedId": unique_id,
        **extra,
    }


def step(
    snapshot: XucSnapshot, payload: dict[str, Any]
) -> tuple[XucSnapshot, list[CallEventType]]:
    new, events = apply_message(snapshot, "PhoneEvent", payload)
    for event in events:
        assert isinstance(event, CallEvent)
    return new, [event.type for event in events]


def test_incoming_answered_ended() -> None:
    snapshot, kinds = step(
        XucSnapshot(),
        phone_event("EventRinging", otherDN="0427466347", otherDName="Bruce"),
    )
    assert kinds == [CallEventType.INCOMING]
    assert snapshot.calls["1.1"] == Call(
        "1.1", "ringing", "Incoming", "0427466347", "Bruce", "1.1", False
    )
    snapshot, kinds = step(snapshot, phone_event("EventEstablished"))
    assert kinds == [CallEventType.ANSWERED]
    call = snapshot.calls["1.1"]
    assert (call.state, call.answered, call.other_number, call.other_name) == (
        "established",
        True,
        "0427466347",
        "Bruce",
    )
    same, kinds = step(snapshot, phone_event("EventEstablished"))
    assert same is snapshot
    assert kinds == []
    ended, events = apply_message(snapshot, "PhoneEvent", phone_event("EventReleased"))
    assert [event.type for event in events] == [CallEventType.ENDED]
    assert events[0].call == replace_call(call, state="released")
    assert dict(ended.calls) == {}


def replace_call(call: Call, **changes: Any) -> Call:
    return dataclasses.replace(call, **changes)


def test_incoming_released_is_missed() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventRinging", otherDN="0600"))
    assert kinds == [CallEventType.INCOMING]
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.MISSED]
    assert dict(snapshot.calls) == {}


def test_outgoing_released_is_ended_not_missed() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventDialing", otherDN="3000"))
    assert kinds == [CallEventType.OUTGOING]
    assert snapshot.calls["1.1"].state == "dialing"
    assert snapshot.calls["1.1"].direction == "Outgoing"
    # The far end rings: still the same outgoing call, no new event.
    snapshot, kinds = step(snapshot, phone_event("EventRinging"))
    assert kinds == []
    assert snapshot.calls["1.1"].direction == "Outgoing"
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_call_direction_from_the_wire() -> None:
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventRinging", callDirection="Outgoing")
    )
    assert kinds == [CallEventType.OUTGOING]
    _, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventDialing", callDirection="Incoming")
    )
    assert kinds == [CallEventType.INCOMING]


def test_on_hold() -> None:
    snapshot, _ = step(XucSnapshot(), phone_event("EventRinging"))
    snapshot, _ = step(snapshot, phone_event("EventEstablished"))
    snapshot, kinds = step(snapshot, phone_event("EventOnHold"))
    assert kinds == [CallEventType.ON_HOLD]
    assert snapshot.calls["1.1"].state == "on_hold"
    same, kinds = step(snapshot, phone_event("EventOnHold"))
    assert same is snapshot
    assert kinds == []
    # Taken back: established again, not answered a second time.
    snapshot, kinds = step(snapshot, phone_event("EventEstablished"))
    assert kinds == []
    assert snapshot.calls["1.1"].state == "established"
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_two_simultaneous_calls_are_tracked_apart() -> None:
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventRinging", "A", otherDN="111")
    )
    assert kinds == [CallEventType.INCOMING]
    snapshot, _ = step(snapshot, phone_event("EventEstablished", "A"))
    snapshot, kinds = step(snapshot, phone_event("EventRinging", "B", otherDN="222"))
    assert kinds == [CallEventType.INCOMING]
    assert set(snapshot.calls) == {"A", "B"}
    assert snapshot.calls["A"].state == "established"
    assert snapshot.calls["B"].state == "ringing"
    snapshot, kinds = step(snapshot, phone_event("EventOnHold", "A"))
    assert kinds == [CallEventType.ON_HOLD]
    snapshot, kinds = step(snapshot, phone_event("EventReleased", "B"))
    assert kinds == [CallEventType.MISSED]
    assert set(snapshot.calls) == {"A"}
    assert snapshot.calls["A"].other_number == "111"
    snapshot, kinds = step(snapshot, phone_event("EventReleased", "A"))
    assert kinds == [CallEventType.ENDED]
    assert dict(snapshot.calls) == {}


def test_phone_events_that_change_nothing() -> None:
    # Released for a call never seen, and unknown event types, are ignored.
    snapshot = XucSnapshot()
    for payload in (phone_event("EventReleased"), phone_event("EventTransfer")):
        new, kinds = step(snapshot, payload)
        assert new is snapshot
        assert kinds == []
    snapshot, _ = step(snapshot, phone_event("EventRinging"))
    new, kinds = step(snapshot, phone_event("EventSomethingNew"))
    assert new is snapshot
    assert kinds == []


def test_phone_event_keys_on_linked_id_without_unique_id() -> None:
    snapshot, kinds = step(
        XucSnapshot(), {"eventType": "EventRinging", "linkedId": "L"}
    )
    assert kinds == [CallEventType.INCOMING]
    assert snapshot.calls["L"].linked_id == "L"


def test_phone_event_keeps_numbers_it_already_knows() -> None:
    snapshot, _ = step(
        XucSnapshot(), phone_event("EventRinging", otherDN="0600", otherDName="Bob")
    )
    snapshot, _ = step(
        snapshot, phone_event("EventEstablished", otherDN="", otherDName=None)
    )
    assert (snapshot.calls["1.1"].other_number, snapshot.calls["1.1"].other_name) == (
        "0600",
        "Bob",
    )
    snapshot, _ = step(snapshot, phone_event("EventEstablished", otherDN="0700"))
    assert snapshot.calls["1.1"].other_number == "0700"


def test_answered_without_ringing_first() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventEstablished"))
    assert kinds == [CallEventType.ANSWERED]
    assert snapshot.calls["1.1"].answered is True
    _, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_current_calls_rebuild_without_events() -> None:
    snapshot, _ = step(XucSnapshot(), phone_event("EventRinging", "old"))
    payload = {
        "events": [
            phone_event("EventRinging", "A", otherDN="111"),
            phone_event("EventEstablished", "A"),
            phone_event("EventDialing", "B", otherDN="222"),
            phone_event("EventRinging", "C"),
            phone_event("EventReleased", "C"),
            phone_event("EventOnHold", "D"),
            "junk",
            None,
        ]
    }
    rebuilt, events = apply_message(snapshot, "CurrentCallsPhoneEvents", payload)
    assert events == ()
    assert set(rebuilt.calls) == {"A", "B", "D"}  # "old" is gone, "C" ended
    assert rebuilt.calls["A"] == Call(
        "A", "established", "Incoming", "111", None, "A", True
    )
    assert rebuilt.calls["B"] == Call(
        "B", "dialing", "Outgoing", "222", None, "B", False
    )
    assert rebuilt.calls["D"].state == "on_hold"
    assert "old" in snapshot.calls  # the input is untouched
    again, events = apply_message(rebuilt, "CurrentCallsPhoneEvents", payload)
    assert again is rebuilt
    assert events == ()
    empty, events = apply_message(rebuilt, "CurrentCallsPhoneEvents", {"events": []})
    assert dict(empty.calls) == {}
    assert events == ()
    assert apply_message(empty, "CurrentCallsPhoneEvents", {"events": []})[0] is empty


@pytest.mark.parametrize(
    "payload",
    [
        {"eventType": "EventRinging", "linkedId": ""},
        {"eventType": "EventRinging", "uniqueId": None, "linkedId": ""},
        {"eventType": "EventDialing", "uniqueId": "", "linkedId": ""},
    ],
)
def test_phone_event_with_no_usable_id(payload: dict[str, Any]) -> None:
    with pytest.raises(XucProtocolError):
        apply_message(XucSnapshot(), "PhoneEvent", payload)


def run_events(
    *payloads: dict[str, Any], start: XucSnapshot | None = None
) -> tuple[XucSnapshot, list[CallEvent]]:
    """Apply PhoneEvents in order; the snapshot after them and every call event."""
    snapshot = start or XucSnapshot()
    events: list[CallEvent] = []
    for payload in payloads:
        snapshot, new = apply_message(snapshot, "PhoneEvent", payload)
        events.extend(new)
    return snapshot, events


def kinds_of(events: list[CallEvent]) -> list[CallEventType]:
    return [event.type for event in events]


# --- Direction (G3) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "first", "direction"),
    [
        ("Incoming", "EventDialing", "Incoming"),
        ("incoming", "EventDialing", "Incoming"),
        (" INCOMING ", "EventDialing", "Incoming"),
        ("Outgoing", "EventRinging", "Outgoing"),
        ("outGoing", "EventRinging", "Outgoing"),
        # Anything else is unknown: the first event tells.
        ("DirectionUnknown", "EventDialing", "Outgoing"),
        ("DirectionUnknown", "EventRinging", "Incoming"),
        ("", "EventDialing", "Outgoing"),
        ("", "EventRinging", "Incoming"),
        (None, "EventDialing", "Outgoing"),
        ("absent", "EventRinging", "Incoming"),
        ("Inbound", "EventDialing", "Outgoing"),
        (1, "EventRinging", "Incoming"),
        (["Outgoing"], "EventRinging", "Incoming"),
        # A call first seen established or on hold: nobody told.
        ("DirectionUnknown", "EventEstablished", None),
        ("absent", "EventOnHold", None),
        ("outgoing", "EventEstablished", "Outgoing"),
    ],
)
def test_call_direction(wire: Any, first: str, direction: str | None) -> None:
    extra = {} if wire == "absent" else {"callDirection": wire}
    snapshot, events = run_events(phone_event(first, **extra))
    assert snapshot.calls["1.1"].direction == direction
    if first in {"EventRinging", "EventDialing"}:
        expected = {
            "Incoming": CallEventType.INCOMING,
            "Outgoing": CallEventType.OUTGOING,
        }[direction or ""]
        assert kinds_of(events) == [expected]


def test_a_later_explicit_direction_wins_and_unknown_never_erases() -> None:
    snapshot, _ = run_events(
        phone_event("EventRinging", callDirection="DirectionUnknown"),
        phone_event("EventEstablished", callDirection="Outgoing"),
    )
    assert snapshot.calls["1.1"].direction == "Outgoing"
    snapshot, _ = run_events(
        phone_event("EventOnHold", callDirection="DirectionUnknown"), start=snapshot
    )
    assert snapshot.calls["1.1"].direction == "Outgoing"


@pytest.mark.parametrize("wire", ["DirectionUnknown", "", None, "absent"])
@pytest.mark.parametrize("answered", [False, True])
def test_a_dialled_call_of_unknown_direction_is_never_incoming_or_missed(
    wire: Any, answered: bool
) -> None:
    extra = {} if wire == "absent" else {"callDirection": wire}
    middle = [phone_event("EventRinging", **extra)]  # the far end rings
    if answered:
        middle.append(phone_event("EventEstablished", "1.2", linkedId="L", **extra))
    _, events = run_events(
        phone_event("EventDialing", linkedId="L", **extra),
        *(dict(event, linkedId="L") for event in middle),
        phone_event(
            "EventReleased", "1.2" if answered else "1.1", linkedId="L", **extra
        ),
    )
    kinds = kinds_of(events)
    assert CallEventType.INCOMING not in kinds
    assert CallEventType.MISSED not in kinds
    assert kinds[0] is CallEventType.OUTGOING
    assert kinds[-1] is CallEventType.ENDED


def test_a_call_of_unknown_direction_unanswered_is_ended_not_missed() -> None:
    snapshot, events = run_events(
        phone_event("EventOnHold", callDirection="DirectionUnknown"),
        phone_event("EventReleased"),
    )
    assert kinds_of(events) == [CallEventType.ON_HOLD, CallEventType.ENDED]
    assert dict(snapshot.calls) == {}


# --- Identity (G4, §16.4) -------------------------------------------------------------

# The D8 sample: linkedId and uniqueId differ, a queue, attached data.
RINGING_SAMPLE: dict[str, Any] = json.loads(
    (
        Path(__file__).parent.parent
        / "fixtures"
        / "xuc-samples"
        / "PhoneEvent.EventRinging.ctiMessage.json"
    ).read_text(encoding="utf-8")
)


def test_the_sample_is_keyed_by_its_linked_id_with_queue_and_attached_data() -> None:
    snapshot, events = run_events(RINGING_SAMPLE)
    call = Call(
        unique_id="1469709960.78",
        state="ringing",
        direction="Incoming",
        other_number="0427466347",
        linked_id="1469709757.74",
        queue_name="bluesky",
        user_data={"USR_var1": "val1", "USR_var2": "val2"},
    )
    assert dict(snapshot.calls) == {"1469709757.74": call}
    assert events == [CallEvent(CallEventType.INCOMING, call)]
    assert call.key == "1469709757.74"


def test_a_new_unique_id_is_the_same_call_with_a_new_handle() -> None:
    """A queue call answered by the user: a new channel, the same linkedId."""
    snapshot, events = run_events(
        phone_event("EventRinging", "U1", linkedId="L", otherDN="0600"),
        phone_event("EventEstablished", "U2", linkedId="L", otherDN=""),
        phone_event("EventEstablished", "U3", linkedId="L"),  # transferred
    )
    assert kinds_of(events) == [CallEventType.INCOMING, CallEventType.ANSWERED]
    assert list(snapshot.calls) == ["L"]
    call = snapshot.calls["L"]
    assert (call.unique_id, call.linked_id, call.other_number) == ("U3", "L", "0600")
    assert call.state == "established"


@pytest.mark.parametrize(
    "release",
    [
        {"uniqueId": "U3", "linkedId": "L"},  # the latest handle
        {"uniqueId": "U1", "linkedId": "L"},  # an old one, same call
        {"uniqueId": "U9", "linkedId": "L"},  # a channel never seen
        {"uniqueId": "U3"},  # the handle alone
        {"linkedId": "L"},  # the call alone
        {"uniqueId": "L"},  # §16.4 step 2: the uniqueId is the stored linkedId
        {"uniqueId": "U3", "linkedId": "other"},  # the channel matches
        {"uniqueId": "L", "linkedId": "other"},  # step 2 with another linkedId
    ],
)
def test_no_phantom_call_after_a_release_whatever_id_it_carries(
    release: dict[str, str],
) -> None:
    snapshot, events = run_events(
        phone_event("EventRinging", "U1", linkedId="L"),
        phone_event("EventEstablished", "U3", linkedId="L"),
        {"eventType": "EventReleased", **release},
    )
    assert kinds_of(events) == [
        CallEventType.INCOMING,
        CallEventType.ANSWERED,
        CallEventType.ENDED,
    ]
    assert dict(snapshot.calls) == {}
    assert events[-1].call.unique_id == "U3"
    assert events[-1].call.state == "released"


def test_a_release_ends_every_call_it_matches_and_no_other() -> None:
    snapshot, _ = run_events(
        phone_event("EventRinging", "U1", linkedId="L1"),
        phone_event("EventRinging", "U2", linkedId="L2"),
        phone_event("EventEstablished", "U3", linkedId="L3"),
    )
    # Its uniqueId is one call's channel, its linkedId another call.
    snapshot, events = apply_message(
        snapshot,
        "PhoneEvent",
        {"eventType": "EventReleased", "uniqueId": "U1", "linkedId": "L3"},
    )
    assert [(event.type, event.call.key) for event in events] == [
        (CallEventType.MISSED, "L1"),
        (CallEventType.ENDED, "L3"),
    ]
    assert list(snapshot.calls) == ["L2"]


def test_a_call_first_seen_without_its_linked_id_is_keyed_by_it_later() -> None:
    snapshot, events = run_events(
        {"eventType": "EventRinging", "uniqueId": "U1"},
        {"eventType": "EventEstablished", "uniqueId": "U1", "linkedId": "L"},
    )
    assert kinds_of(events) == [CallEventType.INCOMING, CallEventType.ANSWERED]
    assert list(snapshot.calls) == ["L"]
    assert snapshot.calls["L"].linked_id == "L"
    snapshot, events = run_events(
        {"eventType": "EventReleased", "uniqueId": "U2", "linkedId": "L"},
        start=snapshot,
    )
    assert kinds_of(events) == [CallEventType.ENDED]
    assert dict(snapshot.calls) == {}


def test_a_channel_keeps_the_call_it_belongs_to() -> None:
    """An event on a known channel with another linkedId does not split the call."""
    snapshot, events = run_events(
        phone_event("EventRinging", "U1", linkedId="L1"),
        phone_event("EventEstablished", "U1", linkedId="L2"),
    )
    assert kinds_of(events) == [CallEventType.INCOMING, CallEventType.ANSWERED]
    assert list(snapshot.calls) == ["L1"]
    assert snapshot.calls["L1"].linked_id == "L1"


def test_the_order_of_calls_is_kept_when_one_changes() -> None:
    snapshot, _ = run_events(
        phone_event("EventRinging", "U1", linkedId="L1"),
        phone_event("EventRinging", "U2", linkedId="L2"),
        phone_event("EventEstablished", "U3", linkedId="L1"),
    )
    assert list(snapshot.calls) == ["L1", "L2"]


def test_empty_names_and_numbers_never_replace_known_ones() -> None:
    snapshot, _ = run_events(
        phone_event("EventRinging", otherDN="0600", otherDName="Bob", queueName="q"),
        phone_event("EventEstablished", otherDN="", otherDName="", queueName=""),
        phone_event("EventOnHold", otherDN=None, otherDName=None),
        phone_event("EventEstablished", otherDN=[], otherDName={}, queueName=True),
    )
    call = snapshot.calls["1.1"]
    assert (call.other_number, call.other_name, call.queue_name) == ("0600", "Bob", "q")


def test_attached_data_keeps_usr_keys_only_and_is_merged() -> None:
    snapshot, _ = run_events(
        phone_event(
            "EventRinging",
            userData={"USR_a": "1", "XIVO_USERID": "7", "SIPCALLID": "x", "USR_n": 3},
        ),
        phone_event("EventEstablished", userData={"USR_b": "2", "USR_a": "1"}),
        phone_event("EventOnHold"),  # no userData: nothing erased
        phone_event("EventEstablished", userData="USR_c"),  # not an object: ignored
        phone_event("EventEstablished", userData={"USR_x": None, "USR_y": {"a": 1}}),
    )
    assert dict(snapshot.calls["1.1"].user_data) == {
        "USR_a": "1",
        "USR_n": "3",
        "USR_b": "2",
    }
    assert (
        apply_message(
            snapshot,
            "PhoneEvent",
            phone_event("EventEstablished", userData={"USR_a": "1"}),
        )[0]
        is snapshot
    )


def test_the_calls_are_frozen() -> None:
    snapshot, _ = run_events(phone_event("EventRinging", userData={"USR_a": "1"}))
    with pytest.raises(TypeError):
        snapshot.calls["x"] = snapshot.calls["1.1"]  # type: ignore[index]
    with pytest.raises(TypeError):
        snapshot.calls["1.1"].user_data["USR_a"] = "2"  # type: ignore[index]


# --- Unknown event types (§16.2) ------------------------------------------------------


@pytest.fixture
def fresh_unknown_log(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Forget which unknown event types were logged (the memory is per process)."""
    logged: set[str] = set()
    monkeypatch.setattr(phone_events, "_UNKNOWN_TYPES_LOGGED", logged)
    return logged


def test_an_unknown_event_type_leaves_the_call_as_it_is_and_is_logged_once(
    caplog: pytest.LogCaptureFixture, fresh_unknown_log: set[str]
) -> None:
    snapshot, _ = run_events(phone_event("EventDialing", otherDN="3000"))
    for payload in (
        phone_event("EventFailure", otherDN="9999"),
        phone_event("EventFailure", "1.9", linkedId="1.1"),
        phone_event("EventFailure", "new"),  # a call never seen: none is made
    ):
        new, events = apply_message(snapshot, "PhoneEvent", payload)
        assert new is snapshot
        assert events == ()
    warnings = [r for r in caplog.records if r.name.endswith("phone_events")]
    assert len(warnings) == 1
    assert "EventFailure" in warnings[0].getMessage()
    assert warnings[0].levelname == "WARNING"
    # The call goes on normally, and ends.
    snapshot, later = run_events(
        phone_event("EventEstablished"), phone_event("EventReleased"), start=snapshot
    )
    assert kinds_of(later) == [CallEventType.ANSWERED, CallEventType.ENDED]
    assert dict(snapshot.calls) == {}


def test_unknown_event_types_are_logged_for_a_few_types_only(
    caplog: pytest.LogCaptureFixture, fresh_unknown_log: set[str]
) -> None:
    for number in range(100):
        apply_message(XucSnapshot(), "PhoneEvent", phone_event(f"Event{number}"))
    logged = [r for r in caplog.records if r.name.endswith("phone_events")]
    assert len(logged) == len(fresh_unknown_log) == 16
    # A very long type is cut in the log.
    fresh_unknown_log.clear()
    caplog.clear()
    apply_message(XucSnapshot(), "PhoneEvent", phone_event("E" * 5000))
    assert len(caplog.records[0].getMessage()) < 200


# --- CurrentCallsPhoneEvents (§16.5) --------------------------------------------------


def test_a_resync_replaces_every_call_and_fires_no_event() -> None:
    snapshot, _ = run_events(
        phone_event("EventRinging", "U1", linkedId="gone"),
        phone_event("EventEstablished", "U2", linkedId="kept"),
    )
    payload = {
        "events": [
            phone_event("EventEstablished", "U5", linkedId="kept", otherDN="0600"),
            phone_event(
                "EventDialing", "U6", linkedId="new", callDirection="DirectionUnknown"
            ),
            phone_event("EventSomethingElse", "U7", linkedId="odd"),
            {"eventType": "EventRinging"},  # no id: skipped
            "junk",
        ]
    }
    rebuilt, events = apply_message(snapshot, "CurrentCallsPhoneEvents", payload)
    assert events == ()
    assert list(rebuilt.calls) == ["kept", "new"]
    assert rebuilt.calls["kept"].unique_id == "U5"
    assert rebuilt.calls["new"].direction == "Outgoing"
    # What follows a resync is news again.
    _, later = run_events(
        {"eventType": "EventReleased", "uniqueId": "U6", "linkedId": "new"},
        start=rebuilt,
    )
    assert kinds_of(later) == [CallEventType.ENDED]


@pytest.mark.parametrize(
    "events",
    [["junk"], [None, 3], [{"eventType": "EventRinging"}, {"uniqueId": "U1"}]],
)
def test_an_unreadable_resync_keeps_the_calls(events: list[Any]) -> None:
    snapshot, _ = run_events(phone_event("EventRinging"))
    with pytest.raises(XucProtocolError):
        apply_message(snapshot, "CurrentCallsPhoneEvents", {"events": events})


# --- Against the simulator playing a real server --------------------------------------

PROFILES = [
    pytest.param(IDEAL, id="ideal"),
    pytest.param(REAL, id="real"),
    pytest.param(
        dataclasses.replace(IDEAL, call_direction="absent"), id="no-direction"
    ),
]


@pytest.mark.parametrize("profile", PROFILES)
async def test_calls_end_to_end(
    http: aiohttp.ClientSession, socket_enabled: None, profile: Any
) -> None:
    """Answered, missed and dialled calls: one call each, the right events, nothing left."""
    async with XucSimulator(profile=profile) as server:
        client = XucClient(http, server.url, "alice", ALICE_PASSWORD, **FAST)
        events: list[CallEvent] = []
        client.add_call_listener(events.append)
        try:
            await client.start()
            # Answered, then hung up: the uniqueId changes on answer in the real profile.
            first_id = await server.incoming_call("alice", "0427466347")
            await server.answer_call("alice", first_id)
            await barrier(client)
            (call,) = client.snapshot.calls.values()
            assert call.state == "established"
            await server.hang_up("alice", first_id)
            # Missed.
            await server.incoming_call("alice", "1002")
            await barrier(client)
            await server.hang_up(
                "alice", next(iter(client.snapshot.calls.values())).unique_id
            )
            # Dialled, answered, hung up; then dialled and never answered.
            await client.dial("1001")
            await barrier(client)
            (dialled,) = client.snapshot.calls.values()
            await server.answer_call("alice", dialled.unique_id)
            await server.hang_up("alice", dialled.unique_id)
            await client.dial("1002")
            await barrier(client)
            await server.hang_up(
                "alice", next(iter(client.snapshot.calls.values())).unique_id
            )
            await barrier(client)
            assert dict(client.snapshot.calls) == {}
            assert [event.type for event in events] == [
                CallEventType.INCOMING,
                CallEventType.ANSWERED,
                CallEventType.ENDED,
                CallEventType.INCOMING,
                CallEventType.MISSED,
                CallEventType.OUTGOING,
                CallEventType.ANSWERED,
                CallEventType.ENDED,
                CallEventType.OUTGOING,
                CallEventType.ENDED,
            ]
            # One call per call: every event of a call carries the same key.
            keys = [event.call.key for event in events]
            assert len(set(keys)) == 4
            assert events[0].call.other_number == "0427466347"
        finally:
            await client.stop()


def test_a_call_first_seen_on_hold_is_not_missed_when_it_ends() -> None:
    """A resync replays each call's latest event: on hold means it was answered.

    Found by the soak (seed 3): a call answered, put on hold, then a reconnect; its
    release was reported missed.
    """
    resynced, _ = apply_message(
        XucSnapshot(),
        "CurrentCallsPhoneEvents",
        {"events": [phone_event("EventOnHold", "H", otherDN="0427466347")]},
    )
    assert resynced.calls["H"].answered
    _, kinds = step(resynced, phone_event("EventReleased", "H"))
    assert kinds == [CallEventType.ENDED]
