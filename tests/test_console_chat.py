"""`steward chat` against the real bot: the shipped scripts, script failures, interactive mode, a bot at a URL."""

from __future__ import annotations

import asyncio
import io
import queue
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from bot.console import ChatError, ChatOptions, open_chat, run_chat
from bot.console.bots import InProcessBot
from bot.console.errors import ScriptFailed
from bot.console.repl import interactive
from bot.console.terminal import Terminal, Writer
from bot.settings import Settings
from commissioning.clock import FrozenClock
from dialogs.cards import message_card
from storage.engine import Database
from storage.models import Person
from storage.outbox import Outbox
from tests.conftest import DEMO, ROOT, Harness
from tests.connector_standin import ConnectorStandIn

EXAMPLES = sorted((ROOT / "examples").glob("*.chat"))
MONTHLY_RETURN = ROOT / "examples" / "monthly-return.chat"
WALKTHROUGH = ROOT / "examples" / "month-walkthrough.chat"
SLIPPING = ROOT / "examples" / "slipping-month.chat"
QUARTER_END = ROOT / "examples" / "quarter-end.chat"
HISTORY = DEMO.with_name("demo-history.yaml")

IVWS_FIGURES = """\
Referrals received = 2710
Victims contacted within two working days = 93.5
Needs assessments completed = 88
High-risk victims supported = 162
Witnesses given pre-trial support = 431
User satisfaction = 84
Safeguarding concerns escalated = Yes
Narrative = A steady month; contact times recovered after staffing.
"""


def options(database_url: str, clock: FrozenClock, history: bool = False, **extra: object) -> ChatOptions:
    """`steward chat`'s options; with `history`, the demo's past is loaded too, as `steward chat` does."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        DATABASE_URL=database_url,
        DEMO_PORTFOLIO=DEMO,
        DEMO_HISTORY=HISTORY if history else None,
    )
    return ChatOptions(settings, clock=clock, connector_port=0, **extra)  # type: ignore[arg-type]


async def play(tmp_path: Path, database_url: str, clock: FrozenClock, script: str, **extra: object) -> str:
    path = tmp_path / "test.chat"
    path.write_text(script, encoding="utf-8")
    return await run_chat(options(database_url, clock, **extra), writer=Writer(io.StringIO()), script=path)


def block(transcript: str, first_line: str, count: int) -> list[str]:
    """`count` lines of the transcript starting at the last line that is `first_line`."""
    lines = transcript.splitlines()
    start = len(lines) - 1 - lines[::-1].index(first_line)
    return lines[start : start + count]


# -- the shipped scripts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
async def test_each_shipped_example_plays_through_to_its_last_expectation(
    script: Path, database_url: str, clock: FrozenClock
) -> None:
    transcript = await run_chat(
        options(database_url, clock, history=True), writer=Writer(io.StringIO()), script=script
    )

    assert transcript.count("opens Steward ──") >= 2


async def test_the_quarter_end_script_corrects_the_return_approves_the_payment_and_plans_for_the_miss(
    database_url: str, clock: FrozenClock
) -> None:
    transcript = await run_chat(
        options(database_url, clock, history=True), writer=Writer(io.StringIO()), script=QUARTER_END
    )
    flat = " ".join(transcript.split())

    steps = [
        "Priya> [Amend KPI return]",
        "Enter a number, like 78 or 78.5 (not '81 percent').",
        "KPI return amendment received: Q2 2026/27",
        "Daniel> kpi card",
        # REF 20 × 1 + SAT 20 × 0.9167 + COPE 25 × 1 + BEST 20 × 1 + VCOP 15 × 0.7895 = 95.1754% of £193,750.
        "Weighted achievement: 95.1754% Payment: £184,402.41",
        "REF, SAT, COPE, BEST, VCOP are not checked yet.",
        "Evidence checklist saved.",
        "Outcome payment approved.",
        "Daniel> [Plan for PI2]",
        "Plan agreed.",
        "Daniel> [Minutes: Q2 2026/27]",
        "Outcome payment approved: £184,402.41 Approved by: Daniel Reyes, Tuesday 3 November 2026 at 10:00",
        "── back to Priya Shah ──",
        "a performance improvement plan for Victims contacted within two working days",
    ]
    position, missing = 0, []
    for step in steps:  # each after the one before
        found = flat.find(" ".join(step.split()), position)
        if found < 0:
            missing.append(step)
        position = max(position, found)
    assert missing == []


async def test_the_monthly_return_script_shows_the_receipt_replacing_the_form_then_the_commissioners_card(
    database_url: str, clock: FrozenClock
) -> None:
    transcript = await run_chat(
        options(database_url, clock), writer=Writer(io.StringIO()), script=MONTHLY_RETURN
    )

    assert block(transcript, "Priya> [Submit return]", 10) == [
        "Priya> [Submit return]",
        "    PI2  Victims contacted within two working days (%): 93.5",
        "",
        "Steward (updated the card):",
        "  Return received: October 2026",
        "  =============================",
        "  Contract: Integrated Victims and Witnesses Service",
        "  Received: 10:00 on Tuesday 03 November 2026",
        "  Version:  1",
        "  Sent to:  Daniel Reyes, Hannah Clarke",
    ]
    assert block(
        transcript, "  ▸ PI2  Victims contacted within two working days (%): 135   (number from 0 to 100)", 3
    ) == [
        "  ▸ PI2  Victims contacted within two working days (%): 135   (number from 0 to 100)",
        "    0% to 100%. Minimum service requirement: at least 90%.",
        "    ! Enter a value from 0% to 100%.",
    ]
    assert block(
        transcript,
        "Steward (new message) - Integrated Victims and Witnesses Service: October 2026 return received",
        3,
    )[1:] == ["  Monthly return: October 2026", "  ============================"]


async def test_the_month_walkthrough_passes_from_provider_to_commissioner_and_back_as_the_month_goes_on(
    database_url: str, clock: FrozenClock
) -> None:
    transcript = await run_chat(
        options(database_url, clock), writer=Writer(io.StringIO()), script=WALKTHROUGH
    )

    milestones = [
        line
        for line in transcript.splitlines()
        if line.startswith(("── ", "Priya> [", "Daniel> [", "Priya> ", "Daniel> "))
    ]
    assert milestones == [
        "── the bot's clock reads Tuesday 03 November 2026 10:00 ──",
        "── Priya Shah <priya.shah@victimsupport.example> opens Steward ──",
        "Priya> submit return",
        "Priya> [Integrated Victims and Witnesses Service]",
        "Priya> [Submit return]",
        "── Daniel Reyes <daniel.reyes@mopac.example> opens Steward ──",
        "Daniel> [Schedule meeting]",
        "── the bot's clock reads Friday 06 November 2026 11:30 ──",
        "Daniel> [Record the meeting]",
        "Daniel> [Record meeting]",
        "── back to Priya Shah ──",
        "── the bot's clock reads Thursday 12 November 2026 14:00 ──",
        "Priya> my actions",
        "Priya> [Open]",
        "Priya> [Mark done]",
        "── back to Daniel Reyes ──",
        "Daniel> action log",
    ]


async def test_the_slipping_month_brings_each_reminder_and_escalation_as_the_clock_moves(
    database_url: str, clock: FrozenClock
) -> None:
    transcript = await run_chat(options(database_url, clock), writer=Writer(io.StringIO()), script=SLIPPING)
    flat = " ".join(transcript.split())

    steps = [
        "── the bot's clock reads Tuesday 10 November 2026 09:30 ──",
        "• Integrated Victims and Witnesses Service: October 2026 return due Friday 13 November [1] Submit the return",
        "── the bot's clock reads Monday 16 November 2026 09:30 ──",
        "• Integrated Victims and Witnesses Service: October 2026 return due Friday 13 November, now overdue",
        "── the bot's clock reads Wednesday 18 November 2026 09:30 ──",
        "── back to Daniel Reyes ──",
        "Escalation: October 2026 return overdue",
        "Overdue since: Saturday 14 November 2026 (3 working days late)",
        "Responsible: <at>Priya Shah</at>",
        "What happens next: If it is still outstanding on Friday 27 November, the director will be told.",
        "── the bot's clock reads Friday 27 November 2026 09:30 ──",
        "── back to Amara Okafor ──",
        "Escalation: October 2026 return overdue",
        "Overdue since: Saturday 14 November 2026 (10 working days late)",
        "What happens next: This was the last step: Steward will not escalate it further.",
        "── back to Priya Shah ──",
        "Priya> [Submit the return]",
        "Monthly return: October 2026",
        "Priya> [Submit return]",
        "Return received: October 2026",
        "Contract: Integrated Victims and Witnesses Service",
    ]
    at = 0
    for step in steps:
        found = flat.find(" ".join(step.split()), at)
        assert found >= 0, f"{step!r} not shown after {flat[max(at - 200, 0) : at]!r}"
        at = found + len(step)


# -- people and their chats ----------------------------------------------------------------------------------


async def test_a_message_for_someone_not_on_screen_is_noted_and_shown_when_the_chat_switches_to_them(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    script = f"""\
as Daniel Reyes
as priya
> submit return
[Integrated Victims and Witnesses Service]
{IVWS_FIGURES}
[Submit return]
expect: (Steward sent Daniel Reyes a message: Integrated Victims and Witnesses Service: October 2026 return received. It waits in their chat.)
as daniel
expect: ── back to Daniel Reyes ──
expect: Steward (new message) - Integrated Victims and Witnesses Service: October 2026 return received
expect: Submitted by: Priya Shah
"""
    await play(tmp_path, database_url, clock, script)


async def test_switching_back_with_nothing_new_shows_the_card_that_was_open(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    transcript = await play(tmp_path, database_url, clock, "as lewis\n> submit return\nas daniel\nas lewis\n")

    assert block(transcript, "── back to Lewis Grant ──", 4)[1:] == [
        "",
        "Steward (the card you had open):",
        "  Monthly return: October 2026",
    ]


async def test_someone_known_only_by_email_is_recognised_by_their_email(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    transcript = await play(
        tmp_path, database_url, clock, "as owen.price@wm-opcc.example\nexpect: Good morning, Owen\n"
    )

    assert "── Owen Price <owen.price@wm-opcc.example> opens Steward ──" in transcript
    async with _database(database_url) as session:
        owen = (await session.execute(select(Person).where(Person.name == "Owen Price"))).scalar_one()
    assert (owen.teams_user_id, owen.aad_object_id) == ("owen.price@wm-opcc.example", None)


async def test_the_clock_moves_and_the_bot_sees_the_new_time(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    script = """\
clock 2026-11-03 09:00
as lewis
expect: Good morning, Lewis
clock +9 hours
expect: ── the bot's clock reads Tuesday 03 November 2026 18:00 ──
> hello
expect: Good evening, Lewis
"""
    await play(tmp_path, database_url, clock, script)


# -- a script that does not go as written --------------------------------------------------------------------


async def test_an_unmet_expectation_names_the_line_and_shows_what_steward_showed(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    with pytest.raises(ScriptFailed) as failure:
        await play(tmp_path, database_url, clock, "# Lewis\nas lewis\nexpect: Good evening, Lewis\n")

    message = str(failure.value)
    assert message.startswith(
        f"{tmp_path / 'test.chat'}:3: expected Steward to show 'Good evening, Lewis' after line 2 (as lewis), "
        "but it did not. It showed:\n"
        "    ── Lewis Grant <lewis.grant@safehomes.example> opens Steward ──\n"
        "    Steward:\n"
        "      Good morning, Lewis\n"
    )


async def test_text_the_script_forbids_fails_it_when_shown(
    tmp_path: Path, database_url: str, clock: FrozenClock
) -> None:
    with pytest.raises(
        ScriptFailed, match=r"test\.chat:2: Steward showed 'Good morning' after line 1 \(as lewis\)"
    ):
        await play(tmp_path, database_url, clock, "as lewis\nexpect not: Good morning\n")


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            "as lewis\n[Approve]",
            ":2: The card has no button 'Approve'. Its buttons are [Submit a monthly return], [Submit a KPI return], [Quarterly deliverables], [My actions], [Meeting agendas], [Help], [Portfolio].",
        ),
        ("as lewis\nReferrals = 12", ":2: There is nothing to fill in: the open card has no inputs."),
        (
            "as lewis\n> submit return\nStaffing = 3",
            ":3: The card has no input 'Staffing'. Its inputs are: AC1  Referrals",
        ),
        (
            "as lewis\n> submit return\nAverage hours = 3",
            ":3: 'Average hours' could be any of: AC3  Average hours",
        ),
        ("> hello", ":1: Nobody is chatting yet: say who first"),
        ("as Sam Stranger", ":1: Nobody called 'Sam Stranger' is in the portfolio."),
    ],
)
async def test_a_step_that_cannot_be_done_stops_the_script_saying_why(
    tmp_path: Path, database_url: str, clock: FrozenClock, lines: str, problem: str
) -> None:
    with pytest.raises(ScriptFailed) as failure:
        await play(tmp_path, database_url, clock, lines + "\n")

    assert str(failure.value).startswith(f"{tmp_path / 'test.chat'}{problem}")


async def test_a_script_with_a_bad_line_is_refused_before_the_bot_starts(
    tmp_path: Path, clock: FrozenClock
) -> None:
    with pytest.raises(ScriptFailed, match=r"test\.chat:2: cannot read 'hello there'"):
        await play(tmp_path, "postgresql://nobody@127.0.0.1:1/none", clock, "as lewis\nhello there\n")


# -- interactive ---------------------------------------------------------------------------------------------


async def test_at_the_prompt_a_number_presses_a_button_and_each_input_is_asked_for_with_the_bots_error_under_it(
    database_url: str, clock: FrozenClock
) -> None:
    typed = "\n".join(
        [
            "1",  # Submit a monthly return: Lewis has one contract, so the form opens
            "1",  # Submit return
            *["70", "50", "12", "16", "22", "65", "95", ""],  # no narrative
            "1",
            *[""] * 7,  # the figures are kept
            "A settled month.",
            "/quit",
        ]
    )
    screen = io.StringIO()
    writer = Writer(screen)

    await run_chat(
        options(database_url, clock),
        writer=writer,
        terminal=Terminal(writer, stdin=io.StringIO(typed + "\n")),
        as_person="lewis",
    )

    shown = screen.getvalue()
    assert "Lewis> 1\nFill in the card. Enter keeps the value in brackets; a single - empties it.\n" in shown
    assert (
        "AC1  Referrals received (referrals)\n"
        "  0 or more. Minimum service requirement: at least 60.\n"
        "  number, 0 or more: 70\n"
    ) in shown
    assert (
        "Narrative\n"
        "  At least 10 characters: what went well, what didn't, and why.\n"
        "  ! Add a short narrative of at least 10 characters: what went well, what didn't, and why.\n"
        "  text, several lines, up to 4,000 characters: A settled month.\n"
    ) in shown
    assert "  number, 0 or more [70]: \n" in shown
    assert "  Return received: October 2026\n" in shown


async def test_console_commands_switch_person_show_the_card_again_and_refuse_what_they_do_not_know(
    database_url: str, clock: FrozenClock
) -> None:
    typed = "/as daniel\n/card\n/nonsense\n[Help]\n7\n/quit\n"
    screen = io.StringIO()
    writer = Writer(screen)

    await run_chat(
        options(database_url, clock),
        writer=writer,
        terminal=Terminal(writer, stdin=io.StringIO(typed)),
        as_person="lewis",
    )

    shown = screen.getvalue()
    assert "Lewis> /as daniel\n\n── Daniel Reyes <daniel.reyes@mopac.example> opens Steward ──\n" in shown
    assert "Daniel> /card\n\nSteward (the open card):\n  Good morning, Daniel\n" in shown
    assert "Daniel> /nonsense\n! /nonsense is not a console command; /help lists them.\n" in shown
    assert "Daniel> [Help]\n\nSteward (updated the card):\n  What you can type\n" in shown
    assert "Daniel> 7\n! There is no button 7: choose 1 to 1.\n" in shown


class TypedLater(io.TextIOBase):
    """Stdin whose lines the test hands over when it is ready, as a person typing would."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def readline(self, size: int | None = -1) -> str:
        return self.lines.get()


class Screen(io.StringIO):
    """Stdout a test can wait on."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = asyncio.Event()

    def write(self, text: str) -> int:
        self.changed.set()
        return super().write(text)

    async def shows(self, text: str) -> None:
        async with asyncio.timeout(30):
            while text not in self.getvalue():
                self.changed.clear()
                await self.changed.wait()


async def test_a_message_that_arrives_while_the_person_is_at_the_prompt_is_shown_at_once_and_the_prompt_put_back(
    database_url: str, clock: FrozenClock
) -> None:
    screen, stdin = Screen(), TypedLater()
    writer = Writer(screen)
    async with open_chat(options(database_url, clock), writer) as session:
        chatting = asyncio.create_task(interactive(session, Terminal(writer, stdin=stdin), "daniel"))
        await screen.shows("Daniel> ")
        assert isinstance(session.bot, InProcessBot)
        steward = session.bot.steward
        async with steward.database.session() as db:
            daniel = (await db.execute(select(Person).where(Person.name == "Daniel Reyes"))).scalar_one()
            await Outbox(db).enqueue(
                key="test:reminder",
                kind="reminder",
                recipient_id=daniel.id,
                now=clock.now(),
                payload={
                    "card": message_card("Meeting due", ["Schedule October's review."]),
                    "summary": "Reminder",
                },
            )
        steward.dispatcher.kick()

        await screen.shows("Schedule October's review.\nDaniel> ")
        stdin.lines.put("/quit\n")
        await chatting

    assert "Daniel> \nSteward (new message) - Reminder\n  Meeting due\n  ===========\n" in screen.getvalue()


# -- a bot running elsewhere ---------------------------------------------------------------------------------


async def test_a_bot_already_running_is_driven_through_its_url(tmp_path: Path, harness: Harness) -> None:
    url = str(harness.client.make_url("/"))  # type: ignore[union-attr]
    script = (
        "as lewis\n> submit return\nexpect: Monthly return: October 2026\nexpect: AC1  Referrals received\n"
    )

    transcript = await play(tmp_path, harness.database_url, harness.clock, script, url=url)

    assert "── Lewis Grant <lewis.grant@safehomes.example> opens Steward ──" in transcript


async def test_the_clock_of_a_bot_running_elsewhere_cannot_be_set(tmp_path: Path, harness: Harness) -> None:
    url = str(harness.client.make_url("/"))  # type: ignore[union-attr]

    with pytest.raises(
        ScriptFailed, match=r":1: Only a bot the console started itself can have its clock set\."
    ):
        await play(tmp_path, harness.database_url, harness.clock, "clock +1 day\n", url=url)


async def test_a_bot_that_checks_bot_framework_tokens_refuses_the_console_and_says_what_to_do(
    tmp_path: Path, database_url: str, clock: FrozenClock, connector: ConnectorStandIn
) -> None:
    guarded = await Harness(
        database_url,
        clock,
        connector,
        MicrosoftAppId="00000000-0000-4000-8000-000000000001",
        MicrosoftAppPassword="x",
    ).start()
    try:
        with pytest.raises(
            ScriptFailed, match=r"The bot refused the console \(HTTP 401\): it checks Bot Framework"
        ):
            await play(tmp_path, database_url, clock, "as lewis\n", url=str(guarded.client.make_url("/")))  # type: ignore[union-attr]
    finally:
        await guarded.close()


async def test_only_a_bot_on_this_machine_can_be_chatted_with(database_url: str, clock: FrozenClock) -> None:
    with pytest.raises(
        ChatError, match=r"The console talks only to a bot on this machine \(127\.0\.0\.1\), not example\.org"
    ):
        async with open_chat(
            options(database_url, clock, url="http://example.org:3978"), Writer(io.StringIO())
        ):
            pass


# -- the command line ----------------------------------------------------------------------------------------


def test_steward_chat_plays_a_script_on_a_fresh_database_and_prints_the_transcript(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["chat", "--fresh", "--no-colour", "--script", str(MONTHLY_RETURN)])

    out = capsys.readouterr().out
    assert code == 0
    assert "  Return received: October 2026\n" in out
    assert "\x1b[" not in out


def test_steward_chat_needs_to_know_who_to_chat_as(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["chat", "--fresh"])

    assert code == 1
    assert capsys.readouterr().err == (
        "steward: say who to chat as: steward chat --as NAME-OR-EMAIL (`steward people` lists them)\n"
    )


def test_a_failing_script_exits_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "bad.chat"
    script.write_text("as lewis\n[Approve]\n", encoding="utf-8")

    code = main(["chat", "--fresh", "--no-colour", "--script", str(script)])

    assert code == 1
    assert capsys.readouterr().err.startswith(f"steward: {script}:2: The card has no button 'Approve'.")


# -- helpers -------------------------------------------------------------------------------------------------


@asynccontextmanager
async def _database(database_url: str) -> AsyncIterator[AsyncSession]:
    database = Database(database_url)
    try:
        async with database.session() as session:
            yield session
    finally:
        await database.dispose()
