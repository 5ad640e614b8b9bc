"""What people say or type, matched to what the server knows: statuses, contacts, numbers.

People and speech-to-text engines write the same thing many ways: "parti manger" for the
status "Parti Manger", "emilie" for the favorite "Émilie Lefèvre", "04 27 46 63 47" for
"0427466347". Names and statuses are compared through `fold` (`directory.py`), which
drops accents, case, spaces and punctuation, so that none of those differences matter.

Numbers have one grammar, shared by everything that sends one to the server (a call, a
forward's destination): see `DIALABLE_PATTERN`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final
import unicodedata

from .directory import fold

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .models import Contact, Status

# ---------------------------------------------------------------------- numbers

MAX_NUMBER_DIGITS: Final = 40
"""How many digits, `*` and `#` a number may have (a leading `+` comes on top)."""

MAX_NUMBER_LENGTH: Final = MAX_NUMBER_DIGITS + 1
"""The longest dialable text: a `+` and `MAX_NUMBER_DIGITS` characters."""

DIALABLE_PATTERN: Final = rf"\+?[0-9*#]{{1,{MAX_NUMBER_DIGITS}}}"
"""A number as it is sent to the server: an optional leading `+`, then digits, `*`, `#`.

Why this grammar: the xuc passes a `dial` destination or a forward's destination to the
PBX as it is, and the PBX's dial plan matches extensions character by character, so a
number must reach it in one canonical form, without the spaces, dots or dashes people
write between groups of digits (`normalize_number` removes those first). What stays is
what a phone keypad can send: digits, `*` and `#` (feature codes such as `*10` or
`*21*1002#`), with a `+` only in front (the international prefix of E.164; anywhere
else it means nothing to the PBX). The protocol sets no length; 40 characters hold any
E.164 number (15 digits) with an outside-line prefix and a feature code around it, and
stay far below the PBX's own limit on extensions (80).

The pattern is not anchored, so that it can be composed: `^(?:...)$` for a validator
that matches from the start (`voluptuous.Match`), `^(?:...)?$` where an empty value is
allowed too (clearing a forward's destination). `is_dialable` matches it whole.
"""

DESTINATION_PATTERN: Final = rf"^(?:{DIALABLE_PATTERN})?$"
"""A forward's destination: a dialable number, or nothing (which clears the forward's).

Anchored at both ends, since Home Assistant checks a text entity's pattern with
`re.match` (from the start only) and the browser as a pattern of the whole value. It
ends in `$`, not `\\Z`, which browsers do not know; Python's `$` also lets one final
newline through, so values are checked with `is_destination`, which matches them whole.
"""

_DIALABLE_RE: Final = re.compile(DIALABLE_PATTERN)
# What people put between groups of digits: spaces, dots, dashes (ASCII and typographic,
# U+2010 to U+2015), slashes and parentheses.
_SEPARATORS_RE: Final = re.compile(r"[\s.\-\u2010-\u2015/()]")
# Words said before a number ("call the number 1002", "appelle le 1002").
_NUMBER_WORDS_RE: Final = re.compile(
    r"^(?:(?:the|number|le|la|au|numéro|numero)\s+)+", re.IGNORECASE
)


def is_dialable(text: str) -> bool:
    """Whether a text is a number in the form the server is sent (`DIALABLE_PATTERN`)."""
    return _DIALABLE_RE.fullmatch(text) is not None


def is_destination(text: str) -> bool:
    """Whether a text is a forward's destination (`DESTINATION_PATTERN`)."""
    return not text or is_dialable(text)


def normalize_number(text: str) -> str | None:
    """The dialable form of a typed or spoken number, or None if it is none.

    Liberal in what it accepts, since the protocol says nothing of how people write
    numbers: separators between the digits are dropped, and full-width characters (as
    some keyboards type them) become their ASCII forms (Unicode NFKC), so
    "+33 4 27 46 63 47", "04.27.46.63.47" and "(04) 27-46-63-47" are all numbers.
    """
    number = _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text))
    return number if is_dialable(number) else None


def number_from_speech(text: str) -> str | None:
    """The number a spoken phrase means ("the number 10 04" is 1004), or None.

    Words said before a number, in English or French, are left out first.
    """
    return normalize_number(_NUMBER_WORDS_RE.sub("", text.strip()))


# ---------------------------------------------------------------------- statuses


def status_labels(statuses: Iterable[Status]) -> dict[str, Status]:
    """Label a status is shown and said by -> status, in the server's order.

    A label two statuses share gets the status's name appended ("Disponible (away)"),
    so that each label names one status.
    """
    statuses = tuple(statuses)
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status.label] = counts.get(status.label, 0) + 1
    return {
        (
            status.label
            if counts[status.label] == 1
            else f"{status.label} ({status.name})"
        ): status
        for status in statuses
    }


def find_status(statuses: Iterable[Status], query: str) -> Status | None:
    """The status a text names: its label or name, whole, else a unique part of one.

    None when nothing matches, when the text is part of several statuses, or when it is
    the label of several (only their names tell those apart).
    """
    key = fold(query)
    if not key:
        return None
    statuses = tuple(statuses)
    exact = [s for s in statuses if key in {fold(s.label), fold(s.name)}]
    if exact:
        return exact[0] if len(exact) == 1 else None
    partial = [s for s in statuses if key in fold(s.label) or key in fold(s.name)]
    return partial[0] if len(partial) == 1 else None


# ---------------------------------------------------------------------- names

# Apostrophes: ASCII and typographic (U+2019), as speech-to-text engines write them.
_APOSTROPHES: Final = "'\u2019"
_POSSESSIVE_RE: Final = re.compile(rf"\s*[{_APOSTROPHES}]s?\s*$", re.IGNORECASE)
_WORD_SPLIT_RE: Final = re.compile(rf"[\s\-{_APOSTROPHES}]+")
_WORD_START_RE: Final = re.compile(rf"(^|[\s\-{_APOSTROPHES}])(\w)")


def clean_name(text: str) -> str:
    """A spoken name without a trailing possessive ("Hawkeye's" is Hawkeye).

    A text that is nothing but a possessive is kept as it is (stripped).
    """
    text = text.strip()
    return _POSSESSIVE_RE.sub("", text).strip() or text


def _words(text: str) -> list[str]:
    return [word for part in _WORD_SPLIT_RE.split(text) if (word := fold(part))]


def _is_exact(contact: Contact, query: str) -> bool:
    """Whether a text is the contact's whole name, first then last or last then first.

    A directory with a single full-name column gives no first and last name: its words
    are taken in their order and in the reverse order ("DUPONT Jean" is "Jean Dupont").
    """
    if contact.first_name or contact.last_name:
        first, last = fold(contact.first_name), fold(contact.last_name)
        whole = {first + last, last + first}
    else:
        words = contact.name.split()
        whole = {fold("".join(words)), fold("".join(reversed(words)))}
    return fold(query) in whole


def name_matches(contact: Contact, query: str) -> bool:
    """Whether a name means this contact: whole words of its name, in any order.

    "hawkeye" or "Pierce Hawkeye" mean "Hawkeye Pierce"; "hawk" does not (a part of a
    word is left to the directory search, where several matches are noticed).
    """
    wanted = _words(query)
    if not wanted:
        return False
    words = set(_words(contact.name))
    return all(word in words for word in wanted) or _is_exact(contact, query)


def best_contacts(contacts: Iterable[Contact], query: str) -> list[Contact]:
    """The distinct contacts among those found; only the exact ones if a whole name was said.

    The same person in two directory sources (same name, same number) is one contact.
    """
    seen: set[tuple[str, str]] = set()
    distinct: list[Contact] = []
    for contact in contacts:
        identity = (fold(contact.name), contact.number)
        if identity not in seen:
            seen.add(identity)
            distinct.append(contact)
    exact = [contact for contact in distinct if _is_exact(contact, query)]
    return exact or distinct


def matching_favorites(favorites: Iterable[Contact], query: str) -> list[Contact]:
    """The favorites a name means (`name_matches`), narrowed by `best_contacts`."""
    return best_contacts(
        (contact for contact in favorites if name_matches(contact, query)), query
    )


def display_name(contact: Contact) -> str:
    """A contact's name as said or shown; a name written all in lower case gets capitals.

    Directories often hold names typed in lower case ("hawkeye pierce"); a name with any
    capital is kept as the directory spells it. A contact without a name is its number.
    """
    name = contact.name or contact.number
    if name != name.lower():
        return name
    return _WORD_START_RE.sub(lambda m: m[1] + m[2].upper(), name)
