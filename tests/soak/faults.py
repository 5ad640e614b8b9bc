"""The fault scheduler: break the simulator one way, let actions run, then mend it.

Each kind has an ``inject`` and a ``heal``; the driver runs the round's actions between
them. Healing ends the fault on the server's side and, where the fault needs it to
be mended at all, does what the field would do:

* ``half_open`` (``go_silent``) holds until the integration has found the link dead:
  the simulator drops pushes while silent, which on a real socket only a dead link
  does; resuming a link the client still trusts would lose pushes no TCP link loses.
* ``no_favorites_reply`` (G2) ends with the server's sessions closed: a client whose
  ``getFavorites`` went unanswered learns the list at its next session, the documented
  best effort; without a new session a favorite added meanwhile stays unknown.
* ``refused_login`` (401 on ``/auth/login``) stops the client for good, by design:
  healing is the user's reauth flow, answered with the right password, which reloads
  the entry.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
import time
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_PASSWORD

from tests.simulator import IDEAL, ServerProfile

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import XucSimulator

BASE_PROFILE: ServerProfile = replace(IDEAL)
"""The profile between faults: the ideal server (G7 and G8 stay off, see ``model``)."""

VARIANTS: dict[str, ServerProfile] = {
    "partial_updates": replace(IDEAL, partial_config=True),
    "no_favorites_reply": replace(IDEAL, answer_favorites=False),
    "changing_call_ids": replace(
        IDEAL, stable_unique_id=False, call_direction="unknown"
    ),
}
"""The real-server variants a round may play (G1, G2, G4 with G3)."""

MALFORMED_FRAMES: tuple[str | bytes, ...] = (
    "not json",
    b"\x00\x01binary",
    "[1, 2, 3]",
    "null",
    '{"msgType": 42, "ctiMessage": {}}',
    '{"ctiMessage": {"status": "away"}}',
    '{"msgType": "NoSuchType", "ctiMessage": {}}',
    '{"msgType": "UserStatusUpdate", "ctiMessage": "away"}',
    '{"msgType": "UserConfigUpdate", "ctiMessage": [true]}',
    '{"msgType": "PhoneHintStatusEvent", "ctiMessage": {"number": "1002"}}',
    '{"msgType": "Favorites", "ctiMessage": 7}',
    '{"msgType": "VoiceMailStatusUpdate", "ctiMessage": null}',
    '{"msgType": "PhoneEvent", "ctiMessage": {"eventType": 3}}',
    '{"msgType": "FavoriteUpdated", "ctiMessage": "Removed"}',
    '{"msgType": "UserPreference", "ctiMessage": "x"}',
    '{"msgType": "CurrentCallsPhoneEvents", "ctiMessage": {"events": 5}}',
    "{" * 200,
)
"""Frames no server should send: none of them may change what an entity shows.

Each is malformed in its shape (not JSON, not an object, no or a non-text msgType, a
payload of the wrong JSON type, a required field missing), which the client documents
as ignored. A well-formed frame with an odd value (``"dndEnabled": "maybe"``) is left
out: the library reads any non-true word as false on purpose (``parse_bool``), so such
a frame is a server's statement, not a malformed one.
"""

HALF_OPEN_LIMIT = 3.0
"""Seconds the integration gets to find a silent link dead (it needs ~0.3 s here)."""

REAUTH_LIMIT = 5.0


class FaultError(AssertionError):
    """A fault that could not be healed the documented way: a defect in itself."""


class Faults:
    """Injects and heals the fault kinds of ``plan.FAULT_WEIGHTS``."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: MockConfigEntry,
        sim: XucSimulator,
        password: str,
    ) -> None:
        """Break ``sim`` for ``entry``'s client; ``password`` answers the reauth flow."""
        self.hass = hass
        self.entry = entry
        self.sim = sim
        self._password = password
        self.reloads = 0

    async def inject(self, kind: str, strength: float) -> None:
        """Start the fault."""
        sim = self.sim
        match kind:
            case "none":
                pass
            case "restart":
                await sim.stop()
            case "abrupt_close":
                code = (
                    WSCloseCode.INTERNAL_ERROR
                    if strength < 0.5
                    else WSCloseCode.ABNORMAL_CLOSURE
                )
                await sim.close_sessions(code)
            case "half_open":
                sim.go_silent()
            case "token_expiry":
                sim.expire_tokens()
                sim.profile = replace(BASE_PROFILE, check_html_401=strength < 0.5)
                await sim.close_sessions()
            case "session_refused":
                sim.logged_on_error = (
                    "loggedOnFailed" if strength < 0.7 else "loggedOnTimeout"
                )
                await sim.close_sessions()
            case "refused_login":
                sim.refuse_logins = True
                sim.expire_tokens()
                await sim.close_sessions()
                await self._until_reauth_flow()
            case "slow_replies":
                sim.delay_replies(0.05 + 0.35 * strength)
            case "malformed_burst":
                count = 3 + int(strength * 12)
                for index in range(count):
                    await sim.send_raw(
                        MALFORMED_FRAMES[
                            (index * 7 + int(strength * 100)) % len(MALFORMED_FRAMES)
                        ]
                    )
            case variant if variant in VARIANTS:
                sim.profile = VARIANTS[variant]
            case _:
                raise AssertionError(kind)

    async def heal(self, kind: str) -> None:
        """End the fault (see the module's docstring for what mending takes)."""
        sim = self.sim
        match kind:
            case "restart":
                await sim.start()
            case "half_open":
                await self._until_link_dropped()
                sim.resume()
            case "token_expiry":
                sim.profile = BASE_PROFILE
            case "session_refused":
                sim.logged_on_error = None
            case "refused_login":
                sim.refuse_logins = False
                await self._answer_reauth()
            case "slow_replies":
                sim.delay_replies(0)
            case "no_favorites_reply":
                sim.profile = BASE_PROFILE
                await sim.close_sessions()
            case variant if variant in VARIANTS:
                sim.profile = BASE_PROFILE
            case _:
                pass

    async def _until_link_dropped(self) -> None:
        deadline = time.monotonic() + HALF_OPEN_LIMIT
        while self.entry.runtime_data.client.connected:
            if time.monotonic() > deadline:
                raise FaultError(
                    f"a silent link still counted as up after {HALF_OPEN_LIMIT} s"
                )
            await asyncio.sleep(0.01)

    async def _until_reauth_flow(self) -> None:
        """The client hears the refusal at its next attempt; Home Assistant asks once."""
        deadline = time.monotonic() + REAUTH_LIMIT
        while not self._reauth_flows():
            if time.monotonic() > deadline:
                raise FaultError(
                    f"no reauth flow {REAUTH_LIMIT} s after a refused login"
                )
            await asyncio.sleep(0.02)

    async def _answer_reauth(self) -> None:
        """Answer the one reauth flow, wait for the reloaded entry."""
        flows = self._reauth_flows()
        if len(flows) != 1:
            raise FaultError(f"{len(flows)} reauth flows for one refused login")
        result = await self.hass.config_entries.flow.async_configure(
            flows[0]["flow_id"], {CONF_PASSWORD: self._password}
        )
        if result.get("reason") != "reauth_successful":
            raise FaultError(
                f"reauth answered {result.get('reason') or result.get('errors')}"
            )
        await self.hass.async_block_till_done()
        self.reloads += 1

    def _reauth_flows(self) -> list[dict[str, Any]]:
        return [
            flow
            for flow in self.hass.config_entries.flow.async_progress()
            if flow["context"]["source"] == SOURCE_REAUTH
        ]
