"""The Hub sends a failed invite again from the booking's page."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from rota.service import subscriptions
from rota.store.tables import OutboxMessage
from tests.teams import Team, monday
from tests.web.pages import text


def test_a_failed_invite_is_sent_again_with_one_click(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday() + timedelta(hours=9))
    invites = subscriptions.booking_messages(team.db, team.org_id, booking.id)
    failed = next(m for m in invites if m.kind == "email")
    with team.db.write() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == failed.id)
            .values(status="failed", last_error="the mail server refused it")
        )
    page = client.get(f"/hub/bookings/{booking.id}").text
    action = f"/hub/bookings/{booking.id}/messages/{failed.id}/retry"
    assert re.findall(r'action="(/hub/bookings/[^"]*/retry)"', page) == [action]
    assert "Send again" in text(page)

    assert client.post(action, data={}).status_code == 403  # no CSRF token
    sent = client.post(action, data={"csrf_token": hub}, follow_redirects=False)
    assert sent.status_code == 303
    after = client.get(sent.headers["location"]).text
    assert "The invite is queued again" in text(after)
    assert "Send again" not in text(after)
    row = next(
        m
        for m in subscriptions.booking_messages(team.db, team.org_id, booking.id)
        if m.id == failed.id
    )
    assert (row.status, row.attempts) == ("pending", 0)
    # Once queued it cannot be queued twice; another booking's path does not reach it.
    again = client.post(action, data={"csrf_token": hub})
    assert again.status_code == 409 and "Only a failed message" in text(again.text)
    other = team.book(monday() + timedelta(hours=10))
    wrong = f"/hub/bookings/{other.id}/messages/{failed.id}/retry"
    assert client.post(wrong, data={"csrf_token": hub}).status_code == 404
