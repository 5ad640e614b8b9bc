"""Device triggers of the account: calls, new voicemail, presence, and for agents.

What happens to the account is fired on the bus as a `xivo_event` naming the account's
device and the trigger type (`DeviceEvents`); a device trigger is an event trigger on
those two. The bus, rather than a listener on the entry's objects, because a trigger
set up once must keep working across reloads of the entry, and because the same event
serves YAML automations and the developer tools' event listener as well. The event data
also carries what a notification needs (the caller's number and name, the new status).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_EVENT,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .agent_availability import PAUSED, READY
from .coordinator import account_device
from .device_account import (
    agent_is,
    check_fields,
    checked_status,
    listed,
    status_options,
)
from .xuc import CallEventType

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import CALLBACK_TYPE
    from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
    from homeassistant.helpers.typing import ConfigType

    from .calls import CallTracker
    from .xuc import CallEvent, XucClient, XucSnapshot

EVENT_XIVO: Final = "xivo_event"
CONF_TO: Final = "to"

# Call event -> trigger type (a call put on hold is no trigger: the issue lists none).
CALL_TRIGGERS: Final = {
    CallEventType.INCOMING: "incoming_call",
    CallEventType.OUTGOING: "outgoing_call",
    CallEventType.ANSWERED: "call_answered",
    CallEventType.ENDED: "call_ended",
    CallEventType.MISSED: "missed_call",
}
NEW_VOICEMAIL: Final = "new_voicemail"
PRESENCE_CHANGED: Final = "presence_changed"
ACCOUNT_TRIGGERS: Final = (*CALL_TRIGGERS.values(), NEW_VOICEMAIL, PRESENCE_CHANGED)
# For a queue agent only: the availability the select shows, and waiting callers.
AGENT_TRIGGERS_BY_AVAILABILITY: Final = {PAUSED: "agent_paused", READY: "agent_ready"}
CALLS_WAITING: Final = "calls_waiting"
AGENT_TRIGGERS: Final = (*AGENT_TRIGGERS_BY_AVAILABILITY.values(), CALLS_WAITING)
TRIGGER_TYPES: Final = (*ACCOUNT_TRIGGERS, *AGENT_TRIGGERS)

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        vol.Optional(CONF_TO): cv.string,
    }
)


class DeviceEvents:
    """Fires a `xivo_event` for each trigger of the account's device.

    Changes are told from one snapshot to the next: the voicemail's new-message count
    going up, a status replacing a known one, the agent's availability (ready, paused,
    logged out, as the availability select reads it) becoming another, the waiting
    calls of a queue the agent belongs to going from none to some. The first value of
    each, which says what is, not what happened, fires nothing.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        client: XucClient,
        calls: CallTracker,
    ) -> None:
        """Follow the calls and snapshots for the life of the entry."""
        self._hass = hass
        self._entry = entry
        self._last = client.snapshot
        entry.async_on_unload(calls.add_listener(self._on_call))
        entry.async_on_unload(client.add_listener(self._on_snapshot))

    @callback
    def _fire(self, trigger_type: str, data: dict[str, Any]) -> None:
        device = account_device(dr.async_get(self._hass), self._entry)
        if device is None:  # the entities (and so the device) are not set up yet
            return
        self._hass.bus.async_fire(
            EVENT_XIVO, {CONF_DEVICE_ID: device.id, CONF_TYPE: trigger_type, **data}
        )

    @callback
    def _on_call(self, event: CallEvent, name: str | None) -> None:
        trigger_type = CALL_TRIGGERS.get(event.type)
        if trigger_type is None:
            return
        call = event.call
        self._fire(
            trigger_type,
            {
                "call_id": call.unique_id,
                "number": call.other_number,
                "name": name,
                "queue": call.queue_name,
            },
        )

    @callback
    def _on_snapshot(self, snapshot: XucSnapshot) -> None:
        last, self._last = self._last, snapshot
        before, after = last.voicemail, snapshot.voicemail
        if before is not None and after is not None and after.new > before.new:
            self._fire(NEW_VOICEMAIL, {"new": after.new, "previous": before.new})
        old, new = last.status_name, snapshot.status_name
        if old is not None and new is not None and old != new:
            status = snapshot.status
            self._fire(
                PRESENCE_CHANGED,
                {
                    "status": new,
                    "label": status.label if status else None,
                    "previous": old,
                },
            )
        self._agent_changes(last, snapshot)

    @callback
    def _agent_changes(self, last: XucSnapshot, snapshot: XucSnapshot) -> None:
        if last.agent is not snapshot.agent:
            before, after = agent_is(last), agent_is(snapshot)
            trigger_type = AGENT_TRIGGERS_BY_AVAILABILITY.get(after or "")
            if before is not None and before != after and trigger_type is not None:
                agent = snapshot.agent
                self._fire(trigger_type, {"reason": agent.cause if agent else None})
        if last.queue_stats is snapshot.queue_stats:
            return
        for queue_id in snapshot.memberships:
            old, new = (
                last.queue_stats.get(queue_id),
                snapshot.queue_stats.get(queue_id),
            )
            waiting = new.waiting_calls if new else None
            if old is not None and old.waiting_calls == 0 and waiting:
                queue = snapshot.queues.get(queue_id)
                self._fire(
                    CALLS_WAITING,
                    {
                        "queue_id": queue_id,
                        "queue": queue.display_name if queue else None,
                        "waiting": waiting,
                    },
                )


async def async_validate_trigger_config(
    hass: HomeAssistant, config: ConfigType
) -> ConfigType:
    """Check the type, and that `to` (presence only) is a status the server lists."""
    config = TRIGGER_SCHEMA(config)
    check_fields(config, {}, {PRESENCE_CHANGED: {CONF_TO}})
    if CONF_TO in config:
        config[CONF_TO] = checked_status(hass, config[CONF_DEVICE_ID], config[CONF_TO])
    return config


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[ConfigType]:
    """The triggers of the account's device (the agent ones for an agent only)."""
    return listed(hass, device_id, ACCOUNT_TRIGGERS, AGENT_TRIGGERS, platform="device")


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """A presence change may name the status it changes to, from the server's list."""
    if config[CONF_TYPE] != PRESENCE_CHANGED:
        return {}
    options = status_options(hass, config[CONF_DEVICE_ID])
    return {
        "extra_fields": vol.Schema(
            {vol.Optional(CONF_TO): vol.In(options) if options else cv.string}
        )
    }


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for the `xivo_event` of this device and type (and status, if given)."""
    event_data = {CONF_DEVICE_ID: config[CONF_DEVICE_ID], CONF_TYPE: config[CONF_TYPE]}
    if CONF_TO in config:
        event_data["status"] = config[CONF_TO]
    return await event_trigger.async_attach_trigger(
        hass,
        event_trigger.TRIGGER_SCHEMA(
            {
                CONF_PLATFORM: CONF_EVENT,
                event_trigger.CONF_EVENT_TYPE: EVENT_XIVO,
                CONF_EVENT_DATA: event_data,
            }
        ),
        action,
        trigger_info,
        platform_type="device",
    )
