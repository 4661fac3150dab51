"""The returns list: a contract's months with each return's status, received time and version, a page at a time."""

from __future__ import annotations

from typing import Any

from commissioning.return_log import ReturnState, tally
from dialogs.cards import card, execute, facts, heading, plain, subtle, text
from dialogs.common import list_entry, short_date
from dialogs.monthly_return.log import LoggedMonth
from storage.models import Contract

PAGE_SIZE = 12
STATE_WORDS = {
    ReturnState.RECEIVED: "received",
    ReturnState.LATE: "received late",
    ReturnState.DUE: "due",
    ReturnState.MISSING: "missing",
}


def returns_picker_card(contracts: list[Contract]) -> dict[str, Any]:
    buttons = [
        execute(c.name[:60], "return.list", {"contract_id": c.id})
        for c in sorted(contracts, key=lambda c: c.name)
    ]
    return card([heading("Which contract's returns?")], buttons)


def returns_card(
    contract: Contract, logged: list[LoggedMonth], page: int, *, provider: bool
) -> dict[str, Any]:
    """One page of the contract's months, newest first; a provider can open a month not yet in."""
    count = tally([m.status for m in logged])
    received = f"{count.received} ({count.late} late)" if count.late else str(count.received)
    body: list[dict[str, Any]] = [
        heading("Monthly returns"),
        text(plain(contract.name), weight="Bolder", spacing="None"),
        facts(
            [
                ("Received", received),
                ("Amended", str(count.amended)),
                ("Missing", str(count.missing)),
                ("Due", str(count.due)),
            ]
        ),
    ]
    pages = max(1, -(-len(logged) // PAGE_SIZE))
    page = min(page, pages - 1)
    shown = logged[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if not shown:
        body.append(text("No month of this contract is over yet, so no return is due."))
    for entry in shown:
        body.extend(_row(contract, entry, provider=provider))
    buttons = []
    if page + 1 < pages:
        buttons.append(
            execute("Earlier months", "return.list", {"contract_id": contract.id, "page": page + 1})
        )
    if page > 0:
        buttons.append(execute("Later months", "return.list", {"contract_id": contract.id, "page": page - 1}))
    if pages > 1:
        body.append(text(f"Page {page + 1} of {pages}.", isSubtle=True, size="Small"))
    return card(body, buttons)


def _row(contract: Contract, entry: LoggedMonth, *, provider: bool) -> list[dict[str, Any]]:
    status, month = entry.status, entry.month
    title = f"{month.label}: {STATE_WORDS[status.state]}"
    if entry.monthly is not None and status.received and entry.received_local is not None:
        detail = f"Received {entry.received_local:%H:%M} on {short_date(entry.received_local.date())}"
        detail += f" · version {status.version}" + (" (amended)" if status.amended else "")
        if status.state is ReturnState.LATE:
            detail += f" · was due {short_date(status.due_on)}"
        button = execute(f"View {month.label}", "return.view", {"return_id": entry.monthly.id})
    else:
        verb = "Due by" if status.state is ReturnState.DUE else "Was due"
        detail = f"{verb} {short_date(status.due_on)} · not received"
        label = "Continue" if status.has_draft else "Submit"
        ref = {"contract_id": contract.id, "month": month.key}
        button = execute(f"{label} {month.label}", "return.open", ref)
    if provider and status.has_draft:
        detail += " · draft saved"
    if not provider and not status.received:  # the commissioner sees what is missing, nothing to press
        return [text(title, weight="Bolder", spacing="Medium"), subtle(detail)]
    return list_entry(title, detail, button)
