"""Meeting seats: seed 001's by default, an organisation's own for its side, a contract's own for both."""

from __future__ import annotations

import pytest

from commissioning.meetings import MeetingType
from commissioning.portfolio import PortfolioError, parse_portfolio
from commissioning.roles import Role
from commissioning.seats import fills, seats_for

MONTHLY = MeetingType.MONTHLY_REVIEW
PROBATION = {"monthly_review": [{"title": "Contract Manager", "role": "commissioner", "people": []}]}


def titles(kind: MeetingType, **seats: dict | None) -> list[str]:
    stored = {"contract": None, "commissioner": None, "provider": None, **seats}
    return [seat.title for seat in seats_for(kind, **stored)]


def test_with_no_seats_in_the_file_the_seeds_lists_are_the_default() -> None:
    assert titles(MONTHLY) == [
        "Victims Programme Manager",
        "VAWG Programme Manager",
        "Restorative Justice Programme Manager",
        "Heads of Service",
        "Performance Data Manager",
    ]


def test_an_organisations_seats_replace_the_seeds_for_its_side_only() -> None:
    assert titles(MONTHLY, commissioner=PROBATION) == [
        "Contract Manager",
        "Heads of Service",
        "Performance Data Manager",
    ]


def test_a_contracts_seats_replace_both_sides() -> None:
    assert titles(MONTHLY, contract=PROBATION, provider={"monthly_review": []}) == ["Contract Manager"]


def test_a_meeting_the_file_gives_no_seats_for_keeps_the_default() -> None:
    assert len(titles(MeetingType.QUARTERLY_CONTRACT, commissioner=PROBATION)) == 8


def test_a_seat_is_filled_by_its_roles_holders_and_the_people_it_names() -> None:
    [seat] = seats_for(
        MONTHLY,
        contract={"monthly_review": [{"title": "Service Director", "people": ["ruth@vs.example"]}]},
        commissioner=None,
        provider=None,
    )
    assert fills(seat, "Ruth@VS.example", set())
    assert not fills(seat, "tom@vs.example", {Role.HEAD_OF_SERVICE})


PORTFOLIO = """
organisations:
  - key: vs
    name: Victim Support
    kind: provider
    seats:
      quarterly:
        - {title: Service Director, people: [ruth@vs.example]}
  - {key: mopac, name: MOPAC, kind: commissioner}
people:
  - {email: ruth@vs.example, name: Ruth, organisation: vs}
  - {email: tom@vs.example, name: Tom, organisation: vs}
contracts:
  - key: C1
    name: A contract
    commissioner: mopac
    provider: vs
    starts_on: 2025-04-01
    ends_on: 2026-03-31
    roles: {head_of_service: [tom@vs.example]}
    seats:
      monthly:
        - {title: Heads of Service, people: [ruth@vs.example]}
"""


def test_the_file_keeps_seats_by_meeting_and_a_contracts_seat_must_name_someone_on_it() -> None:
    with pytest.raises(PortfolioError) as raised:
        parse_portfolio(PORTFOLIO)

    assert raised.value.problems == [
        (23, "contracts[1].seats.monthly[1].people[1]", "'ruth@vs.example' has no role on this contract")
    ]
    fixed = parse_portfolio(
        PORTFOLIO.replace("Heads of Service, people: [ruth", "Heads of Service, people: [tom")
    )
    assert fixed.organisations[0].seats is not None
    assert fixed.organisations[0].seats.stored() == {
        "quarterly_contract": [{"title": "Service Director", "role": None, "people": ["ruth@vs.example"]}]
    }
