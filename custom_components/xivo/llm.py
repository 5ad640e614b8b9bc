"""The `llm` platform (Home Assistant 2026+): the voice intents as Assist API tools.

Home Assistant 2025.x lists registered intents as tools on its own and never loads this
module; from 2026 each integration hands its tools over through this platform.
"""

from __future__ import annotations

from .intent import async_get_llm_tools as async_get_tools

__all__ = ["async_get_tools"]
