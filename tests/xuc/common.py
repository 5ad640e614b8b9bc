"""Helpers shared by the client tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
import contextlib
import gc
import time
from typing import Any

from custom_components.xivo.xuc import XucClient

FAST: dict[str, Any] = {
    "keepalive_interval": 0.1,
    "dead_after": 0.5,
    "logged_on_timeout": 1.0,
    "command_timeout": 1.0,
    "request_timeout": 2.0,
}

type ClientFactory = Callable[..., XucClient]


async def wait_until(
    predicate: Callable[[], bool],
    timeout: float = 5.0,  # noqa: ASYNC109 - a bounded poll with a clear failure message
    what: str = "condition",
) -> None:
    """Poll until `predicate()` is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def barrier(client: XucClient) -> None:
    """Return once the client has handled every frame the simulator sent before."""
    assert await client.display_name_lookup("bob") == "Bob Martin"


@contextlib.contextmanager
def loop_errors() -> Iterator[list[str]]:
    """Collect what reaches the loop's exception handler (garbage collected at the end).

    The Home Assistant harness turns any such report into a test error at teardown;
    collecting them here keeps a known problem inside the test that shows it.
    """
    loop = asyncio.get_running_loop()
    messages: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(
        lambda _loop, context: messages.append(
            f"{context['message']}: {context.get('exception')!r}"
        )
    )
    try:
        yield messages
    finally:
        gc.collect()
        loop.set_exception_handler(previous)
