"""Smoke test of the benchmarks (scripts/bench): every measurement runs, on tiny sizes.

No timing is asserted: this only proves the benchmark code still works against the
current client, integration and simulator, and that the table has all its rows.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from benchmarks import ha
from benchmarks.client import measure_throughput
from benchmarks.report import ROWS, build_rows, machine_info, render_table


async def test_benchmarks_run_and_fill_the_table(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    """Each benchmark on tiny sizes, then the table from their results."""
    sizes = (1, 2, 3)
    results = {
        "machine": machine_info(),
        "throughput": await measure_throughput(frames=40, rounds=2, favorites=3),
        "latency": await ha.measure_latency(hass, events=4, warmup=1, gap=0),
        "setup_time": {str(size): await ha.measure_setup(hass, size) for size in sizes},
        "setup_memory": {
            str(size): await ha.measure_setup(hass, size, trace_memory=True)
            for size in sizes
        },
        "burst": await ha.measure_burst(hass, favorites=3, events=8),
        "directory": await ha.measure_directory(hass, calls=3, warmup=1),
    }

    # One notification per read burst: at least one per round, at most one per frame.
    rounds = results["throughput"]["notified_per_round"]
    assert len(rounds) == 2
    assert all(1 <= notified <= 41 for notified in rounds)
    burst = results["burst"]
    # A write per state change at most (fewer when hints of one burst coalesce), and
    # at least one per sensor whose state differs at the end.
    assert burst["net_changes"] <= burst["sensor_writes"] <= burst["state_changes"]
    # The account's other entities are written once, for the closing status change
    # (the marker the burst waits for), never for the phone hints before it.
    assert set(burst["other_writes"].values()) == {1}
    assert results["directory"]["rows"] > 0

    rows = build_rows(results)
    assert [row.name for row in rows] == list(ROWS)
    assert all(row.result in {"PASS", "MISS"} for row in rows)
    table = render_table(results)
    assert table.startswith("Machine: ")
    for name in ROWS:
        assert f"| {name} |" in table
