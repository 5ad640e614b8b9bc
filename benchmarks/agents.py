"""Queue agents inside Home Assistant: push latency, and the cost of other agents' events.

A server without a supervisor profile pushes every agent's `AgentStateEvent` (protocol
reference §12.8): on a busy contact center that is hundreds per second, none of which
concerns the user. The client drops them before any snapshot is made; these numbers
show what that costs and that Home Assistant writes no state for them.

The user is made an agent by a pushed `UserConfigUpdate` (its `agentId`), and agent
events are written raw on the simulator's socket, as the other benchmarks do.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import TYPE_CHECKING, Any, Final

from tests.simulator import default_data

from .common import encode_frames, envelope, summary_ms, write_raw, ws_text_frame
from .ha import _latency_samples, _listen_writes, _running

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from tests.simulator import SimSession

    from .ha import _Setup

OWN_AGENT: Final = 12
_TIMEOUT: Final = 60.0
_STATES: Final = ("AgentReady", "AgentOnPause", "AgentOnCall", "AgentLoggedOut")


def _agent_event(agent_id: int, name: str, **fields: Any) -> str:
    return envelope(
        "AgentStateEvent",
        {"agentId": agent_id, "name": name, "phoneNb": "1000", "since": 0, **fields},
    )


async def _as_agent(setup: _Setup) -> tuple[SimSession, str]:
    """Make the user an agent in state ready; the session and the state sensor's id."""
    await setup.setup_entry()
    session = setup.simulator.sessions[0]
    write_raw(
        session, ws_text_frame(envelope("UserConfigUpdate", {"agentId": OWN_AGENT}))
    )
    write_raw(session, ws_text_frame(_agent_event(OWN_AGENT, "AgentReady")))
    async with asyncio.timeout(_TIMEOUT):
        while True:
            await setup.hass.async_block_till_done()
            try:
                entity_id = setup.entity_id("sensor", "agent_state")
            except RuntimeError:
                entity_id = None
            state = setup.hass.states.get(entity_id) if entity_id else None
            if entity_id and state is not None and state.state == "ready":
                return session, entity_id
            await asyncio.sleep(0.001)


async def measure_agent_latency(
    hass: HomeAssistant, events: int = 1000, warmup: int = 50, gap: float = 0.001
) -> dict[str, Any]:
    """Own `AgentStateEvent` written by the simulator → the agent state's `state_changed`."""
    async with _running(hass, default_data()) as setup:
        session, entity_id = await _as_agent(setup)
        frames = [
            ws_text_frame(_agent_event(OWN_AGENT, "AgentOnPause", cause="outtolunch")),
            ws_text_frame(_agent_event(OWN_AGENT, "AgentReady")),
        ]
        samples = await _latency_samples(
            hass, session, entity_id, frames, count=events + warmup, gap=gap
        )
        return {"entity_id": entity_id, **summary_ms(samples[warmup:])}


async def measure_foreign_agents(
    hass: HomeAssistant, rate: int = 1000, seconds: float = 5.0, slices: int = 100
) -> dict[str, Any]:
    """Other agents' events at `rate` per second while the own agent is idle.

    The events are written in `slices` writes per second, for `seconds`. CPU per
    event is the process's CPU time over the run minus that of as long an idle run
    (the event loop, the simulator and Home Assistant's own timers), per event.
    """
    async with _running(hass, default_data()) as setup:
        session, _entity_id = await _as_agent(setup)
        writes: list[str] = []
        remove = _listen_writes(
            hass, setup.entity_ids, lambda entity_id, _changed: writes.append(entity_id)
        )
        try:
            idle = await _cpu_over(seconds, lambda: None, slices)
            rng = random.Random(7)  # noqa: S311 - test data, not secrets
            per_slice = max(rate // slices, 1)
            # A second's worth of slices, encoded before the clock runs.
            ready = [
                encode_frames(
                    _agent_event(
                        rng.randrange(100, 1100),
                        rng.choice(_STATES),
                        cause="outtolunch",
                        queues=[1, 2],
                    )
                    for _ in range(per_slice)
                )
                for _ in range(slices)
            ]
            sent = 0

            def push() -> None:
                nonlocal sent
                write_raw(session, ready[sent // per_slice % slices])
                sent += per_slice

            busy = await _cpu_over(seconds, push, slices)
            await hass.async_block_till_done()
        finally:
            remove()
        cpu = max(busy["cpu"] - idle["cpu"], 0.0)
        return {
            "events": sent,
            "rate": sent / busy["wall"],
            "writes": len(writes),
            "cpu_s": cpu,
            "cpu_us_per_event": cpu / sent * 1e6 if sent else 0.0,
            "idle_cpu_s": idle["cpu"],
        }


async def _cpu_over(seconds: float, step: Any, slices: int) -> dict[str, float]:
    """Run `step()` `slices` times a second for `seconds`; the CPU and wall time spent."""
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    period = 1.0 / slices
    for index in range(round(seconds * slices)):
        step()
        delay = start_wall + (index + 1) * period - time.perf_counter()
        await asyncio.sleep(max(delay, 0.0))
    await asyncio.sleep(0.05)  # let the last slice be read and applied
    return {
        "cpu": time.process_time() - start_cpu,
        "wall": time.perf_counter() - start_wall,
    }
