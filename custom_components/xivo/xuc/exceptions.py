"""Exceptions of the xuc client.

Callers must be able to tell "ask the user for a new password" (`XucAuthError`) from
"try again later" (`XucConnectionError`, `XucTimeoutError`) from "the server said no"
(`XucCommandError`) from "the server spoke something we do not understand"
(`XucProtocolError`). Messages never contain the password or the token.
"""

from __future__ import annotations

from enum import StrEnum


class ConnectionFailure(StrEnum):
    """A reason a session cannot be opened that only the user or an admin can fix.

    Retrying does not help with these: after a few failed attempts in a row of the same
    kind, the integration tells the user what to check.
    """

    SESSION_REFUSED = "session_refused"  # LoggedOnError loggedOnFailed
    CERTIFICATE = "certificate"  # the TLS certificate was refused
    NOT_XUC = "not_xuc"  # the URL answers, but not as a xuc server (404)


class XucError(Exception):
    """Base of every error raised by the xuc client."""


class XucAuthError(XucError):
    """The server refused the credentials: a new password is needed."""


class XucConnectionError(XucError):
    """The server could not be reached, or the link dropped.

    `failure` says when the cause is a permanent one (see `ConnectionFailure`).
    """

    def __init__(
        self, message: str, *, failure: ConnectionFailure | None = None
    ) -> None:
        """Say what failed, and whether it is a known permanent failure."""
        super().__init__(message)
        self.failure = failure


class XucHttpsRequiredError(XucConnectionError):
    """The server redirected `http://` to `https://` on the same host: use `url`.

    The client never follows a redirect by itself (a password must not travel to an
    address the user did not give); this one is safe to propose to the user.
    """

    def __init__(self, message: str, *, url: str) -> None:
        """Say which https URL the server pointed to."""
        super().__init__(message)
        self.url = url


class XucTimeoutError(XucError):
    """The server did not answer in time."""


class XucProtocolError(XucError):
    """The server sent something that does not follow the xuc protocol."""


class XucCommandError(XucError):
    """The server refused a command."""


class XucNotConnectedError(XucConnectionError):
    """A command was attempted while the link is down; it was not sent."""


class XucAgentError(XucCommandError):
    """The server refused an agent command (`AgentError`, §12.4, §12.5).

    `error` is the server's code (`PhoneNumberUnknown`, `LoggedInOnAnotherPhone`, or
    another); for `LoggedInOnAnotherPhone`, `phone_number` is the line the agent stays
    logged in on (`phoneNb`) and `requested_number` the one asked for (`RequestedNb`).
    """

    def __init__(
        self,
        error: str,
        *,
        phone_number: str | None = None,
        requested_number: str | None = None,
    ) -> None:
        """Keep the server's code and numbers; the message names them all."""
        numbers = ", ".join(
            f"{label} {number}"
            for label, number in (
                ("logged in on", phone_number),
                ("requested", requested_number),
            )
            if number
        )
        super().__init__(
            f"the server refused the agent command ({error}{': ' if numbers else ''}"
            f"{numbers})"
        )
        self.error = error
        self.phone_number = phone_number
        self.requested_number = requested_number


class XucNoAgentError(XucError):
    """An agent command for a user who is no agent (no positive `agentId`); not sent."""
