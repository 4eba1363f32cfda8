"""The ``rota`` command line (Typer): thin entry points over the rest of the package."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="rota",
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

    from rota import simulator, teamfile

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
