"""Hooks that change the server's state as another client or an administrator would.

Each hook changes ``sim.data`` and pushes what a real xuc pushes for that change
(or nothing, where xuc would not tell the client), so a test drives the server
side of a scenario in one awaited call. Commands reuse the same hooks, so a
change looks the same on the wire whoever made it.
"""

from __future__ import annotations

from typing import Any

from . import payloads
from .core import SimulatorCore
from .data import SimStatus, SimUser


class StateHooks(SimulatorCore):
    """Presence, user config, preferences, favourites, voicemail and phone hints."""

    async def set_phone_state(self, number: str, code: int) -> None:
        """Change a number's hint and push it to subscribed sessions if it changed."""
        changed = self.data.phone_state(number) != code
        self.data.phone_states[number] = code
        if not changed:
            return
        payload = {"number": number, "status": code}
        for session in self.sessions:
            if number in session.hints:
                await self._send(session, "PhoneHintStatusEvent", payload)

    async def _push_config(self, user: SimUser, keys: set[str]) -> None:
        """Push the per-change ``UserConfigUpdate`` of ``keys`` (profile G1)."""
        await self._push(
            user.login,
            "UserConfigUpdate",
            payloads.partial_config(user, keys, self.profile),
        )

    async def _apply_status(self, user: SimUser, status: SimStatus) -> None:
        """Set a presence, push it, and run its ``enablednd`` action if any."""
        user.status = status.name
        await self._push(user.login, "UserStatusUpdate", {"status": status.name})
        for action, parameters in status.actions:
            if action == "enablednd" and parameters in ("true", "false"):
                user.dnd = parameters == "true"
                await self._push_config(user, {"dndEnabled"})

    async def set_user_status(self, login: str, name: str) -> None:
        """Another client changed the user's presence (actions apply, as on xuc)."""
        user = self._require_user(login)
        status = self.data.status(name)
        if status is None:
            raise ValueError(f"Unknown status {name!r}")
        await self._apply_status(user, status)

    async def _set_forward(
        self, user: SimUser, prefix: str, enabled: bool, destination: str
    ) -> None:
        """Set one forward and push its Enabled + Destination pair."""
        setattr(user, payloads.FORWARD_ATTRS[prefix], (enabled, destination))
        await self._push_config(
            user, {f"{prefix}FwdEnabled", f"{prefix}FwdDestination"}
        )

    async def update_user_config(self, login: str, **fields: Any) -> None:
        """Change user config fields (wire names, e.g. ``dndEnabled=True``) and push them.

        A forward's Enabled and Destination are always pushed together, as the
        client applies a forward only when its destination is non-null. This
        also renames a user: ``update_user_config("alice", fullName="Alice Doe")``.
        """
        user = self._require_user(login)
        keys: set[str] = set()
        for key, value in fields.items():
            if key not in payloads.CONFIG_KEYS or key == "userId":
                raise ValueError(f"Unknown or read-only UserConfigUpdate field {key!r}")
            keys.add(key)
            if key.endswith(("FwdEnabled", "FwdDestination")):
                prefix = key.split("Fwd")[0]
                attr = payloads.FORWARD_ATTRS[prefix]
                enabled, destination = getattr(user, attr)
                if key.endswith("Enabled"):
                    enabled = bool(value)
                else:
                    destination = str(value)
                setattr(user, attr, (enabled, destination))
                keys.update({f"{prefix}FwdEnabled", f"{prefix}FwdDestination"})
            elif key == "lineIds":
                user.line_id = int(value[0])
            else:
                setattr(user, payloads.CONFIG_ATTRS[key], value)
        await self._push_config(user, keys)

    async def rename_user(self, login: str, first_name: str, last_name: str) -> None:
        """An administrator renamed the user: push ``fullName``, ``firstName``, ``lastName``."""
        await self.update_user_config(
            login,
            fullName=f"{first_name} {last_name}".strip(),
            firstName=first_name,
            lastName=last_name,
        )

    async def set_preference(
        self, login: str, key: str, value: str, value_type: str
    ) -> None:
        """Change one preference and push ``UserPreference`` with that key only."""
        user = self._require_user(login)
        user.preferences[key] = (value, value_type)
        await self._push(login, "UserPreference", payloads.preferences(user, [key]))

    def _change_favorites(
        self, user: SimUser, key: tuple[str, str], *, add: bool
    ) -> bool:
        """Add or remove a favourite; False when that cannot apply (unknown, twice)."""
        if add:
            if self.data.contact(*key) is None or key in user.favorites:
                return False
            user.favorites.append(key)
        else:
            if key not in user.favorites:
                return False
            user.favorites.remove(key)
        return True

    async def _push_favorite(
        self, login: str, action: str, key: tuple[str, str]
    ) -> None:
        """Push ``FavoriteUpdated`` to every socket of the user."""
        await self._push(
            login,
            "FavoriteUpdated",
            {"action": action, "contact_id": key[0], "source": key[1]},
        )

    async def add_favorite(self, login: str, contact_id: str, source: str) -> None:
        """Another client added a favourite: push ``FavoriteUpdated`` Added."""
        key = (contact_id, source)
        if not self._change_favorites(self._require_user(login), key, add=True):
            raise ValueError(f"Cannot add favorite {key!r}")
        await self._push_favorite(login, "Added", key)

    async def remove_favorite(self, login: str, contact_id: str, source: str) -> None:
        """Another client removed a favourite: push ``FavoriteUpdated`` Removed."""
        key = (contact_id, source)
        if not self._change_favorites(self._require_user(login), key, add=False):
            raise ValueError(f"{key!r} is not a favorite of {login!r}")
        await self._push_favorite(login, "Removed", key)

    def rename_contact(
        self, contact_id: str, first: str, last: str, *, source: str | None = None
    ) -> None:
        """Rename a directory contact (every source with that id, unless ``source``).

        Nothing is pushed: xuc has no message for a directory change, so a client
        learns the new name at its next ``getFavorites`` or look-up.
        """
        contacts = [
            contact
            for contact in self.data.directory
            if contact.contact_id == contact_id
            and (source is None or contact.source == source)
        ]
        if not contacts:
            raise ValueError(f"No contact {contact_id!r} in {source or 'any source'}")
        for contact in contacts:
            contact.first_name, contact.last_name = first, last

    async def set_voicemail(self, login: str, new: int, old: int) -> None:
        """Change the message counts and push ``VoiceMailStatusUpdate``."""
        user = self._require_user(login)
        user.voicemail_new, user.voicemail_old = new, old
        await self._push(login, "VoiceMailStatusUpdate", payloads.voicemail(user))

    async def set_statuses(self, statuses: list[SimStatus]) -> None:
        """Replace the configured statuses and push the new list(s) to everyone."""
        self.data.statuses = list(statuses)
        messages = payloads.statuses_messages(self.data)
        for session in self.sessions:
            for msg_type, payload in messages:
                await self._send(session, msg_type, payload)

    def set_password(self, login: str, new: str) -> None:
        """Change a password (issued tokens stay valid)."""
        self._require_user(login).password = new
