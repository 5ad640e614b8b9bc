"""Favorite sensors (live, added and removed at run time), own line and voicemail."""

from __future__ import annotations

from dataclasses import replace

from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .common import state_is, wait_for_state
from .simulator import IDEAL, XucSimulator

HAWKEYE = "sensor.alice_johnson_hawkeye_pierce"
EMILIE = "sensor.alice_johnson_emilie_lefevre"
PETER = "sensor.alice_johnson_peter_pan"
PHONE = "sensor.alice_johnson_phone_state"


async def test_favorites_are_sensors(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """One enum sensor per favorite, named after the contact, ids as attributes."""
    hawkeye = hass.states.get(HAWKEYE)
    assert hawkeye is not None
    assert hawkeye.state == "available"
    assert hawkeye.attributes["number"] == "1002"
    assert hawkeye.attributes["mobile"] == "0761187406"
    assert hawkeye.attributes["contact_id"] == "3"
    assert hawkeye.attributes["source"] == "internal"
    assert hawkeye.attributes["options"] == [
        "available",
        "calling",
        "busy",
        "not_available",
        "ringing",
        "busy_and_ringing",
        "on_hold",
        "deactivated",
    ]
    # A number without a hint (-2) has no named state: Home Assistant's own unknown.
    assert hass.states.get(EMILIE).state == STATE_UNKNOWN


async def test_favorite_state_is_live(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Phone-hint events change the favorite's state; unnamed codes give unknown."""
    for code, state in (
        (8, "ringing"),
        (1, "calling"),
        (2, "busy"),
        (9, "busy_and_ringing"),
        (16, "on_hold"),
    ):
        await xuc_server.set_phone_state("1002", code)
        await wait_for_state(hass, HAWKEYE, state_is(state))
    await xuc_server.set_phone_state("1002", 4)
    await wait_for_state(hass, HAWKEYE, state_is("not_available"))
    await xuc_server.set_phone_state("1002", -1)
    await wait_for_state(hass, HAWKEYE, state_is("deactivated"))
    await xuc_server.set_phone_state("1002", -99)
    await wait_for_state(hass, HAWKEYE, state_is(STATE_UNKNOWN))


async def test_favorite_added_and_removed_elsewhere(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """A favorite added in another client appears; a removed one leaves the registry."""
    await xuc_server.add_favorite("alice", "4", "internal")
    await wait_for_state(hass, PETER, lambda state: state is not None)
    assert entity_registry.async_get(PETER) is not None

    await xuc_server.remove_favorite("alice", "3", "internal")
    await wait_for_state(hass, HAWKEYE, lambda state: state is None)
    assert entity_registry.async_get(HAWKEYE) is None
    assert hass.states.get(PETER) is not None


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_own_line_and_voicemail(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The own line follows its phone hint; voicemail counts follow the server."""
    assert hass.states.get(PHONE).state == "available"
    await xuc_server.set_phone_state("1000", 8)
    await wait_for_state(hass, PHONE, state_is("ringing"))
    await xuc_server.set_voicemail("alice", 3, 5)
    await wait_for_state(
        hass, "sensor.alice_johnson_new_voicemail_messages", state_is("3")
    )
    await wait_for_state(
        hass, "sensor.alice_johnson_old_voicemail_messages", state_is("5")
    )


async def test_burst_writes_only_changed_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Events about one contact do not rewrite the state of the others."""
    await hass.async_block_till_done()
    emilie_before = hass.states.get(EMILIE)
    presence_before = hass.states.get("select.alice_johnson_presence")
    for code in (8, 0, 8, 0):
        await xuc_server.set_phone_state("1002", code)
        await wait_for_state(
            hass, HAWKEYE, state_is("ringing" if code == 8 else "available")
        )
    assert hass.states.get(EMILIE).last_reported == emilie_before.last_reported
    assert (
        hass.states.get("select.alice_johnson_presence").last_reported
        == presence_before.last_reported
    )


async def _register_stale_favorite(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """A favorite's sensor left in the registry by an earlier run (id 99 is gone)."""
    registry = er.async_get(hass)
    stale = registry.async_get_or_create(
        "sensor",
        "xivo",
        f"{entry.unique_id}_favorite_internal/99",
        config_entry=entry,
        suggested_object_id="alice_johnson_gone_colleague",
    )
    return stale.entity_id


async def test_favorites_removed_while_stopped_are_pruned(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """At the first favorites list after set-up, stale registry entries go."""
    config_entry.add_to_hass(hass)
    stale = await _register_stale_favorite(hass, config_entry)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    assert registry.async_get(stale) is None
    assert registry.async_get(HAWKEYE) is not None


@pytest.mark.parametrize(
    "server_profile", [replace(IDEAL, answer_favorites=False)], ids=["no-favorites"]
)
async def test_favorites_are_kept_until_the_server_lists_them(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """No favorites list (yet) is no news: nothing is pruned on a guess."""
    config_entry.add_to_hass(hass)
    stale = await _register_stale_favorite(hass, config_entry)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert er.async_get(hass).async_get(stale) is not None


async def test_favorite_attributes_stay_out_of_the_history(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Numbers and ids are static facts: in the state, not in the recorder."""
    state = hass.states.get(HAWKEYE)
    assert state is not None
    assert state.state_info is not None
    assert {"number", "mobile", "contact_id", "source"} <= state.state_info[
        "unrecorded_attributes"
    ]
