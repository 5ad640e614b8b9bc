"""Setup and unload of an entry against the simulator."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .simulator import XucSimulator


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The entry loads, shows the user's presence and favorites, and unloads cleanly."""
    assert init_integration.state is ConfigEntryState.LOADED
    state = hass.states.get("select.alice_johnson_presence")
    assert state is not None
    assert state.state == "Disponible"
    hawkeye = hass.states.get("sensor.alice_johnson_hawkeye_pierce")
    assert hawkeye is not None
    assert hawkeye.state == "available"

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert not xuc_server.sessions


async def test_intents_follow_loaded_entries(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Voice intents are there while an account is loaded, gone with the last one."""

    def xivo_intents() -> set[str]:
        return {
            handler.intent_type
            for handler in intent.async_get(hass)
            if handler.intent_type.startswith("Xivo")
        }

    assert "XivoSetPresence" in xivo_intents()
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not xivo_intents()
