"""Warn once per kind, and remember a bounded number of kinds."""

from __future__ import annotations

import logging

import pytest

from custom_components.xivo.xuc.logonce import MAX_KINDS, OnceLog

_LOGGER = logging.getLogger("tests.xuc.logonce")


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_each_kind_warns_once_then_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    """The second report of a kind is a debug line; `forget` makes it warn again."""
    once = OnceLog(_LOGGER)
    with caplog.at_level(logging.DEBUG, logger=_LOGGER.name):
        once.warning("shape:A", "bad %s", "A")
        once.warning("shape:A", "bad %s", "A again")
        once.forget("shape:")
        once.warning("shape:A", "bad %s", "A after")
    assert warnings(caplog) == [
        "bad A (further ones are logged at debug level)",
        "bad A after (further ones are logged at debug level)",
    ]
    assert "bad A again" in [r.getMessage() for r in caplog.records]


def test_kinds_a_server_invents_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    """Past `MAX_KINDS` kinds, one warning says so; new kinds are debug lines only."""
    once = OnceLog(_LOGGER)
    with caplog.at_level(logging.DEBUG, logger=_LOGGER.name):
        for index in range(MAX_KINDS + 40):
            once.warning("error:" + str(index), "server error %d", index)
    shown = warnings(caplog)
    assert len(shown) == MAX_KINDS + 1
    assert shown[-1].startswith(f"{MAX_KINDS} kinds of problems reported")
    assert shown[-2] == (
        f"server error {MAX_KINDS - 1} (further ones are logged at debug level)"
    )
    assert f"server error {MAX_KINDS + 39}" in [r.getMessage() for r in caplog.records]
    # A kind remembered before the bound still warns only once.
    with caplog.at_level(logging.DEBUG, logger=_LOGGER.name):
        caplog.clear()
        once.warning("error:0", "server error %d", 0)
    assert warnings(caplog) == []
