"""REST authentication against xuc: login, and the token check that renews a token.

The token is the only secret that travels after login; it is never logged and never put
in an exception message. The REST client never follows a redirect by itself (the
password must not travel to an address the user did not give), and reads at most
`MAX_REPLY_BYTES` of a reply.

How replies are read, where the protocol reference is silent (§1, G10): `/auth/login`
answered 401/403 means the credentials are wrong whatever the body; 404 means the URL is
not a xuc; 5xx is a server in trouble (try again later). Any refusal of `/auth/check`
that is not a 5xx, a network error or a time-out (401/403 whatever the body, a proxy's
HTML page, JSON without a token) drops the token: the next step logs in again. A
transient failure keeps the token for the next attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
import logging
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from .codec import json_loads
from .exceptions import (
    ConnectionFailure,
    XucAuthError,
    XucConnectionError,
    XucHttpsRequiredError,
    XucProtocolError,
    XucTimeoutError,
)
from .logonce import OnceLog

_LOGGER = logging.getLogger(__name__)

API_PREFIX: Final = "/xuc/api/2.0"
MAX_REPLY_BYTES: Final = 1024 * 1024
_READ_CHUNK: Final = 64 * 1024
# Codes that mean "these credentials are wrong" (2022.10 docs, and the 2017.03 ones).
BAD_CREDENTIAL_CODES: Final = frozenset(
    {"InvalidCredentials", "UserNotFound", "InvalidPassword"}
)


class TokenRejectedError(Exception):
    """`/auth/check` refused the token: log in again with the password."""


@dataclass(frozen=True, slots=True)
class Token:
    """A session token and when it was obtained (monotonic clock)."""

    login: str
    value: str
    ttl: float | None
    obtained_at: float

    def __repr__(self) -> str:
        """Hide the token value from any log or traceback."""
        return f"Token(login={self.login!r}, ttl={self.ttl!r})"


def normalize_base_url(url: str) -> URL:
    """Validate the server URL: only absolute http/https URLs, without credentials."""
    parsed = URL(url.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ValueError("the server URL must be an absolute http:// or https:// URL")
    if parsed.user or parsed.password:
        raise ValueError("the server URL must not carry credentials")
    return parsed.with_query(None).with_fragment(None)


def api_url(base_url: URL, path: str) -> URL:
    """An endpoint under the server's base URL (which may sit below a path prefix)."""
    return base_url.with_path(f"{base_url.path.rstrip('/')}{path}")


class XucAuth:
    """Obtains and renews tokens for one account on one server."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: URL,
        username: str,
        password: str,
        *,
        verify_ssl: bool = True,
        request_timeout: float = 10.0,
    ) -> None:
        """Keep what is needed to log in; nothing is sent until asked."""
        self._session = session
        self._base_url = base_url
        self._username = username
        self._password = password
        self._ssl = verify_ssl
        self._timeout = aiohttp.ClientTimeout(total=request_timeout)
        self._log = OnceLog(_LOGGER)
        self.token: Token | None = None

    def _url(self, path: str) -> URL:
        return api_url(self._base_url, f"{API_PREFIX}{path}")

    async def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """Send one request; return its status and decoded JSON body (None if not JSON)."""
        url = self._url(path)
        try:
            async with self._session.request(
                method,
                url,
                ssl=self._ssl,
                timeout=self._timeout,
                allow_redirects=False,
                **kwargs,
            ) as response:
                if 300 <= response.status < 400:
                    raise self._redirect(url, response, path)
                return response.status, await _read_json(response, path)
        except TimeoutError as err:
            raise XucTimeoutError(
                f"{method} {path}: no answer from the server"
            ) from err
        except aiohttp.ClientConnectorCertificateError as err:
            raise XucConnectionError(
                f"{method} {path}: the server's TLS certificate was refused",
                failure=ConnectionFailure.CERTIFICATE,
            ) from err
        except aiohttp.ClientSSLError as err:
            raise XucConnectionError(
                f"{method} {path}: TLS error ({type(err).__name__})"
            ) from err
        except aiohttp.ClientError as err:
            raise XucConnectionError(f"{method} {path}: {type(err).__name__}") from err

    def _redirect(
        self, url: URL, response: aiohttp.ClientResponse, path: str
    ) -> XucConnectionError:
        """The error for a redirect, which is never followed."""
        location = response.headers.get("Location")
        if not location:
            return XucConnectionError(
                f"{path}: HTTP {response.status} redirect without a target"
            )
        target = url.join(URL(location))
        shown = target.with_user(None).with_query(None).with_fragment(None)
        if (
            url.scheme == "http"
            and target.scheme == "https"
            and target.host == url.host
        ):
            https = self._base_url.with_scheme("https").with_port(target.explicit_port)
            _LOGGER.debug("%s redirects to https: %s", url.origin(), https)
            return XucHttpsRequiredError(
                f"the server requires https ({https})", url=str(https)
            )
        if target.origin() != url.origin():
            self._log.warning(
                f"redirect:{shown}",
                "%s redirects to another address, %s: not followed (check the "
                "server URL)",
                url.origin(),
                shown,
            )
            return XucConnectionError(
                f"{path}: redirected to another address ({shown})"
            )
        return XucConnectionError(f"{path}: redirected to {shown.path}; not followed")

    def _token(self, status: int, body: Any) -> Token | None:
        """The token of a successful reply; None for anything else."""
        if not 200 <= status < 300 or not isinstance(body, dict) or "error" in body:
            return None
        value = body.get("token")
        if not isinstance(value, str) or not value:
            return None
        ttl = body.get("TTL")
        return Token(
            login=str(body.get("login") or self._username),
            value=value,
            ttl=float(ttl)
            if isinstance(ttl, (int, float)) and not isinstance(ttl, bool)
            else None,
            obtained_at=time.monotonic(),
        )

    async def login(self) -> Token:
        """Log in with the password: `POST /auth/login`."""
        path = "/auth/login"
        status, body = await self._request(
            "POST", path, json={"login": self._username, "password": self._password}
        )
        code = _error_code(body)
        if status in {401, 403} or code in BAD_CREDENTIAL_CODES:
            raise XucAuthError(f"credentials refused ({code or status})")
        if status == 404:
            raise XucConnectionError(
                f"{path}: HTTP 404: no xuc server at this URL",
                failure=ConnectionFailure.NOT_XUC,
            )
        if status >= 500:
            raise XucConnectionError(f"{path}: server error HTTP {status}")
        token = self._token(status, body)
        if token is None:
            if code:
                raise XucProtocolError(f"{path} refused: {code}")
            if not isinstance(body, dict):
                raise XucProtocolError(
                    f"{path}: HTTP {status} without a JSON object: not a xuc server?"
                )
            raise XucProtocolError(f"{path}: HTTP {status}, reply has no token")
        self.token = token
        _LOGGER.debug("Logged in to %s as %s", self._base_url.host, self._username)
        return token

    async def check(self, token: Token) -> Token:
        """Validate a token and take the (possibly new) one the server returns.

        Raises `TokenRejectedError` for any refusal; a 5xx, a time-out or a network
        error raise as such (the token is kept for the next attempt).
        """
        path = "/auth/check"
        try:
            status, body = await self._request(
                "GET", path, headers={"Authorization": f"Bearer {token.value}"}
            )
        except XucProtocolError as err:  # e.g. a reply over the size limit
            raise TokenRejectedError(str(err)) from None
        if status >= 500:
            raise XucConnectionError(f"{path}: server error HTTP {status}")
        new = self._token(status, body)
        if new is None:
            reason = _error_code(body) or (
                f"HTTP {status}"
                if isinstance(body, dict)
                else f"HTTP {status}, not JSON"
            )
            raise TokenRejectedError(reason)
        self.token = new
        return new

    async def fresh_token(self) -> Token:
        """A token for the next connection: renew the current one, else log in again."""
        if self.token is not None:
            try:
                return await self.check(self.token)
            except TokenRejectedError as err:
                _LOGGER.debug("Token refused by the server (%s); logging in again", err)
                self.token = None
        return await self.login()


def _error_code(body: Any) -> str | None:
    """The `error` code of a JSON error reply `{"error": code, "message": ...}`."""
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return None


async def _read_json(response: aiohttp.ClientResponse, path: str) -> Any:
    """The decoded JSON body (None if not JSON), never reading past the size limit."""
    too_big = XucProtocolError(
        f"{path}: reply larger than {MAX_REPLY_BYTES // 1024} KiB refused"
    )
    if (
        response.content_length is not None
        and response.content_length > MAX_REPLY_BYTES
    ):
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_REPLY_BYTES:
        chunk = await response.content.read(
            min(_READ_CHUNK, MAX_REPLY_BYTES + 1 - size)
        )
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_REPLY_BYTES:
        raise too_big
    try:
        return json_loads(b"".join(chunks))
    except ValueError:
        return None
