"""Snapshot of every entity the integration creates, on each Home Assistant lane."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.xivo import PLATFORMS
from custom_components.xivo.coordinator import account_device

from .common import wait_for_state


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platform", PLATFORMS)
async def test_entities(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Entities, their registry entries and their states, as a user first sees them."""
    config_entry.add_to_hass(hass)
    with patch("custom_components.xivo.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
    # The own line's phone hint answers a subscription made once LineConfig came: it
    # may land after set-up. The snapshot is of the settled state.
    client = config_entry.runtime_data.client
    await wait_for_state(
        hass,
        "binary_sensor.alice_johnson_server_connection",
        lambda _state: client.snapshot.own_number in client.snapshot.phone_hints,
    )
    await hass.async_block_till_done()
    await snapshot_platform(hass, entity_registry, snapshot, config_entry.entry_id)


async def test_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One device per account: the user's full name, XiVO, a link to the server."""
    device = account_device(device_registry, init_integration)
    assert device is not None
    assert device.name == "Alice Johnson"
    assert device.manufacturer == "XiVO"
    assert device.configuration_url == init_integration.data["url"]
    assert device.entry_type is dr.DeviceEntryType.SERVICE
