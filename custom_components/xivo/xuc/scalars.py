"""Wire scalars: booleans and whole numbers as xuc sends them (both ways).

Kept apart from `models` so that modules the snapshot's own fields are made of (the
agent models, `agents`) can read numbers without importing the snapshot's module
(`models` re-exports both functions for its older importers).
"""

from __future__ import annotations

import math
from typing import Final

_TRUE_WORDS: Final = frozenset({"true", "1", "yes", "oui"})


def parse_bool(value: object) -> bool:
    """A wire boolean: a JSON boolean or number, or a word such as "true" in any case.

    xuc sends booleans both ways (preferences, status actions and directory cells as
    strings, the user configuration as JSON booleans); anything else is false.
    """
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_WORDS
    if isinstance(value, (bool, int, float)):
        return bool(value)
    return False


def parse_code(value: object) -> int | None:
    """A whole number sent as a number or a numeric string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) <= 32:
        try:
            return int(value.strip(), 10)
        except ValueError:
            return None
    return None


def parse_number(value: object) -> float | None:
    """A finite number sent as a number or a numeric string; None for anything else.

    Statistics may come as strings (§13.4: a consumer calls `parseFloat` on one);
    NaN and infinities are refused, since they would never compare equal to themselves.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value) if abs(value) < 2**53 else None
    if isinstance(value, float):
        number = value
    elif isinstance(value, str) and len(value) <= 32:
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None
