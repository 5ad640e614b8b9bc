"""The soak's loop: rounds of fault, actions and heal, each closed by a model check.

A round injects its fault, runs its actions (server-side changes and user commands,
interleaved with short pauses), heals the fault, runs a few more actions, then waits
for the quiet point: every entity equal to the model (polled), then still equal after
``QUIET`` seconds with nothing happening. The time from the heal to that agreement is
the round's convergence time. A divergence that outlives ``CONVERGE_LIMIT`` ends the
run with a report naming the seed, the round and step, what was expected and shown,
and the last frames of the client's journal.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import time
from typing import TYPE_CHECKING

from custom_components.xivo.xuc import Backoff

from .faults import Faults
from .memory import MemoryWatch
from .model import differences, expected, missed_calls_problem, shown
from .plan import SERVER_WEIGHTS, Action, Plan, Round
from .report import Stats, journal_tail
from .user import UserSide
from .world import ServerSide

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.xivo.xuc import XucClient
    from tests.simulator import XucSimulator

CONVERGE_LIMIT = 6.0
"""Seconds after a heal by which every entity must agree with the model."""

BACKGROUND_SHARE = 0.3
"""The share of user commands left running while the round goes on."""

QUIET = 0.1
"""Seconds of nothing happening that turn an agreement into a quiet-point pass."""


def speed_up(client: XucClient) -> None:
    """Timings a hundredfold faster, so that a fault heals in well under a second.

    Public API only: the client's ``timings`` are read each time they are needed, and
    the back-off is replaceable. A half-open link is found dead within 0.3 s.
    """
    timings = client.timings
    timings.keepalive_interval = 0.05
    timings.dead_after = 0.25
    timings.logged_on_timeout = 0.5
    timings.command_timeout = 0.5
    timings.request_timeout = 1.0
    timings.greeting_timeout = 0.3
    client.agent_confirm_timeout = 0.5
    client.backoff = Backoff(minimum=0.01, maximum=0.05)


def _xuc_tasks() -> int:
    return sum(1 for task in asyncio.all_tasks() if task.get_name().startswith("xuc "))


class SoakDivergenceError(AssertionError):
    """The integration did not converge on what the server holds (see the message)."""


@dataclass
class _Position:
    round: Round | None = None
    step: str = "start"


class Soak:
    """One run: a seed, a duration, a Home Assistant with alice's entry and a simulator."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: MockConfigEntry,
        sim: XucSimulator,
        password: str,
        *,
        seed: int,
        measure_memory: bool = False,
    ) -> None:
        """Prepare; ``run()`` does the work."""
        self.hass, self.entry, self.sim = hass, entry, sim
        self.plan = Plan(seed)
        self.server = ServerSide(sim)
        self.user = UserSide(hass, entry, sim)
        self.faults = Faults(hass, entry, sim, password)
        self.stats = Stats(seed=seed)
        self._measure_memory = measure_memory
        self._client: XucClient | None = None
        self._where = _Position()
        self.converge_limit = CONVERGE_LIMIT
        self._in_flight: set[asyncio.Task[None]] = set()

    @property
    def client(self) -> XucClient:
        """The entry's client (a reauth reloads the entry with a new one)."""
        return self.entry.runtime_data.client

    async def _follow_client(self) -> None:
        """Speed up a new client; its first session is replaced by a fast one.

        A running keepalive sleeps its old period before it reads the new one, so the
        first session (set-up, or the reload of a reauth) is closed once.
        """
        if self.client is not self._client:
            self._client = self.client
            speed_up(self._client)
            await self.sim.close_sessions()

    async def run(self, seconds: float) -> Stats:
        """Run rounds for ``seconds`` (the round under way finishes); return the figures."""
        await self._follow_client()
        await self.check(time.monotonic())
        connects = self.sim.ws_connect_count
        tasks, xuc_tasks = len(asyncio.all_tasks()), _xuc_tasks()
        watch = MemoryWatch(seconds) if self._measure_memory else None
        if watch is not None:
            watch.start()
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            await self._round(self.plan.next_round())
            if watch is not None:
                watch.at(time.monotonic() - started)
        self.stats.elapsed = time.monotonic() - started
        await self.hass.async_block_till_done()
        if watch is not None:
            self.stats.memory = watch.stop(self.stats.elapsed)
            self.stats.objects = watch.objects
        self.stats.tasks = (tasks, len(asyncio.all_tasks()))
        self.stats.xuc_tasks = (xuc_tasks, _xuc_tasks())
        self.stats.reconnects = self.sim.ws_connect_count - connects
        self.stats.reloads = self.faults.reloads
        self.stats.digest = self.plan.digest
        self.stats.outcomes = self.user.ledger.outcomes
        return self.stats

    async def _round(self, round_: Round) -> None:
        self._where = _Position(round_, "inject")
        self.stats.rounds += 1
        self.stats.faults[round_.fault] += 1
        if round_.fault != "none":
            self.server.unsteady()
        await self.faults.inject(round_.fault, round_.strength)
        for index, action in enumerate(round_.during):
            self._where.step = f"during[{index}] {action.kind}"
            await self._act(action)
        self._where.step = "heal"
        await self.faults.heal(round_.fault)
        await self._follow_client()
        healed = time.monotonic()
        for index, action in enumerate(round_.after):
            self._where.step = f"after[{index}] {action.kind}"
            await self._act(action)
        self._where.step = "quiet point"
        converged = await self.check(healed)
        if round_.fault != "none":
            self.stats.converge.append(converged)

    async def _act(self, action: Action) -> None:
        self.stats.actions[action.kind] += 1
        if action.kind in SERVER_WEIGHTS:
            await self.server.run(action)
        elif action.c < BACKGROUND_SHARE:
            # Left in flight: the next change or the fault's heal meets it half-way.
            task = asyncio.create_task(self.user.run(action), name="soak user command")
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        else:
            await self.user.run(action)
        if action.pause:
            await asyncio.sleep(action.pause)

    async def check(self, since: float | None = None) -> float:
        """The quiet-point check: every entity agrees and stays so, the books balance.

        Returns the seconds from ``since`` (default: now) to the agreement; raises
        ``SoakDivergenceError`` when there is none within ``converge_limit``.
        """
        if since is None:
            since = time.monotonic()
        if self._in_flight:  # each is bounded by the user side's COMMAND_TIMEOUT
            await asyncio.gather(*self._in_flight)
        deadline = since + self.converge_limit
        agreed_at: float | None = None
        while True:
            await self.hass.async_block_till_done()
            diff = differences(expected(self.sim), shown(self.hass, self.entry))
            now = time.monotonic()
            if diff:
                agreed_at = None
                if now > deadline:
                    self._diverged(diff)
            elif agreed_at is None:
                agreed_at = now
            elif now - agreed_at >= QUIET:
                break
            await asyncio.sleep(0.02 if agreed_at is None else QUIET / 2)
        self._books()
        self.stats.checks_passed += 1
        self.server.steady = True
        return agreed_at - since

    def _books(self) -> None:
        """No unasked command, no hung command, a plausible missed-calls count."""
        unasked = self.user.ledger.unasked(self.sim.received)
        self.sim.clear_received()
        problems = [f"command no user asked for: {frame}" for frame in unasked]
        problems += [f"command hung: {kind}" for kind in self.user.hangs]
        if (missed := missed_calls_problem(self.hass, self.server.calls)) is not None:
            problems.append(missed)
        if problems:
            self._fail("\n".join(problems))

    def _diverged(self, diff: dict[str, tuple[object, object]]) -> None:
        lines = [
            f"  {key}: expected {want!r}, shown {have!r}"
            for key, (want, have) in sorted(diff.items())
        ]
        self._fail(
            f"no convergence within {self.converge_limit} s of the heal:\n"
            + "\n".join(lines)
        )

    def _fail(self, what: str) -> None:
        where = self._where
        self.stats.digest = self.plan.digest
        round_text = where.round.describe() if where.round else "before the first round"
        raise SoakDivergenceError(
            f"\nSOAK DIVERGENCE seed={self.plan.seed} {round_text}, step {where.step}\n"
            f"{what}\nlast frames of the journal:\n{journal_tail(self.client.journal)}\n"
            f"{self.stats.summary()}"
        )
