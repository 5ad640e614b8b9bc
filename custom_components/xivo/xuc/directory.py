"""Mapping of directory rows (`DirectoryResult`, `Favorites`) to contacts.

Column titles are set up on each server and often localised, and their positions differ
between versions, so columns are found by header name (English or French, any case, with
or without accents, spaces or punctuation), never by position.

Names come in one full-name column (XiVO's factory display is French:
`["Nom","Numéro","Mobile","Boîte vocale","Favoris","E-mail","Personnel"]`, §19 G5) or in
first-name and last-name columns, and administrators rename them freely. `Nom`/`Name`
is the full name, unless a first-name column stands next to it: then it is the last
name, as in `Prénom`/`Nom`.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final
import unicodedata

from .exceptions import XucProtocolError
from .models import Contact, DirectoryResult, parse_bool, parse_code

if TYPE_CHECKING:
    from collections.abc import Mapping


def fold(text: str) -> str:
    """Fold a text for matching: no accents, no case, no spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char
        for char in decomposed.casefold()
        if char.isalnum() and not unicodedata.combining(char)
    )


_COLUMN_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        **dict.fromkeys(("firstname", "prenom", "givenname", "forename"), "first_name"),
        **dict.fromkeys(
            ("lastname", "surname", "familyname", "nomdefamille"), "last_name"
        ),
        **dict.fromkeys(
            (
                "fullname",
                "nomcomplet",
                "displayname",
                "nomaffiche",
                "contactname",
                "nomprenom",
            ),
            "full_name",
        ),
        **dict.fromkeys(("name", "nom"), "name"),  # full or last: see `_column_roles`
        **dict.fromkeys(
            ("number", "numero", "phone", "phonenumber", "telephone", "tel", "poste"),
            "number",
        ),
        **dict.fromkeys(
            ("mobile", "mobilenumber", "portable", "cellphone", "gsm"), "mobile"
        ),
        **dict.fromkeys(
            ("favorite", "favorites", "favori", "favoris", "favourite"), "favorite"
        ),
    }
)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


@lru_cache(maxsize=16)
def _column_roles(headers: tuple[str, ...]) -> Mapping[int, str]:
    """Which column holds what; a server sends the same headers every time, hence the cache.

    The first column of each role wins. A `Nom`/`Name` column is the last name when
    the display has a first-name column and no last-name one, else the full name.
    """
    aliases = [_COLUMN_ALIASES.get(fold(header)) for header in headers]
    split_names = "first_name" in aliases and "last_name" not in aliases
    name_role = "last_name" if split_names else "full_name"
    roles: dict[int, str] = {}
    for index, alias in enumerate(aliases):
        role = name_role if alias == "name" else alias
        if role is not None and role not in roles.values():
            roles[index] = role
    return MappingProxyType(roles)


def parse_directory(payload: Any) -> DirectoryResult:
    """Parse a `DirectoryResult`/`Favorites` payload `{"headers": [...], "entries": [...]}`.

    An empty list of entries is a real answer (no match, no favorites). A payload
    without a list of entries, or whose entries are all unreadable (a row is an object
    with a list `entry`), raises `XucProtocolError`: taken as an answer, it would erase
    the favorites known. Unreadable rows among readable ones are skipped.
    """
    if not isinstance(payload, dict):
        raise XucProtocolError("directory payload is not an object")
    headers = payload.get("headers", [])
    entries = payload.get("entries")
    if not isinstance(headers, list) or not isinstance(entries, list):
        raise XucProtocolError("directory headers or entries are not lists")
    header_names = tuple(_as_text(header) for header in headers)
    roles = _column_roles(header_names)
    contacts = tuple(
        _parse_entry(entry, row, header_names, roles)
        for entry in entries
        if isinstance(entry, dict) and isinstance(row := entry.get("entry"), list)
    )
    if entries and not contacts:
        raise XucProtocolError("directory payload has no readable entry")
    return DirectoryResult(headers=header_names, contacts=contacts)


def _parse_entry(
    entry: dict[str, Any],
    row: list[Any],
    headers: tuple[str, ...],
    roles: Mapping[int, str],
) -> Contact:
    cells = [_as_text(cell) for cell in row]
    values: dict[str, str] = {}
    fields: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if index < len(headers):
            fields[headers[index]] = cell
        if index in roles:
            values[roles[index]] = cell
    favorite = (
        entry["favorite"] if "favorite" in entry else values.get("favorite", "false")
    )
    contact_id = entry.get("contact_id", entry.get("contactId"))
    source = entry.get("source")
    return Contact(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        full_name=values.get("full_name", ""),
        number=values.get("number", ""),
        mobile=values.get("mobile", ""),
        favorite=parse_bool(favorite),
        status_code=parse_code(entry.get("status")),
        contact_id=None if contact_id is None else _as_text(contact_id),
        source=None if source is None else _as_text(source),
        fields=MappingProxyType(fields),
    )
