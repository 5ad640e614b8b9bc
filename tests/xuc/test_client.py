"""The xuc client against the simulator over loopback: sync, every command, every push.

Each test drives a real `XucClient` (real aiohttp stack, real sockets on 127.0.0.1)
against `tests.simulator`, and checks both sides: the frames the simulator received and
the snapshot, listeners and call events on the client side.

To know that the client has handled every frame pushed so far, a test does a round trip
(`display_name_lookup`): the simulator writes a hook's frames before the hook returns,
and answers commands on the same socket afterwards, so the reply comes after them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from custom_components.xivo.xuc import (
    Backoff,
    Call,
    CallEvent,
    CallEventType,
    Forward,
    PhoneState,
    Preference,
    Voicemail,
    XucClient,
    XucCommandError,
    XucError,
    XucNotConnectedError,
    XucSnapshot,
    XucTimeoutError,
)
from tests.simulator import (
    ALICE_PASSWORD,
    HEADERS_EN,
    HEADERS_FR,
    SimStatus,
    XucSimulator,
    default_data,
    seed_statuses,
)

from .common import FAST, ClientFactory, barrier, loop_errors, wait_until


class Recorder:
    """Collects what the client tells its listeners."""

    def __init__(self, client: XucClient) -> None:
        """Register on every listener of `client`."""
        self.snapshots: list[XucSnapshot] = []
        self.connections: list[tuple[bool, XucError | None]] = []
        self.calls: list[CallEvent] = []
        client.add_listener(self.snapshots.append)
        client.add_connection_listener(
            lambda connected, error: self.connections.append((connected, error))
        )
        client.add_call_listener(self.calls.append)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.snapshots.clear()
        self.connections.clear()
        self.calls.clear()


@pytest.fixture
async def client(make_client: ClientFactory) -> XucClient:
    """Alice's client, started, synchronised, and with its first phone hints in."""
    client = make_client()
    await client.start()
    await barrier(client)
    return client


def calls_by_unique_id(client: XucClient) -> dict[str, Call]:
    """The client's calls by their (latest) unique id; the snapshot keys them by call."""
    return {call.unique_id: call for call in client.snapshot.calls.values()}


def subscribed_numbers(server: XucSimulator) -> set[str]:
    """Every number the client asked phone hints for."""
    return {
        number
        for frame in server.commands("subscribeToPhoneHints")
        for number in frame["phoneNumbers"]
    }


# ---------------------------------------------------------------------- start / sync


async def test_start_synchronises_everything(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """After start() the snapshot holds the user's whole state, as the server has it."""
    snapshot = client.snapshot
    assert client.connected
    assert snapshot.user.full_name == "Alice Johnson"
    assert snapshot.user.user_id == "1"
    assert snapshot.user.mobile_number == "0612345678"
    assert snapshot.user.dnd is False
    assert snapshot.user.unconditional_forward == Forward(False, "")

    # Labels and colours from UsersStatuses, categories from CtiStatuses.
    by_name = {status.name: status for status in snapshot.statuses}
    assert list(by_name) == [status.name for status in seed_statuses()]
    assert by_name["available"].label == "Disponible"
    assert by_name["donotdisturb"].label == "Ne pas déranger"
    assert by_name["donotdisturb"].color == "#D13224"
    assert by_name["donotdisturb"].category == 1
    assert by_name["donotdisturb"].dnd is True
    assert by_name["disconnected"].category == 2
    assert snapshot.status_name == "available"
    assert snapshot.status is not None
    assert snapshot.status.label == "Disponible"

    assert dict(snapshot.preferences) == {
        "PREFERRED_DEVICE": Preference("PREFERRED_DEVICE", "TypePhoneDevice", "String"),
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "true", "Boolean"),
    }
    assert snapshot.voicemail == Voicemail(new=0, waiting=0, old=0)
    assert snapshot.line_number == "1000"

    assert set(snapshot.favorites) == {"internal/3", "phonebook/42"}
    hawkeye = snapshot.favorites["internal/3"]
    assert (hawkeye.name, hawkeye.number, hawkeye.favorite) == (
        "hawkeye pierce",
        "1002",
        True,
    )
    assert snapshot.contact_phone_state(hawkeye) is PhoneState.AVAILABLE
    emilie = snapshot.favorites["phonebook/42"]
    assert emilie.name == "Émilie Lefèvre"
    assert snapshot.contact_phone_state(emilie) is None  # -2: no hint for the number

    # Phone hints asked for the favorites' numbers and the own line.
    await wait_until(
        lambda: subscribed_numbers(xuc_server) == {"1000", "1002", "0427466347"},
        what="phone-hint subscriptions",
    )
    await barrier(client)
    assert client.snapshot.phone_hints["1000"] == 0
    assert client.snapshot.own_phone_state is PhoneState.AVAILABLE

    # Favorites' states are live: a hint change reaches the contact.
    await xuc_server.set_phone_state("1002", 8)
    await barrier(client)
    assert client.snapshot.contact_phone_state(hawkeye) is PhoneState.RINGING


async def test_sync_frames_and_pings(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """The client asks for line config, current calls and favorites, then pings."""
    client = make_client(keepalive_interval=0.03)
    recorder = Recorder(client)
    await client.start()
    assert recorder.connections == [(True, None)]
    assert len(recorder.snapshots) == 1  # one notification for the whole initial sync
    assert recorder.snapshots[0] is client.snapshot
    assert xuc_server.commands("getConfig") == [
        {"claz": "web", "command": "getConfig", "objectType": "line"}
    ]
    assert xuc_server.commands("getCurrentCallsPhoneEvents") == [
        {"claz": "web", "command": "getCurrentCallsPhoneEvents"}
    ]
    assert xuc_server.commands("getFavorites") == [
        {"claz": "web", "command": "getFavorites"}
    ]
    ping = await xuc_server.wait_for_command("ping", timeout=2, count=3)
    assert ping == {"claz": "ping"}
    assert xuc_server.invalid_frames == []
    assert not [frame for _, frame in xuc_server.received if "claz" not in frame]


async def test_start_with_phone_number_subscribes_it(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A phone number given to the client is subscribed too."""
    client = make_client(phone_number="1001")
    await client.start()
    await wait_until(lambda: "1001" in subscribed_numbers(xuc_server))
    await barrier(client)
    assert client.snapshot.phone_hints["1001"] == 0


async def test_default_timings_start_and_stop(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """A client with the real default timings starts, answers and stops cleanly."""
    client = XucClient(http, xuc_server.url, "alice", ALICE_PASSWORD)
    try:
        await client.start()
        assert client.connected
        assert client.snapshot.user.full_name == "Alice Johnson"
        result = await client.directory_lookup("pierce")
        assert [contact.name for contact in result.contacts] == ["hawkeye pierce"]
    finally:
        await client.stop()
    assert not client.connected
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("xuc ")]


# ---------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("headers", "term"),
    [(HEADERS_EN, "pierce"), (HEADERS_FR, "PIERCE")],
    ids=["english", "french"],
)
async def test_directory_lookup(
    http: aiohttp.ClientSession,
    socket_enabled: None,
    headers: list[str],
    term: str,
) -> None:
    """Rows are mapped by header name, whatever the language of the headers."""
    data = default_data()
    data.headers = list(headers)
    async with XucSimulator(data) as server:
        client = XucClient(http, server.url, "alice", ALICE_PASSWORD, **FAST)
        try:
            await client.start()
            result = await client.directory_lookup(term)
            assert server.commands("directoryLookUp") == [
                {"claz": "web", "command": "directoryLookUp", "term": term}
            ]
            assert result.headers == tuple(headers)
            (contact,) = result.contacts
            assert (contact.first_name, contact.last_name) == ("hawkeye", "pierce")
            assert (contact.number, contact.mobile) == ("1002", "0761187406")
            assert contact.favorite is True
            assert (contact.contact_id, contact.source) == ("3", "internal")
            assert contact.phone_state is PhoneState.AVAILABLE
            assert contact.fields[headers[2]] == "1002"

            result = await client.directory_lookup("émilie")
            (contact,) = result.contacts
            assert contact.name == "Émilie Lefèvre"
            assert contact.phone_state is None
            assert (await client.directory_lookup("nobody-here")).contacts == ()
            # Favorites parsed with the same headers.
            assert client.snapshot.favorites["internal/3"].number == "1002"
        finally:
            await client.stop()


async def test_directory_lookup_empty_term(client: XucClient) -> None:
    """An empty term is refused before anything is sent."""
    with pytest.raises(ValueError, match="empty"):
        await client.directory_lookup("  ")


async def test_add_and_remove_favorite(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Adding waits for the confirmation, refreshes the list and subscribes the number."""
    recorder = Recorder(client)
    await client.add_favorite("4", "internal")
    assert xuc_server.commands("addFavorite") == [
        {
            "claz": "web",
            "command": "addFavorite",
            "contactId": "4",
            "source": "internal",
        }
    ]
    assert "internal/4" in client.snapshot.favorites
    assert client.snapshot.favorites["internal/4"].name == "peter pan"
    assert xuc_server.data.user("alice").favorites[-1] == ("4", "internal")
    await wait_until(lambda: "1004" in subscribed_numbers(xuc_server))
    assert recorder.snapshots[-1] is client.snapshot

    await client.remove_favorite("3", "internal")
    assert xuc_server.commands("removeFavorite") == [
        {
            "claz": "web",
            "command": "removeFavorite",
            "contactId": "3",
            "source": "internal",
        }
    ]
    assert set(client.snapshot.favorites) == {"phonebook/42", "internal/4"}


async def test_favorite_refused(client: XucClient, xuc_server: XucSimulator) -> None:
    """A favorite the server cannot add or remove raises XucCommandError."""
    before = client.snapshot.favorites
    with pytest.raises(XucCommandError, match="addFavorite"):
        await client.add_favorite("3", "internal")  # already a favorite
    with pytest.raises(XucCommandError, match="removeFavorite"):
        await client.remove_favorite("2", "internal")  # not a favorite
    with pytest.raises(XucCommandError):
        await client.add_favorite("999", "internal")  # no such contact
    assert client.snapshot.favorites == before
    with pytest.raises(ValueError, match="contact id"):
        await client.add_favorite("", "internal")
    assert len(xuc_server.commands("addFavorite")) == 2


async def test_get_favorites(client: XucClient, xuc_server: XucSimulator) -> None:
    """get_favorites asks again and applies the reply."""
    xuc_server.data.user("alice").favorites.append(("2", "internal"))  # silently
    await client.get_favorites()
    assert xuc_server.commands("getFavorites")[-1] == {
        "claz": "web",
        "command": "getFavorites",
    }
    assert "internal/2" in client.snapshot.favorites


async def test_display_name_lookup(client: XucClient, xuc_server: XucSimulator) -> None:
    """The display name of a user, None for an unknown one."""
    xuc_server.clear_received()
    assert await client.display_name_lookup("bob") == "Bob Martin"
    assert await client.display_name_lookup("nobody") is None
    assert xuc_server.commands("displayNameLookup") == [
        {"claz": "web", "command": "displayNameLookup", "username": "bob"},
        {"claz": "web", "command": "displayNameLookup", "username": "nobody"},
    ]
    with pytest.raises(ValueError, match="empty"):
        await client.display_name_lookup("")


async def test_change_status(client: XucClient, xuc_server: XucSimulator) -> None:
    """A listed status is sent as is; the server's push updates the snapshot."""
    await client.change_status("donotdisturb")
    await barrier(client)
    assert xuc_server.commands("userStatusUpdate") == [
        {"claz": "web", "command": "userStatusUpdate", "status": "donotdisturb"}
    ]
    assert client.snapshot.status_name == "donotdisturb"
    assert client.snapshot.user.dnd is True  # the status's enablednd action
    assert xuc_server.data.user("alice").status == "donotdisturb"


async def test_change_status_unknown(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """A status the server did not list is refused and nothing is sent."""
    with pytest.raises(ValueError, match="unknown status"):
        await client.change_status("holidays")
    await barrier(client)
    assert xuc_server.commands("userStatusUpdate") == []
    assert xuc_server.invalid_frames == []


async def test_set_preference(client: XucClient, xuc_server: XucSimulator) -> None:
    """A preference travels as strings with its type."""
    await client.set_preference("PREFERRED_DEVICE", "WebAppAndMobileApp", "String")
    await client.set_preference("MOBILE_APP_INFO", "false", "Boolean")
    await barrier(client)
    assert xuc_server.commands("setUserPreference") == [
        {
            "claz": "web",
            "command": "setUserPreference",
            "key": "PREFERRED_DEVICE",
            "value": "WebAppAndMobileApp",
            "value_type": "String",
        },
        {
            "claz": "web",
            "command": "setUserPreference",
            "key": "MOBILE_APP_INFO",
            "value": "false",
            "value_type": "Boolean",
        },
    ]
    await barrier(client)
    assert client.snapshot.preferences["PREFERRED_DEVICE"].value == (
        "WebAppAndMobileApp"
    )
    assert client.snapshot.preferences["MOBILE_APP_INFO"] == Preference(
        "MOBILE_APP_INFO", "false", "Boolean"
    )


async def test_set_dnd(client: XucClient, xuc_server: XucSimulator) -> None:
    """DND on then off, as a JSON boolean."""
    await client.set_dnd(True)
    await barrier(client)
    assert client.snapshot.user.dnd is True
    await client.set_dnd(False)
    await barrier(client)
    assert client.snapshot.user.dnd is False
    assert xuc_server.commands("dnd") == [
        {"claz": "web", "command": "dnd", "state": True},
        {"claz": "web", "command": "dnd", "state": False},
    ]


@pytest.mark.parametrize(
    ("kind", "command", "attribute"),
    [
        ("unconditional", "uncFwd", "unconditional_forward"),
        ("no_answer", "naFwd", "no_answer_forward"),
        ("busy", "busyFwd", "busy_forward"),
    ],
)
async def test_set_forward(
    client: XucClient,
    xuc_server: XucSimulator,
    kind: Any,
    command: str,
    attribute: str,
) -> None:
    """Each forward has its own command; state and destination travel together."""
    await client.set_forward(kind, True, "0600000001")
    await barrier(client)
    assert getattr(client.snapshot.user, attribute) == Forward(True, "0600000001")
    await client.set_forward(kind, False, "0600000001")
    await barrier(client)
    assert getattr(client.snapshot.user, attribute) == Forward(False, "0600000001")
    assert xuc_server.commands(command) == [
        {"claz": "web", "command": command, "state": True, "destination": "0600000001"},
        {
            "claz": "web",
            "command": command,
            "state": False,
            "destination": "0600000001",
        },
    ]
    others = {"uncFwd", "naFwd", "busyFwd"} - {command}
    assert all(xuc_server.commands(other) == [] for other in others)


async def test_dial(client: XucClient, xuc_server: XucSimulator) -> None:
    """Dial sends the destination (and variables); the call shows up as outgoing."""
    recorder = Recorder(client)
    await client.dial("1002")
    await client.dial("1001", {"USR_ORIGIN": "ha"})
    await barrier(client)
    assert xuc_server.commands("dial") == [
        {"claz": "web", "command": "dial", "destination": "1002"},
        {
            "claz": "web",
            "command": "dial",
            "destination": "1001",
            "variables": {"USR_ORIGIN": "ha"},
        },
    ]
    await barrier(client)
    assert [event.type for event in recorder.calls] == [
        CallEventType.OUTGOING,
        CallEventType.OUTGOING,
    ]
    first, second = recorder.calls
    assert (first.call.other_number, first.call.other_name) == (
        "1002",
        "hawkeye pierce",
    )
    assert first.call.state == "dialing"
    assert second.call.other_number == "1001"
    assert first.call.unique_id != second.call.unique_id
    assert set(calls_by_unique_id(client)) == {
        first.call.unique_id,
        second.call.unique_id,
    }


# ---------------------------------------------------------------------- pushes


async def test_subscribe_phone_hints(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Following more numbers sends the whole set followed; their state comes live.

    The whole set (favorites, own line, the numbers asked for) is right whether the
    server adds to its subscription or replaces it (G12); nothing is sent when the
    set did not change.
    """
    before = len(xuc_server.commands("subscribeToPhoneHints"))
    await client.subscribe_phone_hints(["1001", "1002", "1001", ""])
    frame = await xuc_server.wait_for_command("subscribeToPhoneHints", count=before + 1)
    assert frame == {
        "claz": "web",
        "command": "subscribeToPhoneHints",
        "phoneNumbers": ["0427466347", "1000", "1001", "1002"],
    }
    await barrier(client)
    assert client.snapshot.phone_hints["1001"] == 0
    await client.subscribe_phone_hints(["1001"])  # already followed: nothing sent
    await client.subscribe_phone_hints(["1000", "1002"])  # own line, a favorite
    await barrier(client)
    assert len(xuc_server.commands("subscribeToPhoneHints")) == before + 1

    # A new favorite changes the set: sent whole again, the asked-for number kept.
    await client.add_favorite("4", "internal")
    await wait_until(
        lambda: len(xuc_server.commands("subscribeToPhoneHints")) == before + 2
    )
    assert xuc_server.commands("subscribeToPhoneHints")[-1]["phoneNumbers"] == [
        "0427466347",
        "1000",
        "1001",
        "1002",
        "1004",
    ]


async def test_get_config(client: XucClient, xuc_server: XucSimulator) -> None:
    """`getConfig line` answers with the user's line, which the snapshot keeps."""
    await client.get_config("line")
    assert (await xuc_server.wait_for_command("getConfig", count=2)) == {
        "claz": "web",
        "command": "getConfig",
        "objectType": "line",
    }
    await barrier(client)
    assert client.snapshot.line_number == "1000"


async def test_push_phone_state(client: XucClient, xuc_server: XucSimulator) -> None:
    """A phone hint change notifies once; a repeated identical hint not at all."""
    await barrier(client)  # the subscription replies are in
    recorder = Recorder(client)
    await xuc_server.set_phone_state("1000", 8)
    await barrier(client)
    assert len(recorder.snapshots) == 1
    assert recorder.snapshots[0].own_phone_state is PhoneState.RINGING
    assert recorder.snapshots[0] is client.snapshot

    # The same hint again, sent by hand (the simulator only pushes changes).
    await xuc_server.send_raw(
        '{"msgType":"PhoneHintStatusEvent","ctiMessage":{"number":"1000","status":8}}'
    )
    await barrier(client)
    assert len(recorder.snapshots) == 1

    # A number nobody subscribed to is not pushed.
    await xuc_server.set_phone_state("1004", 2)
    await barrier(client)
    assert len(recorder.snapshots) == 1


async def test_push_user_status(client: XucClient, xuc_server: XucSimulator) -> None:
    """A status set elsewhere: notified once per read burst of frames that changed it."""
    recorder = Recorder(client)
    # "away" pushes UserStatusUpdate and an unchanged dndEnabled=false config.
    await xuc_server.set_user_status("alice", "away")
    await barrier(client)
    assert len(recorder.snapshots) == 1
    assert client.snapshot.status_name == "away"
    assert client.snapshot.status is not None
    assert client.snapshot.status.label == "Sorti"

    # "donotdisturb" changes the status and DND: two frames, read in one burst (one
    # notification) or two (the first shows the status, the second DND as well).
    recorder.clear()
    await xuc_server.set_user_status("alice", "donotdisturb")
    await barrier(client)
    seen = [(s.status_name, s.user.dnd) for s in recorder.snapshots]
    assert seen in (
        [("donotdisturb", True)],
        [("donotdisturb", False), ("donotdisturb", True)],
    )

    # The same status again changes nothing.
    recorder.clear()
    await xuc_server.set_user_status("alice", "donotdisturb")
    await barrier(client)
    assert recorder.snapshots == []


async def test_push_user_config_partial(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """A forward set elsewhere arrives as a partial config: other fields are kept."""
    recorder = Recorder(client)
    await xuc_server.update_user_config(
        "alice", uncFwdEnabled=True, uncFwdDestination="0611111111"
    )
    await barrier(client)
    assert len(recorder.snapshots) == 1
    user = client.snapshot.user
    assert user.unconditional_forward == Forward(True, "0611111111")
    assert user.full_name == "Alice Johnson"  # null in the partial frame, kept
    assert user.mobile_number == "0612345678"
    assert user.no_answer_forward == Forward(False, "")

    recorder.clear()
    await xuc_server.update_user_config("alice", uncFwdEnabled=True)  # no change
    await barrier(client)
    assert recorder.snapshots == []

    await xuc_server.update_user_config("alice", fullName="Alice Smith")
    await barrier(client)
    assert len(recorder.snapshots) == 1
    assert client.snapshot.user.full_name == "Alice Smith"


async def test_push_preference(client: XucClient, xuc_server: XucSimulator) -> None:
    """A preference set elsewhere; other keys are kept."""
    recorder = Recorder(client)
    await xuc_server.set_preference("alice", "PREFERRED_DEVICE", "WebApp", "String")
    await barrier(client)
    assert len(recorder.snapshots) == 1
    assert client.snapshot.preferences["PREFERRED_DEVICE"].value == "WebApp"
    assert client.snapshot.preferences["MOBILE_APP_INFO"].value == "true"

    recorder.clear()
    await xuc_server.set_preference("alice", "PREFERRED_DEVICE", "WebApp", "String")
    await barrier(client)
    assert recorder.snapshots == []


async def test_push_favorite_added_and_removed_elsewhere(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Favorites changed by another client reach the snapshot (list fetched again)."""
    await barrier(client)
    recorder = Recorder(client)
    gets = len(xuc_server.commands("getFavorites"))
    await xuc_server.add_favorite("alice", "2", "internal")
    await wait_until(lambda: "internal/2" in client.snapshot.favorites)
    assert len(xuc_server.commands("getFavorites")) == gets + 1
    await wait_until(lambda: "1001" in subscribed_numbers(xuc_server))
    await barrier(client)
    assert client.snapshot.favorites["internal/2"].name == "Bob Martin"
    # The Favorites reply, then bob's first hint (his number was unknown till now).
    assert len(recorder.snapshots) == 2
    assert client.snapshot.phone_hints["1001"] == 0

    recorder.clear()
    await xuc_server.remove_favorite("alice", "3", "internal")
    await barrier(client)
    assert set(client.snapshot.favorites) == {"phonebook/42", "internal/2"}
    assert len(recorder.snapshots) == 1


async def test_push_voicemail(client: XucClient, xuc_server: XucSimulator) -> None:
    """Voicemail counts pushed by the server."""
    recorder = Recorder(client)
    await xuc_server.set_voicemail("alice", 2, 5)
    await barrier(client)
    assert client.snapshot.voicemail == Voicemail(new=2, waiting=1, old=5)
    await xuc_server.set_voicemail("alice", 2, 5)
    await barrier(client)
    assert len(recorder.snapshots) == 1


async def test_push_status_list(client: XucClient, xuc_server: XucSimulator) -> None:
    """A new list of statuses replaces the old one (both message types merged)."""
    recorder = Recorder(client)
    statuses = [
        *seed_statuses()[:2],
        SimStatus("meeting", "En réunion", "#AA00AA", 1, [("enablednd", "true")]),
    ]
    await xuc_server.set_statuses(statuses)
    await barrier(client)
    names = [status.name for status in client.snapshot.statuses]
    assert names == ["available", "away", "meeting"]
    meeting = client.snapshot.statuses[2]
    assert (meeting.label, meeting.color, meeting.category, meeting.dnd) == (
        "En réunion",
        "#AA00AA",
        1,
        True,
    )
    # UsersStatuses changes the list; CtiStatuses then adds the new category.
    assert len(recorder.snapshots) == 2

    # The same list again changes nothing.
    recorder.clear()
    await xuc_server.set_statuses(statuses)
    await barrier(client)
    assert recorder.snapshots == []

    # change_status knows the new list.
    await client.change_status("meeting")
    with pytest.raises(ValueError, match="unknown status"):
        await client.change_status("outtolunch")


async def test_incoming_call_answered(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Ringing, answered, ended: one call event each, with the caller."""
    recorder = Recorder(client)
    unique_id = await xuc_server.incoming_call("alice", "1002")
    await barrier(client)
    assert calls_by_unique_id(client)[unique_id].state == "ringing"
    assert client.snapshot.own_phone_state is PhoneState.RINGING
    await xuc_server.answer_call("alice", unique_id)
    await barrier(client)
    assert calls_by_unique_id(client)[unique_id].state == "established"
    await xuc_server.hold_call("alice", unique_id)
    await barrier(client)
    assert client.snapshot.own_phone_state is PhoneState.ON_HOLD
    await xuc_server.hang_up("alice", unique_id)
    await barrier(client)

    assert [event.type for event in recorder.calls] == [
        CallEventType.INCOMING,
        CallEventType.ANSWERED,
        CallEventType.ON_HOLD,
        CallEventType.ENDED,
    ]
    assert {event.call.unique_id for event in recorder.calls} == {unique_id}
    incoming = recorder.calls[0].call
    assert (incoming.other_number, incoming.other_name, incoming.direction) == (
        "1002",
        "hawkeye pierce",
        "Incoming",
    )
    assert recorder.calls[-1].call.state == "released"
    assert client.snapshot.calls == {}
    assert client.snapshot.own_phone_state is PhoneState.AVAILABLE


async def test_missed_call(client: XucClient, xuc_server: XucSimulator) -> None:
    """A call that rang and ended unanswered is missed."""
    recorder = Recorder(client)
    unique_id = await xuc_server.incoming_call("alice", "0427466347")
    await xuc_server.hang_up("alice", unique_id)
    await barrier(client)
    assert [event.type for event in recorder.calls] == [
        CallEventType.INCOMING,
        CallEventType.MISSED,
    ]
    assert recorder.calls[1].call.other_name == "Émilie Lefèvre"
    assert client.snapshot.calls == {}


async def test_two_calls_told_apart(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Two calls at once keep their own state and events."""
    recorder = Recorder(client)
    first = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", first)
    second = await xuc_server.incoming_call("alice", "1001", "Bob Martin")
    await barrier(client)
    assert calls_by_unique_id(client)[first].state == "established"
    assert calls_by_unique_id(client)[second].state == "ringing"
    await xuc_server.hang_up("alice", second)
    await barrier(client)
    assert set(calls_by_unique_id(client)) == {first}
    await xuc_server.hang_up("alice", first)
    await barrier(client)
    assert [(event.type, event.call.unique_id) for event in recorder.calls] == [
        (CallEventType.INCOMING, first),
        (CallEventType.ANSWERED, first),
        (CallEventType.INCOMING, second),
        (CallEventType.MISSED, second),
        (CallEventType.ENDED, first),
    ]
    assert recorder.calls[2].call.other_name == "Bob Martin"


async def test_current_calls_resynced_on_start(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A call already up when the client connects is in the first snapshot, no event."""
    unique_id = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", unique_id)
    client = make_client()
    recorder = Recorder(client)
    await client.start()
    await barrier(client)
    assert calls_by_unique_id(client)[unique_id].state == "established"
    assert recorder.calls == []
    await xuc_server.hang_up("alice", unique_id)
    await barrier(client)
    assert [event.type for event in recorder.calls] == [CallEventType.ENDED]


async def test_removed_listeners_are_not_called(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """The callable add_*listener returns unregisters the listener."""
    seen: list[Any] = []
    remove = client.add_listener(seen.append)
    remove_call = client.add_call_listener(seen.append)
    remove()
    remove_call()
    remove()  # twice is harmless
    await xuc_server.set_voicemail("alice", 1, 0)
    await xuc_server.incoming_call("alice", "1002")
    await barrier(client)
    assert seen == []


async def test_raising_listener_does_not_break_the_link(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """A listener that raises is the listener's problem, not the link's."""
    with loop_errors():
        await _run_with_raising_listener(http, xuc_server)


async def _run_with_raising_listener(
    http: aiohttp.ClientSession, xuc_server: XucSimulator
) -> None:
    """Push a change to a client whose snapshot listener raises; check the link."""
    client = XucClient(
        http,
        xuc_server.url,
        "alice",
        ALICE_PASSWORD,
        **FAST,
        backoff=Backoff(minimum=0.02, maximum=0.02),
    )
    stop_error: BaseException | None = None
    try:
        await client.start()
        await barrier(client)

        def raising(_snapshot: XucSnapshot) -> None:
            raise RuntimeError("a listener bug")

        client.add_listener(raising)
        await xuc_server.set_voicemail("alice", 1, 0)
        await asyncio.sleep(0.3)
        assert xuc_server.ws_connect_count == 1  # the link was not dropped
        assert client.snapshot.voicemail == Voicemail(new=1, waiting=1, old=0)
        await barrier(client)
    finally:
        try:
            await client.stop()
        except RuntimeError as err:
            stop_error = err
            await asyncio.sleep(0.05)  # let the cancelled tasks end
    assert stop_error is None


# ---------------------------------------------------------------------- concurrency


async def test_concurrent_lookups_get_their_own_result(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Ten lookups at once: each caller gets the rows of its own term."""
    terms = {
        "alice": {"1000"},
        "bob": {"1001"},
        "hawkeye": {"1002"},
        "pan": {"1004"},
        "lefevre": {"0427466347"},
        "100": {"1000", "1001", "1002", "1004"},
        "1002": {"1002"},
        "martin": {"1001"},
        "zzz": set(),
        "peter": {"1004"},
    }
    results = await asyncio.gather(*(client.directory_lookup(t) for t in terms))
    for term, result in zip(terms, results, strict=True):
        assert {contact.number for contact in result.contacts} == terms[term], term
    assert sorted(f["term"] for f in xuc_server.commands("directoryLookUp")) == sorted(
        terms
    )


async def test_dropped_reply_times_out_then_next_lookup_works(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A lookup whose reply never comes times out; the following one works."""
    client = make_client(command_timeout=0.2)
    await client.start()
    xuc_server.drop_commands.add("directoryLookUp")
    started = time.monotonic()
    with pytest.raises(XucTimeoutError):
        await client.directory_lookup("pierce")
    assert 0.15 < time.monotonic() - started < 1.0
    xuc_server.drop_commands.clear()
    result = await client.directory_lookup("martin")
    assert [contact.number for contact in result.contacts] == ["1001"]
    assert client.connected


# ---------------------------------------------------------------------- disconnected


async def test_commands_before_start_raise_not_connected(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """Before start(), every command raises XucNotConnectedError."""
    client = make_client()
    await _assert_every_command_refused(client)
    assert xuc_server.ws_connect_count == 0


async def test_commands_while_disconnected_raise_and_send_nothing(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """While the link is down, commands are refused and nothing is sent later."""
    client = make_client(backoff=Backoff(minimum=0.3, maximum=0.3))
    recorder = Recorder(client)
    await client.start()
    await xuc_server.stop()
    await wait_until(lambda: (False, None) in recorder.connections)
    assert not client.connected
    await _assert_every_command_refused(client)
    xuc_server.clear_received()
    await xuc_server.start()
    await wait_until(lambda: client.connected, what="reconnection")
    await barrier(client)
    sent = {frame.get("command") for _, frame in xuc_server.received}
    assert sent <= {
        "getConfig",
        "getCurrentCallsPhoneEvents",
        "getFavorites",
        "subscribeToPhoneHints",
        "displayNameLookup",
        None,  # pings
    }


async def _assert_every_command_refused(client: XucClient) -> None:
    """Every public command raises XucNotConnectedError."""
    for command in (
        client.directory_lookup("pierce"),
        client.get_favorites(),
        client.add_favorite("4", "internal"),
        client.remove_favorite("3", "internal"),
        client.display_name_lookup("bob"),
        client.set_preference("PREFERRED_DEVICE", "WebApp", "String"),
        client.set_dnd(True),
        client.set_forward("busy", True, "1002"),
        client.dial("1002"),
    ):
        with pytest.raises(XucNotConnectedError):
            await command
    if client.snapshot.statuses:
        with pytest.raises(XucNotConnectedError):
            await client.change_status("away")
