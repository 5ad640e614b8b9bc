"""Request and reply matching without any socket: a bare event loop and a fake clock.

The protocol has no request id, so these pin down the rules that keep a reply with its
request: one request at a time per reply type, a `match` for replies that say whom
they answer, and the late reply of a request that gave up, which must not answer the
next one.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from custom_components.xivo.xuc.correlation import Correlator


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        """Start at 1000 s."""
        self.now = 1000.0

    def __call__(self) -> float:
        """The current time."""
        return self.now


class Sent:
    """Records what the requests send (a stand-in for the socket)."""

    def __init__(self) -> None:
        """Nothing sent yet."""
        self.frames: list[str] = []
        self.event = asyncio.Event()

    def sender(self, frame: str) -> Any:
        """A `send` callable for `Correlator.request` that records `frame`."""

        async def send() -> None:
            self.frames.append(frame)
            self.event.set()

        return send

    async def wait(self, count: int) -> None:
        """Until `count` frames were sent."""
        async with asyncio.timeout(2):
            while len(self.frames) < count:
                self.event.clear()
                await self.event.wait()


async def late_then_next(correlator: Correlator) -> asyncio.Task[Any]:
    """A lookup that times out, then a second one, sent and waiting for its reply."""
    sent = Sent()
    lock = asyncio.Lock()
    with pytest.raises(TimeoutError):
        await correlator.request(
            sent.sender("a"), "DirectoryResult", seconds=0.02, lock=lock
        )
    task = asyncio.create_task(
        correlator.request(sent.sender("b"), "DirectoryResult", seconds=1, lock=lock)
    )
    await sent.wait(2)
    return task


@pytest.fixture
def clock() -> Clock:
    """The correlator's clock."""
    return Clock()


@pytest.fixture
def correlator(clock: Clock) -> Correlator:
    """A correlator with a short grace for candidate replies."""
    return Correlator(clock=clock, late_grace=0.05)


async def test_reply_answers_the_request(correlator: Correlator) -> None:
    """The next reply of the awaited type is the answer; pushes of other types are not."""
    sent = Sent()
    lock = asyncio.Lock()
    task = asyncio.create_task(
        correlator.request(
            sent.sender("lookup"), "DirectoryResult", seconds=1, lock=lock
        )
    )
    await sent.wait(1)
    assert correlator.waiting == ["DirectoryResult"]
    correlator.resolve("UserStatusUpdate", {"status": "away"})
    correlator.resolve("DirectoryResult", {"entries": ["pierce"]})
    assert await task == {"entries": ["pierce"]}
    assert correlator.waiting == []
    assert correlator.owed == []


async def test_match_skips_replies_for_someone_else(correlator: Correlator) -> None:
    """A reply the match refuses (another contact's) leaves the request waiting."""
    sent = Sent()
    task = asyncio.create_task(
        correlator.request(
            sent.sender("add 4"),
            "FavoriteUpdated",
            seconds=1,
            lock=asyncio.Lock(),
            match=lambda payload: payload.get("contact_id") == "4",
        )
    )
    await sent.wait(1)
    correlator.resolve("FavoriteUpdated", {"contact_id": "3", "action": "Removed"})
    assert not task.done()
    correlator.resolve("FavoriteUpdated", {"contact_id": "4", "action": "Added"})
    assert (await task)["action"] == "Added"


async def test_requests_of_one_type_go_one_at_a_time(correlator: Correlator) -> None:
    """The second request is sent only once the first one has its reply."""
    sent = Sent()
    lock = asyncio.Lock()
    first = asyncio.create_task(
        correlator.request(sent.sender("a"), "DirectoryResult", seconds=1, lock=lock)
    )
    second = asyncio.create_task(
        correlator.request(sent.sender("b"), "DirectoryResult", seconds=1, lock=lock)
    )
    await sent.wait(1)
    await asyncio.sleep(0.01)
    assert sent.frames == ["a"]
    correlator.resolve("DirectoryResult", "for a")
    await sent.wait(2)
    correlator.resolve("DirectoryResult", "for b")
    assert (await first, await second) == ("for a", "for b")


async def test_timed_out_request_owes_its_reply(
    correlator: Correlator, clock: Clock
) -> None:
    """A request that gave up: its late reply is dropped, not given to anyone."""
    sent = Sent()
    with pytest.raises(TimeoutError):
        await correlator.request(
            sent.sender("a"), "DirectoryResult", seconds=0.02, lock=asyncio.Lock()
        )
    assert correlator.owed == ["DirectoryResult"]
    correlator.resolve("DirectoryResult", "late reply for a")
    assert correlator.owed == []

    # Owed replies are forgotten after three time-outs of their request.
    with pytest.raises(TimeoutError):
        await correlator.request(
            sent.sender("b"), "DirectoryResult", seconds=0.02, lock=asyncio.Lock()
        )
    clock.now += 3 * 0.02 + 0.001
    assert correlator.owed == []


async def test_late_reply_then_own_reply(correlator: Correlator) -> None:
    """A late reply followed by the request's own: the second one is the answer."""
    task = await late_then_next(correlator)
    correlator.resolve("DirectoryResult", "late reply for a")
    await asyncio.sleep(0.01)  # within the grace time
    assert not task.done()
    correlator.resolve("DirectoryResult", "reply for b")
    assert await task == "reply for b"


async def test_late_reply_lost_own_reply_wins_after_grace(
    correlator: Correlator,
) -> None:
    """The owed reply never came: the only reply is the answer once the grace ends."""
    task = await late_then_next(correlator)
    correlator.resolve("DirectoryResult", "reply for b")
    async with asyncio.timeout(0.5):
        assert await task == "reply for b"


async def test_reset_forgets_owed_replies(correlator: Correlator) -> None:
    """A new session owes nothing: its first reply answers at once."""
    with pytest.raises(TimeoutError):
        await correlator.request(
            Sent().sender("a"), "DirectoryResult", seconds=0.02, lock=asyncio.Lock()
        )
    correlator.reset()
    assert correlator.owed == []


async def test_fail_all(correlator: Correlator) -> None:
    """A dropped link fails the requests in flight with the error given."""
    sent = Sent()
    task = asyncio.create_task(
        correlator.request(
            sent.sender("a"), "DirectoryResult", seconds=1, lock=asyncio.Lock()
        )
    )
    await sent.wait(1)
    correlator.fail_all(ConnectionError("gone"))
    with pytest.raises(ConnectionError, match="gone"):
        await task
    assert correlator.waiting == []


async def test_send_failure_leaves_nothing_waiting(correlator: Correlator) -> None:
    """A request whose frame could not be sent raises that error and waits no more."""

    async def send() -> None:
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        await correlator.request(send, "Favorites", seconds=1, lock=asyncio.Lock())
    assert correlator.waiting == []
    assert correlator.owed == []


async def test_expected_reply_keeps_its_place(correlator: Correlator) -> None:
    """A request nobody awaits still takes its own reply, ahead of a later request."""
    sent = Sent()
    correlator.expect("Favorites", seconds=1)
    task = asyncio.create_task(
        correlator.request(
            sent.sender("get"), "Favorites", seconds=1, lock=asyncio.Lock()
        )
    )
    await sent.wait(1)
    correlator.resolve("Favorites", "reply to the first request")
    await asyncio.sleep(0)
    assert not task.done()
    correlator.resolve("Favorites", "reply to the second")
    assert await task == "reply to the second"
    await asyncio.sleep(0)
    assert correlator.waiting == []


async def test_expected_reply_that_never_comes_is_owed(
    correlator: Correlator,
) -> None:
    """Once its time is up, an expected reply is owed like a timed-out one's."""
    correlator.expect("Favorites", seconds=0.02)
    assert correlator.waiting == ["Favorites"]
    await asyncio.sleep(0.05)
    assert correlator.waiting == []
    assert correlator.owed == ["Favorites"]


async def test_failing_an_expected_reply_leaves_no_unretrieved_error(
    correlator: Correlator,
) -> None:
    """Nobody awaits an expected reply: failing it must not leave an error behind."""
    loop = asyncio.get_running_loop()
    reported: list[Any] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        correlator.expect("Favorites", seconds=1)
        correlator.fail_all(ConnectionError("gone"))
        await asyncio.sleep(0)
        assert correlator.waiting == []
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert reported == []
