"""Callbacks registered on a client: added, removed, and called without breaking it."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

_LOGGER = logging.getLogger(__name__)


class Listeners[**P]:
    """A list of callbacks; one that raises is logged, the others are still called."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        """No callback yet."""
        self._callbacks: list[Callable[P, None]] = []

    def add(self, callback: Callable[P, None]) -> Callable[[], None]:
        """Register `callback`; the returned callable unregisters it (twice is harmless)."""
        self._callbacks.append(callback)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._callbacks.remove(callback)

        return remove

    def notify(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Call every callback; a callback's bug is its own, never the session's."""
        for callback in tuple(self._callbacks):
            try:
                callback(*args, **kwargs)
            except Exception:
                _LOGGER.exception("Error in a listener")
