"""The monthly return: pick a contract, fill in the PIs, save a draft or submit, amend; the reviewers' card."""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field, field_validator

from commissioning.indicators import (
    IndicatorKind,
    IndicatorSpec,
    changed_values,
    format_value,
    rag,
    validate_values,
)
from commissioning.periods import Month, last_completed_month
from commissioning.roles import RETURN_REVIEWERS, Permission
from dialogs.base import Payload, Refused, Reply, Router, Turn
from dialogs.cards import (
    card,
    columns,
    container,
    error_text,
    execute,
    facts,
    heading,
    input_choice,
    input_number,
    input_text,
    plain,
    rag_badge,
    subtle,
    text,
)
from dialogs.meetings import MeetingOffer, review_meeting_offer
from storage.models import Contract, Indicator, MonthlyReturn
from storage.outbox import CHANNEL_PREFIX
from storage.people import indicator_spec
from storage.returns import VersionConflict

router = Router("monthly_return")
router.command(
    "return.start",
    "submit return",
    "submit a return",
    "monthly return",
    "return",
    help_text="Submit, continue or amend a monthly performance return",
)

NARRATIVE_MAX = 4000
INPUT_PREFIX = "pi_"


class StartReturn(Payload):
    contract_id: int | None = Field(default=None, ge=1)
    month: str | None = None


class ReturnRef(Payload):
    contract_id: int = Field(ge=1)
    month: str

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        return Month.parse(value).key


class ReturnForm(ReturnRef):
    based_on_version: int = Field(default=0, ge=0)


class ViewReturn(Payload):
    return_id: int = Field(ge=1)
    version: int | None = Field(default=None, ge=1)


# -- authorisation -------------------------------------------------------------------------------------------


def _contract_for(turn: Turn, contract_id: int, permission: Permission) -> Contract:
    for membership in turn.memberships:
        if membership.contract.id == contract_id and turn.may(contract_id, permission):
            return membership.contract
    raise Refused(
        "You don't have a role on that contract that allows this.", reason=f"{permission}:{contract_id}"
    )


def _check_month(contract: Contract, month: Month, turn: Turn) -> None:
    latest = last_completed_month(turn.local_now.date())
    if month > latest:
        raise Refused(
            f"A return for {month.label} can be made once the month is over.", reason="future month"
        )
    if month.last_day < contract.starts_on or month.first_day > contract.ends_on:
        raise Refused(f"{plain(contract.name)} did not run in {month.label}.", reason="outside contract")


# -- steps ---------------------------------------------------------------------------------------------------


@router.action("return.start", StartReturn)
async def start(turn: Turn, payload: StartReturn) -> Reply:
    contracts = turn.contracts_where(Permission.SUBMIT_RETURN)
    if not contracts:
        raise Refused(
            "Only a provider contact or head of service can submit a monthly return.", reason="no role"
        )
    month = Month.parse(payload.month) if payload.month else last_completed_month(turn.local_now.date())
    if payload.contract_id is not None:
        contract = _contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
        return await _open(turn, contract, month)
    if len(contracts) == 1:
        return await _open(turn, contracts[0], month)
    buttons = [
        execute(contract.name[:60], "return.open", {"contract_id": contract.id, "month": month.key})
        for contract in sorted(contracts, key=lambda c: c.name)
    ]
    body = [heading("Which contract is this return for?"), text(f"The return will be for {month.label}.")]
    return Reply(card=card(body, buttons), replace=True)


@router.action("return.open", ReturnRef)
async def open_return(turn: Turn, payload: ReturnRef) -> Reply:
    contract = _contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    return await _open(turn, contract, Month.parse(payload.month))


@router.action("return.amend", ReturnRef)
async def amend(turn: Turn, payload: ReturnRef) -> Reply:
    contract = _contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    month = Month.parse(payload.month)
    monthly = await turn.repos.returns.find(contract.id, month)  # type: ignore[arg-type]
    if monthly is None or monthly.current_version == 0:
        return await _open(turn, contract, month)
    indicators = await turn.repos.people.indicators(contract.id)  # type: ignore[arg-type]
    if monthly.draft_saved_at is not None:
        values, narrative = dict(monthly.draft_values), monthly.draft_narrative
    else:
        latest = await turn.repos.returns.version(monthly.id, monthly.current_version)  # type: ignore[arg-type]
        assert latest is not None
        values = {code: _entry_text(value) for code, value in latest.values.items()}
        narrative = latest.version.narrative
    return Reply(
        card=form_card(
            contract,
            month,
            indicators,
            values,
            narrative,
            monthly=monthly,
            note=f"Amending version {monthly.current_version}. The earlier version is kept.",
        ),
        replace=True,
    )


@router.action("return.save", ReturnForm)
async def save_draft(turn: Turn, payload: ReturnForm) -> Reply:
    contract, month, indicators, entries, narrative, _, errors, monthly = await _read_form(
        turn, payload, final=False
    )
    if errors:
        return Reply(
            card=form_card(contract, month, indicators, entries, narrative, monthly=monthly, errors=errors),
            replace=True,
        )
    before = {"values": dict(monthly.draft_values), "narrative": monthly.draft_narrative}
    kept = {code: value for code, value in entries.items() if value.strip()}
    await turn.repos.returns.save_draft(
        monthly,
        values=kept,
        narrative=narrative,
        by_id=turn.person.id,  # type: ignore[arg-type]
        now=turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="return.draft_saved",
        entity="monthly_return",
        entity_id=monthly.id,
        contract_id=contract.id,
        before=before,
        after={"values": kept, "narrative": narrative},
    )
    saved_at = turn.local_now.strftime("%H:%M on %d %B")
    return Reply(
        card=form_card(
            contract,
            month,
            indicators,
            entries,
            narrative,
            monthly=monthly,
            note=f"Draft saved at {saved_at}. You can come back to it any time.",
        ),
        replace=True,
    )


@router.action("return.submit", ReturnForm)
async def submit(turn: Turn, payload: ReturnForm) -> Reply:
    contract, month, indicators, entries, narrative, values, errors, monthly = await _read_form(
        turn, payload, final=True
    )
    if errors:
        return Reply(
            card=form_card(
                contract,
                month,
                indicators,
                entries,
                narrative,
                monthly=monthly,
                errors=errors,
                based_on_version=payload.based_on_version,
            ),
            replace=True,
        )
    previous = None
    if payload.based_on_version:
        previous = await turn.repos.returns.version(monthly.id, payload.based_on_version)  # type: ignore[arg-type]
    try:
        version = await turn.repos.returns.submit(
            monthly,
            based_on_version=payload.based_on_version,
            values=values,
            indicators=indicators,
            narrative=narrative,
            by_id=turn.person.id,
            now=turn.now,  # type: ignore[arg-type]
        )
    except VersionConflict:
        return await _conflict(turn, contract, month, monthly, indicators, entries, values, narrative)
    amended = previous is not None
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="return.amended" if amended else "return.submitted",
        entity="monthly_return",
        entity_id=monthly.id,
        contract_id=contract.id,
        before={
            "version": previous.version.version,
            "values": previous.values,
            "narrative": previous.version.narrative,
        }
        if previous
        else {},
        after={"version": version.version, "values": values, "narrative": narrative},
    )
    reviewers = await turn.repos.people.people_with_roles(contract.id, RETURN_REVIEWERS)  # type: ignore[arg-type]
    provider = await turn.repos.people.organisation(contract.provider_org_id)
    review = review_card(
        contract,
        month,
        monthly,
        version.version,
        indicators,
        values,
        narrative,
        submitted_by=turn.person.name,
        provider=provider.name if provider else "",
        received_local=turn.local_now.strftime("%H:%M on %A %d %B %Y"),
        previous=previous.values if previous else None,
        narrative_changed=bool(previous and previous.version.narrative != narrative),
        # an amendment does not restart the meeting clock, so only the first receipt offers the meeting
        offer=None if amended else review_meeting_offer(turn, contract, monthly, month),
    )
    kind = "return.amended" if amended else "return.submitted"
    summary = f"{contract.name}: {month.label} return {'amended' if amended else 'received'}"
    for reviewer in reviewers:
        await turn.repos.outbox.enqueue(
            key=f"{kind}:{monthly.id}:v{version.version}:{reviewer.id}",
            kind=kind,
            recipient_id=reviewer.id,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": review, "summary": summary},
        )
    if await turn.repos.people.channel_conversation(contract.id):  # type: ignore[arg-type]
        # The contract team's channel sees the return too, without the buttons: they act in their 1:1 chats.
        shared = {
            key: value
            for key, value in review_card(
                contract,
                month,
                monthly,
                version.version,
                indicators,
                values,
                narrative,
                submitted_by=turn.person.name,
                provider=provider.name if provider else "",
                received_local=turn.local_now.strftime("%H:%M on %A %d %B %Y"),
                previous=previous.values if previous else None,
                narrative_changed=bool(previous and previous.version.narrative != narrative),
            ).items()
            if key != "actions"
        }
        await turn.repos.outbox.enqueue(
            key=f"{CHANNEL_PREFIX}{kind}:{monthly.id}:v{version.version}",
            kind=f"{CHANNEL_PREFIX}{kind}",
            recipient_id=None,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": shared, "summary": summary},
        )
    return Reply(
        card=receipt_card(
            contract,
            month,
            monthly,
            version.version,
            [r.name for r in reviewers],
            turn.local_now.strftime("%H:%M on %A %d %B %Y"),
            amended=amended,
        ),
        replace=True,
        notify=True,
    )


@router.action("return.view", ViewReturn)
async def view(turn: Turn, payload: ViewReturn) -> Reply:
    monthly = await turn.repos.returns.get(payload.return_id)
    if monthly is None:
        raise Refused("That return does not exist.", reason="unknown return")
    contract = _contract_for(turn, monthly.contract_id, Permission.VIEW_RETURN)
    number = payload.version or monthly.current_version
    submitted = await turn.repos.returns.version(monthly.id, number) if number else None  # type: ignore[arg-type]
    period = await turn.repos.returns.period(monthly.period_id)
    if submitted is None or period is None:
        raise Refused("That return has not been submitted yet.", reason="no version")
    indicators = await turn.repos.people.indicators(contract.id)  # type: ignore[arg-type]
    submitter = await turn.repos.people.person(submitted.version.submitted_by_id)
    provider = await turn.repos.people.organisation(contract.provider_org_id)
    received = submitted.version.received_at.astimezone(turn.zone).strftime("%H:%M on %A %d %B %Y")
    return Reply(
        card=review_card(
            contract,
            Month.of(period.starts_on),
            monthly,
            number,
            indicators,
            submitted.values,
            submitted.version.narrative,
            submitted_by=submitter.name if submitter else "",
            provider=provider.name if provider else "",
            received_local=received,
        )
    )


# -- helpers -------------------------------------------------------------------------------------------------


async def _open(turn: Turn, contract: Contract, month: Month) -> Reply:
    _check_month(contract, month, turn)
    indicators = await turn.repos.people.indicators(contract.id)  # type: ignore[arg-type]
    if not indicators:
        raise Refused(
            f"{plain(contract.name)} has no monthly indicators set up yet. Ask an administrator.",
            reason="no indicators",
        )
    monthly = await turn.repos.returns.find(contract.id, month)  # type: ignore[arg-type]
    if monthly is not None and monthly.current_version and monthly.draft_saved_at is None:
        return Reply(card=already_submitted_card(contract, month, monthly, turn), replace=True)
    values = dict(monthly.draft_values) if monthly else {}
    narrative = monthly.draft_narrative if monthly else ""
    note = None
    if monthly is not None and monthly.draft_saved_at is not None:
        note = (
            "Your saved draft from "
            + monthly.draft_saved_at.astimezone(turn.zone).strftime("%H:%M on %d %B")
            + "."
        )
    return Reply(
        card=form_card(contract, month, indicators, values, narrative, monthly=monthly, note=note),
        replace=True,
    )


async def _conflict(
    turn: Turn,
    contract: Contract,
    month: Month,
    monthly: MonthlyReturn,
    indicators: list[Indicator],
    entries: dict[str, str],
    values: dict[str, float],
    narrative: str,
) -> Reply:
    """A second click, or someone else submitted first: never store twice, never lose what was typed."""
    latest = await turn.repos.returns.version(monthly.id, monthly.current_version)  # type: ignore[arg-type]
    if latest is not None and latest.values == values and latest.version.narrative == narrative:
        return Reply(
            card=receipt_card(
                contract,
                month,
                monthly,
                monthly.current_version,
                [],
                latest.version.received_at.astimezone(turn.zone).strftime("%H:%M on %A %d %B %Y"),
                amended=monthly.current_version > 1,
            ),
            replace=True,
        )
    return Reply(
        card=form_card(
            contract,
            month,
            indicators,
            entries,
            narrative,
            monthly=monthly,
            based_on_version=monthly.current_version,
            errors={
                "_form": f"This return was changed since you opened it (it is now version {monthly.current_version}). "
                "Your entries are kept below: check them and submit again to amend it."
            },
        ),
        replace=True,
    )


async def _read_form(
    turn: Turn, payload: ReturnForm, *, final: bool
) -> tuple[
    Contract, Month, list[Indicator], dict[str, str], str, dict[str, float], dict[str, str], MonthlyReturn
]:
    """Authorise, then read and check the form's entries; a draft may leave values empty, a submission not."""
    contract = _contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    month = Month.parse(payload.month)
    _check_month(contract, month, turn)
    indicators = await turn.repos.people.indicators(contract.id)  # type: ignore[arg-type]
    entries, narrative = _entries(turn.raw, indicators)
    values, errors = validate_values([indicator_spec(i) for i in indicators], entries, require_all=final)
    errors.update(_narrative_errors(narrative, required=final))
    monthly = await turn.repos.returns.find_or_create(contract.id, month, turn.now)  # type: ignore[arg-type]
    return contract, month, indicators, entries, narrative, values, errors, monthly


def _entries(raw: dict[str, Any], indicators: list[Indicator]) -> tuple[dict[str, str], str]:
    """The card's inputs as text, only for this contract's indicators; anything else in the payload is ignored."""
    entries: dict[str, str] = {}
    for indicator in indicators:
        value = raw.get(INPUT_PREFIX + indicator.code)
        if value is None:
            continue
        entries[indicator.code] = (str(value).lower() if isinstance(value, bool) else str(value))[:100]
    narrative = raw.get("narrative")
    return entries, (str(narrative).strip() if narrative is not None else "")


def _narrative_errors(narrative: str, *, required: bool) -> dict[str, str]:
    if len(narrative) > NARRATIVE_MAX:
        return {
            "narrative": f"Keep the narrative under {NARRATIVE_MAX:,} characters (it has {len(narrative):,})."
        }
    if required and len(narrative) < 10:
        return {"narrative": "Add a short narrative: what went well, what didn't, and why."}
    return {}


def _entry_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# -- cards ---------------------------------------------------------------------------------------------------


def _indicator_input(spec: IndicatorSpec, value: str, error: str | None) -> list[dict[str, Any]]:
    input_id = INPUT_PREFIX + spec.code
    unit = "%" if spec.kind is IndicatorKind.PERCENTAGE else spec.unit
    label = f"{spec.code}  {spec.name}" + (f" ({unit})" if unit else "")
    hint = (
        f"{spec.describe_limits().capitalize()}. Minimum service requirement: {spec.describe_requirement()}."
    )
    if spec.kind is IndicatorKind.YES_NO:
        element = input_choice(
            input_id, label, [("Yes", "yes"), ("No", "no")], value.lower(), placeholder="Choose"
        )
    else:
        number = _as_number(value)
        if value.strip() and number is None:
            element = input_text(
                input_id, label, value
            )  # keep exactly what was typed, so it can be corrected
        else:
            element = input_number(
                input_id, label, number, minimum=spec.lower_limit, maximum=spec.upper_limit
            )
    items = [element, subtle(hint)]
    if error:
        items.append(error_text(error))
    return [container(items, spacing="Medium")]


def _as_number(value: str) -> float | None:
    """The entry as a number for an Input.Number, or None (then it is kept as typed in an Input.Text)."""
    try:
        number = float(value.replace(",", "").removesuffix("%")) if value.strip() else None
    except ValueError:
        return None
    if number is not None and not math.isfinite(number):
        return None  # 'nan', 'inf' and '1e999' are kept as text: a card cannot carry them as numbers
    if number is not None and number.is_integer():
        return int(number)
    return number


def form_card(
    contract: Contract,
    month: Month,
    indicators: list[Indicator],
    values: dict[str, str],
    narrative: str,
    *,
    monthly: MonthlyReturn | None,
    errors: dict[str, str] | None = None,
    note: str | None = None,
    based_on_version: int | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    version = (
        based_on_version if based_on_version is not None else (monthly.current_version if monthly else 0)
    )
    body: list[dict[str, Any]] = [
        heading(f"Monthly return: {month.label}"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
    ]
    if version:
        body.append(subtle(f"Amending submitted version {version}; the earlier version will be kept."))
    if note:
        body.append(text(note, color="Good", size="Small"))
    if errors:
        count = len(errors)
        body.append(
            text(
                f"Please correct {count} {'entry' if count == 1 else 'entries'} below. Nothing has been "
                "saved yet.",
                color="Attention",
                weight="Bolder",
            )
        )
        if "_form" in errors:
            body.append(error_text(errors["_form"]))
    for indicator in indicators:
        spec = indicator_spec(indicator)
        body.extend(_indicator_input(spec, values.get(spec.code, ""), errors.get(spec.code)))
    body.append(
        container(
            [
                input_text(
                    "narrative",
                    "Narrative",
                    narrative,
                    multiline=True,
                    max_length=NARRATIVE_MAX,
                    placeholder="What went well, what didn't, and why",
                ),
                *([error_text(errors["narrative"])] if "narrative" in errors else []),
            ],
            spacing="Large",
        )
    )
    data = {"contract_id": contract.id, "month": month.key, "based_on_version": version}
    actions = [
        execute(
            "Submit return" if not version else "Submit amendment", "return.submit", data, style="positive"
        ),
        execute("Save draft", "return.save", data),
    ]
    return card(body, actions)


def already_submitted_card(
    contract: Contract, month: Month, monthly: MonthlyReturn, turn: Turn
) -> dict[str, Any]:
    received = (
        monthly.received_at.astimezone(turn.zone).strftime("%H:%M on %A %d %B %Y")
        if monthly.received_at
        else ""
    )
    body = [
        heading(f"{month.label} return already submitted"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts([("Received", received), ("Current version", str(monthly.current_version))]),
        text(
            "You can view it, or amend it: the earlier version is kept and the commissioner is told what changed."
        ),
    ]
    ref = {"contract_id": contract.id, "month": month.key}
    return card(
        body,
        [
            execute("Amend return", "return.amend", ref),
            execute("View return", "return.view", {"return_id": monthly.id}),
        ],
    )


def receipt_card(
    contract: Contract,
    month: Month,
    monthly: MonthlyReturn,
    version: int,
    reviewers: list[str],
    received_local: str,
    *,
    amended: bool,
) -> dict[str, Any]:
    title = f"Amendment received: {month.label}" if amended else f"Return received: {month.label}"
    pairs = [("Contract", plain(contract.name)), ("Received", received_local), ("Version", str(version))]
    if reviewers:
        pairs.append(("Sent to", plain(", ".join(reviewers))))
    body = [heading(title), facts(pairs)]
    body.append(
        text(
            "Thank you. The commissioner has been sent the return"
            + (
                " and what changed."
                if amended
                else ", and the review meeting is due within five working days."
            )
        )
    )
    ref = {"contract_id": contract.id, "month": month.key}
    return card(
        body,
        [
            execute("View return", "return.view", {"return_id": monthly.id, "version": version}),
            execute("Amend return", "return.amend", ref),
        ],
    )


def review_card(
    contract: Contract,
    month: Month,
    monthly: MonthlyReturn,
    version: int,
    indicators: list[Indicator],
    values: dict[str, float],
    narrative: str,
    *,
    submitted_by: str,
    provider: str,
    received_local: str,
    previous: dict[str, float] | None = None,
    narrative_changed: bool = False,
    offer: MeetingOffer | None = None,
) -> dict[str, Any]:
    """What a commissioner sees: every PI rated against its minimum service requirement, and what changed."""
    amended = previous is not None
    specs = {i.code: indicator_spec(i) for i in indicators}
    title = f"{'Amended' if amended else 'Monthly'} return: {month.label}"
    body: list[dict[str, Any]] = [
        heading(title),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Provider", plain(provider)),
                ("Submitted by", plain(submitted_by)),
                ("Received", received_local),
                ("Version", str(version)),
            ]
        ),
    ]
    if amended:
        changes = changed_values(previous or {}, values)
        lines = [
            f"{plain(specs[c.code].name) if c.code in specs else plain(c.code)}: "
            f"{format_value(specs[c.code], c.before) if c.code in specs else c.before} → "
            f"{format_value(specs[c.code], c.after) if c.code in specs else c.after}"
            for c in changes
        ]
        if narrative_changed:
            lines.append("The narrative was rewritten.")
        body.append(
            container(
                [
                    text("What changed", weight="Bolder"),
                    *[text("• " + line, spacing="None") for line in lines or ["No values changed."]],
                ],
                style="emphasis",
                spacing="Medium",
            )
        )
    missed = 0
    rows: list[dict[str, Any]] = [
        columns(
            ([text("Indicator", weight="Bolder")], "stretch"),
            ([text("Value", weight="Bolder")], "auto"),
            ([text("Rating", weight="Bolder", horizontalAlignment="Right")], "auto"),
        )
    ]
    for indicator in indicators:
        spec = specs[indicator.code]
        value = values.get(spec.code)
        rating = rag(spec, value)
        if rating is not None and rating.value == "red":
            missed += 1
        rows.append(
            columns(
                (
                    [
                        text(f"{plain(spec.name)}", spacing="None"),
                        subtle(f"Minimum: {spec.describe_requirement()}"),
                    ],
                    "stretch",
                ),
                ([text(format_value(spec, value))], "auto"),
                ([rag_badge(rating)], "auto"),
            )
        )
    body.append(container(rows, spacing="Medium"))
    if missed:
        body.append(
            text(
                f"{missed} indicator{'s' if missed != 1 else ''} below the minimum service requirement.",
                color="Attention",
                weight="Bolder",
            )
        )
    body.append(
        container(
            [text("Narrative", weight="Bolder"), text(plain(narrative, NARRATIVE_MAX))], spacing="Medium"
        )
    )
    buttons = [execute("View return", "return.view", {"return_id": monthly.id, "version": version})]
    if offer is not None:  # the review meeting's deadline and a proposed time (dialogs/meetings.py)
        body.extend(offer.elements)
        buttons = offer.buttons + buttons
    return card(body, buttons)
