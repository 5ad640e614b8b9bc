"""Repair issues through Home Assistant, against the simulator's permanent refusals."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.xuc import Backoff

from .common import state_is, wait_for_state
from .simulator import XucSimulator

PRESENCE = "select.alice_johnson_presence"


def _issues(hass: HomeAssistant) -> dict[str, ir.IssueEntry]:
    return {
        issue_id: issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    }


async def _wait_for_issues(hass: HomeAssistant, count: int) -> dict[str, ir.IssueEntry]:
    await wait_for_state(hass, PRESENCE, lambda _state: len(_issues(hass)) == count)
    return _issues(hass)


@pytest.mark.parametrize(
    ("breaks", "kind"),
    [
        ("session_refused", "session_refused"),
        ("not_xuc", "not_xuc"),
    ],
)
async def test_a_permanent_refusal_raises_an_issue_until_the_session_is_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    breaks: str,
    kind: str,
) -> None:
    """Three attempts refused in a row for the same reason: the user is told what to check."""
    client = init_integration.runtime_data.client
    client.backoff = Backoff(minimum=0.02, maximum=0.05)
    if breaks == "session_refused":
        xuc_server.logged_on_error = "loggedOnFailed"
    else:
        xuc_server.fail_http(404)
    await xuc_server.close_sessions()
    issues = await _wait_for_issues(hass, 1)
    ((issue_id, issue),) = issues.items()
    assert issue_id == f"{kind}_{init_integration.entry_id}"
    assert issue.translation_key == kind
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders == {"server": xuc_server.url}
    assert hass.states.get(PRESENCE).state == "unavailable"

    xuc_server.logged_on_error = None
    xuc_server.clear_http_failure()
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=10)
    assert _issues(hass) == {}


async def test_a_transient_failure_raises_no_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A server that is only down (503) heals by itself: no issue however long."""
    client = init_integration.runtime_data.client
    client.backoff = Backoff(minimum=0.02, maximum=0.05)
    attempts: list[float] = []
    next_delay = client.backoff.next

    def count() -> float:
        attempts.append(1)
        return next_delay()

    client.backoff.next = count  # type: ignore[method-assign]
    xuc_server.fail_http(503)
    await xuc_server.close_sessions()
    await wait_for_state(hass, PRESENCE, lambda _state: len(attempts) >= 6)
    assert _issues(hass) == {}
    xuc_server.clear_http_failure()
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=10)


async def test_refusals_at_set_up_count_too(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Set-up retries are attempts of the same entry: the streak spans them."""
    xuc_server.logged_on_error = "loggedOnFailed"
    config_entry.add_to_hass(hass)
    for _ in range(3):
        await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        if _issues(hass):
            break
        await hass.config_entries.async_unload(config_entry.entry_id)
    assert set(_issues(hass)) == {f"session_refused_{config_entry.entry_id}"}
    xuc_server.logged_on_error = None
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _issues(hass) == {}


async def test_a_removed_entry_leaves_no_issue(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Removing the account removes its issues."""
    xuc_server.logged_on_error = "loggedOnFailed"
    config_entry.add_to_hass(hass)
    for _ in range(3):
        await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        await hass.config_entries.async_unload(config_entry.entry_id)
    assert _issues(hass)
    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _issues(hass) == {}
