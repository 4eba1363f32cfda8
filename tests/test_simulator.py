"""The simulator and ``rota simulate``: what a team sees after many bookings in a row."""

from __future__ import annotations

import itertools
import json
import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from rota import engine, simulator, teamfile
from rota.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples"
EXAMPLE_TYPES = [
    ("sales-team.json", "discovery-call"),
    ("sales-team.json", "product-demo"),
    ("sales-team.json", "pricing-review"),
    ("sales-team.json", "office-hours"),
    ("hiring-panel.json", "final-interview"),
    ("support-desk.json", "help-session"),
    ("solo.json", "intro-chat"),
]
ALWAYS = [
    {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "start": "00:00", "end": "24:00"}
]


def example(name: str, slug: str) -> tuple[teamfile.TeamFile, engine.BookingType]:
    team = teamfile.load(EXAMPLES / name)
    return team, teamfile.to_booking_type(team.booking_type(slug))


def simulate(name: str, slug: str, bookings: int, seed: int = 1) -> simulator.Simulation:
    team, booking_type = example(name, slug)
    return simulator.simulate(
        booking_type, team.schedules(), now=team.start(), bookings=bookings, seed=seed
    )


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["simulate", *args])
    return result.exit_code, result.stdout, result.stderr


def local_day(instant: int, timezone: str) -> str:
    return datetime.fromtimestamp(instant, ZoneInfo(timezone)).date().isoformat()


@pytest.mark.parametrize(("name", "slug"), EXAMPLE_TYPES)
def test_every_example_simulates(name: str, slug: str) -> None:
    """`rota simulate --json` reports for each host the bookings the run gave it, and
    the run never gives a host two meetings at once (buffers included)."""
    args = ("--type", slug, "--bookings", "60", "--seed", "1", "--json")
    code, out, _ = cli(str(EXAMPLES / name), *args)
    assert code == 0
    result = json.loads(out)
    _, booking_type = example(name, slug)
    made = simulate(name, slug, 60, seed=1).assignments
    assert result["bookings"] == 60
    assert result["bookings"] - result["unbooked"] == len(made) > 0
    # Round-robin reports its rotating hosts by the bookings each rotated to (a fixed
    # host is in every one); the other modes report every host by what it holds.
    if booking_type.host_mode == engine.HostMode.ROUND_ROBIN:
        listed = [m.host_id for m in booking_type.rotating]
        held = Counter(a.rotating_host_id for a in made)
    else:
        listed = [m.host_id for m in booking_type.hosts]
        held = Counter(h for a in made for h in a.host_ids)
    assert {h["host_id"]: h["bookings"] for h in result["hosts"]} == {
        host_id: held[host_id] for host_id in listed
    }
    assert sum(h["expected"] for h in result["hosts"]) == pytest.approx(
        sum(held[host_id] for host_id in listed), abs=1e-3
    )
    before = booking_type.buffer_before_minutes * 60
    after = booking_type.buffer_after_minutes * 60
    for member in booking_type.hosts:
        spans = sorted(
            (a.start - before, a.end + after) for a in made if member.host_id in a.host_ids
        )
        for first, second in itertools.pairwise(spans):
            assert first[1] <= second[0], (member.host_id, engine_time(second[0]))


def test_json_output_has_exactly_the_documented_shape() -> None:
    args = (str(EXAMPLES / "sales-team.json"), "--type", "discovery-call", "--bookings", "40")
    code, out, _ = cli(*args, "--seed", "3", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"bookings", "unbooked", "max_abs_lag", "hosts"}
    assert result["bookings"] == 40
    assert isinstance(result["unbooked"], int)
    assert isinstance(result["max_abs_lag"], float)
    assert [h["host_id"] for h in result["hosts"]] == [
        "sofia",
        "ethan",
        "hana",
        "lucas",
        "daniel",
        "priya",
    ]
    for line in result["hosts"]:
        assert set(line) == {"host_id", "weight", "priority", "bookings", "expected"}
    assert result["hosts"][0]["weight"] == 200
    assert result["hosts"][0]["priority"] == 2


def test_the_same_seed_gives_the_same_run() -> None:
    args = (str(EXAMPLES / "support-desk.json"), "--type", "help-session", "--bookings", "80")
    first = cli(*args, "--seed", "7", "--json")
    assert first[0] == 0
    assert cli(*args, "--seed", "7", "--json") == first
    assert json.loads(first[1]) == simulate("support-desk.json", "help-session", 80, 7).as_json()


def test_junior_reps_take_more_calls_in_proportion_to_weight() -> None:
    result = simulate("sales-team.json", "discovery-call", 300)
    booked = {s.host_id: s.bookings for s in result.shares}
    juniors = [booked["sofia"], booked["ethan"], booked["hana"]]
    seniors = [booked["daniel"], booked["priya"]]
    # Weight 200 against 50: a junior takes at least twice the calls of any senior.
    assert min(juniors) > 2 * max(seniors)
    assert booked["lucas"] > max(seniors)
    # Nobody falls further behind its fair share than the catch-up limit.
    limit = example("sales-team.json", "discovery-call")[1].catch_up_limit
    assert min(s.bookings - s.expected for s in result.shares) >= -limit
    assert result.unbooked == 0


def test_on_call_specialist_takes_every_booking_while_free() -> None:
    team, booking_type = example("support-desk.json", "help-session")
    result = simulate("support-desk.json", "help-session", 200)
    nadia = team.schedules()["nadia"]
    # Nadia alone, to ask "was she free at that start, given what she held by then?"
    alone = replace(
        booking_type, host_mode=engine.HostMode.SOLO, hosts=(engine.PoolMember("nadia"),)
    )
    held: list[tuple[int, int]] = []
    taken = 0
    for booking in result.assignments:
        schedule = replace(nadia, busy=engine.as_spans([*nadia.busy.tolist(), *held]))
        free = engine.list_slots(
            alone,
            {"nadia": schedule},
            {},
            now=team.start(),
            start=booking.start,
            end=booking.start + 1,
        )
        assert (booking.rotating_host_id == "nadia") == bool(free), engine_time(booking.start)
        if booking.rotating_host_id == "nadia":
            taken += 1
            held.append(engine.widen(booking.start, booking.end, 0, 5))
    assert 0 < taken < len(result.assignments)


def engine_time(instant: int) -> str:
    return datetime.fromtimestamp(instant, UTC).isoformat()


def test_every_final_interview_holds_the_whole_panel() -> None:
    result = simulate("hiring-panel.json", "final-interview", 100)
    assert result.unbooked > 0  # the panel's shared hours run out: it is booked to the brim
    per_day: Counter[tuple[str, str]] = Counter()
    zones = {"amelia": "Europe/London", "jonas": "Europe/Berlin", "marcus": "America/New_York"}
    for booking in result.assignments:
        assert set(booking.host_ids) == set(zones)
        # 13:00-17:00 UTC is when London, Berlin (10-18) and New York (08-16) all work;
        # the interview with its 10 and 15 minute buffers fits inside.
        moment = datetime.fromtimestamp(booking.start, UTC)
        assert 13 * 60 + 10 <= moment.hour * 60 + moment.minute <= 15 * 60 + 45
        for host_id, zone in zones.items():
            per_day[host_id, local_day(booking.start, zone)] += 1
    assert max(per_day.values()) <= 2  # max_bookings_per_host_per_day
    assert all(s.bookings == len(result.assignments) for s in result.shares)


def test_a_solo_page_fills_up_without_double_booking() -> None:
    result = simulate("solo.json", "intro-chat", 100)
    made = sorted(result.assignments, key=lambda a: a.start)
    assert result.unbooked == 100 - len(made) > 0
    assert {a.host_ids for a in made} == {("ines",)}
    for before, after in itertools.pairwise(made):
        assert before.end + 15 * 60 <= after.start  # the 15-minute buffer after each chat
    days = Counter(local_day(a.start, "Europe/Lisbon") for a in made)
    assert max(days.values()) <= 3
    weekdays = {datetime.fromisoformat(d).strftime("%a") for d in days}
    assert weekdays <= {"Tue", "Thu", "Sat"}
    assert "2026-12-24" not in days


def always_free_team(weights: list[int]) -> teamfile.TeamFile:
    hosts = [
        {"id": f"h{i}", "name": f"H{i}", "email": f"h{i}@example.com", "timezone": "UTC"}
        | {"working_hours": ALWAYS}
        for i in range(len(weights))
    ]
    pool = [{"host_id": f"h{i}", "weight": w} for i, w in enumerate(weights)]
    data = {
        "now": "2026-12-01T00:00:00Z",
        "hosts": hosts,
        "booking_types": [
            {"slug": "rr", "title": "RR", "duration_minutes": 30, "host_mode": "round_robin"}
            | {"hosts": pool}
        ],
    }
    return teamfile.parse(json.dumps(data))


@pytest.mark.parametrize("weights", [[100, 100, 100, 100], [100, 200, 300]])
@pytest.mark.parametrize("seed", [1, 2])
def test_hosts_on_duty_around_the_clock_share_exactly_by_weight(
    weights: list[int], seed: int
) -> None:
    team = always_free_team(weights)
    booking_type = teamfile.to_booking_type(team.booking_types[0])
    result = simulator.simulate(
        booking_type, team.schedules(), now=team.start(), bookings=600, seed=seed
    )
    assert result.unbooked == 0
    # Two bookings drawn at one start leave the second to the hosts still free then; the
    # host in the first meeting still earns its share of the second, and catches up.
    for share in result.shares:
        assert abs(share.bookings - 600 * share.weight / sum(weights)) <= 1
    assert result.max_abs_lag <= 2


def list_everything_each_time(
    booking_type: engine.BookingType,
    schedules: dict[str, engine.HostSchedule],
    now: int,
    bookings: int,
    seed: int,
) -> list[engine.Assignment]:
    """The simulator's definition, without its shortcut: list the whole window each time."""
    rng = random.Random(seed)
    end = now + booking_type.booking_window_days * engine.DAY
    ledger: dict[str, engine.Standing] = {}
    made = []
    for count in range(bookings):
        slots = engine.list_slots(booking_type, schedules, ledger, now=now, start=now, end=end)
        if not slots:
            break
        booking = engine.assign(
            booking_type, schedules, ledger, now=now, start=rng.choice(slots).start
        )
        blocked = engine.widen(
            booking.start,
            booking.end,
            booking_type.buffer_before_minutes,
            booking_type.buffer_after_minutes,
        )
        for host_id in booking.host_ids:
            schedules[host_id] = replace(
                schedules[host_id],
                busy=engine.as_spans([*schedules[host_id].busy.tolist(), blocked]),
                booked_starts=(*schedules[host_id].booked_starts, booking.start),
            )
        ledger = engine.record(ledger, booking, at=count)
        made.append(booking)
    return made


@pytest.mark.parametrize(
    ("name", "slug", "rotation"),
    [
        ("sales-team.json", "product-demo", engine.Rotation.AVAILABILITY),
        ("sales-team.json", "discovery-call", engine.Rotation.STRICT),
        ("support-desk.json", "help-session", engine.Rotation.AVAILABILITY),
        ("hiring-panel.json", "final-interview", engine.Rotation.AVAILABILITY),
    ],
)
def test_the_simulator_books_what_listing_every_slot_each_time_would(
    name: str, slug: str, rotation: engine.Rotation
) -> None:
    team, booking_type = example(name, slug)
    booking_type = replace(booking_type, rotation=rotation)
    fast = simulator.simulate(
        booking_type, team.schedules(), now=team.start(), bookings=120, seed=4
    )
    slow = list_everything_each_time(booking_type, team.schedules(), team.start(), 120, 4)
    assert list(fast.assignments) == slow


def test_the_table_and_the_charts(tmp_path: Path) -> None:
    args = (str(EXAMPLES / "sales-team.json"), "--type", "discovery-call", "--bookings", "30")
    png, svg = tmp_path / "fair.png", tmp_path / "fair.svg"
    code, out, _ = cli(*args, "--chart", str(png))
    assert code == 0
    assert "sofia" in out and "expected" in out and "30 of 30 booked" in out
    assert png.read_bytes().startswith(b"\x89PNG")
    assert cli(*args, "--chart", str(svg))[0] == 0
    assert "<svg" in svg.read_text()


def test_the_only_booking_type_needs_no_type_option() -> None:
    code, out, _ = cli(str(EXAMPLES / "solo.json"), "--bookings", "5", "--json")
    assert code == 0
    assert json.loads(out)["hosts"][0]["host_id"] == "ines"


@pytest.mark.parametrize(
    ("content", "args", "says"),
    [
        (None, [], "cannot read the file"),
        ('{"hosts": [', [], "Invalid JSON"),
        ('{"hosts": [{"id": "a"}]}', [], "hosts[0].name"),
        (
            (EXAMPLES / "sales-team.json").read_text(),
            ["--type", "nope"],
            "no booking type 'nope' in this file (it has: discovery-call, product-demo",
        ),
        ((EXAMPLES / "sales-team.json").read_text(), [], "say which booking type with --type"),
        ((EXAMPLES / "solo.json").read_text(), ["--chart", "chart.pdf"], "--chart must end in"),
    ],
)
def test_a_user_error_is_a_clear_message_and_a_failed_exit(
    tmp_path: Path, content: str | None, args: list[str], says: str
) -> None:
    path = tmp_path / "team.json"
    if content is not None:
        path.write_text(content)
    code, out, err = cli(str(path), *args)
    assert code != 0
    assert says in err
    assert "Traceback" not in out + err


def test_each_share_is_read_against_its_weight_share_within_its_tier() -> None:
    team = always_free_team([100, 200, 300])
    booking_type = teamfile.to_booking_type(team.booking_types[0])
    result = simulator.simulate(
        booking_type, team.schedules(), now=team.start(), bookings=600, seed=1
    )
    shares = {w.host_id: w for w in engine.weighted_shares(result.shares)}
    assert [round(shares[h].weight_share, 3) for h in ("h0", "h1", "h2")] == [0.167, 0.333, 0.5]
    assert all(abs(w.ratio - 1) < 0.01 for w in shares.values())
    error = engine.mean_relative_error(result.shares)
    assert error is not None and error < 0.01
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(simulator.table(result, "trio"))
    text = console.export_text()
    assert "weight share" in text and "16.7%" in text and "50.0%" in text
    assert "off their weight shares by 0.0% on" in " ".join(text.split())


def test_a_lower_tier_is_read_against_its_own_weights() -> None:
    shares = (
        engine.Share("lead", 100, 4, 30, 30.0),
        engine.Share("a", 100, 2, 5, 5.0),
        engine.Share("b", 300, 2, 15, 15.0),
    )
    read = {w.host_id: (w.share, w.weight_share) for w in engine.weighted_shares(shares)}
    assert read == {"lead": (1.0, 1.0), "a": (0.25, 0.25), "b": (0.75, 0.75)}
    assert engine.mean_relative_error(shares) == 0.0
