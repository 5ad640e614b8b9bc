"""The integration's memory over a soak, read at the quarters of the run.

The figure is what `tracemalloc` traces to `custom_components/xivo` (allocations made
there and still alive), above what it was at the start. Two things would blur it, and
are taken out or shown for what they are:

- The test harness's storage mocks (pytest-homeassistant-custom-component patches
  `Store`'s load, write and remove with autospec mocks) record every call: each `Store`
  the integration created, and each dictionary it wrote, stays alive in the mocks'
  call records for the whole test — a reload creates new stores, so this grows with
  every reload and every write. In Home Assistant nothing keeps them. The records are
  emptied before each reading.
- Bounded buffers fill up at first (the protocol journal's 200 frames, the call-back
  list's 100 items, the once-logged kinds): growth until they are full is expected.
  Readings at each quarter tell a buffer filling (growth that flattens) from a leak
  (growth that goes on).

Beside the bytes, the watch counts the integration's live objects by class (clients,
coordinators, entities, stores…) at the start and at the end: after dozens of reloads
and hundreds of reconnects, one of each that should be one is the plainer proof.
"""

from __future__ import annotations

from collections import Counter
import gc
import tracemalloc
from typing import Any

from homeassistant.helpers.storage import Store

OURS = (
    tracemalloc.Filter(inclusive=True, filename_pattern="*/custom_components/xivo/*"),
)
_HARNESS_MOCKED = ("_async_load", "_async_write_data", "async_remove")


def forget_harness_calls() -> None:
    """Empty the call records of the harness's `Store` mocks (see the module)."""
    for name in _HARNESS_MOCKED:
        reset: Any = getattr(getattr(Store, name), "reset_mock", None)
        if reset is not None:
            reset()


def traced_size() -> int:
    """Bytes traced to the integration and still alive, once garbage is collected."""
    forget_harness_calls()
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(OURS)
    return sum(stat.size for stat in snapshot.statistics("filename"))


def live_objects() -> Counter[str]:
    """The integration's objects alive now, by class name (garbage collected first)."""
    forget_harness_calls()
    gc.collect()
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        module = getattr(type(obj), "__module__", None)
        if isinstance(module, str) and module.startswith("custom_components.xivo"):
            counts[type(obj).__qualname__] += 1
    return counts


class MemoryWatch:
    """Trace the run, and read the integration's memory at each quarter of it."""

    def __init__(self, seconds: float) -> None:
        """A watch over a run of `seconds`; `start()` begins tracing."""
        self._seconds = seconds
        self._start = 0
        self.readings: list[tuple[float, int]] = []
        """(seconds into the run, bytes above the start) at each quarter."""
        self.objects: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
        """The integration's live objects by class, at the start and at the end."""

    def start(self) -> None:
        """Trace from now on; the start's size is the baseline."""
        self.objects = (live_objects(), Counter())
        tracemalloc.start()
        self._start = traced_size()

    def at(self, elapsed: float) -> None:
        """Read the memory if `elapsed` reached the next quarter of the run."""
        if elapsed >= self._seconds * (len(self.readings) + 1) / 4:
            self.readings.append((elapsed, traced_size() - self._start))

    def stop(self, elapsed: float) -> list[tuple[float, int]]:
        """The last reading, then tracing off; return the readings."""
        if len(self.readings) < 4:
            self.readings.append((elapsed, traced_size() - self._start))
        tracemalloc.stop()
        self.objects = (self.objects[0], live_objects())
        return self.readings
