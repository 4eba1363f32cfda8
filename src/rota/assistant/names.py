"""Reading names forgivingly: first names, last names and small typos.

A phrase is scored against each name with rapidfuzz: against the whole name, and,
for a phrase of one word, against each word of the name (so "sofia" finds "Sofia
Ruiz" and "hoper" finds "Grace Hopper"). A perfect score beats every near one; among
near ones, two that score within `CLOSE` of each other are both kept, so the
caller asks which one is meant instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rapidfuzz import fuzz, utils

T = TypeVar("T")

GOOD = 80.0
"""The least score that counts as a match (one typo in a six-letter name scores ~83)."""
CLOSE = 8.0
"""Matches within this many points of the best are equally likely."""


def score(phrase: str, name: str) -> float:
    """How well `phrase` names `name`, 0 to 100."""
    said, full = utils.default_process(phrase), utils.default_process(name)
    if not said or not full:
        return 0.0
    best = fuzz.ratio(said, full)
    words = full.split()
    if " " not in said and len(said) >= 3:
        best = max([best, *(fuzz.ratio(said, word) for word in words)])
    elif len(said.split()) < len(words):
        # "grace hopper" against "Grace Brewster Hopper": the words given, in order.
        best = max(best, fuzz.token_set_ratio(said, full) - 5)
    return float(best)


def candidates(phrase: str, things: Sequence[T], name_of: Callable[[T], str]) -> list[T]:
    """The things `phrase` may name, best first: one when it is clear, several when
    they are too close to tell apart, none when nothing is near."""
    scored = sorted(
        ((score(phrase, name_of(t)), i) for i, t in enumerate(things)), key=lambda s: -s[0]
    )
    scored = [(s, i) for s, i in scored if s >= GOOD]
    if not scored:
        return []
    best = scored[0][0]
    if best == 100.0:
        return [things[i] for s, i in scored if s == 100.0]
    return [things[i] for s, i in scored if s >= best - CLOSE]
