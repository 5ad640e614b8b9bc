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

Use ``start_control(sim, port)`` next to a started ``XucSimulator``, or run
``python -m tests.simulator.control --control-port 8091 [simulator options]``
for the demo simulator with this API.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .demo import DEMO_CREDENTIALS, demo_data, run_demo_activity
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

    app = web.Application()
    app.router.add_get(f"{CONTROL_PREFIX}/received", received)
    app.router.add_post(f"{CONTROL_PREFIX}/clear", clear)
    app.router.add_post(f"{CONTROL_PREFIX}/phone", _guarded(phone))
    app.router.add_post(f"{CONTROL_PREFIX}/status", _guarded(status))
    app.router.add_post(f"{CONTROL_PREFIX}/voicemail", _guarded(voicemail))
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


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line: the simulator's options plus ``--control-port``."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.simulator.control",
        description="Demo xuc simulator with the /_sim control API",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8090, help="port (xuc uses 8090)")
    parser.add_argument(
        "--control-port",
        type=int,
        default=8091,
        help="port of the control API, on 127.0.0.1 only",
    )
    parser.add_argument(
        "--demo-activity",
        action="store_true",
        help="ring favourites and change colleagues' presence now and then",
    )
    parser.add_argument("--verbose", action="store_true", help="log every event")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    """Start the demo simulator and its control API, and wait forever."""
    sim = XucSimulator(demo_data(), host=args.host, port=args.port)
    await sim.start()
    try:
        control = await start_control(sim, args.control_port)
    except BaseException:
        await sim.stop()
        raise
    credentials = ", ".join(
        f"{login}/{password}" for login, password in DEMO_CREDENTIALS
    )
    sys.stdout.write(
        f"xuc simulator listening on {sim.url}\n"
        f"control API on http://127.0.0.1:{args.control_port}{CONTROL_PREFIX}/\n"
        f"credentials (login/password): {credentials}\n"
        "press Ctrl-C to stop\n"
    )
    sys.stdout.flush()
    activity = (
        asyncio.create_task(run_demo_activity(sim)) if args.demo_activity else None
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        if activity is not None:
            activity.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await activity
        await control.cleanup()
        await sim.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point; Ctrl-C (SIGINT) or SIGTERM stops the servers cleanly."""
    args = _parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
