"""The coordinator on its own, driven through a mocked client's listeners.

No socket and no sleep: each test calls the listeners the coordinator registered on
the client, exactly as the client would, and watches what reaches the entities' side.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any
from unittest.mock import MagicMock, create_autospec

from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.coordinator import XivoCoordinator
from custom_components.xivo.issues import FAILURES_BEFORE_ISSUE, issue_id
from custom_components.xivo.xuc import (
    ConnectionFailure,
    Contact,
    UserConfig,
    XucAuthError,
    XucClient,
    XucConnectionError,
    XucSnapshot,
    XucTimeoutError,
)

HAWKEYE = Contact(first_name="hawkeye", last_name="pierce", number="1002")
EMILIE = Contact(first_name="Émilie", last_name="Lefèvre", number="1003")
FAVORITES = MappingProxyType({"internal/3": HAWKEYE, "phonebook/42": EMILIE})
START = XucSnapshot(
    user=UserConfig(fields=MappingProxyType({"fullName": "Alice Johnson"})),
    favorites=FAVORITES,
    phone_hints=MappingProxyType({"1002": 0, "1003": 0, "1000": 0}),
    line_number="1000",
    status_name="available",
)


class Harness:
    """A coordinator on a mocked client, with its listeners and what they woke."""

    def __init__(self, hass: HomeAssistant, entry: MockConfigEntry) -> None:
        """Build the coordinator; keep the listeners it gave the client."""
        self.client = create_autospec(XucClient, instance=True)
        self.client.connected = True
        self.client.snapshot = START
        self.client.server = "http://127.0.0.1:8090"
        self.coordinator = XivoCoordinator(hass, entry, self.client)
        self.push: Callable[[XucSnapshot], None] = self._listener("add_listener")
        self.link: Callable[[bool, Any], None] = self._listener(
            "add_connection_listener"
        )
        self.general = MagicMock()
        self.coordinator.async_add_listener(self.general)
        self.favorites = {key: MagicMock() for key in FAVORITES}
        for key, update in self.favorites.items():
            self.coordinator.async_add_favorite_listener(key, update)

    def _listener(self, name: str) -> Any:
        method: MagicMock = getattr(self.client, name)
        method.assert_called_once()
        return method.call_args.args[0]

    def woken(self) -> set[str]:
        """Which favorites were told to write since the last call; then forget."""
        found = {key for key, update in self.favorites.items() if update.called}
        for update in self.favorites.values():
            update.reset_mock()
        return found

    def reset(self) -> None:
        """Forget every call so far."""
        self.general.reset_mock()
        self.woken()


@pytest.fixture
def entry(hass: HomeAssistant) -> MockConfigEntry:
    """An entry for the coordinator (never set up: the client is a mock)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="alice@127.0.0.1",
        data={
            CONF_URL: "http://127.0.0.1:8090",
            CONF_USERNAME: "alice",
            CONF_PASSWORD: "secret",
        },
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def harness(hass: HomeAssistant, entry: MockConfigEntry) -> Harness:
    """A coordinator after its first refresh, every listener's record cleared."""
    harness = Harness(hass, entry)
    await harness.coordinator.async_refresh()
    assert harness.coordinator.data is START
    harness.reset()
    return harness


def with_hint(snapshot: XucSnapshot, number: str, code: int) -> XucSnapshot:
    """The snapshot after one phone-hint push."""
    return snapshot.evolve(
        phone_hints=MappingProxyType({**snapshot.phone_hints, number: code})
    )


async def test_a_favorites_hint_wakes_that_favorite_only(harness: Harness) -> None:
    """One phone-hint push costs one favorite's write, not the account's entities'."""
    new = with_hint(START, "1002", 8)
    harness.push(new)
    assert harness.coordinator.data is new
    assert harness.woken() == {"internal/3"}
    harness.general.assert_not_called()


async def test_an_unfollowed_numbers_hint_wakes_nobody(harness: Harness) -> None:
    """A hint for a number nobody shows changes the data and wakes no one."""
    harness.push(with_hint(START, "4444", 2))
    assert harness.woken() == set()
    harness.general.assert_not_called()


async def test_the_own_lines_hint_wakes_the_account(harness: Harness) -> None:
    """The own phone-state sensor shows the own line's hint: every entity is told."""
    harness.push(with_hint(START, "1000", 1))
    harness.general.assert_called_once()
    assert harness.woken() == set()


async def test_a_status_change_leaves_the_favorites_alone(harness: Harness) -> None:
    """Presence is the account's: favorites do not write their state for it."""
    harness.push(START.evolve(status_name="away"))
    harness.general.assert_called_once()
    assert harness.woken() == set()


async def test_a_renamed_favorite_is_told(harness: Harness) -> None:
    """A new row for one favorite wakes that favorite and the account's entities."""
    renamed = Contact(first_name="Émilie", last_name="Martin", number="1003")
    harness.push(
        START.evolve(favorites=MappingProxyType({**FAVORITES, "phonebook/42": renamed}))
    )
    assert harness.woken() == {"phonebook/42"}
    harness.general.assert_called_once()


async def test_link_loss_and_return_reach_every_favorite(harness: Harness) -> None:
    """Availability is everyone's business: all favorites hear both changes."""
    harness.link(False, None)
    assert not harness.coordinator.last_update_success
    assert harness.woken() == set(FAVORITES)
    harness.general.assert_called_once()

    # A hint-only change while down is not narrowed: entities become available again.
    harness.push(with_hint(START, "1002", 8))
    assert harness.coordinator.last_update_success
    assert harness.woken() == set(FAVORITES)
    assert harness.general.call_count == 2


async def test_failed_attempts_while_down_are_told_once(harness: Harness) -> None:
    """Each failed reconnect attempt is recorded; the entities are told only once."""
    harness.link(False, None)
    harness.reset()
    harness.link(False, XucTimeoutError("no answer"))
    harness.general.assert_not_called()
    assert harness.woken() == set()
    assert harness.coordinator.last_error == "XucTimeoutError: no answer"


async def test_the_device_follows_the_users_name(
    hass: HomeAssistant, entry: MockConfigEntry, harness: Harness
) -> None:
    """A rename on the server renames the device, unless the user named it."""
    registry = dr.async_get(hass)
    device = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, "alice@127.0.0.1")},
        name="alice",
    )
    harness.push(
        START.evolve(
            user=UserConfig(fields=MappingProxyType({"fullName": "Alice Martin"}))
        )
    )
    renamed = registry.async_get(device.id)
    assert renamed is not None
    assert renamed.name == "Alice Martin"

    registry.async_update_device(device.id, name_by_user="My phone")
    harness.push(
        START.evolve(
            user=UserConfig(fields=MappingProxyType({"fullName": "Alice Bernard"}))
        )
    )
    kept = registry.async_get(device.id)
    assert kept is not None
    assert (kept.name, kept.name_by_user) == ("Alice Bernard", "My phone")


def _issues(hass: HomeAssistant) -> set[str]:
    return {
        issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN
    }


async def test_a_repair_issue_after_three_refusals_in_a_row(
    hass: HomeAssistant, entry: MockConfigEntry, harness: Harness
) -> None:
    """Three refused sessions in a row raise the issue; the session's return clears it."""
    refused = XucConnectionError("refused", failure=ConnectionFailure.SESSION_REFUSED)
    harness.link(False, None)
    for _ in range(FAILURES_BEFORE_ISSUE - 1):
        harness.link(False, refused)
    assert _issues(hass) == set()
    harness.link(False, refused)
    expected = issue_id(entry, ConnectionFailure.SESSION_REFUSED)
    assert _issues(hass) == {expected}
    issue = ir.async_get(hass).async_get_issue(DOMAIN, expected)
    assert issue is not None
    assert issue.translation_key == "session_refused"
    assert issue.translation_placeholders == {"server": "http://127.0.0.1:8090"}

    harness.link(True, None)
    assert _issues(hass) == set()


async def test_a_streak_broken_by_another_kind_raises_nothing(
    hass: HomeAssistant, harness: Harness
) -> None:
    """Only failures of the same permanent kind, in a row, count."""
    refused = XucConnectionError("refused", failure=ConnectionFailure.SESSION_REFUSED)
    certificate = XucConnectionError("tls", failure=ConnectionFailure.CERTIFICATE)
    harness.link(False, None)
    for error in (refused, refused, XucTimeoutError("slow"), refused, certificate):
        harness.link(False, error)
    assert _issues(hass) == set()


async def test_refused_credentials_start_a_reauth(
    hass: HomeAssistant, entry: MockConfigEntry, harness: Harness
) -> None:
    """The client gives up on a refused password: the user is asked for a new one."""
    harness.link(False, XucAuthError("refused"))
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
