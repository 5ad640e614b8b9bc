"""Client throughput: the xuc client end to end against a bare aiohttp + orjson reader.

Both read the very same bytes from the same simulator in the same event loop: a batch of
ready-made frames written onto their session's socket in one go. The client's time runs
from that write until its snapshot listener sees the batch's end marker (every frame read,
decoded, validated, merged and notified); the bare reader's until it decoded the last
frame. The two alternate, batch after batch, and each keeps its median.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson

from custom_components.xivo.xuc import XucClient
from tests.simulator import XucSimulator

from .common import (
    CTI_PATH,
    LOGIN,
    PASSWORD,
    FrameMix,
    drain_greeting,
    encode_frames,
    favorite_number,
    scale_data,
    session_of,
    write_raw,
)
from .profiling import profiled

if TYPE_CHECKING:
    from pathlib import Path

    from custom_components.xivo.xuc import XucSnapshot
    from tests.simulator import SimSession

_TIMEOUT = 120.0


async def _wait_subscribed(client: XucClient, numbers: list[str]) -> None:
    """Wait until the simulator answered the phone-hint subscriptions."""

    def subscribed() -> bool:
        return all(number in client.snapshot.phone_hints for number in numbers)

    async with asyncio.timeout(_TIMEOUT):
        while not subscribed():  # noqa: ASYNC110 - the client has no event to await
            await asyncio.sleep(0.005)


async def _client_batch(
    client: XucClient, session: SimSession, data: bytes, marker: str
) -> tuple[float, int]:
    """Seconds for the client to apply a batch, and how many snapshots it notified."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[float] = loop.create_future()
    notified = 0

    def listener(snapshot: XucSnapshot) -> None:
        nonlocal notified
        notified += 1
        if snapshot.status_name == marker and not done.done():
            done.set_result(time.perf_counter())

    remove = client.add_listener(listener)
    try:
        start = time.perf_counter()
        write_raw(session, data)
        async with asyncio.timeout(_TIMEOUT):
            end = await done
    finally:
        remove()
    return end - start, notified


async def _bare_batch(
    ws: aiohttp.ClientWebSocketResponse, session: SimSession, data: bytes, count: int
) -> float:
    """Seconds for a bare loop to read and decode `count` frames."""
    loads = orjson.loads
    start = time.perf_counter()
    write_raw(session, data)
    async with asyncio.timeout(_TIMEOUT):
        for _ in range(count):
            msg = await ws.receive()
            loads(msg.data)
    return time.perf_counter() - start


async def measure_throughput(
    frames: int = 2000, rounds: int = 25, favorites: int = 20
) -> dict[str, Any]:
    """Frames per second of the client and of the bare reader, same frames, same run.

    `frames` per batch (plus its end marker), `rounds` batches for each reader; the
    user has `favorites` favorites, whose numbers the phone hints are about.
    """
    return await _with_readers(frames, rounds, favorites, None)


async def profile_throughput(
    directory: Path, frames: int = 2000, rounds: int = 25, favorites: int = 20
) -> None:
    """Profile the client's batches only (a separate pass: the measured one is not)."""
    await _with_readers(frames, rounds, favorites, directory)


async def _with_readers(
    frames: int, rounds: int, favorites: int, profile_dir: Path | None
) -> dict[str, Any]:
    numbers = [favorite_number(index) for index in range(favorites)]
    simulator = XucSimulator(scale_data(favorites))
    await simulator.start()
    try:
        async with aiohttp.ClientSession() as http:
            client = XucClient(http, simulator.url, LOGIN, PASSWORD)
            await client.start()
            try:
                await _wait_subscribed(client, numbers)
                client_session = simulator.sessions[0]
                if profile_dir is not None:
                    mix = FrameMix(numbers)
                    batches = [mix.batch(frames) for _ in range(rounds)]
                    async with profiled(profile_dir, "client_throughput"):
                        for texts, marker in batches:
                            await _client_batch(
                                client, client_session, encode_frames(texts), marker
                            )
                    return {}
                before = simulator.sessions
                token = simulator.issue_token(LOGIN)
                async with http.ws_connect(
                    f"{simulator.url}{CTI_PATH}?token={token}", autoping=False
                ) as ws:
                    await drain_greeting(ws)
                    bare_session = session_of(simulator, before)
                    return await _rounds(
                        client,
                        client_session,
                        ws,
                        bare_session,
                        numbers=numbers,
                        frames=frames,
                        rounds=rounds,
                    )
            finally:
                await client.stop()
    finally:
        await simulator.stop()


async def _rounds(
    client: XucClient,
    client_session: SimSession,
    ws: aiohttp.ClientWebSocketResponse,
    bare_session: SimSession,
    *,
    numbers: list[str],
    frames: int,
    rounds: int,
) -> dict[str, Any]:
    mix = FrameMix(numbers)
    client_fps: list[float] = []
    bare_fps: list[float] = []
    notified: list[int] = []
    for index in range(-1, rounds):  # round -1 warms both readers up, not counted
        texts, marker = mix.batch(frames)
        data = encode_frames(texts)
        order = (0, 1) if index % 2 == 0 else (1, 0)
        for which in order:
            if which == 0:
                seconds, count = await _client_batch(
                    client, client_session, data, marker
                )
                if index >= 0:
                    client_fps.append(len(texts) / seconds)
                    notified.append(count)
            else:
                seconds = await _bare_batch(ws, bare_session, data, len(texts))
                if index >= 0:
                    bare_fps.append(len(texts) / seconds)
    client_median = statistics.median(client_fps)
    bare_median = statistics.median(bare_fps)
    return {
        "frames": frames + 1,
        "rounds": rounds,
        "favorites": len(numbers),
        "client_fps": client_median,
        "bare_fps": bare_median,
        "ratio": client_median / bare_median,
        "client_fps_rounds": client_fps,
        "bare_fps_rounds": bare_fps,
        "notified_per_round": notified,
    }
