"""How closely the simulator plays a real xuc: the ideal server, or the quirks of §19.

The protocol reference (§19) lists what real servers may do that the official
clients guard against (G1..G12). ``IDEAL`` is the tidy server the simulator has
always been; ``REAL`` switches on every quirk at once, so that a test (or a
``scripts/develop --profile real`` session) meets the server the integration will
meet in the field. A test may also build any mix with
``dataclasses.replace(IDEAL, call_direction="absent")``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

type CallDirectionMode = Literal["explicit", "unknown", "absent"]
type DirectoryDisplay = Literal["split", "single_name_fr"]
type GreetingOrder = Literal["ideal", "config_last"]
type AgentScope = Literal["own", "all"]
type QueueStatsKey = Literal["id", "ref"]
type AgentErrorType = Literal["AgentError", "Error"]


@dataclass
class ServerProfile:
    """The switches of one simulated server; every field's default is the ideal server.

    The simulator reads its profile each time it builds a frame or greets a
    session, so replacing ``sim.profile`` takes effect on the next frame.
    """

    partial_config: bool = False
    """G1: a per-change ``UserConfigUpdate`` carries defaults for the other keys.

    Forwards not concerned say ``…FwdEnabled: false`` with a null destination,
    ``dndEnabled`` always carries its real value, other keys are null. Off, the
    keys not concerned are all null (``dndEnabled`` too).
    """

    answer_favorites: bool = True
    """G2: off, ``getFavorites`` is recorded but never answered."""

    call_direction: CallDirectionMode = "explicit"
    """G3: ``Incoming``/``Outgoing``; ``"unknown"`` says ``DirectionUnknown``;
    ``"absent"`` leaves ``callDirection`` out of every ``PhoneEvent``."""

    stable_unique_id: bool = True
    """G4: off, a call's ``uniqueId`` changes when it is answered and on every
    transfer; its ``linkedId`` never changes."""

    directory: DirectoryDisplay = "split"
    """G5: ``"split"`` serves ``SimData.headers`` (first, last, number, mobile,
    favourite); ``"single_name_fr"`` the French factory display of XiVO, with the
    full name in one ``Nom`` column."""

    line_number: bool = True
    """G6: off, ``LineConfig`` has no ``number`` (but ``webRtc`` and ``hasDevice``)."""

    greeting: GreetingOrder = "ideal"
    """G7: ``"config_last"`` sends no ``UserStatusUpdate`` and holds the
    ``UserConfigUpdate`` until the first ``Favorites`` reply (or 0.5 s)."""

    resend_on_reconnect: bool = True
    """G8: off, a login's later sessions are not sent the statuses, preferences,
    voicemail and presence again (pushes on change still go out)."""

    check_html_401: bool = False
    """G10: on, ``/auth/check`` refuses a token with an nginx HTML page, not JSON."""

    agent_scope: AgentScope = "own"
    """§12.8: ``"all"`` is a user without a ConfigMGT profile, which xuc serves as
    Admin: **every** agent's ``AgentStateEvent`` and memberships, every queue's
    statistics. ``"own"`` filters them to the user's own agent and its queues (an
    agent profile that filters; no source shows one). Queue configurations go to
    everyone in both."""

    queue_stats_key: QueueStatsKey = "id"
    """§13.4: ``"ref"`` names the queue of a ``QueueStatistics`` by ``queueRef``
    (its name) instead of ``queueId``."""

    agent_error_type: AgentErrorType = "AgentError"
    """§12.4, §18.7: the ``msgType`` of the documented agent login errors."""


IDEAL = ServerProfile()
"""The tidy server: full greeting in a fixed order, explicit directions, stable ids."""

REAL = ServerProfile(
    partial_config=True,
    call_direction="unknown",
    stable_unique_id=False,
    directory="single_name_fr",
    line_number=False,
    greeting="config_last",
    resend_on_reconnect=False,
    check_html_401=True,
    agent_scope="all",
    queue_stats_key="ref",
)
"""Every quirk of §19 the simulator knows, as a field server may show them together.

``answer_favorites`` stays on: a server that never answers ``getFavorites`` is
a fault to inject on purpose, not the usual field server.
"""

PROFILES: dict[str, ServerProfile] = {"ideal": IDEAL, "real": REAL}
"""Profiles by the name the command line (``--profile``) gives them."""
