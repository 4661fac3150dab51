"""The chat script format, finding people by name or email, and the console's Bot Connector stand-in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import aiohttp
import pytest

from bot.console.choosing import find_field
from bot.console.connector import LocalConnector
from bot.console.errors import ChatError, ScriptFailed
from bot.console.fields import Field
from bot.console.people import Identity, match_person
from bot.console.script import (
    AdvanceClock,
    Expect,
    Fill,
    Note,
    Press,
    Say,
    SetClock,
    Switch,
    parse_script,
)

SCRIPT = """\
# a comment is not a step
## Priya submits
clock 2026-11-03 10:00
as priya.shah@victimsupport.example
> submit return
Referrals received = 2710
Narrative = fine = good
[Submit return]
expect: Return received
expect not: Something went wrong
clock +2 days
"""


def test_every_kind_of_line_becomes_its_step() -> None:
    steps = parse_script(SCRIPT, "month.chat")

    assert steps == [
        Note(2, "## Priya submits", "Priya submits"),
        SetClock(3, "clock 2026-11-03 10:00", datetime(2026, 11, 3, 10, 0)),  # noqa: DTZ001 - local time
        Switch(4, "as priya.shah@victimsupport.example", "priya.shah@victimsupport.example"),
        Say(5, "> submit return", "submit return"),
        Fill(6, "Referrals received = 2710", "Referrals received", "2710"),
        Fill(7, "Narrative = fine = good", "Narrative", "fine = good"),
        Press(8, "[Submit return]", "Submit return"),
        Expect(9, "expect: Return received", "Return received", True),
        Expect(10, "expect not: Something went wrong", "Something went wrong", False),
        AdvanceClock(11, "clock +2 days", timedelta(days=2)),
    ]


def test_an_input_can_be_emptied() -> None:
    assert parse_script("Where =", "s.chat") == [Fill(1, "Where =", "Where", "")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("submit the return", "s.chat:2: cannot read 'submit the return'. A line is one of: `as NAME`"),
        ("[ ]", "s.chat:2: `[]` needs a button title inside"),
        (">", "s.chat:2: `>` needs the message to type after it"),
        ("expect:", "s.chat:2: `expect:` needs the text to look for"),
        ("= 12", "s.chat:2: an input line needs the input's label before `=`"),
        (
            "clock tomorrow",
            "s.chat:2: 'tomorrow' is not a time: write `clock 2026-11-03 10:00` or `clock +2 days`",
        ),
    ],
)
def test_a_line_that_cannot_be_read_is_reported_with_its_file_and_line(line: str, problem: str) -> None:
    with pytest.raises(ScriptFailed) as failure:
        parse_script(f"# first\n{line}\n", "s.chat")

    assert str(failure.value).startswith(problem)


# -- inputs, as a script names them ------------------------------------------------------------------------

FIELDS = [
    Field(id="act_1_what", kind="text", label="Action 1: what"),
    Field(id="act_1_owner", kind="choice", label="Owner"),
    Field(id="act_2_what", kind="text", label="Action 2: what"),
    Field(id="act_2_owner", kind="choice", label="Owner"),
]


@pytest.mark.parametrize(
    ("name", "input_id"),
    [
        ("act_2_owner", "act_2_owner"),
        ("Action 2: what", "act_2_what"),
        ("action 1", "act_1_what"),
        ("Owner #2", "act_2_owner"),
    ],
)
def test_an_input_is_named_by_id_label_part_of_its_label_or_its_place_among_the_same_label(
    name: str, input_id: str
) -> None:
    assert find_field(FIELDS, name).id == input_id


def test_a_label_several_inputs_share_asks_for_their_number() -> None:
    with pytest.raises(ChatError) as failure:
        find_field(FIELDS, "Owner")

    assert str(failure.value) == (
        "2 inputs are called 'Owner': write 'Owner #1' to 'Owner #2' for them in the order the card shows "
        "them, or use an id (act_1_owner, act_2_owner)."
    )


def test_a_number_past_the_last_of_a_label_is_refused() -> None:
    with pytest.raises(ChatError, match=re.escape("There are 2 inputs called 'Owner', not 3.")):
        find_field(FIELDS, "Owner #3")


# -- people --------------------------------------------------------------------------------------------------

PEOPLE = [
    Identity("Priya Shah", "priya.shah@victimsupport.example", "7f1c2a10-0000-4000-8000-000000000033"),
    Identity("Daniel Reyes", "daniel.reyes@mopac.example", "7f1c2a10-0000-4000-8000-000000000002"),
    Identity("Owen Price", "owen.price@wm-opcc.example"),
    Identity("Owen Jones", "owen.jones@wm-opcc.example"),
]


@pytest.mark.parametrize(
    "query",
    ["daniel.reyes@mopac.example", "Daniel Reyes", "daniel reyes", "daniel.reyes", "Daniel", "dan"],
)
def test_a_person_is_found_by_email_name_email_name_part_or_first_name(query: str) -> None:
    assert match_person(PEOPLE, query).email == "daniel.reyes@mopac.example"


def test_a_first_name_two_people_share_asks_for_more() -> None:
    with pytest.raises(
        ChatError,
        match=re.escape("'owen' could be any of Owen Price <owen.price@wm-opcc.example>, Owen Jones"),
    ):
        match_person(PEOPLE, "owen")


def test_someone_not_in_the_portfolio_is_refused_with_where_to_look() -> None:
    with pytest.raises(
        ChatError,
        match=re.escape("Nobody called 'Sam' is in the portfolio. Run `steward people` to list them."),
    ):
        match_person(PEOPLE, "Sam")


def test_with_no_people_to_look_in_an_email_is_taken_as_it_is() -> None:
    assert match_person([], "Owen.Price@wm-opcc.example ") == Identity(
        "Owen.Price@wm-opcc.example", "owen.price@wm-opcc.example"
    )


def test_a_person_with_an_azure_ad_id_is_sent_as_teams_sends_them() -> None:
    priya = PEOPLE[0]

    assert priya.account() == {
        "id": "29:console-priya-shah-victimsupport-example",
        "name": "Priya Shah",
        "aadObjectId": "7f1c2a10-0000-4000-8000-000000000033",
    }
    assert priya.conversation_id == "a:console-priya-shah-victimsupport-example"


def test_a_person_known_only_by_email_is_sent_with_the_email_as_their_id_and_the_lookup_confirms_it() -> None:
    owen = PEOPLE[2]

    assert owen.account() == {"id": "owen.price@wm-opcc.example", "name": "Owen Price"}
    assert owen.member() == {
        "id": "owen.price@wm-opcc.example",
        "name": "Owen Price",
        "email": "owen.price@wm-opcc.example",
        "userPrincipalName": "owen.price@wm-opcc.example",
    }


# -- the connector stand-in ----------------------------------------------------------------------------------


async def test_the_connector_listens_on_loopback_and_answers_like_the_bot_connector() -> None:
    connector = await LocalConnector().start()
    connector.add_member("29:x", {"id": "29:x", "email": "x@example.org"})
    base = connector.url + "v3/conversations/a%3Aconsole-x"
    try:
        assert connector.url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            new = await http.post(base + "/activities", json={"type": "message", "text": "hello"})
            reply = await http.post(base + "/activities/in-1", json={"type": "message", "text": "re"})
            update = await http.put(
                base + "/activities/console-1", json={"type": "message", "text": "edited"}
            )
            member = await http.get(base + "/members/29:x")
            stranger = await http.get(base + "/members/29:y")
            answers = [
                (new.status, await new.json()),
                (reply.status, await reply.json()),
                (update.status, await update.json()),
                (member.status, await member.json()),
                (stranger.status, await stranger.json()),
            ]
    finally:
        await connector.close()

    assert answers == [
        (201, {"id": "console-1"}),
        (201, {"id": "console-2"}),
        (200, {"id": "console-1"}),
        (200, {"id": "29:x", "email": "x@example.org"}),
        (
            404,
            {
                "error": {
                    "code": "MemberNotFoundInConversation",
                    "message": "no such member in this conversation",
                }
            },
        ),
    ]
    assert [
        (d.method, d.conversation_id, d.activity_id, d.reply_to, d.body["text"]) for d in connector.deliveries
    ] == [
        ("POST", "a:console-x", "console-1", None, "hello"),
        ("POST", "a:console-x", "console-2", "in-1", "re"),
        ("PUT", "a:console-x", "console-1", None, "edited"),
    ]


async def test_the_connector_takes_a_free_port_when_the_one_asked_for_is_taken() -> None:
    first = await LocalConnector().start()
    try:
        taken = int(first.url.rsplit(":", 1)[1].strip("/"))
        second = await LocalConnector().start(taken)
        try:
            assert second.url != first.url
        finally:
            await second.close()
    finally:
        await first.close()
