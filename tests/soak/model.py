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

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er

from .world import AGENT_ID, LOGIN, OWN_NUMBER, CallBook

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
AGENT_STATE = "sensor.alice_johnson_agent_state"
AVAILABILITY = "select.alice_johnson_agent_availability"
RECORDING = "switch.alice_johnson_call_recording"
QUEUE_MARK = "_queue_"
WAITING_SUFFIX = "_queue_waiting_calls"
MEMBERSHIP_SUFFIX = "_queue_membership"

AGENT_STATE_NAMES = {
    "AgentLoggedOut": "logged_out",
    "AgentLogin": "logged_in",
    "AgentReady": "ready",
    "AgentOnPause": "paused",
    "AgentOnWrapup": "wrapup",
    "AgentOnCall": "on_call",
    "AgentRinging": "ringing",
    "AgentDialing": "dialing",
}
RECORDING_STATES = {"ACTIVE": "on", "PAUSED": "off"}
"""The recording switch by ``monitorState``; any other value: unavailable."""

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


def pause_reason_labels(sim: XucSimulator) -> dict[str, str]:
    """Name -> label of the pause reasons, by the rule of the reference (§12.6).

    A status whose actions pause every queue; one without actions whose category is
    1. What the select offers, with ``ready`` and ``logged_out`` around them.
    """
    return {
        status.name: status.long_name
        for status in sim.data.statuses
        if (
            any(name == "queuepause_all" for name, _ in status.actions)
            if status.actions
            else status.category == 1
        )
    }


def _agent_view(sim: XucSimulator) -> View:
    """Alice's agent: its state, the availability it stands for, recording, queues."""
    agent = sim.data.agent(AGENT_ID)
    assert agent is not None
    if agent.state == "AgentLoggedOut":
        availability = "logged_out"
    elif agent.state == "AgentOnPause":
        availability = pause_reason_labels(sim).get(agent.cause or "", "paused")
    else:
        availability = "ready"
    queues = {}
    for agent_id, queue_id in sim.data.memberships:
        if agent_id == AGENT_ID:
            queue = sim.data.queue(queue_id)
            assert queue is not None
            queues[queue_id] = str(len(queue.waiting))
    return {
        AGENT_STATE: AGENT_STATE_NAMES[agent.state],
        AVAILABILITY: availability,
        RECORDING: RECORDING_STATES.get(agent.monitor_state, STATE_UNAVAILABLE),
        "queues": queues,
    }


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
    view.update(_agent_view(sim))
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
    view["queues"] = _queues_shown(hass, entry)
    return view


def _queues_shown(hass: HomeAssistant, entry: MockConfigEntry) -> dict[int, Any]:
    """Queue id -> waiting calls shown, for each queue device's entities.

    Every queue entity in the registry is read: a membership switch without its
    waiting-calls sensor, or one left from an ended membership, shows as a
    difference.
    """
    prefix = f"{entry.unique_id}{QUEUE_MARK}"
    queues: dict[int, Any] = {}
    registry = er.async_get(hass)
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        if not item.unique_id.startswith(prefix):
            continue
        rest = item.unique_id.removeprefix(prefix)
        queue_id = int(rest.split("_", 1)[0])
        current = hass.states.get(item.entity_id)
        if rest.endswith(WAITING_SUFFIX):
            queues[queue_id] = None if current is None else current.state
        else:
            queues.setdefault(queue_id, "no waiting-calls sensor")
    return queues


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
        AGENT_STATE,
        AVAILABILITY,
        RECORDING,
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
