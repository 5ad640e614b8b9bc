"""Benchmarks of the xuc client and of the XiVO integration: one table, one run.

1. Client throughput: the xuc client end to end against a bare aiohttp + orjson reader,
   same frames from the same simulator (plain asyncio, no Home Assistant).
2. Push-to-state latency of the presence select and of a favorite sensor,
3. set-up time and peak memory with 1 / 100 / 1,000 favorites, a phone-hint burst, and
4. the directory look-up action against a bare WebSocket round trip: these run under
   Home Assistant's test harness, through pytest on benchmarks/test_ha_bench.py;
5. a queue agent's push-to-state latency and the cost of 1,000 other agents' events a
   second (benchmarks/test_agents_bench.py).

Usage: scripts/bench [--quick] [--only agents] [--sizes 1,100,1000 ...] [--profile DIR] [--json FILE] [--output FILE]
--only agents measures 5 alone and prints its rows (BENCHMARKS.md is left as it is).
A full run writes its table into BENCHMARKS.md (between the file's markers, keeping the
rest); --quick and --profile runs write only where --output says.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from pathlib import Path
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.agents_report import agent_table_lines  # noqa: E402
from benchmarks.client import measure_throughput, profile_throughput  # noqa: E402
from benchmarks.report import machine_info, render_table  # noqa: E402

FULL: dict[str, Any] = {
    "frames": 2000,
    "rounds": 25,
    "latency_events": 1000,
    "sizes": [1, 100, 1000],
    "burst_favorites": 1000,
    "burst_events": 1000,
    "lookups": 1000,
}
QUICK: dict[str, Any] = {
    "frames": 500,
    "rounds": 5,
    "latency_events": 100,
    "sizes": [1, 10, 100],
    "burst_favorites": 100,
    "burst_events": 100,
    "lookups": 100,
}


def parse_args() -> argparse.Namespace:
    """Command-line options; sizes default to the full run's or the quick run's."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes (~15 s)")
    parser.add_argument(
        "--only", choices=["agents"], help="measure only the queue-agent rows"
    )
    parser.add_argument("--frames", type=int, help="frames per throughput batch")
    parser.add_argument("--rounds", type=int, help="throughput batches per reader")
    parser.add_argument("--latency-events", type=int, help="events per latency series")
    parser.add_argument(
        "--sizes", help="favorite counts for set-up, comma-separated (e.g. 1,100,1000)"
    )
    parser.add_argument("--burst-favorites", type=int, help="favorites in the burst")
    parser.add_argument("--burst-events", type=int, help="phone-hint events in it")
    parser.add_argument("--lookups", type=int, help="directory look-ups per path")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also profile each measurement (pyinstrument if installed, else "
        "cProfile) into DIR",
    )
    parser.add_argument("--json", type=Path, help="save the raw results here")
    parser.add_argument(
        "--output",
        type=Path,
        help="write the table here (default: BENCHMARKS.md for a full run)",
    )
    return parser.parse_args()


def config_from(args: argparse.Namespace) -> dict[str, Any]:
    """The sizes of this run."""
    config = dict(QUICK if args.quick else FULL)
    for key in (
        "frames",
        "rounds",
        "latency_events",
        "burst_favorites",
        "burst_events",
        "lookups",
    ):
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    if args.sizes:
        config["sizes"] = sorted({int(size) for size in args.sizes.split(",")})
    if args.profile:
        config["profile_dir"] = str(args.profile.resolve())
    return config


HA_BENCHES = ["benchmarks/test_ha_bench.py", "benchmarks/test_agents_bench.py"]


def run_home_assistant_half(
    config: dict[str, Any], files: list[str] = HA_BENCHES
) -> dict[str, Any]:
    """Run these benchmark files under pytest; return what their tests recorded."""
    with tempfile.TemporaryDirectory(prefix="xivo-bench-") as directory:
        out = Path(directory) / "ha.json"
        env = {
            **os.environ,
            "XIVO_BENCH_OUT": str(out),
            "XIVO_BENCH_CONFIG": json.dumps(config),
        }
        command = [
            str(Path(sys.executable).with_name("pytest")),
            *files,
            "-p",
            "no:cacheprovider",
            "--no-cov",
            "-s",
            "-q",
            "--timeout=3600",
        ]
        completed = subprocess.run(  # noqa: S603 - our own interpreter's pytest
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0 or not out.exists():
            sys.stderr.write(completed.stdout[-8000:] + completed.stderr[-4000:])
            raise SystemExit(f"the Home Assistant benchmarks failed ({command})")
        results: dict[str, Any] = json.loads(out.read_text())
        return results


def main() -> int:
    """Measure everything, print the table, write it where asked."""
    args = parse_args()
    config = config_from(args)
    results: dict[str, Any] = {"machine": machine_info(), "config": config}
    if args.only == "agents":
        results.update(run_home_assistant_half(config, HA_BENCHES[1:]))
        print("\n".join(agent_table_lines(results)))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 0
    if args.profile:
        print(
            f"Profiling into {args.profile}: the Home Assistant numbers below are "
            "measured under the profiler (slower than a plain run).",
            file=sys.stderr,
        )
    started = time.monotonic()

    print("1/2 client throughput...", file=sys.stderr)
    results["throughput"] = asyncio.run(
        measure_throughput(config["frames"], config["rounds"])
    )
    if args.profile:
        asyncio.run(
            profile_throughput(args.profile, config["frames"], config["rounds"])
        )

    print("2/2 Home Assistant (latency, scale, look-up)...", file=sys.stderr)
    results.update(run_home_assistant_half(config))
    results["seconds"] = time.monotonic() - started

    table = "\n".join([render_table(results), *agent_table_lines(results)])
    print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    plain_full_run = not args.quick and not args.profile
    output = args.output or (ROOT / "BENCHMARKS.md" if plain_full_run else None)
    if output is not None:
        write_markdown(output, table, config, full=not args.quick)
        print(f"Wrote {output}", file=sys.stderr)
    return 0


START = "<!-- scripts/bench: start -->"
END = "<!-- scripts/bench: end -->"


def write_markdown(
    path: Path, table: str, config: dict[str, Any], *, full: bool
) -> None:
    """Put the table between the file's markers; what surrounds them is kept."""
    sizes = {key: value for key, value in config.items() if key != "profile_dir"}
    block = (
        f"{START}\nLatest {'full' if full else 'quick'} run of `scripts/bench"
        f"{'' if full else ' --quick'}`, {time.strftime('%Y-%m-%d %H:%M %Z')}; sizes "
        f"`{json.dumps(sizes)}`.\n\n{table}\n{END}"
    )
    text = path.read_text() if path.exists() else ""
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = f"# Benchmarks\n\n{block}\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
