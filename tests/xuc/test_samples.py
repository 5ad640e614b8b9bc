"""The protocol samples in tests/fixtures (xuc-samples, seed) parse to the right models.

The real frames live in `tests/fixtures/` (provenance in its README), so a plain clone
runs every check here. Each sample is also embedded below as a literal: the literals pin
the files (a fixture edited by mistake fails `test_embedded_samples_match_the_files`), and
every check runs on both, the literal and the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.xivo.xuc.directory import parse_directory
from custom_components.xivo.xuc.models import (
    Call,
    Contact,
    PhoneState,
    Preference,
    Status,
    StatusAction,
    XucSnapshot,
)
from custom_components.xivo.xuc.reducer import (
    PASSIVE_MESSAGE_TYPES,
    CallEvent,
    CallEventType,
    apply_message,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES_DIR = FIXTURES / "xuc-samples"
SEED_FILE = FIXTURES / "seed" / "xuc-user-api.txt"

# --- tests/fixtures/xuc-samples/*.json, verbatim --------------------------------------

SAMPLE_FILES: dict[str, Any] = {
    "DirectoryResult.json": {
        "msgType": "DirectoryResult",
        "ctiMessage": {
            "entries": [
                {
                    "status": 0,
                    "entry": ["hawkeye", "pierce", "1002", "0761187406", "false"],
                },
                {"status": -2, "entry": ["peter", "pan", "1004", "", "false"]},
            ],
            "headers": ["Firstname", "Lastname", "Number", "Mobile", "Favorite"],
        },
    },
    "LoggedOnError.loggedOnFailed.json": {
        "msgType": "LoggedOnError",
        "ctiMessage": {"Error": "loggedOnFailed"},
    },
    "LoggedOnError.loggedOnTimeout.json": {
        "msgType": "LoggedOnError",
        "ctiMessage": {"Error": "loggedOnTimeout"},
    },
    "PhoneEvent.EventRinging.ctiMessage.json": {
        "eventType": "EventRinging",
        "DN": "1000",
        "otherDN": "0427466347",
        "linkedId": "1469709757.74",
        "uniqueId": "1469709960.78",
        "queueName": "bluesky",
        "userData": {
            "XIVO_CONTEXT": "from-extern",
            "XIVO_USERID": "1",
            "USR_var1": "val1",
            "USR_var2": "val2",
            "XIVO_EXTENPATTERN": "_012305XXXX",
            "XIVO_SRCNUM": "0427466347",
            "XIVO_DST_FIRSTNAME": "Brucé",
            "XIVO_DSTNUM": "0123053012",
            "XIVO_DST_LASTNAME": "Wail",
        },
    },
    "UsersStatuses.items-latest.partial.json": [
        {
            "name": "berightback",
            "color": "#F2833A",
            "longName": "Bientôt de retour",
            "actions": [{"name": "enablednd", "parameters": "false"}],
        },
        {
            "name": "ook",
            "color": "#FF0F0F",
            "longName": "Far Away",
            "actions": [{"name": "queuepause_all", "parameters": "true"}],
        },
    ],
    "UsersStatuses.partial.json": {
        "msgType": "UsersStatuses",
        "ctiMessage": [
            {
                "name": "disconnected",
                "color": "#9E9E9E",
                "longName": "Déconnecté",
                "actions": [{"name": "agentlogoff", "parameters": ""}],
            },
            {
                "name": "away",
                "color": "#FFDD00",
                "longName": "Sorti",
                "actions": [{"name": "enablednd", "parameters": "false"}],
            },
        ],
    },
    "rest.PhoneEventNotification.json": {
        "username": "alicej",
        "message": {
            "msgType": "PhoneEvent",
            "ctiMessage": {
                "eventType": "EventDialing",
                "DN": "1058",
                "otherDN": "3000",
                "linkedId": "1447670380.34",
                "uniqueId": "1447670380.34",
                "userData": {"XIVO_USERID": "9"},
            },
        },
    },
    "setData.request.json": {
        "claz": "web",
        "command": "setData",
        "variables": {"var1": "val1", "USR_var2": "val2"},
    },
}

# --- The seed's samples (tests/fixtures/seed/xuc-user-api.txt), made complete JSON ----
# The seed's excerpts are cut: the DirectoryResult lost its `"headers":` key, and the
# `outtolunch` item's action list is cut after its first action; both are closed here.

# The seed's DirectoryResult is the sample file's, closed: the very same object, so
# `test_directory_result_sample[embedded]` checks it (a second test of it was a copy).
SEED_DIRECTORY_RESULT: dict[str, Any] = SAMPLE_FILES["DirectoryResult.json"][
    "ctiMessage"
]

SEED_USERS_STATUSES: list[dict[str, Any]] = [
    {
        "name": "berightback",
        "color": "#F2833A",
        "longName": "Bientôt de retour",
        "actions": [{"name": "enablednd", "parameters": "false"}],
    },
    {
        "name": "ook",
        "color": "#FF0F0F",
        "longName": "Far Away",
        "actions": [{"name": "queuepause_all", "parameters": "true"}],
    },
    {
        "name": "outtolunch",
        "color": "#6CA6FF",
        "longName": "Parti Manger",
        "actions": [{"name": "queuepause_all", "parameters": "true"}],
    },
    {
        "name": "donotdisturb",
        "color": "#D13224",
        "longName": "Ne pas déranger",
        "actions": [{"name": "enablednd", "parameters": "true"}],
    },
]

SEED_CTI_STATUSES: list[dict[str, Any]] = [
    {"name": "disconnected", "displayName": "Déconnecté", "status": 2},
    {"name": "ook", "displayName": "Far Away", "status": 1},
    {"name": "outtolunch", "displayName": "Parti Manger", "status": 1},
    {"name": "available", "displayName": "Disponible", "status": 0},
]

SEED_USER_CONFIG: dict[str, Any] = {"fullName": "Alice Johnson"}

SEED_USER_PREFERENCE: dict[str, Any] = {
    "PREFERRED_DEVICE": {"value": "TypePhoneDevice", "value_type": "String"},
    "MOBILE_APP_INFO": {"value": "true", "value_type": "Boolean"},
}

# Fragments the seed prints complete, so the literals above can be checked against it.
SEED_FRAGMENTS = (
    '{ "status": 0, "entry": [ "hawkeye", "pierce", "1002", "0761187406", "false"]}',
    '{ "status": -2, "entry": [ "peter", "pan", "1004", "", "false"]}',
    '["Firstname", "Lastname", "Number", "Mobile", "Favorite"]',
    (
        '{"name":"berightback","color":"#F2833A","longName":"Bientôt de retour",'
        '"actions":[{"name":"enablednd","parameters":"false"}]}'
    ),
    (
        '{"name":"ook","color":"#FF0F0F","longName":"Far Away",'
        '"actions":[{"name":"queuepause_all","parameters":"true"}]}'
    ),
    (
        '{"name":"outtolunch","color":"#6CA6FF","longName":"Parti Manger",'
        '"actions":[{"name":"queuepause_all","parameters":"true"}'
    ),
    (
        '{"name":"donotdisturb","color":"#D13224","longName":"Ne pas déranger",'
        '"actions":[{"name":"enablednd","parameters":"true"}]}'
    ),
    '{"name":"disconnected","displayName":"Déconnecté","status": 2}',
    '{"name":"ook","displayName":"Far Away","status": 1}',
    '{"name":"outtolunch","displayName":"Parti Manger","status": 1}',
    '{"name":"available","displayName":"Disponible","status": 0}',
    '"fullName":"Alice Johnson"',
    '"value": "TypePhoneDevice",',
    '"value_type": "String"',
    '"MOBILE_APP_INFO": {',
    '"value": "true",',
    '"value_type": "Boolean"',
)


# --- Sources: the embedded literals and the fixture files ----------------------------


def _read_samples() -> dict[str, Any]:
    """The sample files in tests/fixtures/xuc-samples/, decoded, by file name."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SAMPLES_DIR.glob("*.json"))
    }


@pytest.fixture(params=["embedded", "file"])
def samples(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The samples, from the literals or from tests/fixtures/xuc-samples/."""
    if request.param == "embedded":
        return SAMPLE_FILES
    return _read_samples()


def test_embedded_samples_match_the_files() -> None:
    on_disk = _read_samples()
    # A new sample file must get its literal (and its checks) here.
    assert set(on_disk) == set(SAMPLE_FILES)
    for name, content in on_disk.items():
        assert content == SAMPLE_FILES[name], name


def test_seed_literals_match_the_seed() -> None:
    seed = SEED_FILE.read_text(encoding="utf-8")
    for fragment in SEED_FRAGMENTS:
        assert fragment in seed, fragment
    # The fragments are what the literals say.
    assert json.loads(SEED_FRAGMENTS[0]) == SEED_DIRECTORY_RESULT["entries"][0]
    assert json.loads(SEED_FRAGMENTS[2]) == SEED_DIRECTORY_RESULT["headers"]
    for index in (3, 4, 6):
        item = json.loads(SEED_FRAGMENTS[index])
        assert item in SEED_USERS_STATUSES
    for index in range(7, 11):
        assert json.loads(SEED_FRAGMENTS[index]) in SEED_CTI_STATUSES


def _populated() -> XucSnapshot:
    snapshot, _ = apply_message(XucSnapshot(), "UsersStatuses", SEED_USERS_STATUSES)
    snapshot, _ = apply_message(snapshot, "UserConfigUpdate", SEED_USER_CONFIG)
    snapshot, _ = apply_message(snapshot, "UserStatusUpdate", {"status": "ook"})
    return snapshot


# --- DirectoryResult ------------------------------------------------------------------

HAWKEYE = Contact(
    first_name="hawkeye",
    last_name="pierce",
    number="1002",
    mobile="0761187406",
    favorite=False,
    status_code=0,
    fields={
        "Firstname": "hawkeye",
        "Lastname": "pierce",
        "Number": "1002",
        "Mobile": "0761187406",
        "Favorite": "false",
    },
)
PETER = Contact(
    first_name="peter",
    last_name="pan",
    number="1004",
    mobile="",
    favorite=False,
    status_code=-2,
    fields={
        "Firstname": "peter",
        "Lastname": "pan",
        "Number": "1004",
        "Mobile": "",
        "Favorite": "false",
    },
)


def _check_directory_result(payload: Any) -> None:
    result = parse_directory(payload)
    assert result.headers == ("Firstname", "Lastname", "Number", "Mobile", "Favorite")
    assert result.contacts == (HAWKEYE, PETER)
    hawkeye, peter = result.contacts
    assert hawkeye.name == "hawkeye pierce"
    assert hawkeye.favorite is False
    assert hawkeye.phone_state is PhoneState.AVAILABLE
    assert hawkeye.contact_id is None
    assert hawkeye.source is None
    assert hawkeye.key is None
    assert dict(hawkeye.fields) == dict(HAWKEYE.fields)
    assert peter.name == "peter pan"
    assert peter.mobile == ""
    assert peter.phone_state is None  # -2: unexisting, no state
    snapshot = XucSnapshot()
    assert snapshot.contact_phone_state(hawkeye) is PhoneState.AVAILABLE
    assert snapshot.contact_phone_state(peter) is None


def test_directory_result_sample(samples: dict[str, Any]) -> None:
    message = samples["DirectoryResult.json"]
    assert message["msgType"] == "DirectoryResult"
    _check_directory_result(message["ctiMessage"])


def test_directory_result_is_passive_in_the_reducer(samples: dict[str, Any]) -> None:
    message = samples["DirectoryResult.json"]
    assert "DirectoryResult" in PASSIVE_MESSAGE_TYPES
    for snapshot in (XucSnapshot(), _populated()):
        new, events = apply_message(snapshot, message["msgType"], message["ctiMessage"])
        assert new is snapshot
        assert events == ()


def test_directory_result_as_favorites(samples: dict[str, Any]) -> None:
    """`Favorites` has the shape of a `DirectoryResult`; its rows become favorites."""
    payload = samples["DirectoryResult.json"]["ctiMessage"]
    snapshot, events = apply_message(XucSnapshot(), "Favorites", payload)
    assert events == ()
    assert list(snapshot.favorites) == ["number/1002", "number/1004"]
    hawkeye = snapshot.favorites["number/1002"]
    assert hawkeye.favorite is True
    assert hawkeye.first_name == "hawkeye"
    assert hawkeye.number == "1002"
    assert snapshot.contact_phone_state(hawkeye) is PhoneState.AVAILABLE
    assert snapshot.contact_phone_state(snapshot.favorites["number/1004"]) is None


# --- LoggedOnError --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("LoggedOnError.loggedOnFailed.json", "loggedOnFailed"),
        ("LoggedOnError.loggedOnTimeout.json", "loggedOnTimeout"),
    ],
)
def test_logged_on_error_is_passive(
    samples: dict[str, Any], name: str, error: str
) -> None:
    message = samples[name]
    assert message["msgType"] == "LoggedOnError"
    assert message["ctiMessage"] == {"Error": error}
    for snapshot in (XucSnapshot(), _populated()):
        new, events = apply_message(snapshot, message["msgType"], message["ctiMessage"])
        assert new is snapshot
        assert events == ()


# --- PhoneEvent -----------------------------------------------------------------------


def test_phone_event_ringing_sample(samples: dict[str, Any]) -> None:
    payload = samples["PhoneEvent.EventRinging.ctiMessage.json"]
    snapshot, events = apply_message(XucSnapshot(), "PhoneEvent", payload)
    call = Call(
        unique_id="1469709960.78",
        state="ringing",
        direction="Incoming",
        other_number="0427466347",
        other_name=None,
        linked_id="1469709757.74",
        answered=False,
        queue_name="bluesky",
        user_data={"USR_var1": "val1", "USR_var2": "val2"},
    )
    # One call across its legs: keyed by the linked id (the sample's ids differ).
    assert dict(snapshot.calls) == {"1469709757.74": call}
    assert events == (CallEvent(CallEventType.INCOMING, call),)
    # The same event again is no news.
    again, events = apply_message(snapshot, "PhoneEvent", payload)
    assert again is snapshot
    assert events == ()
    # Hung up before anyone answered: a missed call, and the line is free again.
    released, events = apply_message(
        snapshot, "PhoneEvent", {**payload, "eventType": "EventReleased"}
    )
    assert dict(released.calls) == {}
    assert len(events) == 1
    assert events[0].type is CallEventType.MISSED
    assert events[0].call.other_number == "0427466347"
    assert events[0].call.state == "released"


def test_rest_phone_event_notification_sample(samples: dict[str, Any]) -> None:
    notification = samples["rest.PhoneEventNotification.json"]
    assert notification["username"] == "alicej"
    message = notification["message"]
    snapshot, events = apply_message(
        XucSnapshot(), message["msgType"], message["ctiMessage"]
    )
    call = Call(
        unique_id="1447670380.34",
        state="dialing",
        direction="Outgoing",
        other_number="3000",
        linked_id="1447670380.34",
    )
    assert dict(snapshot.calls) == {"1447670380.34": call}
    assert events == (CallEvent(CallEventType.OUTGOING, call),)
    ended, events = apply_message(
        snapshot, "PhoneEvent", {**message["ctiMessage"], "eventType": "EventReleased"}
    )
    assert dict(ended.calls) == {}
    assert [event.type for event in events] == [CallEventType.ENDED]


# --- UsersStatuses --------------------------------------------------------------------

DISCONNECTED = Status(
    name="disconnected",
    label="Déconnecté",
    color="#9E9E9E",
    category=None,
    actions=(StatusAction("agentlogoff", ""),),
)
AWAY = Status(
    name="away",
    label="Sorti",
    color="#FFDD00",
    category=None,
    actions=(StatusAction("enablednd", "false"),),
)
BERIGHTBACK = Status(
    name="berightback",
    label="Bientôt de retour",
    color="#F2833A",
    actions=(StatusAction("enablednd", "false"),),
)
OOK = Status(
    name="ook",
    label="Far Away",
    color="#FF0F0F",
    actions=(StatusAction("queuepause_all", "true"),),
)
OUTTOLUNCH = Status(
    name="outtolunch",
    label="Parti Manger",
    color="#6CA6FF",
    actions=(StatusAction("queuepause_all", "true"),),
)
DONOTDISTURB = Status(
    name="donotdisturb",
    label="Ne pas déranger",
    color="#D13224",
    actions=(StatusAction("enablednd", "true"),),
)


def test_users_statuses_sample(samples: dict[str, Any]) -> None:
    message = samples["UsersStatuses.partial.json"]
    snapshot, events = apply_message(
        XucSnapshot(), message["msgType"], message["ctiMessage"]
    )
    assert events == ()
    assert snapshot.statuses == (DISCONNECTED, AWAY)
    assert snapshot.statuses[0].dnd is None
    assert snapshot.statuses[1].dnd is False
    snapshot, _ = apply_message(snapshot, "UserStatusUpdate", {"status": "away"})
    assert snapshot.status == AWAY


def test_users_statuses_latest_items_sample(samples: dict[str, Any]) -> None:
    items = samples["UsersStatuses.items-latest.partial.json"]
    snapshot, events = apply_message(XucSnapshot(), "UsersStatuses", items)
    assert events == ()
    assert snapshot.statuses == (BERIGHTBACK, OOK)
    assert snapshot.statuses[0].dnd is False
    assert snapshot.statuses[1].dnd is None


def test_users_statuses_seed() -> None:
    snapshot, events = apply_message(
        XucSnapshot(), "UsersStatuses", SEED_USERS_STATUSES
    )
    assert events == ()
    assert snapshot.statuses == (BERIGHTBACK, OOK, OUTTOLUNCH, DONOTDISTURB)
    assert [status.dnd for status in snapshot.statuses] == [False, None, None, True]
    assert [status.label for status in snapshot.statuses] == [
        "Bientôt de retour",
        "Far Away",
        "Parti Manger",
        "Ne pas déranger",
    ]


# --- CtiStatuses ----------------------------------------------------------------------


def test_cti_statuses_seed() -> None:
    snapshot, events = apply_message(XucSnapshot(), "CtiStatuses", SEED_CTI_STATUSES)
    assert events == ()
    assert snapshot.statuses == (
        Status("disconnected", "Déconnecté", None, 2, ()),
        Status("ook", "Far Away", None, 1, ()),
        Status("outtolunch", "Parti Manger", None, 1, ()),
        Status("available", "Disponible", None, 0, ()),
    )
    assert all(status.dnd is None for status in snapshot.statuses)


def test_seed_statuses_merge_both_ways() -> None:
    """UsersStatuses then CtiStatuses, or the reverse: each keeps what the other told."""
    users_first, _ = apply_message(XucSnapshot(), "UsersStatuses", SEED_USERS_STATUSES)
    users_first, _ = apply_message(users_first, "CtiStatuses", SEED_CTI_STATUSES)
    cti_first, _ = apply_message(XucSnapshot(), "CtiStatuses", SEED_CTI_STATUSES)
    cti_first, _ = apply_message(cti_first, "UsersStatuses", SEED_USERS_STATUSES)

    # The last list decides which statuses exist and their order.
    assert [s.name for s in users_first.statuses] == [
        "disconnected",
        "ook",
        "outtolunch",
        "available",
    ]
    assert [s.name for s in cti_first.statuses] == [
        "berightback",
        "ook",
        "outtolunch",
        "donotdisturb",
    ]
    merged_ook = Status(
        "ook", "Far Away", "#FF0F0F", 1, (StatusAction("queuepause_all", "true"),)
    )
    merged_lunch = Status(
        "outtolunch",
        "Parti Manger",
        "#6CA6FF",
        1,
        (StatusAction("queuepause_all", "true"),),
    )
    assert users_first.statuses[1:3] == (merged_ook, merged_lunch)
    assert cti_first.statuses[1:3] == (merged_ook, merged_lunch)


# --- UserConfigUpdate -----------------------------------------------------------------


def test_user_config_seed() -> None:
    snapshot, events = apply_message(
        XucSnapshot(), "UserConfigUpdate", SEED_USER_CONFIG
    )
    assert events == ()
    assert snapshot.user.full_name == "Alice Johnson"
    assert dict(snapshot.user.fields) == {"fullName": "Alice Johnson"}
    assert snapshot.user.dnd is False
    assert snapshot.user.user_id is None


# --- UserPreference -------------------------------------------------------------------


def test_user_preference_seed() -> None:
    snapshot, events = apply_message(
        XucSnapshot(), "UserPreference", SEED_USER_PREFERENCE
    )
    assert events == ()
    assert dict(snapshot.preferences) == {
        "PREFERRED_DEVICE": Preference("PREFERRED_DEVICE", "TypePhoneDevice", "String"),
        "MOBILE_APP_INFO": Preference("MOBILE_APP_INFO", "true", "Boolean"),
    }


# --- setData (a client → server frame) ------------------------------------------------


def test_set_data_request_sample(samples: dict[str, Any]) -> None:
    """The sample is a request, not a server message: it has no msgType."""
    frame = samples["setData.request.json"]
    assert frame == {
        "claz": "web",
        "command": "setData",
        "variables": {"var1": "val1", "USR_var2": "val2"},
    }
    assert "msgType" not in frame
    snapshot = _populated()
    # Should it ever be echoed as a message type, the reducer ignores it.
    assert apply_message(snapshot, "setData", frame) == (snapshot, ())
