"""Run the demo xuc simulator until Ctrl-C: ``python -m tests.simulator --port 8090``.

Point a Home Assistant instance at the printed URL to try the integration
without a PBX; ``--demo-activity`` makes phones ring and colleagues move, and
``--profile real`` plays a field server's quirks (``profile.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from .control import CONTROL_PREFIX, start_control
from .demo import DEMO_CREDENTIALS, demo_data, run_demo_activity
from .profile import PROFILES
from .server import XucSimulator


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.simulator", description="Simulated XiVO xuc server"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8090, help="port (xuc uses 8090)")
    parser.add_argument(
        "--demo-activity",
        action="store_true",
        help="ring favourites and change colleagues' presence now and then",
    )
    parser.add_argument(
        "--control-port",
        type=int,
        help="also serve the /_sim control API (control.py) on 127.0.0.1:PORT",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="ideal",
        help="ideal: a tidy server; real: the quirks of field servers (default: ideal)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every event")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    """Start the simulator with the demo data and wait forever."""
    sim = XucSimulator(
        demo_data(), PROFILES[args.profile], host=args.host, port=args.port
    )
    await sim.start()
    control = await start_control(sim, args.control_port) if args.control_port else None
    credentials = ", ".join(
        f"{login}/{password}" for login, password in DEMO_CREDENTIALS
    )
    control_line = (
        f"control API on http://127.0.0.1:{args.control_port}{CONTROL_PREFIX}/\n"
        if control is not None
        else ""
    )
    sys.stdout.write(
        f"xuc simulator listening on {sim.url} (profile {args.profile})\n"
        f"{control_line}"
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
        if control is not None:
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
