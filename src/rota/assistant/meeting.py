"""Reading a request to book an internal meeting: "book a meeting with Ada and Grace
tomorrow at 3pm for 30 minutes about the roadmap".

Who: the hosts named (forgivingly, asking back when a name fits two) and any email
addresses, as guests. When: one moment with a time of day (a day alone is asked
back, with Find a Time as the way to pick one). How long: the duration said, else
`DEFAULT_MINUTES`. What: the words after "about" (or "on", "re", "to discuss"),
else a title naming the people.
"""

from __future__ import annotations

import re
from datetime import timedelta

from rota.assistant import describe, parts
from rota.assistant.parts import NotSure, Said
from rota.assistant.plan import Change, CreateMeeting, Reading, Team

DEFAULT_MINUTES = 30
VERB = r"(?:book|schedule|set up|setup|arrange|organi[sz]e|plan|put in|create|add|make|hold)"
NOUN = (
    r"(?:meeting|call|sync|catch[- ]?up|chat|session|1:1|one[- ]on[- ]one|standup|stand-up"
    r"|review|huddle|get[- ]together)"
)
ABOUT = r"(?:about|on|re|regarding|to discuss|to talk about|called|titled|named|for)"
REQUEST = re.compile(
    rf"^(?:let's |lets |i want to |i'd like to |i would like to )?{VERB} "
    rf"(?:me |us )?(?:a |an |the |one )?(?:quick |short |internal |team |new )*{NOUN}"
    rf"(?: (?:with|between|for|among) (?P<who>.+?))?"
    rf"(?: {ABOUT} (?P<what>.+))?$"
)
# The words a date or a duration leaves behind once read out ("on Thursday at 3pm about
# X" is "on about X" by now).
LEFT_OVER = re.compile(rf"\b(?:on|at|from|for|by)\s+(?={ABOUT}\b|(?:on|at|from|for|by)\b|$)")
# Addresses as the request reads by now: its dots spaced out ("kate@example . com").
EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?: ?\. ?[a-z0-9-]+)+")


def read_meeting(said: Said, team: Team) -> Reading | None:
    """A `Change` creating the meeting, or None when the request is not one to book."""
    found = [e.replace(" ", "") for e in EMAIL.findall(said.text)]
    guests = tuple({"name": e, "email": e} for e in dict.fromkeys(found))
    text = re.sub(r"\s+", " ", EMAIL.sub(" ", said.text))
    text = re.sub(r"\s+", " ", LEFT_OVER.sub("", LEFT_OVER.sub("", text))).strip(" ,")
    match = REQUEST.match(text)
    if match is None:
        return None
    who = (match.group("who") or "").strip(" ,")
    people = parts.people(who, team) if who else []
    if not people:
        example = " and ".join(h.name.split()[0] for h in team.hosts[:2]) or "Ada and Grace"
        raise NotSure(
            "Who should be at the meeting? Name them.",
            [f"book a meeting with {example} tomorrow at 3pm about planning"],
        )
    names = parts.and_(p.name for p in people)
    first = " and ".join(p.name.split()[0] for p in people)
    when = said.when
    if when is None:
        raise NotSure(
            f"When should the meeting with {names} be? Say a day and a time.",
            [
                f"book a meeting with {first} tomorrow at 3pm",
                f"find a time for {first} next week",
            ],
        )
    if not when.exact:
        on = describe.day(when.start, said.zone)
        raise NotSure(
            f"At what time on {on}? Say a time of day, or find a time when everyone is free.",
            [f"book a meeting with {first} on {on} at 3pm", f"find a time for {first} {on}"],
        )
    if when.start < said.now:
        raise NotSure(f"{describe.moment(when.start, said.zone)} has passed; say a later time.")
    minutes = said.minutes or DEFAULT_MINUTES
    end = when.start + timedelta(minutes=minutes)
    what = (match.group("what") or "").strip(" .,")
    title = what[:1].upper() + what[1:] if what else f"Meeting with {names}"
    invited = f", with {parts.and_(g['email'] for g in guests)} invited" if guests else ""
    summary = f"Book {title!r} with {names} {describe.span(when.start, end, said.zone)}{invited}."
    action = CreateMeeting(title[:200], tuple(p.id for p in people), when.start, end, guests)
    return Change(summary, (action,))
