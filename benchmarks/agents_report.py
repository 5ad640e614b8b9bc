"""The queue-agent rows of the results table (see `agents.py`)."""

from __future__ import annotations

from typing import Any, Final

from .report import LATENCY_P50_MAX_MS, LATENCY_P99_MAX_MS, Row

# A foreign event must cost no state write, and little enough CPU that 1,000 a second
# leave most of a core to the rest of Home Assistant.
FOREIGN_CPU_US_MAX: Final = 100.0

AGENT_ROWS: Final = (
    "Latency, agent state, p50",
    "Latency, agent state, p99",
    "Other agents' events",
)


def agent_rows(results: dict[str, Any]) -> list[Row]:
    """The agent rows, for the results that hold them."""
    rows = []
    latency = results.get("agent_latency")
    if latency is not None:
        for name, limit in (("p50", LATENCY_P50_MAX_MS), ("p99", LATENCY_P99_MAX_MS)):
            value = latency[f"{name}_ms"]
            rows.append(
                Row(
                    f"Latency, agent state, {name}",
                    f"**{value:.2f} ms** ({latency['n']:,} events; max "
                    f"{latency['max_ms']:.2f} ms)",
                    f"≤ {limit:g} ms",
                    value <= limit,
                )
            )
    foreign = results.get("foreign_agents")
    if foreign is not None:
        cpu = foreign["cpu_us_per_event"]
        rows.append(
            Row(
                "Other agents' events",
                f"{foreign['events']:,} events at {foreign['rate']:,.0f}/s, own agent "
                f"idle: **{foreign['writes']} state writes**, **{cpu:.1f} µs CPU per "
                f"event** ({foreign['cpu_s']:.2f} s over an idle run's "
                f"{foreign['idle_cpu_s']:.2f} s)",
                f"0 writes, ≤ {FOREIGN_CPU_US_MAX:g} µs",
                foreign["writes"] == 0 and cpu <= FOREIGN_CPU_US_MAX,
            )
        )
    return rows


def agent_table_lines(results: dict[str, Any]) -> list[str]:
    """The agent rows as Markdown table lines."""
    return [
        f"| {row.name} | {row.measured} | {row.goal} | {row.result} |"
        for row in agent_rows(results)
    ]
