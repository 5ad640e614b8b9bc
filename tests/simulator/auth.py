"""REST authentication: ``/auth/login``, ``/auth/check`` and the tokens they issue.

Errors follow the reference's shape ``{"error", "message"}``: 401 for bad
credentials and bad tokens, 400 ``InvalidJson`` (also when the Content-Type is
not JSON). ``/auth/check`` tells ``TokenExpired`` (known but expired) from
``InvalidToken`` (unknown or missing); with ``check_html_401`` (G10) it refuses
with the HTML page of the nginx proxy in front of xuc instead. The token may
come as ``Authorization: Bearer``, ``X-Auth-Token`` or ``?token=``.
"""

from __future__ import annotations

import json
import secrets
import time

from aiohttp import web

from .core import IssuedToken, SimulatorCore
from .payloads import Json

NGINX_401_PAGE = (
    "<html>\r\n"
    "<head><title>401 Authorization Required</title></head>\r\n"
    "<body>\r\n"
    "<center><h1>401 Authorization Required</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n"
    "</body>\r\n"
    "</html>\r\n"
)
"""The body nginx serves for a 401 of its own, as a proxy in front of xuc would."""


def _error_body(error: str, message: str) -> Json:
    """Return the documented REST error shape."""
    return {"error": error, "message": message}


class RestAuth(SimulatorCore):
    """Issue and check tokens; serve the two REST routes."""

    def issue_token(self, login: str) -> str:
        """Create a token for ``login``, as a successful login would."""
        token = secrets.token_urlsafe(24)
        self._tokens[token] = IssuedToken(login, time.time() + self.data.token_ttl)
        return token

    def expire_tokens(self) -> None:
        """Make every token issued so far expired (they then answer ``TokenExpired``)."""
        for token in self._tokens.values():
            token.revoked = True

    def expire_token(self, token: str) -> None:
        """Make one token expired."""
        if token in self._tokens:
            self._tokens[token].revoked = True

    def _token_error(self, token: str | None) -> Json | None:
        """Return the REST error for a token, or None when it is valid."""
        if not token or token not in self._tokens:
            return _error_body("InvalidToken", "Invalid token")
        if self._tokens[token].expired():
            return _error_body("TokenExpired", "Token expired")
        return None

    def _granted(self, login: str) -> web.Response:
        """The reply of a successful login or check: a fresh token and its TTL."""
        token = self.issue_token(login)
        return web.json_response(
            {"login": login, "token": token, "TTL": self.data.token_ttl}
        )

    async def _handle_login(self, request: web.Request) -> web.Response:
        """``POST /auth/login``: check credentials and issue a token."""
        self.login_count += 1
        if request.content_type not in ("application/json", "text/json"):
            return web.json_response(
                _error_body("InvalidJson", "Expecting a JSON body"), status=400
            )
        try:
            body = json.loads(await request.text())
        except ValueError:
            body = None
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("login"), str)
            or not isinstance(body.get("password"), str)
        ):
            return web.json_response(
                _error_body(
                    "InvalidJson",
                    'Expecting {"login": <string>, "password": <string>}',
                ),
                status=400,
            )
        user = self.data.user(body["login"])
        if self.refuse_logins or user is None or user.password != body["password"]:
            return web.json_response(
                _error_body("InvalidCredentials", "Invalid username or password"),
                status=401,
            )
        return self._granted(user.login)

    async def _handle_check(self, request: web.Request) -> web.Response:
        """``GET /auth/check``: validate a token and hand out a fresh one."""
        self.check_count += 1
        token = self._request_token(request)
        if (error := self._token_error(token)) is not None:
            if self.profile.check_html_401:
                return web.Response(
                    status=401, text=NGINX_401_PAGE, content_type="text/html"
                )
            return web.json_response(error, status=401)
        assert token is not None
        return self._granted(self._tokens[token].login)

    @staticmethod
    def _request_token(request: web.Request) -> str | None:
        """Read a REST token from the Bearer header, ``X-Auth-Token`` or the query."""
        authorization = request.headers.get("Authorization", "")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return request.headers.get("X-Auth-Token") or request.query.get("token")
