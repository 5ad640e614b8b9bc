"""Browser half of scripts/e2e: drive Home Assistant's UI with Debian's headless Chromium.

Expects scripts/develop to be running (simulator with its control API, Home Assistant
with the demo user's XiVO entry). Steps, each failing with a clear message:

1. open Home Assistant: trusted_networks logs the browser in, the XiVO dashboard shows;
2. add the second simulator user (bob/bob) through Settings > Devices & services >
   Add integration > XiVO, and check the new entry is listed and loaded;
3. change the presence select on the dashboard, and check that the simulator received
   the ``userStatusUpdate`` command (its control API lists received frames);
4. make a favourite's phone ring in the simulator, and see the tile say so;
5. a favourite calls the demo user: answer from the dashboard's Answer button, check the
   simulator received ``answer`` and the "On a call" tile turns on, then hang up with the
   Hang up button;
6. save screenshots (dashboard, config flow, entries) in docs/screenshots/.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
from pathlib import Path
import re
import sys
import time
from typing import TYPE_CHECKING, Any
import urllib.parse

import aiohttp
from playwright.sync_api import (
    Error as PlaywrightError,
    Page,
    expect,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev_instance
from e2e_chromium import chromium

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
BOB = {"login": "bob", "password": "bob", "title": "Bob Lemaître"}
DEMO_TITLE = "Camille Durand"
DEMO_LOGIN = "demo"
PRESENCE_LABEL = "Sorti"  # display name of the status "away" in the demo data
PRESENCE_STATUS = "away"
RINGING_NUMBER = "1102"  # Hélène Dupré, one of the demo user's favourites
RINGING_NAME = "Hélène Dupré"
CONTAINER_FAILURES = {"go2rtc", "default_config"}


class E2EError(Exception):
    """A step did not do what it should; the message says which and why."""


def step(title: str) -> None:
    """Announce a step."""
    print(f"[e2e] {title}", flush=True)


def _http(method: str, url: str) -> Any:
    """A JSON request to the simulator's control API (loopback, no auth)."""
    import urllib.request  # noqa: PLC0415

    request = urllib.request.Request(url, method=method)  # noqa: S310 - our loopback URL
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def _wait_until(what: str, check: Callable[[], bool], timeout: float = 15) -> None:
    """Poll ``check`` until it holds, or fail saying ``what`` did not happen."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise E2EError(f"{what} (waited {timeout:.0f} s)")
        time.sleep(0.25)


class E2E:
    """The steps, sharing the page and the URLs."""

    def __init__(self, args: argparse.Namespace, page: Page) -> None:
        """Keep the settings and the page."""
        self.ha: str = args.ha.rstrip("/")
        self.sim: str = args.sim.rstrip("/")
        self.control: str = args.control.rstrip("/")
        self.shots = Path(args.shots)
        self.page = page
        self.shots.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        """Save a screenshot of the page in docs/screenshots/."""
        path = self.shots / name
        self.page.screenshot(path=str(path))
        print(f"[e2e]   screenshot {path.relative_to(ROOT)}", flush=True)

    # ----------------------------------------------------------------------- steps

    def open_dashboard(self) -> None:
        """Step 1: trusted_networks logs us in; the XiVO dashboard shows live states."""
        step("1. open Home Assistant (trusted_networks login) and the XiVO dashboard")
        self._dismiss_container_notice()
        page = self.page
        page.goto(self.ha)
        try:
            page.wait_for_url("**/lovelace/**", timeout=60_000)
        except PlaywrightError as err:
            raise E2EError(
                f"not logged in automatically: still on {page.url} "
                "(trusted_networks bypass or onboarding not done?)"
            ) from err
        presence = self._presence_row()
        try:
            expect(presence).to_contain_text("Disponible")
            expect(self._tile(RINGING_NAME)).to_contain_text("Available")
        except AssertionError as err:
            raise E2EError(
                "the dashboard does not show the demo user's live entities "
                f"(presence 'Disponible', {RINGING_NAME} 'Available'): {err}"
            ) from err

    def add_entry_through_ui(self) -> None:
        """Step 2: the config-flow dialog adds bob's account; the entry shows and loads."""
        step("2. add the XiVO integration for bob/bob through the config-flow dialog")
        page = self.page
        page.locator("a[data-panel=config]").click()
        page.get_by_text("Devices & services", exact=True).first.click()
        page.wait_for_url("**/config/integrations/dashboard")
        page.get_by_text("Add integration", exact=True).click()
        # Search once the list is there (filtering it while it loads trips the frontend).
        expect(page.locator("ha-integration-list-item").nth(3)).to_be_visible()
        page.get_by_label("Search for a brand name").fill("XiVO")
        page.locator("ha-integration-list-item", has_text="XiVO").click()
        dialog = page.locator("dialog-data-entry-flow")
        try:
            expect(dialog).to_contain_text("Connect to your XiVO server")
        except AssertionError as err:
            raise E2EError(
                f"the XiVO config flow did not show its form: {err}"
            ) from err
        dialog.locator("input[name=url]").fill(self.sim)
        dialog.locator("input[name=username]").fill(BOB["login"])
        dialog.locator("input[name=password]").fill(BOB["password"])
        dialog.locator("input[name=password]").blur()
        page.wait_for_timeout(500)  # the floating labels' animation
        self.shot("config-flow.png")
        dialog.get_by_role("button", name="Submit").click()
        try:
            expect(dialog).to_contain_text(f"Created configuration for {BOB['title']}")
        except AssertionError as err:
            raise E2EError(
                f"the config flow did not create bob's entry: {err}"
            ) from err
        self.shot("config-flow-success.png")
        dialog.get_by_role("button", name="Finish").click()
        expect(dialog).to_be_hidden()

        # The frontend opens the integration's page after Finish; if not, go there.
        try:
            page.wait_for_url(
                "**/config/integrations/integration/xivo*", timeout=10_000
            )
        except PlaywrightError:
            page.locator("ha-integration-card", has_text="XiVO").click()
            page.wait_for_url("**/config/integrations/integration/xivo*")
        entries = page.locator("ha-config-integration-page")
        try:
            expect(entries).to_contain_text(BOB["title"])
            expect(entries).to_contain_text(DEMO_TITLE)
        except AssertionError as err:
            raise E2EError(
                f"the XiVO page does not list both entries ({DEMO_TITLE}, "
                f"{BOB['title']}): {err}"
            ) from err
        states = self._entry_states()
        if states.get(BOB["title"]) != "loaded":
            raise E2EError(f"bob's entry is not loaded: entry states {states}")
        self.shot("integration-entries.png")

    def change_presence(self) -> None:
        """Step 3: the presence select sends userStatusUpdate to the simulator."""
        step(f"3. set the presence to {PRESENCE_LABEL!r} on the dashboard")
        page = self.page
        _http("POST", f"{self.control}/_sim/clear")
        page.locator("a[data-panel=lovelace]").click()
        page.wait_for_url("**/lovelace/**")
        presence = self._presence_row()
        presence.locator("ha-select").click()
        page.get_by_role("option", name=PRESENCE_LABEL, exact=True).click()

        def received() -> bool:
            frames = self._received("userStatusUpdate")
            return any(f["frame"].get("status") == PRESENCE_STATUS for f in frames)

        _wait_until(
            "the simulator did not receive userStatusUpdate "
            f"{{status: {PRESENCE_STATUS!r}}} from the demo user's session",
            received,
        )
        print(f"[e2e]   the simulator received userStatusUpdate {PRESENCE_STATUS!r}")
        try:
            expect(presence).to_contain_text(PRESENCE_LABEL)
        except AssertionError as err:
            raise E2EError(
                f"the select does not show {PRESENCE_LABEL!r}: {err}"
            ) from err

    def ring_favorite(self) -> None:
        """Step 4: a favourite's phone rings in the simulator; its tile follows."""
        step(f"4. ring {RINGING_NAME}'s phone ({RINGING_NUMBER}) in the simulator")
        tile = self._tile(RINGING_NAME)
        _http("POST", f"{self.control}/_sim/phone?number={RINGING_NUMBER}&state=8")
        try:
            expect(tile).to_contain_text("Ringing", timeout=15_000)
        except AssertionError as err:
            raise E2EError(
                f"the {RINGING_NAME} tile did not show Ringing: {err}"
            ) from err
        # The screenshot from a fresh load: same states, no focus ring on the select.
        self.page.reload()
        expect(tile).to_contain_text("Ringing")
        expect(self._presence_row()).to_contain_text(PRESENCE_LABEL)
        self.page.wait_for_timeout(500)
        self.shot("dashboard.png")
        _http("POST", f"{self.control}/_sim/phone?number={RINGING_NUMBER}&state=0")
        try:
            expect(tile).to_contain_text("Available", timeout=15_000)
        except AssertionError as err:
            raise E2EError(
                f"the {RINGING_NAME} tile did not go back to Available: {err}"
            ) from err

    def answer_from_the_dashboard(self) -> None:
        """Step 5: a call rings; the Answer button answers it; On a call turns on."""
        step(f"5. {RINGING_NAME} calls {DEMO_TITLE}: answer from the dashboard")
        _http("POST", f"{self.control}/_sim/clear")
        _http(
            "POST", f"{self.control}/_sim/call?login={DEMO_LOGIN}&from={RINGING_NUMBER}"
        )
        on_call = self._tile("On a call")
        try:
            expect(self._tile("Ringing")).to_contain_text("On", timeout=15_000)
        except AssertionError as err:
            raise E2EError(f"the Ringing tile did not turn on: {err}") from err
        self._press("Answer")
        _wait_until(
            "the simulator did not receive answer from the Answer button",
            lambda: bool(self._received("answer")),
        )
        try:
            expect(on_call).to_contain_text("On", timeout=15_000)
        except AssertionError as err:
            raise E2EError(f"the On a call tile did not turn on: {err}") from err
        self._press("Hang up")
        _wait_until(
            "the simulator did not receive hangup from the Hang up button",
            lambda: bool(self._received("hangup")),
        )
        try:
            expect(on_call).to_contain_text("Off", timeout=15_000)
        except AssertionError as err:
            raise E2EError(f"the On a call tile did not turn off: {err}") from err

    # ----------------------------------------------------------------------- helpers

    def _press(self, name: str) -> None:
        row = self.page.locator("hui-button-entity-row", has_text=name)
        row.get_by_role("button").click()

    def _received(self, command: str) -> list[Any]:
        """The frames of one command the simulator received from the demo user."""
        query = urllib.parse.urlencode({"command": command, "login": DEMO_LOGIN})
        frames: list[Any] = _http("GET", f"{self.control}/_sim/received?{query}")[
            "frames"
        ]
        return frames

    def _presence_row(self) -> Any:
        return self.page.locator("hui-select-entity-row", has_text="Presence")

    def _tile(self, name: str) -> Any:
        return self.page.locator("hui-tile-card", has_text=name)

    def _with_token[T](
        self, job: Callable[[aiohttp.ClientSession, str], Awaitable[T]]
    ) -> T:
        """Run ``job(session, token)`` against Home Assistant's API, as the owner."""

        async def run() -> T:
            async with aiohttp.ClientSession() as session:
                token = await dev_instance.trusted_login(session, self.ha)
                return await job(session, token)

        # Playwright's sync API owns this thread's event loop: run aiohttp in another.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, run()).result()

    def _entry_states(self) -> dict[str, str]:
        """Title → state of the XiVO entries, from Home Assistant's REST API."""

        async def job(session: aiohttp.ClientSession, token: str) -> dict[str, str]:
            async with session.get(
                f"{self.ha}/api/config/config_entries/entry",
                params={"domain": "xivo"},
                headers={"Authorization": f"Bearer {token}"},
            ) as response:
                entries = await response.json()
            return {entry["title"]: entry["state"] for entry in entries}

        return self._with_token(job)

    def _dismiss_container_notice(self) -> None:
        """Dismiss "Invalid config" if it is only go2rtc's container complaint.

        In a container, Home Assistant's go2rtc (part of default_config) wants its own
        binary and fails without it, which also fails default_config itself. That is
        this machine's business, not the integration's: keep it out of the screenshots.
        """

        async def job(session: aiohttp.ClientSession, token: str) -> set[str] | None:
            async with session.ws_connect(f"{self.ha}/api/websocket") as ws:
                await ws.receive_json()
                await ws.send_json({"type": "auth", "access_token": token})
                await ws.receive_json()
                await ws.send_json(
                    {"id": 1, "type": "persistent_notification/subscribe"}
                )
                await ws.receive_json()  # the result, then the current notifications
                current = (await ws.receive_json())["event"]["notifications"]
                notice = current.get("invalid_config")
                if notice is None:
                    return None
                failed = set(
                    re.findall(r"^ - \[([a-z0-9_]+)\]", notice["message"], re.MULTILINE)
                )
                if failed <= CONTAINER_FAILURES:
                    await ws.send_json(
                        {
                            "id": 2,
                            "type": "call_service",
                            "domain": "persistent_notification",
                            "service": "dismiss",
                            "service_data": {"notification_id": "invalid_config"},
                        }
                    )
                    await ws.receive_json()
                return failed

        failed = self._with_token(job)
        if failed:
            print(
                f"[e2e]   Home Assistant could not set up: {', '.join(sorted(failed))}"
            )
            if failed <= CONTAINER_FAILURES:
                print(
                    "[e2e]   (go2rtc needs its binary in a container: notice dismissed)"
                )


def main() -> None:
    """Run the steps; exit 1 with the failed step's message."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ha", required=True, help="Home Assistant's URL")
    parser.add_argument("--sim", required=True, help="the simulator's xuc URL")
    parser.add_argument("--control", required=True, help="its control API's URL")
    parser.add_argument("--shots", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--artifacts", default=str(ROOT / "e2e-artifacts"))
    args = parser.parse_args()
    artifacts = Path(args.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    try:
        with chromium(artifacts) as (_context, page):
            e2e = E2E(args, page)
            e2e.open_dashboard()
            e2e.add_entry_through_ui()
            e2e.change_presence()
            e2e.ring_favorite()
            e2e.answer_from_the_dashboard()
    except E2EError as err:
        sys.exit(f"[e2e] FAILED: {err}\n[e2e] page at failure: {artifacts}/failure.png")
    except PlaywrightError as err:
        message = str(err).splitlines()[0]
        sys.exit(
            f"[e2e] FAILED (browser): {message}\n"
            f"[e2e] page at failure: {artifacts}/failure.png"
        )
    print("[e2e] all steps passed")


if __name__ == "__main__":
    main()
