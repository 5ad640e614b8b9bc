"""Debian's headless Chromium for scripts/e2e, offline: a fresh profile, no downloads.

Playwright runs /usr/bin/chromium (``executable_path``): no browser is downloaded.
Requests leaving this machine fail fast, except the brand icons, which are served from
the repository.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
import sys
import tempfile
from typing import TYPE_CHECKING

from playwright.sync_api import (
    BrowserContext,
    Error as PlaywrightError,
    Page,
    Route,
    sync_playwright,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "xivo" / "brand"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}
TIMEOUT_MS = 30_000


def _offline_route(route: Route) -> None:
    """Requests leaving this machine: fail fast, but stand in for the brand icons.

    Home Assistant's frontend loads integration icons from brands.home-assistant.io;
    without Internet access we serve XiVO's own icon (what a published integration
    shows) and a 404 for the others, which the frontend leaves blank.
    """
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "data:", "blob:")):
        route.fallback()
    elif url.startswith("https://brands.home-assistant.io/"):
        if "/xivo/" in url:
            icon = BRAND / ("icon@2x.png" if "@2x" in url else "icon.png")
            route.fulfill(body=icon.read_bytes(), content_type="image/png")
        else:
            route.fulfill(status=404, body="")
    else:
        route.abort("internetdisconnected")


@contextlib.contextmanager
def chromium(artifacts: Path) -> Iterator[tuple[BrowserContext, Page]]:
    """Debian's Chromium, headless, with a fresh profile; screenshot the page on failure."""
    with (
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory(prefix="e2e-chromium-") as profile,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            locale="en-US",
            timezone_id="Europe/Paris",
        )
        try:
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", _offline_route)
            page = context.pages[0] if context.pages else context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            try:
                yield context, page
            except BaseException:
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(path=str(artifacts / "failure.png"))
                    (artifacts / "failure.html").write_text(page.content())
                for error in errors:
                    print(f"[e2e] page error: {error}", file=sys.stderr)
                raise
        finally:
            context.close()
