"""Who is "me": two XiVO accounts, two Home Assistant users, one satellite per office.

Alice and Bob each have a XiVO account on the simulator (two logins of one server), a
Home Assistant user, and a voice satellite in their office. Requests go through
Home Assistant's intent helper (as the conversation agent and LLM tools send them) and
through the built-in conversation agent, with the sentence files.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
import shutil
from typing import Any

from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
    llm,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.accounts import (
    OPTION_AREAS,
    OPTION_DEVICES,
    OPTION_USERS,
    Origin,
    pick_entry,
    request_origin,
)
from custom_components.xivo.const import DOMAIN
from custom_components.xivo.intent import (
    INTENT_GET_PRESENCE,
    INTENT_SET_PRESENCE,
    async_setup_intents,
)

from .simulator import XucSimulator
from .test_intent import TOOL_PREFIX, _assist_api, add_bob, wait_for_snapshot

# `satellite_id` (the assist satellite entity) reaches intents from Home Assistant 2026.
HAS_SATELLITE_ID = "satellite_id" in inspect.signature(intent.async_handle).parameters
SENTENCES = Path(__file__).parents[1] / "custom_sentences"


class Home:
    """The test home: two accounts, two users, two satellites in two offices."""

    def __init__(
        self, hass: HomeAssistant, alice: MockConfigEntry, bob: MockConfigEntry
    ) -> None:
        """Keep the parts; `async_build` makes them."""
        self.hass = hass
        self.alice = alice
        self.bob = bob
        self.users: dict[str, str] = {}
        self.satellites: dict[str, str] = {}  # device ids
        self.areas: dict[str, str] = {}

    async def async_build(self) -> None:
        """Users, offices, a satellite device (with its entity) in each office."""
        hass = self.hass
        devices = dr.async_get(hass)
        entities = er.async_get(hass)
        areas = ar.async_get(hass)
        satellites_entry = MockConfigEntry(domain="test")
        satellites_entry.add_to_hass(hass)
        for name in ("alice", "bob"):
            user = await hass.auth.async_create_user(name.title())
            self.users[name] = user.id
            self.areas[name] = areas.async_create(f"{name.title()}'s office").id
            device = devices.async_get_or_create(
                config_entry_id=satellites_entry.entry_id,
                identifiers={("test", f"satellite_{name}")},
                name=f"{name.title()}'s satellite",
            )
            devices.async_update_device(device.id, area_id=self.areas[name])
            entities.async_get_or_create(
                "assist_satellite", "test", f"satellite_{name}", device_id=device.id
            )
            self.satellites[name] = device.id

    def link(self, entry: MockConfigEntry, **options: list[str]) -> None:
        """Set an entry's options (users, devices, areas)."""
        self.hass.config_entries.async_update_entry(entry, options=options)

    def link_both(self) -> None:
        """Each account linked to its person, satellite and office."""
        for name, entry in (("alice", self.alice), ("bob", self.bob)):
            self.link(
                entry,
                **{
                    OPTION_USERS: [self.users[name]],
                    OPTION_DEVICES: [self.satellites[name]],
                    OPTION_AREAS: [self.areas[name]],
                },
            )


@pytest.fixture
async def home(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> Home:
    """Alice's and Bob's accounts loaded, the intents registered, the home built."""
    bob = await add_bob(hass, xuc_server)
    await async_setup_intents(hass)
    built = Home(hass, init_integration, bob)
    await built.async_build()
    return built


async def handle(
    hass: HomeAssistant,
    intent_type: str,
    slots: dict[str, str] | None = None,
    *,
    language: str = "en",
    user_id: str | None = None,
    device_id: str | None = None,
    **extra: Any,
) -> intent.IntentResponse:
    """Handle an intent as the conversation agent does, from a user and a device."""
    return await intent.async_handle(
        hass,
        "test",
        intent_type,
        {key: {"value": value} for key, value in (slots or {}).items()},
        context=Context(user_id=user_id),
        language=language,
        device_id=device_id,
        **extra,
    )


def speech(response: intent.IntentResponse) -> str:
    """The plain speech of a response."""
    return str(response.speech["plain"]["speech"])


async def sent_by(xuc_server: XucSimulator, command: str, count: int = 1) -> str:
    """The login whose session sent the `count`-th `command` frame."""
    frame = await xuc_server.wait_for_command(command, count=count)
    return next(login for login, sent in xuc_server.received if sent is frame)


# ---------------------------------------------------------------------- the order


async def test_each_user_gets_their_own_account(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """The context's user picks the account, wherever the request comes from."""
    home.link_both()

    response = await handle(
        hass, INTENT_SET_PRESENCE, {"status": "away"}, user_id=home.users["alice"]
    )
    assert speech(response) == "Account Alice Johnson: Your status is now Sorti."
    assert await sent_by(xuc_server, "userStatusUpdate") == "alice"

    # Bob, speaking at Alice's satellite (the app of a user wins over the device).
    response = await handle(
        hass,
        INTENT_SET_PRESENCE,
        {"status": "out to lunch"},
        language="fr",
        user_id=home.users["bob"],
        device_id=home.satellites["alice"],
    )
    assert (
        speech(response)
        == "Compte Bob Martin : Votre statut est maintenant Parti Manger."
    )
    assert await sent_by(xuc_server, "userStatusUpdate", 2) == "bob"
    await wait_for_snapshot(home.bob, lambda data: data.status_name == "outtolunch")
    await wait_for_snapshot(home.alice, lambda data: data.status_name == "away")


async def test_each_satellite_speaks_for_its_office(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """No user (a satellite's pipeline has none): the satellite device picks."""
    home.link_both()
    await xuc_server.set_user_status("bob", "away")
    await wait_for_snapshot(home.bob, lambda data: data.status_name == "away")

    for name, answer in (
        ("alice", "Account Alice Johnson: Your status is Disponible."),
        ("bob", "Account Bob Martin: Your status is Sorti."),
    ):
        response = await handle(
            hass, INTENT_GET_PRESENCE, device_id=home.satellites[name]
        )
        assert speech(response) == answer


async def test_a_device_in_a_linked_area(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """Only the areas are linked: a device in Bob's office speaks for Bob."""
    home.link(home.alice, **{OPTION_AREAS: [home.areas["alice"]]})
    home.link(home.bob, **{OPTION_AREAS: [home.areas["bob"]]})

    response = await handle(
        hass, INTENT_SET_PRESENCE, {"status": "away"}, device_id=home.satellites["bob"]
    )
    assert speech(response) == "Account Bob Martin: Your status is now Sorti."
    assert await sent_by(xuc_server, "userStatusUpdate") == "bob"


async def test_a_linked_device_beats_a_linked_area(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """Alice's satellite sits in the office linked to Bob: the device link wins."""
    home.link(home.alice, **{OPTION_DEVICES: [home.satellites["alice"]]})
    home.link(home.bob, **{OPTION_AREAS: [home.areas["alice"]]})

    response = await handle(
        hass,
        INTENT_SET_PRESENCE,
        {"status": "away"},
        device_id=home.satellites["alice"],
    )
    assert speech(response) == "Account Alice Johnson: Your status is now Sorti."
    assert await sent_by(xuc_server, "userStatusUpdate") == "alice"


@pytest.mark.skipif(not HAS_SATELLITE_ID, reason="no satellite_id before 2026")
async def test_the_satellite_entity_and_its_own_area(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """From 2026 the satellite entity is told: its device, else its own area, picks."""
    home.link_both()
    entities = er.async_get(hass)
    satellite = entities.async_get_entity_id(
        "assist_satellite", "test", "satellite_bob"
    )
    assert satellite is not None

    response = await handle(
        hass, INTENT_GET_PRESENCE, satellite_id=satellite, device_id=None
    )
    assert speech(response) == "Account Bob Martin: Your status is Disponible."

    # The entity moved to Alice's office, off its device: the entity's area counts
    # (from 2026 only an entity with a name of its own may have an area of its own).
    home.link(home.bob)
    entities.async_update_entity(
        satellite, name="Satellite in Alice's office", area_id=home.areas["alice"]
    )
    response = await handle(hass, INTENT_GET_PRESENCE, satellite_id=satellite)
    assert speech(response) == "Account Alice Johnson: Your status is Disponible."


# ---------------------------------------------------------------------- ambiguity


async def test_no_link_asks_which_account(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """Two accounts, an unlinked user at an unlinked satellite: asked, nothing sent."""
    response = await handle(
        hass,
        INTENT_SET_PRESENCE,
        {"status": "away"},
        user_id=home.users["alice"],
        device_id=home.satellites["alice"],
    )

    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert speech(response) == "Which account: Alice Johnson or Bob Martin?"
    await hass.async_block_till_done()
    assert xuc_server.commands("userStatusUpdate") == []


async def test_links_to_both_ask_which_account(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """A user and an office both accounts claim: still a question, in French too."""
    shared = {
        OPTION_USERS: [home.users["alice"]],
        OPTION_AREAS: [home.areas["alice"]],
    }
    home.link(home.alice, **shared)
    home.link(home.bob, **shared)

    response = await handle(
        hass,
        INTENT_SET_PRESENCE,
        {"status": "away"},
        language="fr",
        user_id=home.users["alice"],
        device_id=home.satellites["alice"],
    )
    assert speech(response) == "Quel compte : Alice Johnson ou Bob Martin ?"

    # The user is both; the satellite tells: Bob's satellite is linked to Bob only.
    home.link(home.bob, **shared, **{OPTION_DEVICES: [home.satellites["bob"]]})
    response = await handle(
        hass,
        INTENT_SET_PRESENCE,
        {"status": "away"},
        user_id=home.users["alice"],
        device_id=home.satellites["bob"],
    )
    assert speech(response) == "Account Bob Martin: Your status is now Sorti."
    assert await sent_by(xuc_server, "userStatusUpdate") == "bob"
    assert len(xuc_server.commands("userStatusUpdate")) == 1


async def test_a_linked_account_that_is_not_loaded_is_said_so(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """Bob's account is unloaded: Bob's request never falls back to Alice's."""
    home.link_both()
    assert await hass.config_entries.async_unload(home.bob.entry_id)

    with pytest.raises(
        intent.IntentHandleError, match=r"^The XiVO entry Bob Martin is not loaded\.$"
    ):
        await handle(
            hass, INTENT_SET_PRESENCE, {"status": "away"}, user_id=home.users["bob"]
        )
    await hass.async_block_till_done()
    assert xuc_server.commands("userStatusUpdate") == []
    # Nobody linked: the only loaded account answers, without its name.
    response = await handle(hass, INTENT_GET_PRESENCE)
    assert speech(response) == "Your status is Disponible."
    # Disabled, Bob's account still owns Bob's links.
    await hass.config_entries.async_set_disabled_by(
        home.bob.entry_id, ConfigEntryDisabler.USER
    )
    with pytest.raises(intent.IntentHandleError, match="Bob Martin is not loaded"):
        await handle(hass, INTENT_GET_PRESENCE, device_id=home.satellites["bob"])


async def test_pick_entry_order(hass: HomeAssistant) -> None:
    """The order of the issue, and that the order of the entries never matters."""
    alice = MockConfigEntry(domain=DOMAIN, title="A", options={OPTION_USERS: ["u1"]})
    bob = MockConfigEntry(
        domain=DOMAIN, title="B", options={OPTION_DEVICES: ["d2"], OPTION_AREAS: ["a"]}
    )
    carol = MockConfigEntry(domain=DOMAIN, title="C", options={OPTION_AREAS: ["a"]})
    for entry in (alice, bob, carol):
        entry.add_to_hass(hass)
        entry.mock_state(hass, ConfigEntryState.LOADED)

    for order in ((alice, bob, carol), (carol, bob, alice)):
        assert pick_entry(order, Origin("u1", frozenset({"d2"}))) is alice
        assert pick_entry(order, Origin("u9", frozenset({"d2"}))) is bob
        # Two entries share the area: a question among them only.
        assert set(pick_entry(order, Origin(None, area_ids=frozenset({"a"})))) == {
            bob,
            carol,
        }
        assert set(pick_entry(order, Origin())) == {alice, bob, carol}
    # One loaded entry and no link: it.
    bob.mock_state(hass, ConfigEntryState.NOT_LOADED)
    carol.mock_state(hass, ConfigEntryState.SETUP_RETRY)
    assert pick_entry((alice, bob, carol), Origin()) is alice
    alice.mock_state(hass, ConfigEntryState.NOT_LOADED)
    assert pick_entry((alice, bob, carol), Origin()) == ()


async def test_request_origin_of_unknown_ids(hass: HomeAssistant) -> None:
    """A device or satellite the registries do not know adds nothing but its id."""
    origin = request_origin(
        hass, user_id=None, device_id="nope", satellite_id="assist_satellite.nope"
    )
    assert origin == Origin(None, frozenset({"nope"}), frozenset())


# ---------------------------------------------------------------------- the agent


async def async_setup_agent(hass: HomeAssistant, config_dir: Path) -> None:
    """The built-in agent, with the sentence files where an installation has them.

    The configuration folder is moved to `config_dir` first, so the files are not
    written into the test plugin's shared `testing_config` folder.
    """
    pytest.importorskip(
        "homeassistant.components.conversation.default_agent",
        reason="the conversation agent's requirements are not installed",
    )
    hass.config.config_dir = str(config_dir)
    for language in ("en", "fr"):
        target = Path(hass.config.path("custom_sentences", language, "xivo.yaml"))
        target.parent.mkdir(parents=True)
        shutil.copyfile(SENTENCES / language / "xivo.yaml", target)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    # The `intent` integration registers the intents through the `intent` platform.
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done()


@pytest.fixture
async def agent(hass: HomeAssistant, home: Home, tmp_path: Path) -> Home:
    """The built-in agent with the sentence files, in the two-account home."""
    await async_setup_agent(hass, tmp_path)
    return home


async def converse(
    hass: HomeAssistant,
    text: str,
    language: str,
    *,
    user_id: str | None = None,
    device_id: str | None = None,
) -> str:
    """What the built-in agent says to a sentence from a user at a device."""
    from homeassistant.components import conversation

    result = await conversation.async_converse(
        hass,
        text,
        None,
        Context(user_id=user_id),
        language=language,
        device_id=device_id,
    )
    return str(result.response.speech["plain"]["speech"])


async def test_the_agent_in_the_two_account_home(
    hass: HomeAssistant, agent: Home, xuc_server: XucSimulator
) -> None:
    """Each user and each satellite gets their own account, in English and French."""
    home = agent
    home.link_both()

    assert (
        await converse(hass, "set my status to away", "en", user_id=home.users["bob"])
        == "Account Bob Martin: Your status is now Sorti."
    )
    assert await sent_by(xuc_server, "userStatusUpdate") == "bob"
    assert (
        await converse(
            hass,
            "mets mon statut sur parti manger",
            "fr",
            device_id=home.satellites["alice"],
        )
        == "Compte Alice Johnson : Votre statut est maintenant Parti Manger."
    )
    assert await sent_by(xuc_server, "userStatusUpdate", 2) == "alice"
    await wait_for_snapshot(home.bob, lambda data: data.status_name == "away")
    assert (
        await converse(
            hass, "what is my status", "en", device_id=home.satellites["bob"]
        )
        == "Account Bob Martin: Your status is Sorti."
    )

    # Nobody linked, no satellite: asked, in the language; nothing more sent.
    home.link(home.alice)
    home.link(home.bob)
    assert await converse(hass, "set my status to away", "en") == (
        "Which account: Alice Johnson or Bob Martin?"
    )
    assert await converse(
        hass, "quel est mon statut", "fr", user_id=home.users["alice"]
    ) == ("Quel compte : Alice Johnson ou Bob Martin ?")
    # Both accounts claim Alice's office: still a question.
    home.link(home.alice, **{OPTION_AREAS: [home.areas["alice"]]})
    home.link(home.bob, **{OPTION_AREAS: [home.areas["alice"], home.areas["bob"]]})
    assert await converse(
        hass, "set my status to away", "en", device_id=home.satellites["alice"]
    ) == ("Which account: Alice Johnson or Bob Martin?")
    await hass.async_block_till_done()
    assert len(xuc_server.commands("userStatusUpdate")) == 2
    # Only Bob claims his office: his satellite, linked by its area alone, is his.
    assert await converse(
        hass, "quel est mon statut", "fr", device_id=home.satellites["bob"]
    ) == ("Compte Bob Martin : Votre statut est Sorti.")


async def test_each_office_hears_its_own_calls(
    hass: HomeAssistant, agent: Home, xuc_server: XucSimulator
) -> None:
    """A call missed by Bob is Bob's: his satellite names it, Alice's does not."""
    home = agent
    home.link_both()
    call_id = await xuc_server.incoming_call("bob", "1002")
    await xuc_server.hang_up("bob", call_id)
    await wait_for_snapshot(
        home.bob, lambda _: bool(home.bob.runtime_data.missed.items)
    )

    assert (
        await converse(hass, "who called me?", "en", device_id=home.satellites["bob"])
        == "Account Bob Martin: You have one missed call, from Hawkeye Pierce."
    )
    assert (
        await converse(
            hass, "qui m'a appelé ?", "fr", device_id=home.satellites["alice"]
        )
        == "Compte Alice Johnson : Vous n'avez aucun appel manqué."
    )
    assert (
        await converse(
            hass, "call back the last caller", "en", user_id=home.users["bob"]
        )
        == "Account Bob Martin: Calling back Hawkeye Pierce on 1002."
    )
    assert await sent_by(xuc_server, "dial") == "bob"


async def test_llm_tools_act_for_the_speaker(
    hass: HomeAssistant, home: Home, xuc_server: XucSimulator
) -> None:
    """An LLM tool call carries the conversation's user and device: the same order."""
    home.link_both()
    api = await _assist_api(hass)
    tool = next(t for t in api.tools if t.name == f"{TOOL_PREFIX}{INTENT_SET_PRESENCE}")

    for user, login in (("bob", "bob"), ("alice", "alice")):
        context = dataclasses.replace(
            api.llm_context, context=Context(user_id=home.users[user])
        )
        result: Any = await tool.async_call(
            hass, llm.ToolInput(tool.name, {"status": "away"}), context
        )
        data = getattr(result, "data", result)  # a ToolResult on later versions
        assert data["speech"]["plain"]["speech"].endswith("Your status is now Sorti.")
        assert await sent_by(xuc_server, "userStatusUpdate") == login
        xuc_server.clear_received()

    # From Bob's satellite, with no user: Bob's account.
    context = dataclasses.replace(
        api.llm_context, context=Context(), device_id=home.satellites["bob"]
    )
    await tool.async_call(hass, llm.ToolInput(tool.name, {"status": "lunch"}), context)
    assert await sent_by(xuc_server, "userStatusUpdate") == "bob"
