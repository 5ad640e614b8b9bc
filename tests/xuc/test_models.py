"""The models' own logic: snapshot copies, the own line, call identity, contact names."""

from __future__ import annotations

from dataclasses import fields
from types import MappingProxyType

import pytest

from custom_components.xivo.xuc.models import (
    Call,
    Contact,
    PhoneState,
    Voicemail,
    XucSnapshot,
)


def test_evolve_changes_only_what_it_is_told() -> None:
    start = XucSnapshot(line_number="1000", voicemail=Voicemail(1, 0, 0))
    new = start.evolve(status_name="away", phone_number="0612")
    assert new is not start
    assert (new.status_name, new.phone_number) == ("away", "0612")
    for field in fields(XucSnapshot):
        if field.name not in {"status_name", "phone_number"}:
            assert getattr(new, field.name) is getattr(start, field.name)
    # The original is untouched, the copy is as frozen as it.
    assert (start.status_name, start.phone_number) == (None, None)
    with pytest.raises(AttributeError):
        new.status_name = "x"  # type: ignore[misc]
    assert start.evolve() == start


def test_evolve_refuses_unknown_fields_and_changes_nothing_then() -> None:
    start = XucSnapshot()
    with pytest.raises(TypeError, match="no_such_field"):
        start.evolve(status_name="away", no_such_field=1)
    assert start.status_name is None


def test_evolve_sets_every_field() -> None:
    values = {field.name: object() for field in fields(XucSnapshot)}  # distinct markers
    new = XucSnapshot().evolve(**values)
    assert all(getattr(new, name) is value for name, value in values.items())


@pytest.mark.parametrize(
    ("line_id", "line_number", "has_line"),
    [
        (None, None, None),  # no LineConfig yet
        (None, "1000", True),  # a LineConfig with a number but no id
        ("3", None, True),  # a real server: an id, no number (G6)
        ("3", "1000", True),
        ("-", None, False),  # the user has no line
    ],
)
def test_has_line(
    line_id: str | None, line_number: str | None, has_line: bool | None
) -> None:
    snapshot = XucSnapshot(line_id=line_id, line_number=line_number)
    assert snapshot.has_line is has_line


def test_own_number_is_the_line_s_else_the_configured_one() -> None:
    assert XucSnapshot().own_number is None
    assert XucSnapshot(phone_number="1001").own_number == "1001"
    assert XucSnapshot(line_number="1000").own_number == "1000"
    assert XucSnapshot(line_number="1000", phone_number="1001").own_number == "1000"


def test_own_phone_state_follows_the_own_number_s_hint() -> None:
    hints = MappingProxyType({"1000": 8, "1001": 1})
    base = XucSnapshot(phone_hints=hints, own_phone_status=PhoneState.AVAILABLE)
    # Neither number known: the PhoneStatusUpdate state.
    assert base.own_phone_state is PhoneState.AVAILABLE
    # A LineConfig without number, a configured number: its hint.
    configured = base.evolve(line_id="3", phone_number="1001")
    assert configured.own_phone_state is PhoneState.CALLING
    # The line's number wins over the configured one.
    assert configured.evolve(line_number="1000").own_phone_state is PhoneState.RINGING
    # A number without a hint: the PhoneStatusUpdate state again.
    assert base.evolve(phone_number="1009").own_phone_state is PhoneState.AVAILABLE


def test_call_key_is_the_linked_id_else_the_unique_id() -> None:
    assert Call("U1", "ringing", linked_id="L").key == "L"
    assert Call("U1", "ringing").key == "U1"
    assert Call("U1", "ringing", linked_id="").key == "U1"
    call = Call("U1", "ringing")
    assert call.queue_name is None
    assert dict(call.user_data) == {}


@pytest.mark.parametrize(
    ("contact", "name"),
    [
        (Contact(full_name="Hawkeye Pierce"), "Hawkeye Pierce"),
        (
            Contact(first_name="hawkeye", last_name="pierce", full_name="H. Pierce"),
            "H. Pierce",
        ),
        (Contact(first_name="hawkeye", last_name="pierce"), "hawkeye pierce"),
        (Contact(last_name="pierce"), "pierce"),
        (Contact(first_name="hawkeye"), "hawkeye"),
        (Contact(), ""),
    ],
)
def test_contact_name(contact: Contact, name: str) -> None:
    assert contact.name == name
