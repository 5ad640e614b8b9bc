"""The ``claz: "web"`` commands the simulator implements, their validation and replies.

Arguments are checked against the reference (§3) before a handler runs: a
missing or ill-typed argument, an unknown ``claz`` or command, and a frame that
is not an object become an ``Error`` reply to the sender only (``{"Error":
"<text>"}``); extra keys are tolerated and the link stays open.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from . import directory, payloads
from .agents import AGENT_COMMANDS, AgentCommands
from .call_control import CALL_COMMANDS, CallControlCommands
from .core import SimSession
from .data import PREFERENCE_TYPES, SimUser
from .errors import CommandError as CommandError  # noqa: PLC0414 - re-exported
from .greeting import Greeting
from .history import HISTORY_COMMANDS
from .payloads import Json

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

# Argument kinds for command validation.
_STR = "string"
_BOOL = "boolean"
_INT = "integer"
_STR_LIST = "array of strings"
_STR_MAP = "object of strings"

type _ArgSpec = tuple[str, str, bool]
"""(argument name, kind, required)."""

_FORWARD_SPECS: tuple[_ArgSpec, ...] = (
    ("state", _BOOL, True),
    ("destination", _STR, True),
)
_FAVORITE_SPECS: tuple[_ArgSpec, ...] = (
    ("contactId", _STR, True),
    ("source", _STR, True),
)


def _check_kind(value: Any, kind: str) -> bool:
    """Whether a JSON value has the kind a command argument needs."""
    if kind == _STR:
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == _STR_MAP:
        return isinstance(value, dict) and all(
            isinstance(v, str) for v in value.values()
        )
    raise AssertionError(kind)


def _validate(command: str, frame: Json, specs: tuple[_ArgSpec, ...]) -> None:
    """Refuse a frame whose arguments are missing or of the wrong JSON type."""
    for name, kind, required in specs:
        if name not in frame:
            if required:
                raise CommandError(f"Invalid {command}: missing argument {name!r}")
            continue
        if not _check_kind(frame[name], kind):
            raise CommandError(
                f"Invalid {command}: argument {name!r} must be a {kind}, "
                f"got {json.dumps(frame[name], ensure_ascii=False)}"
            )


class CommandHandlers(AgentCommands, CallControlCommands, Greeting):
    """Validate one client frame and run its command (``_dispatch``)."""

    async def _dispatch(self, session: SimSession, frame: Json) -> None:
        """Validate one client frame and run its command."""
        if "_invalid" in frame:
            raise CommandError(f"Invalid frame: {frame['_invalid']}")
        claz = frame.get("claz")
        if claz != "web":
            raise CommandError(f"Invalid message: unknown claz {claz!r}")
        command = frame.get("command")
        if not isinstance(command, str):
            raise CommandError("Invalid message: missing command")
        entry = self._COMMANDS.get(command)
        if entry is None:
            raise CommandError(f"Invalid message: unknown command {command!r}")
        specs, handler = entry
        _validate(command, frame, specs)
        user = self.data.user(session.login)
        if user is None:
            raise CommandError(f"Unknown user {session.login!r}")
        await handler(self, session, user, frame)

    async def _cmd_get_favorites(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getFavorites`` → ``Favorites`` (G2: never, if the profile says so).

        A ``config_last`` greeting releases its held ``UserConfigUpdate`` right
        after the session's first ``Favorites`` (G7).
        """
        if not self.profile.answer_favorites:
            return
        payload = directory.favorites(self.data, user, self.profile)
        await self._send(session, "Favorites", payload)
        await self._release_config(session)

    async def _favorite_change(
        self, session: SimSession, user: SimUser, frame: Json, *, add: bool
    ) -> None:
        """``addFavorite``/``removeFavorite``: push the change, or answer Failed."""
        key = (frame["contactId"], frame["source"])
        if self._change_favorites(user, key, add=add):
            await self._push_favorite(user.login, "Added" if add else "Removed", key)
            return
        payload = {"action": "Failed", "contact_id": key[0], "source": key[1]}
        await self._send(session, "FavoriteUpdated", payload)

    async def _cmd_add_favorite(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``addFavorite`` → ``FavoriteUpdated`` Added (to all sockets) or Failed."""
        await self._favorite_change(session, user, frame, add=True)

    async def _cmd_remove_favorite(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``removeFavorite`` → ``FavoriteUpdated`` Removed (to all sockets) or Failed."""
        await self._favorite_change(session, user, frame, add=False)

    def _lookup_result(self, user: SimUser, term: str) -> Json:
        """The ``DirectoryResult`` of a look-up term."""
        contacts = directory.search(self.data, term)
        return directory.result(self.data, user, contacts, self.profile)

    async def _cmd_directory_lookup(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``directoryLookUp`` → ``DirectoryResult``."""
        result = self._lookup_result(user, frame["term"])
        await self._send(session, "DirectoryResult", result)

    async def _cmd_search_contacts(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``searchContacts`` → ``ContactSheet`` then ``DirectoryResult`` (D10)."""
        contacts = directory.search(self.data, frame["term"])
        sheets = [directory.sheet(self.data, user, contact) for contact in contacts]
        await self._send(session, "ContactSheet", {"sheets": sheets})
        await self._send(
            session, "DirectoryResult", self._lookup_result(user, frame["term"])
        )

    async def _cmd_user_status_update(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``userStatusUpdate`` → ``UserStatusUpdate`` (+ DND config if the status says so)."""
        status = self.data.status(frame["status"])
        if status is None:
            raise CommandError(f"Invalid status {frame['status']!r}")
        await self._apply_status(user, status)

    async def _cmd_display_name_lookup(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``displayNameLookup`` → ``UserDisplayName`` ("" for an unknown user)."""
        username = frame["username"]
        other = self.data.user(username)
        display_name = other.full_name if other is not None else ""
        if other is None:
            contact = next(
                (c for c in self.data.directory if c.username == username), None
            )
            if contact is not None:
                display_name = contact.display_name
        await self._send(
            session,
            "UserDisplayName",
            {"username": username, "displayName": display_name},
        )

    async def _cmd_set_user_preference(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``setUserPreference`` → ``UserPreference`` with the changed key only."""
        key, value, value_type = frame["key"], frame["value"], frame["value_type"]
        if value_type not in PREFERENCE_TYPES:
            raise CommandError(
                f"Invalid value_type {value_type!r} for setUserPreference"
            )
        if value_type == "Boolean" and value not in ("true", "false"):
            raise CommandError(f"Invalid Boolean value {value!r} for {key}")
        await self.set_preference(user.login, key, value, value_type)

    async def _cmd_dnd(self, session: SimSession, user: SimUser, frame: Json) -> None:
        """``dnd`` → per-change ``UserConfigUpdate``."""
        user.dnd = frame["state"]
        await self._push_config(user, {"dndEnabled"})

    async def _cmd_unc_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``uncFwd`` → per-change ``UserConfigUpdate``."""
        await self._set_forward(user, "unc", frame["state"], frame["destination"])

    async def _cmd_na_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``naFwd`` → per-change ``UserConfigUpdate``."""
        await self._set_forward(user, "na", frame["state"], frame["destination"])

    async def _cmd_busy_fwd(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``busyFwd`` → per-change ``UserConfigUpdate``."""
        await self._set_forward(user, "busy", frame["state"], frame["destination"])

    async def _cmd_subscribe_hints(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``subscribeToPhoneHints`` → one ``PhoneHintStatusEvent`` per number now."""
        for number in frame["phoneNumbers"]:
            session.hints.add(number)
            await self._send(
                session,
                "PhoneHintStatusEvent",
                {"number": number, "status": self.data.phone_state(number)},
            )

    async def _cmd_unsubscribe_hints(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``unsubscribeFromAllPhoneHints``: no reply."""
        session.hints.clear()

    async def _cmd_get_config(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getConfig`` with ``objectType: "line"`` → ``LineConfig``."""
        if frame["objectType"] != "line":
            raise CommandError(
                f"Unsupported objectType {frame['objectType']!r} for getConfig"
            )
        await self._send(
            session, "LineConfig", payloads.line_config(user, self.profile)
        )

    async def _cmd_current_calls(
        self, session: SimSession, user: SimUser, frame: Json
    ) -> None:
        """``getCurrentCallsPhoneEvents`` → ``CurrentCallsPhoneEvents``."""
        await self._send(
            session,
            "CurrentCallsPhoneEvents",
            {"events": self.current_calls(user.login)},
        )

    async def _cmd_dial(self, session: SimSession, user: SimUser, frame: Json) -> None:
        """``dial`` → ``PhoneEvent`` EventDialing on the user's line, hint 1."""
        if not user.has_line:
            raise CommandError(f"Cannot dial: {user.login!r} has no line")
        await self._start_call(user, frame["destination"], None, incoming=False)

    _COMMANDS: ClassVar[
        dict[
            str,
            tuple[
                tuple[_ArgSpec, ...],
                Callable[[CommandHandlers, SimSession, SimUser, Json], Awaitable[None]],
            ],
        ]
    ] = {
        "getFavorites": ((), _cmd_get_favorites),
        "addFavorite": (_FAVORITE_SPECS, _cmd_add_favorite),
        "removeFavorite": (_FAVORITE_SPECS, _cmd_remove_favorite),
        "directoryLookUp": ((("term", _STR, True),), _cmd_directory_lookup),
        "searchContacts": ((("term", _STR, True),), _cmd_search_contacts),
        "userStatusUpdate": ((("status", _STR, True),), _cmd_user_status_update),
        "displayNameLookup": ((("username", _STR, True),), _cmd_display_name_lookup),
        "setUserPreference": (
            (("key", _STR, True), ("value", _STR, True), ("value_type", _STR, True)),
            _cmd_set_user_preference,
        ),
        "dnd": ((("state", _BOOL, True),), _cmd_dnd),
        "uncFwd": (_FORWARD_SPECS, _cmd_unc_fwd),
        "naFwd": (_FORWARD_SPECS, _cmd_na_fwd),
        "busyFwd": (_FORWARD_SPECS, _cmd_busy_fwd),
        "subscribeToPhoneHints": (
            (("phoneNumbers", _STR_LIST, True),),
            _cmd_subscribe_hints,
        ),
        "unsubscribeFromAllPhoneHints": ((), _cmd_unsubscribe_hints),
        "getConfig": ((("objectType", _STR, True),), _cmd_get_config),
        "getCurrentCallsPhoneEvents": ((), _cmd_current_calls),
        "dial": (
            (("destination", _STR, True), ("variables", _STR_MAP, False)),
            _cmd_dial,
        ),
        **HISTORY_COMMANDS,
        **CALL_COMMANDS,
        **AGENT_COMMANDS,
    }
    """Implemented commands: argument specs (reference §3) and handlers."""
