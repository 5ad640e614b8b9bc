"""The availability select's reading of a snapshot: options, current option, what is sent.

Pure functions over snapshots built here: every pause-reason shape of §12.6 without a
server (the simulated one is used by the other agent tests).
"""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import AsyncMock, create_autospec

import pytest

from custom_components.xivo.agent_availability import (
    LOGGED_OUT,
    PAUSED,
    READY,
    availability_options,
    current_availability,
    find_pause_reason,
    select_availability,
)
from custom_components.xivo.xuc import (
    AgentState,
    AgentStatus,
    Status,
    StatusAction,
    XucClient,
    XucSnapshot,
)

PAUSE = (StatusAction("queuepause_all", ""),)
UNPAUSE = (StatusAction("queueunpause_all", ""),)
USERS_STATUSES = (
    Status("available", "Disponible", actions=UNPAUSE),
    Status("outtolunch", "Parti Manger", actions=PAUSE),
    Status("ook", "Pause café", actions=(StatusAction("enablednd", "false"), *PAUSE)),
    Status("away", "Sorti", actions=(StatusAction("enablednd", "false"),)),
)
CTI_STATUSES = (
    Status("available", "Disponible", category=0),
    Status("outtolunch", "Parti Manger", category=1),
    Status("disconnected", "Déconnecté", category=2),
)


def _snapshot(
    statuses: tuple[Status, ...],
    status: AgentStatus | None = AgentStatus.READY,
    cause: str | None = None,
) -> XucSnapshot:
    agent = AgentState(
        agent_id=12,
        status=status,
        wire_name="AgentX",
        phone_number="1000",
        since=datetime(2026, 12, 1, tzinfo=UTC),
        cause=cause,
    )
    return XucSnapshot(statuses=statuses, agent=agent)


def test_options_are_ready_the_pause_reasons_and_logged_out() -> None:
    """UsersStatuses: the statuses with queuepause_all, by label, in the server's order."""
    assert availability_options(_snapshot(USERS_STATUSES)) == [
        READY,
        "Parti Manger",
        "Pause café",
        LOGGED_OUT,
    ]


def test_cti_statuses_pause_reasons_are_category_one() -> None:
    """CtiStatuses carry no actions: category 1 is a pause reason."""
    assert availability_options(_snapshot(CTI_STATUSES)) == [
        READY,
        "Parti Manger",
        LOGGED_OUT,
    ]


def test_one_paused_option_when_the_server_has_no_reason() -> None:
    """No pause reason at all: a single translated `paused`."""
    statuses = (Status("available", "Disponible"), Status("away", "Sorti"))
    assert availability_options(_snapshot(statuses)) == [READY, PAUSED, LOGGED_OUT]


@pytest.mark.parametrize(
    ("status", "cause", "expected"),
    [
        (AgentStatus.READY, None, READY),
        (AgentStatus.LOGGED_IN, None, READY),
        (AgentStatus.ON_CALL, None, READY),
        (AgentStatus.WRAPUP, None, READY),
        (AgentStatus.LOGGED_OUT, None, LOGGED_OUT),
        (AgentStatus.PAUSED, "outtolunch", "Parti Manger"),
        (AgentStatus.PAUSED, "ook", "Pause café"),
        (AgentStatus.PAUSED, None, PAUSED),
        (AgentStatus.PAUSED, "away", PAUSED),
        (None, None, None),
    ],
)
def test_current_option(
    status: AgentStatus | None, cause: str | None, expected: str | None
) -> None:
    """The reason's label while paused, `paused` for another cause, else ready/out."""
    snapshot = _snapshot(USERS_STATUSES, status, cause)
    assert current_availability(snapshot) == expected
    if expected is not None:
        assert expected in availability_options(snapshot)


def test_no_agent_state_no_option() -> None:
    """Before any AgentStateEvent the select shows unknown."""
    assert current_availability(XucSnapshot(statuses=USERS_STATUSES)) is None


def test_find_pause_reason_by_name_or_label() -> None:
    """A status name or its label, case and accents aside; never a non-pause status."""
    snapshot = _snapshot(USERS_STATUSES)
    assert find_pause_reason(snapshot, "outtolunch") == USERS_STATUSES[1]
    assert find_pause_reason(snapshot, "parti manger") == USERS_STATUSES[1]
    assert find_pause_reason(snapshot, "PAUSE CAFE") == USERS_STATUSES[2]
    assert find_pause_reason(snapshot, "away") is None
    assert find_pause_reason(snapshot, "Disponible") is None


async def test_each_option_sends_its_command() -> None:
    """Ready unpauses, a reason pauses with the status name, logged out logs out."""
    client = create_autospec(XucClient, instance=True)
    for name in ("agent_ready", "agent_pause", "agent_logout"):
        setattr(client, name, AsyncMock())
    snapshot = _snapshot(USERS_STATUSES)
    await select_availability(client, snapshot, READY)
    client.agent_ready.assert_awaited_once_with()
    await select_availability(client, snapshot, "Pause café")
    client.agent_pause.assert_awaited_once_with("ook")
    await select_availability(client, snapshot, PAUSED)
    client.agent_pause.assert_awaited_with(None)
    await select_availability(client, snapshot, LOGGED_OUT)
    client.agent_logout.assert_awaited_once_with()
