"""Calls on the user's line: each event handed on with the other party's name."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback

from .const import LOGGER
from .xuc import CallEvent, XucClient, XucError
from .xuc.listeners import Listeners

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry

CallListener = Callable[[CallEvent, str | None], None]
_NAME_CACHE_SIZE: Final = 256


class CallTracker:
    """Hands each call event on with the best name known for the other party.

    The name comes from the event itself, else from the favorites, else from an earlier
    directory look-up. An unknown number is looked up in the background, so the event
    is never delayed and the following events of the same call carry the name.
    """

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: XucClient
    ) -> None:
        """Listen to the client's call events for the life of the entry."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._names: OrderedDict[str, str | None] = OrderedDict()
        self._listeners: Listeners[[CallEvent, str | None]] = Listeners()
        entry.async_on_unload(client.add_call_listener(self._on_call))

    @callback
    def add_listener(self, listener: CallListener) -> Callable[[], None]:
        """Call `listener(event, name)` for each call event."""
        return self._listeners.add(listener)

    def name_for(self, number: str | None) -> str | None:
        """The name known for a number, from the favorites or earlier look-ups."""
        if not number:
            return None
        for contact in self._client.snapshot.favorites.values():
            if number in (contact.number, contact.mobile) and contact.name:
                return contact.name
        return self._names.get(number)

    @callback
    def _on_call(self, event: CallEvent) -> None:
        number = event.call.other_number
        name = event.call.other_name or self.name_for(number)
        if name is None and number and number not in self._names:
            self._remember(number, None)  # one look-up per number
            self._entry.async_create_background_task(
                self._hass, self._look_up(number), f"xivo caller name {number}"
            )
        self._listeners.notify(event, name)

    async def _look_up(self, number: str) -> None:
        try:
            result = await self._client.directory_lookup(number)
        except XucError as err:
            LOGGER.debug("Could not look up the caller's name: %s", err)
            return
        for contact in result.contacts:
            if number in (contact.number, contact.mobile) and contact.name:
                self._remember(number, contact.name)
                return

    def _remember(self, number: str, name: str | None) -> None:
        self._names[number] = name
        self._names.move_to_end(number)
        while len(self._names) > _NAME_CACHE_SIZE:
            self._names.popitem(last=False)
