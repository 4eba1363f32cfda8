"""Internal meetings: bookings without a type that hold every host named (API.md,
Find a Time and meetings), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rota.store.db import Database
from tests.api.support import Api, assert_error, instant, iso, monday
from tests.api.test_reschedule import busy, emails

TEN = monday() + timedelta(days=1, hours=10)  # a Tuesday, 10:00 UTC


def meeting(
    api: Api, host_ids: list[str], start: Any = TEN, minutes: int = 30, **fields: Any
) -> Any:
    body = {
        "title": "Planning",
        "host_ids": host_ids,
        "start": iso(start),
        "end": iso(start + timedelta(minutes=minutes)),
        **fields,
    }
    return api.post("/v1/meetings", body)


def people(api: Api, *names: str) -> list[str]:
    return [api.host(name)["id"] for name in names]


def test_a_meeting_holds_every_host_and_reads_as_a_booking_without_a_type(
    api: Api, db: Database
) -> None:
    ada, grace = people(api, "Ada", "Grace")
    response = meeting(
        api,
        [ada, grace],
        attendees=[{"name": "Linus Pauling", "email": "linus@example.com"}],
        description="Next quarter.",
        location={"kind": "video", "value": "https://meet.example.com/plan"},
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert made["booking_type"] is None
    assert made["title"] == "Planning"
    assert made["host_ids"] == [ada, grace]
    assert made["status"] == "confirmed"
    assert instant(made["start"]) == TEN and instant(made["end"]) == TEN + timedelta(minutes=30)
    assert made["attendee"] is None
    assert made["manage_url"] is None  # no attendee's page: its hosts change it
    assert made["attendees"] == [
        {"name": "Linus Pauling", "email": "linus@example.com", "timezone": None}
    ]
    assert made["description"] == "Next quarter."
    assert made["location"] == {"kind": "video", "value": "https://meet.example.com/plan"}
    assert [(p["email"], p["role"]) for p in made["participants"]] == [
        ("ada@example.com", "host"),
        ("grace@example.com", "host"),
        ("linus@example.com", "attendee"),
    ]
    assert made["history"][0]["action"] == "created"
    assert made["history"][0]["by"] == "manual"
    assert api.get(f"/v1/bookings/{made['id']}").json() == made
    listed = api.get("/v1/bookings", params={"host_id": grace}).json()["bookings"]
    assert [b["id"] for b in listed] == [made["id"]]
    # Invitations: one to each host and to the guest, the meeting's title as subject.
    sent = emails(db, made["id"])
    assert sorted(e["to"] for e in sent) == [
        "ada@example.com",
        "grace@example.com",
        "linus@example.com",
    ]
    assert all(e["method"] == "REQUEST" and "Planning" in e["subject"] for e in sent)
    assert all(e["meeting"]["location"] == "https://meet.example.com/plan" for e in sent)


def test_a_host_who_is_not_free_makes_a_409_naming_them(api: Api) -> None:
    ada, grace, bob = people(api, "Ada", "Grace", "Bob")
    busy(api, grace, TEN)
    refused = assert_error(meeting(api, [ada, grace]), 409, "slot_unavailable")
    assert "Grace" in refused["error"]["message"]
    assert refused["error"]["details"] == {"host_ids": [grace]}
    # Outside working hours (09-17 UTC), on time off, or in another meeting.
    evening = TEN + timedelta(hours=8)
    assert_error(meeting(api, [ada], evening), 409, "slot_unavailable")
    response = api.post(
        f"/v1/hosts/{bob}/time-off",
        {"start": iso(TEN - timedelta(hours=1)), "end": iso(TEN + timedelta(hours=1))},
    )
    assert response.status_code == 201, response.text
    assert_error(meeting(api, [ada, bob]), 409, "slot_unavailable")
    assert meeting(api, [ada]).status_code == 201
    assert_error(meeting(api, [ada], TEN + timedelta(minutes=15)), 409, "slot_unavailable")
    assert len(api.get("/v1/bookings").json()["bookings"]) == 1


def test_a_meeting_blocks_its_host_for_round_robin_slots_and_bookings(api: Api) -> None:
    ada, grace = people(api, "Ada", "Grace")
    api.booking_type("rr", [ada, grace])
    assert meeting(api, [ada]).status_code == 201
    [slot] = [s for s in api.slots("rr", TEN, TEN + timedelta(minutes=1))]
    assert slot["host_ids"] == [grace]
    first = api.book("rr", TEN)
    assert first.status_code == 201, first.text
    assert first.json()["host_ids"] == [grace]
    assert_error(api.book("rr", TEN), 409, "slot_unavailable")
    # The meeting never counts for fairness: the distribution shows only the booking.
    shares = api.get("/v1/booking-types/rr/distribution").json()["hosts"]
    assert {s["host_id"]: s["bookings"] for s in shares} == {ada: 0, grace: 1}


def test_a_meeting_blocks_a_collective_type_that_needs_its_host(api: Api) -> None:
    ada, grace, bob = people(api, "Ada", "Grace", "Bob")
    api.booking_type("team", [ada, grace], host_mode="collective")
    assert meeting(api, [grace, bob]).status_code == 201
    offered = {instant(s["start"]) for s in api.slots("team", TEN, TEN + timedelta(hours=1))}
    assert TEN not in offered
    assert TEN + timedelta(minutes=30) in offered
    assert_error(api.book("team", TEN), 409, "slot_unavailable")


def test_a_booking_of_a_type_blocks_a_meeting_of_its_host(api: Api) -> None:
    ada, grace = people(api, "Ada", "Grace")
    api.booking_type("solo", [ada], host_mode="solo")
    assert api.book("solo", TEN).status_code == 201
    assert_error(meeting(api, [grace, ada]), 409, "slot_unavailable")


def test_cancel_and_reschedule_a_meeting_tell_everyone(api: Api, db: Database) -> None:
    ada, grace, bob = people(api, "Ada", "Grace", "Bob")
    guest = {"name": "Linus Pauling", "email": "linus@example.com"}
    made = meeting(api, [ada, grace], attendees=[guest]).json()
    everyone = ["ada@example.com", "grace@example.com", "linus@example.com"]

    later = TEN + timedelta(hours=3)
    response = api.post(f"/v1/bookings/{made['id']}/reschedule", {"start": iso(later)})
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["id"] == made["id"] and moved["booking_type"] is None
    assert instant(moved["start"]) == later
    assert instant(moved["end"]) == later + timedelta(minutes=30)
    assert moved["history"][-1]["action"] == "rescheduled"
    updates = [e for e in emails(db, made["id"]) if e["sequence"] == 1]
    assert sorted(e["to"] for e in updates) == everyone
    assert all(e["method"] == "REQUEST" for e in updates)
    assert all(e["subject"].startswith("Rescheduled:") for e in updates)
    # The old time is free again for both hosts; the new one is taken.
    assert meeting(api, [ada, grace, bob], title="Other").status_code == 201
    assert_error(meeting(api, [bob, ada], later, title="Clash"), 409, "slot_unavailable")

    # A host not free at the new time: refused, the meeting stays where it is.
    busy(api, grace, later + timedelta(days=1))
    refused = api.post(
        f"/v1/bookings/{made['id']}/reschedule", {"start": iso(later + timedelta(days=1))}
    )
    assert_error(refused, 409, "slot_unavailable")
    assert instant(api.get(f"/v1/bookings/{made['id']}").json()["start"]) == later

    response = api.post(f"/v1/bookings/{made['id']}/cancel", {"reason": "Not needed"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    cancels = [e for e in emails(db, made["id"]) if e["sequence"] == 2]
    assert sorted(e["to"] for e in cancels) == everyone
    assert all(e["method"] == "CANCEL" for e in cancels)
    assert all(e["meeting"]["reason"] == "Not needed" for e in cancels)
    assert meeting(api, [bob], later, title="Now free").status_code == 201


def test_a_meeting_is_not_reassigned(api: Api) -> None:
    ada, grace = people(api, "Ada", "Grace")
    made = meeting(api, [ada]).json()
    for body in ({}, {"host_id": grace}):
        refused = api.post(f"/v1/bookings/{made['id']}/reassign", body)
        assert_error(refused, 409, "not_a_team_booking")
        assert "meeting" in refused.json()["error"]["message"]
    assert api.get(f"/v1/bookings/{made['id']}").json()["host_ids"] == [ada]


def test_bad_meetings_are_422_and_another_organizations_hosts_unknown(
    api: Api, other_api: Api
) -> None:
    [ada] = people(api, "Ada")
    stranger = other_api.host("Eve")["id"]
    bad = assert_error(meeting(api, [ada, stranger]), 422, "invalid_request")
    assert bad["error"]["details"] == {"host_ids.1": "no such host"}
    assert_error(meeting(api, []), 422, "invalid_request")
    assert_error(meeting(api, [ada, ada]), 422, "invalid_request")
    assert_error(meeting(api, [ada], minutes=0), 422, "invalid_request")
    assert_error(meeting(api, [ada], minutes=25 * 60), 422, "invalid_request")
    assert_error(meeting(api, [ada], title=""), 422, "invalid_request")
    assert_error(meeting(api, [ada], title="two\nlines"), 422, "invalid_request")
    guests = [{"name": "X", "email": "x@example.com"}, {"name": "Y", "email": "X@example.com"}]
    assert_error(meeting(api, [ada], attendees=guests), 422, "invalid_request")
    assert_error(
        meeting(api, [ada], attendees=[{"name": "X", "email": "not an email"}]),
        422,
        "invalid_request",
    )
    body = {"title": "T", "host_ids": [ada], "start": "2026-12-01T10:00:00", "end": iso(TEN)}
    assert_error(api.post("/v1/meetings", body), 422, "invalid_request")
    assert_error(api.post("/v1/meetings", [1, 2]), 422, "invalid_request")
    past = monday(-1) + timedelta(hours=10)
    assert_error(meeting(api, [ada], past), 409, "slot_unavailable")
    assert api.get("/v1/bookings").json()["bookings"] == []


def test_a_guest_and_a_host_reply_to_a_meetings_invitation(api: Api) -> None:
    from tests.api.test_inbound_email import reply, send

    ada, grace = people(api, "Ada", "Grace")
    guest = {"name": "Linus Pauling", "email": "linus@example.com"}
    made = meeting(api, [ada, grace], attendees=[guest]).json()
    for address, answer in (("Linus@Example.com", "ACCEPTED"), ("grace@example.com", "DECLINED")):
        response = send(api, reply(made["id"], address, answer))
        assert response.status_code == 200, response.text
        assert response.json()["outcome"] == "recorded"
    answers = {
        p["email"]: p["response"]
        for p in api.get(f"/v1/bookings/{made['id']}").json()["participants"]
    }
    assert answers == {
        "ada@example.com": "needs_action",
        "grace@example.com": "declined",  # a meeting keeps its hosts: nobody replaces her
        "linus@example.com": "accepted",
    }
    assert api.get(f"/v1/bookings/{made['id']}").json()["host_ids"] == [ada, grace]
