"""Turn client errors into errors a user can read, in their language."""

from __future__ import annotations

from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, Final

from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN
from .xuc import (
    XucCommandError,
    XucError,
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
    (XucCommandError, "command_refused"),
)
FALLBACK_ERROR_KEY: Final = "command_failed"


def error_translation_key(err: XucError) -> str:
    """The `exceptions` translation key that says what went wrong with a command."""
    return next(
        (key for kind, key in ERROR_TRANSLATION_KEYS if isinstance(err, kind)),
        FALLBACK_ERROR_KEY,
    )


def translated_error(err: XucError) -> HomeAssistantError:
    """The translated `HomeAssistantError` that says what went wrong with a command."""
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=error_translation_key(err)
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
