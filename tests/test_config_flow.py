"""The config flow, through Home Assistant's flow manager, against the real simulator.

Every flow here logs in for real over loopback sockets (REST login, WebSocket
session, `LoggedOn`, initial sync), so an error shown by the form is the one the
real client raised. The only mock of the flow's path is the `unknown` case, which
needs an error the client never raises. Where a test is about the flow's result
only, the new entry's own setup (`async_setup_entry`) is patched out, as Home
Assistant's config-flow tests do; the tests about reloads, and the first
`test_user_creates_entry`, let the entry set up for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
import json
import logging
from pathlib import Path
import socket
import time
from typing import Any
from unittest.mock import patch

from aiohttp import web
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import CONF_PASSWORD, CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers.data_entry_flow import FlowManagerIndexView
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    start_reauth_flow,
)
import voluptuous as vol

from custom_components.xivo.accounts import OPTION_AREAS, OPTION_DEVICES, OPTION_USERS
from custom_components.xivo.config_flow import account_unique_id
from custom_components.xivo.const import CONF_PHONE_NUMBER, DOMAIN

from .simulator import ALICE_PASSWORD, BOB_PASSWORD, XucSimulator

_TRANSLATIONS = json.loads(
    (
        Path(__file__).parent.parent
        / "custom_components"
        / "xivo"
        / "translations"
        / "en.json"
    ).read_text(encoding="utf-8")
)["config"]

_SERVER_LOGGERS = ("aiohttp.access", "aiohttp.server", "aiohttp.web", "tests.")
"""Loggers of the simulator's side of the sockets (its web server and itself)."""

ACCOUNT_FIELDS = {
    CONF_URL,
    CONF_VERIFY_SSL,
    CONF_USERNAME,
    CONF_PASSWORD,
    CONF_PHONE_NUMBER,
}


# ---------------------------------------------------------------------- helpers


def _alice(server: XucSimulator, **overrides: Any) -> dict[str, Any]:
    """What a user types to add Alice's account (all fields, like the frontend)."""
    return {
        CONF_URL: server.url,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: "alice",
        CONF_PASSWORD: ALICE_PASSWORD,
        CONF_PHONE_NUMBER: "",
    } | overrides


def _alice_data(server: XucSimulator, **overrides: Any) -> dict[str, Any]:
    """The cleaned entry data for Alice's account."""
    return {
        CONF_URL: server.url,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: "alice",
        CONF_PASSWORD: ALICE_PASSWORD,
    } | overrides


def _schema_key(result: FlowResult, field: str) -> vol.Marker:
    for key in result["data_schema"].schema:
        if key == field:
            return key
    raise AssertionError(f"{field} is not in the form")


def _suggested(result: FlowResult, field: str) -> Any:
    """The value the frontend pre-fills for a field (suggested value, else default)."""
    key = _schema_key(result, field)
    suggested = (key.description or {}).get("suggested_value")
    if suggested is not None:
        return suggested
    default = key.default
    return None if default is vol.UNDEFINED else default()


def _assert_form(
    result: FlowResult, step_id: str, errors: dict[str, str] | None = None
) -> None:
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] == step_id
    assert result["errors"] == (errors or {})
    assert step_id in _TRANSLATIONS["step"]
    for error in (errors or {}).values():
        assert error in _TRANSLATIONS["error"], f"{error} is not translated"


def _assert_abort(result: FlowResult, reason: str) -> None:
    assert result["type"] is FlowResultType.ABORT, result
    assert result["reason"] == reason
    assert reason in _TRANSLATIONS["abort"], f"{reason} is not translated"


def _assert_password_not_shown(
    hass: HomeAssistant, result: FlowResult, *passwords: str
) -> None:
    """Nothing the frontend receives for this form carries a password.

    The schema is serialised exactly as the frontend gets it (defaults and
    suggested values included), then searched for each password.
    """
    assert result["type"] is FlowResultType.FORM
    assert _suggested(result, CONF_PASSWORD) is None
    # Home Assistant's own view code turns the form into what the frontend receives
    # (its serialiser library differs between 2025.4 and 2026.x).
    view = FlowManagerIndexView(hass.config_entries.flow)
    serialised = json.dumps(view._prepare_result_json(result)["data_schema"])
    shown = serialised + json.dumps(result.get("description_placeholders") or {})
    for password in passwords:
        assert password not in shown


async def _start_user_flow(hass: HomeAssistant) -> FlowResult:
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )


async def _sessions_settled(
    hass: HomeAssistant, server: XucSimulator, expected: int = 0
) -> int:
    """The number of WebSocket sessions open on the simulator, once it has settled.

    `XucClient.stop()` sends its close frame without waiting for the server's reply,
    so the simulator sees the session end a few loop turns later: wait (briefly)
    for the expected count, and return what is left if it never comes.
    """
    deadline = time.monotonic() + 2.0
    while True:
        await hass.async_block_till_done()
        if len(server.sessions) == expected or time.monotonic() > deadline:
            return len(server.sessions)
        await asyncio.sleep(0.01)


def _free_port_url() -> str:
    """An http URL on a loopback port nothing listens on (bound, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
async def html_server(socket_enabled: None) -> AsyncIterator[str]:
    """A web server that is not xuc: 200 with an HTML page on every path and method."""

    async def page(_request: web.Request) -> web.Response:
        return web.Response(
            text="<html><body>It works!</body></html>", content_type="text/html"
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


@pytest.fixture
def issued_tokens(
    xuc_server: XucSimulator, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Every token the simulator hands out (login and renewal), in order."""
    tokens: list[str] = []
    issue = xuc_server.issue_token

    def record(login: str) -> str:
        token = issue(login)
        tokens.append(token)
        return token

    monkeypatch.setattr(xuc_server, "issue_token", record)
    return tokens


# ---------------------------------------------------------------------- user step


async def test_user_form_fields(hass: HomeAssistant, xuc_server: XucSimulator) -> None:
    """The first step asks for the server and the credentials, and contacts no one."""
    result = await _start_user_flow(hass)

    _assert_form(result, "user")
    keys = {str(key): key for key in result["data_schema"].schema}
    assert set(keys) == ACCOUNT_FIELDS
    required = {name for name, key in keys.items() if isinstance(key, vol.Required)}
    assert required == ACCOUNT_FIELDS - {CONF_PHONE_NUMBER}
    assert _suggested(result, CONF_VERIFY_SSL) is True
    for field in (CONF_URL, CONF_USERNAME, CONF_PASSWORD, CONF_PHONE_NUMBER):
        assert _suggested(result, field) is None
    assert xuc_server.login_count == 0

    hass.config_entries.flow.async_abort(result["flow_id"])


@pytest.mark.parametrize(
    ("phone_input", "expected_phone"),
    [
        pytest.param("", None, id="empty-phone-dropped"),
        pytest.param("   ", None, id="blank-phone-dropped"),
        pytest.param(" 1000 ", "1000", id="phone-kept-stripped"),
    ],
)
async def test_user_creates_entry(
    hass: HomeAssistant,
    xuc_server: XucSimulator,
    phone_input: str,
    expected_phone: str | None,
) -> None:
    """A real login creates the entry: full name as title, cleaned data, unique id.

    The flow's own session is closed before the entry sets up its own: once the
    entry is loaded the simulator sees exactly one session, and none once unloaded.
    """
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _alice(
            xuc_server,
            **{
                CONF_URL: f"  {xuc_server.url}  ",
                CONF_USERNAME: " alice ",
                CONF_PHONE_NUMBER: phone_input,
            },
        ),
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "Alice Johnson"
    expected = _alice_data(xuc_server)
    if expected_phone is not None:
        expected[CONF_PHONE_NUMBER] = expected_phone
    assert result["data"] == expected
    entry = result["result"]
    assert entry.unique_id == "alice@127.0.0.1"
    assert entry.title == "Alice Johnson"
    assert dict(entry.data) == expected
    assert xuc_server.login_count >= 1

    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await _sessions_settled(hass, xuc_server, 1) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_user_title_falls_back_to_login(
    hass: HomeAssistant, xuc_server: XucSimulator
) -> None:
    """A user the server gives no name to is titled with the login."""
    alice = xuc_server.data.user("alice")
    assert alice is not None
    alice.full_name = ""
    alice.first_name = alice.last_name = ""

    result = await _start_user_flow(hass)
    with patch("custom_components.xivo.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server)
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "alice"
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_user_already_configured(
    hass: HomeAssistant, xuc_server: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """The same account again (same login on the same host) aborts.

    The URL differs only by a trailing slash and the login by spaces: it is still
    the same account.
    """
    config_entry.add_to_hass(hass)

    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _alice(
            xuc_server,
            **{CONF_URL: f"{xuc_server.url}/", CONF_USERNAME: "alice "},
        ),
    )

    _assert_abort(result, "already_configured")
    assert hass.config_entries.async_entries(DOMAIN) == [config_entry]
    assert await _sessions_settled(hass, xuc_server) == 0


@dataclass(frozen=True)
class _Failure:
    """A way for the first attempt to fail, and the error the form must show."""

    error: dict[str, str]
    breaks: Callable[[XucSimulator, str, str], dict[str, Any]]
    """Break the server or the input; gets (server, closed-port URL, HTML URL)."""


def _wrong_password(_server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    return {CONF_PASSWORD: "not-alices-password"}


def _wrong_login(_server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    return {CONF_USERNAME: "mallory"}


def _logins_refused(server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    server.refuse_logins = True
    return {}


def _closed_port(_server: XucSimulator, closed: str, _html: str) -> dict[str, Any]:
    return {CONF_URL: closed}


def _http_503(server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    server.fail_http(503)
    return {}


def _not_xuc(_server: XucSimulator, _closed: str, html: str) -> dict[str, Any]:
    return {CONF_URL: html}


def _wrong_path(server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    return {CONF_URL: f"{server.url}/not-xuc"}


def _cti_refused(server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
    server.logged_on_error = "loggedOnFailed"
    return {}


def _https_on_plain_http(
    server: XucSimulator, _closed: str, _html: str
) -> dict[str, Any]:
    return {CONF_URL: server.url.replace("http://", "https://")}


def _url(value: str) -> Callable[[XucSimulator, str, str], dict[str, Any]]:
    def breaks(_server: XucSimulator, _closed: str, _html: str) -> dict[str, Any]:
        return {CONF_URL: value}

    return breaks


_FAILURES = {
    "wrong-password": _Failure({"base": "invalid_auth"}, _wrong_password),
    "unknown-login": _Failure({"base": "invalid_auth"}, _wrong_login),
    "logins-refused": _Failure({"base": "invalid_auth"}, _logins_refused),
    "closed-port": _Failure({"base": "cannot_connect"}, _closed_port),
    "http-503": _Failure({"base": "cannot_connect"}, _http_503),
    "html-server": _Failure({"base": "cannot_connect"}, _not_xuc),
    "wrong-path": _Failure({"base": "cannot_connect"}, _wrong_path),
    "cti-session-refused": _Failure({"base": "cannot_connect"}, _cti_refused),
    "https-on-plain-http": _Failure({"base": "cannot_connect"}, _https_on_plain_http),
    "ftp-url": _Failure({CONF_URL: "invalid_url"}, _url("ftp://x")),
    "not-a-url": _Failure({CONF_URL: "invalid_url"}, _url("not a url")),
    "no-host": _Failure({CONF_URL: "invalid_url"}, _url("http://")),
    "credentials-in-url": _Failure(
        {CONF_URL: "invalid_url"}, _url("http://alice:pw@127.0.0.1")
    ),
}


def _heal(server: XucSimulator) -> None:
    server.refuse_logins = False
    server.logged_on_error = None
    server.clear_http_failure()


@pytest.mark.parametrize("failure", list(_FAILURES.values()), ids=list(_FAILURES))
async def test_user_error_then_recovery(
    hass: HomeAssistant,
    xuc_server: XucSimulator,
    html_server: str,
    failure: _Failure,
) -> None:
    """The form shows the error, keeps the input but the password; a retry succeeds."""
    broken = _alice(xuc_server, **{CONF_PHONE_NUMBER: "1000"})
    broken |= failure.breaks(xuc_server, _free_port_url(), html_server)

    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], broken)

    _assert_form(result, "user", failure.error)
    for field in (CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL, CONF_PHONE_NUMBER):
        assert _suggested(result, field) == broken[field]
    _assert_password_not_shown(hass, result, broken[CONF_PASSWORD], ALICE_PASSWORD)
    assert await _sessions_settled(hass, xuc_server) == 0

    _heal(xuc_server)
    with patch("custom_components.xivo.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server, **{CONF_PHONE_NUMBER: "1000"})
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "Alice Johnson"
    assert result["data"] == _alice_data(xuc_server, **{CONF_PHONE_NUMBER: "1000"})
    assert result["result"].unique_id == "alice@127.0.0.1"
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_user_unknown_error_then_recovery(
    hass: HomeAssistant, xuc_server: XucSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception shows `unknown` and is logged; a retry succeeds.

    Unit-level mock: the real client never raises anything but XucError, so
    `XucClient.start` is patched to raise RuntimeError for the first attempt. The
    rest of the flow (and the retry) is real.
    """
    result = await _start_user_flow(hass)
    with patch(
        "custom_components.xivo.xuc.client.XucClient.start",
        side_effect=RuntimeError("boom"),
    ) as start:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server)
        )
    start.assert_awaited_once()

    _assert_form(result, "user", {"base": "unknown"})
    _assert_password_not_shown(hass, result, ALICE_PASSWORD)
    assert "Unexpected error while connecting to the xuc server" in caplog.text
    assert "RuntimeError: boom" in caplog.text
    assert ALICE_PASSWORD not in caplog.text

    with patch("custom_components.xivo.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server)
        )
        await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "Alice Johnson"
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_user_errors_one_after_another(
    hass: HomeAssistant, xuc_server: XucSimulator, html_server: str
) -> None:
    """One flow goes through every kind of error before it succeeds."""
    result = await _start_user_flow(hass)
    attempts: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({CONF_URL: "ftp://x"}, {CONF_URL: "invalid_url"}),
        ({CONF_URL: _free_port_url()}, {"base": "cannot_connect"}),
        ({CONF_URL: html_server}, {"base": "cannot_connect"}),
        ({CONF_PASSWORD: "wrong"}, {"base": "invalid_auth"}),
    ]
    for overrides, errors in attempts:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server, **overrides)
        )
        _assert_form(result, "user", errors)
        _assert_password_not_shown(hass, result, ALICE_PASSWORD, "wrong")

    with patch("custom_components.xivo.async_setup_entry", return_value=True):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice(xuc_server)
        )
        await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert await _sessions_settled(hass, xuc_server) == 0


def test_account_unique_id() -> None:
    """The unique id is the login on the host, whatever the case, scheme and port."""
    assert account_unique_id(" https://XiVO.example.com:8443/x ", " Alice ") == (
        "alice@xivo.example.com"
    )
    assert account_unique_id("http://10.0.0.5:8090", "bob") == "bob@10.0.0.5"


# ---------------------------------------------------------------------- reauth


async def test_reauth_of_loaded_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Wrong password first, then the new one: the entry is updated and reloaded."""
    entry = init_integration
    xuc_server.set_password("alice", "alice-new-pw")

    result = await entry.start_reauth_flow(hass)
    _assert_form(result, "reauth_confirm")
    assert {str(key) for key in result["data_schema"].schema} == {CONF_PASSWORD}
    assert result["description_placeholders"][CONF_USERNAME] == "alice"
    _assert_password_not_shown(hass, result, ALICE_PASSWORD, "alice-new-pw")

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: ALICE_PASSWORD}
    )
    _assert_form(result, "reauth_confirm", {"base": "invalid_auth"})
    _assert_password_not_shown(hass, result, ALICE_PASSWORD)
    assert entry.data[CONF_PASSWORD] == ALICE_PASSWORD
    assert await _sessions_settled(hass, xuc_server, 1) == 1  # the entry's own

    logins = xuc_server.login_count
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "alice-new-pw"}
    )
    _assert_abort(result, "reauth_successful")
    await hass.async_block_till_done()

    assert dict(entry.data) == _alice_data(
        xuc_server, **{CONF_PASSWORD: "alice-new-pw"}
    )
    assert entry.state is ConfigEntryState.LOADED
    # The flow logged in once, then the reloaded entry logged in with the new password.
    assert xuc_server.login_count == logins + 2
    assert await _sessions_settled(hass, xuc_server, 1) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_reauth_started_by_refused_setup(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A setup refused for its credentials starts reauth; the new password loads it."""
    xuc_server.set_password("alice", "alice-new-pw")
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == SOURCE_REAUTH
    assert flows[0]["context"]["entry_id"] == config_entry.entry_id
    assert flows[0]["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_PASSWORD: "alice-new-pw"}
    )
    _assert_abort(result, "reauth_successful")
    await hass.async_block_till_done()

    assert config_entry.data[CONF_PASSWORD] == "alice-new-pw"
    assert config_entry.state is ConfigEntryState.LOADED
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_reauth_cannot_connect_then_recovery(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A server error during reauth shows `cannot_connect`; the retry succeeds.

    The flow is started the long way (`async_init` with SOURCE_REAUTH), which is
    what `ConfigEntry.async_start_reauth` does.
    """
    config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_REAUTH, "entry_id": config_entry.entry_id},
        data=config_entry.data,
    )
    _assert_form(result, "reauth_confirm")

    xuc_server.fail_http(503)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: ALICE_PASSWORD}
    )
    _assert_form(result, "reauth_confirm", {"base": "cannot_connect"})
    _assert_password_not_shown(hass, result, ALICE_PASSWORD)
    assert await _sessions_settled(hass, xuc_server) == 0

    xuc_server.clear_http_failure()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: ALICE_PASSWORD}
    )
    _assert_abort(result, "reauth_successful")
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


# ---------------------------------------------------------------------- reconfigure


@pytest.fixture
def phone_entry(xuc_server: XucSimulator) -> MockConfigEntry:
    """Alice's account with a phone number and TLS verification off."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Alice Johnson",
        unique_id="alice@127.0.0.1",
        data=_alice_data(
            xuc_server, **{CONF_VERIFY_SSL: False, CONF_PHONE_NUMBER: "1000"}
        ),
    )


async def test_reconfigure_form_prefilled(
    hass: HomeAssistant, phone_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """The form shows the entry's settings, but never its password."""
    phone_entry.add_to_hass(hass)

    result = await phone_entry.start_reconfigure_flow(hass)

    _assert_form(result, "reconfigure")
    assert {str(key) for key in result["data_schema"].schema} == ACCOUNT_FIELDS
    assert _suggested(result, CONF_URL) == xuc_server.url
    assert _suggested(result, CONF_USERNAME) == "alice"
    assert _suggested(result, CONF_VERIFY_SSL) is False
    assert _suggested(result, CONF_PHONE_NUMBER) == "1000"
    _assert_password_not_shown(hass, result, ALICE_PASSWORD)
    assert xuc_server.login_count == 0

    hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reconfigure_updates_and_reloads(
    hass: HomeAssistant, init_integration: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """A new URL form and a phone number are checked for real, saved, and reloaded."""
    entry = init_integration
    result = await entry.start_reconfigure_flow(hass)
    _assert_form(result, "reconfigure")

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _alice(
            xuc_server,
            **{CONF_URL: f" {xuc_server.url}/ ", CONF_PHONE_NUMBER: " 1000 "},
        ),
    )

    _assert_abort(result, "reconfigure_successful")
    await hass.async_block_till_done()
    assert dict(entry.data) == _alice_data(
        xuc_server, **{CONF_URL: f"{xuc_server.url}/", CONF_PHONE_NUMBER: "1000"}
    )
    assert entry.unique_id == "alice@127.0.0.1"
    assert entry.title == "Alice Johnson"
    assert entry.state is ConfigEntryState.LOADED
    # The reloaded entry uses the phone number it was given.
    await xuc_server.wait_for_command("subscribeToPhoneHints")
    assert any(
        "1000" in frame["phoneNumbers"]
        for frame in xuc_server.commands("subscribeToPhoneHints")
    )
    assert await _sessions_settled(hass, xuc_server, 1) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_reconfigure_drops_cleared_phone_number(
    hass: HomeAssistant, phone_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Leaving the phone number out removes it; the new password is kept."""
    phone_entry.add_to_hass(hass)
    xuc_server.set_password("alice", "alice-new-pw")
    result = await phone_entry.start_reconfigure_flow(hass)

    user_input = _alice(xuc_server, **{CONF_PASSWORD: "alice-new-pw"})
    del user_input[CONF_PHONE_NUMBER]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )

    _assert_abort(result, "reconfigure_successful")
    await hass.async_block_till_done()
    assert dict(phone_entry.data) == _alice_data(
        xuc_server, **{CONF_PASSWORD: "alice-new-pw"}
    )
    assert phone_entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(phone_entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


async def test_reconfigure_other_account_aborts(
    hass: HomeAssistant, config_entry: MockConfigEntry, xuc_server: XucSimulator
) -> None:
    """Bob's valid credentials on Alice's entry abort; the entry is left unchanged."""
    config_entry.add_to_hass(hass)
    before = dict(config_entry.data)
    result = await config_entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _alice(xuc_server, **{CONF_USERNAME: "bob", CONF_PASSWORD: BOB_PASSWORD}),
    )

    _assert_abort(result, "unique_id_mismatch")
    assert xuc_server.login_count == 1  # Bob's credentials were checked for real
    await hass.async_block_till_done()
    assert dict(config_entry.data) == before
    assert config_entry.unique_id == "alice@127.0.0.1"
    assert config_entry.state is ConfigEntryState.NOT_LOADED
    assert await _sessions_settled(hass, xuc_server) == 0


@pytest.mark.parametrize("cleared", ["omitted", "empty"])
async def test_reconfigure_error_keeps_cleared_phone_number_cleared(
    hass: HomeAssistant,
    phone_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    cleared: str,
) -> None:
    """After an error, a phone number the user cleared must stay cleared."""
    phone_entry.add_to_hass(hass)
    result = await phone_entry.start_reconfigure_flow(hass)
    assert _suggested(result, CONF_PHONE_NUMBER) == "1000"

    attempt = _alice(xuc_server, **{CONF_PASSWORD: "wrong"})
    if cleared == "omitted":  # what the frontend sends for a cleared optional field
        del attempt[CONF_PHONE_NUMBER]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], attempt)

    _assert_form(result, "reconfigure", {"base": "invalid_auth"})
    assert await _sessions_settled(hass, xuc_server) == 0
    assert not _suggested(result, CONF_PHONE_NUMBER)


async def test_reconfigure_errors_then_recovery(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    xuc_server: XucSimulator,
    html_server: str,
) -> None:
    """Each error is shown with the input kept (not the password); then it succeeds."""
    config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_RECONFIGURE, "entry_id": config_entry.entry_id},
    )
    _assert_form(result, "reconfigure")

    https_url = xuc_server.url.replace("http://", "https://")
    attempts: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({CONF_PASSWORD: "wrong"}, {"base": "invalid_auth"}),
        ({CONF_URL: https_url, CONF_VERIFY_SSL: False}, {"base": "cannot_connect"}),
        ({CONF_URL: _free_port_url()}, {"base": "cannot_connect"}),
        ({CONF_URL: html_server}, {"base": "cannot_connect"}),
        ({CONF_URL: "not a url"}, {CONF_URL: "invalid_url"}),
    ]
    for overrides, errors in attempts:
        attempt = _alice(xuc_server, **{CONF_PHONE_NUMBER: "1001", **overrides})
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], attempt
        )
        _assert_form(result, "reconfigure", errors)
        for field in (CONF_URL, CONF_USERNAME, CONF_VERIFY_SSL, CONF_PHONE_NUMBER):
            assert _suggested(result, field) == attempt[field]
        _assert_password_not_shown(hass, result, ALICE_PASSWORD, "wrong")
        assert await _sessions_settled(hass, xuc_server) == 0

    xuc_server.fail_http(503)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server)
    )
    _assert_form(result, "reconfigure", {"base": "cannot_connect"})
    xuc_server.clear_http_failure()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server, **{CONF_PHONE_NUMBER: "1001"})
    )
    _assert_abort(result, "reconfigure_successful")
    await hass.async_block_till_done()
    assert dict(config_entry.data) == _alice_data(
        xuc_server, **{CONF_PHONE_NUMBER: "1001"}
    )
    assert config_entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0


# ---------------------------------------------------------------------- secrets


async def test_logs_never_contain_secrets(
    hass: HomeAssistant,
    xuc_server: XucSimulator,
    issued_tokens: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logs of user, reauth and reconfigure flows hold no password nor token."""
    caplog.set_level(logging.DEBUG)
    first, second, wrong = "Fl0w-S3cret-one", "Fl0w-S3cret-two", "Wr0ng-S3cret"
    xuc_server.set_password("alice", first)

    result = await _start_user_flow(hass)
    xuc_server.fail_http(503)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server, **{CONF_PASSWORD: first})
    )
    _assert_form(result, "user", {"base": "cannot_connect"})
    xuc_server.clear_http_failure()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server, **{CONF_PASSWORD: wrong})
    )
    _assert_form(result, "user", {"base": "invalid_auth"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server, **{CONF_PASSWORD: first})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED

    xuc_server.set_password("alice", second)
    result = await start_reauth_flow(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: wrong}
    )
    _assert_form(result, "reauth_confirm", {"base": "invalid_auth"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: second}
    )
    _assert_abort(result, "reauth_successful")
    await hass.async_block_till_done()

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _alice(xuc_server, **{CONF_PASSWORD: wrong})
    )
    _assert_form(result, "reconfigure", {"base": "invalid_auth"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _alice(xuc_server, **{CONF_PASSWORD: second, CONF_PHONE_NUMBER: "1000"}),
    )
    _assert_abort(result, "reconfigure_successful")
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _sessions_settled(hass, xuc_server) == 0

    # The simulator's own web server logs its access lines, query string (hence the
    # WebSocket token) included: that is the server's side of the socket, not Home
    # Assistant's logs, so it is left out.
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    ha_side = "\n".join(
        formatter.format(record)
        for record in caplog.records
        if not record.name.startswith(_SERVER_LOGGERS)
    )
    # The capture did see the client's and the flow's debug output.
    assert "Logged in to 127.0.0.1 as alice" in ha_side
    assert "Cannot connect to the xuc server" in ha_side
    assert len(issued_tokens) >= 4
    for secret in (first, second, wrong, *issued_tokens):
        assert secret not in ha_side


# ---------------------------------------------------------------------- redirects


@dataclass
class _Redirector:
    """A server that answers every request with a 307 to `target`, and counts them."""

    url: str
    target: str
    hits: list[str]


@pytest.fixture
async def redirector(
    socket_enabled: None,
) -> AsyncIterator[Callable[[str], _Redirector]]:
    """Start redirecting servers: `redirector(target_origin)`."""
    runners: list[web.AppRunner] = []

    async def start(target: str) -> _Redirector:
        hits: list[str] = []

        async def redirect(request: web.Request) -> web.Response:
            hits.append(request.path)
            raise web.HTTPTemporaryRedirect(f"{target}{request.path_qs}")

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", redirect)
        runner = web.AppRunner(app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return _Redirector(f"http://127.0.0.1:{runner.addresses[0][1]}", target, hits)

    yield start
    for runner in runners:
        await runner.cleanup()


async def test_a_redirect_to_https_asks_for_the_https_address(
    hass: HomeAssistant, redirector: Callable[[str], Awaitable[_Redirector]]
) -> None:
    """http:// that redirects to https:// on the same host: say which URL to enter."""
    server = await redirector("https://127.0.0.1:8443")
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**_alice_input(server.url)}
    )
    _assert_form(result, "user", {"base": "use_https"})
    assert result["description_placeholders"]["https_url"] == "https://127.0.0.1:8443"
    assert "{https_url}" in _TRANSLATIONS["error"]["use_https"]
    assert server.hits == ["/xuc/api/2.0/auth/login"]  # asked once, not followed


async def test_a_redirect_to_another_server_is_refused(
    hass: HomeAssistant,
    xuc_server: XucSimulator,
    redirector: Callable[[str], Awaitable[_Redirector]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Another host or port is never sent the password: `cannot_connect`, and a warning."""
    server = await redirector(xuc_server.url)
    logins = xuc_server.login_count
    result = await _start_user_flow(hass)
    with caplog.at_level(logging.WARNING):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _alice_input(server.url)
        )
    _assert_form(result, "user", {"base": "cannot_connect"})
    assert xuc_server.login_count == logins  # the password never reached it
    assert xuc_server.url.removeprefix("http://") in caplog.text


def _alice_input(url: str) -> dict[str, Any]:
    return {
        CONF_URL: url,
        CONF_VERIFY_SSL: True,
        CONF_USERNAME: "alice",
        CONF_PASSWORD: ALICE_PASSWORD,
    }


# ---------------------------------------------------------------------- options


async def test_options_link_users_satellites_and_areas(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The form lists the people (no system user), satellites and areas; saved as is.

    The links are read at each voice request: saving reloads nothing.
    """
    alice = await hass.auth.async_create_user("Alice")
    bob = await hass.auth.async_create_user("Bob")
    await hass.auth.async_create_system_user("Robot")
    inactive = await hass.auth.async_create_user("Gone")
    await hass.auth.async_update_user(inactive, is_active=False)
    office = ar.async_get(hass).async_create("Office").id
    translations = json.loads(
        (
            Path(__file__).parent.parent / "custom_components/xivo/translations/en.json"
        ).read_text(encoding="utf-8")
    )["options"]["step"]["init"]

    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["description_placeholders"] == {"account": "Alice Johnson"}
    fields = {str(key): key for key in result["data_schema"].schema}
    assert set(fields) == {OPTION_USERS, OPTION_DEVICES, OPTION_AREAS}
    assert (
        set(translations["data"])
        == set(fields)
        == set(translations["data_description"])
    )
    users = result["data_schema"].schema[fields[OPTION_USERS]].config
    assert users["multiple"] is True
    assert [option["label"] for option in users["options"]] == ["Alice", "Bob"]
    devices = result["data_schema"].schema[fields[OPTION_DEVICES]].config
    assert devices["multiple"] is True
    assert devices["entity"] == [{"domain": ["assist_satellite"]}]
    assert result["data_schema"].schema[fields[OPTION_AREAS]].config["multiple"]
    assert _suggested(result, OPTION_USERS) == []

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            OPTION_USERS: [alice.id],
            OPTION_DEVICES: ["satellite"],
            OPTION_AREAS: [office],
        },
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        OPTION_USERS: [alice.id],
        OPTION_DEVICES: ["satellite"],
        OPTION_AREAS: [office],
    }
    assert init_integration.state is ConfigEntryState.LOADED

    # Shown again with the links; a user deleted since is no longer suggested.
    await hass.auth.async_remove_user(bob)  # (Alice, the first, may be the owner)
    hass.config_entries.async_update_entry(
        init_integration,
        options={**init_integration.options, OPTION_USERS: [alice.id, bob.id]},
    )
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert _suggested(result, OPTION_USERS) == [alice.id]
    assert _suggested(result, OPTION_DEVICES) == ["satellite"]
    assert _suggested(result, OPTION_AREAS) == [office]

    # Everything cleared: empty links, not missing ones.
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert init_integration.options == {
        OPTION_USERS: [],
        OPTION_DEVICES: [],
        OPTION_AREAS: [],
    }
