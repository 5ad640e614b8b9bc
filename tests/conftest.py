"""Shared fixtures: the real Home Assistant test harness and a real xuc simulator.

The integration under test talks to the simulator through its real client, over real
sockets on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

from homeassistant.const import (
    CONF_PASSWORD,
    CONF_URL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    __version__ as ha_version,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

# Import the project's package at collection time, so that the plugin's own
# testing_config/custom_components package cannot shadow it.
import custom_components.xivo  # noqa: F401
from custom_components.xivo.const import DOMAIN

from .common import CALL
from .simulator import (
    ALICE_PASSWORD,
    IDEAL,
    ServerProfile,
    XucSimulator,
    default_data,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from custom_components/."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default as enabled (as core's fixture)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


# Home Assistant's output (registry entries, `ConfigEntry.as_dict()`) differs between its
# releases: each supported release line keeps its own snapshots, and both lanes check them.
SNAPSHOT_LANE = "ha-" + ".".join(ha_version.split(".")[:2])


class LaneSnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's serializer, with the snapshots of this release line."""

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """`tests/snapshots/ha-<year>.<month>/`."""
        return str(Path(test_location.filepath).parent / "snapshots" / SNAPSHOT_LANE)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (random ids become <ANY>), per lane."""
    return snapshot.use_extension(LaneSnapshotExtension)


@pytest.fixture
def server_profile() -> ServerProfile:
    """How the simulator behaves: the ideal server unless a test parametrizes it."""
    return IDEAL


@pytest.fixture
async def xuc_server(
    socket_enabled: None, server_profile: ServerProfile
) -> AsyncIterator[XucSimulator]:
    """A xuc simulator with the default data set, on a free loopback port."""
    simulator = XucSimulator(default_data(), profile=server_profile)
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


@pytest.fixture
def call_events(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Every event the call entity fires: its type and attributes, in order."""
    fired: list[dict[str, Any]] = []

    @callback  # in the loop, in order (a plain function would run in a thread)
    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.attributes.get("event_type"):
            fired.append(dict(new.attributes))

    async_track_state_change_event(hass, [CALL], record)
    return fired
