"""The ``rota`` command line (Typer): thin entry points over the rest of the package."""

from __future__ import annotations

import functools
import json
import socket
from pathlib import Path
from typing import Annotated, Any

import typer
from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from typer.core import TyperGroup

from rota import teamfile
from rota.service.errors import ServiceError
from rota.service.team_import import Imported
from rota.store.db import Database


class Commands(TyperGroup):
    """Every command: a database that cannot be used, or a refusal of a use case
    (unknown organization, bad slug), is one line on stderr and exit code 1,
    never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click.Context
        try:
            return super().invoke(ctx)
        except (SQLAlchemyError, CommandError) as error:
            raise fail(f"the database cannot be used: {_reason(error)}") from None
        except ServiceError as error:
            raise fail(error.message) from None


def _reason(error: Exception) -> str:
    cause = error.orig if isinstance(error, DBAPIError) and error.orig else error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


app = typer.Typer(
    name="rota",
    cls=Commands,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main() -> None:
    """rota decides who hosts each booking of a team: solo, collective or round-robin."""


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and give the exit to raise: no traceback for a user error."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def simulate(
    team_file: Annotated[Path, typer.Argument(metavar="TEAM.json", help="A team file.")],
    booking_type: Annotated[
        str | None,
        typer.Option(
            "--type", metavar="SLUG", help="Booking type to book (default: the only one)."
        ),
    ] = None,
    bookings: Annotated[int, typer.Option(min=0, help="How many bookings to make.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the random choice of times.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    chart: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write a bar chart (.png or .svg).")
    ] = None,
) -> None:
    """Book a booking type of a team file N times in memory and show who got what.

    Each booking takes a random offered slot of the booking window starting at the
    file's "now"; the result shows every host's bookings against its fair share.
    """
    from rich.console import Console
    from rich.progress import Progress

    from rota import simulator

    if chart is not None and chart.suffix.lower() not in simulator.CHART_FORMATS:
        raise fail(f"--chart must end in .png or .svg, not {chart.name!r}", code=2)
    try:
        team = teamfile.load(team_file)
    except teamfile.TeamFileError as error:
        raise fail(str(error)) from None
    if booking_type is None:
        if len(team.booking_types) != 1:
            known = ", ".join(b.slug for b in team.booking_types) or "none"
            raise fail(f"{team_file}: say which booking type with --type (it has: {known})", 2)
        booking_type = team.booking_types[0].slug
    try:
        chosen = team.booking_type(booking_type)
    except KeyError as error:
        raise fail(f"{team_file}: {error.args[0]}") from None
    run = functools.partial(
        simulator.simulate,
        teamfile.to_booking_type(chosen),
        team.schedules(),
        now=team.start(),
        bookings=bookings,
        seed=seed,
    )
    if as_json:
        typer.echo(json.dumps(run().as_json()))
        return
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"booking {chosen.slug}", total=bookings)
        result = run(progress=lambda n: bar.advance(task, n))
    title = f"{chosen.title} ({chosen.slug}, {chosen.host_mode.value}), seed {seed}"
    Console().print(simulator.table(result, title))
    if chart is not None:
        try:
            simulator.write_chart(result, chart, title)
        except OSError as error:
            raise fail(f"cannot write the chart {chart}: {error.strerror or error}") from None
        typer.echo(f"chart written to {chart}")


# The database and the server ------------------------------------------------

DEMO_ORG = "demo"
DEMO_TYPE = "discovery-call"
DEMO_TEAM = Path(__file__).resolve().parents[2] / "examples" / "sales-team.json"

keys_app = typer.Typer(help="API keys of organizations.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
users_app = typer.Typer(help="People who sign in to the Hub.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(db_app, name="db")

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="ROTA_DATABASE_URL",
        help="SQLAlchemy URL (default: sqlite:///./rota.db).",
        show_default=False,
    ),
]


def _database(url: str | None) -> Database:
    """The database at `url`, migrated; a URL that cannot be used ends the command."""
    try:
        database = Database(url)
    except (SQLAlchemyError, ValueError, ImportError) as error:  # ImportError: no driver
        raise fail(
            f"the database URL cannot be used: {_reason(error)}"
            " (rota takes sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        ) from None
    try:
        database.upgrade()
    except (SQLAlchemyError, CommandError) as error:
        database.dispose()
        where = make_url(database.url).render_as_string(hide_password=True)
        raise fail(f"the database {where} cannot be used: {_reason(error)}") from None
    return database


def _check_port(host: str, port: int) -> None:
    """Refuse an address the server could not listen on, before anything is changed."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as error:
        reason = error.strerror or str(error)
        raise fail(f"cannot listen on {host}:{port}: {reason}") from None


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Apply every database migration not applied yet."""
    _database(database_url).dispose()
    typer.echo("database is up to date")


@keys_app.command("create")
def keys_create(
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization (created if new).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create an API key for an organization; the key is the last line printed."""
    from rota.service import orgs

    database = _database(database_url)
    key = orgs.create_key(database, org)
    typer.echo(f"API key for organization {org!r} (shown only now):")
    typer.echo(key)


@keys_app.command("list")
def keys_list(
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization.")],
    database_url: DatabaseUrl = None,
) -> None:
    """List an organization's keys: id, first characters, created, revoked."""
    from rota.service import orgs
    from rota.service.errors import NotFound

    database = _database(database_url)
    try:
        rows = orgs.list_keys(database, org)
    except NotFound as error:
        raise fail(error.message) from None
    for key in rows:
        revoked = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}Z" if key.revoked_at else "active"
        typer.echo(f"{key.id}  {key.prefix}…  created {key.created_at:%Y-%m-%d %H:%M}Z  {revoked}")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The id `keys list` shows.")],
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a key: requests and Hub sessions made with it are refused from now on."""
    from rota.service import orgs
    from rota.service.errors import NotFound

    database = _database(database_url)
    try:
        orgs.revoke_key(database, org, key_id)
    except NotFound as error:
        raise fail(error.message) from None
    typer.echo(f"key {key_id} of {org!r} is revoked")


@users_app.command("create")
def users_create(
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization.")],
    email: Annotated[str, typer.Option(metavar="EMAIL", help="Where sign-in links go.")],
    name: Annotated[str, typer.Option(metavar="NAME", help="Their name.")],
    role: Annotated[str, typer.Option(metavar="admin|member", help="What they may do.")],
    host: Annotated[
        str | None, typer.Option(metavar="HOST_ID", help="The host they are (members).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user; a one-time sign-in link (15 minutes) is the last line printed, so a
    first admin needs no email server."""
    from pydantic import TypeAdapter, ValidationError

    from rota import teamfile
    from rota.service import users

    try:
        checked = TypeAdapter(teamfile.Email).validate_python(email)
        named = TypeAdapter(teamfile.OneLine).validate_python(name)
    except ValidationError as error:
        raise fail(error.errors()[0]["msg"]) from None
    database = _database(database_url)
    try:  # a refusal (unknown organization, email taken) is one line: see `Commands`
        link = users.create_with_link(
            database, org, email=checked, name=named, role=role, host_id=host
        )
    finally:
        database.dispose()
    typer.echo(f"user {link.user.id} ({link.user.role}) of {org!r}; sign-in link (15 minutes):")
    typer.echo(link.url)


@users_app.command("link")
def users_link(
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization.")],
    email: Annotated[str, typer.Option(metavar="EMAIL", help="The user's email.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Print a new one-time sign-in link (15 minutes) for a user, as the last line."""
    from rota.service import users

    database = _database(database_url)
    try:  # a refusal (unknown user) is one line: see `Commands`
        link = users.sign_in_link(database, org, email)
    finally:
        database.dispose()
    typer.echo(f"sign-in link for {link.user.name} (15 minutes):")
    typer.echo(link.url)


@app.command("import")
def import_team(
    team_file: Annotated[Path, typer.Argument(metavar="TEAM.json", help="A team file.")],
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization (created if new).")],
    database_url: DatabaseUrl = None,
) -> None:
    """Load a team file's hosts and booking types into an organization, all or nothing."""
    try:
        team = teamfile.load(team_file)
    except teamfile.TeamFileError as error:
        raise fail(str(error)) from None
    database = _database(database_url)
    imported = _import(database, org, team)
    typer.echo(
        f"imported {len(imported.host_ids)} hosts and booking types "
        f"{', '.join(imported.booking_types) or '(none)'} into {org!r}"
    )
    for file_id, host_id in imported.host_ids.items():
        typer.echo(f"  host {file_id} -> {host_id}")


def _import(database: Database, org: str, team: teamfile.TeamFile) -> Imported:
    from rota.service import orgs, team_import
    from rota.service.errors import ServiceError

    org_id = orgs.ensure_org(database, org)
    try:
        return team_import.import_team(
            database,
            org_id,
            [h.model_dump(mode="json") for h in team.hosts],
            [b.model_dump(mode="json") for b in team.booking_types],
        )
    except ServiceError as error:
        raise fail(f"{error.message} {error.details or ''}".strip()) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker", help="Do not deliver the outbox here (run `rota worker` instead)."
        ),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the API (OpenAPI page at /docs) on the database, migrating it first."""
    _check_port(host, port)
    _database(database_url).dispose()
    _serve(host, port, workers, database_url, outbox_worker=not no_worker)


def _serve(
    host: str, port: int, workers: int, database_url: str | None, *, outbox_worker: bool = True
) -> None:
    import os

    import uvicorn

    from rota.notify import runner, transport

    if database_url:
        # Worker processes build their app from the environment.
        os.environ["ROTA_DATABASE_URL"] = database_url
    if outbox_worker:
        # One delivery thread in this (parent) process, whatever the server processes.
        runner.start_in_background(Database(database_url), runner.WorkerSettings.from_env())
        typer.echo(f"outbox worker running: {transport.describe(transport.transport_from_env())}")
    uvicorn.run("rota.api:create_app", factory=True, host=host, port=port, workers=workers)


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due, sync due calendars, then exit.")
    ] = False,
    lease_seconds: Annotated[
        float,
        typer.Option(min=1, help="How long a claimed message waits before another run retakes it."),
    ] = 300,
    retry_seconds: Annotated[
        float, typer.Option(min=0.01, help="Wait before the first retry; doubles each time.")
    ] = 30,
    database_url: DatabaseUrl = None,
) -> None:
    """Deliver the outbox (invites, webhooks, calendar writes) and sync calendars until stopped."""
    import logging
    import signal
    import threading
    from datetime import timedelta

    from rota.notify import runner, transport

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    database = _database(database_url)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    settings = runner.WorkerSettings.from_env(
        lease=timedelta(seconds=lease_seconds), retry_base=timedelta(seconds=retry_seconds)
    )
    typer.echo(f"outbox worker: {transport.describe(transport.transport_from_env())}")
    try:
        runner.run(database, settings, stop, once=once)
    finally:
        database.dispose()


@app.command()
def purge(
    days: Annotated[
        float | None,
        typer.Option(
            min=0.001,
            help="Keep this many days of sent messages and idempotency keys "
            "(default: ROTA_RETENTION_DAYS, else 30).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete sent outbox messages and idempotency keys older than the retention period,
    and expired or revoked Hub sessions (the worker also does this every hour)."""
    from datetime import timedelta

    from rota.store import retention

    try:
        older_than = timedelta(days=days) if days else retention.retention_from_env()
    except ValueError as error:
        raise fail(str(error)) from None
    database = _database(database_url)
    try:
        purged = retention.purge(database, older_than)
    finally:
        database.dispose()
    typer.echo(
        f"deleted {purged.sent_messages} sent messages and {purged.idempotency_keys} "
        f"idempotency keys older than {older_than / timedelta(days=1):g} days, "
        f"and {purged.hub_sessions} ended Hub sessions"
    )


@app.command()
def ask(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What should happen, in words.")],
    org: Annotated[str, typer.Option(metavar="SLUG", help="Organization.")],
    yes: Annotated[bool, typer.Option("--yes", help="Run the plan without asking.")] = False,
    timezone: Annotated[
        str, typer.Option(metavar="ZONE", help="The zone dates and times are read in.")
    ] = "UTC",
    database_url: DatabaseUrl = None,
) -> None:
    """Ask the assistant: "give Grace Hopper's call to Bob", "who is free tomorrow?".
    A change is shown as a plan and runs with --yes, or once confirmed at a terminal."""
    import sys
    import zoneinfo

    from rota.actor import COMMAND_LINE
    from rota.service import assistant, orgs

    if timezone not in zoneinfo.available_timezones():
        raise fail(f"unknown timezone {timezone!r}: use an IANA name such as 'Europe/Berlin'")
    database = _database(database_url)
    try:
        org_id = orgs.find_org(database, org).id
        said = assistant.ask(database, org_id, text, timezone)
        if isinstance(said, assistant.NotUnderstood):
            typer.echo(said.message)
            for suggestion in said.suggestions:
                typer.echo(f"  try: {suggestion}")
            raise typer.Exit(1)
        typer.echo(said.summary)
        if isinstance(said, assistant.Answer):
            typer.echo(json.dumps(said.answer, indent=2, ensure_ascii=False))
            return
        for action in said.actions:
            typer.echo("  " + " ".join(f"{k}={v}" for k, v in action.items()))
        if not yes and not (sys.stdin.isatty() and typer.confirm("Run this plan?")):
            typer.echo("nothing changed (run with --yes to carry it out)")
            return
        results = assistant.confirm(database, org_id, said.plan_id, COMMAND_LINE)
    finally:
        database.dispose()
    for result in results:
        kind, why = result.action["kind"], (result.error or {}).get("message", "")
        typer.echo(f"done: {kind}" if result.ok else f"failed: {kind}: {why}")
    if not all(result.ok for result in results):
        raise typer.Exit(1)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve rota with a demo team and a key to try it (the team is imported when missing)."""
    from datetime import UTC, datetime, timedelta

    from rota.service import orgs

    _check_port(host, port)
    database = _database(database_url)
    org = _demo_org(database)
    key = orgs.create_key(database, org)
    database.dispose()
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    window = f"start={today:%Y-%m-%dT%H:%M:%SZ}&end={today + timedelta(days=7):%Y-%m-%dT%H:%M:%SZ}"
    base = f"http://{host}:{port}"
    typer.echo(f"rota serves on {base}  (API docs: {base}/docs)")
    typer.echo(f"Booking page: {base}/book/{org}/{DEMO_TYPE}")
    typer.echo(f"Booking Hub:  {base}/hub  (sign in with the key below)")
    typer.echo(f"API key of {org!r}: {key}")
    typer.echo("Slots of the round-robin discovery call for the coming week:")
    typer.echo(
        f"  curl -H 'Authorization: Bearer {key}' "
        f"'{base}/v1/booking-types/{DEMO_TYPE}/slots?{window}&timezone=Europe/London'"
    )
    _serve(host, port, 1, database_url)


def _demo_org(database: Database) -> str:
    """The organization that holds the demo team: ``demo`` if it has the demo's booking
    type or does not exist yet (then the team is imported), else the first free
    ``demo-N``, so the links printed always work, whatever the database holds."""
    from rota.service import booking_types, orgs
    from rota.service.errors import NotFound

    for org in (DEMO_ORG, *(f"{DEMO_ORG}-{n}" for n in range(2, 1000))):
        try:
            org_id = orgs.find_org(database, org).id
        except NotFound:
            _import(database, org, teamfile.load(DEMO_TEAM))
            typer.echo(f"imported the demo team {DEMO_TEAM.name} into organization {org!r}")
            return org
        try:
            booking_types.get_booking_type(database, org_id, DEMO_TYPE)
        except NotFound:
            continue  # someone else's organization of that name
        return org
    raise fail("no free organization name for the demo team")
