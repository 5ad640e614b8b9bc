"""The typed runtime data of a config entry: the parts an account's session is made of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .calls import CallTracker
    from .coordinator import XivoCoordinator
    from .missed_calls import MissedCalls
    from .presence_timer import PresenceTimer
    from .xuc import XucClient


@dataclass(frozen=True, slots=True)
class XivoData:
    """One account's client, its push coordinator and its call tracker.

    The client owns the link; the coordinator hands its snapshots to the entities; the
    call tracker names the other party of each call; the missed calls are the
    call-back list (the server's history merged with the calls seen missed live); the
    presence timer brings the status back after a timed one.
    """

    client: XucClient
    coordinator: XivoCoordinator
    calls: CallTracker
    missed: MissedCalls
    presence: PresenceTimer


type XivoConfigEntry = ConfigEntry[XivoData]
