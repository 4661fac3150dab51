"""The rules Steward is told at start-up, in one frozen object built once and carried on every turn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time
from types import MappingProxyType
from zoneinfo import ZoneInfo

from commissioning.calendar import WorkingCalendar
from commissioning.deadlines import CLOSE_OF_BUSINESS, LONDON, MeetingRules
from commissioning.download_links import DownloadLinks
from commissioning.gonogo import DEFAULT_FACTOR_SET, FactorSet, load_factor_sets
from commissioning.reminder_policy import ReminderPolicy, default_policy
from commissioning.reminders import WorkingHours


@dataclass(frozen=True, slots=True)
class Rules:
    """The working calendar, the meeting deadline rule, working hours, the go/no-go factor sets, and the
    signer of the download links cards offer (its key from settings, see docs/security.md)."""

    meetings: MeetingRules
    hours: WorkingHours
    policy: ReminderPolicy
    factor_sets: Mapping[str, FactorSet]
    downloads: DownloadLinks

    @classmethod
    def build(
        cls,
        *,
        zone: ZoneInfo = LONDON,
        closures: Iterable[date] = (),
        close_of_business: time = CLOSE_OF_BUSINESS,
        policy: ReminderPolicy | None = None,
        factor_sets: Mapping[str, FactorSet] | None = None,
        downloads: DownloadLinks | None = None,
    ) -> Rules:
        """The rules from configuration; every default is the seeds' (bank holidays only, 17:30, the built-in set)."""
        calendar = WorkingCalendar(closures)
        policy = policy or default_policy()
        sets = dict(factor_sets) if factor_sets is not None else load_factor_sets()
        if DEFAULT_FACTOR_SET not in sets:
            raise ValueError(f"the built-in factor set '{DEFAULT_FACTOR_SET}' is missing")
        return cls(
            meetings=MeetingRules(calendar, zone, close_of_business),
            hours=WorkingHours.of(policy, zone, calendar),
            policy=policy,
            factor_sets=MappingProxyType(sets),
            downloads=downloads or DownloadLinks.local(),
        )

    @property
    def zone(self) -> ZoneInfo:
        return self.meetings.zone

    @property
    def calendar(self) -> WorkingCalendar:
        return self.meetings.calendar
