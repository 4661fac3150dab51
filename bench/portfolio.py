"""The bench's portfolio and Teams identities: 50 tenants, 4 contracts and 20 provider contacts in each.

Person p (0..999) is in tenant p // 20 and is a provider contact of contract (p // 5); each tenant has
one commissioner, who commissions its four contracts and receives the submitted returns.
"""

from __future__ import annotations

from dataclasses import dataclass

TENANTS = 50
PEOPLE_PER_TENANT = 20
CONTRACTS_PER_TENANT = 4
PEOPLE = TENANTS * PEOPLE_PER_TENANT
CONTRACTS = TENANTS * CONTRACTS_PER_TENANT
FIRST_MONTH = (2024, 1)  # contracts run from here, so each has 35 months that can be submitted by Dec 2026

# The demo contract's indicators and a valid month of values for them (tests/test_monthly_return_journey.py).
INDICATORS = """      - {code: PI1, name: Referrals received, kind: count, unit: referrals, requirement: 2500, amber_margin: 250}
      - {code: PI2, name: Victims contacted within two working days, kind: percentage, requirement: 90, amber_margin: 5}
      - {code: PI3, name: Needs assessments completed, kind: percentage, requirement: 85, amber_margin: 5}
      - {code: PI4, name: High-risk victims supported, kind: count, unit: victims, requirement: 150, amber_margin: 15}
      - {code: PI5, name: Witnesses given pre-trial support, kind: count, unit: witnesses, requirement: 400, amber_margin: 40}
      - {code: PI6, name: User satisfaction, kind: percentage, requirement: 80, amber_margin: 5}
      - {code: PI7, name: Safeguarding concerns escalated within 24 hours, kind: yes_no, requirement: 1}
"""
GOOD_VALUES = {
    "pi_PI1": "2710",
    "pi_PI2": "93.5",
    "pi_PI3": "88",
    "pi_PI4": "162",
    "pi_PI5": "431",
    "pi_PI6": "84",
    "pi_PI7": "yes",
    "narrative": "A steady month; contact times recovered after staffing.",
}


@dataclass(frozen=True)
class Who:
    """One Teams identity the load generator speaks as."""

    tenant: int
    conversation: str
    user_id: str
    aad: str
    name: str
    contract: int  # 1-based contract id in import order; 0 for people Steward does not know

    @property
    def tenant_id(self) -> str:
        return tenant_id(self.tenant)


def tenant_id(tenant: int) -> str:
    return f"7e000000-0000-4000-8000-{tenant:012d}"


def person(p: int) -> Who:
    """Provider contact p, known to Steward."""
    t = p // PEOPLE_PER_TENANT
    return Who(t, f"a:t{t:02d}-p{p:04d}", f"29:p{p:04d}", aad(p), f"Person {p:04d}", p // 5 + 1)


def stranger(p: int) -> Who:
    """Someone Steward has never heard of, in the same tenant as person p."""
    t = p // PEOPLE_PER_TENANT
    return Who(t, f"a:t{t:02d}-u{p:04d}", f"29:u{p:04d}", f"5a000000-0000-4000-8000-{p:012d}", "Sam", 0)


def commissioner(t: int) -> Who:
    return Who(t, f"a:t{t:02d}-c", f"29:c{t:02d}", aad(100_000 + t), f"Commissioner {t:02d}", 0)


def aad(n: int) -> str:
    return f"7f000000-0000-4000-8000-{n:012d}"


def spread(n: int) -> int:
    """The person for the nth activity: consecutive activities go to different tenants."""
    n %= PEOPLE
    return (n % TENANTS) * PEOPLE_PER_TENANT + (n // TENANTS) % PEOPLE_PER_TENANT


def yaml_text() -> str:
    """The portfolio file Steward is started with."""
    orgs, people, contracts = [], [], []
    for t in range(TENANTS):
        orgs.append(f"  - {{key: comm{t}, name: Commissioner {t}, kind: commissioner}}")
        orgs.append(f"  - {{key: prov{t}, name: Provider {t}, kind: provider}}")
        c = commissioner(t)
        people.append(
            f"  - {{email: c{t}@comm{t}.example, name: {c.name}, organisation: comm{t}, aad_object_id: {c.aad}}}"
        )
    for p in range(PEOPLE):
        t = p // PEOPLE_PER_TENANT
        people.append(
            f"  - {{email: p{p}@prov{t}.example, name: {person(p).name}, organisation: prov{t}, "
            f"aad_object_id: {aad(p)}}}"
        )
    for k in range(CONTRACTS):
        t = k // CONTRACTS_PER_TENANT
        contacts = ", ".join(f"p{p}@prov{t}.example" for p in range(k * 5, k * 5 + 5))
        contracts.append(
            f"""  - key: C{k:03d}
    name: Contract {k:03d}
    commissioner: comm{t}
    provider: prov{t}
    starts_on: {FIRST_MONTH[0]}-{FIRST_MONTH[1]:02d}-01
    ends_on: 2029-12-31
    roles: {{provider_contact: [{contacts}], head_of_service: [p{k * 5}@prov{t}.example],
            commissioner: [c{t}@comm{t}.example], director: [c{t}@comm{t}.example]}}
    indicators:
{INDICATORS}"""
        )
    return "\n".join(["organisations:", *orgs, "people:", *people, "contracts:", *contracts])


def month(index: int) -> str:
    """The index-th month from FIRST_MONTH, as YYYY-MM."""
    year, m = divmod(FIRST_MONTH[1] - 1 + index, 12)
    return f"{FIRST_MONTH[0] + year}-{m + 1:02d}"
