"""Matching of numbers, statuses and names, as people say or type them (no Home Assistant)."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st
import pytest

from custom_components.xivo.xuc.matching import (
    DESTINATION_PATTERN,
    DIALABLE_PATTERN,
    MAX_NUMBER_DIGITS,
    MAX_NUMBER_LENGTH,
    best_contacts,
    clean_name,
    display_name,
    find_status,
    is_destination,
    is_dialable,
    matching_favorites,
    name_matches,
    normalize_number,
    number_from_speech,
    status_labels,
)
from custom_components.xivo.xuc.models import Contact, Status

# ---------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text",
    [
        "1002",
        "0",
        "+33427466347",
        "*10",
        "*21*1002#",
        "#",
        "0" * MAX_NUMBER_DIGITS,
        "+" + "9" * MAX_NUMBER_DIGITS,
    ],
)
def test_dialable(text: str) -> None:
    assert is_dialable(text)
    assert len(text) <= MAX_NUMBER_LENGTH


@pytest.mark.parametrize(
    "text",
    [
        "",
        "+",
        "1+2",
        "++33",
        "33+",
        "12 34",
        "04.27",
        "0" * (MAX_NUMBER_DIGITS + 1),
        "+" + "9" * (MAX_NUMBER_DIGITS + 1),
        "abc",
        "1002a",
        "\u0661\u0662\u0663",  # Arabic-Indic digits: no key of a phone's keypad
        "1002\n",
    ],
)
def test_not_dialable(text: str) -> None:
    assert not is_dialable(text)


@pytest.mark.parametrize(
    "text", ["1002", "+33427466347", "*21*1002#", "1+2", "12 34", "", "0" * 41, "#\n1"]
)
def test_one_grammar_for_numbers_and_destinations(text: str) -> None:
    """Anchored, the pattern is `is_dialable`; a destination may also be empty.

    `re.match` is how voluptuous's `Match` and Home Assistant's text entities apply a
    pattern: from the start only.
    """
    whole = re.compile(rf"^(?:{DIALABLE_PATTERN})$")
    assert (whole.match(text) is not None) is is_dialable(text)
    destination = re.match(DESTINATION_PATTERN, text) is not None
    assert destination is is_destination(text) is (is_dialable(text) or text == "")


def test_a_final_newline_is_refused_by_the_checks_not_by_the_pattern() -> None:
    """`$` (which browsers know) lets a final newline through; the checks do not."""
    assert re.match(DESTINATION_PATTERN, "1002\n")
    assert not is_destination("1002\n")
    assert not is_dialable("1002\n")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1002", "1002"),
        ("+33 4 27 46 63 47", "+33427466347"),
        ("04.27.46.63.47", "0427466347"),
        ("(04) 27-46-63-47", "0427466347"),
        ("04/27/46", "042746"),
        ("04\u201327\u201446", "042746"),  # en and em dashes
        ("10\u00a004", "1004"),  # a no-break space
        ("10\u202f04", "1004"),  # a narrow no-break space, as French typography has
        ("\uff11\uff10\uff10\uff12", "1002"),  # full-width digits
        ("\uff0b33 1", "+331"),  # a full-width plus
        ("  *21*1002#  ", "*21*1002#"),
        ("+ 33 1", "+331"),
    ],
)
def test_normalize_number(text: str, number: str) -> None:
    assert normalize_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["", "   ", "--", "()", "extension nine", "1+2", "10 04 x", "0" * 41, "1_002"],
)
def test_normalize_number_refuses(text: str) -> None:
    assert normalize_number(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1004", "1004"),
        ("10 04", "1004"),
        ("the number 1004", "1004"),
        ("Number 1004", "1004"),
        ("le numéro 10.04", "1004"),
        ("Numero 1002", "1002"),
        ("au 06 11 22 33 44", "0611223344"),
        ("  la 1002 ", "1002"),
    ],
)
def test_number_from_speech(text: str, number: str) -> None:
    assert number_from_speech(text) == number


@pytest.mark.parametrize(
    "text", ["number", "le numéro", "le Zorro", "Peter Pan", "extension nine", ""]
)
def test_number_from_speech_refuses(text: str) -> None:
    assert number_from_speech(text) is None


_DIALABLE = st.from_regex(rf"\A{DIALABLE_PATTERN}\Z")
_SEPARATOR = st.sampled_from([" ", ".", "-", "/", "(", ")", "\u00a0", "\u2013"])


@given(_DIALABLE)
def test_a_dialable_number_is_its_own_normal_form(number: str) -> None:
    assert is_dialable(number)
    assert normalize_number(number) == number
    assert number_from_speech(number) == number


@given(_DIALABLE, st.data())
def test_separators_between_the_digits_do_not_matter(
    number: str, data: st.DataObject
) -> None:
    spaced = "".join(
        char + data.draw(st.lists(_SEPARATOR, max_size=2).map("".join))
        for char in number
    )
    assert normalize_number(spaced) == number


# ---------------------------------------------------------------------- statuses

STATUSES = (
    Status("available", "Disponible"),
    Status("away", "Sorti"),
    Status("outtolunch", "Parti Manger"),
    Status("donotdisturb", "Ne pas déranger"),
    Status("berightback", "Bientôt de retour"),
    Status("disconnected", "Déconnecté"),
)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("parti manger", "outtolunch"),
        ("PARTI MANGER", "outtolunch"),
        ("Parti-Manger!", "outtolunch"),
        ("out to lunch", "outtolunch"),  # the name, with spaces
        ("lunch", "outtolunch"),  # a unique part of a name
        ("manger", "outtolunch"),  # a unique part of a label
        ("ne pas deranger", "donotdisturb"),
        ("bientot de retour", "berightback"),
        ("away", "away"),
        ("deconnecte", "disconnected"),
    ],
)
def test_find_status(query: str, name: str) -> None:
    status = find_status(STATUSES, query)
    assert status is not None
    assert status.name == name


@pytest.mark.parametrize("query", ["on holiday", "de", "", "?!", "  "])
def test_find_status_refuses(query: str) -> None:
    """Nothing, or a part of two statuses ("Ne pas déranger", "Bientôt de retour")."""
    assert find_status(STATUSES, query) is None


def test_a_shared_label_is_no_choice_but_the_names_are() -> None:
    statuses = (Status("available", "Disponible"), Status("away", "Disponible"))
    assert find_status(statuses, "disponible") is None
    assert find_status(iter(statuses), "away") == statuses[1]
    assert find_status((), "away") is None


def test_status_labels() -> None:
    """Labels in the server's order; a shared one gets the name appended."""
    assert list(status_labels(STATUSES)) == [status.label for status in STATUSES]
    shared = (
        Status("available", "Disponible"),
        Status("away", "Disponible"),
        Status("outtolunch", "Parti Manger"),
    )
    labels = status_labels(status for status in shared)
    assert labels == {
        "Disponible (available)": shared[0],
        "Disponible (away)": shared[1],
        "Parti Manger": shared[2],
    }
    assert status_labels(()) == {}


# ---------------------------------------------------------------------- names


def contact(first: str, last: str, number: str = "", mobile: str = "") -> Contact:
    return Contact(first_name=first, last_name=last, number=number, mobile=mobile)


EMILIE = contact("Émilie", "Lefèvre", "0427466347", "0611223344")
HAWKEYE = contact("hawkeye", "pierce", "1002", "0761187406")
JEAN_DUPONT = contact("Jean", "Dupont", "1005")
JEAN_DUPONTEL = contact("Jean", "Dupontel", "", "0611111111")
JEANNE = contact("Jeanne", "Durand", "1006")
JEAN_PIERRE = contact("Jean-Pierre", "Leroy", "1008")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hawkeye's", "Hawkeye"),
        ("Emilie\u2019s", "Emilie"),  # a typographic apostrophe
        ("Emilie'", "Emilie"),
        ("  Peter Pan  ", "Peter Pan"),
        ("'s", "'s"),  # nothing but a possessive: kept
        ("O'Neil", "O'Neil"),
    ],
)
def test_clean_name(text: str, name: str) -> None:
    assert clean_name(text) == name


@pytest.mark.parametrize(
    ("contact", "query"),
    [
        (EMILIE, "emilie"),
        (EMILIE, "ÉMILIE LEFÈVRE"),
        (EMILIE, "Lefevre"),
        (EMILIE, "lefèvre émilie"),
        (EMILIE, "émilielefèvre"),  # the whole name, run together
        (EMILIE, "lefevreemilie"),
        (HAWKEYE, "Pierce Hawkeye"),
        (JEAN_PIERRE, "jean pierre"),
        (JEAN_PIERRE, "Jean-Pierre Leroy"),
        (JEAN_PIERRE, "jean"),
    ],
)
def test_name_matches(contact: Contact, query: str) -> None:
    assert name_matches(contact, query)


@pytest.mark.parametrize(
    ("contact", "query"),
    [
        (EMILIE, "emil"),  # a part of a word is the directory's business
        (HAWKEYE, "hawk"),
        (JEANNE, "jean"),
        (HAWKEYE, ""),
        (HAWKEYE, "?!"),
        (HAWKEYE, "hawkeye smith"),
    ],
)
def test_name_does_not_match(contact: Contact, query: str) -> None:
    assert not name_matches(contact, query)


def test_best_contacts_merges_duplicates_and_prefers_a_whole_name() -> None:
    same_peter = (
        Contact(first_name="Peter", last_name="Pan", number="1004", source="a"),
        Contact(first_name="peter", last_name="pan", number="1004", source="b"),
    )
    assert best_contacts(same_peter, "peter") == [same_peter[0]]
    # Another number is another contact.
    other = contact("Peter", "Pan", "2004")
    assert best_contacts((*same_peter, other), "peter") == [same_peter[0], other]
    # A whole name said: only the contacts of that name.
    found = (JEAN_DUPONT, JEAN_DUPONTEL, JEANNE)
    assert best_contacts(found, "jean dupont") == [JEAN_DUPONT]
    assert best_contacts(found, "Dupontel Jean") == [JEAN_DUPONTEL]
    assert best_contacts(found, "jean") == list(found)
    assert best_contacts((), "jean") == []


def test_a_full_name_column_is_matched_in_either_order() -> None:
    """A directory with one name column: its words, in order or reversed, are exact."""
    dupont = Contact(full_name="DUPONT Jean", number="1005")
    dupontel = Contact(full_name="Jean Dupontel", number="1009")
    assert name_matches(dupont, "jean")
    assert name_matches(dupont, "Jean Dupont")
    assert not name_matches(dupont, "jean dupontel")
    assert best_contacts((dupont, dupontel), "jean dupont") == [dupont]
    assert best_contacts((dupont, dupontel), "dupont jean") == [dupont]
    assert best_contacts((dupont, dupontel), "jean") == [dupont, dupontel]


def test_matching_favorites() -> None:
    favorites = (EMILIE, HAWKEYE, JEAN_DUPONT, JEAN_DUPONTEL, JEANNE)
    assert matching_favorites(favorites, "hawkeye") == [HAWKEYE]
    assert matching_favorites(favorites, "jean") == [JEAN_DUPONT, JEAN_DUPONTEL]
    assert matching_favorites(favorites, "jean dupont") == [JEAN_DUPONT]
    assert matching_favorites(iter(favorites), "zorro") == []


@pytest.mark.parametrize(
    ("contact", "name"),
    [
        (HAWKEYE, "Hawkeye Pierce"),
        (contact("jean-pierre", "o'neil"), "Jean-Pierre O'Neil"),
        (contact("émilie", "lefèvre"), "Émilie Lefèvre"),
        (contact("Ronald", "McDonald"), "Ronald McDonald"),  # capitals are kept as is
        (contact("", "", "1002"), "1002"),
        (Contact(), ""),
    ],
)
def test_display_name(contact: Contact, name: str) -> None:
    assert display_name(contact) == name
