"""Constants of the XiVO integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "xivo"
