"""Shared fixtures: the project's integration, loaded by the real Home Assistant test harness."""

from __future__ import annotations

import pytest

# Import the project's package at collection time, so that the plugin's own
# testing_config/custom_components package cannot shadow it.
import custom_components.xivo  # noqa: F401


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from custom_components/."""
