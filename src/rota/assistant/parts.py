"""Reading the parts of a request: who is meant (hosts, forgivingly, asking back when
two fit), which booking (by id, by attendee, or by host and time) and to whom it goes
("the team" and its kin mean the next fair host)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rota.assistant import describe, names
from rota.assistant.dates import When
from rota.assistant.plan import Appointment, Person, Team

BOOKING_ID = re.compile(r"\bbk_[0-9a-z]{6,}\b")
NOUN = r"(?:call|booking|meeting|appointment|demo|session|slot)"
NOUNS = r"(?:calls|bookings|meetings|appointments|demos|sessions|slots)"
ANYONE = re.compile(
    r"^(?:the )?(?:team|pool|rest of the team|someone(?: else)?|somebody(?: else)?|anyone"
    r"(?: else)?|anybody(?: else)?|whoever(?: is)?(?: next| free)?|another host|the next"
    r"(?: fair)?(?: host| person)?|next(?: fair)? host|others|the others|everyone else)$"
)


class NotSure(Exception):
    """A part of the request cannot be read; the message says which."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message, self.suggestions = message, tuple(suggestions)


@dataclass(frozen=True, slots=True)
class Said:
    """The request put right: lower case, typos mended, a duration and dates read."""

    text: str
    minutes: int | None
    whens: tuple[When, ...]
    zone: ZoneInfo
    now: datetime

    @property
    def when(self) -> When | None:
        return self.whens[0] if self.whens else None


def host_words(phrase: str) -> str:
    phrase = re.sub(rf"'s\b|\b(?:{NOUN}|{NOUNS}|host|the|all|of|with)\b", " ", phrase)
    return re.sub(r"[^a-z' .-]", " ", phrase).strip(" .'-")


def one(phrase: str, people: Sequence[Person], what: str) -> Person:
    if not phrase:
        raise NotSure(f"Which {what}? Name them.")
    found = names.candidates(phrase, people, lambda p: p.name)
    if not found:
        raise NotSure(f"No {what} here is called {phrase!r}.", [p.name for p in people[:5]])
    if len(found) > 1:
        raise NotSure(
            f"Which {phrase.title()} do you mean: {or_(p.name for p in found)}?",
            [p.name for p in found],
        )
    return found[0]


def people(phrase: str, team: Team) -> list[Person]:
    """The hosts named in `phrase`; "on" and "at" are what is left of a date read out of
    it ("Ada and Sofia on 16 Dec")."""
    parts = re.split(r"\s*(?:,|\band\b|&|\bwith\b|\bplus\b)\s*", phrase)
    found: list[Person] = []
    for part in parts:
        part = re.sub(r"\b(?:me|us|for|a|an|meeting|time|slot|on|at)\b", " ", part)
        part = host_words(part).strip()
        if part:
            person = one(part, team.hosts, "host")
            if person not in found:
                found.append(person)
    return found


def target(phrase: str, team: Team) -> Person | None:
    """The host named, or None for "the team", "someone else", "whoever is next"."""
    phrase = phrase.strip(" ,.")
    if ANYONE.match(phrase):
        return None
    return one(host_words(phrase), team.hosts, "host")


def bookings(ref: str, said: Said, team: Team, *, several: bool) -> list[Appointment]:
    """The bookings `ref` names: by id, by attendee name ("Grace Hopper's call", "the
    call with Grace"), or by host and time ("Sofia's 3pm call"); all of them when
    `several` and the words say so, else exactly one (or a question back)."""
    by_id = BOOKING_ID.search(ref)
    if by_id:
        item = next((b for b in team.bookings if b.id == by_id.group()), None)
        if item is None:
            raise NotSure(f"There is no upcoming booking {by_id.group()}.")
        return [item]
    who = host_words(re.sub(r"\b(?:my|our|next|upcoming|for|at|on|his|her)\b", " ", ref))
    if not who:
        raise NotSure("Whose booking? Name the attendee or give the booking id.")
    attendees = sorted({b.attendee_name for b in team.bookings})
    found = names.candidates(who, attendees, lambda n: n)
    if len(found) > 1:
        raise NotSure(f"Which {who.title()} do you mean: {or_(found)}?", found)
    if found:
        items = [b for b in team.bookings if b.attendee_name == found[0]]
    else:
        hosts = names.candidates(who, team.hosts, lambda p: p.name)
        if not hosts:
            raise NotSure(f"I found no upcoming booking with {who!r}.")
        if len(hosts) > 1:
            raise NotSure(
                f"Which {who.title()} do you mean: {or_(h.name for h in hosts)}?",
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
            "Which booking: " + or_(describe.booking(b, said.zone) for b in items) + "?",
            [f"booking {b.id}" for b in items],
        )
    return items


def held(host: Person, start: datetime, end: datetime, team: Team) -> list[Appointment]:
    return [b for b in team.bookings if host.id in b.host_ids and start <= b.start < end]


def count(items: Sequence[object]) -> str:
    return "1 booking" if len(items) == 1 else f"{len(items)} bookings"


def and_(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def or_(items: Iterable[str]) -> str:
    listed = list(items)
    return ", ".join(listed[:-1]) + " or " + listed[-1] if len(listed) > 1 else listed[0]
