"""The user's side of the soak: commands through Home Assistant, and what they allow.

Each command goes through Home Assistant's own services (select, switch, text and the
integration's actions), as a dashboard or an automation would. Before it is given, the
frame it may cause is written in the ``Ledger``; at each quiet point every
state-changing frame the simulator received must match one allowance, which it then
uses up. A frame no user command allowed (a replay after a reconnect, a command sent
on the integration's own initiative) is a defect. A command refused or lost (link down,
silent server) leaves an allowance unused: that is no defect, the entity then shows the
server's value.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
import json
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from custom_components.xivo.const import DOMAIN
from tests.simulator import AGENT_STATE_COMMANDS

from .model import (
    AVAILABILITY,
    DEVICE,
    DND,
    FORWARD_SWITCHES,
    FORWARD_TEXTS,
    MEMBERSHIP_SUFFIX,
    MOBILE,
    PRESENCE,
    QUEUE_MARK,
    RECORDING,
    pause_reason_labels,
    status_label,
)
from .world import (
    AGENT_ID,
    DESTINATIONS,
    FORWARD_PREFIXES,
    OWN_NUMBER,
    QUEUE_IDS,
    STATUS_NAMES,
    _index,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import XucSimulator

    from .plan import Action

STATE_CHANGING = frozenset(
    {
        "userStatusUpdate",
        "setUserPreference",
        "dnd",
        "uncFwd",
        "naFwd",
        "busyFwd",
        "addFavorite",
        "removeFavorite",
        "dial",
        *AGENT_STATE_COMMANDS,
    }
)
"""Commands that change the server's state: only a user may cause them."""

COMMAND_TIMEOUT = 5.0
"""A bound on one command through Home Assistant (the client's own is shorter)."""

LOOKUP_TERMS = ("pierce", "lef", "10", "zzz", "hélène")


def _frame_key(frame: dict[str, Any]) -> str:
    """A frame's command and arguments, comparable whatever the key order."""
    return json.dumps(
        {k: v for k, v in frame.items() if k != "claz"}, sort_keys=True, default=str
    )


@dataclass
class Ledger:
    """Allowances for state-changing frames, each a set of acceptable frames."""

    allowances: list[set[str]] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def allow(self, *frames: dict[str, Any]) -> None:
        """The next command may send one of these frames (once)."""
        self.allowances.append({_frame_key(frame) for frame in frames})

    def unasked(
        self, received: list[tuple[str, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """The state-changing frames no allowance covers; the others use theirs up.

        Allowances are forgotten afterwards: a quiet point closes the books.
        """
        found = []
        for _login, frame in received:
            if frame.get("claz") != "web" or frame.get("command") not in STATE_CHANGING:
                continue
            key = _frame_key(frame)
            match = next((a for a in self.allowances if key in a), None)
            if match is None:
                found.append(frame)
            else:
                self.allowances.remove(match)
        self.allowances.clear()
        return found


class UserSide:
    """A user acting through Home Assistant on alice's entry."""

    def __init__(
        self, hass: HomeAssistant, entry: MockConfigEntry, sim: XucSimulator
    ) -> None:
        """Command ``entry``'s entities; ``sim`` only names statuses and contacts."""
        self.hass = hass
        self.entry = entry
        self.sim = sim
        self.ledger = Ledger()
        self.hangs: list[str] = []
        """Commands that did not end within ``COMMAND_TIMEOUT`` (a defect)."""

    def _forward(self, prefix: str) -> tuple[bool, str]:
        """The forward as the client knows it (what the entity sends with a change)."""
        kind = {"unc": "unconditional", "na": "no_answer", "busy": "busy"}[prefix]
        forward = self.entry.runtime_data.client.snapshot.user.forward(kind)  # type: ignore[arg-type]
        return bool(forward.enabled), forward.destination

    async def run(self, action: Action) -> None:
        """Give one command; errors a user would see are counted, not raised."""
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT):
                await self._run(action)
        except TimeoutError:
            self.hangs.append(action.kind)
            self.ledger.outcomes[f"{action.kind}: hang"] += 1
        except HomeAssistantError as err:
            self.ledger.outcomes[f"{action.kind}: {type(err).__name__}"] += 1
        else:
            self.ledger.outcomes[f"{action.kind}: ok"] += 1

    async def _run(self, action: Action) -> None:
        a, b = action.a, action.b
        match action.kind:
            case "usr_presence":
                name = STATUS_NAMES[_index(a, 6)]
                self.ledger.allow({"command": "userStatusUpdate", "status": name})
                await self._entity(
                    "select",
                    "select_option",
                    PRESENCE,
                    option=status_label(self.sim, name),
                )
            case "usr_device":
                option, value = [
                    ("phone_device", "TypePhoneDevice"),
                    ("default_device", "TypeDefaultDevice"),
                ][_index(a, 2)]
                self.ledger.allow(_preference("PREFERRED_DEVICE", value, "String"))
                await self._entity("select", "select_option", DEVICE, option=option)
            case "usr_mobile":
                on = a < 0.5
                self.ledger.allow(
                    _preference("MOBILE_APP_INFO", str(on).lower(), "Boolean")
                )
                await self._switch(MOBILE, on)
            case "usr_dnd":
                on = a < 0.5
                self.ledger.allow({"command": "dnd", "state": on})
                await self._switch(DND, on)
            case "usr_forward_switch":
                await self._forward_switch(FORWARD_PREFIXES[_index(a, 3)], b < 0.5)
            case "usr_forward_text":
                value = (*DESTINATIONS, "")[_index(b, len(DESTINATIONS) + 1)]
                await self._forward_text(FORWARD_PREFIXES[_index(a, 3)], value)
            case "usr_lookup":
                await self._action(
                    "directory_lookup", term=LOOKUP_TERMS[_index(a, len(LOOKUP_TERMS))]
                )
            case "usr_add_favorite" | "usr_remove_favorite":
                contact = self.sim.data.directory[
                    _index(a, len(self.sim.data.directory))
                ]
                add = action.kind == "usr_add_favorite"
                command = "addFavorite" if add else "removeFavorite"
                self.ledger.allow(
                    {
                        "command": command,
                        "contactId": contact.contact_id,
                        "source": contact.source,
                    }
                )
                await self._action(
                    "add_favorite" if add else "remove_favorite",
                    contact_id=contact.contact_id,
                    source=contact.source,
                )
            case "usr_dial":
                numbers = [c.number for c in self.sim.data.directory if c.number]
                number = (*numbers, *DESTINATIONS)[
                    _index(a, len(numbers) + len(DESTINATIONS))
                ]
                self.ledger.allow({"command": "dial", "destination": number})
                await self._action("dial", number=number)
            case "usr_agent":
                await self._availability(a)
            case "usr_queue":
                await self._membership(QUEUE_IDS[_index(a, len(QUEUE_IDS))], b < 0.5)
            case "usr_recording":
                on = a < 0.5
                command = "monitorUnpause" if on else "monitorPause"
                self.ledger.allow({"command": command, "agentid": AGENT_ID})
                await self._switch(RECORDING, on)
            case _:
                raise AssertionError(action.kind)

    async def _availability(self, a: float) -> None:
        """Ready, a pause reason or logged out, as the availability select offers."""
        reasons = pause_reason_labels(self.sim)
        options = ["ready", *reasons.values(), "logged_out"]
        option = options[_index(a, len(options))]
        if option == "ready":
            # Logged out, ready logs in on the own line first: two frames.
            self.ledger.allow(
                {
                    "command": "agentLogin",
                    "agentid": AGENT_ID,
                    "agentphonenumber": OWN_NUMBER,
                }
            )
            self.ledger.allow({"command": "unpauseAgent", "agentid": AGENT_ID})
        elif option == "logged_out":
            self.ledger.allow({"command": "agentLogout", "agentid": AGENT_ID})
        else:
            name = next(n for n, label in reasons.items() if label == option)
            self.ledger.allow(
                {"command": "pauseAgent", "agentid": AGENT_ID, "reason": name}
            )
        await self._entity("select", "select_option", AVAILABILITY, option=option)

    async def _membership(self, queue_id: int, on: bool) -> None:
        """The queue device's membership switch, when alice has that device."""
        unique_id = f"{self.entry.unique_id}{QUEUE_MARK}{queue_id}{MEMBERSHIP_SUFFIX}"
        entity_id = er.async_get(self.hass).async_get_entity_id(
            "switch", DOMAIN, unique_id
        )
        if entity_id is None:
            return  # no membership, no device: nothing a user can switch
        if on:  # the penalty the client knows: any the server side gives
            self.ledger.allow(
                *(
                    {
                        "command": "setAgentQueue",
                        "agentId": AGENT_ID,
                        "queueId": queue_id,
                        "penalty": penalty,
                    }
                    for penalty in range(3)
                )
            )
        else:
            self.ledger.allow(
                {
                    "command": "removeAgentFromQueue",
                    "agentId": AGENT_ID,
                    "queueId": queue_id,
                }
            )
        await self._switch(entity_id, on)

    async def _forward_switch(self, prefix: str, on: bool) -> None:
        """The switch sends the destination it knows: the one before or after the call."""
        before = self._forward(prefix)[1]
        try:
            await self._switch(FORWARD_SWITCHES[prefix], on)
        finally:
            after = self._forward(prefix)[1]
            self.ledger.allow(
                *(
                    {"command": f"{prefix}Fwd", "state": on, "destination": destination}
                    for destination in {before, after}
                )
            )

    async def _forward_text(self, prefix: str, value: str) -> None:
        """The text keeps the forward on or off as the client knows it."""
        before = self._forward(prefix)[0]
        try:
            await self._entity("text", "set_value", FORWARD_TEXTS[prefix], value=value)
        finally:
            after = self._forward(prefix)[0]
            self.ledger.allow(
                *(
                    {"command": f"{prefix}Fwd", "state": state, "destination": value}
                    for state in {before, after}
                )
            )

    async def _switch(self, entity_id: str, on: bool) -> None:
        await self._entity("switch", "turn_on" if on else "turn_off", entity_id)

    async def _entity(
        self, domain: str, service: str, entity_id: str, **data: Any
    ) -> None:
        await self.hass.services.async_call(
            domain, service, {"entity_id": entity_id, **data}, blocking=True
        )

    async def _action(self, service: str, **data: Any) -> None:
        await self.hass.services.async_call(
            DOMAIN,
            service,
            {"config_entry_id": self.entry.entry_id, **data},
            blocking=True,
            return_response=service == "directory_lookup",
        )


def _preference(key: str, value: str, value_type: str) -> dict[str, Any]:
    return {
        "command": "setUserPreference",
        "key": key,
        "value": value,
        "value_type": value_type,
    }
