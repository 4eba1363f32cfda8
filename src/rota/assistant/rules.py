"""The deterministic reader: patterns over what was typed, names and dates read
forgivingly, and a plan or a question out (see `rota.assistant.plan`).

It works offline and gives the same plan for the same words, team and moment.
It never guesses a person: when a name fits two, it asks which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from rota.assistant import describe, names, parts, words
from rota.assistant.dates import find_duration, phrases, read
from rota.assistant.meeting import read_meeting
from rota.assistant.parts import BOOKING_ID, NOUNS, NotSure, Said
from rota.assistant.plan import (
    Action,
    AddTimeOff,
    Agenda,
    Ask,
    CancelBooking,
    Change,
    FindATime,
    HowIsTheDistribution,
    Kind,
    Reading,
    ReassignBooking,
    ReassignHostBookings,
    Request,
    RescheduleBooking,
    Team,
    Unclear,
    WhoIsFree,
)

DEFAULT_MINUTES = 30
WEEK = timedelta(days=7)
OUT = (
    r"(?:out|off|sick|ill|away|absent|unavailable|on leave|on vacation|on holiday|on holidays"
    r"|out sick|off sick|out of office|ooo)"
)
HANDS = r"(?:give|hand|pass|reassign|transfer|move|shift|switch|send|redistribute|cover|split)"
FILLER = re.compile(r"\b(?:please|could you|can you|would you|kindly|rota|hey|hi|ok|okay)\b")

EXAMPLES = (
    "give {attendee}'s call to the team",
    "move {attendee}'s call to Thursday at 3pm",
    "{host} is out sick tomorrow, give her bookings to the team",
    "cancel {attendee}'s booking",
    "who is free tomorrow afternoon?",
    "find a time for {host} and {other} next week",
    "book a meeting with {host} and {other} tomorrow at 3pm about planning",
    "what does {host} have tomorrow?",
    "how is the distribution?",
)


class RulePlanner:
    """`rota.assistant.plan.Planner` by rules: see the module's doc."""

    def read(self, request: Request, team: Team) -> Reading:
        said = _said(request, team)
        if not said.text.strip():
            return _unclear("Say what should happen or what you want to know.", team)
        try:
            for rule in RULES:
                reading = rule(said, team)
                if reading is not None:
                    return reading
        except NotSure as doubt:
            return Unclear(doubt.message, doubt.suggestions or _examples(team))
        return _unclear(_what_i_got(said, team), team)


def _said(request: Request, team: Team) -> Said:
    spoken = [h.name for h in team.hosts] + [b.attendee_name for b in team.bookings]
    text = words.fix(request.text.lower().replace("\u2019", "'"), spoken)
    text = FILLER.sub(" ", text)
    minutes, text = find_duration(text)
    whens = []
    for phrase in phrases(text):
        when = read(phrase, request.timezone, request.now)
        if when is not None:
            whens.append(when)
            text = text.replace(phrase, " ", 1)
    text = re.sub(r"\s+", " ", re.sub(r"\s*([,.?!])\s*", r" \1 ", text)).strip(" .?!")
    return Said(text, minutes, tuple(whens), request.timezone, request.now)


# Questions -------------------------------------------------------------------------


def _distribution(said: Said, team: Team) -> Reading | None:
    if not re.search(
        r"\b(?:distribution|distributed|fair|fairness|shared|spread|split)\b", said.text
    ):
        return None
    if re.search(rf"\b{HANDS}\b.*\b(?:to|among|between)\b", said.text):
        return None  # "split her bookings among the team" is a hand-over
    kinds = list(team.booking_types)
    named = [k for k in kinds if k.slug in said.text or k.title.lower() in said.text]
    if not named:
        named = _fuzzy_kind(said.text, kinds)
    if len(named) != 1:
        which = named or kinds
        raise NotSure(
            "Which booking type do you mean: " + ", ".join(k.title for k in which) + "?"
            if which
            else "There are no booking types yet.",
            [f"how is the distribution of {k.title}?" for k in which],
        )
    kind = named[0]
    return Ask(f"How {kind.title} is shared among its hosts.", HowIsTheDistribution(kind.slug))


def _fuzzy_kind(text: str, kinds: Sequence[Kind]) -> list[Kind]:
    if len(kinds) == 1:
        return list(kinds)
    tail = re.search(r"\b(?:of|for)\s+(?:the\s+)?(.+?)(?:\s+(?:type|bookings?|calls?))?$", text)
    if tail is None:
        return []
    return names.candidates(tail.group(1), kinds, lambda k: k.title)


def _find_a_time(said: Said, team: Team) -> Reading | None:
    match = re.search(
        r"\bfind (?:a|some|us a) (?:time|slot)(?: for)?(?: a meeting)?(?: (?:for|with) )?(.*)$",
        said.text,
    )
    if match is None:
        match = re.search(
            r"\bwhen (?:can|could|are|is|will) (.+?) (?:all |both )?"
            r"(?:meet|be free|free|available)\b",
            said.text,
        )
    if match is None:
        return None
    people = parts.people(match.group(1), team)
    if not people:
        raise NotSure(
            "Who should be at the meeting? Name them.",
            [f"find a time for {' and '.join(h.name for h in team.hosts[:2])} next week"],
        )
    start, end = _window(said, default=WEEK)
    minutes = said.minutes or DEFAULT_MINUTES
    who = parts.and_(p.name for p in people)
    where = describe.span(start, end, said.zone)
    summary = f"Times when {who} are all free for {minutes} minutes, {where}."
    return Ask(summary, FindATime(tuple(p.id for p in people), start, end, minutes))


def _who_is_free(said: Said, team: Team) -> Reading | None:
    if not re.search(
        r"\bwho(?:'s| is|s| are)? (?:free|available|around|not busy)\b"
        r"|\bwho can (?:take|do|cover)\b",
        said.text,
    ):
        return None
    when = said.when
    minutes = said.minutes or DEFAULT_MINUTES
    if when is not None and when.exact:
        start, end = when.start, when.start + timedelta(minutes=minutes)
    else:
        start, end = _window(said, default=timedelta(days=1))
    summary = f"Who is free for {minutes} minutes {describe.span(start, end, said.zone)}."
    return Ask(summary, WhoIsFree(start, end, minutes))


def _agenda(said: Said, team: Team) -> Reading | None:
    match = (
        re.search(
            r"\bwhat (?:does|do|did|has|is|will) (.+?) (?:have|got|doing|on|booked)\b", said.text
        )
        or re.search(
            rf"\b(?:show|list|see)(?: me)? (.+?)(?:'s)? "
            rf"(?:{NOUNS}|agenda|schedule|calendar|day|week)\b",
            said.text,
        )
        or re.search(
            r"\bwhat(?:'s| is) (?:on )?(.+?)(?:'s)? (?:agenda|schedule|calendar|plate)\b", said.text
        )
        or re.search(r"\b(?:how busy is|is) (.+?) (?:busy|booked)\b", said.text)
    )
    if match is None:
        return None
    host = parts.one(parts.host_words(match.group(1)), team.hosts, "host")
    start, end = _window(said, default=WEEK, whole_days=True)
    summary = f"What {host.name} has {describe.span(start, end, said.zone)}."
    return Ask(summary, Agenda(host.id, start, end))


# Changes ---------------------------------------------------------------------------


def _cancel(said: Said, team: Team) -> Reading | None:
    match = re.search(r"\b(?:cancel|call off|drop|delete|scrap)\b (.+)$", said.text)
    if match is None:
        return None
    ref = match.group(1)
    items = parts.bookings(ref, said, team, several=True)
    actions: tuple[Action, ...] = tuple(CancelBooking(b.id) for b in items)
    summary = "Cancel " + parts.and_(describe.booking(b, said.zone) for b in items) + "."
    return Change(summary, actions)


def _out(said: Said, team: Team) -> Reading | None:
    match = re.search(
        rf"^(?:mark |put |set )?(.+?)(?: is| as| will be| be|'s|'ll be)? {OUT}\b", said.text
    )
    if match is None or re.match(rf"^{HANDS}\b", match.group(1)):
        return None
    host = parts.one(parts.host_words(match.group(1)), team.hosts, "host")
    if said.when is None:
        raise NotSure(
            f"When is {host.name} out? Say a day or a range.",
            [f"{host.name} is out tomorrow", f"{host.name} is off from Monday to Wednesday"],
        )
    start, end = said.when.start, said.when.end
    if said.when.exact:
        raise NotSure(
            f"Say the whole time {host.name} is out, not one moment.",
            [f"{host.name} is out tomorrow afternoon"],
        )
    rest = said.text[match.end() :]
    hand = re.search(rf"\b{HANDS}\b.*?(?:\bto (.+)$|$)", rest) or re.search(
        rf"\b{NOUNS}\b.*\bto (.+)$", rest
    )
    where = describe.span(start, end, said.zone)
    if hand is None:
        return Change(f"Mark {host.name} out {where}.", (AddTimeOff(host.id, start, end),))
    target = parts.target(hand.group(1) or "the team", team)
    held = parts.held(host, max(start, said.now), end, team)
    if target is None:
        summary = (
            f"Mark {host.name} out {where} and hand the {parts.count(held)} then"
            " to the next fair host each."
        )
        return Change(summary, (ReassignHostBookings(host.id, max(start, said.now), end, True),))
    actions: list[Action] = [AddTimeOff(host.id, start, end)]
    actions += [ReassignBooking(b.id, target.id) for b in held]
    given = f"give the {parts.count(held)} then to {target.name}"
    summary = f"Mark {host.name} out {where} and {given}."
    return Change(summary, tuple(actions))


def _hand(said: Said, team: Team) -> Reading | None:
    verb = re.search(rf"\b(?:{HANDS}|reschedule|push|bring forward|rebook)\b", said.text)
    if verb is None:
        return None
    body = re.sub(r"\s+(?:to|for|on|at)$", "", said.text[verb.end() :].strip())
    split = re.match(r"(.+?)(?: over)? to (.+)$", body)
    ref, target_words = (split.group(1), split.group(2)) if split else (body, "")
    target_words = (
        re.sub(r"^(?:the )?(?:host )?", "", target_words).strip(" ,")
        if target_words.strip(" ,") not in ("", ",")
        else ""
    )
    moves = verb.group() in ("reschedule", "push", "bring forward", "rebook", "move", "shift")
    if not target_words and said.whens and moves:
        return _reschedule(ref, said, team)
    plural = re.search(rf"\b(?:all|every|{NOUNS})\b", ref)
    if plural and not BOOKING_ID.search(ref):
        return _hand_all(ref, target_words or "the team", said, team)
    target = parts.target(target_words or "the team", team)
    item = parts.bookings(ref, said, team, several=False)[0]
    to = "the next fair host" if target is None else target.name
    summary = f"Hand {describe.booking(item, said.zone)} to {to}."
    return Change(summary, (ReassignBooking(item.id, None if target is None else target.id),))


def _reschedule(ref: str, said: Said, team: Team) -> Reading:
    to = said.whens[-1]
    if not to.exact:
        raise NotSure(
            f"At what time on {describe.day(to.start, said.zone)}? Say a time of day.",
            [f"move {ref.strip()} to {describe.day(to.start, said.zone)} at 3pm"],
        )
    ref_said = replace(said, whens=said.whens[:-1])
    item = parts.bookings(ref, ref_said, team, several=False)[0]
    summary = f"Move {describe.booking(item, said.zone)} to {describe.moment(to.start, said.zone)}."
    return Change(summary, (RescheduleBooking(item.id, to.start),))


def _hand_all(ref: str, target_words: str, said: Said, team: Team) -> Reading:
    owner = re.sub(rf"\b(?:all|every|of|the|{NOUNS})\b|'s", " ", ref)
    host = parts.one(parts.host_words(owner), team.hosts, "host")
    if said.when is None:
        raise NotSure(
            f"Which of {host.name}'s bookings: say a day or a range.",
            [f"give {host.name}'s bookings tomorrow to the team"],
        )
    start, end = max(said.when.start, said.now), said.when.end
    target = parts.target(target_words, team)
    held = parts.held(host, start, end, team)
    where = describe.span(said.when.start, end, said.zone)
    if target is None:
        summary = f"Hand {host.name}'s {parts.count(held)} {where} to the next fair host each."
        return Change(summary, (ReassignHostBookings(host.id, start, end, False),))
    summary = f"Give {host.name}'s {parts.count(held)} {where} to {target.name}."
    return Change(summary, tuple(ReassignBooking(b.id, target.id) for b in held))


def _window(
    said: Said, *, default: timedelta, whole_days: bool = False
) -> tuple[datetime, datetime]:
    when = said.when
    if when is None:
        return said.now, said.now + default
    if when.exact:
        return when.start, when.start + timedelta(days=1)
    start = when.start if whole_days else max(when.start, said.now)
    if when.end <= start:
        raise NotSure(f"{describe.span(when.start, when.end, said.zone).capitalize()} has passed.")
    return start, when.end


def _examples(team: Team) -> tuple[str, ...]:
    hosts = [h.name.split()[0] for h in team.hosts] or ["Sofia"]
    attendee = team.bookings[0].attendee_name if team.bookings else "Grace Hopper"
    fill = {"host": hosts[0], "other": hosts[1] if len(hosts) > 1 else "Bob", "attendee": attendee}
    return tuple(example.format(**fill) for example in EXAMPLES)


def _what_i_got(said: Said, team: Team) -> str:
    got = [
        p.name
        for p in team.hosts
        if any(names.score(w, p.name) >= names.GOOD for w in said.text.split())
    ]
    got += [
        describe.span(w.start, w.end, said.zone)
        if not w.exact
        else describe.moment(w.start, said.zone)
        for w in said.whens
    ]
    heard = f" I recognised {parts.and_(got)}, but not what to do." if got else ""
    return "I did not understand what to do." + heard + " Try one of these."


def _unclear(message: str, team: Team) -> Unclear:
    return Unclear(message, _examples(team))


# The first rule that recognises the request reads it. Booking a meeting comes first:
# its words ("book a meeting with ... about time off") may hold another rule's.
RULES = (
    read_meeting,
    _distribution,
    _find_a_time,
    _who_is_free,
    _agenda,
    _cancel,
    _out,
    _hand,
)
