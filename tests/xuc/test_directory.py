"""Directory rows are mapped to contacts by header name, never by position."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

import aiohttp
import pytest

from custom_components.xivo.xuc import XucClient, fold
from custom_components.xivo.xuc.directory import parse_directory
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import Contact, DirectoryResult, PhoneState
from tests.simulator import (
    ALICE_PASSWORD,
    HEADERS_FR_FACTORY,
    IDEAL,
    REAL,
    XucSimulator,
)

from .common import FAST

ROW = ["hawkeye", "pierce", "1002", "0761187406", "false"]


def one_contact(headers: list[Any], entry: dict[str, Any]) -> Contact:
    result = parse_directory({"headers": headers, "entries": [entry]})
    assert len(result.contacts) == 1
    return result.contacts[0]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Firstname", "firstname"),
        ("First name", "firstname"),
        ("first_name", "firstname"),
        ("PRÉNOM", "prenom"),
        ("Prénom", "prenom"),
        ("numéro", "numero"),
        ("Numéro de téléphone", "numerodetelephone"),
        ("N°", "n"),  # a degree sign is punctuation
        ("Nº", "no"),  # an ordinal indicator is a letter
        ("Téléphone-Mobile", "telephonemobile"),
        ("Straße", "strasse"),
        ("", ""),
        ("  ", ""),
        ("ﬁrst", "first"),  # a compatibility ligature
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    "headers",
    [
        ["Firstname", "Lastname", "Number", "Mobile", "Favorite"],
        ["FIRSTNAME", "LASTNAME", "NUMBER", "MOBILE", "FAVORITE"],
        ["first name", "last_name", "Phone number", "Mobile number", "Favourite"],
        ["Prénom", "Nom", "Numéro", "Portable", "Favoris"],
        ["PRÉNOM", "NOM", "NUMÉRO", "GSM", "FAVORI"],
        ["prénom", "nom", "téléphone", "mobile", "favoris"],
        ["Given name", "Surname", "Tel", "Cell phone", "Favorites"],
        ["Given-Name", "Family name", "Poste", "Mobile", "Favorite"],
    ],
)
def test_headers_in_english_and_french(headers: list[str]) -> None:
    contact = one_contact(headers, {"status": 0, "entry": ROW})
    assert (contact.first_name, contact.last_name) == ("hawkeye", "pierce")
    assert (contact.number, contact.mobile) == ("1002", "0761187406")
    assert contact.favorite is False
    assert contact.name == "hawkeye pierce"
    assert dict(contact.fields) == dict(zip(headers, ROW, strict=True))


def test_columns_in_another_order_and_unknown_columns() -> None:
    headers = ["Email", "Numéro", "Favoris", "Nom", "Société", "Prénom"]
    row = ["h@p.org", "1002", "true", "pierce", "4077th", "hawkeye"]
    contact = one_contact(headers, {"entry": row})
    assert contact == Contact(
        first_name="hawkeye",
        last_name="pierce",
        number="1002",
        mobile="",
        favorite=True,
        fields=dict(zip(headers, row, strict=True)),
    )
    assert contact.fields["Email"] == "h@p.org"
    assert contact.fields["Société"] == "4077th"


def test_missing_columns() -> None:
    contact = one_contact(["Société", "Number"], {"entry": ["4077th", "1002"]})
    assert contact.number == "1002"
    assert (contact.first_name, contact.last_name, contact.mobile) == ("", "", "")
    assert contact.full_name == ""
    assert contact.name == ""
    assert contact.favorite is False
    assert dict(contact.fields) == {"Société": "4077th", "Number": "1002"}


def test_rows_shorter_or_longer_than_the_headers() -> None:
    headers = ["Firstname", "Lastname", "Number"]
    short = one_contact(headers, {"entry": ["hawkeye"]})
    assert (short.first_name, short.last_name, short.number) == ("hawkeye", "", "")
    assert dict(short.fields) == {"Firstname": "hawkeye"}
    long = one_contact(
        headers, {"entry": ["hawkeye", "pierce", "1002", "extra", "more"]}
    )
    assert long.number == "1002"
    assert dict(long.fields) == {
        "Firstname": "hawkeye",
        "Lastname": "pierce",
        "Number": "1002",
    }


def test_the_first_column_of_a_role_wins() -> None:
    headers = ["Number", "Téléphone", "Mobile", "GSM"]
    contact = one_contact(headers, {"entry": ["1002", "0102030405", "0600", "0700"]})
    assert (contact.number, contact.mobile) == ("1002", "0600")
    assert contact.fields["Téléphone"] == "0102030405"
    assert contact.fields["GSM"] == "0700"


def test_non_text_headers_and_cells() -> None:
    contact = one_contact(
        [1, None, "Number", "Favorite"], {"entry": [2, None, 1002, True]}
    )
    assert contact.number == "1002"
    assert contact.favorite is True
    assert dict(contact.fields) == {
        "1": "2",
        "": "",
        "Number": "1002",
        "Favorite": "True",
    }


def test_contact_id_source_and_boolean_favorite() -> None:
    headers = ["Firstname", "Lastname", "Number", "Mobile", "Favorite"]
    contact = one_contact(
        headers,
        {
            "status": 8,
            "entry": ROW,
            "contact_id": "42",
            "source": "internal",
            "favorite": True,
        },
    )
    assert contact.contact_id == "42"
    assert contact.source == "internal"
    assert contact.key == "internal/42"
    # The boolean on the entry wins over the "false" in the row.
    assert contact.favorite is True
    assert contact.status_code == 8
    assert contact.phone_state is PhoneState.RINGING

    camel = one_contact(headers, {"entry": ROW, "contactId": 7, "favorite": False})
    assert camel.contact_id == "7"
    assert camel.source is None
    assert camel.key == "/7"
    assert camel.favorite is False
    assert camel.status_code is None
    assert camel.phone_state is None


@pytest.mark.parametrize(
    ("favorite", "expected"),
    [
        (True, True),
        (False, False),
        ("true", True),
        ("True", True),
        (" yes ", True),
        ("oui", True),
        ("1", True),
        ("false", False),
        ("0", False),
        ("", False),
        (None, False),
        (1, True),
        (0, False),
    ],
)
def test_favorite_flag(favorite: Any, expected: bool) -> None:
    assert one_contact([], {"entry": [], "favorite": favorite}).favorite is expected
    assert one_contact(["Favoris"], {"entry": [favorite]}).favorite is expected


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (0, 0),
        (-2, -2),
        (16, 16),
        ("8", 8),
        (" -1 ", -1),
        (True, None),
        (None, None),
        (1.5, None),
        ("busy", None),
        ("", None),
        ([0], None),
    ],
)
def test_status_code(status: Any, code: int | None) -> None:
    assert one_contact([], {"entry": [], "status": status}).status_code == code


@pytest.mark.parametrize(
    "row", [None, "hawkeye,pierce", 42, {"0": "hawkeye"}, True, "absent"]
)
def test_entry_rows_that_are_not_lists(row: Any) -> None:
    """Such a row cannot be read: skipped next to others, refused when alone."""
    bad = {"status": 0, "contact_id": "3"} | ({} if row == "absent" else {"entry": row})
    good = {"entry": ["hawkeye", "1002"]}
    result = parse_directory(
        {"headers": ["Firstname", "Number"], "entries": [bad, good]}
    )
    assert result.contacts == (
        Contact(
            first_name="hawkeye",
            number="1002",
            fields=MappingProxyType({"Firstname": "hawkeye", "Number": "1002"}),
        ),
    )
    with pytest.raises(XucProtocolError, match="no readable entry"):
        parse_directory({"headers": ["Firstname", "Number"], "entries": [bad]})


def test_entries_that_are_not_objects_are_skipped() -> None:
    result = parse_directory(
        {
            "headers": ["Number"],
            "entries": [["1002"], "1003", None, 4, {"entry": ["1005"]}],
        }
    )
    assert [contact.number for contact in result.contacts] == ["1005"]


def test_empty_and_absent_lists() -> None:
    # No entries is a real answer (no match); no list of entries at all is not.
    assert parse_directory({"headers": [], "entries": []}) == DirectoryResult()
    assert parse_directory({"entries": []}) == DirectoryResult()
    assert parse_directory({"headers": ["Nom"], "entries": []}) == DirectoryResult(
        headers=("Nom",)
    )
    result = parse_directory({"entries": [{"entry": ["a", "b"]}]})
    assert result.headers == ()
    assert result.contacts == (Contact(),)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "DirectoryResult",
        {},
        {"headers": ["Number"]},
        {"headers": ["Number"], "entries": ["1002", None, 3, ["1002"]]},
        {"headers": ["Number"], "entries": [{"entry": "1002"}, {"status": 0}]},
        {"headers": "Number", "entries": []},
        {"headers": [], "entries": {"entry": []}},
        {"headers": None, "entries": []},
        {"headers": [], "entries": None},
    ],
)
def test_wrong_shapes_raise(payload: Any) -> None:
    with pytest.raises(XucProtocolError):
        parse_directory(payload)


def test_result_is_immutable() -> None:
    result = parse_directory({"headers": ["Number"], "entries": [{"entry": ["1"]}]})
    assert isinstance(result.headers, tuple)
    assert isinstance(result.contacts, tuple)
    with pytest.raises(TypeError):
        result.contacts[0].fields["Number"] = "2"  # type: ignore[index]


# --- Names: one full-name column, or first and last names (§19 G5) ---------------


@pytest.mark.parametrize(
    "header",
    [
        "Nom",
        "NOM",
        "Name",
        "name",
        "Full name",
        "Fullname",
        "full_name",
        "Nom complet",
        "NOM COMPLET",
        "Display name",
        "Displayname",
        "display-name",
        "Nom affiché",
    ],
)
def test_a_full_name_column(header: str) -> None:
    contact = one_contact([header, "Numéro"], {"entry": ["Hawkeye Pierce", "1002"]})
    assert contact.full_name == "Hawkeye Pierce"
    assert (contact.first_name, contact.last_name) == ("", "")
    assert contact.name == "Hawkeye Pierce"
    assert contact.number == "1002"


@pytest.mark.parametrize(
    ("headers", "row", "expected"),
    [
        # Next to a first name, `Nom`/`Name` is the last name.
        (["Prénom", "Nom"], ["hawkeye", "pierce"], ("hawkeye", "pierce", "")),
        (["Nom", "Prénom"], ["pierce", "hawkeye"], ("hawkeye", "pierce", "")),
        (["First name", "Name"], ["hawkeye", "pierce"], ("hawkeye", "pierce", "")),
        # ... unless the display has a last-name column too.
        (
            ["Prénom", "Nom de famille", "Nom"],
            ["hawkeye", "pierce", "Hawkeye Pierce"],
            ("hawkeye", "pierce", "Hawkeye Pierce"),
        ),
        # A last name alone does not make `Nom` a last name.
        (
            ["Nom", "Lastname"],
            ["Hawkeye Pierce", "pierce"],
            ("", "pierce", "Hawkeye Pierce"),
        ),
        # Both kinds: the full name is the name.
        (
            ["Firstname", "Lastname", "Display name"],
            ["hawkeye", "pierce", "Capt. Pierce"],
            ("hawkeye", "pierce", "Capt. Pierce"),
        ),
    ],
)
def test_nom_is_the_last_name_only_next_to_a_first_name(
    headers: list[str], row: list[str], expected: tuple[str, str, str]
) -> None:
    contact = one_contact(headers, {"entry": row})
    assert (contact.first_name, contact.last_name, contact.full_name) == expected
    assert contact.name == (expected[2] or f"{expected[0]} {expected[1]}")


# XiVO's factory displays (§19 G5): 2015-11 (the simulator's), and 2015-09.
FACTORY_2015_11 = HEADERS_FR_FACTORY
FACTORY_2015_09 = ["Nom", "Numéro", "Entreprise", "E-mail", "Favoris", "", "Source"]


def test_the_french_factory_display() -> None:
    """XiVO's factory display (2015-11): one `Nom` column, the number, the favourite."""
    payload = {
        "headers": FACTORY_2015_11,
        "entries": [
            {
                "status": 0,
                "entry": [
                    "Hawkeye Pierce",
                    "1002",
                    "0761187406",
                    "",
                    "true",
                    "hawkeye@4077.example",
                    "false",
                ],
                "contact_id": "3",
                "source": "internal",
            },
            {
                "status": -2,
                "entry": ["Émilie Lefèvre", "0427466347", "", "", "false", "", "true"],
                "contact_id": "42",
                "source": "personal",
            },
        ],
    }
    hawkeye, emilie = parse_directory(payload).contacts
    assert hawkeye.name == hawkeye.full_name == "Hawkeye Pierce"
    assert (hawkeye.first_name, hawkeye.last_name) == ("", "")
    assert (hawkeye.number, hawkeye.mobile) == ("1002", "0761187406")
    assert hawkeye.favorite is True
    assert hawkeye.key == "internal/3"
    assert hawkeye.fields["E-mail"] == "hawkeye@4077.example"
    assert hawkeye.phone_state is PhoneState.AVAILABLE
    assert emilie.name == "Émilie Lefèvre"
    assert emilie.number == "0427466347"
    assert emilie.mobile == ""
    assert emilie.favorite is False
    assert emilie.fields["Personnel"] == "true"


def test_the_older_french_factory_display() -> None:
    """The 2015-09 display: no mobile, an unnamed column, the source last."""
    contact = one_contact(
        FACTORY_2015_09,
        {"entry": ["Hawkeye Pierce", "1002", "4077th", "", "false", "x", "internal"]},
    )
    assert (contact.name, contact.number, contact.mobile) == (
        "Hawkeye Pierce",
        "1002",
        "",
    )
    assert contact.favorite is False
    assert contact.fields["Entreprise"] == "4077th"
    assert contact.fields[""] == "x"


@pytest.mark.parametrize(
    "profile",
    [replace(IDEAL, directory="single_name_fr"), REAL],
    ids=["factory-display", "real-server"],
)
async def test_the_french_factory_display_end_to_end(
    http: aiohttp.ClientSession, socket_enabled: None, profile: Any
) -> None:
    """A real client against a server with the factory display: names, numbers, favorites."""
    async with XucSimulator(profile=profile) as server:
        client = XucClient(http, server.url, "alice", ALICE_PASSWORD, **FAST)
        try:
            await client.start()
            result = await client.directory_lookup("pierce")
            assert result.headers == tuple(FACTORY_2015_11)
            (contact,) = result.contacts
            assert (contact.name, contact.full_name) == ("hawkeye pierce",) * 2
            assert (contact.first_name, contact.last_name) == ("", "")
            assert (contact.number, contact.mobile) == ("1002", "0761187406")
            assert contact.favorite is True
            assert contact.key == "internal/3"
            (emilie,) = (await client.directory_lookup("émilie")).contacts
            assert emilie.name == "Émilie Lefèvre"
            assert emilie.number == "0427466347"
            # The favorites come in the same display.
            favorite = client.snapshot.favorites["internal/3"]
            assert (favorite.name, favorite.number) == ("hawkeye pierce", "1002")
            assert all(f.name and f.number for f in client.snapshot.favorites.values())
        finally:
            await client.stop()
