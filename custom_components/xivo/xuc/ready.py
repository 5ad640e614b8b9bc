"""Awaiting a coroutine and noticing, in the same loop turn, that it is about to wait.

The link publishes the frames of a read burst once it has handed over the last one
that was already read (see `batch`). That moment is when `receive()` would suspend,
which only the coroutine protocol tells without reaching into aiohttp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Generator


class ReadyOrWait[T]:
    """Await a coroutine, calling `before_wait()` only if it is about to suspend.

    aiohttp reads the socket in bursts and queues every frame of a burst; `receive()`
    returns a queued frame without suspending. Whether the queue is empty is not part
    of aiohttp's public API, but whether a coroutine suspends is part of the language:
    it yields the future it waits on (PEP 492). So the first step is run here; a
    result means the frame was ready, a yielded future means the reader is about to
    wait, and the session publishes what it applied, still in this loop turn. The rest
    is handed to the task unchanged: the task resumes us, we resume the coroutine
    (with `send(None)`, or `throw` for a cancellation, as a task does).
    """

    __slots__ = ("_before_wait", "_coro")

    def __init__(
        self, coro: Coroutine[Any, Any, T], before_wait: Callable[[], None]
    ) -> None:
        """Wrap `coro`, not started yet."""
        self._coro = coro
        self._before_wait = before_wait

    def __await__(self) -> Generator[Any, None, T]:
        """Run `coro` to its end, calling `before_wait` before its first suspension."""
        coro = self._coro
        try:
            yielded = coro.send(None)
        except StopIteration as done:
            result: T = done.value
            return result
        try:
            self._before_wait()
        except BaseException:
            coro.close()
            raise
        while True:
            try:
                yield yielded
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as err:  # noqa: BLE001 - thrown in by the task: passed on
                try:
                    yielded = coro.throw(err)
                except StopIteration as done:
                    result = done.value
                    return result
            else:
                try:
                    yielded = coro.send(None)
                except StopIteration as done:
                    result = done.value
                    return result
