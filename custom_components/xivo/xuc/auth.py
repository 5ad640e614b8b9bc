"""REST authentication against xuc: login, and the token check that renews a token.

The token is the only secret that travels after login; it is never logged and never put
in an exception message.
"""

from __future__ import annotations

from dataclasses import dataclass
import logging
import time
from typing import Any, Final

import aiohttp
from yarl import URL

from .exceptions import (
    XucAuthError,
    XucConnectionError,
    XucProtocolError,
    XucTimeoutError,
)

_LOGGER = logging.getLogger(__name__)

API_PREFIX: Final = "/xuc/api/2.0"
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
        self.token: Token | None = None

    def _url(self, path: str) -> URL:
        return api_url(self._base_url, f"{API_PREFIX}{path}")

    async def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """Send one request; return its status and decoded JSON body (None if not JSON)."""
        try:
            async with self._session.request(
                method, self._url(path), ssl=self._ssl, timeout=self._timeout, **kwargs
            ) as response:
                body: Any
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = None
                return response.status, body
        except TimeoutError as err:
            raise XucTimeoutError(
                f"{method} {path}: no answer from the server"
            ) from err
        except aiohttp.ClientSSLError as err:
            raise XucConnectionError(
                f"{method} {path}: TLS error ({type(err).__name__})"
            ) from err
        except aiohttp.ClientError as err:
            raise XucConnectionError(f"{method} {path}: {type(err).__name__}") from err

    def _token_from(self, status: int, body: Any, path: str) -> Token:
        if status >= 500:
            raise XucConnectionError(f"{path}: server error HTTP {status}")
        if not isinstance(body, dict):
            raise XucProtocolError(
                f"{path}: HTTP {status} without a JSON object: not a xuc server?"
            )
        if status >= 300 or "error" in body:
            raise _ErrorReplyError(status, str(body.get("error", "")))
        value = body.get("token")
        if not isinstance(value, str) or not value:
            raise XucProtocolError(f"{path}: reply has no token")
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
        status, body = await self._request(
            "POST",
            "/auth/login",
            json={"login": self._username, "password": self._password},
        )
        try:
            self.token = self._token_from(status, body, "/auth/login")
        except _ErrorReplyError as err:
            if err.code in BAD_CREDENTIAL_CODES or err.status in {401, 403}:
                raise XucAuthError(
                    f"credentials refused ({err.code or err.status})"
                ) from None
            raise XucProtocolError(
                f"/auth/login refused: {err.code or err.status}"
            ) from None
        _LOGGER.debug("Logged in to %s as %s", self._base_url.host, self._username)
        return self.token

    async def check(self, token: Token) -> Token:
        """Validate a token and take the (possibly new) one the server returns."""
        status, body = await self._request(
            "GET", "/auth/check", headers={"Authorization": f"Bearer {token.value}"}
        )
        try:
            self.token = self._token_from(status, body, "/auth/check")
        except _ErrorReplyError as err:
            raise TokenRejectedError(err.code or str(err.status)) from None
        return self.token

    async def fresh_token(self) -> Token:
        """A token for the next connection: renew the current one, else log in again."""
        if self.token is not None:
            try:
                return await self.check(self.token)
            except TokenRejectedError as err:
                _LOGGER.debug("Token refused by the server (%s); logging in again", err)
                self.token = None
        return await self.login()


class _ErrorReplyError(Exception):
    """A JSON error reply `{"error": code, "message": ...}` (internal)."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
