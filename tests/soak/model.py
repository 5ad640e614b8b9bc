"""The model check: what every entity of alice's entry must show, from the server's state.

The expected view is computed from ``sim.data`` alone (never from the integration's
snapshot), so a client that went astray cannot agree with itself. The shown view is
read from Home Assistant's state machine and entity registry, as a user sees them.

Two limits of the integration are kept out of the random mix rather than modelled
(the soak never switches them on): the ``config_last`` greeting (G7, no presence until
the server pushes one, there is no getter) and ``resend_on_reconnect=False`` (G8, a
status changed while the link was down stays stale until the next change). With the
server's resend on, "the entity shows the last value the server pushed" and "the
entity shows what the server holds" are the same statement, which is what is checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er

from .world import LOGIN, OWN_NUMBER, CallBook

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import XucSimulator

PRESENCE = "select.alice_johnson_presence"
DEVICE = "select.alice_johnson_preferred_device"
DND = "switch.alice_johnson_do_not_disturb"
MOBILE = "switch.alice_johnson_mobile_app"
FORWARD_SWITCHES = {
    "unc": "switch.alice_johnson_forward_all_calls",
    "na": "switch.alice_johnson_forward_on_no_answer",
    "busy": "switch.alice_johnson_forward_when_busy",
}
FORWARD_TEXTS = {
    prefix: f"text.{entity_id[7:]}_to" for prefix, entity_id in FORWARD_SWITCHES.items()
}
FORWARD_ATTRS = {"unc": "unc_fwd", "na": "na_fwd", "busy": "busy_fwd"}
VOICEMAIL_NEW = "sensor.alice_johnson_new_voicemail_messages"
VOICEMAIL_OLD = "sensor.alice_johnson_old_voicemail_messages"
PHONE = "sensor.alice_johnson_phone_state"
MISSED = "sensor.alice_johnson_missed_calls"
CONNECTION = "binary_sensor.alice_johnson_server_connection"

PHONE_STATE_NAMES = {
    0: "available",
    1: "calling",
    2: "busy",
    4: "not_available",
    8: "ringing",
    9: "busy_and_ringing",
    16: "on_hold",
    -1: "deactivated",
}
"""xuc's hint codes and the states the reference gives them; others show unknown."""

DEVICE_OPTIONS = {
    "TypePhoneDevice": "phone_device",
    "TypeDefaultDevice": "default_device",
}

type View = dict[str, Any]


def status_label(sim: XucSimulator, name: str) -> str:
    """What the presence select shows for a status: its long name (unique here)."""
    status = sim.data.status(name)
    assert status is not None, name
    return status.long_name


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _phone_state(sim: XucSimulator, number: str) -> str:
    return PHONE_STATE_NAMES.get(sim.data.phone_state(number), STATE_UNKNOWN)


def favorite_prefix(entry: MockConfigEntry) -> str:
    """The unique-id prefix of the entry's favorite sensors."""
    return f"{entry.unique_id}_favorite_"


def expected(sim: XucSimulator) -> View:
    """What alice's entities must show, from the server's state."""
    user = sim.data.user(LOGIN)
    assert user is not None
    view: View = {
        CONNECTION: "on",
        PRESENCE: status_label(sim, user.status),
        f"{PRESENCE}[status_name]": user.status,
        DEVICE: DEVICE_OPTIONS.get(
            user.preferences["PREFERRED_DEVICE"][0], STATE_UNKNOWN
        ),
        MOBILE: _on_off(user.preferences["MOBILE_APP_INFO"][0] == "true"),
        DND: _on_off(user.dnd),
        VOICEMAIL_NEW: str(user.voicemail_new),
        VOICEMAIL_OLD: str(user.voicemail_old),
        PHONE: _phone_state(sim, OWN_NUMBER),
    }
    for prefix, attr in FORWARD_ATTRS.items():
        enabled, destination = getattr(user, attr)
        view[FORWARD_SWITCHES[prefix]] = _on_off(enabled)
        view[FORWARD_TEXTS[prefix]] = destination
    favorites = {}
    for contact_id, source in user.favorites:
        contact = sim.data.contact(contact_id, source)
        assert contact is not None
        favorites[f"{source}/{contact_id}"] = _phone_state(sim, contact.number)
    view["favorites"] = favorites
    return view


def shown(hass: HomeAssistant, entry: MockConfigEntry) -> View:
    """What Home Assistant shows for alice's entry (missing entities show None)."""

    def state(entity_id: str) -> str | None:
        current = hass.states.get(entity_id)
        return None if current is None else current.state

    view: View = {key: state(key) for key in expected_keys()}
    presence = hass.states.get(PRESENCE)
    view[f"{PRESENCE}[status_name]"] = (
        None if presence is None else presence.attributes.get("status_name")
    )
    registry = er.async_get(hass)
    prefix = favorite_prefix(entry)
    view["favorites"] = {
        item.unique_id.removeprefix(prefix): state(item.entity_id)
        for item in er.async_entries_for_config_entry(registry, entry.entry_id)
        if item.domain == "sensor" and item.unique_id.startswith(prefix)
    }
    return view


def expected_keys() -> list[str]:
    """The account's entities the check reads (favorites aside)."""
    return [
        CONNECTION,
        PRESENCE,
        DEVICE,
        MOBILE,
        DND,
        VOICEMAIL_NEW,
        VOICEMAIL_OLD,
        PHONE,
        *FORWARD_SWITCHES.values(),
        *FORWARD_TEXTS.values(),
    ]


def differences(want: View, have: View) -> dict[str, tuple[Any, Any]]:
    """Each key whose shown value is not the expected one: (expected, shown)."""
    return {
        key: (value, have.get(key))
        for key, value in want.items()
        if have.get(key) != value
    }


def missed_calls_problem(hass: HomeAssistant, book: CallBook) -> str | None:
    """The missed-calls counter must lie between the calls surely seen and all of them.

    A call that rang and ended while the link was down may go uncounted (the server
    does not replay it); one that rang and ended in a steady period must be counted.
    """
    current = hass.states.get(MISSED)
    if current is None:
        return "no missed-calls sensor"
    try:
        count = int(current.state)
    except ValueError:
        return f"missed calls shows {current.state!r}"
    if not book.missed_clean <= count <= book.missed_upper:
        return (
            f"missed calls {count} outside [{book.missed_clean}, {book.missed_upper}]"
        )
    return None
