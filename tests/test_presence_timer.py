"""Timed presence (`xivo.set_presence` with a duration), against the simulator."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.presence_timer import named_status
from custom_components.xivo.xuc import Status

from .common import state_is, wait_for_state
from .simulator import IDEAL, XucSimulator

PRESENCE = "select.alice_johnson_presence"
STORE_KEY = "xivo.presence_timer.{}"


async def _set_presence(
    hass: HomeAssistant, entry: MockConfigEntry, status: str, **extra: Any
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "set_presence",
        {"config_entry_id": entry.entry_id, "status": status, **extra},
        blocking=True,
    )


def _until(hass: HomeAssistant) -> datetime | None:
    state = hass.states.get(PRESENCE)
    assert state is not None
    until = state.attributes.get("until")
    return dt_util.parse_datetime(until) if until else None


async def _sent_statuses(xuc_server: XucSimulator, count: int) -> list[str]:
    await xuc_server.wait_for_command("userStatusUpdate", count=count)
    return [frame["status"] for frame in xuc_server.commands("userStatusUpdate")]


def _stored_timer(
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    ends_in: timedelta = timedelta(minutes=-3),
) -> None:
    """A stored timer "away, then outtolunch", ending `ends_in` from now (3 min ago)."""
    hass_storage[STORE_KEY.format(entry.entry_id)] = {
        "version": 1,
        "key": STORE_KEY.format(entry.entry_id),
        "data": {
            "timer": {
                "status": "away",
                "previous": "outtolunch",
                "until": (dt_util.utcnow() + ends_in).isoformat(),
            }
        },
    }


async def test_timed_status_comes_back(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A label with a duration: the status, `until` meanwhile, the old status after."""
    start = dt_util.utcnow()
    await _set_presence(hass, init_integration, "Parti Manger", duration="00:45:00")
    await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    until = _until(hass)
    assert until is not None
    assert timedelta(minutes=45) <= until - start < timedelta(minutes=46)

    async_fire_time_changed(hass, until - timedelta(seconds=5))
    await hass.async_block_till_done()
    assert await _sent_statuses(xuc_server, 1) == ["outtolunch"]

    async_fire_time_changed(hass, until + timedelta(seconds=1))
    assert await _sent_statuses(xuc_server, 2) == ["outtolunch", "available"]
    await wait_for_state(hass, PRESENCE, state_is("Disponible"))
    assert _until(hass) is None


async def test_untimed_status_stays(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Without a duration: a plain change, a folded label accepted, no `until`."""
    await _set_presence(hass, init_integration, "bientot de retour")
    assert await _sent_statuses(xuc_server, 1) == ["berightback"]
    await wait_for_state(hass, PRESENCE, state_is("Bientôt de retour"))
    assert _until(hass) is None
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=2))
    await hass.async_block_till_done()
    assert len(xuc_server.commands("userStatusUpdate")) == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "holiday"}, ServiceValidationError),
        ({"status": "away", "duration": "00:00:00"}, vol.Invalid),
        ({"status": "away", "duration": {"hours": 24, "seconds": 1}}, vol.Invalid),
        ({"status": "away", "duration": "-00:10:00"}, vol.Invalid),
    ],
)
async def test_bad_values_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    fields: dict[str, Any],
    error: type[Exception],
) -> None:
    """An unknown status is a translated refusal; a duration must be in (0, 24 h]."""
    with pytest.raises(error) as caught:
        await _set_presence(hass, init_integration, **fields)
    if error is ServiceValidationError:
        assert caught.value.translation_key == "unknown_status"
        assert caught.value.translation_placeholders["status"] == "holiday"
        assert "Parti Manger" in caught.value.translation_placeholders["statuses"]
    assert not xuc_server.commands("userStatusUpdate")


async def test_a_day_is_the_longest(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Exactly 24 hours is allowed."""
    await _set_presence(hass, init_integration, "away", duration={"hours": 24})
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    assert _until(hass) is not None


async def test_someone_else_cancels(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A status pushed by another client drops the timer: theirs stays at the end."""
    await _set_presence(hass, init_integration, "away", duration="00:10:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    until = _until(hass)
    assert until is not None
    await xuc_server.set_user_status("alice", "outtolunch")
    await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    assert _until(hass) is None
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert [f["status"] for f in xuc_server.commands("userStatusUpdate")] == ["away"]


async def test_select_cancels_even_the_same_status(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The select's own change is untimed: it cancels the timer, same status or not."""
    await _set_presence(hass, init_integration, "away", duration="00:10:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    until = _until(hass)
    assert until is not None
    await hass.services.async_call(
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: PRESENCE, ATTR_OPTION: "Sorti"},
        blocking=True,
    )
    assert await _sent_statuses(xuc_server, 2) == ["away", "away"]
    assert _until(hass) is None
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert len(xuc_server.commands("userStatusUpdate")) == 2


async def test_a_second_timer_keeps_the_first_previous(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Extending a timed status still ends on the status from before the first one."""
    await _set_presence(hass, init_integration, "away", duration="00:10:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    await _set_presence(hass, init_integration, "outtolunch", duration="00:20:00")
    await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    until = _until(hass)
    assert until is not None
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    assert await _sent_statuses(xuc_server, 3) == ["away", "outtolunch", "available"]


async def test_timer_survives_a_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Unloaded and loaded again, the entry re-arms the stored timer."""
    await _set_presence(hass, init_integration, "away", duration="00:30:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    until = _until(hass)
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    assert _until(hass) == until
    async_fire_time_changed(hass, until + timedelta(seconds=1))  # type: ignore[operator]
    assert await _sent_statuses(xuc_server, 2) == ["away", "available"]
    await wait_for_state(hass, PRESENCE, state_is("Disponible"))


async def test_expired_timer_restores_at_start(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """A timer that ended while Home Assistant was off restores as soon as it starts."""
    await xuc_server.set_user_status("alice", "away")
    _stored_timer(hass_storage, config_entry)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    assert await _sent_statuses(xuc_server, 1) == ["outtolunch"]
    await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    assert _until(hass) is None
    assert hass_storage[STORE_KEY.format(config_entry.entry_id)]["data"] == {
        "timer": None
    }


async def test_stored_timer_dropped_when_status_changed_meanwhile(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """If the status is no longer the timer's at start, someone chose: nothing is sent."""
    _stored_timer(hass_storage, config_entry, timedelta(minutes=3))
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert _until(hass) is None
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=4))
    await hass.async_block_till_done()
    assert not xuc_server.commands("userStatusUpdate")


@pytest.mark.parametrize(
    ("pushed", "sent"), [("available", []), ("away", ["outtolunch"])]
)
async def test_expired_timer_waits_for_a_late_presence(  # noqa: PLR0917
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    pushed: str,
    sent: list[str],
) -> None:
    """A server that tells the presence late (§19 G7): nothing is sent until it does.

    Then the timer restores if the status is still its own, and is dropped if not.
    """
    xuc_server.profile = replace(IDEAL, greeting="config_last")
    _stored_timer(hass_storage, config_entry)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.runtime_data.client.snapshot.status_name is None
    assert not xuc_server.commands("userStatusUpdate")

    await xuc_server.set_user_status("alice", pushed)
    if sent:
        assert await _sent_statuses(xuc_server, len(sent)) == sent
        await wait_for_state(hass, PRESENCE, state_is("Parti Manger"))
    else:
        await wait_for_state(hass, PRESENCE, state_is("Disponible"))
        await hass.async_block_till_done()
        assert not xuc_server.commands("userStatusUpdate")
    assert _until(hass) is None


async def test_end_while_link_down_waits_for_the_link(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A timer that ends with the link down restores once the session is back."""
    await _set_presence(hass, init_integration, "away", duration="00:05:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    until = _until(hass)
    assert until is not None
    await xuc_server.stop()
    await wait_for_state(hass, PRESENCE, state_is("unavailable"))
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await hass.async_block_till_done()
    xuc_server.clear_received()
    await xuc_server.start()
    assert await _sent_statuses(xuc_server, 1) == ["available"]
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=10)


def test_named_status() -> None:
    """A name, a label, or either folded; a shared label needs its disambiguated form."""
    statuses = (
        Status("away", "Sorti"),
        Status("lunch", "Parti Manger"),
        Status("a", "Pause"),
        Status("b", "Pause"),
    )
    assert named_status(statuses, "lunch") == statuses[1]
    assert named_status(statuses, "Parti Manger") == statuses[1]
    assert named_status(statuses, "PARTI-manger") == statuses[1]
    assert named_status(statuses, "Pause (b)") == statuses[3]
    assert named_status(statuses, "Pause") is None
    assert named_status(statuses, "Parti") is None
    assert named_status(statuses, "") is None


async def test_removed_account_forgets_its_timer(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
) -> None:
    """Removing the account removes its stored timer (unloading it keeps it)."""
    await _set_presence(hass, init_integration, "away", duration="00:30:00")
    await wait_for_state(hass, PRESENCE, state_is("Sorti"))
    key = STORE_KEY.format(init_integration.entry_id)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["timer"]["status"] == "away"
    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
