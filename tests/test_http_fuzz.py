"""Generated activities and card payloads at /api/messages: never a 500 or a traceback, never a partial
record, and the app keeps serving afterwards.

Hypothesis draws whole activities: real and made-up verbs with real, wrong-typed and junk data, real
people and strangers, personal chats and team channels, envelopes with fields missing or replaced. Some
draws are genuine return submissions with a few fields spoilt, so records really are written and the
invariants below have something to check.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import build_dispatch
from commissioning.clock import FrozenClock
from storage.models import Contract, Indicator, MonthlyReturn, ReturnValue, ReturnVersion
from tests.conftest import PEOPLE, POSTGRES_ADMIN, START, Harness
from tests.connector_standin import ConnectorStandIn
from tests.teams import BOT_ID, TeamsUser, card_texts
from tests.test_monthly_return_journey import IVWS_GOOD

VERBS = [*sorted(build_dispatch().routes), "team.link", "return.approve", ""]
# Priya, who can submit IVWS returns, is drawn most often, so that real returns get written.
NAMES = ["priya", "priya", "priya", *sorted(PEOPLE), "stranger"]
FIELDS = ["type", "serviceUrl", "conversation", "from", "id", "recipient", "channelData", "value", "text"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
junk = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
months = st.sampled_from(["2026-10", "2026-09", "2026-11", "2025-03", "2024-01", "2026-13"]) | st.text(
    max_size=8
)
entries = st.sampled_from(["2710", "93.5", "yes", "no", "", "150", "-1", "1e999", "nan", "=1+1"]) | scalars


@st.composite
def card_data(draw: st.DrawFn, contract_ids: list[int]) -> dict[str, Any]:
    """A button's data: a genuine IVWS return (half the time with a field or two spoilt), typed fields
    with odd values, or junk. contract_ids[0] is IVWS."""
    ids = st.sampled_from(contract_ids) | st.integers(min_value=-5, max_value=2**40) | junk
    kind = draw(st.sampled_from(["return", "return", "typed", "junk"]))
    if kind == "return":
        data: dict[str, Any] = {"contract_id": contract_ids[0], "month": "2026-10", **IVWS_GOOD}
        if draw(st.booleans()):
            for key in draw(st.lists(st.sampled_from(sorted(data)), min_size=1, max_size=2)):
                data[key] = draw(entries | junk)
        if draw(st.booleans()):
            data["based_on_version"] = draw(st.integers(min_value=-1, max_value=3) | junk)
        return data
    if kind == "typed":
        optional = {
            "contract_id": ids,
            "month": months,
            "return_id": st.integers(min_value=-3, max_value=2**35) | junk,
            "version": st.integers(min_value=-3, max_value=5) | junk,
            "based_on_version": st.integers(min_value=-3, max_value=2**64) | junk,
            "narrative": st.text(max_size=300),
            **{f"pi_PI{i}": entries for i in range(1, 8)},
        }
        return draw(st.fixed_dictionaries({}, optional=optional))
    return draw(st.dictionaries(st.text(max_size=15), junk, max_size=6))


def person(client: Any, service_url: str, name: str) -> TeamsUser:
    if name == "stranger":
        return TeamsUser(client, service_url, "Sam Stranger", "0000-unknown")
    display, aad = PEOPLE[name]
    return TeamsUser(client, service_url, display, aad)


@st.composite
def activities(
    draw: st.DrawFn, client: Any, service_url: str, contract_ids: list[int]
) -> dict[str, Any] | bytes:
    shapes = ["genuine", "genuine", "press", "press", "submit", "text", "update", "other", "raw"]
    shape = draw(st.sampled_from(shapes))
    if shape == "genuine":  # Priya submits or amends IVWS's October return, perhaps with a field spoilt
        data = {"contract_id": contract_ids[0], "month": "2026-10", **IVWS_GOOD}
        data["based_on_version"] = draw(st.integers(min_value=0, max_value=3))
        if draw(st.integers(0, 3)) == 0:
            data[draw(st.sampled_from(sorted(data)))] = draw(entries | junk)
        verb = draw(st.sampled_from(["return.submit", "return.submit", "return.save"]))
        action = {"type": "Action.Execute", "verb": verb, "data": {"verb": verb, **data}}
        priya = person(client, service_url, "priya")
        return priya.envelope("invoke", name="adaptiveCard/action", value={"action": action})
    sender = person(client, service_url, draw(st.sampled_from(NAMES)))
    if shape == "raw":
        return draw(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
    submit = st.sampled_from(["return.submit", "return.submit", "return.submit", "return.save"])
    verb = draw(submit | st.sampled_from(VERBS) | st.text(max_size=20))
    data = draw(card_data(contract_ids))
    if shape == "press":
        action = {"type": "Action.Execute", "verb": verb, "data": {"verb": verb, **data}}
        value = {"action": action, "trigger": "manual"} if draw(st.integers(0, 4)) else draw(junk)
        name = "adaptiveCard/action" if draw(st.integers(0, 4)) else draw(st.text(max_size=20))
        activity = sender.envelope("invoke", name=name, value=value)
    elif shape == "submit":
        activity = sender.envelope("message", value={"verb": draw(st.sampled_from(VERBS) | junk), **data})
    elif shape == "text":
        phrase = st.sampled_from(["help", "submit return", "hello", "<at>Steward</at> return", ""])
        activity = sender.envelope("message", text=draw(phrase | st.text(max_size=100)))
    elif shape == "update":
        members = st.lists(st.sampled_from([{"id": BOT_ID}, {"id": "29:other"}]) | junk, max_size=2)
        activity = sender.envelope(
            "conversationUpdate",
            membersAdded=draw(members),
            membersRemoved=draw(members),
            channelData={"eventType": draw(st.sampled_from(["teamMemberAdded", "teamDeleted", "x"]))},
        )
    else:
        activity = sender.envelope(
            draw(
                st.sampled_from(["typing", "event", "messageReaction", "installationUpdate"])
                | st.text(max_size=12)
            )
        )
    if draw(st.integers(0, 4)) == 0:  # a team channel instead of the 1:1 chat
        activity["conversation"] = {
            "conversationType": "channel",
            "id": "19:team@thread.tacv2",
            "tenantId": sender.tenant_id,
        }
        activity["channelData"] = {
            "team": {"id": "19:team@thread.tacv2", "name": draw(st.text(max_size=20))},
            **activity.get("channelData", {}),
        }
    spoil = draw(st.integers(0, 3)) == 0
    for field in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2)) if spoil else []:
        if draw(st.booleans()):
            activity.pop(field, None)
        else:
            activity[field] = draw(junk)
    return activity


async def _post(harness: Harness, activity: dict[str, Any] | bytes) -> int:
    assert harness.client is not None
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    response = await harness.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    await response.read()
    await harness.settle()
    return response.status


async def _contract_ids(harness: Harness) -> list[int]:
    async with harness.steward.database.session() as session:
        query = select(Contract.id).order_by(Contract.key != "IVWS", Contract.id)  # IVWS first
        return list((await session.execute(query)).scalars())


async def _partial_records(harness: Harness) -> list[str]:
    """Every way a return could be half-written; empty when the database is whole."""
    problems: list[str] = []
    async with harness.steward.database.session() as session:
        for monthly in (await session.execute(select(MonthlyReturn))).scalars():
            numbers = set(
                (
                    await session.execute(
                        select(ReturnVersion.version).where(ReturnVersion.return_id == monthly.id)
                    )
                ).scalars()
            )
            if numbers != set(range(1, monthly.current_version + 1)):
                problems.append(
                    f"return {monthly.id} at v{monthly.current_version} has versions {sorted(numbers)}"
                )
            if (monthly.status == "submitted") != (monthly.current_version > 0):
                problems.append(f"return {monthly.id} is {monthly.status} at v{monthly.current_version}")
            indicators = set(
                (
                    await session.execute(
                        select(Indicator.id).where(
                            Indicator.contract_id == monthly.contract_id,
                            Indicator.frequency == "monthly",
                            Indicator.active.is_(True),  # type: ignore[attr-defined]
                        )
                    )
                ).scalars()
            )
            for version in (
                await session.execute(select(ReturnVersion).where(ReturnVersion.return_id == monthly.id))
            ).scalars():
                stored = set(
                    (
                        await session.execute(
                            select(ReturnValue.indicator_id).where(ReturnValue.version_id == version.id)
                        )
                    ).scalars()
                )
                if stored != indicators:
                    problems.append(
                        f"return {monthly.id} v{version.version} has {len(stored)} of {len(indicators)} values"
                    )
    return problems


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """Hypothesis drives a synchronous test; the app runs on this loop for the whole run."""
    running = asyncio.new_event_loop()
    yield running
    running.close()


def fuzz(loop: asyncio.AbstractEventLoop, url: str, caplog: pytest.LogCaptureFixture, examples: int) -> None:
    """Throw `examples` generated activities at a fresh app on `url`, then check it is whole and serving."""
    connector = loop.run_until_complete(ConnectorStandIn().start())
    harness = loop.run_until_complete(Harness(url, FrozenClock(START), connector).start())
    statuses: dict[int, int] = {}
    try:
        assert harness.client is not None
        contract_ids = loop.run_until_complete(_contract_ids(harness))
        client, service_url = harness.client, connector.url
        # One real return first, so amendments and conflicts are in play from the first example.
        first = person(client, service_url, "priya")
        loop.run_until_complete(
            first.press("return.submit", {"contract_id": contract_ids[0], "month": "2026-10", **IVWS_GOOD})
        )
        assert card_texts(first.card)[0] == "Return received: October 2026"

        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(activity=activities(client, service_url, contract_ids))
        def accepted_or_refused(activity: dict[str, Any] | bytes) -> None:
            status = loop.run_until_complete(_post(harness, activity))
            statuses[status] = statuses.get(status, 0) + 1
            assert status < 500 or status == 501, status
            broken = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
            assert not broken, broken[0].getMessage()

        with caplog.at_level(logging.INFO):
            accepted_or_refused()

        assert loop.run_until_complete(_partial_records(harness)) == []
        assert statuses.get(200, 0) > 0 and statuses.get(400, 0) > 0, statuses

        # Still serving: a plain request afterwards is answered as on the first day.
        connector.clear()
        priya = person(client, service_url, "priya")
        status, _ = loop.run_until_complete(priya.say("help"))
        assert status == 200
        [reply] = connector.sent(priya.conversation_id)
        assert card_texts(reply.card)[0] == "Good morning, Priya"
        assert loop.run_until_complete(_count_versions(harness)) >= 1
    finally:
        loop.run_until_complete(harness.close())
        loop.run_until_complete(connector.close())


def test_generated_activities_never_break_the_app(
    loop: asyncio.AbstractEventLoop, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fuzz(loop, f"sqlite:///{tmp_path / 'fuzz.db'}", caplog, examples=150)


def test_generated_activities_never_break_the_app_on_postgresql(
    loop: asyncio.AbstractEventLoop, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL is the stricter store (column widths, NUL bytes), so the same run goes there too."""
    url = loop.run_until_complete(_scratch_postgres())
    if url is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN}")
    try:
        fuzz(loop, url, caplog, examples=60)
    finally:
        loop.run_until_complete(_drop_postgres(url))


async def _scratch_postgres() -> str | None:
    try:
        admin = await asyncio.wait_for(asyncpg.connect(POSTGRES_ADMIN), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None
    name = f"steward_fuzz_{uuid.uuid4().hex[:12]}"
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"


async def _drop_postgres(url: str) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


async def _count_versions(harness: Harness) -> int:
    async with harness.steward.database.session() as session:
        return (await session.execute(select(func.count()).select_from(ReturnVersion))).scalar_one()
