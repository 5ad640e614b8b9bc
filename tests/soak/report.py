"""What a soak run counts, and how it is printed (the figures the README reports)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
import json
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 for no value): no interpolation to explain."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Stats:
    """Counters of one run."""

    seed: int
    faults: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    checks_passed: int = 0
    rounds: int = 0
    converge: list[float] = field(default_factory=list)
    """Seconds from a fault's heal to the quiet point where every entity agreed."""
    reconnects: int = 0
    reloads: int = 0
    tasks: tuple[int, int] = (0, 0)
    xuc_tasks: tuple[int, int] = (0, 0)
    objects: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    """The integration's live objects by class, at the start and at the end."""
    memory: list[tuple[float, int]] = field(default_factory=list)
    """(seconds into the run, bytes above the start) of the integration, per quarter."""
    digest: str = ""
    outcomes: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    def summary(self) -> str:
        """The run's figures, one per line."""
        real = {kind: n for kind, n in sorted(self.faults.items()) if kind != "none"}
        times = self.converge
        lines = [
            f"soak seed {self.seed}: {self.rounds} rounds in {self.elapsed:.0f} s, plan digest {self.digest}",
            f"faults: {sum(real.values())} ({', '.join(f'{k} {n}' for k, n in real.items())}); rounds without fault {self.faults['none']}",
            f"actions: {sum(self.actions.values())} ({', '.join(f'{k} {n}' for k, n in sorted(self.actions.items()))})",
            f"quiet-point checks passed: {self.checks_passed}",
            (
                "time to converge after the last fault: "
                f"p50 {percentile(times, 0.5) * 1000:.0f} ms, p99 {percentile(times, 0.99) * 1000:.0f} ms, "
                f"max {max(times, default=0) * 1000:.0f} ms"
            ),
            f"reconnects (WebSocket sessions opened): {self.reconnects}; entry reloads (reauth): {self.reloads}",
            f"tasks: {self.tasks[0]} -> {self.tasks[1]} (the integration's own: {self.xuc_tasks[0]} -> {self.xuc_tasks[1]})",
        ]
        if self.memory:
            at = ", ".join(
                f"{size / 1024:+.0f} KiB at {elapsed / 60:.1f} min"
                for elapsed, size in self.memory
            )
            first, last = self.memory[0][1], self.memory[-1][1]
            lines.append(
                f"memory of custom_components/xivo above the start: {at}; "
                f"after the first quarter: {(last - first) / 1024:+.0f} KiB"
            )
            start, end = self.objects
            changed = sorted(name for name in start | end if start[name] != end[name])
            lines.append(
                f"live objects of the integration: {start.total()} -> {end.total()}"
                + (
                    " ("
                    + ", ".join(f"{n} {start[n]} -> {end[n]}" for n in changed)
                    + ")"
                    if changed
                    else ", each class as many"
                )
            )
        refused = sum(n for k, n in self.outcomes.items() if not k.endswith(": ok"))
        lines.append(
            f"user commands: {sum(self.outcomes.values())}, refused or failed as a user sees it: {refused}"
        )
        return "\n".join(lines)


def journal_tail(journal: list[dict[str, Any]], count: int = 15) -> str:
    """The last frames in and out, one short line each."""
    lines = []
    for item in journal[-count:]:
        name = item.get("msg_type") or item.get("command")
        frame = json.dumps(item.get("frame"), ensure_ascii=False, default=str)
        lines.append(
            f"  {item.get('at')} {item.get('direction'):>3} {name}: {frame[:160]}"
        )
    return "\n".join(lines)
