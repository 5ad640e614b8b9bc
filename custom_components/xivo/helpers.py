"""Turn client errors into errors a user can read, in their language."""

from __future__ import annotations

from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any

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


def translated_error(err: XucError) -> HomeAssistantError:
    """The translated `HomeAssistantError` that says what went wrong with a command."""
    if isinstance(err, XucNotConnectedError):
        key = "not_connected"
    elif isinstance(err, XucTimeoutError):
        key = "command_timeout"
    elif isinstance(err, XucCommandError):
        key = "command_refused"
    else:
        key = "command_failed"
    return HomeAssistantError(translation_domain=DOMAIN, translation_key=key)


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
