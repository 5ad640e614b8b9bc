"""REST authentication against servers the simulator does not play, on 127.0.0.1.

A proxy's HTML 401, a 404 where no xuc lives, redirects (to another address, to
https), replies too large to read, a refused TLS certificate, and which failures keep
the token for the next attempt.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
import pytest
from yarl import URL

from custom_components.xivo.xuc import (
    ConnectionFailure,
    XucAuthError,
    XucConnectionError,
    XucHttpsRequiredError,
    XucProtocolError,
    XucTimeoutError,
)
from custom_components.xivo.xuc.auth import MAX_REPLY_BYTES, Token, XucAuth

from .common import (
    CHECK_PATH,
    LOGIN_PATH,
    loop_errors,
    self_signed_context,
    tiny_server,
)

PASSWORD = "pa55word"
HTML_401 = "<html><head><title>401 Authorization Required</title></head></html>"


def auth_for(http: aiohttp.ClientSession, url: str, **kwargs: Any) -> XucAuth:
    """Alice's authenticator against `url`."""
    return XucAuth(http, URL(url), "alice", PASSWORD, **kwargs)


def stale_token() -> Token:
    """A token the client holds from an earlier session."""
    return Token(login="alice", value="old-token", ttl=None, obtained_at=0.0)


class Counts:
    """What a tiny server was asked: logins, and the tokens checked."""

    def __init__(self) -> None:
        """Nothing yet."""
        self.logins = 0
        self.checked: list[str] = []

    async def login(self, _request: web.Request) -> web.Response:
        """A successful login handing out a new token."""
        self.logins += 1
        return web.json_response(
            {"login": "alice", "token": f"token-{self.logins}", "TTL": 3600}
        )

    def check(self, response: Any) -> Any:
        """A check handler that records the token and answers `response()`."""

        async def handler(request: web.Request) -> web.StreamResponse:
            self.checked.append(request.headers["Authorization"].split()[-1])
            answer: web.StreamResponse = response()
            return answer

        return handler


# ---------------------------------------------------------------------- /auth/login


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (401, HTML_401, "text/html"),
        (403, "Forbidden", "text/plain"),
        (401, '{"error":"SomethingNew"}', "application/json"),
        (400, '{"error":"InvalidPassword","message":"wrong"}', "application/json"),
    ],
    ids=["401-html", "403-text", "401-unknown-code", "400-bad-credentials-code"],
)
async def test_login_refused_is_auth_error_whatever_the_body(
    http: aiohttp.ClientSession,
    socket_enabled: None,
    status: int,
    body: str,
    content_type: str,
) -> None:
    """401/403 on /auth/login (or a bad-credentials code) means a new password."""

    async def login(_request: web.Request) -> web.Response:
        return web.Response(status=status, text=body, content_type=content_type)

    async with tiny_server({("POST", LOGIN_PATH): login}) as url:
        with pytest.raises(XucAuthError) as caught:
            await auth_for(http, url).login()
    assert PASSWORD not in str(caught.value)


async def test_login_404_is_not_a_xuc(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """A URL that answers 404 on /auth/login is not a xuc server (permanent)."""
    async with tiny_server({}) as url:
        with pytest.raises(XucConnectionError) as caught:
            await auth_for(http, url).login()
    assert caught.value.failure is ConnectionFailure.NOT_XUC
    assert not isinstance(caught.value, XucAuthError)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_login_5xx_is_transient(
    http: aiohttp.ClientSession, socket_enabled: None, status: int
) -> None:
    """A server error: try again later, no permanent failure."""

    async def login(_request: web.Request) -> web.Response:
        return web.Response(status=status, text="<html>down</html>")

    async with tiny_server({("POST", LOGIN_PATH): login}) as url:
        with pytest.raises(XucConnectionError, match=str(status)) as caught:
            await auth_for(http, url).login()
    assert caught.value.failure is None


async def test_login_200_html_is_a_protocol_error(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """A web page where the login should be: XucProtocolError, not a crash."""

    async def login(_request: web.Request) -> web.Response:
        return web.Response(text="<html>welcome</html>", content_type="text/html")

    async with tiny_server({("POST", LOGIN_PATH): login}) as url:
        with pytest.raises(XucProtocolError, match="not a xuc server"):
            await auth_for(http, url).login()


# ---------------------------------------------------------------------- /auth/check


def _html_401() -> web.Response:
    return web.Response(status=401, text=HTML_401, content_type="text/html")


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param(_html_401, id="html-401"),
        pytest.param(lambda: web.Response(status=403), id="empty-403"),
        pytest.param(
            lambda: web.json_response({"error": "TokenExpired"}, status=401),
            id="json-401",
        ),
        pytest.param(lambda: web.json_response({"login": "alice"}), id="no-token"),
        pytest.param(lambda: web.Response(text="OK"), id="not-json"),
        pytest.param(lambda: web.json_response(["token"]), id="json-list"),
        pytest.param(lambda: web.Response(status=404), id="404"),
    ],
)
async def test_check_refusal_drops_the_token_and_logs_in(
    http: aiohttp.ClientSession, socket_enabled: None, refusal: Any
) -> None:
    """Any refusal of /auth/check that is not transient: log in again with the password."""
    counts = Counts()
    routes = {
        ("POST", LOGIN_PATH): counts.login,
        ("GET", CHECK_PATH): counts.check(refusal),
    }
    async with tiny_server(routes) as url:
        auth = auth_for(http, url)
        auth.token = stale_token()
        token = await auth.fresh_token()
    assert counts.checked == ["old-token"]
    assert counts.logins == 1
    assert token.value == "token-1"
    assert auth.token is token


@pytest.mark.parametrize("status", [500, 503])
async def test_check_5xx_keeps_the_token_for_the_next_attempt(
    http: aiohttp.ClientSession, socket_enabled: None, status: int
) -> None:
    """A server error on /auth/check is transient: no login, same token next time."""
    counts = Counts()
    answers = [web.Response(status=status), web.json_response({"token": "renewed"})]
    routes = {
        ("POST", LOGIN_PATH): counts.login,
        ("GET", CHECK_PATH): counts.check(lambda: answers.pop(0)),
    }
    async with tiny_server(routes) as url:
        auth = auth_for(http, url)
        auth.token = stale_token()
        with pytest.raises(XucConnectionError, match=str(status)):
            await auth.fresh_token()
        assert auth.token is not None
        assert auth.token.value == "old-token"
        assert (await auth.fresh_token()).value == "renewed"
    assert counts.checked == ["old-token", "old-token"]
    assert counts.logins == 0


async def test_check_time_out_keeps_the_token(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """A check that does not answer in time: XucTimeoutError, the token is kept."""
    counts = Counts()

    async def slow() -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({"token": "late"})

    async def check(request: web.Request) -> web.Response:
        counts.checked.append(request.headers["Authorization"].split()[-1])
        return await slow()

    routes = {("POST", LOGIN_PATH): counts.login, ("GET", CHECK_PATH): check}
    async with tiny_server(routes) as url:
        auth = auth_for(http, url, request_timeout=0.2)
        auth.token = stale_token()
        with pytest.raises(XucTimeoutError):
            await auth.fresh_token()
    assert auth.token is not None
    assert auth.token.value == "old-token"
    assert counts.checked == ["old-token"]  # the check was made, with the old token
    assert counts.logins == 0


async def test_network_error_keeps_the_token(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """Nothing listening: XucConnectionError, the token is kept, no permanent failure."""
    async with tiny_server({}) as url:
        pass  # stopped: the port is now closed
    auth = auth_for(http, url)
    auth.token = stale_token()
    with pytest.raises(XucConnectionError) as caught:
        await auth.fresh_token()
    assert caught.value.failure is None
    assert auth.token == stale_token()


# ---------------------------------------------------------------------- redirects


async def test_redirect_to_another_origin_is_refused(
    http: aiohttp.ClientSession,
    socket_enabled: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The password never follows a redirect; the warning names where it pointed."""
    hits: list[str] = []

    async def elsewhere(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"token": "stolen"})

    async with tiny_server({("POST", LOGIN_PATH): elsewhere}) as other:
        target = f"{other}{LOGIN_PATH}?next=1"

        async def login(_request: web.Request) -> web.Response:
            raise web.HTTPTemporaryRedirect(target)

        async with tiny_server({("POST", LOGIN_PATH): login}) as url:
            caplog.set_level(logging.WARNING)
            with pytest.raises(XucConnectionError, match="another address") as caught:
                await auth_for(http, url).login()
    assert not isinstance(caught.value, XucHttpsRequiredError)
    assert hits == []  # not followed
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert f"{other}{LOGIN_PATH}" in warnings[0]
    assert "next=1" not in warnings[0]


async def test_redirect_http_to_https_same_host(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """http:// redirected to https:// on the same host: the URL to use, not followed."""

    async def login(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(
            f"https://127.0.0.1{request.path}"  # default port 443
        )

    async with tiny_server({("POST", f"/prefix{LOGIN_PATH}"): login}) as url:
        base = URL(url).with_path("/prefix")
        auth = XucAuth(http, base, "alice", PASSWORD)
        with pytest.raises(XucHttpsRequiredError) as caught:
            await auth.login()
    assert caught.value.url == "https://127.0.0.1/prefix"
    assert isinstance(caught.value, XucConnectionError)


async def test_redirect_on_the_same_origin_is_not_followed(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """Even a redirect to another path of the same server is not followed."""
    hits: list[str] = []

    async def login(_request: web.Request) -> web.Response:
        raise web.HTTPFound("/elsewhere")

    async def elsewhere(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"token": "t"})

    routes = {("POST", LOGIN_PATH): login, ("POST", "/elsewhere"): elsewhere}
    async with tiny_server(routes) as url:
        with pytest.raises(XucConnectionError, match="/elsewhere"):
            await auth_for(http, url).login()
    assert hits == []


# ---------------------------------------------------------------------- bounds


async def test_huge_reply_with_content_length_is_refused(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """A declared length over 1 MiB is refused before reading."""

    async def login(_request: web.Request) -> web.Response:
        return web.Response(body=b" " * (MAX_REPLY_BYTES + 1))

    async with tiny_server({("POST", LOGIN_PATH): login}) as url:
        with pytest.raises(XucProtocolError, match="larger than"):
            await auth_for(http, url).login()


async def test_huge_streamed_reply_is_refused_without_reading_it_all(
    http: aiohttp.ClientSession, socket_enabled: None
) -> None:
    """No length, 8 MiB streamed: refused, and the client stops reading at the limit."""
    written: list[int] = []

    async def login(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b'{"token":"' + b"x" * (64 * 1024)
        try:
            for _ in range(128):
                await response.write(chunk)
                written.append(len(chunk))
        except ConnectionError:
            pass
        return response

    async with tiny_server({("POST", LOGIN_PATH): login}) as url:
        with pytest.raises(XucProtocolError, match="larger than"):
            await auth_for(http, url).login()
    assert sum(written) < 8 * MAX_REPLY_BYTES


# ---------------------------------------------------------------------- TLS


async def test_refused_certificate_on_rest(
    http: aiohttp.ClientSession, socket_enabled: None, tmp_path: Path
) -> None:
    """A certificate the client does not trust: the CERTIFICATE failure."""
    counts = Counts()
    context = self_signed_context(tmp_path)
    # The server side reports the handshake the client broke off: collected here.
    with loop_errors():
        async with tiny_server({("POST", LOGIN_PATH): counts.login}, context) as url:
            with pytest.raises(XucConnectionError) as caught:
                await auth_for(http, url).login()
            assert caught.value.failure is ConnectionFailure.CERTIFICATE
            # The same server with verification off (the user's choice) is fine.
            token = await auth_for(http, url, verify_ssl=False).login()
    assert token.value == "token-1"
