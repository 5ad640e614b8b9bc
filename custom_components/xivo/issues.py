"""Repair issues for the failures only the user (or the server's admin) can fix.

Most failures heal by themselves: the client reconnects with back-off. Three do not —
the server refuses the CTI session for this account, the TLS certificate is refused, the
URL answers but is not a xuc — and retrying forever in silence would leave the user
wondering. After `FAILURES_BEFORE_ISSUE` failed attempts in a row of the same kind, an
issue (translated, saying what to check) is raised; it goes away as soon as a session is
up. The streak is kept per entry across set-up retries, which create new clients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.const import CONF_URL
from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .xuc import ConnectionFailure, XucConnectionError

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .xuc import XucError

FAILURES_BEFORE_ISSUE: Final = 3


@dataclass(slots=True)
class _Streak:
    failure: ConnectionFailure | None = None
    count: int = 0


_STREAKS: Final[HassKey[dict[str, _Streak]]] = HassKey(f"{DOMAIN}_failure_streaks")


def issue_id(entry: ConfigEntry, failure: ConnectionFailure) -> str:
    """The id of an entry's issue for one kind of failure."""
    return f"{failure.value}_{entry.entry_id}"


@callback
def record_failure(hass: HomeAssistant, entry: ConfigEntry, error: XucError) -> None:
    """Count one failed attempt; raise the issue at the third of the same kind in a row."""
    streak = hass.data.setdefault(_STREAKS, {}).setdefault(entry.entry_id, _Streak())
    failure = error.failure if isinstance(error, XucConnectionError) else None
    if failure is None or failure is not streak.failure:
        streak.failure, streak.count = failure, 0
    if failure is None:
        return
    streak.count += 1
    if streak.count == FAILURES_BEFORE_ISSUE:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id(entry, failure),
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=failure.value,
            translation_placeholders={"server": str(entry.data.get(CONF_URL, ""))},
        )


@callback
def clear_failures(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """A session is up, or the entry is gone: forget the streak, remove the issues."""
    hass.data.setdefault(_STREAKS, {}).pop(entry.entry_id, None)
    for failure in ConnectionFailure:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry, failure))
