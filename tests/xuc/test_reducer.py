"""Behaviour of `apply_message`, one message type at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import (
    Call,
    Contact,
    Forward,
    PhoneState,
    Preference,
    Status,
    StatusAction,
    Voicemail,
    XucSnapshot,
)
from custom_components.xivo.xuc.reducer import (
    HANDLERS,
    PASSIVE_MESSAGE_TYPES,
    CallEvent,
    CallEventType,
    apply_message,
    favorite_key,
)


def apply(snapshot: XucSnapshot, msg_type: str, payload: Any) -> XucSnapshot:
    """Apply a message that must raise no call event."""
    new, events = apply_message(snapshot, msg_type, payload)
    assert events == ()
    return new


def apply_all(*messages: tuple[str, Any]) -> XucSnapshot:
    snapshot = XucSnapshot()
    for msg_type, payload in messages:
        snapshot, _ = apply_message(snapshot, msg_type, payload)
    return snapshot


# --- General --------------------------------------------------------------------------


def test_handlers_and_passive_types_are_disjoint() -> None:
    assert not set(HANDLERS) & PASSIVE_MESSAGE_TYPES


@pytest.mark.parametrize("msg_type", ["NoSuchMessage", "", "usersstatuses", "LoggedOn"])
def test_unknown_and_passive_types_change_nothing(msg_type: str) -> None:
    snapshot = apply_all(("UserConfigUpdate", {"fullName": "Alice"}))
    for payload in (None, 1, "x", [], {"status": "away"}):
        assert apply_message(snapshot, msg_type, payload) == (snapshot, ())
        assert apply_message(snapshot, msg_type, payload)[0] is snapshot


@pytest.mark.parametrize(
    ("msg_type", "payload"),
    [
        ("UserConfigUpdate", {"fullName": "Alice"}),
        ("UserConfigUpdate", {"fullName": None}),
        ("UsersStatuses", [{"name": "away", "longName": "Away"}]),
        ("CtiStatuses", [{"name": "away", "displayName": "Away", "status": 1}]),
        ("UserStatusUpdate", {"status": "away"}),
        ("UserPreference", {"K": {"value": "v", "value_type": "String"}}),
        ("Favorites", {"headers": ["Number"], "entries": [{"entry": ["1"]}]}),
        ("FavoriteUpdated", {"action": "Added", "contact_id": "1", "source": "s"}),
        ("FavoriteUpdated", {"action": "Removed", "contact_id": "9", "source": "s"}),
        ("PhoneHintStatusEvent", {"number": "1000", "status": 0}),
        ("PhoneStatusUpdate", {"status": 0}),
        ("VoiceMailStatusUpdate", {"newMessages": 1}),
        ("LineConfig", {"number": "1000"}),
        ("PhoneEvent", {"eventType": "EventRinging", "uniqueId": "1"}),
        ("PhoneEvent", {"eventType": "EventReleased", "uniqueId": "nope"}),
        ("CurrentCallsPhoneEvents", {"events": []}),
    ],
)
def test_a_repeated_message_returns_the_same_snapshot(
    msg_type: str, payload: Any
) -> None:
    once, _ = apply_message(XucSnapshot(), msg_type, payload)
    twice, events = apply_message(once, msg_type, payload)
    assert twice is once
    assert events == ()


def test_messages_never_mutate_the_payload() -> None:
    messages: list[tuple[str, Any]] = [
        ("UsersStatuses", [{"name": "a", "actions": [{"name": "enablednd"}]}]),
        ("UserConfigUpdate", {"fullName": "A", "x": None, "nested": {"a": [1]}}),
        ("UserPreference", [{"key": "K", "value": "v"}]),
        ("Favorites", {"headers": ["Number"], "entries": [{"entry": ["1"]}]}),
        (
            "CurrentCallsPhoneEvents",
            {"events": [{"eventType": "EventRinging", "uniqueId": "1"}]},
        ),
    ]
    for msg_type, payload in messages:
        before = copy.deepcopy(payload)
        apply_message(XucSnapshot(), msg_type, payload)
        assert payload == before


@pytest.mark.parametrize(
    ("msg_type", "payload"),
    [
        ("UsersStatuses", None),
        ("UsersStatuses", "away"),
        ("UsersStatuses", {"no": "list"}),
        ("CtiStatuses", 3),
        ("UserStatusUpdate", []),
        ("UserStatusUpdate", {}),
        ("UserStatusUpdate", {"status": None}),
        ("UserStatusUpdate", {"status": {"name": "away"}}),
        ("UserConfigUpdate", None),
        ("UserConfigUpdate", ["fullName"]),
        ("UserPreference", None),
        ("UserPreference", "true"),
        ("Favorites", []),
        ("Favorites", {"headers": "Number", "entries": []}),
        ("Favorites", {"headers": [], "entries": {}}),
        ("FavoriteUpdated", "Removed"),
        ("PhoneHintStatusEvent", {"number": "1000"}),
        ("PhoneHintStatusEvent", {"status": 0}),
        ("PhoneHintStatusEvent", {"number": "1000", "status": "busy"}),
        ("PhoneHintStatusEvent", {"number": "1000", "status": True}),
        ("PhoneHintStatusEvent", [1000, 0]),
        ("PhoneStatusUpdate", 0),
        ("VoiceMailStatusUpdate", [1, 2, 3]),
        ("LineConfig", "1000"),
        ("PhoneEvent", None),
        ("PhoneEvent", {"uniqueId": "1"}),
        ("PhoneEvent", {"eventType": "EventRinging"}),
        ("CurrentCallsPhoneEvents", []),
        ("CurrentCallsPhoneEvents", {}),
        ("CurrentCallsPhoneEvents", {"events": {"eventType": "EventRinging"}}),
        ("CurrentCallsPhoneEvents", {"events": [{"eventType": "EventRinging"}]}),
    ],
)
def test_wrong_shapes_raise_protocol_errors(msg_type: str, payload: Any) -> None:
    with pytest.raises(XucProtocolError):
        apply_message(XucSnapshot(), msg_type, payload)


# --- UserConfigUpdate -----------------------------------------------------------------

FULL_CONFIG = {
    "userId": 7,
    "fullName": "Alice Johnson",
    "mobileNumber": "0612345678",
    "agentId": 0,
    "voiceMailId": 12,
    "voiceMailEnabled": True,
    "naFwdEnabled": False,
    "naFwdDestination": "",
    "uncFwdEnabled": True,
    "uncFwdDestination": "0600000000",
    "busyFwdEnabled": False,
    "busyFwdDestination": "1002",
    "dndEnabled": False,
    "lineIds": [3],
}


def test_user_config_full_update() -> None:
    user = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG).user
    assert dict(user.fields) == FULL_CONFIG
    assert user.user_id == "7"
    assert user.full_name == "Alice Johnson"
    assert user.mobile_number == "0612345678"
    assert user.dnd is False
    assert user.unconditional_forward == Forward(True, "0600000000")
    assert user.no_answer_forward == Forward(False, "")
    assert user.busy_forward == Forward(False, "1002")
    assert user.fields["lineIds"] == [3]  # unknown keys are kept as they came


def test_user_config_partial_update_merges_and_nulls_never_overwrite() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG)
    # What the server sends after a DND change: everything else null.
    partial = dict.fromkeys(FULL_CONFIG) | {"dndEnabled": True}
    new = apply(snapshot, "UserConfigUpdate", partial)
    assert new is not snapshot
    assert new.user.dnd is True
    assert new.user.full_name == "Alice Johnson"
    assert new.user.unconditional_forward == Forward(True, "0600000000")
    assert dict(new.user.fields) == FULL_CONFIG | {"dndEnabled": True}
    # The previous snapshot is untouched.
    assert snapshot.user.dnd is False


def test_user_config_forward_update_and_new_keys() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG)
    new = apply(
        snapshot,
        "UserConfigUpdate",
        {
            "naFwdEnabled": True,
            "naFwdDestination": "0611111111",
            "fullName": None,
            "callRecording": "on",
        },
    )
    assert new.user.no_answer_forward == Forward(True, "0611111111")
    assert new.user.full_name == "Alice Johnson"
    assert new.user.fields["callRecording"] == "on"


def test_user_config_all_nulls_change_nothing() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG)
    assert apply(snapshot, "UserConfigUpdate", dict.fromkeys(FULL_CONFIG)) is snapshot
    assert apply(snapshot, "UserConfigUpdate", {}) is snapshot
    assert apply(snapshot, "UserConfigUpdate", {"dndEnabled": False}) is snapshot


def test_user_config_string_booleans_and_names() -> None:
    user = apply(
        XucSnapshot(),
        "UserConfigUpdate",
        {
            "dndEnabled": "true",
            "busyFwdEnabled": "False",
            "firstName": "Alice",
            "lastName": "Johnson",
        },
    ).user
    assert user.dnd is True
    assert user.busy_forward == Forward(False, "")
    assert user.full_name == "Alice Johnson"  # no fullName: first + last
    assert (
        apply(XucSnapshot(), "UserConfigUpdate", {"lastName": "J"}).user.full_name
        == "J"
    )
    assert (
        apply(XucSnapshot(), "UserConfigUpdate", {"fullName": ""}).user.full_name
        is None
    )
    empty = XucSnapshot().user
    assert empty.full_name is None
    assert empty.dnd is False
    assert empty.unconditional_forward == Forward()


def test_user_config_structured_values_are_not_text() -> None:
    user = apply(
        XucSnapshot(), "UserConfigUpdate", {"fullName": {"a": 1}, "mobileNumber": [1]}
    ).user
    assert user.full_name is None
    assert user.mobile_number is None


# --- UsersStatuses / CtiStatuses / UserStatusUpdate -----------------------------------

USERS_STATUSES = [
    {
        "name": "available",
        "color": "#08FD20",
        "longName": "Disponible",
        "actions": [{"name": "enablednd", "parameters": "false"}],
    },
    {
        "name": "donotdisturb",
        "color": "#D13224",
        "longName": "Ne pas déranger",
        "actions": [{"name": "enablednd", "parameters": "true"}],
    },
    {
        "name": "outtolunch",
        "color": "#6CA6FF",
        "longName": "Parti Manger",
        "actions": [{"name": "queuepause_all", "parameters": "true"}],
    },
]
CTI_STATUSES = [
    {"name": "available", "displayName": "Available", "status": 0},
    {"name": "donotdisturb", "displayName": "Do not disturb", "status": 1},
    {"name": "outtolunch", "displayName": "Lunch", "status": 1},
]


def test_users_statuses() -> None:
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    assert snapshot.statuses == (
        Status(
            "available",
            "Disponible",
            "#08FD20",
            None,
            (StatusAction("enablednd", "false"),),
        ),
        Status(
            "donotdisturb",
            "Ne pas déranger",
            "#D13224",
            None,
            (StatusAction("enablednd", "true"),),
        ),
        Status(
            "outtolunch",
            "Parti Manger",
            "#6CA6FF",
            None,
            (StatusAction("queuepause_all", "true"),),
        ),
    )
    assert snapshot.status is None  # no UserStatusUpdate yet


def test_cti_statuses_after_users_statuses_keep_colour_and_actions() -> None:
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    snapshot = apply(snapshot, "CtiStatuses", CTI_STATUSES)
    assert snapshot.statuses == (
        Status(
            "available",
            "Available",
            "#08FD20",
            0,
            (StatusAction("enablednd", "false"),),
        ),
        Status(
            "donotdisturb",
            "Do not disturb",
            "#D13224",
            1,
            (StatusAction("enablednd", "true"),),
        ),
        Status(
            "outtolunch",
            "Lunch",
            "#6CA6FF",
            1,
            (StatusAction("queuepause_all", "true"),),
        ),
    )


def test_users_statuses_after_cti_statuses_keep_category() -> None:
    snapshot = apply(XucSnapshot(), "CtiStatuses", CTI_STATUSES)
    snapshot = apply(snapshot, "UsersStatuses", USERS_STATUSES)
    assert [(s.name, s.label, s.color, s.category) for s in snapshot.statuses] == [
        ("available", "Disponible", "#08FD20", 0),
        ("donotdisturb", "Ne pas déranger", "#D13224", 1),
        ("outtolunch", "Parti Manger", "#6CA6FF", 1),
    ]
    assert snapshot.statuses[1].actions == (StatusAction("enablednd", "true"),)


def test_statuses_label_falls_back_to_previous_then_name() -> None:
    snapshot = apply(
        XucSnapshot(),
        "CtiStatuses",
        [{"name": "away"}, {"name": "gone", "displayName": ""}],
    )
    assert [(s.name, s.label) for s in snapshot.statuses] == [
        ("away", "away"),
        ("gone", "gone"),
    ]
    snapshot = apply(snapshot, "UsersStatuses", [{"name": "away", "longName": "Sorti"}])
    snapshot = apply(snapshot, "CtiStatuses", [{"name": "away", "color": None}])
    assert snapshot.statuses == (Status("away", "Sorti"),)


def test_statuses_skip_nameless_items_and_duplicates() -> None:
    snapshot = apply(
        XucSnapshot(),
        "UsersStatuses",
        [
            {"name": "a", "longName": "First"},
            {"name": "a", "longName": "Second"},
            {"longName": "no name"},
            {"name": None},
            {"name": ""},
            {"name": True},
            "b",
            None,
            {"name": 5, "status": "2", "actions": "enablednd"},
        ],
    )
    assert snapshot.statuses == (Status("a", "First"), Status("5", "5", None, 2, ()))


def test_statuses_in_an_object_and_malformed_actions() -> None:
    snapshot = apply(
        XucSnapshot(),
        "CtiStatuses",
        {
            "profile": "default",
            "statuses": [
                {
                    "name": "dnd",
                    "actions": [
                        {"name": "enablednd", "parameters": True},
                        {"parameters": "x"},
                        "queuepause_all",
                    ],
                }
            ],
        },
    )
    assert snapshot.statuses == (
        Status("dnd", "dnd", actions=(StatusAction("enablednd", ""),)),
    )
    assert snapshot.statuses[0].dnd is False


def test_statuses_replaced_by_empty_list() -> None:
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    assert apply(snapshot, "UsersStatuses", []).statuses == ()
    assert apply(XucSnapshot(), "UsersStatuses", []) == XucSnapshot()


@pytest.mark.parametrize(
    ("actions", "dnd"),
    [
        ((), None),
        ((StatusAction("queuepause_all", "true"),), None),
        ((StatusAction("enablednd", "true"),), True),
        ((StatusAction("enablednd", " TRUE "),), True),
        ((StatusAction("enablednd", "false"),), False),
        ((StatusAction("enablednd", ""),), False),
        (
            (StatusAction("queuepause_all", "true"), StatusAction("enablednd", "true")),
            True,
        ),
    ],
)
def test_status_dnd(actions: tuple[StatusAction, ...], dnd: bool | None) -> None:
    assert Status("s", "S", actions=actions).dnd is dnd


def test_user_status_update() -> None:
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    snapshot = apply(
        snapshot, "UserStatusUpdate", {"status": "donotdisturb", "userId": 7}
    )
    assert snapshot.status_name == "donotdisturb"
    assert snapshot.status is not None
    assert snapshot.status.label == "Ne pas déranger"
    assert snapshot.status.dnd is True
    assert apply(snapshot, "UserStatusUpdate", {"status": "donotdisturb"}) is snapshot
    # A status the list does not know: the name is kept, no Status is found.
    unknown = apply(snapshot, "UserStatusUpdate", {"status": "gone"})
    assert unknown.status_name == "gone"
    assert unknown.status is None
    # A status before its list: found once the list arrives.
    early = apply(XucSnapshot(), "UserStatusUpdate", {"status": "outtolunch"})
    assert early.status is None
    assert apply(early, "CtiStatuses", CTI_STATUSES).status == Status(
        "outtolunch", "Lunch", None, 1
    )


# --- UserPreference -------------------------------------------------------------------


def test_preferences_as_map() -> None:
    snapshot = apply(
        XucSnapshot(),
        "UserPreference",
        {
            "PREFERRED_DEVICE": {"value": "TypePhoneDevice", "value_type": "String"},
            "MOBILE_APP_INFO": {"value": "true", "value_type": "Boolean"},
            "NO_TYPE": {"value": "x"},
            "CAMEL": {"value": 3, "valueType": "Integer"},
            "BARE": "plain",
            "NULL": None,
            "NULL_VALUE": {"value": None, "value_type": "String"},
            "LIST_VALUE": {"value": [1], "value_type": "String"},
        },
    )
    assert dict(snapshot.preferences) == {
        "PREFERRED_DEVICE": Preference("PREFERRED_DEVICE", "TypePhoneDevice", "String"),
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "true", "Boolean"),
        "NO_TYPE": Preference("NO_TYPE", "x", "String"),
        "CAMEL": Preference("CAMEL", "3", "Integer"),
        "BARE": Preference("BARE", "plain", "String"),
    }


def test_preferences_as_list() -> None:
    snapshot = apply(
        XucSnapshot(),
        "UserPreference",
        [
            {
                "key": "PREFERRED_DEVICE",
                "value": "TypeDefaultDevice",
                "value_type": "String",
            },
            {"key": "MOBILE_APP_INFO", "value": "false", "value_type": "Boolean"},
            {"value": "no key"},
            {"key": "", "value": "empty key"},
            "junk",
        ],
    )
    assert dict(snapshot.preferences) == {
        "PREFERRED_DEVICE": Preference(
            "PREFERRED_DEVICE", "TypeDefaultDevice", "String"
        ),
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "false", "Boolean"),
    }


def test_preferences_as_single_object_update_one_key() -> None:
    snapshot = apply(
        XucSnapshot(),
        "UserPreference",
        {
            "PREFERRED_DEVICE": {"value": "TypePhoneDevice", "value_type": "String"},
            "MOBILE_APP_INFO": {"value": "true", "value_type": "Boolean"},
        },
    )
    snapshot = apply(
        snapshot,
        "UserPreference",
        {
            "key": "PREFERRED_DEVICE",
            "value": "TypeDefaultDevice",
            "value_type": "String",
        },
    )
    assert dict(snapshot.preferences) == {
        "PREFERRED_DEVICE": Preference(
            "PREFERRED_DEVICE", "TypeDefaultDevice", "String"
        ),
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "true", "Boolean"),
    }
    again = {
        "key": "PREFERRED_DEVICE",
        "value": "TypeDefaultDevice",
        "value_type": "String",
    }
    assert apply(snapshot, "UserPreference", again) is snapshot
    assert apply(snapshot, "UserPreference", {}) is snapshot
    assert apply(snapshot, "UserPreference", []) is snapshot


@pytest.mark.parametrize(
    "payload",
    [
        {"MOBILE_APP_INFO": {"value": True, "value_type": "Boolean"}},
        [{"key": "MOBILE_APP_INFO", "value": True, "value_type": "Boolean"}],
        {"key": "MOBILE_APP_INFO", "value": True, "value_type": "Boolean"},
    ],
)
def test_preference_with_a_json_boolean_value(payload: Any) -> None:
    snapshot = apply(XucSnapshot(), "UserPreference", payload)
    assert dict(snapshot.preferences) == {
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "true", "Boolean")
    }


# --- Favorites / FavoriteUpdated ------------------------------------------------------

FAVORITES = {
    "headers": ["Firstname", "Lastname", "Number", "Mobile", "Favorite"],
    "entries": [
        {
            "status": 0,
            "entry": ["hawkeye", "pierce", "1002", "0761187406", "true"],
            "contact_id": "12",
            "source": "internal",
            "favorite": True,
        },
        {
            "status": 8,
            "entry": ["peter", "pan", "1004", "", "true"],
            "contactId": 13,
            "source": "xivou",
        },
        {"status": -2, "entry": ["no", "id", "1005", "", "true"]},
    ],
}


def test_favorites_replace_the_list() -> None:
    snapshot = apply(XucSnapshot(), "Favorites", FAVORITES)
    assert list(snapshot.favorites) == ["internal/12", "xivou/13", "number/1005"]
    hawkeye = snapshot.favorites["internal/12"]
    assert hawkeye == Contact(
        first_name="hawkeye",
        last_name="pierce",
        number="1002",
        mobile="0761187406",
        favorite=True,
        status_code=0,
        contact_id="12",
        source="internal",
        fields={
            "Firstname": "hawkeye",
            "Lastname": "pierce",
            "Number": "1002",
            "Mobile": "0761187406",
            "Favorite": "true",
        },
    )
    assert favorite_key(hawkeye) == "internal/12"
    assert all(contact.favorite for contact in snapshot.favorites.values())
    assert (
        snapshot.contact_phone_state(snapshot.favorites["xivou/13"])
        is PhoneState.RINGING
    )
    # A new list replaces the old one entirely.
    smaller = {"headers": FAVORITES["headers"], "entries": FAVORITES["entries"][1:2]}
    replaced = apply(snapshot, "Favorites", smaller)
    assert list(replaced.favorites) == ["xivou/13"]
    assert apply(replaced, "Favorites", smaller) is replaced
    # An empty list is a real answer: the user has no favorites any more.
    assert (
        dict(apply(replaced, "Favorites", {"headers": [], "entries": []}).favorites)
        == {}
    )


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"headers": FAVORITES["headers"]},
        {"headers": FAVORITES["headers"], "entries": ["junk", None, 3]},
        {"headers": FAVORITES["headers"], "entries": [{"entry": None}, {}]},
    ],
)
def test_unreadable_favorites_erase_nothing(payload: dict[str, Any]) -> None:
    snapshot = apply(XucSnapshot(), "Favorites", FAVORITES)
    with pytest.raises(XucProtocolError):
        apply_message(snapshot, "Favorites", payload)
    # Unreadable rows next to readable ones are skipped.
    mixed = {**FAVORITES, "entries": ["junk", {"entry": None}, FAVORITES["entries"][0]]}
    assert list(apply(snapshot, "Favorites", mixed).favorites) == ["internal/12"]


def test_favorites_are_favorite_even_if_the_row_says_false() -> None:
    payload = {
        "headers": ["Number", "Favorite"],
        "entries": [{"entry": ["1", "false"], "favorite": False}],
    }
    snapshot = apply(XucSnapshot(), "Favorites", payload)
    assert snapshot.favorites["number/1"].favorite is True


def test_favorite_removed_removes() -> None:
    snapshot = apply(XucSnapshot(), "Favorites", FAVORITES)
    removed = apply(
        snapshot,
        "FavoriteUpdated",
        {"action": "Removed", "contact_id": "12", "source": "internal"},
    )
    assert list(removed.favorites) == ["xivou/13", "number/1005"]
    # camelCase id and numeric id are accepted too.
    removed = apply(
        removed,
        "FavoriteUpdated",
        {"action": "Removed", "contactId": 13, "source": "xivou"},
    )
    assert list(removed.favorites) == ["number/1005"]
    assert list(snapshot.favorites) == ["internal/12", "xivou/13", "number/1005"]


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "Added", "contact_id": "99", "source": "internal"},
        {"action": "Added", "contact_id": "12", "source": "internal"},
        {"action": "Failed", "contact_id": "12", "source": "internal"},
        {"action": "Removed", "contact_id": "12", "source": "other"},
        {"action": "Removed", "contact_id": "99", "source": "internal"},
        {"action": "Removed"},
        {},
    ],
)
def test_favorite_updated_that_changes_nothing(payload: dict[str, Any]) -> None:
    snapshot = apply(XucSnapshot(), "Favorites", FAVORITES)
    assert apply(snapshot, "FavoriteUpdated", payload) is snapshot


# --- PhoneHintStatusEvent / PhoneStatusUpdate / LineConfig ----------------------------


def test_phone_hints() -> None:
    contact = Contact(number="1002", status_code=0)
    snapshot = XucSnapshot()
    assert snapshot.contact_phone_state(contact) is PhoneState.AVAILABLE
    snapshot = apply(snapshot, "PhoneHintStatusEvent", {"number": "1002", "status": 8})
    assert dict(snapshot.phone_hints) == {"1002": 8}
    assert snapshot.contact_phone_state(contact) is PhoneState.RINGING
    assert (
        apply(snapshot, "PhoneHintStatusEvent", {"number": "1002", "status": 8})
        is snapshot
    )
    # A numeric string is accepted, and a numeric number too.
    snapshot = apply(
        snapshot, "PhoneHintStatusEvent", {"number": "1002", "status": "16"}
    )
    assert snapshot.phone_hints["1002"] == 16
    assert snapshot.contact_phone_state(contact) is PhoneState.ON_HOLD
    snapshot = apply(
        snapshot, "PhoneHintStatusEvent", {"number": 1003, "status": " -1 "}
    )
    assert snapshot.phone_hints["1003"] == -1
    assert (
        snapshot.contact_phone_state(Contact(number="1003")) is PhoneState.DEACTIVATED
    )


@pytest.mark.parametrize("code", [-2, -99, 3, 32, 1000])
def test_unknown_phone_hint_codes_are_kept_without_a_state(code: int) -> None:
    snapshot = apply(
        XucSnapshot(), "PhoneHintStatusEvent", {"number": "1002", "status": code}
    )
    assert snapshot.phone_hints == {"1002": code}
    assert snapshot.contact_phone_state(Contact(number="1002", status_code=0)) is None


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (0, PhoneState.AVAILABLE),
        (1, PhoneState.CALLING),
        (2, PhoneState.BUSY),
        (4, PhoneState.NOT_AVAILABLE),
        (8, PhoneState.RINGING),
        (9, PhoneState.BUSY_AND_RINGING),
        (16, PhoneState.ON_HOLD),
        (-1, PhoneState.DEACTIVATED),
        ("0", PhoneState.AVAILABLE),
        (" 8 ", PhoneState.RINGING),
        ("-1", PhoneState.DEACTIVATED),
        ("AVAILABLE", PhoneState.AVAILABLE),
        ("INDISPONIBLE", PhoneState.NOT_AVAILABLE),
        ("indisponible", PhoneState.NOT_AVAILABLE),
        ("ONHOLD", PhoneState.ON_HOLD),
        ("BUSY_AND_RINGING", PhoneState.BUSY_AND_RINGING),
        ("on_hold", PhoneState.ON_HOLD),
        ("not_available", PhoneState.NOT_AVAILABLE),
        (-2, None),
        (-99, None),
        (3, None),
        ("UNEXISTING", None),
        ("", None),
        (True, None),
        (None, None),
        (1.0, None),
        ([0], None),
    ],
)
def test_phone_status_update(status: Any, state: PhoneState | None) -> None:
    start = apply(XucSnapshot(), "PhoneStatusUpdate", {"status": 2})
    assert start.own_phone_status is PhoneState.BUSY
    new = apply(start, "PhoneStatusUpdate", {"status": status})
    assert new.own_phone_status is state
    assert new.own_phone_state is state
    if state is PhoneState.BUSY:
        assert new is start


def test_voicemail() -> None:
    snapshot = XucSnapshot()
    assert snapshot.voicemail is None
    snapshot = apply(
        snapshot,
        "VoiceMailStatusUpdate",
        {"voiceMailId": 12, "newMessages": 2, "waitingMessages": "1", "oldMessages": 5},
    )
    assert snapshot.voicemail == Voicemail(new=2, waiting=1, old=5)
    assert (
        apply(
            snapshot,
            "VoiceMailStatusUpdate",
            {"newMessages": 2, "waitingMessages": 1, "oldMessages": 5},
        )
        is snapshot
    )
    assert apply(snapshot, "VoiceMailStatusUpdate", {}).voicemail == Voicemail(0, 0, 0)
    odd = apply(
        snapshot,
        "VoiceMailStatusUpdate",
        {"newMessages": -3, "waitingMessages": True, "oldMessages": "many"},
    )
    assert odd.voicemail == Voicemail(0, 0, 0)


def test_line_config_and_own_phone_state_priority() -> None:
    snapshot = apply(XucSnapshot(), "PhoneStatusUpdate", {"status": "AVAILABLE"})
    assert snapshot.own_phone_state is PhoneState.AVAILABLE
    snapshot = apply(
        snapshot, "LineConfig", {"id": 3, "number": 1000, "context": "default"}
    )
    assert snapshot.line_number == "1000"
    assert apply(snapshot, "LineConfig", {"number": "1000"}) is snapshot
    assert apply(snapshot, "LineConfig", {"number": None}) is snapshot
    assert apply(snapshot, "LineConfig", {}) is snapshot
    # No hint for the line yet: the PhoneStatusUpdate state.
    assert snapshot.own_phone_state is PhoneState.AVAILABLE
    # A hint on another number does not matter.
    snapshot = apply(snapshot, "PhoneHintStatusEvent", {"number": "1002", "status": 8})
    assert snapshot.own_phone_state is PhoneState.AVAILABLE
    # A hint on the own line wins over PhoneStatusUpdate.
    snapshot = apply(snapshot, "PhoneHintStatusEvent", {"number": "1000", "status": 1})
    assert snapshot.own_phone_state is PhoneState.CALLING
    snapshot = apply(snapshot, "PhoneStatusUpdate", {"status": "RINGING"})
    assert snapshot.own_phone_status is PhoneState.RINGING
    assert snapshot.own_phone_state is PhoneState.CALLING
    # ... even a hint with no state.
    snapshot = apply(snapshot, "PhoneHintStatusEvent", {"number": "1000", "status": -2})
    assert snapshot.own_phone_state is None
    # Without a line number, hints are not looked at.
    no_line = apply(
        XucSnapshot(), "PhoneHintStatusEvent", {"number": "1000", "status": 8}
    )
    assert no_line.own_phone_state is None


# --- Integer parsing of odd numeric strings -------------------------------------------
# str.isdigit() accepts what int() refuses ("²", "--1", more than 4300 digits): these
# must give XucProtocolError or a default, never a ValueError out of apply_message.
ODD_NUMERIC_STRINGS = ["--1", "²", "-²", "1" * 5000]


@pytest.mark.parametrize("text", ODD_NUMERIC_STRINGS)
def test_phone_hint_with_an_odd_numeric_string(text: str) -> None:
    with pytest.raises(XucProtocolError):
        apply_message(
            XucSnapshot(), "PhoneHintStatusEvent", {"number": "1000", "status": text}
        )


@pytest.mark.parametrize("text", ODD_NUMERIC_STRINGS)
def test_voicemail_with_an_odd_numeric_string(text: str) -> None:
    snapshot = apply(XucSnapshot(), "VoiceMailStatusUpdate", {"newMessages": text})
    assert snapshot.voicemail == Voicemail(0, 0, 0)


@pytest.mark.parametrize("text", ODD_NUMERIC_STRINGS)
def test_status_category_with_an_odd_numeric_string(text: str) -> None:
    snapshot = apply(XucSnapshot(), "CtiStatuses", [{"name": "away", "status": text}])
    assert snapshot.statuses == (Status("away", "away"),)


@pytest.mark.parametrize("text", ODD_NUMERIC_STRINGS)
def test_phone_status_update_with_an_odd_numeric_string(text: str) -> None:
    snapshot = apply(XucSnapshot(), "PhoneStatusUpdate", {"status": text})
    assert snapshot.own_phone_status is None


@pytest.mark.parametrize("text", ODD_NUMERIC_STRINGS)
def test_favorite_status_with_an_odd_numeric_string(text: str) -> None:
    payload = {"headers": ["Number"], "entries": [{"entry": ["1002"], "status": text}]}
    snapshot = apply(XucSnapshot(), "Favorites", payload)
    assert snapshot.favorites["number/1002"].status_code is None


# --- PhoneEvent / CurrentCallsPhoneEvents ---------------------------------------------


def phone_event(
    event_type: str, unique_id: str = "1.1", **extra: Any
) -> dict[str, Any]:
    return {
        "eventType": event_type,
        "DN": "1000",
        "uniqueId": unique_id,
        "linkedId": unique_id,
        **extra,
    }


def step(
    snapshot: XucSnapshot, payload: dict[str, Any]
) -> tuple[XucSnapshot, list[CallEventType]]:
    new, events = apply_message(snapshot, "PhoneEvent", payload)
    for event in events:
        assert isinstance(event, CallEvent)
    return new, [event.type for event in events]


def test_incoming_answered_ended() -> None:
    snapshot, kinds = step(
        XucSnapshot(),
        phone_event("EventRinging", otherDN="0427466347", otherDName="Bruce"),
    )
    assert kinds == [CallEventType.INCOMING]
    assert snapshot.calls["1.1"] == Call(
        "1.1", "ringing", "Incoming", "0427466347", "Bruce", "1.1", False
    )
    snapshot, kinds = step(snapshot, phone_event("EventEstablished"))
    assert kinds == [CallEventType.ANSWERED]
    call = snapshot.calls["1.1"]
    assert (call.state, call.answered, call.other_number, call.other_name) == (
        "established",
        True,
        "0427466347",
        "Bruce",
    )
    same, kinds = step(snapshot, phone_event("EventEstablished"))
    assert same is snapshot
    assert kinds == []
    ended, events = apply_message(snapshot, "PhoneEvent", phone_event("EventReleased"))
    assert [event.type for event in events] == [CallEventType.ENDED]
    assert events[0].call == replace_call(call, state="released")
    assert dict(ended.calls) == {}


def replace_call(call: Call, **changes: Any) -> Call:
    fields = {
        "unique_id": call.unique_id,
        "state": call.state,
        "direction": call.direction,
        "other_number": call.other_number,
        "other_name": call.other_name,
        "linked_id": call.linked_id,
        "answered": call.answered,
    }
    return Call(**(fields | changes))


def test_incoming_released_is_missed() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventRinging", otherDN="0600"))
    assert kinds == [CallEventType.INCOMING]
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.MISSED]
    assert dict(snapshot.calls) == {}


def test_outgoing_released_is_ended_not_missed() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventDialing", otherDN="3000"))
    assert kinds == [CallEventType.OUTGOING]
    assert snapshot.calls["1.1"].state == "dialing"
    assert snapshot.calls["1.1"].direction == "Outgoing"
    # The far end rings: still the same outgoing call, no new event.
    snapshot, kinds = step(snapshot, phone_event("EventRinging"))
    assert kinds == []
    assert snapshot.calls["1.1"].direction == "Outgoing"
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_call_direction_from_the_wire() -> None:
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventRinging", callDirection="Outgoing")
    )
    assert kinds == [CallEventType.OUTGOING]
    _, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventDialing", callDirection="Incoming")
    )
    assert kinds == [CallEventType.INCOMING]


def test_on_hold() -> None:
    snapshot, _ = step(XucSnapshot(), phone_event("EventRinging"))
    snapshot, _ = step(snapshot, phone_event("EventEstablished"))
    snapshot, kinds = step(snapshot, phone_event("EventOnHold"))
    assert kinds == [CallEventType.ON_HOLD]
    assert snapshot.calls["1.1"].state == "on_hold"
    same, kinds = step(snapshot, phone_event("EventOnHold"))
    assert same is snapshot
    assert kinds == []
    # Taken back: established again, not answered a second time.
    snapshot, kinds = step(snapshot, phone_event("EventEstablished"))
    assert kinds == []
    assert snapshot.calls["1.1"].state == "established"
    snapshot, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_two_simultaneous_calls_are_tracked_apart() -> None:
    snapshot, kinds = step(
        XucSnapshot(), phone_event("EventRinging", "A", otherDN="111")
    )
    assert kinds == [CallEventType.INCOMING]
    snapshot, _ = step(snapshot, phone_event("EventEstablished", "A"))
    snapshot, kinds = step(snapshot, phone_event("EventRinging", "B", otherDN="222"))
    assert kinds == [CallEventType.INCOMING]
    assert set(snapshot.calls) == {"A", "B"}
    assert snapshot.calls["A"].state == "established"
    assert snapshot.calls["B"].state == "ringing"
    snapshot, kinds = step(snapshot, phone_event("EventOnHold", "A"))
    assert kinds == [CallEventType.ON_HOLD]
    snapshot, kinds = step(snapshot, phone_event("EventReleased", "B"))
    assert kinds == [CallEventType.MISSED]
    assert set(snapshot.calls) == {"A"}
    assert snapshot.calls["A"].other_number == "111"
    snapshot, kinds = step(snapshot, phone_event("EventReleased", "A"))
    assert kinds == [CallEventType.ENDED]
    assert dict(snapshot.calls) == {}


def test_phone_events_that_change_nothing() -> None:
    # Released for a call never seen, and unknown event types, are ignored.
    snapshot = XucSnapshot()
    for payload in (phone_event("EventReleased"), phone_event("EventTransfer")):
        new, kinds = step(snapshot, payload)
        assert new is snapshot
        assert kinds == []
    snapshot, _ = step(snapshot, phone_event("EventRinging"))
    new, kinds = step(snapshot, phone_event("EventSomethingNew"))
    assert new is snapshot
    assert kinds == []


def test_phone_event_keys_on_linked_id_without_unique_id() -> None:
    snapshot, kinds = step(
        XucSnapshot(), {"eventType": "EventRinging", "linkedId": "L"}
    )
    assert kinds == [CallEventType.INCOMING]
    assert snapshot.calls["L"].linked_id == "L"


def test_phone_event_keeps_numbers_it_already_knows() -> None:
    snapshot, _ = step(
        XucSnapshot(), phone_event("EventRinging", otherDN="0600", otherDName="Bob")
    )
    snapshot, _ = step(
        snapshot, phone_event("EventEstablished", otherDN="", otherDName=None)
    )
    assert (snapshot.calls["1.1"].other_number, snapshot.calls["1.1"].other_name) == (
        "0600",
        "Bob",
    )
    snapshot, _ = step(snapshot, phone_event("EventEstablished", otherDN="0700"))
    assert snapshot.calls["1.1"].other_number == "0700"


def test_answered_without_ringing_first() -> None:
    snapshot, kinds = step(XucSnapshot(), phone_event("EventEstablished"))
    assert kinds == [CallEventType.ANSWERED]
    assert snapshot.calls["1.1"].answered is True
    _, kinds = step(snapshot, phone_event("EventReleased"))
    assert kinds == [CallEventType.ENDED]


def test_current_calls_rebuild_without_events() -> None:
    snapshot, _ = step(XucSnapshot(), phone_event("EventRinging", "old"))
    payload = {
        "events": [
            phone_event("EventRinging", "A", otherDN="111"),
            phone_event("EventEstablished", "A"),
            phone_event("EventDialing", "B", otherDN="222"),
            phone_event("EventRinging", "C"),
            phone_event("EventReleased", "C"),
            phone_event("EventOnHold", "D"),
            "junk",
            None,
        ]
    }
    rebuilt, events = apply_message(snapshot, "CurrentCallsPhoneEvents", payload)
    assert events == ()
    assert set(rebuilt.calls) == {"A", "B", "D"}  # "old" is gone, "C" ended
    assert rebuilt.calls["A"] == Call(
        "A", "established", "Incoming", "111", None, "A", True
    )
    assert rebuilt.calls["B"] == Call(
        "B", "dialing", "Outgoing", "222", None, "B", False
    )
    assert rebuilt.calls["D"].state == "on_hold"
    assert "old" in snapshot.calls  # the input is untouched
    again, events = apply_message(rebuilt, "CurrentCallsPhoneEvents", payload)
    assert again is rebuilt
    assert events == ()
    empty, events = apply_message(rebuilt, "CurrentCallsPhoneEvents", {"events": []})
    assert dict(empty.calls) == {}
    assert events == ()
    assert apply_message(empty, "CurrentCallsPhoneEvents", {"events": []})[0] is empty


@pytest.mark.parametrize(
    "payload",
    [
        {"eventType": "EventRinging", "linkedId": ""},
        {"eventType": "EventRinging", "uniqueId": None, "linkedId": ""},
        {"eventType": "EventDialing", "uniqueId": "", "linkedId": ""},
    ],
)
def test_phone_event_with_no_usable_id(payload: dict[str, Any]) -> None:
    with pytest.raises(XucProtocolError):
        apply_message(XucSnapshot(), "PhoneEvent", payload)
