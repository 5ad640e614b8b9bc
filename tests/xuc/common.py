"""Helpers shared by the client tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
import contextlib
import datetime as dt
import gc
from pathlib import Path
import ssl
import time
from typing import Any

from aiohttp import web
import pytest

from custom_components.xivo.xuc import XucClient, XucError

FAST: dict[str, Any] = {
    "keepalive_interval": 0.1,
    "dead_after": 0.5,
    "logged_on_timeout": 1.0,
    "command_timeout": 1.0,
    "request_timeout": 2.0,
}

type ClientFactory = Callable[..., XucClient]


async def wait_until(
    predicate: Callable[[], bool],
    timeout: float = 5.0,  # noqa: ASYNC109 - a bounded poll with a clear failure message
    what: str = "condition",
) -> None:
    """Poll until `predicate()` is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def barrier(client: XucClient) -> None:
    """Return once the client has handled every frame the simulator sent before."""
    assert await client.display_name_lookup("bob") == "Bob Martin"


@contextlib.contextmanager
def loop_errors() -> Iterator[list[str]]:
    """Collect what reaches the loop's exception handler (garbage collected at the end).

    The Home Assistant harness turns any such report into a test error at teardown;
    collecting them here keeps a known problem inside the test that shows it.
    """
    loop = asyncio.get_running_loop()
    messages: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(
        lambda _loop, context: messages.append(
            f"{context['message']}: {context.get('exception')!r}"
        )
    )
    try:
        yield messages
    finally:
        gc.collect()
        loop.set_exception_handler(previous)


type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LOGIN_PATH = "/xuc/api/2.0/auth/login"
CHECK_PATH = "/xuc/api/2.0/auth/check"
CTI_PATH = "/xuc/api/2.0/cti"


@contextlib.asynccontextmanager
async def tiny_server(
    routes: dict[tuple[str, str], Handler],
    ssl_context: ssl.SSLContext | None = None,
) -> AsyncIterator[str]:
    """An aiohttp server on 127.0.0.1 with these `(method, path)` routes; its base URL.

    For what the simulator does not play (redirects, proxies' HTML pages, huge
    replies, TLS); it stops when the block ends.
    """
    app = web.Application()
    for (method, path), handler in routes.items():
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def self_signed_context(directory: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1.

    `cryptography` ships with Home Assistant but not in the library's own lane, where
    the TLS tests are skipped.
    """
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


class Connections:
    """Records what the connection listener is told, with the time of each call."""

    def __init__(self, client: XucClient) -> None:
        """Register on `client`."""
        self.events: list[tuple[bool, XucError | None]] = []
        self.times: list[float] = []
        client.add_connection_listener(self._record)

    def _record(self, connected: bool, error: XucError | None) -> None:
        self.events.append((connected, error))
        self.times.append(time.monotonic())


def xuc_tasks() -> list[asyncio.Task[Any]]:
    """The client's tasks still alive (the simulator's are named `xuc-sim-...`)."""
    return [
        task
        for task in asyncio.all_tasks()
        if task.get_name().startswith("xuc ") and not task.done()
    ]
