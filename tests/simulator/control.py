"""A small HTTP control API for a running simulator, for demos and end-to-end tests.

The xuc routes stay untouched: the control API listens on its own port, on the
loopback interface only (it has no authentication). Routes, all JSON:

* ``GET /_sim/received?command=NAME&login=LOGIN``: the client frames received
  so far (``{"frames": [{"login": ..., "frame": {...}}, ...]}``), optionally
  only one command (``"ping"`` for the pings) and/or one user's.
* ``POST /_sim/clear``: forget the frames received so far.
* ``POST /_sim/phone?number=1102&state=8``: set a number's phone hint (8 rings,
  0 is available) and push it to the subscribed clients.
* ``POST /_sim/status?login=bob&status=away``: another client changed a user's
  presence.
* ``POST /_sim/voicemail?login=demo&new=3&old=5``: change a voicemail's counts.
* ``POST /_sim/agent?agent=12&state=AgentOnPause[&cause=outtolunch][&phone=1000]``:
  any agent's new state (pushed to whoever may see it).
* ``POST /_sim/caller?queue=1&action=in[&waited=30]`` (``action=out``: the
  longest-waiting caller leaves): a caller in a queue; the statistics are pushed.
* ``POST /_sim/member?agent=12&queue=1&penalty=0``: a membership changed
  server-side (a negative penalty removes it).
* ``POST /_sim/recording?agent=12&state=ACTIVE``: an agent's ``monitorState``.

Use ``start_control(sim, port)`` next to a started ``XucSimulator``, or run
``python -m tests.simulator --control-port 8091 [simulator options]`` for the demo
simulator with this API.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .server import XucSimulator

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

_LOGGER = logging.getLogger(__name__)

CONTROL_PREFIX = "/_sim"

type _Handler = Callable[[web.Request], Awaitable[web.Response]]


def _param(request: web.Request, name: str) -> str:
    """Return a required query parameter, or answer 400."""
    value = request.query.get(name)
    if not value:
        raise web.HTTPBadRequest(
            text=f'{{"error": "missing query parameter {name}"}}',
            content_type="application/json",
        )
    return value


def _int_param(request: web.Request, name: str) -> int:
    """Return a required integer query parameter, or answer 400."""
    value = _param(request, name)
    try:
        return int(value)
    except ValueError:
        raise web.HTTPBadRequest(
            text=f'{{"error": "{name} must be an integer"}}',
            content_type="application/json",
        ) from None


def _guarded(handler: _Handler) -> _Handler:
    """Turn a hook's ``ValueError`` (unknown login or status) into a 400."""

    async def wrapper(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ValueError as err:
            return web.json_response({"error": str(err)}, status=400)

    return wrapper


def control_app(sim: XucSimulator) -> web.Application:
    """Return the aiohttp application of the control API of ``sim``."""

    async def received(request: web.Request) -> web.Response:
        command = request.query.get("command")
        login = request.query.get("login")
        frames: list[dict[str, Any]] = [
            {"login": who, "frame": frame}
            for who, frame in sim.received
            if (login is None or who == login)
            and (
                command is None
                or (command == "ping" and frame.get("claz") == "ping")
                or (frame.get("claz") == "web" and frame.get("command") == command)
            )
        ]
        return web.json_response({"frames": frames})

    async def clear(_request: web.Request) -> web.Response:
        sim.clear_received()
        return web.json_response({"ok": True})

    async def phone(request: web.Request) -> web.Response:
        number = _param(request, "number")
        state = _int_param(request, "state")
        _LOGGER.info("Control: phone %s -> %s", number, state)
        await sim.set_phone_state(number, state)
        return web.json_response({"number": number, "state": state})

    async def status(request: web.Request) -> web.Response:
        login = _param(request, "login")
        name = _param(request, "status")
        _LOGGER.info("Control: %s is now %s", login, name)
        await sim.set_user_status(login, name)
        return web.json_response({"login": login, "status": name})

    async def voicemail(request: web.Request) -> web.Response:
        login = _param(request, "login")
        new = _int_param(request, "new")
        old = _int_param(request, "old")
        await sim.set_voicemail(login, new, old)
        return web.json_response({"login": login, "new": new, "old": old})

    async def call(request: web.Request) -> web.Response:
        login = _param(request, "login")
        caller = _param(request, "from")
        _LOGGER.info("Control: %s calls %s", caller, login)
        unique_id = await sim.incoming_call(login, caller)
        return web.json_response(
            {"login": login, "from": caller, "uniqueId": unique_id}
        )

    async def hangup(request: web.Request) -> web.Response:
        login = _param(request, "login")
        unique_id = _param(request, "uniqueId")
        await sim.hang_up(login, unique_id)
        return web.json_response({"login": login, "uniqueId": unique_id})

    async def agent(request: web.Request) -> web.Response:
        agent_id = _int_param(request, "agent")
        state = _param(request, "state")
        _LOGGER.info("Control: agent %s is now %s", agent_id, state)
        await sim.set_agent_state(
            agent_id,
            state,
            cause=request.query.get("cause"),
            phone_number=request.query.get("phone"),
        )
        return web.json_response({"agent": agent_id, "state": state})

    async def caller(request: web.Request) -> web.Response:
        queue_id = _int_param(request, "queue")
        action = _param(request, "action")
        if action == "in":
            waited = float(request.query.get("waited", "0"))
            count = await sim.add_caller(queue_id, waited=waited)
        elif action == "out":
            count = await sim.remove_caller(queue_id)
        else:
            raise ValueError(f"action must be in or out, not {action!r}")
        return web.json_response({"queue": queue_id, "waiting": count})

    async def member(request: web.Request) -> web.Response:
        agent_id = _int_param(request, "agent")
        queue_id = _int_param(request, "queue")
        penalty = _int_param(request, "penalty")
        await sim.set_membership(agent_id, queue_id, penalty)
        return web.json_response(
            {"agent": agent_id, "queue": queue_id, "penalty": penalty}
        )

    async def recording(request: web.Request) -> web.Response:
        agent_id = _int_param(request, "agent")
        state = _param(request, "state")
        await sim.set_monitor_state(agent_id, state)
        return web.json_response({"agent": agent_id, "state": state})

    app = web.Application()
    app.router.add_get(f"{CONTROL_PREFIX}/received", received)
    app.router.add_post(f"{CONTROL_PREFIX}/clear", clear)
    app.router.add_post(f"{CONTROL_PREFIX}/phone", _guarded(phone))
    app.router.add_post(f"{CONTROL_PREFIX}/status", _guarded(status))
    app.router.add_post(f"{CONTROL_PREFIX}/voicemail", _guarded(voicemail))
    app.router.add_post(f"{CONTROL_PREFIX}/call", _guarded(call))
    app.router.add_post(f"{CONTROL_PREFIX}/hangup", _guarded(hangup))
    app.router.add_post(f"{CONTROL_PREFIX}/agent", _guarded(agent))
    app.router.add_post(f"{CONTROL_PREFIX}/caller", _guarded(caller))
    app.router.add_post(f"{CONTROL_PREFIX}/member", _guarded(member))
    app.router.add_post(f"{CONTROL_PREFIX}/recording", _guarded(recording))
    return app


async def start_control(
    sim: XucSimulator, port: int, host: str = "127.0.0.1"
) -> web.AppRunner:
    """Serve the control API of ``sim`` on ``host:port``; ``cleanup()`` the runner to stop."""
    runner = web.AppRunner(control_app(sim), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
