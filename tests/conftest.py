"""Shared fixtures: the real Home Assistant test harness and a real xuc simulator.

The integration under test talks to the simulator through its real client, over real
sockets on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Import the project's package at collection time, so that the plugin's own
# testing_config/custom_components package cannot shadow it.
import custom_components.xivo  # noqa: F401
from custom_components.xivo.const import DOMAIN

from .simulator import ALICE_PASSWORD, XucSimulator, default_data


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from custom_components/."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (random ids become <ANY>)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def xuc_server(socket_enabled: None) -> AsyncIterator[XucSimulator]:
    """A xuc simulator with the default data set, on a free loopback port."""
    simulator = XucSimulator(default_data())
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
def config_entry(xuc_server: XucSimulator) -> MockConfigEntry:
    """Alice's account on the simulator."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Alice Johnson",
        unique_id="alice@127.0.0.1",
        data={
            CONF_URL: xuc_server.url,
            CONF_VERIFY_SSL: True,
            CONF_USERNAME: "alice",
            CONF_PASSWORD: ALICE_PASSWORD,
        },
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Alice's entry, set up against the simulator."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry
