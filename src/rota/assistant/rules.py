"""The deterministic reader: patterns over what was typed, names and dates read
forgivingly, and a plan or a question out (see `rota.assistant.plan`).

It works offline and gives the same plan for the same words, team and moment.
It never guesses a person: when a name fits two, it asks which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rota.assistant import describe, names, words
from rota.assistant.dates import When, find_duration, phrases, read
from rota.assistant.plan import (
    Action,
    AddTimeOff,
    Agenda,
    Appointment,
    Ask,
    CancelBooking,
    Change,
    FindATime,
    HowIsTheDistribution,
    Kind,
    Person,
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
BOOKING_ID = re.compile(r"\bbk_[0-9a-z]{6,}\b")
NOUN = r"(?:call|booking|meeting|appointment|demo|session|slot)"
NOUNS = r"(?:calls|bookings|meetings|appointments|demos|sessions|slots)"
ANYONE = re.compile(
    r"^(?:the )?(?:team|pool|rest of the team|someone(?: else)?|somebody(?: else)?|anyone"
    r"(?: else)?|anybody(?: else)?|whoever(?: is)?(?: next| free)?|another host|the next"
    r"(?: fair)?(?: host| person)?|next(?: fair)? host|others|the others|everyone else)$"
)
OUT = (
    r"(?:out|off|sick|ill|away|absent|unavailable|on leave|on vacation|on holiday|on holidays"
    r"|out sick|off sick|out of office|ooo)"
)
HANDS = r"(?:give|hand|pass|reassign|transfer|move|shift|switch|send|redistribute|cover|split)"
PRONOUN = re.compile(r"^(?:her|his|their|them|its)$")
FILLER = re.compile(r"\b(?:please|could you|can you|would you|kindly|rota|hey|hi|ok|okay)\b")

EXAMPLES = (
    "give {attendee}'s call to the team",
    "move {attendee}'s call to Thursday at 3pm",
    "{host} is out sick tomorrow, give her bookings to the team",
    "cancel {attendee}'s booking",
    "who is free tomorrow afternoon?",
    "find a time for {host} and {other} next week",
    "what does {host} have tomorrow?",
    "how is the distribution?",
)


class NotSure(Exception):
    """A part of the request cannot be read; the message says which."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message, self.suggestions = message, tuple(suggestions)


@dataclass(frozen=True, slots=True)
class _Said:
    """The request put right: lower case, typos mended, a duration and dates read."""

    text: str
    minutes: int | None
    whens: tuple[When, ...]
    zone: ZoneInfo
    now: datetime

    @property
    def when(self) -> When | None:
        return self.whens[0] if self.whens else None


class RulePlanner:
    """`rota.assistant.plan.Planner` by rules: see the module's doc."""

    def read(self, request: Request, team: Team) -> Reading:
        said = _said(request, team)
        if not said.text.strip():
            return _unclear("Say what should happen or what you want to know.", team)
        try:
            for rule in (_distribution, _find_a_time, _who_is_free, _agenda, _cancel, _out, _hand):
                reading = rule(said, team)
                if reading is not None:
                    return reading
        except NotSure as doubt:
            return Unclear(doubt.message, doubt.suggestions or _examples(team))
        return _unclear(_what_i_got(said, team), team)


def _said(request: Request, team: Team) -> _Said:
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
    return _Said(text, minutes, tuple(whens), request.timezone, request.now)


# Questions -------------------------------------------------------------------------


def _distribution(said: _Said, team: Team) -> Reading | None:
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


def _find_a_time(said: _Said, team: Team) -> Reading | None:
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
    people = _people(match.group(1), team)
    if not people:
        raise NotSure(
            "Who should be at the meeting? Name them.",
            [f"find a time for {' and '.join(h.name for h in team.hosts[:2])} next week"],
        )
    start, end = _window(said, default=WEEK)
    minutes = said.minutes or DEFAULT_MINUTES
    who = _and(p.name for p in people)
    where = describe.span(start, end, said.zone)
    summary = f"Times when {who} are all free for {minutes} minutes, {where}."
    return Ask(summary, FindATime(tuple(p.id for p in people), start, end, minutes))


def _who_is_free(said: _Said, team: Team) -> Reading | None:
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


def _agenda(said: _Said, team: Team) -> Reading | None:
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
    host = _one(_host_words(match.group(1)), team.hosts, "host")
    start, end = _window(said, default=WEEK, whole_days=True)
    summary = f"What {host.name} has {describe.span(start, end, said.zone)}."
    return Ask(summary, Agenda(host.id, start, end))


# Changes ---------------------------------------------------------------------------


def _cancel(said: _Said, team: Team) -> Reading | None:
    match = re.search(r"\b(?:cancel|call off|drop|delete|scrap)\b (.+)$", said.text)
    if match is None:
        return None
    ref = match.group(1)
    items = _bookings(ref, said, team, several=True)
    actions: tuple[Action, ...] = tuple(CancelBooking(b.id) for b in items)
    summary = "Cancel " + _and(describe.booking(b, said.zone) for b in items) + "."
    return Change(summary, actions)


def _out(said: _Said, team: Team) -> Reading | None:
    match = re.search(
        rf"^(?:mark |put |set )?(.+?)(?: is| as| will be| be|'s|'ll be)? {OUT}\b", said.text
    )
    if match is None or re.match(rf"^{HANDS}\b", match.group(1)):
        return None
    host = _one(_host_words(match.group(1)), team.hosts, "host")
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
    target = _target(hand.group(1) or "the team", team)
    held = _held(host, max(start, said.now), end, team)
    if target is None:
        summary = (
            f"Mark {host.name} out {where} and hand the {_count(held)} then"
            " to the next fair host each."
        )
        return Change(summary, (ReassignHostBookings(host.id, max(start, said.now), end, True),))
    actions: list[Action] = [AddTimeOff(host.id, start, end)]
    actions += [ReassignBooking(b.id, target.id) for b in held]
    summary = f"Mark {host.name} out {where} and give the {_count(held)} then to {target.name}."
    return Change(summary, tuple(actions))


def _hand(said: _Said, team: Team) -> Reading | None:
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
    target = _target(target_words or "the team", team)
    item = _bookings(ref, said, team, several=False)[0]
    to = "the next fair host" if target is None else target.name
    summary = f"Hand {describe.booking(item, said.zone)} to {to}."
    return Change(summary, (ReassignBooking(item.id, None if target is None else target.id),))


def _reschedule(ref: str, said: _Said, team: Team) -> Reading:
    to = said.whens[-1]
    if not to.exact:
        raise NotSure(
            f"At what time on {describe.day(to.start, said.zone)}? Say a time of day.",
            [f"move {ref.strip()} to {describe.day(to.start, said.zone)} at 3pm"],
        )
    ref_said = replace(said, whens=said.whens[:-1])
    item = _bookings(ref, ref_said, team, several=False)[0]
    summary = f"Move {describe.booking(item, said.zone)} to {describe.moment(to.start, said.zone)}."
    return Change(summary, (RescheduleBooking(item.id, to.start),))


def _hand_all(ref: str, target_words: str, said: _Said, team: Team) -> Reading:
    owner = re.sub(rf"\b(?:all|every|of|the|{NOUNS})\b|'s", " ", ref)
    host = _one(_host_words(owner), team.hosts, "host")
    if said.when is None:
        raise NotSure(
            f"Which of {host.name}'s bookings: say a day or a range.",
            [f"give {host.name}'s bookings tomorrow to the team"],
        )
    start, end = max(said.when.start, said.now), said.when.end
    target = _target(target_words, team)
    held = _held(host, start, end, team)
    where = describe.span(said.when.start, end, said.zone)
    if target is None:
        summary = f"Hand {host.name}'s {_count(held)} {where} to the next fair host each."
        return Change(summary, (ReassignHostBookings(host.id, start, end, False),))
    summary = f"Give {host.name}'s {_count(held)} {where} to {target.name}."
    return Change(summary, tuple(ReassignBooking(b.id, target.id) for b in held))


# Reading the parts -----------------------------------------------------------------


def _host_words(phrase: str) -> str:
    phrase = re.sub(rf"'s\b|\b(?:{NOUN}|{NOUNS}|host|the|all|of|with)\b", " ", phrase)
    return re.sub(r"[^a-z' .-]", " ", phrase).strip(" .'-")


def _one(phrase: str, people: Sequence[Person], what: str) -> Person:
    if not phrase:
        raise NotSure(f"Which {what}? Name them.")
    found = names.candidates(phrase, people, lambda p: p.name)
    if not found:
        raise NotSure(f"No {what} here is called {phrase!r}.", [p.name for p in people[:5]])
    if len(found) > 1:
        raise NotSure(
            f"Which {phrase.title()} do you mean: {_or(p.name for p in found)}?",
            [p.name for p in found],
        )
    return found[0]


def _people(phrase: str, team: Team) -> list[Person]:
    parts = re.split(r"\s*(?:,|\band\b|&|\bwith\b|\bplus\b)\s*", phrase)
    found: list[Person] = []
    for part in parts:
        part = _host_words(re.sub(r"\b(?:me|us|for|a|an|meeting|time|slot)\b", " ", part)).strip()
        if part:
            person = _one(part, team.hosts, "host")
            if person not in found:
                found.append(person)
    return found


def _target(phrase: str, team: Team) -> Person | None:
    """The host named, or None for "the team", "someone else", "whoever is next"."""
    phrase = phrase.strip(" ,.")
    if ANYONE.match(phrase):
        return None
    return _one(_host_words(phrase), team.hosts, "host")


def _bookings(ref: str, said: _Said, team: Team, *, several: bool) -> list[Appointment]:
    """The bookings `ref` names: by id, by attendee name ("Grace Hopper's call", "the
    call with Grace"), or by host and time ("Sofia's 3pm call"); all of them when
    `several` and the words say so, else exactly one (or a question back)."""
    by_id = BOOKING_ID.search(ref)
    if by_id:
        item = next((b for b in team.bookings if b.id == by_id.group()), None)
        if item is None:
            raise NotSure(f"There is no upcoming booking {by_id.group()}.")
        return [item]
    who = _host_words(re.sub(r"\b(?:my|our|next|upcoming|for|at|on|his|her)\b", " ", ref))
    if not who:
        raise NotSure("Whose booking? Name the attendee or give the booking id.")
    attendees = sorted({b.attendee_name for b in team.bookings})
    found = names.candidates(who, attendees, lambda n: n)
    if len(found) > 1:
        raise NotSure(f"Which {who.title()} do you mean: {_or(found)}?", found)
    if found:
        items = [b for b in team.bookings if b.attendee_name == found[0]]
    else:
        hosts = names.candidates(who, team.hosts, lambda p: p.name)
        if not hosts:
            raise NotSure(f"I found no upcoming booking with {who!r}.", _examples(team))
        if len(hosts) > 1:
            raise NotSure(
                f"Which {who.title()} do you mean: {_or(h.name for h in hosts)}?",
                [h.name for h in hosts],
            )
        items = [b for b in team.bookings if hosts[0].id in b.host_ids]
    if said.when is not None:
        when = said.when
        items = [
            b
            for b in items
            if (b.start == when.start if when.exact else when.start <= b.start < when.end)
        ]
    if not items:
        raise NotSure(f"I found no upcoming booking of {who!r} then.")
    if len(items) > 1 and not (several and re.search(rf"\b(?:all|every|{NOUNS})\b", ref)):
        raise NotSure(
            "Which booking: " + _or(describe.booking(b, said.zone) for b in items) + "?",
            [f"booking {b.id}" for b in items],
        )
    return items


def _window(
    said: _Said, *, default: timedelta, whole_days: bool = False
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


def _held(host: Person, start: datetime, end: datetime, team: Team) -> list[Appointment]:
    return [b for b in team.bookings if host.id in b.host_ids and start <= b.start < end]


def _count(items: Sequence[object]) -> str:
    return "1 booking" if len(items) == 1 else f"{len(items)} bookings"


def _and(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _or(items: Iterable[str]) -> str:
    listed = list(items)
    return ", ".join(listed[:-1]) + " or " + listed[-1] if len(listed) > 1 else listed[0]


def _examples(team: Team) -> tuple[str, ...]:
    hosts = [h.name.split()[0] for h in team.hosts] or ["Sofia"]
    attendee = team.bookings[0].attendee_name if team.bookings else "Grace Hopper"
    fill = {"host": hosts[0], "other": hosts[1] if len(hosts) > 1 else "Bob", "attendee": attendee}
    return tuple(example.format(**fill) for example in EXAMPLES)


def _what_i_got(said: _Said, team: Team) -> str:
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
    heard = f" I recognised {_and(got)}, but not what to do." if got else ""
    return "I did not understand what to do." + heard + " Try one of these."


def _unclear(message: str, team: Team) -> Unclear:
    return Unclear(message, _examples(team))
