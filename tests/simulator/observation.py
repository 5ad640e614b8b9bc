"""What a test reads back: the client frames the simulator received, and waiting for them.

Frames are recorded as they are read, before any fault switch decides whether
they get an answer, so a test can check what the client sent even to a silent
or command-dropping server.
"""

from __future__ import annotations

import asyncio

from .core import SimulatorCore
from .payloads import Json


class Observation(SimulatorCore):
    """Record client frames; find them by command; wait for them."""

    def _record(self, login: str, frame: Json) -> None:
        """Keep a decoded client frame and wake whoever waits for one."""
        self.received.append((login, frame))
        self._frame_event.set()
        self._frame_event = asyncio.Event()

    def commands(self, name: str) -> list[Json]:
        """Client frames for a command; ``"ping"`` gives the ``{"claz":"ping"}`` frames."""
        if name == "ping":
            return [frame for _, frame in self.received if frame.get("claz") == "ping"]
        return [
            frame
            for _, frame in self.received
            if frame.get("claz") == "web" and frame.get("command") == name
        ]

    def clear_received(self) -> None:
        """Forget the frames observed so far (counters are kept)."""
        self.received.clear()
        self.invalid_frames.clear()

    async def wait_for_command(
        self,
        name: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test-helper signature
        *,
        count: int = 1,
    ) -> Json:
        """Wait until ``count`` frames for ``name`` were received; return the count-th.

        Counting starts at the beginning of ``received`` (or the last
        ``clear_received()``), so a frame sent before the call is found too.
        """
        async with asyncio.timeout(timeout):
            while True:
                frames = self.commands(name)
                if len(frames) >= count:
                    return frames[count - 1]
                await self._frame_event.wait()
