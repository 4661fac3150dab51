"""Starting: the list of evaluations, the start card, and creating an evaluation from it."""

from __future__ import annotations

from dataclasses import dataclass

from commissioning.gonogo import DEFAULT_FACTOR_SET, FactorSet, Recommendation
from commissioning.roles import Permission
from dialogs.base import Refused, Reply, Turn
from dialogs.common import contract_for
from dialogs.gonogo.cards.listing import ListRow, list_card
from dialogs.gonogo.cards.start import start_card
from dialogs.gonogo.context import Loaded, card_text, commissioner_side, runnable_contracts
from dialogs.gonogo.payloads import SERVICE_MAX, TITLE_MAX, StartEvaluation
from dialogs.gonogo.replies import progress_reply
from storage.evaluation_models import Evaluation
from storage.evaluations import EvaluationsRepository, factor_set_of
from storage.models import Contract
from storage.statuses import EvaluationStatus


async def list_evaluations(turn: Turn, _: object) -> Reply:
    repo = turn.repos.evaluations
    evaluations = await repo.involving(turn.person.id)
    may_start = bool(turn.contracts_where(Permission.RUN_EVALUATION)) or await commissioner_side(turn)
    if not evaluations and not may_start:
        raise Refused(
            "Go/no-go evaluations are run by the commissioning team; you have not been invited to one.",
            reason="no role",
        )
    rows: list[ListRow] = []
    for evaluation in evaluations:
        rows.append(
            ListRow(evaluation, await repo.subject(evaluation), await _standing(turn, repo, evaluation))
        )
    return Reply(card=list_card(rows, may_start=may_start))


async def _standing(turn: Turn, repo: EvaluationsRepository, evaluation: Evaluation) -> str:
    """One line on where the evaluation stands for this person, for the list."""
    if evaluation.status == EvaluationStatus.CLOSED:
        label = Recommendation(evaluation.result.get("recommendation", "incomplete")).label
        return f"Closed: {label}"
    role = "you lead it" if evaluation.lead_id == turn.person.id else "you are an assessor"
    if await repo.assessor(evaluation.id, turn.person.id) is None:
        return f"Open: {role}"
    mine = await repo.current_scores(evaluation.id, turn.person.id)
    return f"Open: {role}; you have scored {len(mine)} of {len(factor_set_of(evaluation).factors)}"


async def start(turn: Turn, payload: StartEvaluation) -> Reply:
    contracts = runnable_contracts(turn)
    prospective = await commissioner_side(turn)
    if not contracts and not prospective:
        raise Refused(
            "Only a commissioner, programme manager or director can start a go/no-go evaluation.",
            reason="no role",
        )
    subject = ""
    if payload.contract_id is not None:
        subject = f"contract:{contract_for(turn, payload.contract_id, Permission.RUN_EVALUATION).id}"
    elif len(contracts) == 1 and not prospective:
        subject = f"contract:{contracts[0].id}"
    values = {"subject": subject, "factor_set": DEFAULT_FACTOR_SET}
    return Reply(card=start_card(contracts, prospective, list(turn.rules.factor_sets.values()), values))


@dataclass
class StartForm:
    """The start card as sent: its entries as typed, what they name, and what is wrong with them."""

    values: dict[str, str]
    errors: dict[str, str]
    contract: Contract | None = None
    service: str = ""
    factor_set: FactorSet | None = None

    @property
    def title(self) -> str:
        return self.values["title"]


def _read_subject(turn: Turn, form: StartForm, prospective_allowed: bool) -> None:
    """The contract (checked against the sender's roles) or the prospective service the evaluation is of."""
    subject = form.values["subject"]
    if subject.startswith("contract:"):
        contract_id = subject.removeprefix("contract:")
        if not contract_id.isdigit() or not 0 < int(contract_id) < 2**31:
            raise Refused("That choice was not on the card.", reason="forged subject")
        form.contract = contract_for(turn, int(contract_id), Permission.RUN_EVALUATION)
    elif subject == "prospective":
        if not prospective_allowed:
            raise Refused(
                "Only people in a commissioning organisation can evaluate a prospective service.",
                reason="prospective not allowed",
            )
        form.service = form.values["service_name"]
        if not form.service:
            form.errors["service_name"] = "Name the service you are thinking of commissioning."
        elif len(form.service) > SERVICE_MAX:
            form.errors["service_name"] = f"Keep the service name to {SERVICE_MAX} characters or fewer."
    elif not subject:
        form.errors["subject"] = "Choose a contract, or a prospective service."
    else:
        raise Refused("That choice was not on the card.", reason="forged subject")


def _read_start_form(turn: Turn, prospective_allowed: bool) -> StartForm:
    raw = turn.raw
    values = {
        "subject": card_text(raw, "subject", 40),
        "service_name": card_text(raw, "service_name", 1000),
        "title": card_text(raw, "title", 1000),
        "factor_set": card_text(raw, "factor_set", 100),
    }
    form = StartForm(values, {})
    _read_subject(turn, form, prospective_allowed)
    if not form.title:
        form.errors["title"] = (
            "Give the evaluation a name, for example “Re-procure the service from April 2027?”"
        )
    elif len(form.title) > TITLE_MAX:
        form.errors["title"] = f"Keep the name to {TITLE_MAX} characters or fewer."
    form.factor_set = turn.rules.factor_sets.get(values["factor_set"])
    if form.factor_set is None:
        form.errors["factor_set"] = "Choose one of the factor sets."
    return form


async def create(turn: Turn, _: object) -> Reply:
    contracts = runnable_contracts(turn)
    prospective_allowed = await commissioner_side(turn)
    form = _read_start_form(turn, prospective_allowed)
    factor_set = form.factor_set
    if form.errors or factor_set is None:
        card = start_card(
            contracts, prospective_allowed, list(turn.rules.factor_sets.values()), form.values, form.errors
        )
        return Reply(card=card, replace=True)
    repo = turn.repos.evaluations
    contract, title, service = form.contract, form.title, form.service
    contract_id = contract.id if contract else None
    existing = await repo.find_open(
        lead_id=turn.person.id,
        contract_id=contract_id,
        prospective_service=service,
        title=title,
    )
    if existing is not None:  # a double click, or the same evaluation started twice: keep one
        note = "You already have this evaluation open, so here it is."
        return await progress_reply(turn, Loaded(repo, existing), note=note)
    evaluation = await repo.create(
        title=title,
        contract_id=contract_id,
        prospective_service=service,
        organisation_id=contract.commissioner_org_id if contract else turn.person.organisation_id,
        lead_id=turn.person.id,
        factor_set=factor_set,
        now=turn.now,
    )
    turn.repos.audit.record(
        at=turn.now,
        actor_id=turn.person.id,
        action="evaluation.started",
        entity="evaluation",
        entity_id=evaluation.id,
        contract_id=contract_id,
        after={
            "title": title,
            "contract_id": contract_id,
            "prospective_service": service,
            "factor_set": factor_set.key,
            "thresholds": evaluation.factor_set["thresholds"],
        },
    )
    note = "Evaluation started. Now invite the people who will score it."
    return await progress_reply(turn, Loaded(repo, evaluation), note=note)
