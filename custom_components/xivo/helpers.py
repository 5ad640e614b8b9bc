"""Turn client errors into errors a user can read, in their language."""

from __future__ import annotations

from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, Final

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import DOMAIN
from .xuc import (
    XucAgentError,
    XucCommandError,
    XucError,
    XucNoAgentError,
    XucNotConnectedError,
    XucTimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Iterator


# The one table from client errors to the `exceptions` translations, most specific
# first: entities, actions and voice intents all say the same thing for the same error.
ERROR_TRANSLATION_KEYS: Final[tuple[tuple[type[XucError], str], ...]] = (
    (XucNotConnectedError, "not_connected"),
    (XucTimeoutError, "command_timeout"),
    (XucNoAgentError, "no_agent"),
    (XucAgentError, "agent_refused"),
    (XucCommandError, "command_refused"),
)
# The documented agent errors (protocol reference §12.4), said with their numbers.
AGENT_ERROR_KEYS: Final = {
    "PhoneNumberUnknown": "agent_phone_number_unknown",
    "LoggedInOnAnotherPhone": "agent_logged_in_on_another_phone",
}
FALLBACK_ERROR_KEY: Final = "command_failed"


def error_translation_key(err: XucError) -> str:
    """The `exceptions` translation key that says what went wrong with a command."""
    if isinstance(err, XucAgentError) and err.error in AGENT_ERROR_KEYS:
        return AGENT_ERROR_KEYS[err.error]
    return next(
        (key for kind, key in ERROR_TRANSLATION_KEYS if isinstance(err, kind)),
        FALLBACK_ERROR_KEY,
    )


def error_placeholders(err: XucError) -> dict[str, str] | None:
    """The values an error's message names: the server's code and numbers of an agent error."""
    if not isinstance(err, XucAgentError):
        return None
    return {
        "error": err.error,
        "phone_number": err.phone_number or "-",
        "requested_number": err.requested_number or "-",
    }


def translated_error(err: XucError) -> HomeAssistantError:
    """The translated `HomeAssistantError` that says what went wrong with a command.

    A command that cannot apply to this user (an agent command for a user who is no
    agent) is the caller's mistake: a `ServiceValidationError`.
    """
    kind = (
        ServiceValidationError
        if isinstance(err, XucNoAgentError)
        else HomeAssistantError
    )
    return kind(
        translation_domain=DOMAIN,
        translation_key=error_translation_key(err),
        translation_placeholders=error_placeholders(err),
    )


@contextmanager
def translated_errors() -> Iterator[None]:
    """Let client errors out as translated `HomeAssistantError`s."""
    try:
        yield
    except XucError as err:
        raise translated_error(err) from err


def xivo_command[**P](
    func: Callable[P, Awaitable[None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Decorate an entity command so that client errors become translated errors."""

    @wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with translated_errors():
            await func(*args, **kwargs)

    return wrapper
