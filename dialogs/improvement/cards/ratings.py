"""A provider's answer to a red or amber rating on a return, and the commissioner's ruling on a challenge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commissioning.indicators import Rag, rag
from dialogs.base import Turn
from dialogs.cards import RAG_WORD, card, error_text, execute, facts, heading, input_text, plain, text
from dialogs.common import choice, field, when_text
from dialogs.improvement.cards.parts import note_input
from dialogs.improvement.payloads import NOTE_MAX
from storage.contracts import indicator_spec
from storage.improvement_models import RatingResponse
from storage.models import Contract, Indicator, Person

KIND_WORDS = {"explanation": "An explanation", "challenge": "A challenge to the rating"}
RULING_WORDS = {"upheld": "Challenge upheld", "rejected": "Challenge rejected"}
SENT = "Sent to the commissioner. It goes on the next meeting's agenda."
SENT_CHALLENGE = "Sent to the commissioner, who must rule on it. It goes on the next meeting's agenda."
RULED = "Ruling recorded; the provider is told. It goes on the next meeting's agenda."


@dataclass(frozen=True)
class Rated:
    """A red or amber indicator on the return, as the form offers it."""

    code: str
    name: str
    rating: Rag
    shown: str


def answer_rating(
    return_id: int, indicators: list[Indicator], values: Mapping[str, float]
) -> list[dict[str, Any]]:
    """The provider's button on a return they view: there when a PI is rated red or amber."""
    ratings = (rag(indicator_spec(i), values.get(i.code)) for i in indicators)
    if not any(r in (Rag.RED, Rag.AMBER) for r in ratings):
        return []
    return [execute("Answer a rating", "improve.rating_open", {"return_id": return_id})]


def answer_kpi_rating(contract_id: int, quarter: str, code: str) -> dict[str, Any]:
    """The provider's button beside a red or amber KPI on the KPI card."""
    data = {"contract_id": contract_id, "quarter": quarter, "code": code}
    return {
        "type": "ActionSet",
        "actions": [execute("Answer this rating", "improve.kpi_rating_open", data)],
    }


@dataclass(frozen=True)
class AnswerForm:
    """What is being answered: a return's PIs (`return_id`) or a quarter's KPIs (`contract_id`, `quarter`)."""

    contract: Contract
    period: str  # 'October 2026' for a return, 'Q2 2026/27' for the KPI card
    rated: list[Rated]
    send: tuple[str, dict[str, Any]]  # the Send button's verb and data


def rating_form(
    form: AnswerForm,
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [
        heading(f"Answer a rating: {form.period}"),
        text(plain(form.contract.name), weight="Bolder", spacing="None"),
        text(
            "Explain a red or amber rating, or challenge it: the commissioner must rule on a challenge. "
            "Either way it goes on the next meeting's agenda.",
            size="Small",
        ),
    ]
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    options = [(f"{plain(r.name)}: {r.shown} ({RAG_WORD[r.rating]})", r.code) for r in form.rated]
    body.append(field(choice("code", "Which rating", options, values.get("code", "")), errors.get("code")))
    kinds = [(w, k) for k, w in KIND_WORDS.items()]
    body.append(
        field(
            choice("kind", "Your answer is", kinds, values.get("kind", ""), expanded=True), errors.get("kind")
        )
    )
    words = input_text(
        "text",
        "What the commissioner should know",
        values.get("text", ""),
        multiline=True,
        max_length=NOTE_MAX,
    )
    body.append(field(words, errors.get("text")))
    verb, data = form.send
    return card(body, [execute("Send", verb, data, style="positive")])


def rating_form_card(
    contract: Contract,
    month: str,
    return_id: int,
    rated: list[Rated],
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    form = AnswerForm(contract, month, rated, ("improve.rating_send", {"return_id": return_id}))
    return rating_form(form, values=values, errors=errors)


def kpi_rating_form_card(
    contract: Contract,
    quarter: str,
    quarter_label: str,
    rated: list[Rated],
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    data = {"contract_id": contract.id, "quarter": quarter}
    form = AnswerForm(contract, quarter_label, rated, ("improve.kpi_rating_send", data))
    return rating_form(form, values=values, errors=errors)


@dataclass(frozen=True)
class RatingView:
    response: RatingResponse
    contract: Contract
    month: str  # the return's month, or the KPI card's quarter
    by: Person | None
    ruled_by: Person | None
    may_rule: bool


def rating_card(
    turn: Turn,
    view: RatingView,
    *,
    note: str | None = None,
    title: str | None = None,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    values, errors = values or {}, errors or {}
    answer = view.response
    rating = RAG_WORD[Rag(answer.rating)]
    body: list[dict[str, Any]] = [heading(title or f"{KIND_WORDS[answer.kind]}: {plain(answer.name)}")]
    if note:
        body.append(text(note, color="Good", size="Small"))
    if "_form" in errors:
        body.append(error_text(errors["_form"]))
    on_kpi = answer.quarter is not None
    pairs = [
        ("Contract", plain(view.contract.name)),
        ("KPI card" if on_kpi else "Return", view.month),
        ("KPI" if on_kpi else "Indicator", f"{plain(answer.name)} ({plain(answer.code)}), rated {rating}"),
        ("From", f"{plain(view.by.name if view.by else '')}, {when_text(answer.at, turn.zone)}"),
    ]
    if answer.ruling:
        pairs.append(("Ruling", RULING_WORDS[answer.ruling]))
        pairs.append(("Reason", plain(answer.ruling_reason)))
        if view.ruled_by is not None and answer.ruled_at is not None:
            pairs.append(
                ("Ruled by", f"{plain(view.ruled_by.name)}, {when_text(answer.ruled_at, turn.zone)}")
            )
    elif answer.kind == "challenge":
        pairs.append(("Ruling", "Waiting for the commissioner"))
    body += [facts(pairs), text(plain(answer.text))]
    buttons: list[dict[str, Any]] = []
    if answer.kind == "challenge" and not answer.ruling and view.may_rule:
        body.append(note_input("reason", "The reason for your ruling", values, errors))
        ref = {"response_id": answer.id}
        buttons = [
            execute(
                "Uphold the challenge", "improve.rating_rule", {**ref, "ruling": "upheld"}, style="positive"
            ),
            execute("Reject the challenge", "improve.rating_rule", {**ref, "ruling": "rejected"}),
        ]
    if answer.quarter is not None:
        card_ref = {"contract_id": answer.contract_id, "quarter": answer.quarter}
        buttons.append(execute("Open the KPI card", "quarter.card", card_ref))
    else:
        buttons.append(execute("View the return", "return.view", {"return_id": answer.return_id}))
    return card(body, buttons)
