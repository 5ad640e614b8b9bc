"""Exceptions of the xuc client.

Callers must be able to tell "ask the user for a new password" (`XucAuthError`) from
"try again later" (`XucConnectionError`, `XucTimeoutError`) from "the server said no"
(`XucCommandError`) from "the server spoke something we do not understand"
(`XucProtocolError`). Messages never contain the password or the token.
"""

from __future__ import annotations


class XucError(Exception):
    """Base of every error raised by the xuc client."""


class XucAuthError(XucError):
    """The server refused the credentials: a new password is needed."""


class XucConnectionError(XucError):
    """The server could not be reached, or the link dropped."""


class XucTimeoutError(XucError):
    """The server did not answer in time."""


class XucProtocolError(XucError):
    """The server sent something that does not follow the xuc protocol."""


class XucCommandError(XucError):
    """The server refused a command."""


class XucNotConnectedError(XucConnectionError):
    """A command was attempted while the link is down; it was not sent."""
