"""The agent actions against the simulator: the frames they send, their errors.

Every error is the translated message: its `translation_key` and placeholders are
checked, not only its type.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN

from . import agent_frames
from .agent_frames import AGENT_ID, AGENT_STATE, AVAILABILITY
from .common import state_is, wait_for_state
from .simulator import ServerProfile, SimData, XucSimulator

# Alice is agent 12 on this module's simulator (see agent_frames).
sim_data = agent_frames.sim_data
xuc_server = agent_frames.xuc_server
no_agent_entry = agent_frames.no_agent_entry


async def _act(
    hass: HomeAssistant, entry: MockConfigEntry, action: str, **data: Any
) -> None:
    await hass.services.async_call(
        DOMAIN,
        action,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
    )


async def test_login_on_the_own_line_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`xivo.agent_login` with no number logs in on line 1000, and waits for it."""
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    await _act(hass, init_integration, "agent_login")
    assert xuc_server.commands("agentLogin") == [
        {
            "claz": "web",
            "command": "agentLogin",
            "agentphonenumber": "1000",
            "agentid": AGENT_ID,
        }
    ]
    # Confirmed by the push: the state is already there when the action returns.
    state = hass.states.get(AGENT_STATE)
    assert state is not None
    assert state.state in {"logged_in", "ready"}


async def test_login_on_a_given_line(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A `phone_number` is sent as given."""
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    await _act(hass, init_integration, "agent_login", phone_number="1001")
    assert xuc_server.commands("agentLogin")[0]["agentphonenumber"] == "1001"
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))


@pytest.mark.parametrize(
    "server_profile",
    [ServerProfile(), ServerProfile(agent_error_type="Error")],
    ids=["AgentError", "Error"],
)
async def test_logged_in_on_another_phone(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Logged in on 1000, asked for 1001: both numbers in the translated message."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    with pytest.raises(HomeAssistantError) as caught:
        await _act(hass, init_integration, "agent_login", phone_number="1001")
    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_key == "agent_logged_in_on_another_phone"
    assert caught.value.translation_placeholders == {
        "error": "LoggedInOnAnotherPhone",
        "phone_number": "1000",
        "requested_number": "1001",
    }


async def test_phone_number_unknown(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A line the server does not know: the number asked for is in the message."""
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    with pytest.raises(HomeAssistantError) as caught:
        await _act(hass, init_integration, "agent_login", phone_number="1999")
    assert caught.value.translation_key == "agent_phone_number_unknown"
    assert caught.value.translation_placeholders is not None
    assert caught.value.translation_placeholders["requested_number"] == "1999"


async def test_logout_and_ready(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`agent_logout` and `agent_ready` (which logs in first when logged out)."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _act(hass, init_integration, "agent_logout")
    assert xuc_server.commands("agentLogout") == [
        {"claz": "web", "command": "agentLogout", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    await _act(hass, init_integration, "agent_ready")
    assert xuc_server.commands("agentLogin")[0]["agentphonenumber"] == "1000"
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))


@pytest.mark.parametrize("reason", ["outtolunch", "parti manger", "Parti Manger"])
async def test_pause_for_a_reason_by_name_or_label(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    reason: str,
) -> None:
    """The reason is sent as its status name, whatever the user wrote."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _act(hass, init_integration, "agent_pause", reason=reason)
    assert xuc_server.commands("pauseAgent") == [
        {
            "claz": "web",
            "command": "pauseAgent",
            "agentid": AGENT_ID,
            "reason": "outtolunch",
        }
    ]
    state = hass.states.get(AGENT_STATE)
    assert state is not None
    assert state.state == "paused"
    assert state.attributes["pause_reason"] == "outtolunch"


async def test_pause_without_a_reason(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No reason: `pauseAgent` without one."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    await _act(hass, init_integration, "agent_pause")
    assert xuc_server.commands("pauseAgent") == [
        {"claz": "web", "command": "pauseAgent", "agentid": AGENT_ID}
    ]
    await wait_for_state(hass, AGENT_STATE, state_is("paused"))


async def test_a_reason_that_is_no_pause_reason_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A status that does not pause, or no status: refused, with the valid reasons."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    for reason in ("away", "lunch"):
        with pytest.raises(ServiceValidationError) as caught:
            await _act(hass, init_integration, "agent_pause", reason=reason)
        assert caught.value.translation_key == "unknown_pause_reason"
        assert caught.value.translation_placeholders == {
            "reason": reason,
            "reasons": "Parti Manger",
        }
    assert xuc_server.commands("pauseAgent") == []


async def test_time_out_without_confirmation(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No confirming push in time: the translated time-out."""
    await wait_for_state(hass, AGENT_STATE, state_is("ready"))
    init_integration.runtime_data.client.agent_confirm_timeout = 0.2
    xuc_server.delay_replies(1.0)
    with pytest.raises(HomeAssistantError) as caught:
        await _act(hass, init_integration, "agent_pause")
    assert caught.value.translation_key == "command_timeout"
    xuc_server.delay_replies(0)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("agent_login", {}),
        ("agent_logout", {}),
        ("agent_ready", {}),
        ("agent_pause", {}),
        ("agent_pause", {"reason": "outtolunch"}),
    ],
)
async def test_a_user_who_is_no_agent_is_refused(
    hass: HomeAssistant,
    no_agent_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    action: str,
    data: dict[str, Any],
) -> None:
    """The translated validation error, and nothing sent."""
    with pytest.raises(ServiceValidationError) as caught:
        await _act(hass, no_agent_entry, action, **data)
    assert caught.value.translation_key == "no_agent"
    for command in ("agentLogin", "agentLogout", "pauseAgent", "unpauseAgent"):
        assert xuc_server.commands(command) == []


async def test_no_line_to_log_in_on(
    hass: HomeAssistant,
    sim_data: SimData,
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """A user without a line, logged out: login and ready say so, nothing is sent."""
    user = sim_data.user("alice")
    assert user is not None
    user.has_line = False
    agent = sim_data.agent(AGENT_ID)
    assert agent is not None
    agent.state, agent.phone_number = "AgentLoggedOut", None
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await wait_for_state(hass, AGENT_STATE, state_is("logged_out"))
    for action in ("agent_login", "agent_ready"):
        with pytest.raises(ServiceValidationError) as caught:
            await _act(hass, config_entry, action)
        assert caught.value.translation_key == "no_line"
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "select",
            "select_option",
            {"entity_id": AVAILABILITY, "option": "ready"},
            blocking=True,
        )
    assert caught.value.translation_key == "no_line"
    assert xuc_server.commands("agentLogin") == []
    assert xuc_server.commands("unpauseAgent") == []


async def test_a_logged_out_agent_is_not_paused(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The server refuses a pause while logged out: said at once, nothing sent.

    The availability select then offers only ready (which logs in) and logged out.
    """
    await xuc_server.set_agent_state(AGENT_ID, "AgentLoggedOut")
    state = await wait_for_state(hass, AVAILABILITY, state_is("logged_out"))
    assert state is not None
    assert state.attributes["options"] == ["ready", "logged_out"]
    for data in ({}, {"reason": "outtolunch"}):
        with pytest.raises(ServiceValidationError) as caught:
            await _act(hass, init_integration, "agent_pause", **data)
        assert caught.value.translation_key == "agent_logged_out"
    assert xuc_server.commands("pauseAgent") == []
