"""The blueprint pack: each blueprint loaded by Home Assistant, used, and its effect seen.

Each test copies the repository's blueprints into a configuration folder of its own,
creates an automation from one through the `blueprint` integration (`use_blueprint`),
drives the simulator, and checks what the automation did: the colour of a light, the
state of media players, the commands the server received. Lights and media players are
small entities of a test platform (no `demo` needed), the same on every release. The
agent blueprint's test is with the other agent tests (`test_device_agents.py`), on
their simulator where Alice is an agent.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import re
import shutil
from typing import Any
from urllib.parse import parse_qs, urlparse

from homeassistant.components.light import ColorMode, LightEntity, LightEntityFeature
from homeassistant.components.media_player import (
    MediaPlayerEntity,
    MediaPlayerEntityFeature,
    MediaPlayerState,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockPlatform,
    async_fire_time_changed,
    async_mock_service,
    mock_platform,
)
import yaml

from .common import state_is, wait_for_state
from .simulator import XucSimulator
from .test_device_trigger import account_device_id

ROOT = Path(__file__).parents[1]
BLUEPRINTS = ROOT / "blueprints/automation/xivo"
REPOSITORY = "https://github.com/xivo-home-assistant/xivo"
RAW = "https://raw.githubusercontent.com/xivo-home-assistant/xivo/main/"

ON_CALL = "binary_sensor.alice_johnson_on_a_call"
RINGING = "binary_sensor.alice_johnson_ringing"
PRESENCE = "select.alice_johnson_presence"
FORWARD = "switch.alice_johnson_forward_all_calls"
FORWARD_TO = "text.alice_johnson_forward_all_calls_to"


class _BlueprintLoader(yaml.SafeLoader):
    """YAML with Home Assistant's `!input` tag, read as a plain marker."""


_BlueprintLoader.add_constructor(
    "!input", lambda loader, node: {"!input": loader.construct_scalar(node)}
)


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), _BlueprintLoader)  # noqa: S506 - a SafeLoader subclass
    return data


class FakeLight(LightEntity):
    """A colour light that keeps what it was told (flash included)."""

    _attr_supported_color_modes = frozenset({ColorMode.RGB})
    _attr_color_mode = ColorMode.RGB
    _attr_supported_features = LightEntityFeature.FLASH
    _attr_should_poll = False

    def __init__(self, name: str, rgb: tuple[int, int, int] | None = None) -> None:
        """A light, on with this colour if one is given."""
        self._attr_name = name
        self._attr_is_on = rgb is not None
        self._attr_rgb_color = rgb
        self.calls: list[dict[str, Any]] = []

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Take the colour asked for."""
        self.calls.append(kwargs)
        self._attr_is_on = True
        if "rgb_color" in kwargs:
            self._attr_rgb_color = tuple(kwargs["rgb_color"])
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Go dark."""
        self._attr_is_on = False
        self.async_write_ha_state()


class FakePlayer(MediaPlayerEntity):
    """A media player that plays, pauses and sets its volume."""

    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY
        | MediaPlayerEntityFeature.PAUSE
        | MediaPlayerEntityFeature.VOLUME_SET
    )
    _attr_should_poll = False

    def __init__(self, name: str, state: MediaPlayerState, volume: float) -> None:
        """A player in this state, at this volume."""
        self._attr_name = name
        self._attr_state = state
        self._attr_volume_level = volume

    async def async_media_play(self) -> None:
        """Play."""
        self._attr_state = MediaPlayerState.PLAYING
        self.async_write_ha_state()

    async def async_media_pause(self) -> None:
        """Pause."""
        self._attr_state = MediaPlayerState.PAUSED
        self.async_write_ha_state()

    async def async_set_volume_level(self, volume: float) -> None:
        """Set the volume."""
        self._attr_volume_level = volume
        self.async_write_ha_state()


async def _add_entities(hass: HomeAssistant, domain: str, *entities: Entity) -> None:
    """Add these entities through a `test` platform of the domain."""

    async def setup_platform(
        hass: HomeAssistant, config: Any, add_entities: Any, discovery_info: Any = None
    ) -> None:
        add_entities(list(entities))

    mock_platform(
        hass, f"test.{domain}", MockPlatform(async_setup_platform=setup_platform)
    )
    assert await async_setup_component(hass, domain, {domain: [{"platform": "test"}]})
    await hass.async_block_till_done()


async def use_blueprint(
    hass: HomeAssistant, tmp_path: Path, name: str, inputs: dict[str, Any]
) -> None:
    """Create an automation from one of the repository's blueprints."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints/automation/xivo")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {"use_blueprint": {"path": f"xivo/{name}.yaml", "input": inputs}}
            ]
        },
    )
    await hass.async_block_till_done()
    automations = hass.states.async_entity_ids("automation")
    assert len(automations) == 1, automations
    state = hass.states.get(automations[0])
    assert state is not None
    assert state.state == "on", state


def _rgb(hass: HomeAssistant, entity_id: str) -> tuple[int, int, int] | None:
    state = hass.states.get(entity_id)
    assert state is not None
    if state.state != "on":
        return None
    return tuple(state.attributes["rgb_color"])  # type: ignore[return-value]


async def _wait_rgb(
    hass: HomeAssistant, entity_id: str, rgb: tuple[int, int, int] | None
) -> None:
    await wait_for_state(hass, entity_id, lambda _state: _rgb(hass, entity_id) == rgb)


BUSY_INPUTS = {"on_call": ON_CALL, "ringing": RINGING, "presence": PRESENCE}


async def test_busy_light_shows_the_call_then_the_presence(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """Ringing: orange and flashing; on a call: red; idle: the presence's colour."""
    light = FakeLight("Office")
    await _add_entities(hass, "light", light)
    await use_blueprint(
        hass, tmp_path, "busy_light", {**BUSY_INPUTS, "light": "light.office"}
    )
    call_id = await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await _wait_rgb(hass, "light.office", (255, 120, 0))
    assert light.calls[-1]["flash"] == "long"
    await xuc_server.answer_call("alice", call_id)
    await _wait_rgb(hass, "light.office", (255, 0, 0))
    await xuc_server.hang_up("alice", call_id)
    await _wait_rgb(hass, "light.office", (8, 253, 32))  # Disponible: #08FD20
    await xuc_server.set_user_status("alice", "away")
    await _wait_rgb(hass, "light.office", (255, 221, 0))  # Sorti: #FFDD00


async def test_busy_light_restores_the_light(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """`restore`: the light is as it was before the call once the call is over."""
    assert await async_setup_component(hass, "scene", {})
    await _add_entities(hass, "light", FakeLight("Office", (0, 0, 255)))
    await use_blueprint(
        hass,
        tmp_path,
        "busy_light",
        {
            **BUSY_INPUTS,
            "light": "light.office",
            "idle": "restore",
            "blink": False,
            "on_call_color": [200, 0, 50],
        },
    )
    call_id = await xuc_server.incoming_call("alice", "1002")
    await _wait_rgb(hass, "light.office", (255, 120, 0))
    await xuc_server.answer_call("alice", call_id)
    await _wait_rgb(hass, "light.office", (200, 0, 50))
    await xuc_server.hang_up("alice", call_id)
    await _wait_rgb(hass, "light.office", (0, 0, 255))


@pytest.mark.parametrize("lower_only", [False, True])
async def test_quiet_house(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
    *,
    lower_only: bool,
) -> None:
    """The playing player is paused (or lowered) for the call and given back after."""
    assert await async_setup_component(hass, "scene", {})
    await _add_entities(
        hass,
        "media_player",
        FakePlayer("Kitchen", MediaPlayerState.PLAYING, 0.6),
        FakePlayer("Bedroom", MediaPlayerState.PAUSED, 0.3),
    )
    await use_blueprint(
        hass,
        tmp_path,
        "quiet_house",
        {
            "on_call": ON_CALL,
            "players": ["media_player.kitchen", "media_player.bedroom"],
            "lower_only": lower_only,
        },
    )
    call_id = await xuc_server.incoming_call("alice", "1002")
    await xuc_server.answer_call("alice", call_id)
    await wait_for_state(hass, ON_CALL, state_is("on"))

    def kitchen(state: str, volume: float) -> Any:
        return lambda s: (
            s is not None
            and s.state == state
            and s.attributes["volume_level"] == volume
        )

    if lower_only:
        await wait_for_state(hass, "media_player.kitchen", kitchen("playing", 0.1))
    else:
        await wait_for_state(hass, "media_player.kitchen", kitchen("paused", 0.6))
    await xuc_server.hang_up("alice", call_id)
    await wait_for_state(hass, "media_player.kitchen", kitchen("playing", 0.6))
    bedroom = hass.states.get("media_player.bedroom")
    assert bedroom is not None
    assert bedroom.state == "paused"
    assert bedroom.attributes["volume_level"] == 0.3


async def test_presence_from_calendar(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """An event starts: Do Not Disturb until its end, then the status from before."""
    hass.states.async_set("calendar.work", "off")
    await use_blueprint(
        hass,
        tmp_path,
        "presence_from_calendar",
        {"account": init_integration.entry_id, "calendar": "calendar.work"},
    )
    end = dt_util.now() + timedelta(minutes=30)
    hass.states.async_set(
        "calendar.work",
        "on",
        {"message": "Meeting", "end_time": end.strftime("%Y-%m-%d %H:%M:%S")},
    )
    state = await wait_for_state(hass, PRESENCE, state_is("Ne pas déranger"))
    assert state is not None
    until = dt_util.parse_datetime(state.attributes["until"])
    assert until is not None
    assert abs(until - end) < timedelta(seconds=3)
    async_fire_time_changed(hass, until + timedelta(seconds=1))
    await wait_for_state(hass, PRESENCE, state_is("Disponible"))
    assert [f["status"] for f in xuc_server.commands("userStatusUpdate")] == [
        "donotdisturb",
        "available",
    ]


async def test_forward_when_leaving(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """Leaving home forwards every call to the mobile; coming back ends the forward."""
    hass.states.async_set("person.alice", "home")
    await use_blueprint(
        hass,
        tmp_path,
        "forward_when_leaving",
        {
            "person": "person.alice",
            "forward": FORWARD,
            "destination": FORWARD_TO,
            "number": "+33612345678",
        },
    )
    hass.states.async_set("person.alice", "not_home")
    await wait_for_state(hass, FORWARD, state_is("on"))
    assert hass.states.get(FORWARD_TO).state == "+33612345678"  # type: ignore[union-attr]
    hass.states.async_set("person.alice", "home")
    await wait_for_state(hass, FORWARD, state_is("off"))
    assert [(f["state"], f["destination"]) for f in xuc_server.commands("uncFwd")][
        -1
    ] == (False, "+33612345678")


async def test_announce_missed_calls(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    tmp_path: Path,
) -> None:
    """A missed call is said on the speaker with the caller's name (else the number)."""
    spoken = async_mock_service(hass, "tts", "speak")
    await use_blueprint(
        hass,
        tmp_path,
        "announce_missed_calls",
        {
            "account": account_device_id(hass, init_integration),
            "tts": "tts.piper",
            "speaker": "media_player.kitchen",
        },
    )
    call_id = await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await xuc_server.hang_up("alice", call_id)
    other = await xuc_server.incoming_call("alice", "0499999999")
    await xuc_server.answer_call("alice", other)
    await xuc_server.hang_up("alice", other)  # answered: not missed
    await wait_for_state(hass, ON_CALL, lambda _state: len(spoken) >= 1)
    await hass.async_block_till_done()
    assert [call.data for call in spoken] == [
        {
            "entity_id": ["tts.piper"],
            "media_player_entity_id": "media_player.kitchen",
            "message": "Missed call from Hawkeye Pierce",
        }
    ]


@pytest.mark.parametrize(
    "path", sorted(BLUEPRINTS.glob("*.yaml")), ids=lambda p: p.stem
)
def test_blueprint_metadata(path: Path) -> None:
    """An English description, the file's own source URL, inputs filtered to XiVO."""
    blueprint = _read(path)["blueprint"]
    assert blueprint["domain"] == "automation"
    assert len(blueprint["description"].split()) >= 15
    assert blueprint["source_url"] == f"{REPOSITORY}/blob/main/{path.relative_to(ROOT)}"
    selectors = [field["selector"] for field in blueprint["input"].values()]
    xivo = [
        selector
        for selector in selectors
        if any(
            kind.get("integration") == "xivo"
            for options in selector.values()
            if isinstance(options, dict)
            for kind in [options, *options.get("filter", [])]
        )
    ]
    assert xivo, "no input is filtered to the xivo integration"


def test_readme_links_every_blueprint() -> None:
    """The README's import links point at the blueprints, one link per file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(
        r"https://my\.home-assistant\.io/redirect/blueprint_import/\?blueprint_url=[^)\s]+",
        readme,
    )
    targets = []
    for link in links:
        assert "blueprint_url=https%3A%2F%2F" in link, "the URL is not encoded"
        (url,) = parse_qs(urlparse(link).query)["blueprint_url"]
        assert url.startswith(RAW), url
        path = ROOT / url.removeprefix(RAW)
        assert path.is_file(), url
        targets.append(path)
    assert sorted(targets) == sorted(BLUEPRINTS.glob("*.yaml"))


async def test_pause_the_music_when_a_colleague_calls(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The issue's example, as the visual editor saves it: a device trigger, an action."""
    await _add_entities(
        hass, "media_player", FakePlayer("Kitchen", MediaPlayerState.PLAYING, 0.5)
    )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Pause the music when a colleague calls",
                "triggers": [
                    {
                        "trigger": "device",
                        "domain": "xivo",
                        "device_id": account_device_id(hass, init_integration),
                        "type": "incoming_call",
                    }
                ],
                "actions": [
                    {
                        "action": "media_player.media_pause",
                        "target": {"entity_id": "media_player.kitchen"},
                    }
                ],
            }
        },
    )
    await xuc_server.incoming_call("alice", "1002", "Hawkeye Pierce")
    await wait_for_state(hass, "media_player.kitchen", state_is("paused"))
