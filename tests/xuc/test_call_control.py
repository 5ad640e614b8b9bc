"""Call control through the client against the simulator (real loopback sockets).

Each command's frame as the simulator received it, and the `PhoneEvent`s the
simulated server answers with, as the client's snapshot shows them.
"""

from __future__ import annotations

import pytest

from custom_components.xivo.xuc import XucClient, XucNotConnectedError
from custom_components.xivo.xuc.models import Call
from tests.simulator import IDEAL, REAL, ServerProfile, XucSimulator

from .common import ClientFactory, barrier


@pytest.fixture
async def client(make_client: ClientFactory) -> XucClient:
    """Alice's client, started and synchronised."""
    client = make_client()
    await client.start()
    await barrier(client)
    return client


def states(client: XucClient) -> dict[str, str]:
    """The state of each of the client's calls, by the other party's number."""
    return {
        str(call.other_number): call.state for call in client.snapshot.calls.values()
    }


def call_to(client: XucClient, number: str) -> Call:
    """The client's call with `number`."""
    return next(
        call for call in client.snapshot.calls.values() if call.other_number == number
    )


async def established(xuc_server: XucSimulator, client: XucClient, number: str) -> str:
    """An answered incoming call from `number`; its uniqueId."""
    unique_id = await xuc_server.incoming_call("alice", number)
    await xuc_server.answer_call("alice", unique_id)
    await barrier(client)
    return call_to(client, number).unique_id


async def test_answer_hold_hangup_without_unique_id(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """No `uniqueId` is sent when none is given; the server picks the call."""
    await xuc_server.incoming_call("alice", "1002")
    await client.answer()
    await barrier(client)
    assert states(client) == {"1002": "established"}
    await client.hold()
    await barrier(client)
    assert states(client) == {"1002": "on_hold"}
    await client.hold()  # one command both ways (§14.1)
    await barrier(client)
    assert states(client) == {"1002": "established"}
    await client.hangup(unique_id="")  # an empty id is no id (added only when truthy)
    await barrier(client)
    assert client.snapshot.calls == {}
    for command in ("answer", "hold", "hangup"):
        assert all(
            frame == {"claz": "web", "command": command}
            for frame in xuc_server.commands(command)
        ), command
    assert len(xuc_server.commands("hold")) == 2


async def test_unique_id_picks_the_call(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """With two calls ringing, the `uniqueId` given is the one answered, held, ended."""
    first = await xuc_server.incoming_call("alice", "1002")
    second = await xuc_server.incoming_call("alice", "1001")
    await client.answer(first)
    await barrier(client)
    assert states(client) == {"1002": "established", "1001": "ringing"}
    await client.hold(first)
    await client.hangup(second)
    await barrier(client)
    assert states(client) == {"1002": "on_hold"}
    assert xuc_server.commands("answer") == [
        {"claz": "web", "command": "answer", "uniqueId": first}
    ]
    assert xuc_server.commands("hold") == [
        {"claz": "web", "command": "hold", "uniqueId": first}
    ]
    assert xuc_server.commands("hangup") == [
        {"claz": "web", "command": "hangup", "uniqueId": second}
    ]


@pytest.mark.parametrize("server_profile", [IDEAL, REAL], ids=["ideal", "real"])
async def test_direct_transfer(
    client: XucClient, xuc_server: XucSimulator, server_profile: ServerProfile
) -> None:
    """The user's leg is released (a new uniqueId under unstable ids, same linkedId).

    The destination, Bob's line, rings from the original caller with the call's
    attached data.
    """
    unique_id = await xuc_server.incoming_call(
        "alice", "1002", queue="bluesky", user_data={"USR_ticket": "42"}
    )
    await xuc_server.answer_call("alice", unique_id)
    await barrier(client)
    call = call_to(client, "1002")
    assert (call.queue_name, dict(call.user_data)) == ("bluesky", {"USR_ticket": "42"})
    await client.transfer("1001")
    await barrier(client)
    assert client.snapshot.calls == {}  # removed by linkedId even with a new uniqueId
    assert xuc_server.commands("directTransfer") == [
        {"claz": "web", "command": "directTransfer", "destination": "1001"}
    ]
    (ringing,) = xuc_server.current_calls("bob")
    assert (ringing["eventType"], ringing["otherDN"]) == ("EventRinging", "1002")
    assert ringing["userData"]["USR_ticket"] == "42"


async def test_attended_transfer_completed(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """A second call (its own linkedId) dials the destination; completing ends both."""
    await established(xuc_server, client, "1002")
    await client.transfer("1004", attended=True)
    await barrier(client)
    assert states(client) == {"1002": "established", "1004": "dialing"}
    assert call_to(client, "1002").linked_id != call_to(client, "1004").linked_id
    await client.complete_transfer()
    await barrier(client)
    assert client.snapshot.calls == {}
    assert xuc_server.commands("attendedTransfer") == [
        {"claz": "web", "command": "attendedTransfer", "destination": "1004"}
    ]
    assert xuc_server.commands("completeTransfer") == [
        {"claz": "web", "command": "completeTransfer"}
    ]


async def test_attended_transfer_cancelled(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Cancelling ends the consultation call only."""
    await established(xuc_server, client, "1002")
    await client.transfer("1004", attended=True)
    await client.cancel_transfer()
    await barrier(client)
    assert states(client) == {"1002": "established"}
    assert xuc_server.commands("cancelTransfer") == [
        {"claz": "web", "command": "cancelTransfer"}
    ]


async def test_conference(client: XucClient, xuc_server: XucSimulator) -> None:
    """`conference` is sent bare (the simulator records it, nothing more)."""
    await client.conference()
    await barrier(client)
    assert xuc_server.commands("conference") == [
        {"claz": "web", "command": "conference"}
    ]
    assert xuc_server.conferences == ["alice"]


async def test_dtmf_one_frame_per_key(
    client: XucClient, xuc_server: XucSimulator
) -> None:
    """Each key is its own `sendDtmf` frame, in order; the server takes them all."""
    await established(xuc_server, client, "1002")
    await client.send_dtmf("12*#0")
    await barrier(client)
    assert [frame["key"] for frame in xuc_server.commands("sendDtmf")] == list("12*#0")
    assert all(
        set(frame) == {"claz", "command", "key"}
        for frame in xuc_server.commands("sendDtmf")
    )
    assert xuc_server.dtmf == [("alice", key) for key in "12*#0"]


@pytest.mark.parametrize("digits", ["", "12a", "+33", "1 2", "5" * 33, "٣"])
async def test_bad_dtmf_refused_before_sending(
    client: XucClient, xuc_server: XucSimulator, digits: str
) -> None:
    """Nothing is sent for keys a keypad has not (not even the valid ones first)."""
    with pytest.raises(ValueError, match="DTMF"):
        await client.send_dtmf(digits)
    await barrier(client)
    assert xuc_server.commands("sendDtmf") == []


async def test_longest_dtmf_taken(client: XucClient, xuc_server: XucSimulator) -> None:
    """32 keys are taken (a long conference code)."""
    await client.send_dtmf("1" * 32)
    await barrier(client)
    assert len(xuc_server.commands("sendDtmf")) == 32


@pytest.mark.parametrize("attended", [False, True])
@pytest.mark.parametrize("destination", ["", "10 02", "bob", "10+2", "1" * 41])
async def test_bad_destination_refused_before_sending(
    client: XucClient, xuc_server: XucSimulator, destination: str, attended: bool
) -> None:
    """Transfers take the dialling grammar of `dial` and the forwards."""
    with pytest.raises(ValueError, match="dialled"):
        await client.transfer(destination, attended=attended)
    await barrier(client)
    assert xuc_server.commands("directTransfer") == []
    assert xuc_server.commands("attendedTransfer") == []


async def test_commands_refused_while_not_connected(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """Every command raises XucNotConnectedError on a link that is down; none is sent."""
    client = make_client()
    for command in (
        client.answer(),
        client.hangup("1.2"),
        client.hold(),
        client.transfer("1001"),
        client.transfer("1001", attended=True),
        client.complete_transfer(),
        client.cancel_transfer(),
        client.conference(),
        client.send_dtmf("1"),
        client.call_history(size=10),
    ):
        with pytest.raises(XucNotConnectedError):
            await command
    assert xuc_server.received == []
