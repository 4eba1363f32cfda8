"""The Hub's "Ask rota" box: on every Hub page, answered in words, a plan confirmed
with the session's CSRF token, and a member's requests kept to their own things."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from rota.service import bookings
from tests.teams import Team, monday
from tests.web.pages import text
from tests.web.test_hub_authorization import sign_in_as


def ask(client: TestClient, csrf: str, words: str) -> str:
    response = client.post("/hub/ask", data={"csrf_token": csrf, "text": words})
    assert response.status_code == 200, response.text
    return response.text


def test_every_hub_page_has_the_box(client: TestClient, team: Team, hub: str) -> None:
    for path in ("/hub/bookings", "/hub/find-a-time", "/hub/types", "/hub/hosts"):
        page = client.get(path)
        assert page.status_code == 200
        assert 'action="/hub/ask"' in page.text and 'id="ask-text"' in page.text


def test_a_plan_is_shown_in_words_and_runs_only_when_confirmed(
    client: TestClient, team: Team, hub: str
) -> None:
    booking = team.book(monday(1) + timedelta(hours=10), name="Grace Hopper")
    holder = booking.host_ids[0]
    page = ask(client, hub, "give Grace Hopper's call to the team")
    said = text(page)
    assert "Hand Grace Hopper's Intro" in said and "Nothing has changed yet" in said
    assert bookings.get_booking(team.db, team.org_id, booking.id).host_ids == [holder]
    action = page.split('action="/hub/ask/plans/')[1].split('"')[0]
    confirm = f"/hub/ask/plans/{action}"
    refused = client.post(confirm, data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert bookings.get_booking(team.db, team.org_id, booking.id).host_ids == [holder]
    done = client.post(confirm, data={"csrf_token": hub})
    assert done.status_code == 200
    assert "Hand over the booking" in text(done.text) and "done" in text(done.text)
    assert bookings.get_booking(team.db, team.org_id, booking.id).host_ids != [holder]
    again = client.post(confirm, data={"csrf_token": hub})
    assert again.status_code == 409 and "already run" in text(again.text)


def test_a_question_is_answered_and_the_unclear_gets_suggestions(
    client: TestClient, team: Team, hub: str
) -> None:
    answered = text(ask(client, hub, "who is free tomorrow afternoon?"))
    assert "Who is free for 30 minutes" in answered and "Ada Lovelace:" in answered
    unclear = ask(client, hub, "what's the weather")
    assert "did not understand" in text(unclear)
    assert 'name="text" value="who is free tomorrow afternoon?"' in unclear
    meeting = ask(client, hub, "book a meeting with Ada and Grace tomorrow at 9am about X")
    assert "Book 'X' with Ada Lovelace and Grace Hopper" in text(meeting)


def test_a_member_asks_only_about_their_own_things(
    client: TestClient, team: Team, hub: str
) -> None:
    mine = team.book(monday(1) + timedelta(hours=10), slug="office-hours", name="Alan Turing")
    # An admin's plan to cancel Ada's booking: its id is no permission for Ada.
    admin_plan = ask(client, hub, "cancel Alan Turing's call")
    confirm = "/hub/ask/plans/" + admin_plan.split('action="/hub/ask/plans/')[1].split('"')[0]
    member = TestClient(client.app)
    csrf = sign_in_as(
        member,
        team.db,
        "acme",
        email="ada@example.com",
        name="Ada",
        role="member",
        host_id=team.ada,
    )
    assert 'id="ask-text"' in member.get("/hub/bookings").text
    refused = member.post(confirm, data={"csrf_token": csrf})
    assert refused.status_code == 403 and "Only an admin can cancel" in text(refused.text)
    assert bookings.get_booking(team.db, team.org_id, mine.id).status == "confirmed"

    assert "Only an admin can cancel" in text(ask(member, csrf, "cancel Alan Turing's call"))
    assert "only yourself" in text(ask(member, csrf, "Linus is out tomorrow"))
    assert "Only an admin" in text(ask(member, csrf, "how is the distribution of intro?"))
    assert "only your own bookings" in text(ask(member, csrf, "what does Grace have tomorrow?"))
    # Their own things, said in the first person.
    assert "Mark Ada Lovelace out" in text(ask(member, csrf, "I'm out tomorrow"))
    assert "Alan Turing" in text(ask(member, csrf, "what do I have next week?"))
    # Other people's time is for admins, as the Hub's Find a time is.
    for words in (
        "book a meeting with me and Grace tomorrow at 9am",
        "who is free tomorrow afternoon?",
        "find a time for me and Grace next week",
    ):
        assert "Only an admin can look at other people's time" in text(ask(member, csrf, words))
    assert bookings.get_booking(team.db, team.org_id, mine.id).status == "confirmed"
