"""Hostile and broken input through HTTP: the right 4xx, never a 500 or a traceback, nothing stored half-way.

HOSTILE is the table docs/security.md publishes; test_security_doc_lists_every_hostile_request keeps the two
in step. Card text from users is shown inert, lengths are bounded, numbers and dates are checked on the server.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from commissioning.clock import FrozenClock
from dialogs.cards import plain
from storage.models import AuditEvent, MonthlyReturn, ReturnVersion
from tests.authharness import row_counts
from tests.conftest import ROOT, START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.teams import BOT_ID, TeamsUser, card_inputs, card_texts
from tests.test_monthly_return_journey import IVWS_GOOD, count, ivws_id

SECURITY_DOC = ROOT / "docs" / "security.md"


def strict_json(text: str) -> Any:
    """Parse as JSON proper: NaN and Infinity, which Python's json emits and accepts, are errors."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in a response")

    return json.loads(text, parse_constant=refuse)


@dataclass(frozen=True)
class Hostile:
    """One request: the raw body (bytes) or an activity edit, the headers, and the answer it must get."""

    body: Callable[[TeamsUser], bytes]
    status: int
    answer: Any
    content_type: str | None = "application/json"


def activity(edit: Callable[[dict[str, Any]], Any]) -> Callable[[TeamsUser], bytes]:
    """A valid message from the user, changed in place by `edit`."""

    def build(user: TeamsUser) -> bytes:
        body = user.envelope("message", text="help")
        edit(body)
        return json.dumps(body).encode()

    return build


def wrapped(user: TeamsUser) -> bytes:
    """A valid activity, but inside a JSON array."""
    return json.dumps([user.envelope("message", text="help")]).encode()


def raw(data: bytes) -> Callable[[TeamsUser], bytes]:
    return lambda user: data


def invoke(name: str, value: Any) -> Callable[[TeamsUser], bytes]:
    return lambda user: json.dumps(user.envelope("invoke", name=name, value=value)).encode()


def nested(depth: int) -> Callable[[TeamsUser], bytes]:
    def build(user: TeamsUser) -> bytes:
        body = user.envelope("message", text="help", channelData={"junk": "JUNK"})
        return json.dumps(body).replace('"JUNK"', "[" * depth + "]" * depth).encode()

    return build


def error(reason: str) -> dict[str, str]:
    return {"error": reason}


def card_error(message: str = "The card action was not valid.") -> dict[str, Any]:
    return {
        "statusCode": 400,
        "type": "application/vnd.microsoft.error",
        "value": {"code": "BadRequest", "message": message},
    }


NOT_JSON = error("the body is not valid JSON")
UNUSABLE_URL = "it is not a URL the client can open (a bad port, or a character not allowed in a host)"
NOT_OBJECT = error("the body must be a JSON object (one activity)")
IGNORED: dict[str, Any] = {}

HOSTILE: dict[str, Hostile] = {
    "bad JSON": Hostile(raw(b'{"type": "message",'), 400, NOT_JSON),
    "empty body": Hostile(raw(b""), 400, NOT_JSON),
    "JSON array of an activity": Hostile(wrapped, 400, NOT_OBJECT),
    "JSON null": Hostile(raw(b"null"), 400, NOT_OBJECT),
    "JSON string": Hostile(raw(b'"hello"'), 400, NOT_OBJECT),
    "JSON number": Hostile(raw(b"42"), 400, NOT_OBJECT),
    "NaN or Infinity in the JSON": Hostile(raw(b'{"type": "message", "x": NaN}'), 400, NOT_JSON),
    "invalid UTF-8": Hostile(raw(b'{"type": "\xff\xfe"}'), 400, NOT_JSON),
    "a 5,000-digit number": Hostile(raw(b'{"n": ' + b"9" * 5000 + b"}"), 400, NOT_JSON),
    "nesting 100,000 deep": Hostile(nested(100_000), 400, error("the body is nested too deeply")),
    "nesting 100 deep": Hostile(nested(100), 400, error("the body is nested too deeply")),
    "NUL character in a string": Hostile(
        activity(lambda a: a.update(text="he\x00lp")), 400, error("the body contains a NUL character")
    ),
    "unpaired surrogate in a string": Hostile(
        raw(b'{"type": "message", "text": "\\ud800"}'), 400, error("the body contains invalid Unicode")
    ),
    "type missing": Hostile(activity(lambda a: a.pop("type")), 400, error("the activity has no type")),
    "type not a string": Hostile(
        activity(lambda a: a.update(type=7)), 400, error("the activity has no type")
    ),
    "serviceUrl missing": Hostile(
        activity(lambda a: a.pop("serviceUrl")),
        400,
        error("the activity has no valid serviceUrl: it is missing"),
    ),
    "serviceUrl not http(s)": Hostile(
        activity(lambda a: a.update(serviceUrl="file:///etc/passwd")),
        400,
        error("the activity has no valid serviceUrl: it must be an http or https address with a host"),
    ),
    "serviceUrl with a port out of range": Hostile(
        activity(lambda a: a.update(serviceUrl="http://127.0.0.1:99999/")),
        400,
        error(f"the activity has no valid serviceUrl: {UNUSABLE_URL}"),
    ),
    "serviceUrl with a backslash before the host": Hostile(
        activity(lambda a: a.update(serviceUrl="http://evil.example\\@127.0.0.1:4320/")),
        400,
        error(f"the activity has no valid serviceUrl: {UNUSABLE_URL}"),
    ),
    "serviceUrl with a user name": Hostile(
        activity(lambda a: a.update(serviceUrl="http://evil.example@127.0.0.1:4320/")),
        400,
        error("the activity has no valid serviceUrl: it must not carry a user name or password"),
    ),
    "serviceUrl with a query": Hostile(
        activity(lambda a: a.update(serviceUrl="http://127.0.0.1:4320/?next=evil.example")),
        400,
        error("the activity has no valid serviceUrl: it must not carry a query or fragment"),
    ),
    "conversation missing": Hostile(
        activity(lambda a: a.pop("conversation")), 400, error("the activity has no conversation id")
    ),
    "conversation id not a string": Hostile(
        activity(lambda a: a["conversation"].update(id=["a"])),
        400,
        error("the activity has no conversation id"),
    ),
    "from missing": Hostile(
        activity(lambda a: a.pop("from")), 400, error("the activity has no sender (from.id)")
    ),
    "from null": Hostile(
        activity(lambda a: a.update({"from": None})), 400, error("the activity has no sender (from.id)")
    ),
    "activity id not a string": Hostile(
        activity(lambda a: a.update(id=12)), 400, error("the activity id must be a string")
    ),
    "conversation id over 400 characters": Hostile(
        activity(lambda a: a["conversation"].update(id="a:" + "x" * 399)),
        400,
        error("the activity's conversation.id is longer than 400 characters"),
    ),
    "aadObjectId over 64 characters": Hostile(
        activity(lambda a: a["from"].update(aadObjectId="f" * 65)),
        400,
        error("the sender's aadObjectId is not a short string"),
    ),
    "tenant id not a string": Hostile(
        activity(lambda a: a["conversation"].update(tenantId={"id": "x"})),
        400,
        error("the activity's conversation.tenantId is not a tenant id"),
    ),
    "timestamp not a date": Hostile(
        activity(lambda a: a.update(timestamp="yesterday")),
        400,
        error("the activity does not match the Bot Framework schema"),
    ),
    "body over MAX_BODY_BYTES": Hostile(
        activity(lambda a: a.update(text="x" * 300_000)),
        413,
        error("the activity is larger than 262144 bytes"),
    ),
    "Content-Type text/plain": Hostile(
        activity(lambda a: None), 415, error("send the activity as application/json"), "text/plain"
    ),
    "no Content-Type": Hostile(
        activity(lambda a: None), 415, error("send the activity as application/json"), None
    ),
    "typing": Hostile(activity(lambda a: a.update(type="typing")), 200, IGNORED),
    "messageReaction": Hostile(
        activity(lambda a: a.update(type="messageReaction", reactionsAdded=[{"type": "like"}])), 200, IGNORED
    ),
    "installationUpdate": Hostile(
        activity(lambda a: a.update(type="installationUpdate", action="add")), 200, IGNORED
    ),
    "event": Hostile(activity(lambda a: a.update(type="event", name="application/vnd.x")), 200, IGNORED),
    "unknown activity type": Hostile(activity(lambda a: a.update(type="somethingNew")), 200, IGNORED),
    "invoke with an unknown name": Hostile(
        invoke("composeExtension/query", {}),
        501,
        {"code": "NotImplemented", "message": "unsupported invoke"},
    ),
    "invoke with no name": Hostile(
        invoke(None, {}),  # type: ignore[arg-type]
        501,
        {"code": "NotImplemented", "message": "unsupported invoke"},
    ),
    "adaptiveCard/action with no value": Hostile(invoke("adaptiveCard/action", None), 200, card_error()),
    "adaptiveCard/action with no action": Hostile(invoke("adaptiveCard/action", {}), 200, card_error()),
    "adaptiveCard/action that is Action.Submit": Hostile(
        invoke("adaptiveCard/action", {"action": {"type": "Action.Submit", "verb": "help"}}),
        200,
        card_error(),
    ),
    "adaptiveCard/action with no verb": Hostile(
        invoke("adaptiveCard/action", {"action": {"type": "Action.Execute", "data": {}}}), 200, card_error()
    ),
    "adaptiveCard/action with a number for a verb": Hostile(
        invoke("adaptiveCard/action", {"action": {"type": "Action.Execute", "verb": 5}}), 200, card_error()
    ),
    "adaptiveCard/action with a list for a value": Hostile(
        invoke("adaptiveCard/action", [1, 2]), 200, card_error()
    ),
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Harness]:
    """One app for the whole table: each request must leave it exactly as it found it anyway."""
    connector = await ConnectorStandIn().start()
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'steward.db'}"
    running = await Harness(url, FrozenClock(START), connector).start()
    yield running
    await running.close()
    await connector.close()


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("case", list(HOSTILE))
async def test_hostile_request_gets_its_status_and_nothing_is_stored(
    shared: Harness, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    hostile, harness = HOSTILE[case], shared
    harness.connector.clear()
    priya = harness.user("priya")
    before = await row_counts(harness.steward.database)
    headers = {"Content-Type": hostile.content_type} if hostile.content_type else {}
    assert harness.client is not None

    response = await harness.client.post(
        "/api/messages",
        data=hostile.body(priya),
        headers=headers,
        skip_auto_headers=() if hostile.content_type else ("Content-Type",),
    )
    await harness.settle()

    assert response.status == hostile.status
    assert response.content_type == "application/json"
    assert strict_json(await response.text()) == hostile.answer
    assert harness.connector.calls == []
    after = await row_counts(harness.steward.database)
    assert after == before
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


# -- the invoke answer, exactly ------------------------------------------------------------------------------


async def test_a_card_action_is_answered_with_exactly_status_code_type_and_the_card(harness: Harness) -> None:
    priya = harness.user("priya")
    assert harness.client is not None
    press = priya.envelope(
        "invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": "help", "data": {"verb": "help"}},
            "trigger": "manual",
        },
    )

    response = await harness.client.post("/api/messages", json=press)

    assert response.status == 200
    body = strict_json(await response.text())
    assert list(body) == ["statusCode", "type", "value"]
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["type"] == "AdaptiveCard"
    assert body["value"]["version"] == "1.5"
    assert card_texts(body["value"])[0] == "What you can type"


async def test_the_signin_invokes_teams_may_send_are_accepted_and_ignored(harness: Harness) -> None:
    priya = harness.user("priya")

    for name in ("signin/verifyState", "signin/tokenExchange", "fileConsent/invoke"):
        assert await priya.post(priya.envelope("invoke", name=name, value={})) == (200, {})

    assert harness.connector.calls == []


# -- text shown inert ----------------------------------------------------------------------------------------

INJECTION = (
    "[Click to verify](https://evil.example/login) ![x](https://evil.example/pixel.png) "
    "<at>Daniel Reyes</at> **urgent** _now_ `code` # heading\n- list\n1. item |table| ~~gone~~ "
    "www.evil.example/path"
)
INERT = (
    "\\[Click to verify\\](https:\u2060//evil.example/login) !\\[x\\](https:\u2060//evil.example/pixel.png) "
    "\\<at\\>Daniel Reyes\\</at\\> \\*\\*urgent\\*\\* \\_now\\_ \\`code\\` # heading\n\\- list\n1\\. item "
    "\\|table\\| \\~\\~gone\\~\\~ www.evil.example/path"
)


def test_plain_makes_links_images_mentions_and_markdown_inert() -> None:
    assert plain(INJECTION) == INERT


async def test_a_narrative_with_links_images_mentions_and_markdown_reaches_the_commissioner_inert(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")
    await daniel.install()
    await harness.user("priya").press(
        "return.submit",
        {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD, "narrative": INJECTION},
    )
    await harness.settle()

    [notice] = [c for c in harness.connector.sent(daniel.conversation_id) if "Monthly return" in str(c.card)]
    texts = card_texts(notice.card)
    assert texts[texts.index("Narrative") + 1] == INERT
    assert "<at>" not in json.dumps(notice.card)
    assert "entities" not in notice.body  # no mention entity: nobody is notified by a narrative


async def test_a_strangers_display_name_is_shown_inert(harness: Harness) -> None:
    stranger = harness.user("priya")
    stranger.aad_object_id, stranger.user_id = "0000-unknown", "29:stranger"
    stranger.name = "[Reset your password](https://evil.example) <at>Everyone</at>"

    await stranger.say("hello")

    [reply] = harness.connector.sent(stranger.conversation_id)
    assert card_texts(reply.card)[0] == (
        "Hello \\[Reset your password\\](https:\u2060//evil.example) \\<at\\>Everyone\\</at\\>"
    )


# -- lengths, numbers and dates checked on the server --------------------------------------------------------


async def test_a_narrative_over_the_limit_is_an_error_beside_it_and_nothing_is_stored(
    harness: Harness,
) -> None:
    priya = harness.user("priya")

    await priya.press(
        "return.submit",
        {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD, "narrative": "n" * 4001},
    )

    texts = card_texts(priya.card)
    assert "Keep the narrative under 4,000 characters (it has 4,001)." in texts
    assert await count(harness, ReturnVersion) == 0


async def test_a_huge_entry_is_cut_to_100_characters_and_refused(harness: Harness) -> None:
    priya = harness.user("priya")

    await priya.press(
        "return.submit",
        {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD, "pi_PI1": "x" * 50_000},
    )

    assert card_inputs(priya.card)["pi_PI1"]["value"] == "x" * 100
    assert "Please correct 1 entry below. Nothing has been saved yet." in card_texts(priya.card)
    assert await count(harness, ReturnVersion) == 0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("150", "Enter a value from 0% to 100%."),
        ("-5", "Enter a value from 0% to 100%."),
        ("NaN", "Enter a number, for example 42 or 87.5."),
        ("Infinity", "Enter a number, for example 42 or 87.5."),
        ("1e999", "Enter a number, for example 42 or 87.5."),
        ("=1+1", "Enter a number, for example 42 or 87.5."),
    ],
)
async def test_a_percentage_is_range_checked_on_the_server_whatever_the_card_allowed(
    harness: Harness, entry: str, message: str
) -> None:
    priya = harness.user("priya")
    press = priya.envelope(
        "invoke",
        name="adaptiveCard/action",
        value={
            "action": {
                "type": "Action.Execute",
                "verb": "return.submit",
                "data": {
                    "verb": "return.submit",
                    "contract_id": await ivws_id(harness),
                    "month": "2026-10",
                    **IVWS_GOOD,
                    "pi_PI2": entry,
                },
            }
        },
    )
    assert harness.client is not None

    response = await harness.client.post("/api/messages", json=press)

    card = strict_json(await response.text())["value"]
    texts = card_texts(card)
    assert texts[texts.index("0% to 100%. Minimum service requirement: at least 90%.") + 1] == message
    assert await count(harness, ReturnVersion) == 0


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2026-11", "A return for November 2026 can be made once the month is over."),
        ("2027-06", "A return for June 2027 can be made once the month is over."),
        ("2024-01", "Integrated Victims and Witnesses Service did not run in January 2024."),
    ],
)
async def test_a_month_is_checked_on_the_server(harness: Harness, month: str, expected: str) -> None:
    priya = harness.user("priya")

    await priya.press("return.submit", {"contract_id": await ivws_id(harness), "month": month, **IVWS_GOOD})

    assert card_texts(priya.card)[:2] == ["That isn't available to you", expected]
    assert await count(harness, MonthlyReturn) == 0


@pytest.mark.parametrize("month", ["2026-13", "1899-12", "October", "", "2026-1O", "٢٠٢٦-١٣"])
async def test_a_month_that_is_no_month_is_refused_as_malformed_and_audited(
    harness: Harness, month: str
) -> None:
    priya = harness.user("priya")

    await priya.press("return.submit", {"contract_id": await ivws_id(harness), "month": month, **IVWS_GOOD})

    assert card_texts(priya.card)[:2] == [
        "Something went wrong",
        "That button's data was not valid, so nothing was changed. Start again from the menu.",
    ]
    assert await count(harness, MonthlyReturn) == 0
    async with harness.steward.database.session() as session:
        [event] = (await session.execute(select(AuditEvent).where(AuditEvent.action == "refused"))).scalars()
    assert event.after["reason"] == "malformed payload"


async def test_a_start_with_a_month_that_is_no_month_is_refused_without_a_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """return.start takes its month as free text and parses it inside the step."""
    priya = harness.user("priya")

    await priya.press("return.start", {"month": "not-a-month"})

    assert card_texts(priya.card)[0] == "Something went wrong"
    assert not [r for r in caplog.records if r.exc_info]


# -- the published table -------------------------------------------------------------------------------------


def _doc_rows(heading: str) -> dict[str, str]:
    """Request → status from the first Markdown table under `heading` in docs/security.md."""
    text = SECURITY_DOC.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows: dict[str, str] = {}
    for line in section.splitlines()[1:]:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] in ("request", "Authorization") or set(cells[0]) <= {"-", " "}:
            continue
        rows[cells[0].strip("`")] = re.sub(r"[^0-9]", "", cells[1])
    return rows


def test_security_doc_lists_every_hostile_request() -> None:
    assert _doc_rows("## Hostile and broken requests") == {
        name: str(hostile.status) for name, hostile in HOSTILE.items()
    }


def test_security_doc_lists_every_refused_token() -> None:
    from tests.test_http_auth import BAD_AUTHORIZATION

    documented = _doc_rows("## Tokens")
    assert {name: status for name, status in documented.items() if status == "401"} == {
        name: "401" for name in BAD_AUTHORIZATION
    }


def test_security_doc_exists_for_readers() -> None:
    assert Path(SECURITY_DOC).is_file()


async def test_the_longest_envelope_fields_accepted_fit_the_postgresql_columns(
    postgres_url: str, clock: Any, connector: Any
) -> None:
    harness = await Harness(postgres_url, clock, connector).start()
    try:
        priya = harness.user("priya")
        priya.conversation_id = "a:" + "c" * 398
        priya.user_id = "29:" + "u" * 197
        activity = priya.envelope("conversationUpdate", membersAdded=[{"id": BOT_ID}], id="i" * 200)

        status, _ = await priya.post(activity)

        assert status == 200
        [greeting] = harness.connector.sent(priya.conversation_id)
        assert card_texts(greeting.card)[0] == "Good morning, Priya"
    finally:
        await harness.close()
