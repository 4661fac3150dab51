"""Two-tier change requests: the tier from what a change alters, its states, and who may move them."""

from __future__ import annotations

from datetime import date

import pytest

from commissioning.improvement.changes import (
    ChangeStatus,
    ChangeTier,
    agree,
    approve,
    decline,
    propose,
    refuse_change,
    tier_for,
    withdraw,
)
from commissioning.improvement.steps import ImprovementProblem
from commissioning.roles import Role

ON = date(2026, 11, 9)
SWAP = "Replace one group session a week with one-to-one ETE support, for a gap in local provision"


def test_a_change_to_interventions_only_is_informal() -> None:
    assert tier_for(["interventions"]) is ChangeTier.INFORMAL


def test_a_change_touching_terms_budget_or_staffing_is_formal() -> None:
    assert propose(
        "Add a 0.5 FTE caseworker", ["interventions", "staffing"], Role.HEAD_OF_SERVICE, ON
    ).tier is (ChangeTier.FORMAL)


def test_an_informal_change_is_in_force_once_the_contract_team_agrees() -> None:
    change = propose(SWAP, ["interventions"], Role.HEAD_OF_SERVICE, ON)
    agreed = agree(change, Role.COMMISSIONER, date(2026, 11, 12))
    assert agreed.status is ChangeStatus.AGREED
    assert [(e.status, e.role) for e in agreed.history] == [
        (ChangeStatus.PROPOSED, Role.HEAD_OF_SERVICE),
        (ChangeStatus.AGREED, Role.COMMISSIONER),
    ]


def test_a_formal_change_agreed_by_both_sides_waits_for_the_director() -> None:
    change = agree(
        propose("Move £20,000 to staffing", ["budget"], Role.HEAD_OF_SERVICE, ON), Role.COMMISSIONER, ON
    )
    assert change.status is ChangeStatus.AWAITING_APPROVAL
    assert approve(change, Role.DIRECTOR, date(2026, 11, 16)).status is ChangeStatus.APPROVED


def test_only_the_director_approves_a_formal_change() -> None:
    change = agree(
        propose("Move £20,000 to staffing", ["budget"], Role.HEAD_OF_SERVICE, ON), Role.COMMISSIONER, ON
    )
    with pytest.raises(ImprovementProblem, match="As commissioner you cannot approve"):
        approve(change, Role.COMMISSIONER, ON)


def test_the_director_refuses_with_a_reason() -> None:
    change = agree(propose("Extend by a year", ["terms"], Role.COMMISSIONER, ON), Role.HEAD_OF_SERVICE, ON)
    with pytest.raises(ImprovementProblem) as raised:
        refuse_change(change, Role.DIRECTOR, ON, "")
    assert raised.value.errors == {"reason": "Say why the change is refused; both sides see it."}
    assert refuse_change(change, Role.DIRECTOR, ON, "Re-procure instead").status is ChangeStatus.REFUSED


def test_the_side_that_proposed_cannot_agree_its_own_change() -> None:
    change = propose(SWAP, ["interventions"], Role.COMMISSIONER, ON)
    with pytest.raises(ImprovementProblem, match="The other side agrees a change"):
        agree(change, Role.PROGRAMME_MANAGER, ON)


def test_the_other_side_declines_and_the_proposer_withdraws() -> None:
    change = propose(SWAP, ["interventions"], Role.HEAD_OF_SERVICE, ON)
    assert (
        decline(change, Role.COMMISSIONER, ON, "Covered by the CRS contract").status is ChangeStatus.DECLINED
    )
    with pytest.raises(ImprovementProblem, match="Only the side that proposed"):
        withdraw(change, Role.COMMISSIONER, ON, "No")
    assert withdraw(change, Role.HEAD_OF_SERVICE, ON, "Need has passed").status is ChangeStatus.WITHDRAWN


def test_a_provider_contact_cannot_propose_a_change() -> None:
    with pytest.raises(ImprovementProblem, match="As provider contact you cannot propose"):
        propose(SWAP, ["interventions"], Role.PROVIDER_CONTACT, ON)


def test_a_proposal_needs_what_and_what_it_alters() -> None:
    with pytest.raises(ImprovementProblem) as raised:
        propose(" ", [], Role.HEAD_OF_SERVICE, ON)
    assert raised.value.errors == {
        "what": "Say what would change and why.",
        "areas": "Say what the change alters: interventions, delivery, terms, budget or staffing.",
    }


def test_an_agreed_informal_change_cannot_go_to_the_director() -> None:
    agreed = agree(propose(SWAP, ["interventions"], Role.HEAD_OF_SERVICE, ON), Role.COMMISSIONER, ON)
    with pytest.raises(ImprovementProblem, match="waits for approval"):
        approve(agreed, Role.DIRECTOR, ON)
