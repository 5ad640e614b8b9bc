"""The push coordinator: one per config entry, fed by the xuc client, never polling."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER
from .issues import clear_failures, record_failure
from .xuc import XucAuthError, XucClient, XucSnapshot

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from homeassistant.config_entries import ConfigEntry

    from .xuc import Contact, XucError

_NOT_HINTS = tuple(
    field.name for field in fields(XucSnapshot) if field.name != "phone_hints"
)


def changed_hint_numbers(old: XucSnapshot | None, new: XucSnapshot) -> set[str] | None:
    """The numbers whose phone hint changed, if nothing but phone hints changed."""
    if old is None or any(
        getattr(old, name) is not getattr(new, name) for name in _NOT_HINTS
    ):
        return None
    before, after = old.phone_hints, new.phone_hints
    return {number for number, _code in after.items() - before.items()} | (
        before.keys() - after.keys()
    )


def changed_favorites(old: XucSnapshot, new: XucSnapshot) -> set[str]:
    """The keys of the favorites whose row or live phone state differ between two snapshots."""
    keys = old.favorites.keys() | new.favorites.keys()
    return {
        key
        for key in keys
        if _favorite_view(old, old.favorites.get(key))
        != _favorite_view(new, new.favorites.get(key))
    }


def _favorite_view(snapshot: XucSnapshot, contact: Contact | None) -> Any:
    if contact is None:
        return None
    return contact, snapshot.contact_phone_state(contact)


def account_device(
    registry: dr.DeviceRegistry, entry: ConfigEntry
) -> dr.DeviceEntry | None:
    """The account's device (looked up through its entry: works on every release)."""
    identifier = (DOMAIN, str(entry.unique_id))
    return next(
        (
            device
            for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
            if identifier in device.identifiers
        ),
        None,
    )


class XivoCoordinator(DataUpdateCoordinator[XucSnapshot]):
    """Hands each snapshot the client pushes to the entities, in the same loop turn.

    The link's health is the coordinator's health: when the session drops every entity
    becomes unavailable (logged once by the coordinator), and when the client has
    reconnected and re-synchronised, the fresh snapshot makes them available again.

    Favorites are fanned out apart from the other entities: a favorite's sensor listens
    to its own key (`async_add_favorite_listener`) and is told only when its row or its
    live phone state changed, or when availability changed. A phone-hint push that
    concerns only favorites updates the data without waking the account's other entities.
    With a thousand favorites, a phone-hint event then costs a few callbacks instead of a
    thousand, so set-up and bursts grow linearly.
    """

    config_entry: ConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, client: XucClient
    ) -> None:
        """Attach to a started client."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=None,
        )
        self.client = client
        # What went wrong last with the link, for diagnostics (never a secret).
        self.last_error: str | None = None
        self._favorite_listeners: defaultdict[str, list[CALLBACK_TYPE]] = defaultdict(
            list
        )
        # The favorites' keys by number, rebuilt when the favorites mapping changes.
        self._keys_by_number: dict[str, set[str]] = {}
        self._indexed: Mapping[str, Contact] | None = None
        self._said_no_line = False
        entry.async_on_unload(client.add_listener(self._on_snapshot))
        entry.async_on_unload(client.add_connection_listener(self._on_connection))

    async def _async_update_data(self) -> XucSnapshot:
        """Report the pushed snapshot; there is nothing to poll."""
        if not self.client.connected:
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="not_connected"
            )
        return self.client.snapshot

    @callback
    def async_add_favorite_listener(
        self, key: str, update: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `update()` when the favorite with this key (or availability) changes."""
        listeners = self._favorite_listeners[key]
        listeners.append(update)

        @callback
        def remove() -> None:
            listeners.remove(update)
            if not listeners:
                del self._favorite_listeners[key]

        return remove

    @callback
    def _on_snapshot(self, snapshot: XucSnapshot) -> None:
        old = self.data
        if old is None or old.user is not snapshot.user:
            self._follow_user_name(snapshot)
        if snapshot.has_line is False and not self._said_no_line:
            self._said_no_line = True
            LOGGER.info(
                "The server says this account has no phone line: calls cannot be placed"
            )
        if old is None or not self.last_update_success:
            # Entities are becoming available again: every one of them must hear of it.
            self.async_set_updated_data(snapshot)
            self._notify_favorites(None)
            return
        numbers = changed_hint_numbers(old, snapshot)
        if numbers is not None and snapshot.own_number not in numbers:
            # Only favorites' phone states moved: the account's entities show nothing new.
            self.data = snapshot
            self._notify_favorites(self._keys_for(snapshot, numbers))
            return
        self.async_set_updated_data(snapshot)
        self._notify_favorites(
            self._keys_for(snapshot, numbers)
            if numbers is not None
            else changed_favorites(old, snapshot)
        )

    def _follow_user_name(self, snapshot: XucSnapshot) -> None:
        """Rename the account's device when the server renames the user.

        A name the user gave the device in Home Assistant wins (`name_by_user`), and
        entity ids never change.
        """
        name = snapshot.user.full_name
        if name is None:
            return
        registry = dr.async_get(self.hass)
        device = account_device(registry, self.config_entry)
        if device is not None and device.name != name:
            registry.async_update_device(device.id, name=name)

    def _keys_for(self, snapshot: XucSnapshot, numbers: Iterable[str]) -> set[str]:
        """The favorites that show the phone state of these numbers."""
        if snapshot.favorites is not self._indexed:
            index: dict[str, set[str]] = {}
            for key, contact in snapshot.favorites.items():
                index.setdefault(contact.number, set()).add(key)
            self._keys_by_number = index
            self._indexed = snapshot.favorites
        empty: set[str] = set()
        return set().union(*(self._keys_by_number.get(n, empty) for n in numbers))

    @callback
    def _notify_favorites(self, keys: Iterable[str] | None) -> None:
        """Tell these favorites (None: all of them) to write their state."""
        targets = self._favorite_listeners if keys is None else keys
        for key in list(targets):
            for update in tuple(self._favorite_listeners.get(key, ())):
                update()

    @callback
    def _on_connection(self, connected: bool, error: XucError | None) -> None:
        if connected:
            # The client hands over the resynchronised snapshot right after this.
            LOGGER.info("The session with %s is back", self.client.server)
            clear_failures(self.hass, self.config_entry)
            return
        if error is not None:  # a failed attempt (None: the link just dropped)
            self.last_error = f"{type(error).__name__}: {error}"
            record_failure(self.hass, self.config_entry, error)
        if self.last_update_success:
            self.async_set_update_error(
                UpdateFailed(translation_domain=DOMAIN, translation_key="not_connected")
            )
            self._notify_favorites(None)
        if isinstance(error, XucAuthError):
            # The client stops retrying; the user is asked for the new password once.
            self.config_entry.async_start_reauth(self.hass)
