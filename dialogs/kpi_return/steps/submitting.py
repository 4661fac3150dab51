"""Submitting or amending a KPI return: stored once as a new version, audited, sent to its reviewers."""

from __future__ import annotations

from commissioning.quarter.kpi_return import check_return
from commissioning.quarter.payment_terms import check_cohort, cohort_json
from commissioning.quarter.pbr import Cohort
from commissioning.roles import RETURN_REVIEWERS, Permission
from dialogs.base import Reply, Turn
from dialogs.common import contract_for
from dialogs.kpi_return.cards.form import COHORT, KpiFormView, conflict_error, kpi_form_card
from dialogs.kpi_return.cards.receipt import (
    RECEIVED_FORMAT,
    ReceivedView,
    kpi_receipt_card,
    kpi_return_review_card,
)
from dialogs.kpi_return.context import kpis_asked, quarter_of, read_cohort, read_entries
from dialogs.kpi_return.payloads import KpiReturnForm
from storage.models import Person
from storage.outbox import CHANNEL_PREFIX
from storage.quarter import contract_term
from storage.quarter_models import KpiReturn, KpiReturnVersion
from storage.returns import VersionConflict


async def submit(turn: Turn, payload: KpiReturnForm) -> Reply:
    contract = contract_for(turn, payload.contract_id, Permission.SUBMIT_RETURN)
    quarter = quarter_of(turn, contract, payload.quarter)
    kpis = kpis_asked(contract, quarter)
    entries = read_entries(turn.raw, kpis)
    typed_cohort = read_cohort(turn.raw, contract)
    year = contract_term(contract).year_of(quarter)
    view = KpiFormView(contract, quarter, year, kpis, entries, payload.based_on_version, typed_cohort)
    checked = check_return(kpis, entries)
    cohort, cohort_errors = check_cohort(typed_cohort) if typed_cohort is not None else (None, {})
    errors = {**checked.errors, **({COHORT: cohort_errors} if cohort_errors else {})}
    if errors:
        return Reply(card=kpi_form_card(view, errors=errors), replace=True)
    repo = turn.repos.quarter
    kpi_return = await repo.find_or_create_return(contract.id, quarter, turn.now)
    previous = await repo.current(contract.id, quarter)
    try:
        version = await repo.submit_return(
            kpi_return,
            based_on_version=payload.based_on_version,
            values=checked.values,
            evidence=checked.evidence,
            by_id=turn.person.id,
            now=turn.now,
            cohort=cohort,
        )
    except VersionConflict:
        return await _conflict(turn, view, kpi_return, checked.values, cohort)
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="kpi_return.amended" if previous is not None else "kpi_return.submitted",
        entity="kpi_return",
        entity_id=kpi_return.id,
        contract_id=contract.id,
        before=_audited(previous) if previous else {},
        after=_audited(version),
    )
    reviewers = await _send(turn, view, version)
    received = turn.local_now.strftime(RECEIVED_FORMAT)
    receipt = kpi_receipt_card(contract, quarter, version.version, [r.name for r in reviewers], received)
    return Reply(card=receipt, replace=True, notify=True)


def _audited(version: KpiReturnVersion) -> dict[str, object]:
    shown: dict[str, object] = {
        "version": version.version,
        "values": version.values,
        "evidence": version.evidence,
    }
    if version.cohort is not None:
        shown["cohort"] = version.cohort
    return shown


async def _send(turn: Turn, view: KpiFormView, version: KpiReturnVersion) -> list[Person]:
    """The commissioner and programme manager get the results in their chats; the team channel without buttons."""
    contract, quarter = view.contract, view.quarter
    reviewers = await turn.repos.people.people_with_roles(contract.id, RETURN_REVIEWERS)
    shown = ReceivedView(
        contract,
        quarter,
        version.version,
        view.kpis,
        {code: float(value) for code, value in version.values.items()},
        dict(version.evidence),
        turn.person.name,
        turn.local_now.strftime(RECEIVED_FORMAT),
        version.cohort,
    )
    kind = "kpi_return.amended" if version.version > 1 else "kpi_return.submitted"
    summary = (
        f"{contract.name}: {quarter.label} KPI return {'amended' if version.version > 1 else 'received'}"
    )
    review = kpi_return_review_card(shown)
    for reviewer in reviewers:
        await turn.repos.outbox.enqueue(
            key=f"{kind}:{version.return_id}:v{version.version}:{reviewer.id}",
            kind=kind,
            recipient_id=reviewer.id,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": review, "summary": summary},
        )
    if await turn.repos.conversations.channel(contract.id):
        await turn.repos.outbox.enqueue(
            key=f"{CHANNEL_PREFIX}{kind}:{version.return_id}:v{version.version}",
            kind=f"{CHANNEL_PREFIX}{kind}",
            recipient_id=None,
            contract_id=contract.id,
            now=turn.now,
            payload={"card": kpi_return_review_card(shown, buttons=False), "summary": summary},
        )
    return reviewers


async def _conflict(
    turn: Turn, view: KpiFormView, kpi_return: KpiReturn, values: dict[str, float], cohort: Cohort | None
) -> Reply:
    """A second click, or someone else submitted first: never store twice, never lose what was typed."""
    latest = await turn.repos.quarter.current(view.contract.id, view.quarter)
    same_cohort = latest is not None and latest.cohort == (None if cohort is None else cohort_json(cohort))
    if latest is not None and latest.values == values and same_cohort:
        received = latest.received_at.astimezone(turn.zone).strftime(RECEIVED_FORMAT)
        return Reply(
            card=kpi_receipt_card(view.contract, view.quarter, latest.version, [], received), replace=True
        )
    number = kpi_return.current_version
    moved = KpiFormView(view.contract, view.quarter, view.year, view.kpis, view.entries, number, view.cohort)
    return Reply(card=kpi_form_card(moved, errors=conflict_error(number)), replace=True)
