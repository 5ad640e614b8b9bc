"""How a `UserConfigUpdate` merges into what is known of the user (§3.4, §19 G1).

Partial updates carry nulls for what did not change. A forward's `…FwdEnabled` counts
only with a non-null `…FwdDestination` in the same payload, as both official clients
read it: a partial update about DND carries `false` for every forward with null
destinations, which says nothing about them. `dndEnabled` counts whenever it is not
null. A non-positive `agentId` ("no agent") counts only in a full update (one that
carries the `fullName`): a partial one may carry a default `0` for what did not change.
The reducer, the batch of frequent pushes and the session's agent requests all read
the update with these rules.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from .agents import positive_id
from .models import FORWARD_PREFIXES

if TYPE_CHECKING:
    from collections.abc import Mapping

# Each forward's `…FwdEnabled` key → its `…FwdDestination` key.
FORWARD_DESTINATION_KEY: Final[Mapping[str, str]] = MappingProxyType(
    {
        f"{prefix}FwdEnabled": f"{prefix}FwdDestination"
        for prefix in FORWARD_PREFIXES.values()
    }
)


def agent_id_counts(data: Mapping[str, Any]) -> bool:
    """Whether the update's `agentId` says something: a real id, or "none" in full."""
    value = data.get("agentId")
    return value is not None and (
        positive_id(value) is not None or data.get("fullName") is not None
    )


def user_config_changes(
    current: Mapping[str, Any], data: Mapping[str, Any]
) -> dict[str, Any]:
    """The fields of an update that change what is known (empty: nothing new)."""
    return {
        key: value
        for key, value in data.items()
        if value is not None
        and current.get(key, None) != value
        and (
            key not in FORWARD_DESTINATION_KEY
            or data.get(FORWARD_DESTINATION_KEY[key]) is not None
        )
        and (key != "agentId" or agent_id_counts(data))
    }
