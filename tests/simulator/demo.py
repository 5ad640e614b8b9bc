"""Demo data and background activity, to try the integration by hand without a PBX.

The demo directory is French with accents on purpose: it shows how the
integration copes with localised headers and accent-insensitive look-ups.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import TYPE_CHECKING

from .agents import make_agent
from .data import HEADERS_FR, SimContact, SimData, SimUser, seed_statuses

if TYPE_CHECKING:
    from .server import XucSimulator

_LOGGER = logging.getLogger(__name__)

DEMO_CREDENTIALS: tuple[tuple[str, str], ...] = (("demo", "demo"), ("bob", "bob"))
"""Logins and passwords of the demo users, printed by ``python -m tests.simulator``."""


def demo_data() -> SimData:
    """Return the demo data set: users demo/demo and bob/bob, a French directory.

    ``demo`` has six favourites so that a dashboard has something to show, and
    is a ready agent (12) in the queues Blue Sky and Support.
    """
    directory = [
        SimContact("1", "internal", "Camille", "Durand", "1100", "0611111111", "demo"),
        SimContact("2", "internal", "Bob", "Lemaître", "1101", "0622222222", "bob"),
        SimContact("3", "internal", "Hélène", "Dupré", "1102", "0633333333"),
        SimContact("4", "internal", "François", "Lebœuf", "1103", ""),
        SimContact("5", "internal", "Zoé", "Bérard", "1104", "0644444444"),
        SimContact("6", "internal", "Jérôme", "Châtelain", "1105", ""),
        SimContact("7", "internal", "Anaïs", "Müller", "1106", "0655555555"),
        SimContact("8", "internal", "Cédric", "Noël", "1107", ""),
        SimContact("20", "phonebook", "Gaëlle", "Écuyer", "0427466347", "0666666666"),
        SimContact("21", "phonebook", "Standard", "Mairie", "0478000000", ""),
        SimContact("30", "personal", "Maël", "Le Goff", "0299000000", "0677777777"),
    ]
    demo = SimUser(
        login="demo",
        password="demo",
        full_name="Camille Durand",
        user_id=1,
        line_number="1100",
        mobile_number="0611111111",
        voicemail_id=1,
        voicemail_new=2,
        voicemail_old=5,
        favorites=[
            ("2", "internal"),
            ("3", "internal"),
            ("4", "internal"),
            ("5", "internal"),
            ("20", "phonebook"),
            ("30", "personal"),
        ],
    )
    bob = SimUser(
        login="bob",
        password="bob",
        full_name="Bob Lemaître",
        user_id=2,
        line_number="1101",
        mobile_number="0622222222",
        voicemail_id=2,
        status="away",
    )
    phone_states = {
        contact.number: 0 for contact in directory if contact.source == "internal"
    }
    phone_states["1104"] = -1  # Zoé's phone is unplugged.
    data = SimData(
        users=[demo, bob],
        directory=directory,
        statuses=seed_statuses(),
        headers=list(HEADERS_FR),
        phone_states=phone_states,
    )
    # The demo user is a ready agent in two queues, recorded; bob answers one too.
    make_agent(data, "demo", state="AgentReady", monitor_state="ACTIVE")
    make_agent(data, "bob", agent_id=13, number="2001", queues={1: 1})
    return data


async def run_demo_activity(
    sim: XucSimulator,
    *,
    min_interval: float = 3.0,
    max_interval: float = 8.0,
    rng: random.Random | None = None,
) -> None:
    """Make the demo feel alive until cancelled.

    Every ``min_interval``..``max_interval`` seconds, either a favourite's phone
    rings then goes back to available (hint 8 then 0), or a colleague (every
    user but the first) changes presence, or now and then a favourite calls the
    first user and gives up after a while (a missed call, unless someone answers it
    from the dashboard; an answered call is hung up a little later), or a caller
    arrives in a queue or leaves one. Cancel the task to stop it.
    """
    rng = rng or random.Random()  # noqa: S311 - demo timing, not security
    first = sim.data.users[0] if sim.data.users else None
    while True:
        await asyncio.sleep(rng.uniform(min_interval, max_interval))
        colleagues = sim.data.users[1:]
        if sim.data.queues and rng.random() < 0.3:
            await _demo_queue_caller(sim, rng)
        elif first is not None and first.favorites and rng.random() < 0.15:
            await _demo_call(sim, first.login, rng)
        elif first is not None and first.favorites and rng.random() < 0.6:
            contact = sim.data.contact(*rng.choice(first.favorites))
            if contact is None or sim.data.phone_state(contact.number) < 0:
                continue
            _LOGGER.info("Demo: %s's phone rings", contact.display_name)
            await sim.set_phone_state(contact.number, 8)
            await asyncio.sleep(rng.uniform(1.0, min(4.0, max_interval)))
            await sim.set_phone_state(contact.number, 0)
        elif colleagues:
            user = rng.choice(colleagues)
            choices = [
                status.name
                for status in sim.data.statuses
                if status.name not in (user.status, "disconnected")
            ]
            if choices:
                name = rng.choice(choices)
                _LOGGER.info("Demo: %s is now %s", user.login, name)
                await sim.set_user_status(user.login, name)


async def _demo_call(sim: XucSimulator, login: str, rng: random.Random) -> None:
    """A favourite calls; nobody answers (missed), or the user does from the dashboard."""
    user = sim.data.user(login)
    if user is None or not user.has_line or not user.favorites:
        return
    contact = sim.data.contact(*rng.choice(user.favorites))
    if contact is None:
        return
    _LOGGER.info("Demo: %s calls %s", contact.display_name, login)
    unique_id = await sim.incoming_call(login, contact.number)
    await asyncio.sleep(rng.uniform(8.0, 15.0))
    with contextlib.suppress(ValueError):  # hung up from Home Assistant meanwhile
        await sim.hang_up(login, unique_id)


async def _demo_queue_caller(sim: XucSimulator, rng: random.Random) -> None:
    """A caller arrives in a queue, or the longest-waiting one leaves (or hangs up)."""
    queue = rng.choice(sim.data.queues)
    if queue.waiting and rng.random() < 0.5:
        _LOGGER.info("Demo: a caller leaves %s", queue.display_name)
        await sim.remove_caller(queue.queue_id, abandoned=rng.random() < 0.3)
    else:
        _LOGGER.info("Demo: a caller waits in %s", queue.display_name)
        await sim.add_caller(queue.queue_id)
