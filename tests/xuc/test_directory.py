"""Directory rows are mapped to contacts by header name, never by position."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import pytest

from custom_components.xivo.xuc import fold
from custom_components.xivo.xuc.directory import parse_directory
from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import Contact, DirectoryResult, PhoneState

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
    contact = one_contact(["Name", "Number"], {"entry": ["Hawkeye Pierce", "1002"]})
    assert contact.number == "1002"
    assert (contact.first_name, contact.last_name, contact.mobile) == ("", "", "")
    assert contact.name == ""
    assert contact.favorite is False
    assert dict(contact.fields) == {"Name": "Hawkeye Pierce", "Number": "1002"}


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


@pytest.mark.parametrize("row", [None, "hawkeye,pierce", 42, {"0": "hawkeye"}, True])
def test_entry_rows_that_are_not_lists(row: Any) -> None:
    contact = one_contact(["Firstname", "Number"], {"entry": row, "status": 0})
    assert contact == Contact(status_code=0, fields=MappingProxyType({}))
    assert contact.name == ""


def test_entries_that_are_not_objects_are_skipped() -> None:
    result = parse_directory(
        {
            "headers": ["Number"],
            "entries": [["1002"], "1003", None, 4, {"entry": ["1005"]}],
        }
    )
    assert [contact.number for contact in result.contacts] == ["1005"]


def test_empty_and_absent_lists() -> None:
    assert parse_directory({}) == DirectoryResult()
    assert parse_directory({"headers": [], "entries": []}) == DirectoryResult()
    result = parse_directory({"entries": [{"entry": ["a", "b"]}]})
    assert result.headers == ()
    assert result.contacts == (Contact(),)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "DirectoryResult",
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
