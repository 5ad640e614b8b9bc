"""Timed presence: a status that ends by itself ("busy for 45 minutes, then back").

XiVO has no status that expires, so the timer lives here: taking a status for a while
remembers the status it replaces, and when the time is up that status is taken again.
The timer is kept in a `Store`, so a restart of Home Assistant neither loses it nor
makes it fire twice: on load, a timer whose end has passed restores at once, a running
one is re-armed for what is left.

The timer belongs to whoever set it. When anyone else changes the status meanwhile (a
push of a status other than the one the timer set: another client, the desk phone, the
presence select), the timer is dropped, and what they chose stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .xuc import XucError
from .xuc.directory import fold
from .xuc.listeners import Listeners
from .xuc.matching import status_labels

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.config_entries import ConfigEntry

    from .xuc import Status, XucClient, XucSnapshot

STORAGE_VERSION: Final = 1
MAX_DURATION: Final = timedelta(hours=24)


def named_status(statuses: Iterable[Status], text: str) -> Status | None:
    """The status a text names exactly: its name, its label, or either one folded.

    Automations and voice name a status by its name ("outtolunch") or by its label as
    the presence select shows it ("Parti Manger"); case, accents and spaces do not
    matter ("parti manger"). Unlike the voice intents' search, a part of a label is not
    enough: an automation must mean one status for good. None if no status, or more
    than one, is named.
    """
    statuses = tuple(statuses)
    for status in statuses:
        if status.name == text:
            return status
    labelled = status_labels(statuses)
    if text in labelled:
        return labelled[text]
    key = fold(text)
    folded = [s for s in statuses if key and key in {fold(s.name), fold(s.label)}]
    return folded[0] if len(folded) == 1 else None


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.presence_timer.{entry_id}")


async def async_remove_timer(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the stored timer of a removed account (a reload keeps it)."""
    await _store(hass, entry_id).async_remove()


@dataclass(frozen=True, slots=True)
class Timer:
    """A status taken until `until`, then `previous` again (None: nothing to restore)."""

    status: str
    previous: str | None
    until: datetime

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "status": self.status,
            "previous": self.previous,
            "until": self.until.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Timer | None:
        """The timer a stored value holds; None for nothing or anything unreadable."""
        if not isinstance(data, dict):
            return None
        status, previous = data.get("status"), data.get("previous")
        until = dt_util.parse_datetime(str(data.get("until", "")))
        if not isinstance(status, str) or until is None or until.tzinfo is None:
            return None
        return cls(status, previous if isinstance(previous, str) else None, until)


class PresenceTimer:
    """One account's timed status: at most one timer, stored, cancelled by others."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: XucClient
    ) -> None:
        """Follow the client's status pushes and connections for the life of the entry."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._store = _store(hass, entry.entry_id)
        self._timer: Timer | None = None
        self._alarm: CALLBACK_TYPE | None = None
        self._due = False  # the end has passed, the restore is still to be sent
        self._seen_status = client.snapshot.status_name
        self._listeners: Listeners[[]] = Listeners()
        entry.async_on_unload(client.add_listener(self._on_snapshot))
        entry.async_on_unload(client.add_connection_listener(self._on_connection))
        entry.async_on_unload(self._disarm)

    @property
    def until(self) -> datetime | None:
        """When the running timer ends, if one runs."""
        return self._timer.until if self._timer else None

    @callback
    def add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener()` when a timer starts or ends."""
        return self._listeners.add(listener)

    async def async_load(self) -> None:
        """Take back the stored timer: restore now if its end passed, else re-arm it."""
        timer = Timer.from_dict((await self._store.async_load() or {}).get("timer"))
        if timer is None:
            return
        current = self._client.snapshot.status_name
        if current is not None and current != timer.status:
            # Someone else chose a status while Home Assistant was away: theirs stays.
            LOGGER.debug("Presence timer dropped: the status changed meanwhile")
            self._replace(None)
            return
        self._replace(timer)
        if timer.until <= dt_util.utcnow():
            await self._async_restore()

    async def async_set(self, status: str, duration: timedelta | None = None) -> None:
        """Take a status; with a duration, the status it replaces comes back at the end.

        A new timed status while a timer runs keeps the status from before the first
        one: "busy for an hour" then "busy for two" still ends on what was there before.
        Without a duration, a running timer is cancelled. If the command fails, the
        timer is as it was.
        """
        before = self._timer
        timer = None
        if duration is not None:
            previous = before.previous if before else self._client.snapshot.status_name
            timer = Timer(status, previous, dt_util.utcnow() + duration)
        # Set before sending: the push of our own status must find the new timer.
        self._replace(timer)
        try:
            await self._client.change_status(status)
        except (XucError, ValueError):
            self._replace(before)
            raise

    @callback
    def _replace(self, timer: Timer | None) -> None:
        """Make `timer` the running one (or none): arm it, store it, tell the listeners."""
        self._disarm()
        self._due = False
        self._timer = timer
        if timer is not None:
            self._alarm = async_track_point_in_utc_time(
                self._hass, self._on_alarm, timer.until
            )
        stored = {"timer": timer.as_dict() if timer else None}
        self._store.async_delay_save(lambda: stored, 0)
        self._listeners.notify()

    @callback
    def _disarm(self) -> None:
        if self._alarm is not None:
            self._alarm()
            self._alarm = None

    @callback
    def _on_alarm(self, _now: datetime) -> None:
        self._alarm = None
        self._entry.async_create_background_task(
            self._hass, self._async_restore(), "xivo presence timer end"
        )

    def _can_restore(self) -> bool:
        """The link is up and the server has told the status and the statuses.

        Until then (a server that pushes the presence late, §19 G7) nobody can tell
        whether someone else changed the status meanwhile, nor check the old one.
        """
        snapshot = self._client.snapshot
        return (
            self._client.connected
            and snapshot.status_name is not None
            and bool(snapshot.statuses)
        )

    async def _async_restore(self) -> None:
        """Take the status from before the timer; if it cannot be yet, once it can."""
        timer = self._timer
        if timer is None:
            return
        if not self._can_restore():
            self._due = True
            return
        self._replace(None)
        if timer.previous is None:
            return
        try:
            await self._client.change_status(timer.previous)
        except (XucError, ValueError) as err:
            # ValueError: the server no longer lists that status.
            LOGGER.warning(
                "Could not take the status %s back after the timer: %s",
                timer.previous,
                err,
            )

    @callback
    def _restore_if_due(self) -> None:
        if self._due and self._can_restore():
            self._due = False
            self._entry.async_create_background_task(
                self._hass, self._async_restore(), "xivo presence timer end"
            )

    @callback
    def _on_connection(self, connected: bool, _error: XucError | None) -> None:
        if connected:
            self._restore_if_due()

    @callback
    def _on_snapshot(self, snapshot: XucSnapshot) -> None:
        """Drop the timer when a status other than the timer's is pushed.

        A restore that had to wait for the status (and the statuses) goes once they
        are known and still the timer's.
        """
        name = snapshot.status_name
        if name != self._seen_status:
            self._seen_status = name
            timer = self._timer
            if timer is not None and name is not None and name != timer.status:
                LOGGER.debug("Presence timer cancelled: the status changed to %s", name)
                self._replace(None)
        self._restore_if_due()
