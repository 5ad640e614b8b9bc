"""Fixtures of the client tests: real clients against the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from custom_components.xivo.xuc import Backoff, XucClient
from tests.simulator import ALICE_PASSWORD, XucSimulator

from .common import FAST, ClientFactory


@pytest.fixture
def client_timings() -> dict[str, Any]:
    """Timings of the clients `make_client` builds (a module may override this)."""
    return FAST


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """An aiohttp session for the clients, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def make_client(
    http: aiohttp.ClientSession,
    xuc_server: XucSimulator,
    client_timings: dict[str, Any],
) -> AsyncIterator[ClientFactory]:
    """Build clients for alice (fast timings unless overridden); all stopped at the end."""
    clients: list[XucClient] = []

    def factory(url: str | None = None, **kwargs: Any) -> XucClient:
        options = {
            **client_timings,
            "backoff": Backoff(minimum=0.02, maximum=0.1),
            **kwargs,
        }
        client = XucClient(
            http, url or xuc_server.url, "alice", ALICE_PASSWORD, **options
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.stop()
