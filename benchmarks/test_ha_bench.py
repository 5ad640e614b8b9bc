"""The Home Assistant half of `scripts/bench`, under Home Assistant's test harness.

Run only by `scripts/bench` (it sets XIVO_BENCH_OUT and XIVO_BENCH_CONFIG): each test
measures in a fresh Home Assistant and merges its result into the JSON file named by
XIVO_BENCH_OUT. Outside `tests/`, so the normal suite never collects it; skipped when
named without those variables.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Import the project's package first, so the plugin's testing_config cannot shadow it.
import custom_components.xivo  # noqa: F401

from . import ha
from .profiling import profiled

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Iterator

    from homeassistant.core import HomeAssistant

OUT_ENV = "XIVO_BENCH_OUT"
CONFIG_ENV = "XIVO_BENCH_CONFIG"

CONFIG: dict[str, Any] = json.loads(os.environ.get(CONFIG_ENV) or "{}")
SIZES: list[int] = CONFIG.get("sizes", [1, 100, 1000])

pytestmark = pytest.mark.skipif(
    OUT_ENV not in os.environ, reason="benchmarks run through scripts/bench"
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from custom_components/."""


@pytest.fixture(autouse=True)
def enable_event_loop_debug(event_loop: asyncio.AbstractEventLoop) -> None:
    """Measure with the event loop as Home Assistant runs it: not in debug mode.

    Overrides the harness's fixture of the same name, which turns debug mode on.
    """
    event_loop.set_debug(False)


async def run(name: str, measurement: Awaitable[Any]) -> Any:
    """Await a measurement, under the profiler when XIVO_BENCH_CONFIG asks for it."""
    directory = CONFIG.get("profile_dir")
    if not directory:
        return await measurement
    async with profiled(Path(directory), name):
        return await measurement


@pytest.fixture(autouse=True)
def production_log_level() -> Iterator[None]:
    """Log at WARNING, as Home Assistant does unless started with --verbose.

    The harness logs at INFO into pytest's capture, which would put the cost of
    formatting and storing one "Registered new entity" record per entity into set-up.
    """
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    yield
    root.setLevel(level)


def record(key: str, value: Any) -> None:
    """Merge one result into the output file (tests run one after the other)."""
    path = Path(os.environ[OUT_ENV])
    results = json.loads(path.read_text()) if path.exists() else {}
    if isinstance(results.get(key), dict) and isinstance(value, dict):
        results[key].update(value)
    else:
        results[key] = value
    path.write_text(json.dumps(results, indent=2))


async def test_latency(hass: HomeAssistant, socket_enabled: None) -> None:
    """Push-to-state latency of the presence select and of a favorite sensor."""
    record(
        "latency",
        await run(
            "latency",
            ha.measure_latency(
                hass,
                events=CONFIG.get("latency_events", 1000),
                gap=CONFIG.get("latency_gap", 0.001),
            ),
        ),
    )


@pytest.mark.parametrize("favorites", SIZES)
async def test_setup_time(
    hass: HomeAssistant, socket_enabled: None, favorites: int
) -> None:
    """Set-up time with that many favorites."""
    result = await run(f"setup_{favorites}", ha.measure_setup(hass, favorites))
    record("setup_time", {str(favorites): result})


@pytest.mark.parametrize("favorites", SIZES)
async def test_setup_memory(
    hass: HomeAssistant, socket_enabled: None, favorites: int
) -> None:
    """Set-up peak memory (tracemalloc) with that many favorites."""
    result = await ha.measure_setup(hass, favorites, trace_memory=True)
    record("setup_memory", {str(favorites): result})


async def test_burst(hass: HomeAssistant, socket_enabled: None) -> None:
    """A phone-hint burst across many favorites: time and state writes."""
    record(
        "burst",
        await run(
            "burst",
            ha.measure_burst(
                hass,
                favorites=CONFIG.get("burst_favorites", 1000),
                events=CONFIG.get("burst_events", 1000),
            ),
        ),
    )


async def test_directory(hass: HomeAssistant, socket_enabled: None) -> None:
    """Directory look-up through the action against a bare WebSocket round trip."""
    record(
        "directory",
        await run(
            "directory",
            ha.measure_directory(hass, calls=CONFIG.get("lookups", 1000)),
        ),
    )
