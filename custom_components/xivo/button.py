"""Buttons: answer, hang up, hold — for a dashboard or a one-touch automation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription

from .call_control import CALL_COMMANDS, CallCommand, run_call_command
from .entity import XivoDescribedEntity, described_platform_setup
from .helpers import xivo_command

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class XivoButtonDescription(ButtonEntityDescription):
    """A button that sends one call command."""

    command: CallCommand


BUTTONS: Final = tuple(
    XivoButtonDescription(key=command.key, translation_key=command.key, command=command)
    for command in CALL_COMMANDS
)


class XivoButton(XivoDescribedEntity[XivoButtonDescription], ButtonEntity):
    """Available while the link is up; pressed with no call to act on, it says so."""

    entity_description: XivoButtonDescription

    @xivo_command
    async def async_press(self) -> None:
        """Send the command for the call it applies to."""
        await run_call_command(
            self.entity_description.command,
            self.coordinator.client,
            self.coordinator.data,
        )


# Answer, hang up and hold.
async_setup_entry = described_platform_setup(XivoButton, BUTTONS)
