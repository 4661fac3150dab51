"""The reminder policy: documented defaults in one file, an administrator's file over them, contract overrides."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from commissioning.portfolio import PortfolioError, parse_portfolio
from commissioning.reminder_policy import PolicyError, default_policy, load_policy

CONTRACT = """
organisations:
  - {key: opcc, name: Example OPCC, kind: commissioner}
  - {key: charity, name: Example Charity, kind: provider}
people: []
contracts:
  - key: VS
    name: Victim service
    commissioner: opcc
    provider: charity
    starts_on: 2026-04-01
    ends_on: 2027-03-31
    reminders: REMINDERS
"""


def test_the_packaged_defaults_are_the_documented_ones() -> None:
    policy = default_policy()

    assert (policy.working_hours.start, policy.working_hours.end) == (time(9, 0), time(17, 30))
    assert policy.stop_chasing_after_days == 60
    assert (
        policy.monthly_return.due_working_day,
        policy.monthly_return.due_soon_working_days,
        policy.monthly_return.escalate_after_working_days,
        policy.monthly_return.director_after_working_days,
    ) == (10, 3, 3, 10)
    assert (
        policy.review_meeting.schedule_within_working_days,
        policy.review_meeting.manager_after_working_days,
    ) == (2, 1)
    assert (
        policy.actions.due_soon_working_days,
        policy.actions.chair_after_working_days,
        policy.actions.manager_after_working_days,
    ) == (2, 3, 8)
    assert policy.quarterly_deliverables.before_meeting_working_days == 5
    assert policy.visits.notice_working_days_before == (10, 1)
    assert policy.persistent_breach.urgent is True


def test_an_administrators_file_need_only_name_what_changes() -> None:
    policy = load_policy('working_hours: {start: "08:30"}\nmonthly_return: {due_working_day: 12}\n')

    assert policy.working_hours.start == time(8, 30)
    assert policy.working_hours.end == time(17, 30)
    assert policy.monthly_return.due_working_day == 12
    assert policy.monthly_return.due_soon_working_days == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("monthly_return: {due_wd: 3}", "monthly_return.due_wd: not a setting Steward knows"),
        ("working_hours: {start: 9:00}", 'working_hours.start: write the time in quotes, like "09:00"'),
        ('working_hours: {start: "18:00"}', "working_hours: end must be after start"),
        (
            "actions: {chair_after_working_days: 9}",
            "actions: manager_after_working_days must be more than chair_after_working_days",
        ),
        ("visits: {notice_working_days_before: [3, 3]}", "notice_working_days_before repeats a number"),
        ("monthly_return: {due_working_day: 0}", "monthly_return.due_working_day: Input should be greater"),
        ("monthly_return: [", "not valid YAML (line 1)"),
        ("- just a list", "expected sections like working_hours: and monthly_return:"),
    ],
    ids=[
        "unknown",
        "unquoted-time",
        "hours-backwards",
        "manager-before-chair",
        "repeat",
        "zero",
        "yaml",
        "list",
    ],
)
def test_a_bad_policy_file_is_refused_naming_the_setting(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as error:
        load_policy(text, "policy.yaml")

    assert str(error.value).startswith("policy.yaml: ")
    assert message in str(error.value)


def test_a_bad_policy_file_stops_start_up_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("actions: {due_soon_working_days: -1}\n", encoding="utf-8")

    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, POLICY_FILE=str(path))  # type: ignore[arg-type]

    assert (
        f"POLICY_FILE {path}: actions.due_soon_working_days: Input should be greater than or equal to 0"
        in str(error.value)
    )


def test_a_missing_policy_file_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, POLICY_FILE=str(tmp_path / "nowhere.yaml"))  # type: ignore[arg-type]

    assert "cannot read it (No such file or directory)" in str(error.value)


def test_a_good_policy_file_is_what_the_settings_give(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("review_meeting: {schedule_within_working_days: 3}\n", encoding="utf-8")

    settings = Settings(_env_file=None, POLICY_FILE=str(path))  # type: ignore[arg-type]

    assert settings.reminder_policy().review_meeting.schedule_within_working_days == 3
    assert settings.scheduler == "app"


def test_a_contract_may_override_a_delay_in_the_portfolio_file() -> None:
    portfolio = parse_portfolio(CONTRACT.replace("REMINDERS", "{monthly_return: {due_working_day: 8}}"))

    [contract] = portfolio.contracts
    assert contract.reminders == {"monthly_return": {"due_working_day": 8}}
    assert default_policy().with_overrides(contract.reminders).monthly_return.due_working_day == 8


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ("{monthly_return: {due_working_day: 30}}", "monthly_return.due_working_day: Input should be less"),
        ('{working_hours: {start: "10:00"}}', "working_hours are set for the whole installation"),
        ("{actions: 3}", "actions: expected a mapping of settings"),
    ],
    ids=["out-of-range", "working-hours", "not-a-mapping"],
)
def test_a_bad_contract_override_is_refused_with_its_line(overrides: str, message: str) -> None:
    with pytest.raises(PortfolioError) as error:
        parse_portfolio(CONTRACT.replace("REMINDERS", overrides), "portfolio.yaml")

    assert "line 13: contracts[1].reminders: " + message in error.value.describe()
