"""A request as its asker would be named in it: "I'm out tomorrow, give my bookings to
the team", typed by the member Sofia Ruiz, reads as "Sofia Ruiz is out tomorrow, give
Sofia Ruiz's bookings to the team". The rules then need no pronouns of their own."""

from __future__ import annotations

import re

FIRST_PERSON = (
    (re.compile(r"\b(?:i'm|i am|im)\b", re.I), "{name} is"),
    (re.compile(r"\b(?:i'll be|i will be)\b", re.I), "{name} will be"),
    (re.compile(r"\bmy\b", re.I), "{name}'s"),
    (re.compile(r"\b(?:me|myself)\b", re.I), "{name}"),
    (re.compile(r"\bi\b", re.I), "{name}"),
)


def spoken_by(text: str, name: str) -> str:
    """`text` with the asker's "I", "me" and "my" replaced by `name`."""
    text = text.replace("\u2019", "'")
    for pattern, replacement in FIRST_PERSON:
        text = pattern.sub(replacement.format(name=name).replace("\\", "\\\\"), text)
    return text
