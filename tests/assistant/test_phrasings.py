"""The plan each phrasing must give, read on a pinned Tuesday (1 Dec 2026, 10:00
UTC) against the team of `tests.assistant.team`, and the ones that must be refused
or asked back. Varied wording, typos, relative dates and the asker's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rota.assistant import (
    AddTimeOff,
    Agenda,
    Ask,
    CancelBooking,
    Change,
    CreateMeeting,
    FindATime,
    HowIsTheDistribution,
    Reading,
    ReassignBooking,
    ReassignHostBookings,
    RescheduleBooking,
    Team,
    Unclear,
    WhoIsFree,
)
from tests.assistant.team import (
    ADA,
    ALAN_1,
    ALAN_2,
    BOB,
    GRACE,
    HOSTS,
    KATE,
    LINUS,
    NOW,
    SAM_LEE,
    SOFIA,
    TEAM,
    TYPES,
    ask,
)

NY, TOKYO, BERLIN = "America/New_York", "Asia/Tokyo", "Europe/Berlin"


def local(day: int, hour: int = 0, minute: int = 0, zone: str = "UTC") -> datetime:
    """An instant given as the wall clock of `zone` on `day` December 2026, in UTC."""
    wall = datetime(2026, 12, 1, tzinfo=ZoneInfo(zone)) + timedelta(days=day - 1)
    return wall.replace(hour=hour, minute=minute).astimezone(UTC)


def days(first: int, last: int, zone: str = "UTC") -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last` December, in `zone`."""
    return local(first, zone=zone), local(last + 1, zone=zone)


WEEK_END = local(7)  # this week ends as Monday 7 December begins (UTC)

CHANGES: list[tuple[str, str, tuple[object, ...]]] = [
    # One booking, to a named host or to the team ---------------------------------------
    ("give Grace Hopper's call to Bob", "UTC", (ReassignBooking(GRACE.id, BOB.id),)),
    ("give grace hopper's call to bob stone", "UTC", (ReassignBooking(GRACE.id, BOB.id),)),
    ("hand Grace's booking over to Bob", "UTC", (ReassignBooking(GRACE.id, BOB.id),)),
    ("pass the call with Grace Hopper to Ada", "UTC", (ReassignBooking(GRACE.id, ADA.id),)),
    ("reassign Grace Hopper's meeting to Ada Lovelace", NY, (ReassignBooking(GRACE.id, ADA.id),)),
    ("transfer grace hoppers call to ada", "UTC", (ReassignBooking(GRACE.id, ADA.id),)),
    ("Give Grace Hopper's call to the team", "UTC", (ReassignBooking(GRACE.id, None),)),
    ("give grace's call to someone else", "UTC", (ReassignBooking(GRACE.id, None),)),
    ("hand Grace's booking to whoever is next", "UTC", (ReassignBooking(GRACE.id, None),)),
    ("reassign grace hopper to anyone", "UTC", (ReassignBooking(GRACE.id, None),)),
    (
        "please give Grace Hoppers appointment to the next fair host",
        "UTC",
        (ReassignBooking(GRACE.id, None),),
    ),
    ("reassign bk_0000000001 to ada", "UTC", (ReassignBooking(GRACE.id, ADA.id),)),
    ("give booking bk_0000000004 to the team", "UTC", (ReassignBooking(LINUS.id, None),)),
    ("give linus's call to Bob", "UTC", (ReassignBooking(LINUS.id, BOB.id),)),
    ("move Grace Hopper's call to Bob", "UTC", (ReassignBooking(GRACE.id, BOB.id),)),
    ("move Katherine's call to Ada", "UTC", (ReassignBooking(KATE.id, ADA.id),)),
    ("give grace hoper's call to bob", "UTC", (ReassignBooking(GRACE.id, BOB.id),)),
    ("hand over Grace Hopper's call to the pool", "UTC", (ReassignBooking(GRACE.id, None),)),
    ("reasign Grace's call to Ada", "UTC", (ReassignBooking(GRACE.id, ADA.id),)),
    ("give Alan Turing's call on Friday to Ada", "UTC", (ReassignBooking(ALAN_2.id, ADA.id),)),
    (
        "Could you give Linus Torvalds' call to Sofia?",
        "UTC",
        (ReassignBooking(LINUS.id, SOFIA.id),),
    ),
    # Reschedule -----------------------------------------------------------------------
    (
        "move Grace Hopper's call to Thursday at 3pm",
        "UTC",
        (RescheduleBooking(GRACE.id, local(3, 15)),),
    ),
    (
        "move Grace Hopper's call to Thursday at 3pm",
        BERLIN,
        (RescheduleBooking(GRACE.id, local(3, 15, zone=BERLIN)),),
    ),
    (
        "reschedule grace hopper to 8 Dec 3pm",
        "UTC",
        (RescheduleBooking(GRACE.id, local(8, 15)),),
    ),
    (
        "push Grace's call to tomorrow at 4pm",
        "Europe/London",
        (RescheduleBooking(GRACE.id, local(2, 16)),),
    ),
    (
        "move Grace Hopper's booking to Friday 9:30am",
        NY,
        (RescheduleBooking(GRACE.id, local(4, 9, 30, zone=NY)),),
    ),
    (
        "reschedule linus torvalds to next tuesday at 11am",
        "UTC",
        (RescheduleBooking(LINUS.id, local(8, 11)),),
    ),
    (
        "move bk_0000000004 to dec 9 at 10:30",
        "UTC",
        (RescheduleBooking(LINUS.id, local(9, 10, 30)),),
    ),
    (
        "resheduel grace's call to thursday 3pm",
        "UTC",
        (RescheduleBooking(GRACE.id, local(3, 15)),),
    ),
    (
        "move Alan Turing's Wednesday call to Thursday at 10am",
        "UTC",
        (RescheduleBooking(ALAN_1.id, local(3, 10)),),
    ),
    (
        "reschedule Grace Hopper's call to Thursday at 3pm",
        TOKYO,
        (RescheduleBooking(GRACE.id, local(3, 15, zone=TOKYO)),),
    ),
    ("Move Grace's call to 3pm tomorrow", "UTC", (RescheduleBooking(GRACE.id, local(2, 15)),)),
    ("reschedule grace to wed 4pm", "UTC", (RescheduleBooking(GRACE.id, local(2, 16)),)),
    (
        "Reschedule Katherine Johnson's call to Dec 10 at 2:15pm",
        "Australia/Sydney",
        (RescheduleBooking(KATE.id, local(10, 14, 15, zone="Australia/Sydney")),),
    ),
    # Cancel ---------------------------------------------------------------------------
    ("cancel Grace Hopper's booking", "UTC", (CancelBooking(GRACE.id),)),
    ("cancle grace hoper's call", "UTC", (CancelBooking(GRACE.id),)),
    ("please cancel the call with Linus", "UTC", (CancelBooking(LINUS.id),)),
    ("cancel alan turing's call on friday", "UTC", (CancelBooking(ALAN_2.id),)),
    ("cancel bk_0000000005", "UTC", (CancelBooking(KATE.id),)),
    ("call off Katherine Johnson's demo", "UTC", (CancelBooking(KATE.id),)),
    (
        "cancel all of Alan Turing's bookings",
        "UTC",
        (CancelBooking(ALAN_1.id), CancelBooking(ALAN_2.id)),
    ),
    # Someone out, with or without handing over ----------------------------------------
    ("Sofia is out tomorrow", "UTC", (AddTimeOff(SOFIA.id, *days(2, 2)),)),
    (
        "Sofia is out sick tomorrow, give her bookings to the team",
        "Europe/London",
        (ReassignHostBookings(SOFIA.id, *days(2, 2), True),),
    ),
    (
        "Sofia is out sick tomorrow, give her bookings to the team",
        NY,
        (ReassignHostBookings(SOFIA.id, *days(2, 2, NY), True),),
    ),
    (
        "sofia is off sick tommorow, hand her bookings to Bob",
        "UTC",
        (
            AddTimeOff(SOFIA.id, *days(2, 2)),
            ReassignBooking(GRACE.id, BOB.id),
            ReassignBooking(ALAN_1.id, BOB.id),
        ),
    ),
    ("mark Bob as out from Monday to Wednesday", "UTC", (AddTimeOff(BOB.id, *days(7, 9)),)),
    ("Ada is on vacation next week", "UTC", (AddTimeOff(ADA.id, *days(7, 13)),)),
    (
        "Ada's away this week, give her calls to the team",
        "UTC",
        (ReassignHostBookings(ADA.id, NOW, WEEK_END, True),),
    ),
    ("Sofia will be out on 8 Dec", "UTC", (AddTimeOff(SOFIA.id, *days(8, 8)),)),
    (
        "Sofia is out tomorrow afternoon",
        "UTC",
        (AddTimeOff(SOFIA.id, local(2, 12), local(2, 17)),),
    ),
    ("Sofia is out until Friday", "UTC", (AddTimeOff(SOFIA.id, NOW, local(5)),)),
    (
        "put Sofia on leave from Monday to Wednesday, hand her bookings to the team",
        "UTC",
        (ReassignHostBookings(SOFIA.id, *days(7, 9), True),),
    ),
    ("Sofai is sick tomorrow", "UTC", (AddTimeOff(SOFIA.id, *days(2, 2)),)),
    ("sofia is off tmrw", TOKYO, (AddTimeOff(SOFIA.id, *days(2, 2, TOKYO)),)),
    ("Bob Stone is out of office on Friday", BERLIN, (AddTimeOff(BOB.id, *days(4, 4, BERLIN)),)),
    # All of a host's bookings in a range ----------------------------------------------
    (
        "give all of Sofia's bookings this week to the team",
        "UTC",
        (ReassignHostBookings(SOFIA.id, NOW, WEEK_END, False),),
    ),
    (
        "hand Sofia's bookings tomorrow to Bob",
        "UTC",
        (ReassignBooking(GRACE.id, BOB.id), ReassignBooking(ALAN_1.id, BOB.id)),
    ),
    (
        "reassign all of sofia's calls next week to the team",
        "UTC",
        (ReassignHostBookings(SOFIA.id, *days(7, 13), False),),
    ),
    # Book an internal meeting -----------------------------------------------------------
    (
        "book a meeting with Ada and Bob tomorrow at 3pm for 30 minutes about hiring",
        "UTC",
        (CreateMeeting("Hiring", (ADA.id, BOB.id), local(2, 15), local(2, 15, 30)),),
    ),
    (
        "Schedule a call with sofia, bob and ada on Thursday at 10am for an hour to discuss Q1",
        NY,
        (
            CreateMeeting(
                "Q1", (SOFIA.id, BOB.id, ADA.id), local(3, 10, zone=NY), local(3, 11, zone=NY)
            ),
        ),
    ),
    (
        "set up a quick sync with Ada tomorrow at 9:30 for 15 minutes",
        TOKYO,
        (
            CreateMeeting(
                "Meeting with Ada Lovelace",
                (ADA.id,),
                local(2, 9, 30, zone=TOKYO),
                local(2, 9, 45, zone=TOKYO),
            ),
        ),
    ),
    (
        "please book a meeting with Ada Lovelce and Sofia on 8 Dec 3pm about the roadmap",
        BERLIN,
        (
            CreateMeeting(
                "The roadmap",
                (ADA.id, SOFIA.id),
                local(8, 15, zone=BERLIN),
                local(8, 15, 30, zone=BERLIN),
            ),
        ),
    ),
    (
        "arrange a meeting with bob and kate@example.com tomorrow at 2pm about the contract",
        "UTC",
        (
            CreateMeeting(
                "The contract",
                (BOB.id,),
                local(2, 14),
                local(2, 14, 30),
                ({"name": "kate@example.com", "email": "kate@example.com"},),
            ),
        ),
    ),
    (
        "book a 45 minute catch-up with Sam Lee next Tuesday at 11am",
        "UTC",
        (CreateMeeting("Meeting with Sam Lee", (SAM_LEE.id,), local(8, 11), local(8, 11, 45)),),
    ),
]

QUESTIONS: list[tuple[str, str, object]] = [
    ("who is free tomorrow afternoon?", "UTC", WhoIsFree(local(2, 12), local(2, 17), 30)),
    ("who's available at 3pm tomorrow", "UTC", WhoIsFree(local(2, 15), local(2, 15, 30), 30)),
    ("who is free on friday for an hour", "UTC", WhoIsFree(*days(4, 4), 60)),
    ("whos free today", "UTC", WhoIsFree(NOW, local(2), 30)),
    (
        "who is around next Tuesday morning",
        NY,
        WhoIsFree(local(8, 9, zone=NY), local(8, 12, zone=NY), 30),
    ),
    (
        "find a time for Ada and Bob next Tuesday for 45 minutes",
        "UTC",
        FindATime((ADA.id, BOB.id), *days(8, 8), 45),
    ),
    (
        "find a time for sofia, bob and ada this week",
        "UTC",
        FindATime((SOFIA.id, BOB.id, ADA.id), NOW, WEEK_END, 30),
    ),
    ("when can Ada and Bob meet tomorrow?", "UTC", FindATime((ADA.id, BOB.id), *days(2, 2), 30)),
    (
        "find a time for Ada and Sofia on 16 Dec",
        "UTC",
        FindATime((ADA.id, SOFIA.id), *days(16, 16), 30),
    ),
    ("find a time with ada and bob on friday", "UTC", FindATime((ADA.id, BOB.id), *days(4, 4), 30)),
    (
        "find a slot with Ada & Sofia for 1 hour",
        "UTC",
        FindATime((ADA.id, SOFIA.id), NOW, NOW + timedelta(days=7), 60),
    ),
    (
        "find a time for Ada and Bob tomorrow",
        TOKYO,
        FindATime((ADA.id, BOB.id), *days(2, 2, TOKYO), 30),
    ),
    (
        "how is the distribution of discovery calls",
        "UTC",
        HowIsTheDistribution("discovery-call"),
    ),
    ("how fair is the demo distribution", "UTC", HowIsTheDistribution("demo")),
    ("what does Sofia have tomorrow?", "UTC", Agenda(SOFIA.id, *days(2, 2))),
    ("what's on Bob's calendar next week", "UTC", Agenda(BOB.id, *days(7, 13))),
    ("show me Ada's bookings", "UTC", Agenda(ADA.id, NOW, NOW + timedelta(days=7))),
    ("what does sofa have today", "UTC", Agenda(SOFIA.id, *days(1, 1))),
    ("What does Sofia have on Thursday", TOKYO, Agenda(SOFIA.id, *days(3, 3, TOKYO))),
    ("what has bob got on friday?", NY, Agenda(BOB.id, *days(4, 4, NY))),
]

REFUSED: list[tuple[str, str]] = [
    # Two people fit: ask which, never guess.
    ("give Grace's call to Sam", "Sam Lee or Sam Park"),
    ("Sam is out tomorrow", "Sam Lee or Sam Park"),
    ("find a time for Ada and Sam", "Sam Lee or Sam Park"),
    ("Sofia is out tomorrow, give her bookings to Sam", "Sam Lee or Sam Park"),
    ("cancel Alan's call", "Which booking"),
    ("give alan's call to ada", "Which booking"),
    ("how is the distribution?", "Discovery Call, Product Demo"),
    # Something missing or unknown: say what.
    ("move grace's call to tomorrow", "What time"),
    ("Sofia is out", "When is Sofia Ruiz out"),
    ("Sofia is out at 3pm", "whole time"),
    ("give Sofia's bookings to the team", "say a day or a range"),
    ("give Grace's call to Bbo", "No host"),
    ("Sophia is out tomorrow", "No host"),
    ("cancel Nobody's call", "no upcoming booking"),
    ("reassign bk_00000000ff to ada", "no upcoming booking"),
    # Not understood at all.
    ("what's the weather", "did not understand"),
    ("hello", "did not understand"),
    ("   ", "Say what"),
    ("book a meeting with Ada", "When should the meeting with Ada Lovelace be"),
    ("book a meeting with Ada and Sam tomorrow at 3pm", "Sam Lee or Sam Park"),
    ("book a meeting with Ada tomorrow", "At what time on Wed 2 Dec"),
    ("schedule a meeting tomorrow at 3pm", "Who should be at the meeting"),
    ("book a meeting with Ada today at 8am", "has passed"),
    ("book a meeting with Zed tomorrow at 3pm", "No host"),
]


def _plan(reading: Reading) -> tuple[object, ...]:
    assert isinstance(reading, Change), reading
    assert reading.summary
    return reading.actions


@pytest.mark.parametrize(("text", "zone", "actions"), CHANGES)
def test_a_change_is_planned(text: str, zone: str, actions: tuple[object, ...]) -> None:
    assert _plan(ask(text, zone)) == actions


@pytest.mark.parametrize(("text", "zone", "question"), QUESTIONS)
def test_a_question_is_asked(text: str, zone: str, question: object) -> None:
    reading = ask(text, zone)
    assert isinstance(reading, Ask), reading
    assert reading.summary
    assert reading.question == question


@pytest.mark.parametrize(("text", "said"), REFUSED)
def test_refused_or_asked_back(text: str, said: str) -> None:
    reading = ask(text)
    assert isinstance(reading, Unclear), reading
    assert said.lower() in reading.message.lower()
    assert reading.suggestions


def test_two_close_names_are_both_offered_back() -> None:
    reading = ask("give Grace's call to Sam")
    assert isinstance(reading, Unclear)
    assert set(reading.suggestions) == {"Sam Lee", "Sam Park"}


def test_one_booking_type_needs_no_naming() -> None:
    team = Team(HOSTS, TEAM.bookings, TYPES[:1])
    reading = ask("how is the distribution?", team=team)
    assert isinstance(reading, Ask) and reading.question == HowIsTheDistribution("discovery-call")


def test_the_same_words_give_the_same_plan() -> None:
    assert ask("Sofia is out sick tomorrow, give her bookings to the team") == ask(
        "Sofia is out sick tomorrow, give her bookings to the team"
    )


def test_the_table_is_large_enough() -> None:
    assert len(CHANGES) + len(QUESTIONS) + len(REFUSED) >= 80
