"""To-do list: the missed calls to call back (the server's history, merged live)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .entity import account_device_info, account_unique_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import XivoCoordinator
    from .data import XivoConfigEntry
    from .missed_calls import MissedCalls

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: XivoConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the missed-calls list."""
    data = entry.runtime_data
    async_add_entities([XivoMissedCallsList(data.coordinator, data.missed)])


class XivoMissedCallsList(TodoListEntity):
    """Each missed call an item: "Name (number)", due when it rang.

    Stays available while the link is down: it is the user's own list. Ticking an item
    done or deleting it is kept across restarts.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_translation_key = "missed_calls"
    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )

    def __init__(self, coordinator: XivoCoordinator, missed: MissedCalls) -> None:
        """Create the list of one account."""
        self._missed = missed
        self._attr_unique_id = account_unique_id(coordinator, "missed_calls_list")
        self._attr_device_info = account_device_info(coordinator)

    async def async_added_to_hass(self) -> None:
        """Follow the list."""
        await super().async_added_to_hass()
        self.async_on_remove(self._missed.add_listener(self.async_write_ha_state))

    @property
    def todo_items(self) -> list[TodoItem]:
        """The missed calls, newest first."""
        return [
            TodoItem(
                uid=item.key,
                summary=item.summary,
                status=TodoItemStatus.COMPLETED
                if item.done
                else TodoItemStatus.NEEDS_ACTION,
                due=datetime.fromisoformat(item.start),
                description=item.number,
            )
            for item in self._missed.items
        ]

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Tick a missed call done (or open it again); nothing else can change."""
        uid = self._known(item.uid)
        self._missed.set_done(uid, item.status == TodoItemStatus.COMPLETED)

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Delete missed calls: they never come back, not even from the history."""
        self._missed.hide({self._known(uid) for uid in uids})

    def _known(self, uid: str | None) -> str:
        """The uid of an item on the list, or a translated validation error."""
        if uid is not None and uid in {item.key for item in self._missed.items}:
            return uid
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_missed_call",
            translation_placeholders={"uid": str(uid)},
        )
