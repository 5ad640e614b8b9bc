"""Constants of the XiVO integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "xivo"
LOGGER: Final = logging.getLogger(__package__)

CONF_PHONE_NUMBER: Final = "phone_number"

MANUFACTURER: Final = "XiVO"

PREFERRED_DEVICE: Final = "PREFERRED_DEVICE"
MOBILE_APP_INFO: Final = "MOBILE_APP_INFO"
