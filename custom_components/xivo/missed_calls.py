"""The missed calls as a call-back list: the server's history, merged with live calls.

The list comes from the server's call history (`getUserCallHistory`), asked for at each
connect and 3 s after each call ends, as the official client does; so calls missed
while Home Assistant was off appear too. A call seen missed live (from its `PhoneEvent`s)
joins the list at once, and is merged with the history's entry for the same call when
that comes (the oldest unmatched live item of the same number takes the newest new
entry: the history's times are the server's local time, with no zone, so they are not
compared with Home Assistant's clock). A server whose history is empty or refused still
gets a working list.

Ticking an item done, or deleting it, is kept in a `Store` across restarts; the list
keeps the last `MAX_ITEMS` missed calls. History times are read in Home Assistant's
time zone (the server and the home are assumed to share one).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .xuc import CallEvent, CallEventType, XucError
from .xuc.listeners import Listeners

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.config_entries import ConfigEntry

    from .calls import CallTracker
    from .xuc import XucClient
    from .xuc.history import HistoryEntry

MAX_ITEMS: Final = 100
HISTORY_SIZE: Final = 50
REFRESH_AFTER_CALL: Final = 3.0  # seconds, as the official client
# How long a history entry may wait for the live event of the same call.
LIVE_MATCH_WINDOW: Final = timedelta(minutes=2)
_STORAGE_VERSION: Final = 1
_SAVE_DELAY: Final = 1.0
# Deleted entries the history may still list: more than it returns (HISTORY_SIZE).
_HIDDEN_KEPT: Final = 4 * MAX_ITEMS


@dataclass(frozen=True, slots=True)
class MissedCall:
    """One missed call to call back."""

    key: str  # the history entry's key, or `live_…` until the history has it
    start: str  # ISO time
    number: str
    name: str | None
    done: bool = False
    added: str = ""  # when it joined the list (Home Assistant's clock, ISO)
    seen_live: bool = False  # a live missed call is accounted for by this item

    @property
    def live(self) -> bool:
        """Seen live, not (yet) matched with the server's history."""
        return self.key.startswith("live_")

    @property
    def summary(self) -> str:
        """What the list shows: "Name (number)", or the number alone."""
        return f"{self.name} ({self.number})" if self.name else self.number


class MissedCalls:
    """The call-back list of one account, kept in a `Store`."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: XucClient,
        calls: CallTracker,
    ) -> None:
        """Follow the account's calls and connections for the life of the entry."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._store: Store[dict[str, Any]] = Store(
            hass, _STORAGE_VERSION, f"{DOMAIN}.missed_calls.{entry.entry_id}"
        )
        self._items: list[MissedCall] = []  # newest first
        self._hidden: list[str] = []  # deleted keys, oldest first, the last few kept
        # A count restored from a version that only counted, until the next reset.
        self._legacy_count = 0
        self._stored = False  # whether the store had a list at start-up
        self._listeners: Listeners[[]] = Listeners()
        self._pending_refresh: CALLBACK_TYPE | None = None
        entry.async_on_unload(calls.add_listener(self._on_call))
        entry.async_on_unload(client.add_connection_listener(self._on_connection))
        entry.async_on_unload(self._cancel_refresh)
        entry.async_on_unload(self._async_flush)
        self._dirty = False

    async def async_load(self) -> None:
        """Read the list saved before the restart."""
        data = await self._store.async_load()
        if not data:
            return
        self._stored = True
        self._items = [MissedCall(**item) for item in data.get("items", [])]
        self._hidden = list(data.get("hidden", []))
        self._legacy_count = int(data.get("legacy_count", 0))

    @property
    def items(self) -> list[MissedCall]:
        """The missed calls, newest first."""
        return list(self._items)

    @property
    def open_count(self) -> int:
        """How many missed calls are still to call back."""
        return self._legacy_count + sum(not item.done for item in self._items)

    @callback
    def add_listener(self, listener: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `listener()` when the list changes."""
        return self._listeners.add(listener)

    @callback
    def restore_count(self, count: int) -> None:
        """Keep a count saved by a version that only counted (nothing stored yet)."""
        if not self._stored and count > 0:
            self._legacy_count = count
            self._changed()

    @callback
    def set_done(self, key: str, done: bool) -> None:
        """Tick an item done, or open it again; an unknown key is a ValueError."""
        self._replace(key, lambda item: replace(item, done=done))

    @callback
    def hide(self, keys: set[str]) -> None:
        """Delete items: they never come back, even from the history."""
        for key in keys:
            self._item(key)
        self._hidden = [*self._hidden, *sorted(keys)][-_HIDDEN_KEPT:]
        self._items = [item for item in self._items if item.key not in keys]
        self._changed()

    @callback
    def mark_all_done(self) -> None:
        """`xivo.reset_missed_calls`: every item done, the old count forgotten."""
        self._legacy_count = 0
        self._items = [replace(item, done=True) for item in self._items]
        self._changed()

    def _item(self, key: str) -> MissedCall:
        for item in self._items:
            if item.key == key:
                return item
        raise ValueError(key)

    def _replace(self, key: str, change: Callable[[MissedCall], MissedCall]) -> None:
        self._item(key)
        self._items = [
            change(item) if item.key == key else item for item in self._items
        ]
        self._changed()

    @callback
    def _on_call(self, event: CallEvent, name: str | None) -> None:
        if event.type is CallEventType.MISSED:
            self._missed_live(event.call.other_number or "", name)
        if event.type in {CallEventType.MISSED, CallEventType.ENDED}:
            self._schedule_refresh(REFRESH_AFTER_CALL)

    def _missed_live(self, number: str, name: str | None) -> None:
        """A call was just missed: list it, unless the history already brought it.

        A history reply may come a moment before the call's last `PhoneEvent` (the
        server writes its history as the call ends): an entry of the same number that
        joined the list within `LIVE_MATCH_WINDOW` and accounts for no live call yet is
        this call.
        """
        now = dt_util.now()
        recent = next(
            (
                item
                for item in self._items
                if not item.seen_live
                and item.number == number
                and item.added
                and now - datetime.fromisoformat(item.added) <= LIVE_MATCH_WINDOW
            ),
            None,
        )
        if recent is not None:
            self._replace(
                recent.key,
                lambda item: replace(item, seen_live=True, name=item.name or name),
            )
            return
        self._add(
            MissedCall(
                key=f"live_{now.isoformat()}_{number}",
                start=now.isoformat(),
                number=number,
                name=name,
                added=now.isoformat(),
                seen_live=True,
            )
        )

    @callback
    def _on_connection(self, connected: bool, _error: XucError | None) -> None:
        if connected:
            self._schedule_refresh(0)

    def _schedule_refresh(self, delay: float) -> None:
        self._cancel_refresh()

        @callback
        def refresh(_now: datetime) -> None:
            self._pending_refresh = None
            self._entry.async_create_background_task(
                self._hass, self.async_refresh(), "xivo call history"
            )

        self._pending_refresh = async_call_later(self._hass, delay, refresh)

    @callback
    def _cancel_refresh(self) -> None:
        if self._pending_refresh is not None:
            self._pending_refresh()
            self._pending_refresh = None

    async def async_refresh(self) -> None:
        """Ask the server's history and merge its missed calls into the list."""
        try:
            entries = await self._client.call_history(size=HISTORY_SIZE)
        except XucError as err:
            LOGGER.debug("No call history from the server: %s", err)
            return
        self._merge([entry for entry in entries if entry.status == "missed"])

    def _merge(self, entries: list[HistoryEntry]) -> None:
        known = {item.key for item in self._items} | set(self._hidden)
        new = [entry for entry in entries if entry.key not in known]
        if not new:
            return
        for entry in reversed(new):  # oldest first, as live items were added
            start = entry.start.replace(tzinfo=dt_util.get_default_time_zone())
            live = next(
                (
                    item
                    for item in reversed(self._items)
                    if item.live and item.number == entry.number
                ),
                None,
            )
            if live is not None:
                self._items = [
                    replace(
                        item,
                        key=entry.key,
                        start=start.isoformat(),
                        name=item.name or entry.name,
                    )
                    if item is live
                    else item
                    for item in self._items
                ]
            else:
                self._add(
                    MissedCall(
                        key=entry.key,
                        start=start.isoformat(),
                        number=entry.number,
                        name=entry.name,
                        added=dt_util.now().isoformat(),
                    ),
                    notify=False,
                )
        self._items.sort(
            key=lambda item: datetime.fromisoformat(item.start), reverse=True
        )
        self._changed()

    def _add(self, item: MissedCall, *, notify: bool = True) -> None:
        self._items.insert(0, item)
        del self._items[MAX_ITEMS:]
        if notify:
            self._changed()

    def _changed(self) -> None:
        self._dirty = True
        self._store.async_delay_save(self._data, _SAVE_DELAY)
        self._listeners.notify()

    async def _async_flush(self) -> None:
        """On unload, write what a delayed save still holds (a reload reads it next)."""
        if self._dirty:
            await self._store.async_save(self._data())

    def _data(self) -> dict[str, Any]:
        return {
            "items": [asdict(item) for item in self._items],
            "hidden": self._hidden,
            "legacy_count": self._legacy_count,
        }
