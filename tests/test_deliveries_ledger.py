"""The delivery ledger over HTTP: a 403 and a 429-then-sent as `steward deliveries` lists them, and resending."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.cli import main
from bot.deliveries_cli import ledger_lines, resend_lines
from commissioning.clock import FrozenClock
from storage.deliveries import Filters
from storage.models import Notification, Person
from storage.statuses import DeliveryStatus
from tests.conftest import START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.teams import TeamsUser
from tests.test_monthly_return_journey import IVWS_GOOD, ivws_id

REFUSED = (403, {}, {"error": {"code": "BotNotInConversationRoster"}})
BUSY = (429, {"Retry-After": "2"}, {"error": {"code": "TooManyRequests"}})


async def submit_october(harness: Harness) -> None:
    """Priya submits IVWS's October return: Daniel, the commissioner, is told at once."""
    await harness.user("priya").press(
        "return.submit", {"contract_id": await ivws_id(harness), "month": "2026-10", **IVWS_GOOD}
    )
    await harness.settle()


async def daniels(harness: Harness) -> list[Notification]:
    async with harness.steward.database.session() as session:
        dan = (await session.execute(select(Person).where(Person.name == "Daniel Reyes"))).scalar_one()
        query = select(Notification).where(Notification.recipient_id == dan.id).order_by(Notification.id)
        return list((await session.execute(query)).scalars())


async def ledger(harness: Harness, **filters: object) -> list[dict[str, object]]:
    lines = await ledger_lines(
        harness.steward.database,
        Filters(**filters),
        harness.steward.settings.zone,
        as_json=True,  # type: ignore[arg-type]
    )
    return json.loads(lines[0])  # type: ignore[no-any-return]


async def test_a_403_is_listed_as_unreachable_with_its_http_status_and_error(harness: Harness) -> None:
    await harness.user("daniel").install()
    harness.connector.script.append(REFUSED)

    await submit_october(harness)

    [entry] = await ledger(harness, status=DeliveryStatus.UNREACHABLE)
    assert entry["to"] == "Daniel Reyes"
    assert entry["contract"] == "IVWS"
    assert entry["status"] == "unreachable"
    assert entry["queued_at"] == "2026-11-03T10:00:00+00:00"
    assert entry["sent_at"] is None
    assert entry["events"] == [
        {
            "at": "2026-11-03T10:00:00+00:00",
            "status": "unreachable",
            "http_status": 403,
            "reason": "HTTP 403 BotNotInConversationRoster: waiting until Daniel Reyes adds Steward again",
        }
    ]


async def test_a_429_then_200_is_listed_as_sent_with_the_refused_try(harness: Harness) -> None:
    await harness.user("daniel").install()
    harness.connector.script.append(BUSY)

    await submit_october(harness)

    [entry] = [e for e in await ledger(harness) if e["to"] == "Daniel Reyes"]
    assert entry["status"] == "sent"
    assert entry["sent_at"] == "2026-11-03T10:00:00+00:00"
    assert [(e["status"], e["http_status"]) for e in entry["events"]] == [("retried", 429), ("sent", None)]  # type: ignore[union-attr]
    assert entry["events"][0]["reason"] == "HTTP 429 TooManyRequests; tried again after 2s"  # type: ignore[index]
    assert harness.sleeps == [2.0]


async def test_the_table_shows_who_what_when_and_what_went_wrong(harness: Harness) -> None:
    await harness.user("daniel").install()
    harness.connector.script.append(REFUSED)
    await submit_october(harness)

    lines = await ledger_lines(
        harness.steward.database, Filters(status=DeliveryStatus.UNREACHABLE), harness.steward.settings.zone
    )

    assert lines[0].split() == [
        "id", "to", "contract", "about", "status", "queued", "sent", "read", "what", "went", "wrong"
    ]  # fmt: skip
    [row] = lines[2:]
    assert "Daniel Reyes" in row
    assert " unreachable " in row
    assert "2026-11-03 10:00 unreachable: HTTP 403 BotNotInConversationRoster" in row


async def test_after_reinstalling_what_met_the_403_is_sent_once_and_resend_finds_nothing_more(
    harness: Harness,
) -> None:
    daniel = harness.user("daniel")
    await daniel.install()
    harness.connector.script.append(REFUSED)
    await submit_october(harness)

    harness.clock.advance(hours=1)
    await daniel.install()  # he adds Steward again: what waited for him goes by itself
    await harness.settle()
    first = await resend_lines(harness.steward.database, Filters(), now=harness.clock.now())
    await harness.steward.dispatcher.run_once()

    assert len(_returns_to(harness, daniel)) == 2  # the refused try, then the delivered one
    assert first[0].startswith("Nothing to resend")
    [entry] = [e for e in await ledger(harness) if e["to"] == "Daniel Reyes"]
    assert [e["status"] for e in entry["events"]] == ["unreachable", "requeued", "sent"]  # type: ignore[union-attr]


async def test_resend_sends_a_dead_letter_once_when_run_twice(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.install()
    harness.connector.script.extend([(503, {}, {})] * 4)  # one send's four tries: failed, retry later
    await submit_october(harness)
    [notification] = await daniels(harness)
    async with harness.steward.database.session() as session:  # as after its fifth failed round
        await session.execute(
            update(Notification).where(Notification.id == notification.id).values(status="dead", attempts=5)
        )

    once = await resend_lines(harness.steward.database, Filters(), now=harness.clock.now())
    twice = await resend_lines(harness.steward.database, Filters(), now=harness.clock.now())
    await harness.steward.dispatcher.run_once()
    await harness.steward.dispatcher.run_once()

    assert once[0] == "Queued again 1 notification; they go on the next delivery round:"
    assert "Daniel Reyes" in once[1]
    assert twice[0].startswith("Nothing to resend")
    assert len(_returns_to(harness, daniel)) == 5  # four refused tries, then one delivery
    [sent] = await daniels(harness)
    assert (sent.status, sent.attempts) == ("sent", 1)


async def test_an_unreachable_person_is_not_resent_to_until_they_add_steward_again(harness: Harness) -> None:
    daniel = harness.user("daniel")
    await daniel.install()
    harness.connector.script.append(REFUSED)
    await submit_october(harness)
    async with harness.steward.database.session() as session:  # cleared by hand, chat not renewed
        await session.execute(
            update(Person).where(Person.name == "Daniel Reyes").values(unreachable_since=None)
        )

    lines = await resend_lines(
        harness.steward.database, Filters(), now=harness.clock.now() + timedelta(hours=1)
    )

    assert lines[0].startswith("Nothing to resend")
    assert [n.status for n in await daniels(harness)] == ["unreachable"]


def _returns_to(harness: Harness, user: TeamsUser) -> list[object]:
    """Posts to the user's chat of the return-received notice (not the welcome card)."""
    return [
        c
        for c in harness.connector.sent(user.conversation_id)
        if "return received" in str((c.body or {}).get("summary", "")).lower()
    ]


# -- the command line -----------------------------------------------------------------------------------------


async def _refused_once(url: str) -> None:
    """The 403 journey above, on a database the command then reads."""
    connector = await ConnectorStandIn().start()
    harness = await Harness(url, FrozenClock(START), connector).start()
    try:
        await harness.user("daniel").install()
        connector.script.append(REFUSED)
        await submit_october(harness)
    finally:
        await harness.close()
        await connector.close()


def test_the_command_lists_filters_and_says_what_each_status_means(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_refused_once(database_url))
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url)

    code = main(["deliveries", "--contract", "IVWS", "--status", "unreachable", "--since", "2026-11-01"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(out) == 3 and "Daniel Reyes" in out[2]

    assert main(["deliveries", "--contract", "NOPE"]) == 2
    assert (
        capsys.readouterr().err == "steward: no contract has the key NOPE; `steward contracts` lists them\n"
    )

    with pytest.raises(SystemExit):
        main(["deliveries", "--help"])
    helped = capsys.readouterr().out
    for status in ("queued", "failed", "sent", "read", "waiting", "unreachable", "uncertain", "dead"):
        assert f"\n  {status} " in helped
