"""The integration inside Home Assistant: push latency, scale, and the look-up action.

Each function takes a running `hass` (from the test harness), starts its own simulator
and config entry, measures, then unloads and removes the entry and stops the simulator,
so several can run one after the other in one Home Assistant.
"""

from __future__ import annotations

import asyncio
from collections import Counter
import contextlib
import gc
import itertools
import random
import statistics
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

import aiohttp
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import orjson
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.xuc.models import PHONE_STATE_BY_CODE
from tests.simulator import SimData, default_data

from .common import (
    CTI_PATH,
    LINE_NUMBER,
    LOGIN,
    PASSWORD,
    HintHoldingSimulator,
    drain_greeting,
    encode_frames,
    envelope,
    favorite_number,
    scale_data,
    session_of,
    summary_ms,
    write_raw,
    ws_text_frame,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from custom_components.xivo.coordinator import XivoCoordinator
    from tests.simulator import SimSession

_TIMEOUT = 300.0
# Entities of an account besides its favorites (selects, switches, texts, sensors...).
_ACCOUNT_ENTITIES = 16
_entry_ids = itertools.count(1)

# Codes of the burst: named states, and two codes Home Assistant shows alike (unknown),
# so that some events change a code but not a state.
_BURST_CODES = (0, 2, 8, -2, -99)


class _Setup:
    """A simulator and an entry for it, set up in `hass`."""

    def __init__(
        self, hass: HomeAssistant, data: SimData, *, hold_hints: bool = False
    ) -> None:
        self.hass = hass
        self.simulator = HintHoldingSimulator(data, hold_hints=hold_hints)
        self._entry: MockConfigEntry | None = None

    @property
    def entry(self) -> MockConfigEntry:
        """The config entry (once `start()` added it)."""
        if self._entry is None:
            raise RuntimeError("the entry was not added yet")
        return self._entry

    async def start(self) -> MockConfigEntry:
        """Start the simulator and add (not set up) the entry."""
        await self.simulator.start()
        self._entry = MockConfigEntry(
            domain=DOMAIN,
            title="Alice Johnson",
            unique_id=f"alice@bench-{next(_entry_ids)}",
            data={
                CONF_URL: self.simulator.url,
                CONF_VERIFY_SSL: True,
                CONF_USERNAME: LOGIN,
                CONF_PASSWORD: PASSWORD,
            },
        )
        self.entry.add_to_hass(self.hass)
        return self.entry

    async def setup_entry(self) -> None:
        """Set the entry up and let Home Assistant settle."""
        if not await self.hass.config_entries.async_setup(self.entry.entry_id):
            raise RuntimeError("the entry did not set up")
        await self.hass.async_block_till_done()

    @property
    def coordinator(self) -> XivoCoordinator:
        coordinator: XivoCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    def entity_id(self, domain: str, key: str) -> str:
        """The entity id of one of the entry's entities, by its unique-id key."""
        entity_id = er.async_get(self.hass).async_get_entity_id(
            domain, DOMAIN, f"{self.entry.unique_id}_{key}"
        )
        if entity_id is None:
            raise RuntimeError(f"no {domain} entity with key {key}")
        return entity_id

    def entity_ids(self, *, disabled: bool = False) -> set[str]:
        """The entry's enabled entities (with `disabled`, the disabled ones too)."""
        return {
            entity.entity_id
            for entity in er.async_entries_for_config_entry(
                er.async_get(self.hass), self.entry.entry_id
            )
            if disabled or not entity.disabled
        }

    async def entities_ready(self, count: int) -> None:
        """Wait until the entry has `count` entities, each enabled one with a state."""
        async with asyncio.timeout(_TIMEOUT):
            while True:
                await self.hass.async_block_till_done()
                enabled = self.entity_ids()
                if len(self.entity_ids(disabled=True)) >= count and all(
                    self.hass.states.get(e) for e in enabled
                ):
                    return
                await asyncio.sleep(0.001)

    async def settled(self, numbers: list[str]) -> None:
        """Wait until the hint of every number arrived and every entity has a state."""
        async with asyncio.timeout(_TIMEOUT):
            while True:
                hints = self.coordinator.client.snapshot.phone_hints
                if all(number in hints for number in numbers):
                    break
                await asyncio.sleep(0.001)
            await self.hass.async_block_till_done()
            while not self._all_have_states():  # noqa: ASYNC110 - polling the states
                await asyncio.sleep(0.001)

    def _all_have_states(self) -> bool:
        return all(self.hass.states.get(e) is not None for e in self.entity_ids())

    async def stop(self) -> None:
        """Unload and remove the entry, stop the simulator."""
        if self._entry is not None:
            await self.hass.config_entries.async_remove(self._entry.entry_id)
            await self.hass.async_block_till_done()
        await self.simulator.stop()


@contextlib.asynccontextmanager
async def _running(
    hass: HomeAssistant, data: SimData, *, hold_hints: bool = False
) -> AsyncIterator[_Setup]:
    setup = _Setup(hass, data, hold_hints=hold_hints)
    try:
        await setup.start()
        yield setup
    finally:
        await setup.stop()


def _listen_writes(
    hass: HomeAssistant,
    entity_ids: set[str] | Callable[[], set[str]],
    on_write: Callable[[str, bool], None],
) -> Callable[[], None]:
    """Call `on_write(entity_id, changed)` for each state write of those entities.

    A write that changes nothing fires `state_reported`, one that changes the state or
    its attributes `state_changed`: together they count every `async_write_ha_state`.
    """

    def wanted(data: Any) -> bool:
        ids = entity_ids() if callable(entity_ids) else entity_ids
        return bool(data["entity_id"] in ids)

    @callback
    def changed(event: Event[Any]) -> None:
        on_write(event.data["entity_id"], True)

    @callback
    def reported(event: Event[Any]) -> None:
        on_write(event.data["entity_id"], False)

    removers = [
        hass.bus.async_listen(
            EVENT_STATE_CHANGED, changed, event_filter=callback(wanted)
        ),
        hass.bus.async_listen(
            EVENT_STATE_REPORTED, reported, event_filter=callback(wanted)
        ),
    ]

    def remove() -> None:
        for remover in removers:
            remover()

    return remove


# ---------------------------------------------------------------------- latency


async def measure_latency(
    hass: HomeAssistant, events: int = 1000, warmup: int = 50, gap: float = 0.001
) -> dict[str, Any]:
    """Frame written by the simulator → `state_changed`, for two entities.

    The presence select and a favorite sensor, one event at a time, with `gap` seconds
    of idle loop between events (the first `warmup` events are not counted).
    """
    async with _running(hass, default_data()) as setup:
        await setup.setup_entry()
        await setup.settled(["1002"])
        session = setup.simulator.sessions[0]
        select_id = setup.entity_id("select", "status")
        sensor_id = setup.entity_id("sensor", "favorite_internal/3")
        cases = {
            "select": (
                select_id,
                [
                    ws_text_frame(envelope("UserStatusUpdate", {"status": name}))
                    for name in ("away", "available")
                ],
            ),
            "sensor": (
                sensor_id,
                [
                    ws_text_frame(
                        envelope(
                            "PhoneHintStatusEvent", {"number": "1002", "status": c}
                        )
                    )
                    for c in (2, 0)
                ],
            ),
        }
        results: dict[str, Any] = {}
        for name, (entity_id, frames) in cases.items():
            samples = await _latency_samples(
                hass, session, entity_id, frames, count=events + warmup, gap=gap
            )
            results[name] = {"entity_id": entity_id, **summary_ms(samples[warmup:])}
        return results


async def _latency_samples(
    hass: HomeAssistant,
    session: SimSession,
    entity_id: str,
    frames: list[bytes],
    *,
    count: int,
    gap: float,
) -> list[float]:
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.Future[float]] = []

    def on_write(_entity_id: str, changed: bool) -> None:
        now = time.perf_counter()
        if changed and waiting and not waiting[0].done():
            waiting[0].set_result(now)

    remove = _listen_writes(hass, {entity_id}, on_write)
    samples: list[float] = []
    try:
        for index in range(count):
            future: asyncio.Future[float] = loop.create_future()
            waiting[:] = [future]
            start = time.perf_counter()
            write_raw(session, frames[index % len(frames)])
            async with asyncio.timeout(_TIMEOUT):
                end = await future
            samples.append(end - start)
            await hass.async_block_till_done()
            await asyncio.sleep(gap)
    finally:
        remove()
    return samples


# ---------------------------------------------------------------------- scale


async def measure_setup(
    hass: HomeAssistant, favorites: int, *, trace_memory: bool = False
) -> dict[str, Any]:
    """Time (or, with `trace_memory`, tracemalloc peak) to set up an entry.

    With `favorites` favorites, in two deterministic phases:

    1. Entities: from `async_setup` until every entity of the entry has a state; the
       simulator holds its answer to the favorites' phone-hint subscription meanwhile.
    2. Hints: from releasing that answer (one `PhoneHintStatusEvent` per favorite, all
       idle, as the favorites' rows said) until the client holds every hint and Home
       Assistant is idle. No state changes here: it is pure fan-out.
    """
    numbers = [favorite_number(index) for index in range(favorites)] + [LINE_NUMBER]
    async with _running(hass, scale_data(favorites), hold_hints=True) as setup:
        expected_entities = favorites + _ACCOUNT_ENTITIES
        gc.collect()
        if trace_memory:
            tracemalloc.start()
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            await setup.setup_entry()
            await setup.entities_ready(expected_entities)
            entities_at, entities_cpu = time.perf_counter(), time.process_time()
            setup.simulator.release_hints()
            await setup.settled(numbers)
            end, end_cpu = time.perf_counter(), time.process_time()
            if trace_memory:
                current, peak = tracemalloc.get_traced_memory()
        finally:
            if trace_memory:
                tracemalloc.stop()
        result: dict[str, Any] = {
            "favorites": favorites,
            "entities": len(setup.entity_ids()),
            "seconds": end - start,
            "cpu_seconds": end_cpu - cpu_start,
            "entities_seconds": entities_at - start,
            "entities_cpu_seconds": entities_cpu - cpu_start,
            "hints_seconds": end - entities_at,
            "hints_cpu_seconds": end_cpu - entities_cpu,
        }
        if trace_memory:
            result["peak_bytes"] = peak - base
            result["retained_bytes"] = current - base
        return result


async def measure_burst(
    hass: HomeAssistant, favorites: int = 1000, events: int = 1000, seed: int = 7
) -> dict[str, Any]:
    """A burst of phone-hint events across the favorites.

    Measures how long it takes, and counts state writes against the events that changed
    what a sensor shows (the first pass gives each favorite one event, the rest are
    random; some keep the code, some change it without changing the state).
    """
    numbers = [favorite_number(index) for index in range(favorites)]
    data = scale_data(favorites)
    # One favorite in five starts without a hint (-2, shown as unknown): an event with
    # -99 then changes its code but not what its sensor shows.
    for number in numbers[::5]:
        data.phone_states[number] = -2
    async with _running(hass, data) as setup:
        await setup.setup_entry()
        await setup.settled([*numbers, LINE_NUMBER])
        session = setup.simulator.sessions[0]
        select_id = setup.entity_id("select", "status")
        sensor_ids = {
            setup.entity_id("sensor", f"favorite_internal/{100 + index}")
            for index in range(favorites)
        }
        # Plan the burst; count what it changes, from the codes the sensors start with.
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        codes = {number: data.phone_state(number) for number in numbers}
        initial = dict(codes)
        texts: list[str] = []
        code_changes = state_changes = 0
        for index in range(events):
            number = numbers[index % favorites] if index < favorites else None
            number = number or rng.choice(numbers)
            code = rng.choice(_BURST_CODES)
            code_changes += code != codes[number]
            state_changes += PHONE_STATE_BY_CODE.get(code) != PHONE_STATE_BY_CODE.get(
                codes[number]
            )
            codes[number] = code
            texts.append(
                envelope("PhoneHintStatusEvent", {"number": number, "status": code})
            )
        # Sensors whose state differs at the end: the fewest writes a coalescing
        # client could make (frames read in one burst are published as one snapshot).
        net_changes = sum(
            PHONE_STATE_BY_CODE.get(codes[number])
            != PHONE_STATE_BY_CODE.get(initial[number])
            for number in numbers
        )
        marker = "away"
        texts.append(envelope("UserStatusUpdate", {"status": marker}))
        data = encode_frames(texts)

        writes: Counter[str] = Counter()
        loop = asyncio.get_running_loop()
        done: asyncio.Future[float] = loop.create_future()
        all_ids = setup.entity_ids()

        def on_write(entity_id: str, changed: bool) -> None:
            writes[entity_id] += 1
            if entity_id == select_id and changed and not done.done():
                done.set_result(time.perf_counter())

        remove = _listen_writes(hass, all_ids, on_write)
        try:
            start, cpu_start = time.perf_counter(), time.process_time()
            write_raw(session, data)
            async with asyncio.timeout(_TIMEOUT):
                end = await done
            cpu_seconds = time.process_time() - cpu_start
            await hass.async_block_till_done()
        finally:
            remove()
        sensor_writes = sum(writes[entity_id] for entity_id in sensor_ids)
        # Other entities: written by the closing status change only (once each).
        other_writes = {
            entity_id: count
            for entity_id, count in writes.items()
            if entity_id not in sensor_ids and entity_id != select_id
        }
        return {
            "favorites": favorites,
            "events": events,
            "code_changes": code_changes,
            "state_changes": state_changes,
            "net_changes": net_changes,
            "sensor_writes": sensor_writes,
            "select_writes": writes[select_id],
            "other_writes": other_writes,
            "seconds": end - start,
            "cpu_seconds": cpu_seconds,
        }


# ---------------------------------------------------------------------- directory


async def measure_directory(
    hass: HomeAssistant, calls: int = 1000, warmup: int = 50, term: str = "e"
) -> dict[str, Any]:
    """Round trip of `xivo.directory_lookup` against a bare WebSocket one.

    The bare one sends `directoryLookUp` and waits for `DirectoryResult` on its own
    WebSocket to the same simulator; the two alternate, `warmup` pairs not counted.
    """
    async with _running(hass, default_data()) as setup:
        await setup.setup_entry()
        entry_id = setup.entry.entry_id
        simulator = setup.simulator
        before = simulator.sessions
        token = simulator.issue_token(LOGIN)
        request = orjson.dumps(
            {"claz": "web", "command": "directoryLookUp", "term": term}
        ).decode()
        loads = orjson.loads
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(
                f"{simulator.url}{CTI_PATH}?token={token}", autoping=False
            ) as ws,
        ):
            await drain_greeting(ws)
            session_of(simulator, before)

            async def action() -> int:
                response = await hass.services.async_call(
                    DOMAIN,
                    "directory_lookup",
                    {"config_entry_id": entry_id, "term": term},
                    blocking=True,
                    return_response=True,
                )
                contacts = (response or {}).get("contacts")
                return len(contacts) if isinstance(contacts, list) else -1

            async def bare() -> int:
                await ws.send_str(request)
                while True:
                    message = loads((await ws.receive()).data)
                    if message["msgType"] == "DirectoryResult":
                        return len(message["ctiMessage"]["entries"])

            action_samples: list[float] = []
            bare_samples: list[float] = []
            rows: set[int] = set()
            for index in range(warmup + calls):
                order = (action, bare) if index % 2 == 0 else (bare, action)
                for call in order:
                    start = time.perf_counter()
                    async with asyncio.timeout(_TIMEOUT):
                        rows.add(await call())
                    elapsed = time.perf_counter() - start
                    if index >= warmup:
                        (action_samples if call is action else bare_samples).append(
                            elapsed
                        )
        if len(rows) != 1:
            raise RuntimeError(f"the two paths found different rows: {rows}")
        action_stats = summary_ms(action_samples)
        bare_stats = summary_ms(bare_samples)
        return {
            "term": term,
            "rows": rows.pop(),
            "action": action_stats,
            "bare": bare_stats,
            "ratio": action_stats["p50_ms"] / bare_stats["p50_ms"],
            "ratio_mean": statistics.fmean(action_samples)
            / statistics.fmean(bare_samples),
        }
