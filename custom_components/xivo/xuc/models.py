"""Typed, immutable models of what a xuc server tells about its user.

Every model is a frozen dataclass: the client replaces them, it never mutates them, so a
listener can keep a snapshot and compare it with the next one by identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from operator import attrgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

from .agents import positive_id

# Re-exported explicitly (for mypy): they lived here first, and are imported from here.
from .scalars import (
    parse_bool as parse_bool,  # noqa: PLC0414
    parse_code as parse_code,  # noqa: PLC0414
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .agents import AgentState, Queue, QueueStats

EMPTY_MAPPING: Final[Mapping[Any, Any]] = MappingProxyType({})

ForwardKind = Literal["unconditional", "no_answer", "busy"]
FORWARD_KINDS: Final[tuple[ForwardKind, ...]] = ("unconditional", "no_answer", "busy")
# The prefix of each forward's `UserConfigUpdate` keys (`uncFwdEnabled`, ...).
FORWARD_PREFIXES: Final[Mapping[ForwardKind, str]] = MappingProxyType(
    {"unconditional": "unc", "no_answer": "na", "busy": "busy"}
)


class PhoneState(StrEnum):
    """Named state of a phone line (xuc's `Cti.PhoneStatus` codes).

    The names avoid `unavailable` and `unknown`, which Home Assistant reserves: a code
    without a name (-2 unexisting, -99 error, anything new) maps to no state at all.
    """

    AVAILABLE = "available"
    CALLING = "calling"
    BUSY = "busy"
    NOT_AVAILABLE = "not_available"
    RINGING = "ringing"
    BUSY_AND_RINGING = "busy_and_ringing"
    ON_HOLD = "on_hold"
    DEACTIVATED = "deactivated"


PHONE_STATE_BY_CODE: Final[Mapping[int, PhoneState]] = MappingProxyType(
    {
        0: PhoneState.AVAILABLE,
        1: PhoneState.CALLING,
        2: PhoneState.BUSY,
        4: PhoneState.NOT_AVAILABLE,
        8: PhoneState.RINGING,
        9: PhoneState.BUSY_AND_RINGING,
        16: PhoneState.ON_HOLD,
        -1: PhoneState.DEACTIVATED,
    }
)

# `PhoneStatusUpdate` may carry the cti.js constant name instead of the code.
_PHONE_STATE_BY_JS_NAME: Final[Mapping[str, PhoneState]] = MappingProxyType(
    {
        "AVAILABLE": PhoneState.AVAILABLE,
        "CALLING": PhoneState.CALLING,
        "BUSY": PhoneState.BUSY,
        "INDISPONIBLE": PhoneState.NOT_AVAILABLE,
        "RINGING": PhoneState.RINGING,
        "BUSY_AND_RINGING": PhoneState.BUSY_AND_RINGING,
        "ONHOLD": PhoneState.ON_HOLD,
        "DEACTIVATED": PhoneState.DEACTIVATED,
    }
)


def phone_state_from_wire(value: object) -> PhoneState | None:
    """Map a phone status as sent on the wire (code, numeric string or name) to a state."""
    code = parse_code(value)
    if code is not None:
        return PHONE_STATE_BY_CODE.get(code)
    if isinstance(value, str):
        text = value.strip()
        upper = text.upper()
        if upper in _PHONE_STATE_BY_JS_NAME:
            return _PHONE_STATE_BY_JS_NAME[upper]
        try:
            return PhoneState(text.lower())
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True)
class StatusAction:
    """An action the PBX runs when the user takes a status (e.g. `enablednd`)."""

    name: str
    parameters: str


@dataclass(frozen=True, slots=True)
class Status:
    """A presence status the server lists (`UsersStatuses` or `CtiStatuses` item)."""

    name: str
    label: str
    color: str | None = None
    category: int | None = None
    actions: tuple[StatusAction, ...] = ()

    @property
    def dnd(self) -> bool | None:
        """Whether taking this status turns DND on (True), off (False), or leaves it."""
        for action in self.actions:
            if action.name == "enablednd":
                return parse_bool(action.parameters)
        return None


@dataclass(frozen=True, slots=True)
class Forward:
    """One call forward of the user."""

    enabled: bool = False
    destination: str = ""


@dataclass(frozen=True, slots=True)
class UserConfig:
    """The user's configuration, merged field by field from `UserConfigUpdate`.

    `fields` keeps every key the server sent (unknown ones too) with its last non-null
    value, except a forward's `…FwdEnabled` that came without its `…FwdDestination`
    (see the reducer: a partial update carries `false` for forwards it is not about);
    the properties read the keys this client understands.
    """

    fields: Mapping[str, Any] = EMPTY_MAPPING

    def _str(self, key: str) -> str | None:
        value = self.fields.get(key)
        if value is None or isinstance(value, (dict, list)):
            return None
        return str(value)

    def _bool(self, key: str) -> bool:
        return parse_bool(self.fields.get(key))

    @property
    def user_id(self) -> str | None:
        """The user's id on the PBX."""
        return self._str("userId")

    @property
    def full_name(self) -> str | None:
        """The user's full name, e.g. "Alice Johnson"."""
        name = self._str("fullName")
        if not name:
            parts = [self._str("firstName"), self._str("lastName")]
            name = " ".join(part for part in parts if part)
        return name or None

    @property
    def agent_id(self) -> int | None:
        """The user's agent (`agentId`) when it is a positive id, else None (§18.1)."""
        return positive_id(self.fields.get("agentId"))

    @property
    def mobile_number(self) -> str | None:
        """The user's mobile number."""
        return self._str("mobileNumber")

    @property
    def dnd(self) -> bool:
        """Whether Do Not Disturb is on."""
        return self._bool("dndEnabled")

    def forward(self, kind: ForwardKind) -> Forward:
        """One of the three call forwards, by kind."""
        prefix = FORWARD_PREFIXES[kind]
        return Forward(
            enabled=self._bool(f"{prefix}FwdEnabled"),
            destination=self._str(f"{prefix}FwdDestination") or "",
        )

    @property
    def unconditional_forward(self) -> Forward:
        """The unconditional forward."""
        return self.forward("unconditional")

    @property
    def no_answer_forward(self) -> Forward:
        """The forward on no answer."""
        return self.forward("no_answer")

    @property
    def busy_forward(self) -> Forward:
        """The forward when busy."""
        return self.forward("busy")


@dataclass(frozen=True, slots=True)
class Preference:
    """One user preference (`UserPreference`), value as the string the wire carries."""

    key: str
    value: str
    value_type: str


@dataclass(frozen=True, slots=True)
class Voicemail:
    """Voicemail message counts (`VoiceMailStatusUpdate`)."""

    new: int = 0
    waiting: int = 0
    old: int = 0


@dataclass(frozen=True, slots=True)
class Contact:
    """A directory or favorites row, mapped by header name, never by position."""

    first_name: str = ""
    last_name: str = ""
    full_name: str = ""  # a one-column name display (XiVO's factory `Nom`)
    number: str = ""
    mobile: str = ""
    favorite: bool = False
    status_code: int | None = None
    contact_id: str | None = None
    source: str | None = None
    fields: Mapping[str, str] = EMPTY_MAPPING

    @property
    def name(self) -> str:
        """The full-name column when the display has one, else first and last name."""
        if self.full_name:
            return self.full_name
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def key(self) -> str | None:
        """A stable identity for a favorite: `source/contact_id`, or None if unknown."""
        if self.contact_id is None:
            return None
        return f"{self.source or ''}/{self.contact_id}"

    @property
    def phone_state(self) -> PhoneState | None:
        """The phone state the directory reported with this row."""
        return (
            PHONE_STATE_BY_CODE.get(self.status_code)
            if self.status_code is not None
            else None
        )


@dataclass(frozen=True, slots=True)
class DirectoryResult:
    """A `DirectoryResult` (or `Favorites`) payload."""

    headers: tuple[str, ...] = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True, slots=True)
class Call:
    """A call on the user's own line, from `PhoneEvent`s.

    One call keeps its `linked_id` (Asterisk's id of the call as a whole) while its
    `unique_id` (the channel, the handle for call commands) may change on transfers
    and queues: `key` is the identity, `unique_id` the latest handle. `direction` is
    `"Incoming"`, `"Outgoing"` or None when neither the server nor the first event
    told it.
    """

    unique_id: str
    state: str
    direction: str | None = None
    other_number: str | None = None
    other_name: str | None = None
    linked_id: str | None = None
    answered: bool = False
    queue_name: str | None = None
    user_data: Mapping[str, str] = EMPTY_MAPPING  # the attached `USR_*` data only

    @property
    def key(self) -> str:
        """The call's identity across its events: the linked id, else the unique id."""
        return self.linked_id or self.unique_id


@dataclass(frozen=True, slots=True)
class XucSnapshot:
    """Everything the server has pushed about the user, as one immutable value."""

    user: UserConfig = field(default_factory=UserConfig)
    statuses: tuple[Status, ...] = ()
    status_name: str | None = None
    preferences: Mapping[str, Preference] = EMPTY_MAPPING
    favorites: Mapping[str, Contact] = EMPTY_MAPPING
    # Whether a `Favorites` list came on this client: an empty list is then the truth
    # (the user has none), not just "not told yet".
    favorites_received: bool = False
    phone_hints: Mapping[str, int] = EMPTY_MAPPING
    line_number: str | None = None  # `LineConfig.number`, which real servers may omit
    line_id: str | None = None  # `LineConfig.id`; "-" when the user has no line
    phone_number: str | None = (
        None  # the number the user configured (set by the client)
    )
    own_phone_status: PhoneState | None = None
    voicemail: Voicemail | None = None
    calls: Mapping[str, Call] = EMPTY_MAPPING  # by `Call.key`
    # Contact center (`agents`): the user's own agent only, every queue configured,
    # the own agent's memberships (queue id -> penalty) and the queues' statistics.
    agent: AgentState | None = None
    queues: Mapping[int, Queue] = EMPTY_MAPPING
    memberships: Mapping[int, int] = EMPTY_MAPPING
    queue_stats: Mapping[int, QueueStats] = EMPTY_MAPPING

    def evolve(self, **changes: Any) -> XucSnapshot:
        """A copy with some fields changed.

        Cheaper than `dataclasses.replace` (no `__init__`, no field validation), which
        matters on the path every pushed frame takes.
        """
        new = object.__new__(XucSnapshot)
        # Same length by construction; a strict zip costs a tenth of the copy.
        for setter, value in zip(_SETTERS, _READ_ALL(self), strict=False):
            setter(new, value)
        for name, value in changes.items():
            setter = _SETTER_BY_NAME.get(name)
            if setter is None:
                raise TypeError(f"unknown snapshot field: {name}")
            setter(new, value)
        return new

    @property
    def status(self) -> Status | None:
        """The current status, looked up in the list the server sent."""
        for status in self.statuses:
            if status.name == self.status_name:
                return status
        return None

    def contact_phone_state(self, contact: Contact) -> PhoneState | None:
        """A contact's live phone state: the latest phone hint, else its row's status."""
        code = self.phone_hints.get(contact.number, contact.status_code)
        return PHONE_STATE_BY_CODE.get(code) if code is not None else None

    @property
    def has_line(self) -> bool | None:
        """Whether the user has a line; None until a `LineConfig` told."""
        if self.line_id is None:
            return None if self.line_number is None else True
        return self.line_id != "-"

    @property
    def own_number(self) -> str | None:
        """The user's own number: the line's, else the one the user configured."""
        return self.line_number or self.phone_number

    @property
    def own_phone_state(self) -> PhoneState | None:
        """The state of the user's own line: its phone hint, else `PhoneStatusUpdate`."""
        number = self.own_number
        if number is not None and number in self.phone_hints:
            return PHONE_STATE_BY_CODE.get(self.phone_hints[number])
        return self.own_phone_status


# Each field's slot descriptor setter: setting through it skips the frozen class's
# `__setattr__` guard, which is what makes `evolve` cheaper than `dataclasses.replace`.
# One `attrgetter` reads every field at once; the changes are then set over the copy.
_NAMES: Final = tuple(f.name for f in fields(XucSnapshot))
_READ_ALL: Final = attrgetter(*_NAMES)
_SETTERS: Final = tuple(XucSnapshot.__dict__[name].__set__ for name in _NAMES)
_SETTER_BY_NAME: Final = dict(zip(_NAMES, _SETTERS, strict=True))
