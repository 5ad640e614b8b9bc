"""The directory as xuc serves it: look-up matching, rows, contact sheets and favourites.

Pure functions of the data model and the profile's directory display (G5), so
that ``directoryLookUp``, ``searchContacts`` and ``getFavorites`` render a
contact the same way.
"""

from __future__ import annotations

import unicodedata

from .data import HEADERS_FR_FACTORY, SimContact, SimData, SimUser
from .payloads import Json
from .profile import ServerProfile


def fold(text: str) -> str:
    """Fold case and accents, so "ÉMILIE" and "emilie" match like a French user expects."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search(data: SimData, term: str) -> list[SimContact]:
    """Return the directory entries matching a look-up term."""
    folded = fold(term.strip())
    if not folded:
        return []
    return [
        contact
        for contact in data.directory
        if any(
            folded in fold(text)
            for text in (
                contact.first_name,
                contact.last_name,
                f"{contact.first_name} {contact.last_name}",
                contact.number,
            )
        )
    ]


def headers(data: SimData, profile: ServerProfile) -> list[str]:
    """Column titles: the data's own (split names), or XiVO's French factory display."""
    if profile.directory == "single_name_fr":
        return list(HEADERS_FR_FACTORY)
    return list(data.headers)


def _is_favorite(user: SimUser, contact: SimContact) -> bool:
    """Whether the contact is one of the user's favourites."""
    return (contact.contact_id, contact.source) in user.favorites


def _row(user: SimUser, contact: SimContact, profile: ServerProfile) -> list[str]:
    """The ``entry`` strings of a contact, lined up with ``headers()``.

    The factory display's ``Boîte vocale`` is always empty (the model has no
    voicemail number for contacts) and ``Personnel`` says "true" for the
    ``personal`` source, like ``Favoris`` (the simulator's choice).
    """
    favorite = "true" if _is_favorite(user, contact) else "false"
    if profile.directory == "single_name_fr":
        personal = "true" if contact.source == "personal" else "false"
        return [
            contact.display_name,
            contact.number,
            contact.mobile,
            "",
            favorite,
            contact.email,
            personal,
        ]
    return [
        contact.first_name,
        contact.last_name,
        contact.number,
        contact.mobile,
        favorite,
    ]


def entry(
    data: SimData, user: SimUser, contact: SimContact, profile: ServerProfile
) -> Json:
    """Return one ``DirectoryResult``/``Favorites`` entry for a contact."""
    return {
        "status": data.phone_state(contact.number),
        "entry": _row(user, contact, profile),
        "contact_id": contact.contact_id,
        "source": contact.source,
        "favorite": _is_favorite(user, contact),
    }


def result(
    data: SimData,
    user: SimUser,
    contacts: list[SimContact],
    profile: ServerProfile,
) -> Json:
    """Return a ``DirectoryResult`` (or ``Favorites``: the same shape) payload."""
    return {
        "headers": headers(data, profile),
        "entries": [entry(data, user, contact, profile) for contact in contacts],
    }


def favorites(data: SimData, user: SimUser, profile: ServerProfile) -> Json:
    """Return the ``Favorites`` payload of a user, in favourite order."""
    contacts = [
        contact
        for contact_id, source in user.favorites
        if (contact := data.contact(contact_id, source)) is not None
    ]
    return result(data, user, contacts, profile)


def sheet(data: SimData, user: SimUser, contact: SimContact) -> Json:
    """Return one ``ContactSheet`` sheet for a contact."""
    actions: list[Json] = [
        {"action": "Call", "args": [contact.number], "default": True}
    ]
    fields: list[Json] = [
        {"name": "Number", "data": contact.number, "dataType": "PhoneNumber"}
    ]
    if contact.mobile:
        actions.append({"action": "Call", "args": [contact.mobile], "default": False})
        fields.append(
            {"name": "Mobile", "data": contact.mobile, "dataType": "PhoneNumber"}
        )
    return {
        "name": contact.display_name,
        "subtitle1": contact.number,
        "subtitle2": contact.mobile,
        "picture": "",
        "isPersonal": contact.source == "personal",
        "isFavorite": _is_favorite(user, contact),
        "isMeetingroom": False,
        "canBeFavorite": True,
        "status": {"phone": data.phone_state(contact.number), "video": "Available"},
        "actions": actions,
        "sources": [{"name": contact.source, "id": contact.contact_id}],
        "details": [{"name": "Contact", "fields": fields}],
    }
