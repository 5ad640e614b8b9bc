"""The frames a session gets after the handshake, in the order the profile plays.

The reference does not know the real greeting order (§2.5) nor whether a server
resends unchanged state on a new session (G7, G8), so the order is a profile
choice. The ideal greeting is ``LoggedOn``, the status list(s), the full
``UserConfigUpdate``, ``UserStatusUpdate``, ``UserPreference`` (all keys) and
``VoiceMailStatusUpdate``. With ``greeting="config_last"`` the presence is not
sent and the ``UserConfigUpdate`` comes after the first ``Favorites`` reply of
the session, or ``CONFIG_LAST_DELAY`` after ``LoggedOn`` when no ``Favorites``
went out by then. With ``resend_on_reconnect`` off, only the first session of a
login since the simulator started gets the statuses, preferences, voicemail and
presence; a restart forgets it, as a rebooted server would.
"""

from __future__ import annotations

import asyncio

from . import payloads
from .core import SimSession, SimulatorCore
from .data import SimUser

CONFIG_LAST_DELAY = 0.5
"""Seconds after ``LoggedOn`` a ``config_last`` greeting waits for a ``Favorites``."""


class Greeting(SimulatorCore):
    """Greet a session per the profile, and release a held ``UserConfigUpdate``."""

    async def _greet(self, session: SimSession, user: SimUser) -> None:
        """Send the frames a client gets after connecting."""
        profile = self.profile
        resend = profile.resend_on_reconnect or user.login not in self._greeted_logins
        self._greeted_logins.add(user.login)
        await self._send(
            session, "LoggedOn", {"userId": user.user_id, "login": user.login}
        )
        if resend:
            for msg_type, payload in payloads.statuses_messages(self.data):
                await self._send(session, msg_type, payload)
        if profile.greeting == "config_last":
            session.config_pending = True
            session.config_timer = asyncio.create_task(
                self._release_config_later(session),
                name=f"xuc-sim-config-{session.login}",
            )
        else:
            await self._send_config(session, user)
            if resend:
                await self._send(session, "UserStatusUpdate", {"status": user.status})
        if resend:
            await self._send(session, "UserPreference", payloads.preferences(user))
            await self._send(session, "VoiceMailStatusUpdate", payloads.voicemail(user))

    async def _send_config(self, session: SimSession, user: SimUser) -> None:
        """Send the full ``UserConfigUpdate``; a held one is no longer pending."""
        session.config_pending = False
        await self._send(session, "UserConfigUpdate", payloads.full_config(user))

    async def _release_config_later(self, session: SimSession) -> None:
        """Send the held ``UserConfigUpdate`` if no ``Favorites`` did in time."""
        await asyncio.sleep(CONFIG_LAST_DELAY)
        await self._release_config(session)

    async def _release_config(self, session: SimSession) -> None:
        """Send the held ``UserConfigUpdate`` now, once per session."""
        user = self.data.user(session.login)
        if session.config_pending and user is not None:
            await self._send_config(session, user)

    async def _end_greeting(self, session: SimSession) -> None:
        """Cancel a held ``UserConfigUpdate`` of a session that is over."""
        timer, session.config_timer = session.config_timer, None
        if timer is not None:
            timer.cancel()
            await asyncio.gather(timer, return_exceptions=True)
