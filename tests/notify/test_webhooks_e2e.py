"""Issue 4, webhooks: subscriptions through the API, signed deliveries through the outbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine

from tests.api.support import assert_error, iso, monday
from tests.notify.stack import Stack
from tests.notify.webhook_receiver import running_receiver


def test_subscribed_events_reach_a_receiver_that_checks_the_signature(stack: Stack) -> None:
    api = stack.api
    ids = [api.host(name)["id"] for name in ("Ada", "Bob")]
    api.booking_type("rr", ids)
    with running_receiver("unknown yet") as receiver:
        created = api.post(
            "/v1/webhooks",
            {"url": receiver.url, "events": ["booking.created", "booking.reassigned"]},
        )
        assert created.status_code == 201, created.text
        subscription = created.json()
        receiver.secret = subscription["secret"]
        assert subscription["secret"].startswith("whsec_")
        listed = api.get("/v1/webhooks").json()["webhooks"]
        assert [w["id"] for w in listed] == [subscription["id"]]
        assert "secret" not in listed[0]

        booking = api.book("rr", monday() + timedelta(hours=10)).json()
        api.post(f"/v1/bookings/{booking['id']}/reassign", {"reason": "sick"})
        api.post(f"/v1/bookings/{booking['id']}/cancel", {})  # not subscribed
        stack.deliver()

    assert [d.signature_ok for d in receiver.received] == [True, True]
    bodies = [json.loads(d.body) for d in receiver.received]
    assert sorted(b["type"] for b in bodies) == ["booking.created", "booking.reassigned"]
    moved = next(b for b in bodies if b["type"] == "booking.reassigned")
    assert moved["data"]["booking"]["id"] == booking["id"]
    assert moved["data"]["from_host_ids"] == booking["host_ids"]
    assert moved["data"]["booking"]["host_ids"] == moved["data"]["to_host_ids"]
    for delivered, body in zip(receiver.received, bodies, strict=True):
        assert delivered.headers["Rota-Event"] == body["type"]
        assert delivered.headers["Rota-Delivery"] == body["id"]
    webhooks = [m for m in stack.messages(booking["id"]) if m["kind"] == "webhook"]
    assert {(m["event"], m["status"]) for m in webhooks} == {
        ("booking.created", "sent"),
        ("booking.reassigned", "sent"),
    }


def test_a_failing_receiver_is_retried_and_a_deleted_subscription_stops(stack: Stack) -> None:
    api = stack.api
    api.booking_type("solo", [api.host("Ada")["id"]], host_mode="solo")
    with running_receiver("s") as receiver:
        subscription = api.post(
            "/v1/webhooks", {"url": receiver.url, "events": ["booking.created"]}
        ).json()
        receiver.secret = subscription["secret"]
        receiver.status = 503
        # The clock stands still, so the retry (50 ms later) is not due again at once
        # however slowly the first delivery goes.
        with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
            booking = api.book("solo", monday() + timedelta(hours=10)).json()
            stack.deliver()
            [message] = [m for m in stack.messages(booking["id"]) if m["kind"] == "webhook"]
            assert (message["status"], message["attempts"]) == ("pending", 1)
            assert "503" in message["last_error"]

            assert api.delete(f"/v1/webhooks/{subscription['id']}").status_code == 204
            assert_error(api.get(f"/v1/webhooks/{subscription['id']}"), 404, "not_found")
            traveller.shift(timedelta(seconds=1))  # past the retry time
            stack.deliver()
    [message] = [m for m in stack.messages(booking["id"]) if m["kind"] == "webhook"]
    assert message["status"] == "failed"
    assert "deleted" in message["last_error"]
    assert len(receiver.received) == 1


def test_webhook_input_is_validated(stack: Stack) -> None:
    bad = stack.api.post("/v1/webhooks", {"url": "ftp://x", "events": ["booking.created"]})
    assert_error(bad, 422, "invalid_request")
    bad = stack.api.post("/v1/webhooks", {"url": "https://x.example", "events": ["booking.eaten"]})
    assert_error(bad, 422, "invalid_request")
    bad = stack.api.post("/v1/webhooks", {"url": "https://x.example", "events": []})
    assert_error(bad, 422, "invalid_request")


def test_a_reschedule_tells_who_left_and_who_joined_only_when_the_host_changed(
    stack: Stack,
) -> None:
    api = stack.api
    ids = [api.host(name)["id"] for name in ("Ada", "Bob")]
    api.booking_type("rr", ids)
    day = monday()
    booking = api.book("rr", day + timedelta(hours=10)).json()
    [held] = booking["host_ids"]
    busy = {"start": iso(day + timedelta(hours=15)), "end": iso(day + timedelta(hours=16))}
    assert api.post(f"/v1/hosts/{held}/busy", busy).status_code == 201
    with running_receiver("unknown yet") as receiver:
        subscription = api.post(
            "/v1/webhooks", {"url": receiver.url, "events": ["booking.rescheduled"]}
        ).json()
        receiver.secret = subscription["secret"]
        path = f"/v1/bookings/{booking['id']}/reschedule"
        for hours in (11, 15):  # Ada or Bob keeps it at 11:00, not at 15:00
            moved = api.post(path, {"start": iso(day + timedelta(hours=hours))})
            assert moved.status_code == 200, moved.text
        stack.deliver()
    kept, taken = sorted(
        (json.loads(d.body)["data"] for d in receiver.received),
        key=lambda data: data["booking"]["start"],
    )
    assert (kept["from_host_ids"], kept["to_host_ids"]) == ([], [])
    [other] = set(ids) - {held}
    assert (taken["from_host_ids"], taken["to_host_ids"]) == ([held], [other])


def test_a_moved_meeting_tells_that_nobody_left_or_joined(stack: Stack) -> None:
    api = stack.api
    ids = [api.host(name)["id"] for name in ("Ada", "Bob")]
    start = monday() + timedelta(hours=10)
    meeting = api.post(
        "/v1/meetings",
        {
            "title": "Sync",
            "host_ids": ids,
            "start": iso(start),
            "end": iso(start + timedelta(hours=1)),
        },
    ).json()
    with running_receiver("unknown yet") as receiver:
        subscription = api.post(
            "/v1/webhooks", {"url": receiver.url, "events": ["booking.rescheduled"]}
        ).json()
        receiver.secret = subscription["secret"]
        later = iso(start + timedelta(hours=3))
        moved = api.post(f"/v1/bookings/{meeting['id']}/reschedule", {"start": later})
        assert moved.status_code == 200, moved.text
        stack.deliver()
    [delivery] = receiver.received
    data = json.loads(delivery.body)["data"]
    assert (data["booking"]["start"], data["booking"]["host_ids"]) == (later, ids)
    assert (data["from_host_ids"], data["to_host_ids"]) == ([], [])
