"""Roles a person holds on a contract, and what each role may do there."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    COMMISSIONER = "commissioner"
    PROVIDER = "provider"


class Role(StrEnum):
    PROVIDER_CONTACT = "provider_contact"
    HEAD_OF_SERVICE = "head_of_service"
    COMMISSIONER = "commissioner"
    PROGRAMME_MANAGER = "programme_manager"
    DIRECTOR = "director"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def side(self) -> Side:
        return Side.PROVIDER if self in (Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE) else Side.COMMISSIONER


ROLE_LABELS: dict[Role, str] = {
    Role.PROVIDER_CONTACT: "provider contact",
    Role.HEAD_OF_SERVICE: "head of service",
    Role.COMMISSIONER: "commissioner",
    Role.PROGRAMME_MANAGER: "programme manager",
    Role.DIRECTOR: "director",
}


class Permission(StrEnum):
    SUBMIT_RETURN = "submit_return"
    VIEW_RETURN = "view_return"
    REVIEW_RETURN = "review_return"
    SCHEDULE_MEETING = "schedule_meeting"
    RECORD_MEETING = "record_meeting"
    VIEW_MEETING = "view_meeting"
    SUPPLY_DELIVERABLES = "supply_deliverables"
    VIEW_DELIVERABLES = "view_deliverables"
    MANAGE_ACTIONS = "manage_actions"  # assign, decide due-date requests, carry and escalate
    RUN_EVALUATION = "run_evaluation"  # start and lead a go/no-go evaluation, see its result
    AGREE_CHANGE = "agree_change"  # propose, agree, decline or withdraw a change request (seed 002 §6)
    APPROVE_CHANGE = "approve_change"  # approve or refuse a formal change: terms, budget, staffing
    APPROVE_PAYMENT = "approve_payment"  # approve the quarter's outcome payment (as computed or adjusted)


GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.SUBMIT_RETURN: frozenset({Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE}),
    Permission.VIEW_RETURN: frozenset(Role),
    Permission.REVIEW_RETURN: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}),
    Permission.SCHEDULE_MEETING: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}),
    Permission.RECORD_MEETING: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}),
    Permission.VIEW_MEETING: frozenset(Role),
    Permission.SUPPLY_DELIVERABLES: frozenset({Role.PROVIDER_CONTACT, Role.HEAD_OF_SERVICE}),
    Permission.VIEW_DELIVERABLES: frozenset(Role),
    Permission.MANAGE_ACTIONS: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}),
    Permission.RUN_EVALUATION: frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}),
    Permission.AGREE_CHANGE: frozenset(
        {Role.HEAD_OF_SERVICE, Role.COMMISSIONER, Role.PROGRAMME_MANAGER, Role.DIRECTOR}
    ),
    Permission.APPROVE_CHANGE: frozenset({Role.DIRECTOR}),
    Permission.APPROVE_PAYMENT: frozenset({Role.COMMISSIONER}),
}

# Who hears about a submitted or amended return.
RETURN_REVIEWERS: frozenset[Role] = frozenset({Role.COMMISSIONER, Role.PROGRAMME_MANAGER})


def allowed(roles: set[Role] | frozenset[Role], permission: Permission) -> bool:
    """True when any of the person's roles on the contract grants the permission."""
    return bool(GRANTS[permission] & set(roles))


SEES_CONTRACT = Permission.VIEW_RETURN
"""Every role on a contract sees its returns, so its status, its report workbooks and its trends: no one
else does. The bot's cards, the download links and the tab all ask this one rule."""


def may_see_contract(roles: set[Role] | frozenset[Role]) -> bool:
    """True when the person's roles on a contract let them see it (and export its workbooks)."""
    return allowed(roles, SEES_CONTRACT)
