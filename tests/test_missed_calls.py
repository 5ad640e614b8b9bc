"""The missed-calls to-do list: the server's history merged with live calls, kept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import create_autospec

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.xivo.calls import CallTracker
from custom_components.xivo.const import DOMAIN
from custom_components.xivo.missed_calls import MAX_ITEMS, MissedCalls
from custom_components.xivo.xuc import Call, CallEvent, CallEventType, XucClient
from custom_components.xivo.xuc.history import HistoryEntry

from .common import state_is, wait_for_state
from .simulator import XucSimulator

TODO = "todo.alice_johnson_missed_calls"
MISSED = "sensor.alice_johnson_missed_calls"


async def _items(hass: HomeAssistant) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    items: list[dict[str, Any]] = response[TODO]["items"]
    return items


async def _history_fetched(
    hass: HomeAssistant, xuc_server: XucSimulator, count: int
) -> None:
    """Let the 3 s after a call pass; wait for the history request and its reply."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=4))
    await xuc_server.wait_for_command("getUserCallHistory", count=count)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _missed_call(xuc_server: XucSimulator, number: str) -> None:
    call_id = await xuc_server.incoming_call("alice", number)
    await xuc_server.hang_up("alice", call_id)


async def test_a_missed_call_is_on_the_list_at_once_then_merged(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Live first (named from the favorites), then one item with the history's entry."""
    await xuc_server.wait_for_command("getUserCallHistory")  # at start-up
    await _missed_call(xuc_server, "1002")
    await wait_for_state(hass, MISSED, state_is("1"))
    (item,) = await _items(hass)
    assert item["summary"] == "hawkeye pierce (1002)"
    assert item["status"] == "needs_action"
    assert item["description"] == "1002"
    assert item["uid"].startswith("live_")

    await _history_fetched(hass, xuc_server, 2)
    (merged,) = await _items(hass)
    assert not merged["uid"].startswith("live_")  # now the history's entry
    assert merged["summary"] == "hawkeye pierce (1002)"
    assert hass.states.get(MISSED).state == "1"


async def test_calls_missed_while_home_assistant_was_off(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The history at start-up brings the calls missed before; answered ones are not."""
    xuc_server.add_history(
        "alice",
        xuc_server.history_entry("alice", status="missed", number="0611223344"),
        xuc_server.history_entry("alice", status="answered", number="1004"),
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await xuc_server.wait_for_command("getUserCallHistory")
    await wait_for_state(hass, MISSED, state_is("1"))
    (item,) = await _items(hass)
    assert item["description"] == "0611223344"


async def test_done_and_deleted_items_are_kept_across_restarts(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Ticked done stays done; deleted never comes back, not even from the history."""
    await _missed_call(xuc_server, "1002")
    await _missed_call(xuc_server, "1004")
    await wait_for_state(hass, MISSED, state_is("2"))
    await _history_fetched(hass, xuc_server, 2)
    first, second = await _items(hass)
    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": TODO, "item": first["uid"], "status": "completed"},
        blocking=True,
    )
    await hass.services.async_call(
        "todo", "remove_item", {"entity_id": TODO, "item": second["uid"]}, blocking=True
    )
    await wait_for_state(hass, MISSED, state_is("0"))

    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await xuc_server.wait_for_command("getUserCallHistory", count=3)
    await hass.async_block_till_done(wait_background_tasks=True)
    (kept,) = await _items(hass)
    assert kept["uid"] == first["uid"]
    assert kept["status"] == "completed"
    assert hass.states.get(MISSED).state == "0"


async def test_reset_ticks_every_item_done(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """`xivo.reset_missed_calls` leaves the list, every item done."""
    await _missed_call(xuc_server, "1002")
    await wait_for_state(hass, MISSED, state_is("1"))
    await hass.services.async_call(
        DOMAIN,
        "reset_missed_calls",
        {"config_entry_id": init_integration.entry_id},
        blocking=True,
    )
    await wait_for_state(hass, MISSED, state_is("0"))
    assert [item["status"] for item in await _items(hass)] == ["completed"]


async def test_a_refused_history_still_gives_a_working_list(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A server that refuses the history: live missed calls are listed all the same."""
    xuc_server.refuse_history = True
    init_integration.runtime_data.client.timings.command_timeout = 0.2
    await _missed_call(xuc_server, "0427466347")
    await wait_for_state(hass, MISSED, state_is("1"))
    await _history_fetched(hass, xuc_server, 2)
    (item,) = await _items(hass)
    assert item["summary"] == "Émilie Lefèvre (0427466347)"


async def test_the_history_is_listed_newest_first(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Forty missed calls in the history: all listed, the most recent first."""
    now = dt_util.utcnow().timestamp()
    xuc_server.add_history(
        "alice",
        *(
            xuc_server.history_entry(
                "alice",
                status="missed",
                number=f"06{index:08d}",
                start=now - 60 * index,
            )
            for index in range(40)
        ),
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await xuc_server.wait_for_command("getUserCallHistory")
    await wait_for_state(hass, MISSED, state_is("40"))
    items = await _items(hass)
    assert [item["description"] for item in items] == [
        f"06{index:08d}" for index in range(40)
    ]


async def test_the_list_keeps_the_last_hundred(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Past 100 missed calls, the oldest leave the list."""
    for index in range(MAX_ITEMS + 5):
        await _missed_call(xuc_server, f"07{index:08d}")
    await wait_for_state(hass, MISSED, state_is(str(MAX_ITEMS)))
    items = await _items(hass)
    assert len(items) == MAX_ITEMS
    assert items[0]["description"] == f"07{MAX_ITEMS + 4:08d}"
    assert items[-1]["description"] == "0700000005"


async def test_a_history_reply_ahead_of_the_release_counts_the_call_once(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """The server writes its history as the call ends: its reply may come first.

    Found by the soak (seeds 3, 11, 12): the history's entry joined the list, then the
    call's own release added it a second time. Driven through a mocked client's
    listeners, so the order is exact.
    """
    config_entry.add_to_hass(hass)
    client = create_autospec(XucClient, instance=True)
    calls = create_autospec(CallTracker, instance=True)
    missed = MissedCalls(hass, config_entry, client, calls)
    on_call = calls.add_listener.call_args.args[0]
    now = dt_util.now().replace(tzinfo=None, microsecond=0)
    entry = HistoryEntry(
        start=now,
        duration_s=0,
        status="missed",
        direction="incoming",
        number="1002",
        name="hawkeye pierce",
    )
    client.call_history.return_value = (entry,)
    await missed.async_refresh()
    assert missed.open_count == 1

    call = Call(
        unique_id="1.2", state="released", direction="Incoming", other_number="1002"
    )
    on_call(CallEvent(CallEventType.MISSED, call), "hawkeye pierce")
    assert missed.open_count == 1
    await missed.async_refresh()  # the same entry again: nothing new
    assert missed.open_count == 1

    # A second missed call of the same number is another call.
    on_call(CallEvent(CallEventType.MISSED, call), "hawkeye pierce")
    assert missed.open_count == 2
    # 3 s later the history is asked again; it still lists the first call only.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=4))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert client.call_history.call_count == 3
    assert missed.open_count == 2
