"""Deleting a host, changing a booking type, and the time off that overlaps bookings:
each touches only what it names and refuses in words. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from rota.actor import SYSTEM
from rota.service import booking_types, bookings, hosts, lookup
from rota.service.errors import Conflict, Invalid, NotFound
from rota.store.db import Database
from rota.store.tables import BusyBlock, TimeOff
from tests.databases import database_url, db, postgres_url
from tests.teams import Team, make_team, monday

__all__ = ["database_url", "db", "postgres_url"]


def pool_of(team: Team, slug: str) -> list[tuple[str, int, int, bool]]:
    with team.db.read() as session:
        row = lookup.booking_type(session, team.org_id, slug)
        return [(m.host_id, m.weight, m.priority, m.fixed) for m in row.pool]


def test_deleting_a_host_takes_it_out_of_every_pool_and_only_it(db: Database) -> None:
    team = make_team(db)
    team.book(monday() + timedelta(hours=10), slug="office-hours")  # Ada has a booking
    hosts.delete_host(db, team.org_id, team.linus)
    assert [m[0] for m in pool_of(team, "intro")] == [team.ada, team.grace]
    assert [m[0] for m in pool_of(team, "office-hours")] == [team.ada]
    with pytest.raises(Conflict) as refused:
        hosts.delete_host(db, team.org_id, team.ada)
    assert refused.value.code == "host_has_bookings"
    assert refused.value.message == (
        "The host still has confirmed upcoming bookings; reassign or cancel them first."
    )


def test_changing_a_types_settings_keeps_its_pool_and_checks_it_against_the_new_mode(
    db: Database,
) -> None:
    team = make_team(db)
    pool = [
        {"host_id": team.ada, "weight": 50, "priority": 3},
        {"host_id": team.grace},
        {"host_id": team.linus, "fixed": True},
    ]
    booking_types.update_booking_type(db, team.org_id, "intro", {"hosts": pool})
    before = pool_of(team, "intro")
    booking_types.update_booking_type(db, team.org_id, "intro", {"title": "Hello"})
    assert pool_of(team, "intro") == before
    with pytest.raises(Invalid) as refused:
        booking_types.update_booking_type(db, team.org_id, "intro", {"host_mode": "collective"})
    assert refused.value.message == "Only round-robin pools have fixed hosts."


def test_a_type_takes_a_free_slug_or_its_own_but_not_anothers(db: Database) -> None:
    team = make_team(db)
    with pytest.raises(Conflict) as refused:
        booking_types.update_booking_type(db, team.org_id, "intro", {"slug": "office-hours"})
    assert refused.value.code == "slug_taken"
    assert booking_types.update_booking_type(db, team.org_id, "intro", {"slug": "intro"})
    renamed = booking_types.update_booking_type(db, team.org_id, "intro", {"slug": "hello"})
    assert renamed.slug == "hello"


def test_time_off_names_the_bookings_it_overlaps_and_only_its_hosts(db: Database) -> None:
    team = make_team(db)
    ten = monday() + timedelta(hours=10)

    def book(minutes: int) -> str:
        return team.book(ten + timedelta(minutes=minutes), slug="office-hours").id  # 20 min

    book(0)  # ends 10:20, where the time off starts
    inside = book(40)
    cancelled = book(60)
    book(100)  # starts 11:40, where the time off ends
    bookings.cancel(db, team.org_id, cancelled, None, actor=SYSTEM)
    off = hosts.add_span(
        db,
        team.org_id,
        team.ada,
        TimeOff,
        start=ten + timedelta(minutes=20),
        end=ten + timedelta(minutes=100),
        label="dentist",
    )
    assert hosts.time_off_conflicts(db, team.org_id, team.ada, off.id) == [inside]
    for host_id, item_id in ((team.grace, off.id), (team.ada, "off_nope")):
        with pytest.raises(NotFound) as refused:
            hosts.time_off_conflicts(db, team.org_id, host_id, item_id)
        assert refused.value.message == f"No time off with id {item_id!r} for this host."


def test_deleting_one_span_keeps_the_others_and_spans_list_by_start(db: Database) -> None:
    team = make_team(db)
    ten = monday() + timedelta(hours=10)
    made = {}
    for kind, label in ((TimeOff, "reason"), (BusyBlock, "title")):
        for hours in (3, 1, 2):  # made out of order
            made[kind, hours] = hosts.add_span(
                db,
                team.org_id,
                team.ada,
                kind,
                start=ten + timedelta(hours=hours),
                end=ten + timedelta(hours=hours, minutes=30),
                label=f"{label} {hours}",
            ).id
        hosts.delete_span(db, team.org_id, team.ada, kind, made[kind, 2])
        listed = hosts.list_spans(db, team.org_id, team.ada, kind)
        assert [s.id for s in listed] == [made[kind, 1], made[kind, 3]]
    busy = hosts.list_spans(db, team.org_id, team.ada, BusyBlock)
    off = hosts.list_spans(db, team.org_id, team.ada, TimeOff)
    assert [b.title for b in busy] == ["title 1", "title 3"] and busy[0].source == "api"
    assert [o.reason for o in off] == ["reason 1", "reason 3"]


def test_hosts_are_listed_as_they_were_made_and_named_within_their_organization(
    db: Database,
) -> None:
    team, other = make_team(db), make_team(db, "beta")
    assert [h.id for h in hosts.list_hosts(db, team.org_id)] == [team.ada, team.grace, team.linus]
    names = hosts.host_names(db, team.org_id)
    assert set(names) == {team.ada, team.grace, team.linus} and other.ada not in names


def test_working_hours_set_to_nothing_go_back_to_weekdays_nine_to_five(db: Database) -> None:
    team = make_team(db)
    weekdays = [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}]
    row = hosts.update_host(db, team.org_id, team.ada, {"working_hours": None})
    assert row.working_hours == weekdays
    new = hosts.create_host(
        db, team.org_id, name="Mary Somerville", email="mary@acme.test", timezone="UTC"
    )
    assert new.working_hours == weekdays


def test_a_pool_member_named_alone_gets_the_default_weight_and_priority(db: Database) -> None:
    team = make_team(db)  # its pools name hosts only
    assert pool_of(team, "office-hours") == [(team.ada, 100, 2, False)]


def test_a_deleted_type_is_no_longer_listed_and_its_refusal_says_what_to_do(
    db: Database,
) -> None:
    team = make_team(db)
    assert [t.slug for t in booking_types.list_booking_types(db, team.org_id)] == [
        "intro",
        "office-hours",
    ]
    team.book(monday() + timedelta(hours=10), slug="office-hours")
    with pytest.raises(Conflict) as refused:
        booking_types.delete_booking_type(db, team.org_id, "office-hours", actor=SYSTEM)
    assert refused.value.message == (
        "The booking type has confirmed upcoming bookings; cancel or move them, "
        "or delete it with ?cancel_bookings=true to cancel them all."
    )
    booking_types.delete_booking_type(db, team.org_id, "intro", actor=SYSTEM)
    assert [t.slug for t in booking_types.list_booking_types(db, team.org_id)] == ["office-hours"]


def test_a_host_whose_bookings_are_all_over_can_be_deleted(db: Database) -> None:
    team = make_team(db)
    held = team.book(monday() + timedelta(hours=10), slug="office-hours")
    with pytest.raises(Conflict, match="still has confirmed upcoming bookings"):
        hosts.delete_host(db, team.org_id, team.ada)
    with time_machine.travel(held.end_at + timedelta(minutes=1), tick=False):
        hosts.delete_host(db, team.org_id, team.ada)
    assert team.ada not in {h.id for h in hosts.list_hosts(db, team.org_id)}


def test_changing_a_types_location_sets_it_and_none_clears_it(db: Database) -> None:
    team = make_team(db)
    video = {"kind": "video", "value": "https://meet.example.com/intro"}
    row = booking_types.update_booking_type(db, team.org_id, "intro", {"location": video})
    assert (row.location_kind, row.location_value) == ("video", video["value"])
    row = booking_types.update_booking_type(db, team.org_id, "intro", {"location": None})
    assert (row.location_kind, row.location_value) == (None, None)


def test_deleting_a_type_with_its_bookings_passes_over_one_cancelled_meanwhile(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    first = team.book(monday() + timedelta(hours=10))
    second = team.book(monday() + timedelta(hours=11))
    listed = booking_types._upcoming

    def cancelled_meanwhile(db: Database, org_id: str, slug: str) -> list[str]:
        found = listed(db, org_id, slug)
        bookings.cancel(db, org_id, first.id, "by the attendee", actor=SYSTEM)
        return found

    monkeypatch.setattr(booking_types, "_upcoming", cancelled_meanwhile)
    booking_types.delete_booking_type(db, team.org_id, "intro", actor=SYSTEM, cancel_bookings=True)
    assert bookings.get_booking(db, team.org_id, first.id).status == "cancelled"
    assert bookings.get_booking(db, team.org_id, second.id).status == "cancelled"
    assert "intro" not in {t.slug for t in booking_types.list_booking_types(db, team.org_id)}


def test_a_pool_of_unknown_deleted_or_repeated_hosts_is_refused_in_words(db: Database) -> None:
    team = make_team(db)
    hosts.delete_host(db, team.org_id, team.linus)
    unknown = {"hosts.1.host_id": "no such host", "hosts.2.host_id": "no such host"}
    pools = {
        ("Some hosts of the pool do not exist.", str(unknown)): [
            team.ada,
            team.linus,
            "host_nope",
        ],
        ("A host appears twice in the pool.", str({"hosts": "duplicate host_id"})): [
            team.ada,
            team.ada,
        ],
    }
    for said, pool in pools.items():
        with pytest.raises(Invalid) as refused:
            booking_types.update_booking_type(
                db, team.org_id, "intro", {"hosts": [{"host_id": h} for h in pool]}
            )
        assert (refused.value.message, str(refused.value.details)) == said


@pytest.mark.parametrize(
    ("host_mode", "pool", "said"),
    [
        ("solo", ["ada", "grace"], ("A solo booking type takes exactly one host.", "one host")),
        ("round_robin", ["ada"], ("A round_robin booking type needs two or more hosts.", None)),
        ("collective", ["ada"], ("A collective booking type needs two or more hosts.", None)),
        (
            "collective",
            ["ada", "fixed grace"],
            ("Only round-robin pools have fixed hosts.", "fixed"),
        ),
        (
            "round_robin",
            ["fixed ada", "fixed grace"],
            ("A round-robin pool needs a rotating host.", "all fixed"),
        ),
    ],
)
def test_a_pool_that_does_not_fit_its_host_mode_is_refused_in_words(
    db: Database, host_mode: str, pool: list[str], said: tuple[str, str | None]
) -> None:
    team = make_team(db)
    ids = {"ada": team.ada, "grace": team.grace}
    fields = {
        "slug": "panel",
        "title": "Panel",
        "duration_minutes": 30,
        "host_mode": host_mode,
        "hosts": [
            {"host_id": ids[name.split()[-1]], "fixed": name.startswith("fixed")} for name in pool
        ],
    }
    with pytest.raises(Invalid) as refused:
        booking_types.create_booking_type(db, team.org_id, fields)
    message, detail = said
    assert refused.value.message == message
    if detail is None:
        assert refused.value.code == "team_needs_more_hosts"
    else:
        assert refused.value.details == {"hosts": detail}
    assert "panel" not in {t.slug for t in booking_types.list_booking_types(db, team.org_id)}
