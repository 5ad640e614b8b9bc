"""A status for a while by voice: the `xivo.set_presence` action with a duration.

The intent finds the status as the untimed one does, then calls the action, whose
timer (`presence_timer.py`) brings the previous status back at the end.
"""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from homeassistant.core import Context, Event, HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import intent
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.intent import INTENT_SET_PRESENCE, INTENT_SET_PRESENCE_FOR
from custom_components.xivo.xuc import XucTimeoutError

from .simulator import XucSimulator
from .test_intent import (
    ALL_LABELS_EN,
    _is_error,
    handle,
    intents,
    speech,
    wait_for_snapshot,
)

__all__ = ["intents"]  # the fixture, used by name


@pytest.mark.parametrize(
    ("slots", "language", "duration", "answer"),
    [
        (
            {"status": "do not disturb", "minutes": "45"},
            "en",
            timedelta(minutes=45),
            (
                "Your status is now Ne pas déranger for 45 minutes; then the previous "
                "one comes back."
            ),
        ),
        (
            {"status": "ne pas déranger", "hours": "1"},
            "fr",
            timedelta(hours=1),
            (
                "Votre statut est maintenant Ne pas déranger pendant 1 heure ; ensuite le "
                "précédent reviendra."
            ),
        ),
        (
            {"status": "lunch", "hours": "2", "minutes": "1"},
            "en",
            timedelta(hours=2, minutes=1),
            (
                "Your status is now Parti Manger for 2 hours and 1 minute; then the "
                "previous one comes back."
            ),
        ),
    ],
)
async def test_a_status_for_a_while_then_back(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    slots: dict[str, str],
    language: str,
    duration: timedelta,
    answer: str,
) -> None:
    """Taken now, the timer set for the duration, the previous status back at the end."""
    response = await handle(hass, INTENT_SET_PRESENCE_FOR, slots, language)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == answer
    status = (await xuc_server.wait_for_command("userStatusUpdate"))["status"]
    assert status in {"donotdisturb", "outtolunch"}
    await wait_for_snapshot(intents, lambda data: data.status_name == status)
    until = intents.runtime_data.presence.until
    assert until is not None
    assert abs(until - (dt_util.utcnow() + duration)) < timedelta(seconds=5)

    async_fire_time_changed(hass, dt_util.utcnow() + duration + timedelta(seconds=1))
    frame = await xuc_server.wait_for_command("userStatusUpdate", count=2)
    assert frame["status"] == "available"


@pytest.mark.parametrize(
    ("slots", "answer"),
    [
        ({"status": "away"}, "Say for how long, up to 24 hours."),
        ({"status": "away", "minutes": "0"}, "Say for how long, up to 24 hours."),
        (
            {"status": "away", "hours": "24", "minutes": "1"},
            "Say for how long, up to 24 hours.",
        ),
        (
            {"status": "on holiday", "minutes": "5"},
            f'There is no status "on holiday". You can choose {ALL_LABELS_EN}.',
        ),
    ],
)
async def test_refused_without_a_valid_duration_or_status(
    hass: HomeAssistant,
    *,
    intents: MockConfigEntry,
    xuc_server: XucSimulator,
    slots: dict[str, str],
    answer: str,
) -> None:
    """No duration, none, more than a day, or no such status: said, nothing sent."""
    response = await handle(hass, INTENT_SET_PRESENCE_FOR, slots)

    assert _is_error(response)
    assert speech(response) == answer
    await hass.async_block_till_done()
    assert xuc_server.commands("userStatusUpdate") == []
    assert intents.runtime_data.presence.until is None


async def test_more_than_a_day_of_minutes_is_invalid_slot_data(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """The slot's own range: at most a day of minutes."""
    with pytest.raises(intent.InvalidSlotInfo):
        await handle(
            hass, INTENT_SET_PRESENCE_FOR, {"status": "away", "minutes": "1441"}
        )


async def test_a_server_error_is_said(
    hass: HomeAssistant, intents: MockConfigEntry
) -> None:
    """The action's translated error becomes the intent's spoken error."""
    client = intents.runtime_data.client
    with (
        patch.object(client, "change_status", side_effect=XucTimeoutError("slow")),
        pytest.raises(intent.IntentHandleError) as err,
    ):
        await handle(
            hass, INTENT_SET_PRESENCE_FOR, {"status": "away", "minutes": "5"}, "fr"
        )

    assert str(err.value) == "Le serveur XiVO n'a pas répondu à temps."


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        # A translated refusal the user can fix: said, as a refusal.
        (
            ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="not_loaded",
                translation_placeholders={"target": "Alice Johnson"},
            ),
            "The XiVO entry Alice Johnson is not loaded.",
        ),
        # Errors without a text of the integration are not swallowed.
        (ServiceValidationError("untranslated"), intent.IntentUnexpectedError),
        (HomeAssistantError("untranslated"), intent.IntentUnexpectedError),
    ],
)
async def test_what_the_action_raises(
    hass: HomeAssistant,
    intents: MockConfigEntry,
    error: HomeAssistantError,
    expected: str | type[Exception],
) -> None:
    """The action's refusals and untranslated errors, as the intent passes them on."""

    async def refuse(_call: ServiceCall) -> None:
        raise error

    # Stand in for the action (registered again at the next set-up).
    hass.services.async_register(DOMAIN, "set_presence", refuse)
    slots = {"status": "away", "minutes": "5"}
    if isinstance(expected, str):
        response = await handle(hass, INTENT_SET_PRESENCE_FOR, slots)
        assert _is_error(response)
        assert speech(response) == expected
        return
    with pytest.raises(expected):
        await handle(hass, INTENT_SET_PRESENCE_FOR, slots)


async def test_an_untimed_status_by_voice_ends_the_timed_one(
    hass: HomeAssistant, intents: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Saying "away" while "away for 45 minutes" runs ends the timer: nothing comes back.

    The timed change is made by the speaker: the action runs with the intent's context.
    """
    calls: list[tuple[str, str | None]] = []

    @callback
    def record(event: Event) -> None:
        if event.data["domain"] == DOMAIN:
            calls.append((event.data["service"], event.context.user_id))

    hass.bus.async_listen("call_service", record)
    context = Context(user_id="speaker-id")
    await intent.async_handle(
        hass,
        DOMAIN,
        INTENT_SET_PRESENCE_FOR,
        {"status": {"value": "away"}, "minutes": {"value": "45"}},
        context=context,
    )
    await xuc_server.wait_for_command("userStatusUpdate")
    assert intents.runtime_data.presence.until is not None
    await hass.async_block_till_done()
    assert calls == [("set_presence", "speaker-id")]

    response = await handle(hass, INTENT_SET_PRESENCE, {"status": "away"})
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    await xuc_server.wait_for_command("userStatusUpdate", count=2)
    assert intents.runtime_data.presence.until is None
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=46))
    await hass.async_block_till_done()
    assert [f["status"] for f in xuc_server.commands("userStatusUpdate")] == [
        "away",
        "away",
    ]
