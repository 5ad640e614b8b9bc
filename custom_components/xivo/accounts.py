"""Which XiVO account a voice request speaks for: "my" status is the speaker's.

In a home where two people work on XiVO, "set my status to lunch" must change the
speaker's status, never the other person's. Home Assistant tells who speaks only in
the companion app and the chat (the `user_id` of the intent's context; a satellite's
pipeline has carried no user since 2026.8), but it always tells which device a request
came from (`Intent.device_id`; from 2026 also `Intent.satellite_id`, the entity id of
the assist satellite), and so which area. Each entry's options link it to Home
Assistant users, satellite devices and areas (the options flow of `config_flow.py`).

The account is picked in this order, and never by chance:

1. the context's user is linked to exactly one entry: that entry;
2. the request comes from a device linked to exactly one entry, else from a device (or
   satellite entity) in an area linked to exactly one entry: that entry;
3. exactly one entry is loaded: that entry;
4. otherwise no entry: the caller asks which account, and changes nothing.

A step that matches several entries narrows the next steps to those (a user linked to
two accounts, speaking at the satellite of one of them, gets that one). A device link is
more specific than an area link, so it is looked at first. Links are read from every
entry, loaded, failed or disabled, so that a linked account that is down is said to be
down rather than replaced by another person's account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

# The options of an entry: who and what speaks for the account.
OPTION_USERS: Final = "users"  # Home Assistant user ids
OPTION_DEVICES: Final = "devices"  # device ids of voice satellites
OPTION_AREAS: Final = "areas"  # area ids
LINK_OPTIONS: Final = (OPTION_USERS, OPTION_DEVICES, OPTION_AREAS)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request comes from: its user, its devices and their areas."""

    user_id: str | None = None
    device_ids: frozenset[str] = frozenset()
    area_ids: frozenset[str] = frozenset()


def request_origin(
    hass: HomeAssistant,
    *,
    user_id: str | None,
    device_id: str | None,
    satellite_id: str | None = None,
) -> Origin:
    """The origin of a request, its device and satellite looked up in the registries.

    The area of a satellite entity is its own area when it has one, else its device's;
    a device or entity the registries do not know adds nothing.
    """
    devices = dr.async_get(hass)
    device_ids: set[str] = set()
    area_ids: set[str] = set()

    def add_device(device_id: str | None) -> None:
        if device_id is None:
            return
        device_ids.add(device_id)
        device = devices.async_get(device_id)
        if device is not None and device.area_id:
            area_ids.add(device.area_id)

    add_device(device_id)
    if satellite_id is not None and (
        entity := er.async_get(hass).async_get(satellite_id)
    ):
        if entity.area_id:
            area_ids.add(entity.area_id)
        add_device(entity.device_id)
    return Origin(user_id, frozenset(device_ids), frozenset(area_ids))


def linked_to(entry: ConfigEntry, option: str, values: Iterable[str]) -> bool:
    """Whether an entry's option links it to any of `values`."""
    return not set(entry.options.get(option, ())).isdisjoint(values)


def pick_entry(
    entries: Sequence[ConfigEntry], origin: Origin
) -> ConfigEntry | tuple[ConfigEntry, ...]:
    """The entry a request is for, or the loaded entries to ask the speaker among.

    `entries` are the integration's entries (`linkable_entries`), in any order: the answer
    never depends on it (the candidates come back in the order given, for a stable
    question).
    """
    candidates = list(entries)
    steps = (
        (OPTION_USERS, {origin.user_id} if origin.user_id else set()),
        (OPTION_DEVICES, origin.device_ids),
        (OPTION_AREAS, origin.area_ids),
    )
    for option, values in steps:
        matched = [entry for entry in candidates if linked_to(entry, option, values)]
        if len(matched) == 1:
            return matched[0]
        if matched:
            candidates = matched
    loaded = tuple(
        entry for entry in candidates if entry.state is ConfigEntryState.LOADED
    )
    return loaded[0] if len(loaded) == 1 else loaded


def linkable_entries(hass: HomeAssistant) -> list[ConfigEntry]:
    """The integration's entries whose links count: all, loaded, failed or disabled.

    A disabled account still owns its links: its person is told it is not loaded
    rather than given another person's account. Ignored discoveries have no links.
    """
    return hass.config_entries.async_entries(DOMAIN, include_ignore=False)
