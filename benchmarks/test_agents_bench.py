"""The queue-agent half of `scripts/bench`: latency and other agents' events.

Like `test_ha_bench.py` (whose fixtures and recorder it uses), run only by
`scripts/bench`, and skipped when named without its variables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import agents
from .test_ha_bench import (  # noqa: F401 - the fixtures apply to this module too
    CONFIG,
    auto_enable_custom_integrations,
    enable_event_loop_debug,
    production_log_level,
    pytestmark,
    record,
    run,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


async def test_agent_latency(hass: HomeAssistant, socket_enabled: None) -> None:
    """Push-to-state latency of the agent-state sensor."""
    record(
        "agent_latency",
        await run(
            "agent_latency",
            agents.measure_agent_latency(
                hass,
                events=CONFIG.get("latency_events", 1000),
                gap=CONFIG.get("latency_gap", 0.001),
            ),
        ),
    )


async def test_foreign_agents(hass: HomeAssistant, socket_enabled: None) -> None:
    """Other agents' events at 1,000 per second: no state write, CPU per event."""
    record(
        "foreign_agents",
        await run(
            "foreign_agents",
            agents.measure_foreign_agents(
                hass,
                rate=CONFIG.get("foreign_rate", 1000),
                seconds=CONFIG.get("foreign_seconds", 5.0),
            ),
        ),
    )
