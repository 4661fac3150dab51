"""The `steward` command line: serve the bot, import a portfolio, list contracts and people."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bot import deliveries_cli, leave_cli
from bot.cli_common import CommandError, UsageError, echo, iso_date, load_settings, table
from bot.cli_import import add_import_command
from bot.cli_notice import add_notice_command
from bot.cli_report import add_report_command
from bot.settings import Settings
from storage.engine import Database
from storage.repositories import Repositories

log = logging.getLogger("steward")
DEMO_PORTFOLIO = Path(__file__).resolve().parent.parent / "examples" / "demo-portfolio.yaml"
DEMO_HISTORY = DEMO_PORTFOLIO.with_name("demo-history.yaml")


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


# -- commands ------------------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    from aiohttp import web

    from bot.app import create_app
    from bot.runtime import settle_on_startup

    demo, history = (DEMO_PORTFOLIO, DEMO_HISTORY) if args.demo else (None, None)
    settings = load_settings(HOST=args.host, PORT=args.port, DEMO_PORTFOLIO=demo, DEMO_HISTORY=history)
    setup_logging(settings.log_level)
    log.info(
        "Steward listening on http://%s:%s/api/messages (database %s)",
        settings.host,
        settings.port,
        settings.database_url,
    )
    app = create_app(settings)
    app.on_startup.append(settle_on_startup)
    web.run_app(app, host=settings.host, port=settings.port, print=None)


def cmd_scheduler(args: argparse.Namespace) -> None:
    from bot.standalone import run_standalone

    settings = load_settings()
    setup_logging(settings.log_level)
    if settings.scheduler != "off":
        log.warning("SCHEDULER is not 'off': serve the bot with SCHEDULER=off so only one scheduler runs")
    asyncio.run(run_standalone(settings, settle=True))


async def _contracts(settings: Settings) -> list[str]:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        async with database.session() as session:
            repos = Repositories.on(session)
            rows = []
            for contract in await repos.contracts.contracts():
                monthly = await repos.contracts.indicators(contract.id, "monthly")
                quarterly = await repos.contracts.indicators(contract.id, "quarterly")
                provider = await repos.contracts.organisation(contract.provider_org_id)
                commissioner = await repos.contracts.organisation(contract.commissioner_org_id)
                rows.append(
                    [
                        contract.key,
                        contract.name,
                        commissioner.name if commissioner else "",
                        provider.name if provider else "",
                        f"{contract.starts_on} to {contract.ends_on}",
                        f"{len(monthly)} PIs, {len(quarterly)} KPIs",
                    ]
                )
            return table(["key", "contract", "commissioner", "provider", "term", "indicators"], rows)
    finally:
        await database.dispose()


async def _people(settings: Settings, *, unreachable: bool = False) -> list[str]:
    database = Database(settings.database_url)
    try:
        await database.migrate()
        async with database.session() as session:
            repos = Repositories.on(session)
            contracts = {c.id: c.key for c in await repos.contracts.contracts()}
            roles: dict[int, list[str]] = {}
            for role in await repos.people.all_roles():
                roles.setdefault(role.person_id, []).append(
                    f"{contracts.get(role.contract_id, '?')}:{role.role}"
                )
            rows = []
            for person in await repos.people.people():
                if unreachable and person.unreachable_since is None:
                    continue
                organisation = await repos.contracts.organisation(person.organisation_id)
                rows.append(
                    [
                        person.email,
                        person.name,
                        organisation.key if organisation else "",
                        "yes" if person.aad_object_id else "email only",
                        _since(person.unreachable_since, settings),
                        ", ".join(sorted(roles.get(person.id, []))) or "-",
                    ]
                )
            return table(
                ["email", "name", "organisation", "linked to Teams", "unreachable since", "roles"], rows
            )
    finally:
        await database.dispose()


def _since(moment: datetime | None, settings: Settings) -> str:
    """When Teams last refused to let Steward reach them (a 403/404), in local time; "-" when reachable."""
    return f"{moment.astimezone(settings.zone):%Y-%m-%d %H:%M}" if moment is not None else "-"


def cmd_contracts(args: argparse.Namespace) -> None:
    for line in asyncio.run(_contracts(load_settings())):
        echo(line)


def cmd_people(args: argparse.Namespace) -> None:
    for line in asyncio.run(_people(load_settings(), unreachable=args.unreachable)):
        echo(line)


async def _migrate(settings: Settings) -> None:
    database = Database(settings.database_url)
    try:
        await database.migrate()
    finally:
        await database.dispose()


def cmd_migrate(args: argparse.Namespace) -> None:
    asyncio.run(_migrate(load_settings()))
    echo("Database is at the newest schema.")


def cmd_audit(args: argparse.Namespace) -> None:
    from bot.audit_report import HEADERS, LIMIT, UnknownContract, audit_rows

    settings = load_settings()

    async def run() -> tuple[list[list[str]], bool]:
        database = Database(settings.database_url)
        try:
            await database.migrate()
            return await audit_rows(database, settings.zone, contract_key=args.contract, since=args.since)
        finally:
            await database.dispose()

    try:
        rows, cut = asyncio.run(run())
    except UnknownContract as error:
        raise CommandError(f"no contract has the key {error}; `steward contracts` lists them") from None
    for line in table(HEADERS, rows):
        echo(line)
    if cut:
        echo(f"(the first {LIMIT} events only: narrow the list with --since or --contract)")


def cmd_quarter(args: argparse.Namespace) -> None:
    import json

    from bot.quarter_report import QuarterProblem, quarter_report, summary_lines

    try:
        summary = asyncio.run(quarter_report(load_settings().database_url, args.contract, args.quarter))
    except QuarterProblem as error:
        raise UsageError(str(error)) from None
    if args.json:
        echo(json.dumps(summary.as_json()))
        return
    for line in summary_lines(summary, table):
        echo(line)


def cmd_manifest(args: argparse.Namespace) -> None:
    from bot.app import build_dispatch
    from manifest.package import commands_from_help, write_app_zip

    commands = commands_from_help(build_dispatch().help)
    try:
        path = write_app_zip(
            args.out, args.app_id, domain=args.domain, commands=commands, version=args.version
        )
    except ValueError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {args.out}: {error.strerror}") from None
    echo(
        f"Wrote {path} ({len(commands)} commands). Upload it in Teams: Apps > Manage your apps > Upload an app."
    )


def cmd_evaluation_export(args: argparse.Namespace) -> None:
    from storage.evaluations import EvaluationsRepository

    settings = load_settings()

    async def run() -> bytes:
        database = Database(settings.database_url)
        try:
            await database.migrate()
            async with database.session() as session:
                return await EvaluationsRepository(session).export(args.id, args.format, sheet=args.sheet)
        finally:
            await database.dispose()

    try:
        data = asyncio.run(run())
        Path(args.out).write_bytes(data)
    except LookupError as error:
        raise CommandError(f"{error}; the evaluation's number is on its result card") from None
    except OSError as error:
        raise CommandError(f"cannot write {args.out}: {error.strerror}") from None
    echo(f"Wrote evaluation {args.id} to {args.out} ({args.format}, {len(data):,} bytes).")


def cmd_chat(args: argparse.Namespace) -> None:
    import shutil

    from bot.console import ChatError, ChatOptions, run_chat
    from bot.console.terminal import Terminal, Writer, wants_colour

    if not args.as_person and not args.script:
        raise CommandError(
            "say who to chat as: steward chat --as NAME-OR-EMAIL (`steward people` lists them)"
        )
    settings = load_settings()
    if settings.demo_portfolio is None:
        settings = settings.model_copy(
            update={"demo_portfolio": DEMO_PORTFOLIO, "demo_history": DEMO_HISTORY}
        )
    logging.getLogger("bot.app").setLevel(logging.ERROR)  # the console always runs it in local mode
    writer = Writer(sys.stdout, colour=not args.no_colour and wants_colour(sys.stdout))
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns - 1, 120))
    options = ChatOptions(settings, url=args.url, fresh=args.fresh, width=width)
    script = Path(args.script) if args.script else None
    terminal = None if script else Terminal(writer, stdin=None if sys.stdin.isatty() else sys.stdin)
    try:
        asyncio.run(
            run_chat(options, writer=writer, terminal=terminal, as_person=args.as_person, script=script)
        )
    except ChatError as error:
        raise CommandError(str(error)) from None


# -- parser --------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steward",
        description="Steward runs the contract-management cycle of commissioned services in Microsoft Teams. "
        "Configuration comes from the environment and .env (see README.md).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (
        _add_serve,
        add_import_command,
        _add_listings,
        _add_chat,
        _add_audit,
        _add_quarter,
        add_report_command,
        add_notice_command,
        _add_manifest,
        _add_evaluation,
    ):
        add(commands)
    return parser


Commands = Any  # argparse's subparsers action; its class is private


def _add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve", help="start the bot (POST /api/messages, GET /downloads/{token}, GET /healthz)"
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="load examples/demo-portfolio.yaml, and the year behind it, into an empty database",
    )
    serve.add_argument("--host", help="address to listen on (default HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default PORT or 3978)")
    serve.set_defaults(func=cmd_serve)
    commands.add_parser(
        "scheduler",
        help="run the reminder sweep and the outbox dispatch on their own (serve with SCHEDULER=off)",
    ).set_defaults(func=cmd_scheduler)


def _add_listings(commands: Commands) -> None:
    commands.add_parser("contracts", help="list contracts").set_defaults(func=cmd_contracts)
    people = commands.add_parser("people", help="list people and their roles, and who Steward cannot reach")
    people.add_argument(
        "--unreachable",
        action="store_true",
        help="only the people Teams will not let Steward reach (they removed the app or never installed it)",
    )
    people.set_defaults(func=cmd_people)
    deliveries_cli.register(commands)
    leave_cli.register(commands)
    commands.add_parser("migrate", help="create or upgrade the database schema").set_defaults(
        func=cmd_migrate
    )


def _add_chat(commands: Commands) -> None:
    chat = commands.add_parser(
        "chat", help="try Steward in the terminal as someone from the portfolio, no Teams needed"
    )
    chat.add_argument("--as", dest="as_person", metavar="PERSON", help="a name or email from the portfolio")
    chat.add_argument(
        "--url", help="a bot already running on this machine, e.g. http://127.0.0.1:3978 (default: start one)"
    )
    chat.add_argument(
        "--script", metavar="FILE", help="play a scripted chat (examples/*.chat), print the transcript"
    )
    chat.add_argument(
        "--fresh",
        action="store_true",
        help="start the bot on a new temporary database with the demo portfolio",
    )
    chat.add_argument(
        "--no-colour", "--no-color", dest="no_colour", action="store_true", help="no ANSI colours"
    )
    chat.set_defaults(func=cmd_chat)


def _add_audit(commands: Commands) -> None:
    audit = commands.add_parser(
        "audit", help="list the audit trail: who changed what, when, before and after"
    )
    audit.add_argument("--contract", metavar="KEY", help="only this contract's events (its key, e.g. IVWS)")
    audit.add_argument(
        "--since", metavar="YYYY-MM-DD", type=iso_date, help="only events from this day on (local time)"
    )
    audit.set_defaults(func=cmd_audit)


def _add_quarter(commands: Commands) -> None:
    quarter = commands.add_parser(
        "quarter",
        help="a contract's quarter: the outcome pot, each KPI's result, target, achievement and weight, "
        "the weighted achievement, the payment and its approval, from its KPIs, returns and KPI return",
        description="Work out a contract's quarter from the KPIs in its portfolio file, the current "
        "versions of the quarter's submitted monthly returns and of its KPI return (the reported KPIs' "
        "results). --json prints one JSON object: contract, quarter, pot, kpis (code, name, live, "
        "baseline_year, result, target, achievement, weight), weighted_achievement, payment and approved "
        "(null, or by, at, amount and reason once the commissioner approved the payment). A payment that cannot be worked out (no KPI live, a "
        "live KPI without data) is null, with the reasons in the table.",
    )
    quarter.add_argument("contract", metavar="CONTRACT", help="the contract's key or name, e.g. IVWS")
    quarter.add_argument(
        "quarter", metavar="QUARTER", help="a quarter of the contract's own years, e.g. 2026-Q3 or 2026Q3"
    )
    quarter.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    quarter.set_defaults(func=cmd_quarter)


def _add_manifest(commands: Commands) -> None:
    manifest = commands.add_parser("manifest", help="write the Teams app package (zip) to upload to Teams")
    manifest.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    manifest.add_argument("--domain", help="the public host Steward is served from, e.g. steward.example.org")
    manifest.add_argument("--out", default="steward-teams-app.zip", help="where to write the zip")
    manifest.add_argument("--version", default="1.0.0", help="app version; raise it for every re-upload")
    manifest.set_defaults(func=cmd_manifest)


def _add_evaluation(commands: Commands) -> None:
    evaluation = commands.add_parser("evaluation", help="go/no-go evaluations")
    export = evaluation.add_subparsers(dest="action", metavar="ACTION", required=True).add_parser(
        "export", help="write an evaluation's scores, rationales and result to Excel or CSV"
    )
    export.add_argument("id", type=int, help="the evaluation's number (shown on its result card)")
    export.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="default xlsx")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument(
        "--sheet", choices=["summary", "factors", "scores"], default="scores", help="for CSV: which sheet"
    )
    export.set_defaults(func=cmd_evaluation_export)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in ("serve", "scheduler"):
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args.func(args)
    except CommandError as error:
        sys.stderr.write(f"steward: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
