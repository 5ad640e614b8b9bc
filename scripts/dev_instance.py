"""Helpers of scripts/develop: the dev instance's Python packages, and its first-run setup.

Run with the project's .venv (it imports Home Assistant):

* ``deps --config DIR --target DIR``: make the packages Home Assistant would pip-install
  at its first start (``default_config`` pulls in bluetooth, frontend, stream, matter,
  ...) available in TARGET, without touching .venv. The list comes from Home Assistant's
  own requirement resolution (its installer replaced by a recorder); pip then works out,
  against .venv, which distributions are missing or at another version, and uv installs
  exactly those into TARGET (``--no-deps``). Home Assistant runs with
  ``PYTHONPATH=TARGET`` and ``--skip-pip``, so .venv is never modified while others run
  the test suite from it. TARGET is rebuilt only when its key changes (Home Assistant
  version, Python, configuration.yaml, requirements_test.txt through scripts/setup's stamp).
* ``prepare --config DIR``: before the first start, mark the onboarding steps other
  than the owner's account as done (the core-config step would otherwise add the
  met.no weather, radio browser and Google Translate entries, which need the Internet).
* ``provision --config DIR --ha URL --sim URL``: once Home Assistant answers, create
  the owner (demo/demo) through the onboarding API if there is none yet, then, once
  per config directory, add the XiVO entry for the simulator's ``demo`` user through
  the config-flow REST API (the same flow as the UI).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp

CLIENT_ID = "http://127.0.0.1/"  # any URL will do for a client of the local API
OWNER_NAME = "Demo"
OWNER_LOGIN = "demo"
OWNER_PASSWORD = "demo"  # noqa: S105 - the demo owner's documented password
XUC_LOGIN = "demo"
XUC_PASSWORD = "demo"  # noqa: S105 - the simulator's demo user
PROVISIONED_MARKER = ".storage/xivo_develop_provisioned"  # gone with .storage
DEPS_KEY_FILE = ".key"
SKIPPED_ONBOARDING_STEPS = ("core_config", "analytics", "integration")


def log(message: str) -> None:
    """Print a progress line of the dev instance's setup."""
    print(f"[develop] {message}", flush=True)


# --------------------------------------------------------------------------- deps


def _deps_key(config_dir: Path) -> str:
    """What TARGET depends on: change any of it and the packages are worked out again.

    .venv is described by scripts/setup's stamp (the hash of requirements_test.txt), so
    that adding unrelated packages to it (Playwright, for scripts/e2e) changes nothing.
    """
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    venv_stamp = Path(sys.prefix) / ".requirements_test.sha256"
    digest = hashlib.sha256()
    for part in (
        sys.version.encode(),
        ha_version.encode(),
        (config_dir / "configuration.yaml").read_bytes(),
        venv_stamp.read_bytes() if venv_stamp.is_file() else b"",
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


async def _wanted_requirements(config_dir: Path) -> list[str]:
    """Ask Home Assistant which requirements its start would install, without installing."""
    from homeassistant import bootstrap, loader, requirements  # noqa: PLC0415
    from homeassistant.core import HomeAssistant  # noqa: PLC0415
    from homeassistant.helpers import config_validation as cv  # noqa: PLC0415
    from homeassistant.util import package as pkg_util  # noqa: PLC0415
    from homeassistant.util.yaml import load_yaml_dict  # noqa: PLC0415

    config = load_yaml_dict(str(config_dir / "configuration.yaml"))
    domains = {cv.domain_key(key) for key in config}
    for name in (
        "CORE_INTEGRATIONS",
        "LOGGING_AND_HTTP_DEPS_INTEGRATIONS",
        "FRONTEND_INTEGRATIONS",
        "DISCOVERY_INTEGRATIONS",
        "DEFAULT_INTEGRATIONS",
        "CRITICAL_INTEGRATIONS",
    ):
        domains.update(getattr(bootstrap, name, ()))

    wanted: list[str] = []

    def record(package: str, **_kwargs: Any) -> bool:
        wanted.append(package)
        return True

    hass = HomeAssistant(str(config_dir))
    loader.async_setup(hass)
    pkg_util.install_package = record  # type: ignore[assignment]
    try:
        for domain in sorted(domains):
            try:
                await requirements.async_get_integration_with_requirements(hass, domain)
            except loader.IntegrationNotFound:
                continue
    finally:
        await hass.async_stop(force=True)
    return wanted


def _missing_distributions(wanted: list[str], constraints: Path) -> list[str]:
    """Pins of the distributions pip would add to .venv for ``wanted`` (venv-aware)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(  # noqa: S603 - fixed command line
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--dry-run",
                "--report",
                str(report),
                "--constraint",
                str(constraints),
                *wanted,
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        data = json.loads(report.read_text())
    return sorted(
        f"{item['metadata']['name']}=={item['metadata']['version']}"
        for item in data["install"]
    )


def cmd_deps(args: argparse.Namespace) -> None:
    """Make TARGET hold what Home Assistant would install at its first start."""
    config_dir = Path(args.config)
    target = Path(args.target)
    key = _deps_key(config_dir)
    key_file = target / DEPS_KEY_FILE
    if key_file.is_file() and key_file.read_text().strip() == key:
        return
    started = time.monotonic()
    log(f"working out Home Assistant's runtime packages (cached in {target})")
    wanted = asyncio.run(_wanted_requirements(config_dir))
    import homeassistant  # noqa: PLC0415

    constraints = Path(homeassistant.__file__).parent / "package_constraints.txt"
    pins = _missing_distributions(wanted, constraints) if wanted else []
    log(f"installing {len(pins)} packages: {' '.join(pins)}")
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    if pins:
        subprocess.run(  # noqa: S603 - fixed command line
            [
                sys.executable,
                "-m",
                "uv",
                "pip",
                "install",
                "--quiet",
                "--python",
                sys.executable,
                "--target",
                str(fresh),
                "--no-deps",
                *pins,
            ],
            check=True,
        )
    (fresh / DEPS_KEY_FILE).write_text(key + "\n")
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    log(f"runtime packages ready in {time.monotonic() - started:.0f} s")


# --------------------------------------------------------------------------- prepare


def cmd_prepare(args: argparse.Namespace) -> None:
    """Before the first start: onboarding done but for the owner's account."""
    storage = Path(args.config) / ".storage"
    onboarding = storage / "onboarding"
    if onboarding.exists() or (storage / "auth").exists():
        return
    storage.mkdir(parents=True, exist_ok=True)
    onboarding.write_text(
        json.dumps(
            {
                "version": 4,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": list(SKIPPED_ONBOARDING_STEPS)},
            },
            indent=2,
        )
    )


# --------------------------------------------------------------------------- provision


class ProvisionError(Exception):
    """Home Assistant did not answer, or refused a step of the setup."""


async def _json(response: aiohttp.ClientResponse) -> Any:
    """Return the JSON body, or fail with the status and the text."""
    if response.status >= 400:
        text = await response.text()
        raise ProvisionError(
            f"{response.method} {response.url.path}: HTTP {response.status} {text}"
        )
    return await response.json()


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # noqa: PTH123
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


async def _wait_for_ha(
    session: aiohttp.ClientSession, ha: str, wait_seconds: float, pid: int | None
) -> list[dict[str, Any]]:
    """Poll the onboarding status until Home Assistant answers; return it.

    Home Assistant serves HTTP once its integrations are set up; the onboarding views
    exist only until the onboarding is over (then 404).
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        if pid is not None and not _alive(pid):
            raise ProvisionError("Home Assistant exited during its start (see its log)")
        try:
            async with session.get(f"{ha}/api/onboarding") as response:
                if response.status == 200:
                    result: list[dict[str, Any]] = await response.json()
                    return result
                if response.status == 404:  # onboarded: the views are not registered
                    return [{"step": "user", "done": True}]
        except aiohttp.ClientError:
            pass
        if time.monotonic() > deadline:
            raise ProvisionError(
                f"Home Assistant did not answer at {ha} in {wait_seconds:.0f} s"
            )
        await asyncio.sleep(1)


async def _token(session: aiohttp.ClientSession, ha: str, code: str) -> str:
    """Trade an authorization code for an access token."""
    async with session.post(
        f"{ha}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": CLIENT_ID},
    ) as response:
        result = await _json(response)
    return str(result["access_token"])


async def _create_owner(session: aiohttp.ClientSession, ha: str) -> str:
    """Create the owner through the onboarding API; return an access token."""
    async with session.post(
        f"{ha}/api/onboarding/users",
        json={
            "client_id": CLIENT_ID,
            "name": OWNER_NAME,
            "username": OWNER_LOGIN,
            "password": OWNER_PASSWORD,
            "language": "en",
        },
    ) as response:
        result = await _json(response)
    log(f"created the owner {OWNER_LOGIN}/{OWNER_PASSWORD}")
    return await _token(session, ha, result["auth_code"])


async def trusted_login(session: aiohttp.ClientSession, ha: str) -> str:
    """Log in as the owner through trusted_networks (this machine); return a token."""
    async with session.post(
        f"{ha}/auth/login_flow",
        json={
            "client_id": CLIENT_ID,
            "handler": ["trusted_networks", None],
            "redirect_uri": CLIENT_ID,
        },
    ) as response:
        step = await _json(response)
    if step["type"] == "form":  # several users: take the owner's name, else the first
        options = step["data_schema"][0]["options"]
        user = next((uid for uid, name in options if name == OWNER_NAME), options[0][0])
        async with session.post(
            f"{ha}/auth/login_flow/{step['flow_id']}",
            json={"client_id": CLIENT_ID, "user": user},
        ) as response:
            step = await _json(response)
    if step["type"] != "create_entry":
        raise ProvisionError(f"trusted_networks login refused: {step}")
    return await _token(session, ha, step["result"])


async def _add_xivo_entry(
    session: aiohttp.ClientSession, ha: str, token: str, sim: str
) -> None:
    """Run the XiVO config flow for the simulator's demo user, unless it is there."""
    headers = {"Authorization": f"Bearer {token}"}
    async with session.get(
        f"{ha}/api/config/config_entries/entry",
        params={"domain": "xivo"},
        headers=headers,
    ) as response:
        entries = await _json(response)
    if entries:
        log(f"XiVO entry already there: {entries[0]['title']}")
        return
    async with session.post(
        f"{ha}/api/config/config_entries/flow",
        json={"handler": "xivo", "show_advanced_options": False},
        headers=headers,
    ) as response:
        step = await _json(response)
    async with session.post(
        f"{ha}/api/config/config_entries/flow/{step['flow_id']}",
        json={
            "url": sim,
            "verify_ssl": True,
            "username": XUC_LOGIN,
            "password": XUC_PASSWORD,
        },
        headers=headers,
    ) as response:
        step = await _json(response)
    if step["type"] != "create_entry":
        raise ProvisionError(f"XiVO config flow did not create an entry: {step}")
    log(f"added the XiVO entry {step['title']!r} for {XUC_LOGIN} on {sim}")


async def _provision(args: argparse.Namespace) -> None:
    marker = Path(args.config) / PROVISIONED_MARKER
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        steps = await _wait_for_ha(session, args.ha, args.timeout, args.pid)
        if not any(s["step"] == "user" and s["done"] for s in steps):
            token = await _create_owner(session, args.ha)
        elif marker.exists():
            return
        else:
            token = await trusted_login(session, args.ha)
        if not marker.exists():
            await _add_xivo_entry(session, args.ha, token, args.sim)
            marker.write_text("the XiVO demo entry was added once; delete to redo\n")


def cmd_provision(args: argparse.Namespace) -> None:
    """Wait for Home Assistant, then create the owner and the XiVO entry if needed."""
    try:
        asyncio.run(_provision(args))
    except ProvisionError as err:
        sys.exit(f"[develop] {err}")


def main() -> None:
    """Dispatch the sub-command."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(required=True)
    deps = sub.add_parser("deps", help="install Home Assistant's runtime packages")
    deps.add_argument("--config", required=True)
    deps.add_argument("--target", required=True)
    deps.set_defaults(func=cmd_deps)
    prepare = sub.add_parser("prepare", help="pre-seed the onboarding")
    prepare.add_argument("--config", required=True)
    prepare.set_defaults(func=cmd_prepare)
    provision = sub.add_parser("provision", help="owner and XiVO entry")
    provision.add_argument("--config", required=True)
    provision.add_argument("--ha", required=True)
    provision.add_argument("--sim", required=True)
    provision.add_argument("--timeout", type=float, default=600)
    provision.add_argument("--pid", type=int, help="fail early if this pid exits")
    provision.set_defaults(func=cmd_provision)
    args = parser.parse_args()
    try:
        args.func(args)
    except KeyboardInterrupt:  # Ctrl-C during the start: scripts/develop stops the rest
        sys.exit(130)


if __name__ == "__main__":
    main()
