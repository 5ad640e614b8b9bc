"""Data model of the xuc simulator: the users, directory and statuses it serves.

The simulator is driven by plain mutable dataclasses so that each test can build
exactly the server state it needs (or tweak ``default_data()``) before or while
the simulator runs. Field names follow Python conventions; the wire names are
produced by ``payloads.py`` and ``directory.py`` only, so the model never leaks
protocol details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

type StatusesMessage = Literal["CtiStatuses", "UsersStatuses", "both"]

HEADERS_EN: list[str] = ["Firstname", "Lastname", "Number", "Mobile", "Favorite"]
"""Directory column titles of an English xuc (the seed's ``DirectoryResult`` sample)."""

HEADERS_FR: list[str] = ["Prénom", "Nom", "Numéro", "Mobile", "Favoris"]
"""Directory column titles of a French xuc (S3 tests for the French "Favoris")."""

HEADERS_FR_FACTORY: list[str] = [
    "Nom",
    "Numéro",
    "Mobile",
    "Boîte vocale",
    "Favoris",
    "E-mail",
    "Personnel",
]
"""XiVO's factory directory display since 2015-11 (§19 G5): the full name in one column."""

PREFERENCE_TYPES: frozenset[str] = frozenset({"String", "Boolean"})
"""The ``value_type`` values the seed documents for user preferences."""


def default_preferences() -> dict[str, tuple[str, str]]:
    """Return the two preference keys the seed documents, with their usual values.

    A fresh dict per user, so that one test changing a preference does not leak
    into another user or another test.
    """
    return {
        "PREFERRED_DEVICE": ("TypePhoneDevice", "String"),
        "MOBILE_APP_INFO": ("true", "Boolean"),
    }


@dataclass
class SimUser:
    """A XiVO user allowed to log in to xuc (CTI login enabled).

    Forwards are ``(enabled, destination)`` pairs because xuc always reports a
    forward's flag and destination together. ``favorites`` holds
    ``(contact_id, source)`` pairs pointing into ``SimData.directory``.
    ``first_name``/``last_name`` default to the two halves of ``full_name`` and
    ``line_id`` defaults to ``user_id``: few tests care, but the full
    ``UserConfigUpdate`` must carry them. ``has_line=False`` is a CTI user
    without any line (``LineConfig.id`` is then ``"-"``, ``lineIds`` empty);
    ``line_number`` is then ignored.
    """

    login: str
    password: str
    full_name: str
    user_id: int
    line_number: str
    mobile_number: str = ""
    status: str = "available"
    dnd: bool = False
    unc_fwd: tuple[bool, str] = (False, "")
    na_fwd: tuple[bool, str] = (False, "")
    busy_fwd: tuple[bool, str] = (False, "")
    voicemail_new: int = 0
    voicemail_old: int = 0
    preferences: dict[str, tuple[str, str]] = field(default_factory=default_preferences)
    favorites: list[tuple[str, str]] = field(default_factory=list)
    first_name: str | None = None
    last_name: str | None = None
    line_id: int | None = None
    agent_id: int = 0
    voicemail_id: int | None = None
    voicemail_enabled: bool = True
    has_line: bool = True

    @property
    def given_name(self) -> str:
        """First name as sent in ``UserConfigUpdate.firstName``."""
        if self.first_name is not None:
            return self.first_name
        return self.full_name.partition(" ")[0]

    @property
    def family_name(self) -> str:
        """Last name as sent in ``UserConfigUpdate.lastName``."""
        if self.last_name is not None:
            return self.last_name
        return self.full_name.partition(" ")[2]

    @property
    def effective_line_id(self) -> int:
        """Line id sent in ``lineIds`` and ``LineConfig.id``."""
        return self.user_id if self.line_id is None else self.line_id


@dataclass
class SimContact:
    """One directory entry, as xivo-dird would return it to xuc.

    ``source`` is the dird source name (e.g. ``internal``, ``phonebook``,
    ``personal``); ``(contact_id, source)`` identifies the contact for
    add/remove favourite. ``username`` links internal contacts to a XiVO user.
    ``email`` only shows in the factory display's ``E-mail`` column.
    """

    contact_id: str
    source: str
    first_name: str
    last_name: str
    number: str
    mobile: str = ""
    username: str | None = None
    email: str = ""

    @property
    def display_name(self) -> str:
        """Name shown for this contact, e.g. as a caller's ``otherDName``."""
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class SimStatus:
    """A CTI presence configured on XiVO.

    ``category`` is the ``CtiStatuses.status`` number (0 available, 1 away or
    paused, 2 disconnected). ``actions`` are xivo-ctid presence actions as
    ``(name, parameters)`` pairs, e.g. ``("enablednd", "true")``.
    """

    name: str
    long_name: str
    color: str
    category: int
    actions: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SimCall:
    """A call on a user's line, tracked to build ``PhoneEvent``s and resyncs.

    ``linked_id`` names the call for its whole life; ``unique_id`` is the user's
    current leg, and ``former_ids`` the legs it had before (when the profile
    renews it on answer or transfer), so hooks find the call by any of them.
    ``direction`` is the explicit wire word (``Incoming``/``Outgoing``) the ideal
    profile sends.
    """

    login: str
    unique_id: str
    linked_id: str
    line_number: str
    other_dn: str
    other_name: str
    direction: str
    user_data: dict[str, str] = field(default_factory=dict)
    event_type: str = "EventDialing"
    answered: bool = False
    former_ids: list[str] = field(default_factory=list)

    def known_as(self, call_id: str) -> bool:
        """Whether ``call_id`` is this call's linkedId or one of its uniqueIds."""
        return call_id in (self.linked_id, self.unique_id, *self.former_ids)


@dataclass
class SimAgent:
    """A contact-center agent (§12): its number, its user, its live state.

    ``login`` is the user the agent belongs to (``SimUser.agent_id`` says the
    same from the user's side), None for an agent whose user is of no interest.
    ``state`` is the wire name (``AgentReady``, ...); ``since`` the wall-clock
    time it began; ``phone_number`` the line it is logged on (None: logged out).
    ``monitor_state`` is ``ACTIVE``/``PAUSED`` when its calls are recorded, else
    ``DISABLED`` (the simulator's word: the real one is unknown, §12.7).
    """

    agent_id: int
    number: str
    login: str | None = None
    first_name: str = ""
    last_name: str = ""
    state: str = "AgentLoggedOut"
    since: float = 0.0
    phone_number: str | None = None
    cause: str | None = None
    acd: bool = False
    direction: str | None = None
    monitor_state: str = "DISABLED"


@dataclass
class SimQueue:
    """A queue (§13): its configuration, the callers waiting, its day's totals.

    ``waiting`` holds the wall-clock arrival time of each caller waiting, oldest
    first; ``entered``/``abandoned`` count callers since the simulator started.
    """

    queue_id: int
    name: str
    display_name: str
    number: str
    waiting: list[float] = field(default_factory=list)
    entered: int = 0
    abandoned: int = 0


def seed_statuses() -> list[SimStatus]:
    """Return the statuses of the seed document, with its names, labels and colours.

    ``available``'s colour is not in any sample; XiVO's default green is used.
    """
    return [
        SimStatus("available", "Disponible", "#08FD20", 0, [("enablednd", "false")]),
        SimStatus("away", "Sorti", "#FFDD00", 1, [("enablednd", "false")]),
        SimStatus(
            "outtolunch", "Parti Manger", "#6CA6FF", 1, [("queuepause_all", "true")]
        ),
        SimStatus(
            "donotdisturb", "Ne pas déranger", "#D13224", 1, [("enablednd", "true")]
        ),
        SimStatus(
            "berightback", "Bientôt de retour", "#F2833A", 1, [("enablednd", "false")]
        ),
        SimStatus("disconnected", "Déconnecté", "#9E9E9E", 2, [("agentlogoff", "")]),
    ]


@dataclass
class SimData:
    """Everything the simulated xuc knows: users, directory, statuses and hints.

    ``phone_states`` maps a phone number to its hint code (``Cti.PhoneStatus``);
    a number missing from it is reported as -2 (unknown), like the seed's
    ``peter pan``. ``statuses_message`` picks which status list is pushed at
    login, since servers differ by version. ``token_ttl`` is in seconds.
    """

    users: list[SimUser] = field(default_factory=list)
    directory: list[SimContact] = field(default_factory=list)
    statuses: list[SimStatus] = field(default_factory=seed_statuses)
    headers: list[str] = field(default_factory=lambda: list(HEADERS_EN))
    phone_states: dict[str, int] = field(default_factory=dict)
    statuses_message: StatusesMessage = "both"
    token_ttl: int = 3600
    agents: list[SimAgent] = field(default_factory=list)
    queues: list[SimQueue] = field(default_factory=list)
    # (agent id, queue id) -> penalty (>= 0) of each membership.
    memberships: dict[tuple[int, int], int] = field(default_factory=dict)

    def user(self, login: str) -> SimUser | None:
        """Find a user by login (exact match, as XiVO logins are case sensitive)."""
        return next((user for user in self.users if user.login == login), None)

    def contact(self, contact_id: str, source: str) -> SimContact | None:
        """Find a directory entry by its favourite key."""
        return next(
            (
                contact
                for contact in self.directory
                if contact.contact_id == contact_id and contact.source == source
            ),
            None,
        )

    def status(self, name: str) -> SimStatus | None:
        """Find a configured status by name."""
        return next((status for status in self.statuses if status.name == name), None)

    def agent(self, agent_id: int) -> SimAgent | None:
        """Find an agent by id."""
        return next((a for a in self.agents if a.agent_id == agent_id), None)

    def queue(self, queue_id: int) -> SimQueue | None:
        """Find a queue by id."""
        return next((q for q in self.queues if q.queue_id == queue_id), None)

    def phone_state(self, number: str) -> int:
        """Hint code of a number; -2 when the number has no hint."""
        return self.phone_states.get(number, -2)


ALICE_PASSWORD = "alice-pw"
"""Password of ``alice`` in ``default_data()``."""

BOB_PASSWORD = "bob-pw"
"""Password of ``bob`` in ``default_data()``."""


def default_data() -> SimData:
    """Return a small, realistic data set with English headers.

    Users ``alice`` (line 1000) and ``bob`` (line 1001); the seed's contacts
    ``hawkeye pierce`` (1002, idle) and ``peter pan`` (1004, no hint); an
    external contact with accents. ``alice`` has two favourites. A new object
    on every call, so tests may mutate it freely.
    """
    alice = SimUser(
        login="alice",
        password=ALICE_PASSWORD,
        full_name="Alice Johnson",
        user_id=1,
        line_number="1000",
        mobile_number="0612345678",
        voicemail_id=1,
        favorites=[("3", "internal"), ("42", "phonebook")],
    )
    bob = SimUser(
        login="bob",
        password=BOB_PASSWORD,
        full_name="Bob Martin",
        user_id=2,
        line_number="1001",
        mobile_number="0698765432",
        voicemail_id=2,
    )
    directory = [
        SimContact("1", "internal", "Alice", "Johnson", "1000", "0612345678", "alice"),
        SimContact("2", "internal", "Bob", "Martin", "1001", "0698765432", "bob"),
        SimContact("3", "internal", "hawkeye", "pierce", "1002", "0761187406"),
        SimContact("4", "internal", "peter", "pan", "1004", ""),
        SimContact("42", "phonebook", "Émilie", "Lefèvre", "0427466347", "0611223344"),
    ]
    return SimData(
        users=[alice, bob],
        directory=directory,
        phone_states={"1000": 0, "1001": 0, "1002": 0},
    )
