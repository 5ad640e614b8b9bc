"""The call history: parsing its entries (§15.2), and asking for it through the client."""

# The history's times are naive by design (the server's local time, §15.2).
# ruff: noqa: DTZ001

from __future__ import annotations

import asyncio
from datetime import datetime
import logging
import time
from typing import Any

import pytest

from custom_components.xivo.xuc import (
    HistoryEntry,
    XucClient,
    XucProtocolError,
    XucTimeoutError,
    parse_history,
)
from tests.simulator import XucSimulator

from .common import ClientFactory, barrier

# The 2022.10 doc sample (§15.2), and the agent form with fewer fields.
SAMPLE: dict[str, Any] = {
    "start": "2022-09-08 10:32:50",
    "duration": "00:00:25",
    "status": "answered",
    "srcUsername": "usera",
    "dstUsername": "userb",
    "srcNum": "1000",
    "dstNum": "1007",
    "srcFirstName": "User",
    "srcLastName": "A",
    "dstFirstName": "User",
    "dstLastName": "B",
    "srcPhoneStatus": 4,
    "dstPhoneStatus": 0,
    "srcVideoStatus": "Available",
    "dstVideoStatus": "Available",
}
AGENT: dict[str, Any] = {
    "start": "2022-09-07 09:00:00",
    "duration": "01:02:03",
    "srcNum": "0427466347",
    "dstNum": "1000",
    "status": "missed",
}


@pytest.fixture
async def client(make_client: ClientFactory) -> XucClient:
    """Alice's client, started and synchronised."""
    client = make_client()
    await client.start()
    await barrier(client)
    return client


def test_sample_entries() -> None:
    """The other party is the source, except for an emitted call (the destination)."""
    emitted = {**SAMPLE, "status": "Emitted", "duration": 7}
    entries = parse_history([SAMPLE, emitted, AGENT])
    assert entries == (
        HistoryEntry(
            start=datetime(2022, 9, 8, 10, 32, 50),
            duration_s=25,
            status="answered",
            direction="incoming",
            number="1000",
            name="User A",
        ),
        HistoryEntry(
            start=datetime(2022, 9, 8, 10, 32, 50),
            duration_s=7,
            status="emitted",
            direction="outgoing",
            number="1007",
            name="User B",
        ),
        HistoryEntry(
            start=datetime(2022, 9, 7, 9, 0, 0),
            duration_s=3723,
            status="missed",
            direction="incoming",
            number="0427466347",
            name=None,
        ),
    )
    assert entries[0].start.tzinfo is None
    assert entries[2].key == "2022-09-07T09:00:00_0427466347"
    assert entries[0].key != entries[1].key  # same start, other party


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2022-09-08T10:32:50", datetime(2022, 9, 8, 10, 32, 50)),
        ("2022-09-08 10:32:50.250", datetime(2022, 9, 8, 10, 32, 50, 250000)),
        ("2022-09-08T10:32:50+02:00", datetime(2022, 9, 8, 10, 32, 50)),
        ("2022-09-08T10:32:50Z", datetime(2022, 9, 8, 10, 32, 50)),
    ],
)
def test_start_forms(start: str, expected: datetime) -> None:
    """ISO `T`, fractions of a second, a zone (dropped: the wall clock is kept)."""
    (entry,) = parse_history([{**SAMPLE, "start": start}])
    assert entry.start == expected
    assert entry.start.tzinfo is None


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [("00:00:00", 0), ("25:00:01", 90001), (42, 42), (12.6, 13), ("42", 42)],
)
def test_duration_forms(duration: Any, seconds: int) -> None:
    """`HH:MM:SS` (hours past 24 too), or a number of seconds."""
    (entry,) = parse_history([{**SAMPLE, "duration": duration}])
    assert entry.duration_s == seconds


def test_other_fields_liberal() -> None:
    """Numbers as numbers, blank names, no status: still an entry."""
    (entry,) = parse_history(
        [
            {
                "start": "2022-09-08 10:32:50",
                "duration": "00:00:01",
                "srcNum": 1002,
                "srcFirstName": " ",
                "srcLastName": "Pierce",
            }
        ]
    )
    assert (entry.status, entry.direction, entry.number, entry.name) == (
        "unknown",
        "incoming",
        "1002",
        "Pierce",
    )


BAD_ENTRIES: list[Any] = [
    {**SAMPLE, "start": None},
    {key: value for key, value in SAMPLE.items() if key != "start"},
    {**SAMPLE, "start": "2022-09-08"},
    {**SAMPLE, "start": "2022-13-08 10:32:50"},
    {**SAMPLE, "start": "yesterday"},
    {key: value for key, value in SAMPLE.items() if key != "duration"},
    {**SAMPLE, "duration": "00:61:00"},
    {**SAMPLE, "duration": -1},
    {**SAMPLE, "duration": True},
    {**SAMPLE, "duration": float("nan")},
    {**SAMPLE, "duration": "a while"},
    "not an entry",
    None,
]


def test_bad_entries_skipped_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    """An entry without a readable start or duration is left out, the others kept.

    One line per reply; a warning the first time only (a bad server must not
    flood the log).
    """
    from custom_components.xivo.xuc import history

    history._LOG.forget("")
    with caplog.at_level(logging.DEBUG, logger=history.__name__):
        entries = parse_history([*BAD_ENTRIES, AGENT])
        again = parse_history([BAD_ENTRIES[0], SAMPLE])
    assert [entry.status for entry in entries] == ["missed"]
    assert [entry.status for entry in again] == ["answered"]
    records = [r for r in caplog.records if r.name == history.__name__]
    assert [r.levelno for r in records] == [logging.WARNING, logging.DEBUG]
    assert f"{len(BAD_ENTRIES)} of {len(BAD_ENTRIES) + 1}" in records[0].getMessage()


@pytest.mark.parametrize(
    "payload",
    [[SAMPLE], {"list": [SAMPLE]}, {"response": {"list": [SAMPLE]}}],
    ids=["array", "list", "response"],
)
def test_payload_shapes(payload: Any) -> None:
    """An array, as documented; the wrapped shapes of other history replies too."""
    assert [entry.number for entry in parse_history(payload)] == ["1000"]


@pytest.mark.parametrize(
    "payload", [None, "[]", {"entries": []}, {"list": None}, 3, {"response": []}]
)
def test_not_a_history(payload: Any) -> None:
    """A payload that is no list of entries is a protocol error."""
    with pytest.raises(XucProtocolError):
        parse_history(payload)


def test_empty_history() -> None:
    """An empty history is no error."""
    assert parse_history([]) == ()


# ---------------------------------------------------------------------- the client


async def test_seeded_history_by_size_and_days(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """A call missed while no client listened; asked by size, then by days."""
    now = time.time()
    xuc_server.add_history(
        "alice",
        xuc_server.history_entry(
            "alice", status="emitted", number="1004", name="peter pan", start=now - 60
        ),
        xuc_server.history_entry(
            "alice",
            status="missed",
            number="1002",
            name="hawkeye pierce",
            start=now - 3 * 86400,
        ),
    )
    entries = await client.call_history(size=10)
    assert [(e.status, e.direction, e.number, e.name) for e in entries] == [
        ("emitted", "outgoing", "1004", "peter pan"),
        ("missed", "incoming", "1002", "hawkeye pierce"),
    ]
    assert xuc_server.commands("getUserCallHistory") == [
        {"claz": "web", "command": "getUserCallHistory", "size": 10}
    ]
    assert [e.number for e in await client.call_history(size=1)] == ["1004"]
    assert [e.number for e in await client.call_history(days=1)] == ["1004"]
    assert xuc_server.commands("getUserCallHistoryByDays") == [
        {"claz": "web", "command": "getUserCallHistoryByDays", "days": 1}
    ]


async def test_history_grows_as_calls_end(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Missed, answered, emitted, and an answered call still up as ongoing."""
    missed = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.hang_up("alice", missed)
    answered = await xuc_server.incoming_call("alice", "1001", "Bob Martin")
    await xuc_server.answer_call("alice", answered)
    await xuc_server.hang_up("alice", answered)
    await client.dial("1004")
    await barrier(client)
    (dialled,) = client.snapshot.calls.values()
    await client.hangup(dialled.unique_id)
    up = await xuc_server.incoming_call("alice", "0427466347")
    await xuc_server.answer_call("alice", up)
    entries = await client.call_history(size=10)
    assert sorted((e.status, e.number, e.name) for e in entries) == [
        ("answered", "1001", "Bob Martin"),
        ("emitted", "1004", "peter pan"),
        ("missed", "1002", "hawkeye pierce"),
        ("ongoing", "0427466347", "Émilie Lefèvre"),
    ]
    assert entries[-1].status == "missed"  # newest first; the first call is last
    assert all(e.duration_s >= 0 for e in entries)


@pytest.mark.parametrize(
    "reply", ["CallHistory", "CallHistoryByDays", "RichCallHistory"]
)
async def test_every_reply_type(
    client: XucClient, xuc_server: XucSimulator, reply: str
) -> None:
    """The three history reply types answer a history request alike."""
    xuc_server.history_reply = reply
    xuc_server.add_history(
        "alice", dict(AGENT, start=time.strftime("%Y-%m-%d %H:%M:%S"))
    )
    (entry,) = await client.call_history(days=2)
    assert (entry.status, entry.number) == ("missed", "0427466347")


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"size": 10, "days": 1},
        {"size": 0},
        {"size": 101},
        {"days": 0},
        {"days": 31},
        {"size": True},
        {"size": 2.5},
        {"days": "7"},
    ],
)
async def test_bad_requests_refused_before_sending(
    client: XucClient, xuc_server: XucSimulator, arguments: dict[str, Any]
) -> None:
    """Exactly one of size (1-100) or days (1-30), as whole numbers."""
    with pytest.raises(ValueError, match=r"size|days|number"):
        await client.call_history(**arguments)
    await barrier(client)
    assert xuc_server.commands("getUserCallHistory") == []
    assert xuc_server.commands("getUserCallHistoryByDays") == []


async def test_bounds_taken(client: XucClient, xuc_server: XucSimulator) -> None:
    """100 calls and 30 days are allowed."""
    assert await client.call_history(size=100) == ()
    assert await client.call_history(days=30) == ()


async def test_one_request_in_flight(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """A second request waits until the first is answered (replies have no id)."""
    xuc_server.add_history(
        "alice", dict(AGENT, start=time.strftime("%Y-%m-%d %H:%M:%S"))
    )
    xuc_server.delay_replies(0.2)
    first = asyncio.create_task(client.call_history(size=5))
    second = asyncio.create_task(client.call_history(days=3))
    await xuc_server.wait_for_command("getUserCallHistory")
    await asyncio.sleep(0.1)
    assert xuc_server.commands("getUserCallHistoryByDays") == []
    assert len(await first) == 1
    assert len(await second) == 1
    assert len(xuc_server.commands("getUserCallHistoryByDays")) == 1


async def test_no_reply_times_out(client: XucClient, xuc_server: XucSimulator) -> None:
    """No reply within the command time-out is XucTimeoutError; a refusal too.

    The server's `Error` carries nothing that ties it to the request, so a
    refused history is waited out like a lost reply.
    """
    xuc_server.drop_commands.add("getUserCallHistory")
    with pytest.raises(XucTimeoutError):
        await client.call_history(size=5)
    xuc_server.drop_commands.clear()
    xuc_server.refuse_history = True
    with pytest.raises(XucTimeoutError):
        await client.call_history(size=5)
