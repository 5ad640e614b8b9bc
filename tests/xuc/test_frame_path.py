"""The frame path: pushes applied in bursts give the reducer's snapshot, in the same turn.

* `PushBatch` over any stream of the batched pushes (well-formed or not) ends where the
  reducer, frame by frame, ends;
* `ReadyOrWait` calls its hook only when the coroutine is about to suspend, and passes
  results, exceptions and cancellations through;
* against the simulator, a burst written in one go reaches the listeners before any
  other callback of the loop runs, with every push of it applied.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from benchmarks.common import encode_frames, envelope, write_raw
from custom_components.xivo.xuc import XucSnapshot
from custom_components.xivo.xuc.batch import BATCHED_TYPES, PushBatch
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import UserConfig
from custom_components.xivo.xuc.ready import ReadyOrWait
from custom_components.xivo.xuc.reducer import apply_message
from tests.simulator import XucSimulator

from .common import ClientFactory, barrier

_NUMBERS = st.sampled_from(["1000", "1001", "1002", 1003, None, True, ""])
_CODES = st.sampled_from([0, 1, 2, 8, 16, -1, -2, -99, "4", " 2 ", "x", None, False])
_TEXT = st.sampled_from(["available", "away", "donotdisturb", "", None, 3, False])
_VALUES = st.sampled_from([None, True, False, "", "0611", "Alice", 1, [1], {"a": 1}])
_KEYS = st.sampled_from(
    [
        "dndEnabled",
        "uncFwdEnabled",
        "uncFwdDestination",
        "naFwdEnabled",
        "naFwdDestination",
        "fullName",
        "userId",
    ]
)

_PUSHES = st.one_of(
    st.tuples(
        st.just("PhoneHintStatusEvent"),
        st.one_of(
            st.fixed_dictionaries({"number": _NUMBERS, "status": _CODES}),
            st.just([1]),
            st.just("hint"),
        ),
    ),
    st.tuples(
        st.just("UserConfigUpdate"),
        st.one_of(st.dictionaries(_KEYS, _VALUES, max_size=5), st.none()),
    ),
    st.tuples(
        st.just("UserStatusUpdate"),
        st.one_of(st.fixed_dictionaries({"status": _TEXT}), st.just({}), st.just(7)),
    ),
)

_BASE = XucSnapshot(
    status_name="available",
    phone_hints={"1000": 0, "1001": 8},
    user=UserConfig(fields={"fullName": "Alice", "dndEnabled": False}),
)


def _fields(snapshot: XucSnapshot) -> dict[str, Any]:
    values = {f.name: getattr(snapshot, f.name) for f in dataclasses.fields(snapshot)}
    values["phone_hints"] = dict(snapshot.phone_hints)
    values["user"] = dict(snapshot.user.fields)
    return values


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PUSHES, max_size=8), max_size=4))
def test_batch_matches_the_reducer(bursts: list[list[tuple[str, Any]]]) -> None:
    """Bursts of pushes, each published once, end on the reducer's snapshot."""
    expected = published = _BASE
    batch = PushBatch()
    assert batch.appliers.keys() == BATCHED_TYPES
    for burst in bursts:
        for msg_type, payload in burst:
            assert msg_type in BATCHED_TYPES
            try:
                expected, _events = apply_message(expected, msg_type, payload)
            except XucProtocolError:
                with pytest.raises(XucProtocolError):
                    batch.apply(published, msg_type, payload)
            else:
                batch.apply(published, msg_type, payload)
        if batch.pending:
            published = batch.publish(published)
        assert not batch.pending
        assert _fields(published) == _fields(expected)


def test_nothing_pending_publishes_nothing_new() -> None:
    """A push that changes nothing leaves the batch empty (no snapshot, no listener)."""
    batch = PushBatch()
    batch.apply(_BASE, "PhoneHintStatusEvent", {"number": "1001", "status": 8})
    batch.apply(_BASE, "UserStatusUpdate", {"status": "available"})
    batch.apply(_BASE, "UserStatusUpdate", {"status": None})
    batch.apply(_BASE, "UserConfigUpdate", {"dndEnabled": False, "uncFwdEnabled": True})
    assert not batch.pending


async def _ready(value: int) -> int:
    return value


async def _suspends(value: int, seen: list[str]) -> int:
    seen.append("started")
    await asyncio.sleep(0)
    seen.append("resumed")
    return value


async def test_ready_coroutine_needs_no_hook() -> None:
    """A coroutine that returns at once never calls the hook."""
    seen: list[str] = []
    assert await ReadyOrWait(_ready(3), lambda: seen.append("hook")) == 3
    assert seen == []


async def test_hook_runs_before_the_first_suspension_only() -> None:
    """The hook runs after the coroutine started and before it waited, once."""
    seen: list[str] = []

    async def twice() -> int:
        first = await _suspends(1, seen)
        return first + await _suspends(2, seen)

    assert await ReadyOrWait(twice(), lambda: seen.append("hook")) == 3
    assert seen == ["started", "hook", "resumed", "started", "resumed"]


async def test_errors_and_cancellation_pass_through() -> None:
    """An exception of the coroutine reaches the awaiter; a cancellation reaches it."""
    cancelled: list[bool] = []

    async def fails() -> int:
        await asyncio.sleep(0)
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await ReadyOrWait(fails(), lambda: None)

    async def forever() -> int:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return 0

    task = asyncio.create_task(_wait(forever()))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cancelled == [True]


async def _wait(coro: Any) -> int:
    result: int = await ReadyOrWait(coro, lambda: None)
    return result


async def test_burst_reaches_listeners_in_the_turn_it_was_read(
    make_client: ClientFactory, xuc_server: XucSimulator
) -> None:
    """A burst written in one go: listeners see it all before any later callback."""
    client = make_client()
    await client.start()
    await barrier(client)
    loop = asyncio.get_running_loop()
    session = xuc_server.sessions[0]
    seen: list[XucSnapshot] = []
    later: list[int] = []
    statuses = ["away", "available", "away"]
    frames = [envelope("UserStatusUpdate", {"status": name}) for name in statuses]
    frames += [
        envelope("PhoneHintStatusEvent", {"number": "1001", "status": code})
        for code in (1, 2, 8)
    ]
    frames.append(envelope("UserConfigUpdate", {"dndEnabled": True}))

    def listener(snapshot: XucSnapshot) -> None:
        if not seen:
            # Anything scheduled now runs in a later turn: it must see the burst done.
            loop.call_soon(lambda: later.append(len(seen)))
        seen.append(snapshot)

    client.add_listener(listener)
    write_raw(session, encode_frames(frames))
    async with asyncio.timeout(5):
        while not later:  # the point is how many turns it takes
            await asyncio.sleep(0)
    final = seen[-1]
    assert later == [len(seen)]  # every notification came in the turn of the read
    assert final.status_name == "away"
    assert final.phone_hints["1001"] == 8
    assert final.user.dnd is True
    assert client.snapshot is final
    await barrier(client)
    assert client.snapshot is final
