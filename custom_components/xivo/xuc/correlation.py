"""Matching replies to requests on a protocol that has no request id.

xuc answers a request with a message of a known type (`directoryLookUp` with
`DirectoryResult`, ...) but nothing in the reply says which request it answers. So the
requests answered by one message type are sent one at a time (the caller's lock), and
the server is trusted to answer in order. What remains is the reply that comes after
its request gave up: it must not answer the next request. This module holds that logic
and nothing else (no socket, no snapshot), so it can be tested with a bare event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import logging
import time
from typing import Any, Final

_LOGGER = logging.getLogger(__name__)

# A reply later than this many time-outs of its request is taken as never coming.
OWED_REPLY_WINDOW: Final = 3.0
# While a late reply is owed, how long a reply waits to see if another one follows.
LATE_REPLY_GRACE: Final = 0.5

Match = Callable[[Any], bool]


def always(_payload: Any) -> bool:
    """Any reply of the right type answers (the default match)."""
    return True


class Waiter:
    """A request waiting for the reply that answers it.

    A detached waiter is a request nobody awaits (a best-effort request at start-up):
    it only keeps the order of replies right, and is cancelled rather than failed, so
    no exception is left unretrieved.
    """

    __slots__ = ("_timer", "detached", "future", "grace", "match", "msg_type")

    def __init__(
        self, msg_type: str, match: Match, grace: float, *, detached: bool = False
    ) -> None:
        """Wait for a `msg_type` reply that `match` accepts."""
        self.msg_type = msg_type
        self.match = match
        self.grace = grace
        self.detached = detached
        self.future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def waiting(self) -> bool:
        """Whether this waiter still takes a reply."""
        return not self.future.done()

    @property
    def has_candidate(self) -> bool:
        """Whether a reply is waiting out its grace time to become the answer."""
        return self._timer is not None

    def settle(self, payload: Any) -> None:
        """This reply is the answer."""
        self.cancel_timer()
        if not self.future.done():
            self.future.set_result(payload)

    def candidate(self, payload: Any) -> None:
        """This reply is the answer unless another one comes within the grace time."""
        self.cancel_timer()
        self._timer = asyncio.get_running_loop().call_later(
            self.grace, self.settle, payload
        )

    def fail(self, error: BaseException) -> None:
        """The request is over without an answer (the link dropped, the client stopped)."""
        self.cancel_timer()
        if self.future.done():
            return
        if self.detached:
            self.future.cancel()
        else:
            self.future.set_exception(error)

    def cancel_timer(self) -> None:
        """Forget a pending candidate (the request is over)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class Correlator:
    """The requests of one client waiting for replies, and the late replies still owed.

    `clock` is injectable so that tests can age owed replies without sleeping.
    """

    __slots__ = ("_clock", "_late_grace", "_owed", "_owed_window", "_waiters")

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        owed_window: float = OWED_REPLY_WINDOW,
        late_grace: float = LATE_REPLY_GRACE,
    ) -> None:
        """Nothing is waited for, nothing is owed."""
        self._clock = clock
        self._owed_window = owed_window
        self._late_grace = late_grace
        self._waiters: list[Waiter] = []
        # Replies still owed by requests that gave up, with until when to expect them.
        self._owed: list[tuple[str, float]] = []

    @property
    def owed(self) -> list[str]:
        """The types of the late replies still expected, oldest first."""
        now = self._clock()
        return [kind for kind, until in self._owed if until > now]

    @property
    def waiting(self) -> list[str]:
        """The reply types requests are waiting for, oldest first."""
        return [waiter.msg_type for waiter in self._waiters if waiter.waiting]

    def _waiter(self, reply_type: str, match: Match, timeout: float) -> Waiter:
        waiter = Waiter(reply_type, match, min(self._late_grace, timeout / 4))
        self._waiters.append(waiter)
        return waiter

    def _forget(self, waiter: Waiter) -> None:
        waiter.cancel_timer()
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    def owe(self, reply_type: str, timeout: float) -> None:
        """A request that waited `timeout` seconds gave up: its reply may still come."""
        self._owed.append((reply_type, self._clock() + self._owed_window * timeout))

    async def request(
        self,
        send: Callable[[], Awaitable[None]],
        reply_type: str,
        *,
        seconds: float,
        lock: asyncio.Lock,
        match: Match = always,
    ) -> Any:
        """Call `send()` and return the payload of the reply; one at a time per `lock`.

        Raises `TimeoutError` when no reply came within `seconds` (the reply is then
        owed), and whatever `send()` or `fail_all()` raise.
        """
        async with lock:
            waiter = self._waiter(reply_type, match, seconds)
            try:
                await send()
                async with asyncio.timeout(seconds):
                    return await waiter.future
            except TimeoutError:
                # The reply may still come: it must not answer the next request.
                self.owe(reply_type, seconds)
                raise
            finally:
                self._forget(waiter)

    def expect(self, reply_type: str, *, seconds: float) -> None:
        """A request was sent that nobody waits for: keep its reply out of the others'.

        Its reply answers nobody (the state it carries is applied anyway); if it has
        not come within `seconds`, it is owed as a timed-out request's is.
        """
        waiter = Waiter(
            reply_type, always, min(self._late_grace, seconds / 4), detached=True
        )
        self._waiters.append(waiter)

        def give_up() -> None:
            if waiter.has_candidate:
                return  # a reply came; it settles the waiter when its grace ends
            self.owe(reply_type, seconds)
            waiter.fail(TimeoutError())

        handle = asyncio.get_running_loop().call_later(seconds, give_up)

        def done(_future: asyncio.Future[Any]) -> None:
            handle.cancel()
            self._forget(waiter)

        waiter.future.add_done_callback(done)

    def resolve(self, msg_type: str, payload: Any) -> None:
        """Hand a reply to the request waiting for it.

        After a request of this type gave up, its reply may still come, ahead of the
        next request's own (the server answers in order). So while such a reply is
        owed, a reply is only a candidate: a second reply soon after replaces it (the
        first was the late one), else the candidate is the answer (the late one was
        lost).
        """
        if not self._waiters and not self._owed:
            return  # the common case: a push nobody asked for
        now = self._clock()
        self._owed = [(kind, until) for kind, until in self._owed if until > now]
        owed = next(
            (i for i, (kind, _until) in enumerate(self._owed) if kind == msg_type), None
        )
        waiter = next(
            (
                waiter
                for waiter in self._waiters
                if waiter.msg_type == msg_type
                and waiter.waiting
                and waiter.match(payload)
            ),
            None,
        )
        if owed is not None:
            del self._owed[owed]
            if waiter is None:
                _LOGGER.debug("Dropping a late %s reply", msg_type)
                return
            waiter.candidate(payload)
            return
        if waiter is not None:
            waiter.settle(payload)

    def fail_all(self, error: BaseException) -> None:
        """Every waiting request fails with `error` (the link is gone)."""
        for waiter in tuple(self._waiters):
            waiter.fail(error)

    def reset(self) -> None:
        """A new session: replies of the old one will never come."""
        self._owed = []
