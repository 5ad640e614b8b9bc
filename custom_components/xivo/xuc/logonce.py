"""Warn about a kind of problem once, then quietly: a bad server must not flood the log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import logging

# A server decides the kinds (an unknown message type, an error's text), so the set of
# kinds already reported is bounded: past this many, new kinds are reported at debug
# level and not remembered. A well-behaved server uses a handful.
MAX_KINDS: Final = 256


class OnceLog:
    """The first report of each kind at warning (or error) level, the others at debug.

    One instance per client and module, so each client of each account warns once.
    At most `MAX_KINDS` kinds are remembered; once full, a new kind is reported at
    debug level, after one warning that says so.
    """

    __slots__ = ("_full", "_logger", "_seen")

    def __init__(self, logger: logging.Logger) -> None:
        """Report through `logger`."""
        self._logger = logger
        self._seen: set[str] = set()
        self._full = False

    def _first(self, kind: str) -> bool:
        if kind in self._seen:
            return False
        if len(self._seen) < MAX_KINDS:
            self._seen.add(kind)
            return True
        if not self._full:
            self._full = True
            self._logger.warning(
                "%d kinds of problems reported; new kinds are logged at debug level",
                MAX_KINDS,
            )
        return False

    def warning(self, kind: str, message: str, *args: Any) -> None:
        """A problem the client works around (a bad frame, a failed attempt)."""
        if self._first(kind):
            self._logger.warning(
                "%s (further ones are logged at debug level)",
                message % args,
                stacklevel=2,
            )
        else:
            self._logger.debug(message, *args, stacklevel=2)

    def exception(self, kind: str, message: str, *args: Any) -> None:
        """A bug caught to keep the link alive: its traceback once, then one line.

        Call it from the `except` block, whose exception it logs.
        """
        if self._first(kind):
            self._logger.error(message, *args, exc_info=True, stacklevel=2)  # noqa: LOG014 - see above
        else:
            self._logger.debug(message, *args, stacklevel=2)

    def forget(self, prefix: str) -> None:
        """Warn again about the kinds starting with `prefix` (the problem went away)."""
        self._seen = {kind for kind in self._seen if not kind.startswith(prefix)}
        self._full = False
