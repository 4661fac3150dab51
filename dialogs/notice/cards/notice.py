"""The notice card: each KPI's rating with the figures behind it, a commentary box each, and the export buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from commissioning.quarter.notice_year import COMMENTARY_MAX
from dialogs.cards import card, error_text, execute, facts, heading, input_text, plain, subtle, text
from dialogs.common import when_text
from dialogs.notice.payloads import COMMENTARY_PREFIX
from storage.models import Contract
from storage.notices import DraftNotice
from storage.quarter_models import PerformanceNotice

RATING_COLOUR = {
    "Good": "Good",
    "Approaching target": "Warning",
    "Requires improvement": "Warning",
    "Inadequate": "Attention",
    "Other": "Default",
}
STATUS = {"live": "live", "baseline": "baseline year", "not_started": "not started"}


@dataclass(frozen=True, slots=True)
class DownloadLink:
    filename: str
    url: str
    expires: datetime


def _figure(value: float | None) -> str:
    return "no result" if value is None else f"{value:,.4g}" if abs(value) < 10_000 else f"{value:,.0f}"


def _quarter_line(quarter: dict[str, Any]) -> tuple[str, str]:
    target = "" if quarter["target"] is None else f" against {_figure(quarter['target'])}"
    return quarter["label"], f"{_figure(quarter['result'])}{target} ({STATUS.get(quarter['status'], '')})"


def notice_card(
    draft: DraftNotice,
    row: PerformanceNotice,
    zone: ZoneInfo,
    *,
    entries: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    note: str = "",
    download: DownloadLink | None = None,
) -> dict[str, Any]:
    data, errors = draft.as_json(), errors or {}
    typed = entries if entries is not None else {k: str(v) for k, v in (row.commentary or {}).items()}
    state = "" if data["year_over"] else " The year is not over: this is the draft so far."
    body: list[dict[str, Any]] = [
        heading(f"Contract Performance Notice: year {data['year']}"),
        text(plain(draft.contract.name), weight="Bolder"),
        subtle(f"From {data['from']} to {data['to']}, from the KPI results as stored.{state}"),
    ]
    if note:
        body.append(text(note, color="Good"))
    if errors:
        body.append(error_text(f"Please correct {len(errors)} commentary below. Nothing has been saved yet."))
    body += [error_text(f"Before publishing: {problem}.") for problem in data["problems"]]
    for kpi in data["kpis"]:
        code = kpi["code"]
        body.append(
            text(
                f"{code}  {plain(kpi['name'])}: {kpi['rating']}",
                weight="Bolder",
                spacing="Medium",
                color=RATING_COLOUR.get(kpi["rating"], "Default"),
            )
        )
        body.append(facts([_quarter_line(q) for q in kpi["quarters"]]))
        body.append(
            input_text(
                COMMENTARY_PREFIX + code,
                f"Commentary on {code} (optional)",
                typed.get(code, ""),
                multiline=True,
                max_length=COMMENTARY_MAX,
            )
        )
        if code in errors:
            body.append(error_text(errors[code]))
    if row.reviewed_at is not None:
        body.append(subtle(f"Commentary last saved {when_text(row.reviewed_at, zone)}."))
    if download is not None:
        body += [
            {
                "type": "ActionSet",
                "actions": [
                    {"type": "Action.OpenUrl", "title": f"Open {download.filename}", "url": download.url}
                ],
            },
            subtle(
                f"This link is yours and works until {when_text(download.expires, zone)}; press Download "
                "again for a new one."
            ),
        ]
    ref = {"contract_id": draft.contract.id, "year": data["year"]}
    actions = [
        execute("Save commentary", "notice.save", ref, style="positive"),
        execute("Download Excel", "notice.export", {**ref, "file_format": "xlsx"}),
        execute("Download CSV", "notice.export", {**ref, "file_format": "csv"}),
    ]
    return card(body, actions)


def notice_picker_card(choices: list[tuple[Contract, int]]) -> dict[str, Any]:
    buttons = [
        execute(
            f"{contract.name[:50]} (year {year})", "notice.card", {"contract_id": contract.id, "year": year}
        )
        for contract, year in sorted(choices, key=lambda choice: choice[0].name)
    ]
    body = [heading("Which contract's performance notice?"), text("Each is for its latest contract year.")]
    return card(body, buttons)
