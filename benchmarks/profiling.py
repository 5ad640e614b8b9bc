"""Profile a measurement: pyinstrument when installed (sampling), else cProfile.

`scripts/bench --profile DIR` writes, for each measurement, `DIR/<name>.txt`: the
pyinstrument call tree, or cProfile's top functions by own and by cumulative time (with a
`.pstats` file next to it). Neither profiler is a requirement of the project.
"""

from __future__ import annotations

import contextlib
import cProfile
import importlib.util
import io
import pstats
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


def profiler_name(preferred: str | None = None) -> str:
    """The profiler to use: `preferred` if given, else pyinstrument when installed."""
    if preferred:
        return preferred
    return "pyinstrument" if importlib.util.find_spec("pyinstrument") else "cprofile"


def _make_directory(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)


@contextlib.asynccontextmanager
async def profiled(
    directory: Path, name: str, preferred: str | None = None
) -> AsyncIterator[None]:
    """Profile everything the event loop runs inside the block; write the report."""
    _make_directory(directory)
    if profiler_name(preferred) == "pyinstrument":
        from pyinstrument import Profiler  # noqa: PLC0415 - optional tool

        profiler = Profiler(interval=0.0002, async_mode="disabled")
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            (directory / f"{name}.txt").write_text(
                profiler.output_text(unicode=True, color=False, show_all=True)
            )
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(directory / f"{name}.pstats")
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text).strip_dirs()
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
        (directory / f"{name}.txt").write_text(text.getvalue())
