"""Fee for service and PbR terms in the portfolio file: checked on import (contract and field named), stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from commissioning.portfolio import PortfolioError, parse_portfolio
from commissioning.portfolio_excel import parse_portfolio_workbook
from commissioning.portfolio_sheets import template_workbook
from storage.engine import Database
from storage.models import Contract
from storage.portfolio import import_portfolio
from tests.conftest import START
from tests.test_portfolio_import import SMALL

PAYMENT = """\
    payment:
      fee_for_service: {year_1_quarterly_fee: 100000, learning_curve: 0.02}
      pbr:
        binary: {baseline: 0.45, price: 1500, penalty: 750, stretch_cap: 0.1}
        frequency: {baseline: 1.6, price: 300, penalty: 150, penalty_cap: 10000}
"""
WITH_PAYMENT = SMALL + PAYMENT  # the payment block is on lines 19 to 23


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'pay.db'}")
    await db.migrate()
    yield db
    await db.dispose()


def test_a_contract_gives_its_fee_and_pbr_terms() -> None:
    terms = parse_portfolio(WITH_PAYMENT, "p.yaml").contracts[0].payment_terms()

    assert terms is not None and terms.fee_for_service is not None and terms.pbr is not None
    assert str(terms.fee_for_service.year_1_quarterly_fee) == "100000"
    rules = terms.pbr_rules()
    assert rules is not None
    binary, frequency = rules
    assert (binary.price_pence, binary.penalty_pence, binary.penalty_cap_pence) == (150_000, 75_000, None)
    assert (frequency.price_pence, frequency.penalty_cap_pence) == (30_000, 1_000_000)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("baseline: 0.45", "baseline: 45"),
            "  line 22: contracts[1].payment.pbr.binary.baseline: contract VS: must be the share of the "
            "cohort who reoffend, from 0 to 1 (0.45 is 45%)",
        ),
        (
            ("learning_curve: 0.02", "learning_curve: 1.5"),
            "  line 20: contracts[1].payment.fee_for_service.learning_curve: contract VS: "
            "Input should be less than 1",
        ),
        (
            ("price: 300", "price: lots"),
            "  line 23: contracts[1].payment.pbr.frequency.price: contract VS: Input should be a valid decimal",
        ),
        (
            ("stretch_cap: 0.1", "stretch_cap: 0.5"),
            "  line 22: contracts[1].payment.pbr.binary.stretch_cap: contract VS: must not be more than the "
            "baseline, 0.45 (a rate cannot fall below 0)",
        ),
        (
            ("        frequency: {baseline: 1.6, price: 300, penalty: 150, penalty_cap: 10000}\n", ""),
            "  line 21: contracts[1].payment.pbr.frequency: contract VS: Field required",
        ),
        (
            ("penalty: 750", "penalty: 750, bonus: 5"),
            "  line 22: contracts[1].payment.pbr.binary.bonus: contract VS: Extra inputs are not permitted",
        ),
    ],
    ids=["binary-baseline-not-a-share", "discount-too-big", "not-money", "stretch-past-zero", "no-frequency",
         "unknown-field"],
)  # fmt: skip
def test_broken_payment_terms_are_refused_naming_the_line_contract_and_field(
    change: tuple[str, str], problem: str
) -> None:
    with pytest.raises(PortfolioError) as error:
        parse_portfolio(WITH_PAYMENT.replace(*change, 1), "p.yaml")

    assert error.value.describe().splitlines() == [
        "p.yaml: not imported, 1 problem(s); nothing was changed.",
        problem,
    ]


def test_an_empty_payment_block_says_what_to_give() -> None:
    with pytest.raises(PortfolioError) as error:
        parse_portfolio(SMALL + "    payment: {}\n", "p.yaml")

    assert error.value.problems == [
        (19, "contracts[1].payment", "contract VS: give fee_for_service, pbr or both (or leave payment out)")
    ]


async def stored_terms(database: Database) -> dict[str, object] | None:
    async with database.session() as session:
        contract = (await session.execute(select(Contract).where(Contract.key == "VS"))).scalar_one()
        return contract.payment_terms


async def test_the_terms_are_stored_on_the_contract_and_a_reimport_without_them_removes_them(
    database: Database,
) -> None:
    async with database.session() as session:
        await import_portfolio(session, parse_portfolio(WITH_PAYMENT, "p.yaml"), now=START)
    assert await stored_terms(database) == {
        "fee_for_service": {"year_1_quarterly_fee": "100000", "learning_curve": "0.02"},
        "pbr": {
            "binary": {"baseline": "0.45", "price": "1500", "penalty": "750", "stretch_cap": "0.1"},
            "frequency": {"baseline": "1.6", "price": "300", "penalty": "150", "penalty_cap": "10000"},
        },
    }

    async with database.session() as session:
        again = await import_portfolio(session, parse_portfolio(WITH_PAYMENT, "p.yaml"), now=START)
        assert not again.changed
        await import_portfolio(session, parse_portfolio(SMALL, "p.yaml"), now=START)
    assert await stored_terms(database) is None


def test_the_excel_workbook_carries_the_terms_as_yaml_in_the_contracts_sheet() -> None:
    portfolio = parse_portfolio(WITH_PAYMENT, "p.yaml")

    again = parse_portfolio_workbook(template_workbook(portfolio), "p.xlsx")

    assert again.contracts[0].payment_terms() == portfolio.contracts[0].payment_terms()
