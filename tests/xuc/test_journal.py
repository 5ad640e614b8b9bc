"""The protocol journal: unit rules, then a real client's journal over loopback."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from typing import Any

from custom_components.xivo.xuc import XucClient
from custom_components.xivo.xuc.journal import (
    MAX_KEPT_CHARS,
    MAX_PROFILE_TYPES,
    OTHER_TYPES,
    REDACTED,
    ProtocolJournal,
)
from tests.simulator import XucSimulator

from .common import ClientFactory, barrier, wait_until


def receive(journal: ProtocolJournal, msg_type: str, payload: Any) -> dict[str, Any]:
    """Record a server frame as its text; return the envelope."""
    envelope = {"msgType": msg_type, "ctiMessage": payload}
    journal.received(msg_type, json.dumps(envelope))
    return envelope


def send(journal: ProtocolJournal, frame: dict[str, Any]) -> None:
    """Record a client frame as its text."""
    journal.sent(frame.get("command"), json.dumps(frame))


def test_profile_bounded_however_many_types_a_server_invents() -> None:
    """A server naming a new type per frame fills the profile up to its bound only."""
    journal = ProtocolJournal(size=3)
    for index in range(MAX_PROFILE_TYPES + 50):
        receive(journal, f"Invented{index}", {})
    receive(journal, "Invented0", {})
    profile = journal.profile
    assert len(profile) == MAX_PROFILE_TYPES + 1
    assert profile["Invented0"]["count"] == 2
    assert f"Invented{MAX_PROFILE_TYPES}" not in profile
    assert profile[OTHER_TYPES]["count"] == 50
    assert profile[OTHER_TYPES]["first"]["msgType"] == f"Invented{MAX_PROFILE_TYPES}"


def test_entries_oldest_first_bounded_with_direction_and_time() -> None:
    """At most `size` entries, oldest dropped first; in/out told apart; UTC times."""
    journal = ProtocolJournal(size=3)
    send(journal, {"claz": "web", "command": "getFavorites"})
    for count in range(3):
        receive(journal, "VoiceMailStatusUpdate", {"newMessages": count})
    entries = journal.entries
    assert len(entries) == 3
    assert [entry["frame"]["ctiMessage"]["newMessages"] for entry in entries] == [
        0,
        1,
        2,
    ]
    assert {entry["direction"] for entry in entries} == {"in"}
    at = datetime.fromisoformat(entries[0]["at"])
    assert at.utcoffset() == timedelta(0)
    assert abs(datetime.now(at.tzinfo) - at) < timedelta(seconds=5)

    send(journal, {"claz": "web", "command": "dnd", "state": True})
    last = journal.entries[-1]
    assert (last["direction"], last["command"]) == ("out", "dnd")
    assert "msg_type" not in last
    assert last["frame"] == {"claz": "web", "command": "dnd", "state": True}


def test_profile_counts_and_keeps_the_first_instance() -> None:
    """The profile outlives the journal's window: every type, its count, its first."""
    journal = ProtocolJournal(size=2)
    first = receive(journal, "UserStatusUpdate", {"status": "away"})
    for _ in range(4):
        receive(journal, "UserStatusUpdate", {"status": "available"})
    receive(journal, "NoSuchType", {})
    assert journal.profile == {
        "UserStatusUpdate": {"count": 5, "first": first},
        "NoSuchType": {
            "count": 1,
            "first": {"msgType": "NoSuchType", "ctiMessage": {}},
        },
    }


def test_a_token_message_is_never_stored() -> None:
    """`AuthenticationToken` carries a credential: neither journal nor profile keep it."""
    journal = ProtocolJournal()
    receive(journal, "AuthenticationToken", {"token": "s3cr3t"})
    assert "s3cr3t" not in repr(journal.entries) + repr(journal.profile)
    assert journal.entries[0]["frame"]["ctiMessage"] == REDACTED


def test_a_huge_frame_is_kept_as_a_note() -> None:
    """A frame over the limit is noted with its size, not kept (in or out)."""
    journal = ProtocolJournal()
    receive(journal, "Favorites", {"entries": ["x" * MAX_KEPT_CHARS]})
    send(
        journal, {"claz": "web", "command": "dial", "destination": "1" * MAX_KEPT_CHARS}
    )
    received, sent = journal.entries
    assert received["msg_type"] == "Favorites"
    assert received["frame"]["ctiMessage"].endswith("characters, not kept")
    assert sent["command"] == "dial"
    assert sent["frame"]["frame"].endswith("characters, not kept")
    assert len(repr(journal.entries) + repr(journal.profile)) < 1000


async def test_client_journal_over_loopback(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A client's journal holds its commands and the server's frames, without pings."""
    client: XucClient = make_client(keepalive_interval=0.02)
    await client.start()
    await barrier(client)
    await wait_until(lambda: len(xuc_server.commands("ping")) >= 3, what="pings")
    journal = client.journal
    commands = [entry["command"] for entry in journal if entry["direction"] == "out"]
    assert commands[:3] == ["getConfig", "getCurrentCallsPhoneEvents", "getFavorites"]
    assert "displayNameLookup" in commands
    assert None not in commands  # no ping
    received = [entry["msg_type"] for entry in journal if entry["direction"] == "in"]
    assert received[0] == "LoggedOn"
    assert {"UserConfigUpdate", "Favorites", "UserDisplayName"} <= set(received)
    assert all(
        entry["frame"]["msgType"] == entry["msg_type"]
        for entry in journal
        if entry["direction"] == "in"
    )

    profile = client.server_profile
    assert profile["LoggedOn"]["count"] == 1
    assert profile["LoggedOn"]["first"]["msgType"] == "LoggedOn"
    assert profile["PhoneHintStatusEvent"]["count"] >= 3
    assert set(profile) == set(received)

    # Bounded at 200 entries, however long the session.
    for _ in range(120):
        await client.display_name_lookup("bob")
    assert len(client.journal) == 200
    assert (
        client.server_profile["UserDisplayName"]["count"] == 1 + 120
    )  # the barrier, then the loop
