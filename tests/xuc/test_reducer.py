"""Behaviour of `apply_message`, one message type at a time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from custom_components.xivo.xuc.exceptions import XucProtocolError
from custom_components.xivo.xuc.models import (
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
    payloads: tuple[Any, ...] = (None, 1, "x", [], {"status": "away"})
    for payload in payloads:
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
        ("LineConfig", {"id": "3"}),
        ("LineConfig", {"id": "-"}),
        ("UserStatusUpdate", {"status": None}),
        ("UsersStatuses", []),
        ("UserConfigUpdate", {"uncFwdEnabled": True, "uncFwdDestination": None}),
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
        ("UserStatusUpdate", {"status": {"name": "away"}}),
        ("UserStatusUpdate", {"status": ["away"]}),
        ("UserStatusUpdate", {"status": True}),
        ("UsersStatuses", [{"longName": "no name"}, "away", None]),
        ("CtiStatuses", {"statuses": [{"name": ""}, {"name": None}]}),
        ("UserConfigUpdate", None),
        ("UserConfigUpdate", ["fullName"]),
        ("UserPreference", None),
        ("UserPreference", "true"),
        ("UserPreference", [{"value": "no key"}, "junk", {"key": "", "value": "x"}]),
        ("UserPreference", {"K": None, "L": {"value": None}, "M": {"value": [1]}}),
        ("UserPreference", {"key": "K", "value": None}),
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
        ("CurrentCallsPhoneEvents", {"events": ["junk", {"uniqueId": "1"}]}),
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


# What CTID builds for a DND change (G1): every forward `false`, every destination null.
DND_ONLY = dict.fromkeys(FULL_CONFIG) | {
    "naFwdEnabled": False,
    "uncFwdEnabled": False,
    "busyFwdEnabled": False,
    "dndEnabled": True,
}


def test_a_dnd_update_leaves_every_forward_as_it_was() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG)
    new = apply(snapshot, "UserConfigUpdate", DND_ONLY)
    assert new.user.dnd is True
    assert new.user.unconditional_forward == Forward(True, "0600000000")
    assert new.user.busy_forward == Forward(False, "1002")
    assert dict(new.user.fields) == FULL_CONFIG | {"dndEnabled": True}
    # And DND off again the same way.
    off = apply(new, "UserConfigUpdate", DND_ONLY | {"dndEnabled": False})
    assert off.user.dnd is False
    assert off.user.unconditional_forward == Forward(True, "0600000000")


def test_a_forward_is_applied_only_with_its_destination() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", FULL_CONFIG)
    # The unconditional forward turned off: its own destination comes with it.
    new = apply(
        snapshot,
        "UserConfigUpdate",
        DND_ONLY
        | {
            "dndEnabled": False,
            "uncFwdEnabled": False,
            "uncFwdDestination": "0600000000",
        },
    )
    assert new.user.unconditional_forward == Forward(False, "0600000000")
    assert new.user.busy_forward == Forward(False, "1002")
    assert new.user.dnd is False
    # An empty destination is a destination (the forward was cleared).
    cleared = apply(
        new,
        "UserConfigUpdate",
        {"busyFwdEnabled": True, "busyFwdDestination": ""},
    )
    assert cleared.user.busy_forward == Forward(True, "")
    # A destination without its flag changes the destination only.
    moved = apply(cleared, "UserConfigUpdate", {"naFwdDestination": "0700"})
    assert moved.user.no_answer_forward == Forward(False, "0700")
    moved = apply(
        moved, "UserConfigUpdate", {"naFwdEnabled": None, "naFwdDestination": "0800"}
    )
    assert moved.user.no_answer_forward == Forward(False, "0800")


@pytest.mark.parametrize("kind", ["na", "unc", "busy"])
def test_a_forward_never_reported_with_a_destination_shows_off(kind: str) -> None:
    for enabled in (True, "true", 1):
        for payload in (
            {f"{kind}FwdEnabled": enabled},
            {f"{kind}FwdEnabled": enabled, f"{kind}FwdDestination": None},
        ):
            user = apply(XucSnapshot(), "UserConfigUpdate", payload).user
            assert f"{kind}FwdEnabled" not in user.fields
            for forward in (
                user.unconditional_forward,
                user.no_answer_forward,
                user.busy_forward,
            ):
                assert forward == Forward(False, "")


def test_dnd_is_applied_whenever_it_is_not_null() -> None:
    snapshot = apply(XucSnapshot(), "UserConfigUpdate", {"dndEnabled": True})
    assert snapshot.user.dnd is True
    assert apply(snapshot, "UserConfigUpdate", {"dndEnabled": None}) is snapshot
    assert apply(snapshot, "UserConfigUpdate", {"dndEnabled": False}).user.dnd is False
    assert (
        apply(snapshot, "UserConfigUpdate", {"dndEnabled": "false"}).user.dnd is False
    )


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


@pytest.mark.parametrize("msg_type", ["UsersStatuses", "CtiStatuses"])
def test_an_empty_statuses_list_is_ignored(msg_type: str) -> None:
    """The presence select needs options: an empty list does not erase them."""
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    payloads: tuple[Any, ...] = ([], {"statuses": []})
    for payload in payloads:
        assert apply(snapshot, msg_type, payload) is snapshot
    assert apply(XucSnapshot(), msg_type, []) == XucSnapshot()


@pytest.mark.parametrize("msg_type", ["UsersStatuses", "CtiStatuses"])
def test_unreadable_statuses_erase_nothing(msg_type: str) -> None:
    snapshot = apply(XucSnapshot(), "UsersStatuses", USERS_STATUSES)
    for payload in ([{"longName": "x"}], ["away"], {"statuses": [None, {"name": ""}]}):
        with pytest.raises(XucProtocolError, match="no status with a name"):
            apply_message(snapshot, msg_type, payload)


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
    # A null or empty status is ignored (G9), not taken as "no status".
    for payload in ({"status": None}, {"status": ""}, {"status": None, "userId": 7}):
        assert apply(snapshot, "UserStatusUpdate", payload) is snapshot
    assert apply(XucSnapshot(), "UserStatusUpdate", {"status": None}) == XucSnapshot()
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

FAVORITES: dict[str, Any] = {
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
    assert (snapshot.line_number, snapshot.line_id, snapshot.has_line) == (
        "1000",
        "3",
        True,
    )
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


# What real servers send (G6): the line's id and SIP peer, no number.
REAL_LINE = {
    "id": 3,
    "name": "ihvbur",
    "xivoIp": "10.0.0.1",
    "webRtc": False,
    "hasDevice": True,
}


def test_line_config_without_a_number() -> None:
    snapshot = XucSnapshot()
    assert snapshot.has_line is None  # no LineConfig yet
    snapshot = apply(snapshot, "LineConfig", REAL_LINE)
    assert (snapshot.line_id, snapshot.line_number, snapshot.has_line) == (
        "3",
        None,
        True,
    )
    assert snapshot.own_number is None
    # The number the user configured stands in for the line's.
    configured = snapshot.evolve(phone_number="1000")
    assert configured.own_number == "1000"
    configured = apply(
        configured, "PhoneHintStatusEvent", {"number": "1000", "status": 8}
    )
    assert configured.own_phone_state is PhoneState.RINGING
    # Applying the same LineConfig again keeps the configured number.
    assert apply(configured, "LineConfig", REAL_LINE) is configured


def test_line_config_of_a_user_without_a_line() -> None:
    snapshot = apply(XucSnapshot(), "LineConfig", {"id": "-"})
    assert (snapshot.line_id, snapshot.has_line, snapshot.line_number) == (
        "-",
        False,
        None,
    )
    # A user whose line was removed: the old line's number goes with it.
    had_one = apply(XucSnapshot(), "LineConfig", {"id": 3, "number": "1000"})
    gone = apply(had_one, "LineConfig", {"id": "-"})
    assert (gone.has_line, gone.line_number) == (False, None)
    assert gone.evolve(phone_number="1001").own_number == "1001"


def test_line_config_keeps_the_number_of_the_same_line_only() -> None:
    snapshot = apply(XucSnapshot(), "LineConfig", {"id": 3, "number": "1000"})
    # The same line told again without its number: the number stays.
    assert apply(snapshot, "LineConfig", {"id": "3"}) is snapshot
    assert apply(snapshot, "LineConfig", {"id": None, "name": "x"}) is snapshot
    # Another line without its number: the old number is not its number.
    other = apply(snapshot, "LineConfig", {"id": 4})
    assert (other.line_id, other.line_number) == ("4", None)
    # A number learnt before any id stays when the id comes.
    early = apply(XucSnapshot(), "LineConfig", {"number": "1000"})
    assert early.has_line is True
    later = apply(early, "LineConfig", {"id": 3})
    assert (later.line_id, later.line_number) == ("3", "1000")


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


def test_a_favorites_answer_is_marked_received_even_when_empty() -> None:
    """An empty list is a real answer: the user has no favorite (and did not say so yet)."""
    assert not XucSnapshot().favorites_received
    snapshot, _events = apply_message(
        XucSnapshot(), "Favorites", {"headers": [], "entries": []}
    )
    assert snapshot.favorites_received
    assert dict(snapshot.favorites) == {}
    again, _events = apply_message(
        snapshot, "Favorites", {"headers": [], "entries": []}
    )
    assert again is snapshot
