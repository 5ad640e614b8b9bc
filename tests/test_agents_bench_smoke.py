"""Smoke test of the queue-agent benchmarks (scripts/bench --only agents), tiny sizes.

No timing is asserted, but the foreign-agents run must write no state: that is what
the benchmark's row claims.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from benchmarks import agents
from benchmarks.agents_report import AGENT_ROWS, agent_rows


async def test_agent_benchmarks_run_and_fill_their_rows(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """Latency and foreign events on tiny sizes, then the rows from their results."""
    results = {
        "agent_latency": await agents.measure_agent_latency(
            hass, events=4, warmup=1, gap=0
        ),
        "foreign_agents": await agents.measure_foreign_agents(
            hass, rate=200, seconds=0.2, slices=20
        ),
    }
    assert results["agent_latency"]["n"] == 4
    foreign = results["foreign_agents"]
    assert foreign["events"] == 40
    assert foreign["writes"] == 0
    assert [row.name for row in agent_rows(results)] == list(AGENT_ROWS)
