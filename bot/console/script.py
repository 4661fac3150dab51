"""Scripted chats (examples/*.chat): a small line format, checked before anything runs, then played.

# a comment                         not shown
## Priya submits the return         a heading, shown in the transcript
as priya.shah@victimsupport.example chat as this person (name or email), opening their chat
> submit return                     type a message
Referrals received = 2710           type into an input, by its label (or a part only it has) or id
[Submit return]                     press a button by its title
expect: Return received             Steward showed this since the last thing done (spacing ignored)
expect not: Something went wrong    ... and not this
clock 2026-11-03 10:00              set the bot's clock (local time); only for a bot started here
clock +2 days                       move it on (minutes, hours, days, weeks)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.console.errors import ChatError, ScriptFailed
from bot.console.session import ChatSession
from bot.console.text import line, styled

_ADVANCE = re.compile(r"^\+\s*(\d+)\s*(minute|hour|day|week)s?$", re.IGNORECASE)
UNITS = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks"}


@dataclass(frozen=True)
class Step:
    number: int  # line in the file
    source: str  # the line as written


@dataclass(frozen=True)
class Note(Step):
    text: str


@dataclass(frozen=True)
class Switch(Step):
    who: str


@dataclass(frozen=True)
class Say(Step):
    text: str


@dataclass(frozen=True)
class Fill(Step):
    name: str
    value: str


@dataclass(frozen=True)
class Press(Step):
    title: str


@dataclass(frozen=True)
class Expect(Step):
    text: str
    present: bool = True


@dataclass(frozen=True)
class SetClock(Step):
    moment: datetime  # naive: the bot's local time


@dataclass(frozen=True)
class AdvanceClock(Step):
    delta: timedelta


FORMS = (
    "`as NAME`, `> message`, `[Button title]`, `Input label = value`, `expect: text`, "
    "`expect not: text`, `clock YYYY-MM-DD HH:MM`, `clock +N days`, `## heading` or `# comment`"
)


def parse_clock(text: str) -> datetime | timedelta:
    """`2026-11-03 10:00` (a moment, local time) or `+2 days` (a step forward); ValueError otherwise."""
    text = text.strip()
    advance = _ADVANCE.match(text)
    if advance:
        return timedelta(**{UNITS[advance.group(2).lower()]: int(advance.group(1))})
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - local time; the zone is the bot's
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time: write `clock 2026-11-03 10:00` or `clock +2 days`"
        ) from None


def parse_line(number: int, source: str) -> Step | None:
    text = source.strip()
    if not text or (text.startswith("#") and not text.startswith("##")):
        return None
    if text.startswith("##"):
        return Note(number, source, text.lstrip("#").strip())
    if text.startswith(">"):
        said = text[1:].strip()
        if not said:
            raise ValueError("`>` needs the message to type after it")
        return Say(number, source, said)
    if text.startswith("[") and text.endswith("]"):
        title = text[1:-1].strip()
        if not title:
            raise ValueError("`[]` needs a button title inside")
        return Press(number, source, title)
    lowered = text.lower()
    for prefix, present in (("expect not:", False), ("expect:", True)):
        if lowered.startswith(prefix):
            wanted = text[len(prefix) :].strip()
            if not wanted:
                raise ValueError(f"`{prefix}` needs the text to look for")
            return Expect(number, source, wanted, present)
    if lowered.startswith("as "):
        return Switch(number, source, text[3:].strip())
    if lowered.startswith("clock "):
        moment = parse_clock(text[6:])
        if isinstance(moment, timedelta):
            return AdvanceClock(number, source, moment)
        return SetClock(number, source, moment)
    if "=" in text:
        name, value = text.split("=", 1)
        if not name.strip():
            raise ValueError("an input line needs the input's label before `=`")
        return Fill(number, source, name.strip(), value.strip())
    raise ValueError(f"cannot read {text!r}. A line is one of: {FORMS}")


def parse_script(text: str, name: str) -> list[Step]:
    """Every step of the script; raises ScriptFailed naming the file and line of the first bad one."""
    steps: list[Step] = []
    for number, source in enumerate(text.splitlines(), 1):
        try:
            step = parse_line(number, source)
        except ValueError as error:
            raise ScriptFailed(f"{name}:{number}: {error}") from None
        if step is not None:
            steps.append(step)
    return steps


def _squash(text: str) -> str:
    return " ".join(text.split())


async def play(session: ChatSession, steps: list[Step], name: str) -> None:
    """Run the steps, writing the transcript as they go; the first step that fails stops the script."""
    out = session.out
    last_action: Step | None = None
    previous: Step | None = None
    for step in steps:
        after, previous = previous, step
        try:
            if isinstance(step, Note):
                if not isinstance(after, Note):  # a heading of several lines stays together
                    out.write()
                out.write(line(styled(f"## {step.text}", "bold")))
                continue
            if isinstance(step, Expect):
                _check(step, out.since_mark(), last_action, name)
                continue
            if isinstance(step, Fill):
                session.fill(step.name, step.value)
                continue
            last_action = step
            if isinstance(step, Switch):
                out.mark()
                await session.open(step.who)
            elif isinstance(step, Say):
                chat = session.chat
                out.write()
                out.write(line(styled(f"{chat.person.first_name if chat else ''}> {step.text}", "bold")))
                out.mark()
                await session.say(step.text)
            elif isinstance(step, Press):
                chat = session.chat
                typed = session.typed() if chat is not None else []
                out.write()
                out.write(line(styled(f"{chat.person.first_name if chat else ''}> [{step.title}]", "bold")))
                for label, value in typed:
                    out.write(f"    {label}: {value}")
                out.mark()
                await session.press(step.title)
            elif isinstance(step, SetClock):
                out.mark()
                await session.move_clock(step.moment)
            elif isinstance(step, AdvanceClock):
                out.mark()
                await session.move_clock(step.delta)
        except ScriptFailed:
            raise
        except ChatError as error:
            raise ScriptFailed(f"{name}:{step.number}: {error}") from None


def _check(step: Expect, shown: str, after: Step | None, name: str) -> None:
    found = _squash(step.text) in _squash(shown)
    if found == step.present:
        return
    since = f"after line {after.number} ({after.source.strip()})" if after else "so far"
    if step.present:
        seen = "\n".join(f"    {row}" for row in shown.splitlines() if row.strip()) or "    (nothing)"
        raise ScriptFailed(
            f"{name}:{step.number}: expected Steward to show {step.text!r} {since}, but it did not. "
            f"It showed:\n{seen}"
        )
    raise ScriptFailed(
        f"{name}:{step.number}: Steward showed {step.text!r} {since}, which the script says it must not."
    )
