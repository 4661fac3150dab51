"""Two-tier change requests (seed 002 §6): informal, agreed by the contract team; formal, approved by the director."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from commissioning.improvement.steps import ImprovementProblem, note, refuse, text
from commissioning.roles import Permission, Role, Side, allowed


class ChangeArea(StrEnum):
    """What a change alters."""

    INTERVENTIONS = "interventions"  # the type or nature of interventions, for a shift in local need
    DELIVERY = "delivery"  # how and where the service is delivered
    TERMS = "terms"
    BUDGET = "budget"
    STAFFING = "staffing"  # the staffing structure


class ChangeTier(StrEnum):
    INFORMAL = "informal"
    FORMAL = "formal"


class ChangeStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"  # an informal change, agreed: in force
    AWAITING_APPROVAL = "awaiting_approval"  # a formal change both sides support, with the director
    APPROVED = "approved"  # a formal change, approved: in force
    DECLINED = "declined"  # the other side did not agree
    REFUSED = "refused"  # the director did not approve
    WITHDRAWN = "withdrawn"


FORMAL_AREAS = frozenset({ChangeArea.TERMS, ChangeArea.BUDGET, ChangeArea.STAFFING})


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One step in a change request's history: what it became, who moved it (by role), when and why."""

    status: ChangeStatus
    role: Role
    on: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    what: str
    areas: frozenset[ChangeArea]
    proposed_by: Side
    status: ChangeStatus
    history: tuple[ChangeEvent, ...]

    @property
    def tier(self) -> ChangeTier:
        return tier_for(self.areas)


def tier_for(areas: Iterable[ChangeArea]) -> ChangeTier:
    """Formal when the change touches the terms, the budget or the staffing structure; informal otherwise."""
    return ChangeTier.FORMAL if FORMAL_AREAS & set(areas) else ChangeTier.INFORMAL


def _may(role: Role, permission: Permission, doing: str) -> None:
    if not allowed({role}, permission):
        raise refuse(f"As {role.label} you cannot {doing} a change request on this contract.")


def _moved(change: ChangeRequest, status: ChangeStatus, role: Role, on: date, why: str) -> ChangeRequest:
    return replace(change, status=status, history=(*change.history, ChangeEvent(status, role, on, why)))


def propose(what: object, areas: Iterable[str], role: Role, on: date) -> ChangeRequest:
    """Either side proposes a change; what it changes decides its tier."""
    _may(role, Permission.AGREE_CHANGE, "propose")
    errors: dict[str, str] = {}
    words = text(what, "what", errors, missing="Say what would change and why.")
    chosen: set[ChangeArea] = set()
    for area in areas:
        try:
            chosen.add(ChangeArea(area))
        except ValueError:
            errors["areas"] = f"'{area}' is not something a change can alter."
    if not chosen and "areas" not in errors:
        errors["areas"] = "Say what the change alters: interventions, delivery, terms, budget or staffing."
    if errors:
        raise ImprovementProblem(errors)
    event = ChangeEvent(ChangeStatus.PROPOSED, role, on)
    return ChangeRequest(words, frozenset(chosen), role.side, ChangeStatus.PROPOSED, (event,))


def agree(change: ChangeRequest, role: Role, on: date, why: str = "") -> ChangeRequest:
    """The other side agrees: an informal change is then in force; a formal one goes to the director."""
    _may(role, Permission.AGREE_CHANGE, "agree")
    if change.status is not ChangeStatus.PROPOSED:
        raise refuse("Only a proposed change can be agreed.")
    if role.side is change.proposed_by:
        raise refuse("The other side agrees a change: the provider agrees the contract team's, and back.")
    after = ChangeStatus.AGREED if change.tier is ChangeTier.INFORMAL else ChangeStatus.AWAITING_APPROVAL
    return _moved(change, after, role, on, why.strip())


def decline(change: ChangeRequest, role: Role, on: date, why: str) -> ChangeRequest:
    _may(role, Permission.AGREE_CHANGE, "decline")
    if change.status is not ChangeStatus.PROPOSED:
        raise refuse("Only a proposed change can be declined.")
    if role.side is change.proposed_by:
        raise refuse("Your side proposed this change: withdraw it instead.")
    words = note(why, missing="Say why the change is declined; the other side sees it.", field="reason")
    return _moved(change, ChangeStatus.DECLINED, role, on, words)


def withdraw(change: ChangeRequest, role: Role, on: date, why: str) -> ChangeRequest:
    _may(role, Permission.AGREE_CHANGE, "withdraw")
    if change.status not in (ChangeStatus.PROPOSED, ChangeStatus.AWAITING_APPROVAL):
        raise refuse("This change is decided, so it cannot be withdrawn.")
    if role.side is not change.proposed_by:
        raise refuse("Only the side that proposed a change can withdraw it.")
    words = note(why, missing="Say why the change is withdrawn.", field="reason")
    return _moved(change, ChangeStatus.WITHDRAWN, role, on, words)


def approve(change: ChangeRequest, role: Role, on: date, why: str = "") -> ChangeRequest:
    """Seed 002 §6: a formal change needs formal approval, the director's."""
    _may(role, Permission.APPROVE_CHANGE, "approve")
    if change.status is not ChangeStatus.AWAITING_APPROVAL:
        raise refuse("Only a formal change that both sides have agreed waits for approval.")
    return _moved(change, ChangeStatus.APPROVED, role, on, why.strip())


def refuse_change(change: ChangeRequest, role: Role, on: date, why: str) -> ChangeRequest:
    _may(role, Permission.APPROVE_CHANGE, "refuse")
    if change.status is not ChangeStatus.AWAITING_APPROVAL:
        raise refuse("Only a formal change that both sides have agreed waits for approval.")
    words = note(why, missing="Say why the change is refused; both sides see it.", field="reason")
    return _moved(change, ChangeStatus.REFUSED, role, on, words)
