"""Reading words through small typos: "cancle", "tommorow", "resheduel".

Each word of five letters or more that is not a word rota knows, nor close to the
name of someone the request may mean, is replaced by the known word it is one
slip away from (rapidfuzz ratio of at least `SLIP`). Shorter words are left as
they are: one letter changes a four-letter word into another word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

SLIP = 80.0
SHORT = 5

WORD = re.compile(r"[a-z]+")
KNOWN = frozenset(
    WORD.findall(
        """
    today tonight tomorrow yesterday morning afternoon evening weekend week weeks
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    next this coming from until through between minutes minute hours hour days
    cancel cancelled reschedule rescheduled reassign reassigned move give hand over pass
    transfer booking bookings meeting meetings call calls appointment appointments demo
    someone somebody anyone anybody everyone whoever another else team
    free available around busy distribution distributed shared spread split fair fairness
    sick vacation holiday holidays leave absent away unavailable off out
    find time slot when meet schedule calendar agenda have what show list
    please could would their theirs
    """
    )
)
ALIASES = {"tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "tmrrw": "tomorrow"}


def fix(text: str, names: Iterable[str]) -> str:
    """`text` (lower case) with slipped words put right; words close to one of `names`
    (the team's and attendees' name words) are kept."""
    name_words = {w for n in names for w in WORD.findall(n.lower()) if len(w) >= 3}

    def right(match: re.Match[str]) -> str:
        word = match.group()
        if word in ALIASES:
            return ALIASES[word]
        if len(word) < SHORT or word in KNOWN or word in name_words:
            return word
        if name_words and process.extractOne(
            word, name_words, scorer=fuzz.ratio, score_cutoff=SLIP
        ):
            return word
        found = process.extractOne(word, KNOWN, scorer=fuzz.ratio, score_cutoff=SLIP)
        return found[0] if found else word

    return WORD.sub(right, text)
