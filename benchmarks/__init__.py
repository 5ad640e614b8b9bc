"""Benchmarks of the xuc client and of the XiVO integration (run by `scripts/bench`).

`common` holds the data sets, frame streams and raw bursts; `client` measures the client
library alone; `ha` measures the integration inside Home Assistant; `report` turns the
results into the table. `test_ha_bench.py` runs the `ha` part under Home Assistant's test
harness; it is outside `tests/`, so the normal suite never runs it.
"""
