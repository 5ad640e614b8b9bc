"""Faults the integration survives on its own, through Home Assistant and the simulator.

Figures printed here (time to detect, time to recover, restarts, memory) are the ones
the README's "Reliability" section reports; run with `-s` to see them.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import tracemalloc

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xivo.const import DOMAIN
from custom_components.xivo.xuc import Backoff
from custom_components.xivo.xuc.journal import JOURNAL_SIZE

from .common import state_is, wait_for_state
from .simulator import XucSimulator
from .soak.memory import forget_harness_calls

PRESENCE = "select.alice_johnson_presence"
HAWKEYE = "sensor.alice_johnson_hawkeye_pierce"
DEVICE = "select.alice_johnson_preferred_device"
PETER = "sensor.alice_johnson_peter_pan"
CONNECTION = "binary_sensor.alice_johnson_server_connection"


def _available(state: object) -> bool:
    return state is not None and getattr(state, "state", None) != STATE_UNAVAILABLE


def _reauth_flows(hass: HomeAssistant) -> list[object]:
    return [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


async def test_server_restart_resyncs(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Unavailable within 1 s of the close, back within 2 s of the return, resynchronised."""
    closed_at = time.monotonic()
    await xuc_server.stop()
    await wait_for_state(hass, PRESENCE, state_is(STATE_UNAVAILABLE), timeout=1.0)
    detect = time.monotonic() - closed_at
    assert hass.states.get(HAWKEYE).state == STATE_UNAVAILABLE
    # The connection sensor stays available and says the link is down.
    assert hass.states.get(CONNECTION).state == "off"

    # Changed while the link was down: status, preference, favorites, phone state.
    alice = xuc_server.data.user("alice")
    alice.status = "outtolunch"
    alice.preferences["PREFERRED_DEVICE"] = ("TypeDefaultDevice", "String")
    alice.favorites.append(("4", "internal"))
    xuc_server.data.phone_states["1002"] = 2

    await xuc_server.start()
    back_at = time.monotonic()
    await wait_for_state(hass, PRESENCE, state_is("Parti Manger"), timeout=2.0)
    recover = time.monotonic() - back_at
    await wait_for_state(hass, HAWKEYE, state_is("busy"), timeout=1.0)
    await wait_for_state(hass, DEVICE, state_is("default_device"), timeout=1.0)
    await wait_for_state(hass, PETER, _available, timeout=1.0)
    assert hass.states.get(CONNECTION).state == "on"
    print(
        f"\nserver restart: unavailable after {detect * 1000:.0f} ms, back {recover * 1000:.0f} ms after return"
    )


async def test_token_expired_between_connections(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """An expired token is renewed (check or re-login) without the user noticing."""
    xuc_server.expire_tokens()
    logins = xuc_server.login_count
    await xuc_server.close_sessions()
    await wait_for_state(hass, PRESENCE, state_is(STATE_UNAVAILABLE), timeout=1.0)
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=5.0)
    assert xuc_server.login_count == logins + 1
    assert not _reauth_flows(hass)


async def test_password_changed_starts_one_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """One reauth flow, no retry loop; the new password brings everything back."""
    xuc_server.set_password("alice", "new-secret")
    xuc_server.expire_tokens()
    await xuc_server.close_sessions()
    await wait_for_state(hass, PRESENCE, state_is(STATE_UNAVAILABLE), timeout=1.0)
    deadline = time.monotonic() + 5
    while not _reauth_flows(hass) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(_reauth_flows(hass)) == 1
    logins = xuc_server.login_count
    await asyncio.sleep(3)  # several back-off periods: no hot loop, no second flow
    assert xuc_server.login_count == logins
    assert len(_reauth_flows(hass)) == 1
    assert hass.states.get(PRESENCE).state == STATE_UNAVAILABLE

    flow = _reauth_flows(hass)[0]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {CONF_PASSWORD: "new-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert init_integration.data[CONF_PASSWORD] == "new-secret"
    assert init_integration.state is ConfigEntryState.LOADED
    await wait_for_state(hass, PRESENCE, state_is("Disponible"))


async def test_half_open_link_detected(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A server that goes silent (no frames, no pongs) is dropped, then rejoined.

    Timings a hundredfold faster than the defaults (5 s keepalive, dead after 25 s):
    the link must be found dead within `dead_after` plus one keepalive period, which
    with the defaults is the README's 30 s.
    """
    client = init_integration.runtime_data.client
    client.timings.keepalive_interval = 0.05
    client.timings.dead_after = 0.25
    await xuc_server.close_sessions()  # a fresh session runs with these timings
    await wait_for_state(hass, CONNECTION, state_is("off"), timeout=1.0)
    await wait_for_state(hass, CONNECTION, state_is("on"), timeout=5.0)
    silent_at = time.monotonic()
    xuc_server.go_silent()
    await wait_for_state(hass, PRESENCE, state_is(STATE_UNAVAILABLE), timeout=5.0)
    detect = time.monotonic() - silent_at
    xuc_server.resume()
    await wait_for_state(hass, PRESENCE, state_is("Disponible"), timeout=5.0)
    bound = client.timings.dead_after + client.timings.keepalive_interval
    print(f"\nhalf-open link detected after {detect:.2f} s (bound {bound:.2f} s)")
    # The last pong may precede the silence by a keepalive period, so no lower bound;
    # the slack covers loop turns on a loaded machine (the wait itself allows 5 s).
    assert detect <= bound + 0.2


async def test_quiet_link_is_kept(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A healthy link with no push is never dropped (it answers protocol pings).

    The keepalive is sped up a hundredfold: 4 s are 130 keepalive periods, 26 times
    the silence after which a link that does not answer pings is dropped.
    """
    client = init_integration.runtime_data.client
    client.timings.keepalive_interval = 0.03
    client.timings.dead_after = 0.15
    # A fresh session starts its keepalive with these timings.
    await xuc_server.close_sessions()
    await wait_for_state(hass, CONNECTION, state_is("off"), timeout=1.0)
    await wait_for_state(hass, CONNECTION, state_is("on"), timeout=5.0)
    xuc_server.clear_received()
    connects = xuc_server.ws_connect_count
    await asyncio.sleep(4)
    assert xuc_server.ws_connect_count == connects
    assert hass.states.get(CONNECTION).state == "on"
    assert len(xuc_server.commands("ping")) > 100


@pytest.mark.parametrize("how", ["unload", "stop"])
async def test_unload_or_stop_during_reconnect(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    how: str,
) -> None:
    """Unloading, or stopping Home Assistant, in the middle of a reconnect is clean."""
    client = init_integration.runtime_data.client
    await xuc_server.stop()
    await wait_for_state(hass, PRESENCE, state_is(STATE_UNAVAILABLE), timeout=1.0)
    if how == "unload":
        assert await hass.config_entries.async_unload(init_integration.entry_id)
        await hass.async_block_till_done()
        assert init_integration.state is ConfigEntryState.NOT_LOADED
    else:
        await hass.async_stop()
    assert not [
        task for task in asyncio.all_tasks() if task.get_name().startswith("xuc ")
    ]
    assert not client.connected


async def test_fifty_restarts(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """50 server restarts: no growth in tasks or memory.

    The back-off is shortened (its bounds are the back-off's own tests' business):
    what grows or not does not depend on how long each wait lasts.
    """
    client = init_integration.runtime_data.client
    client.backoff = Backoff(minimum=0.01, maximum=0.02)

    async def restart_once() -> None:
        await xuc_server.restart()
        await wait_for_state(hass, CONNECTION, state_is("off"), timeout=2.0)
        await wait_for_state(hass, CONNECTION, state_is("on"), timeout=5.0)

    # Only what the integration's own code keeps alive is counted: the simulator's and
    # the test harness's records (frames received, captured logs) grow by design.
    ours = [
        tracemalloc.Filter(
            inclusive=True, filename_pattern="*/custom_components/xivo/*"
        )
    ]
    for _ in range(3):  # warm up caches before measuring
        await restart_once()
    # Fill the bounded protocol journal, so that what it keeps is at its bound before
    # the measurement (it then replaces frames, it does not grow).
    for index in range(JOURNAL_SIZE):
        await xuc_server.set_phone_state("1002", 8 if index % 2 else 0)
    await wait_for_state(hass, HAWKEYE, state_is("ringing"))  # the last one (odd)
    tasks_before = len(asyncio.all_tasks())
    # The harness keeps every log record of the test, and with it what a record holds
    # (each drop's error): no record is made while measuring.
    caplog.set_level(logging.CRITICAL, logger="custom_components.xivo")
    tracemalloc.start()
    forget_harness_calls()  # the harness's Store mocks keep every write (see there)
    gc.collect()
    before = tracemalloc.take_snapshot().filter_traces(ours)
    for _ in range(50):
        await restart_once()
        xuc_server.clear_received()
    # The history asked at each connect is a short background task: let the last end.
    await hass.async_block_till_done(wait_background_tasks=True)
    forget_harness_calls()
    gc.collect()
    after = tracemalloc.take_snapshot().filter_traces(ours)
    tracemalloc.stop()
    memory_delta = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    tasks_after = len(asyncio.all_tasks())
    print(
        f"\n50 restarts: memory delta {memory_delta / 1024:.0f} KiB, tasks {tasks_before} -> {tasks_after}"
    )
    assert tasks_after <= tasks_before
    assert memory_delta < 64 * 1024
    assert hass.states.get(PRESENCE).state == "Disponible"


async def test_entry_not_ready_and_auth_failed(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Setup: unreachable server -> retry later; refused credentials -> reauth flow."""
    config_entry.add_to_hass(hass)
    xuc_server.fail_http(503)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not [
        task for task in asyncio.all_tasks() if task.get_name().startswith("xuc ")
    ]

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    xuc_server.clear_http_failure()
    xuc_server.refuse_logins = True
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = _reauth_flows(hass)
    assert len(flows) == 1
    assert flows[0]["handler"] == DOMAIN


async def test_no_secret_in_logs_attributes_or_errors(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A whole life at debug level: the password and tokens never reach a log line.

    Setup, pushes, commands, a token renewal, a re-login, a refused handshake, bad
    frames, an action error and the unload all run with every logger at DEBUG.
    """
    caplog.set_level(logging.DEBUG)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await xuc_server.set_phone_state("1002", 8)
    await xuc_server.send_raw("not json")
    await xuc_server.send_raw('{"msgType": "Nope", "ctiMessage": {}}')
    await xuc_server.close_sessions()  # renewal through /auth/check
    await wait_for_state(hass, CONNECTION, state_is("on"), timeout=5.0)
    xuc_server.expire_tokens()
    await xuc_server.close_sessions()  # check refused: re-login with the password
    await wait_for_state(hass, CONNECTION, state_is("off"), timeout=1.0)
    await wait_for_state(hass, CONNECTION, state_is("on"), timeout=5.0)
    xuc_server.drop_commands.add("directoryLookUp")
    config_entry.runtime_data.client.timings.command_timeout = 0.3
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "directory_lookup",
            {"config_entry_id": config_entry.entry_id, "term": "pierce"},
            blocking=True,
            return_response=True,
        )
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()

    secrets = [config_entry.data[CONF_PASSWORD], *xuc_server._tokens]
    assert len(secrets) >= 3  # the password and several tokens were really used
    shown = caplog.text + str(err.value) + repr(err.value.__cause__)
    shown += "".join(str(state.attributes) for state in hass.states.async_all())
    assert "xivo" in caplog.text  # the integration did log at debug level
    for secret in secrets:
        assert secret not in shown
