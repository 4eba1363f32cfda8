"""What is wrong with a Hub form's field, said to a person.

The Hub checks its forms with the API's own models (`rota.teamfile`), whose messages
are written for programs ("Input should be greater than or equal to 0"). Next to a
field a person reads a sentence: "Must be 0 or more."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

_SAID: dict[str, str] = {
    "greater_than_equal": "Must be {ge} or more.",
    "greater_than": "Must be more than {gt}.",
    "less_than_equal": "Must be {le} or less.",
    "less_than": "Must be less than {lt}.",
    "int_parsing": "Must be a whole number.",
    "int_from_float": "Must be a whole number.",
    "float_parsing": "Must be a number.",
    "missing": "Please fill this in.",
    "string_too_long": "Must be at most {max_length} characters.",
    "too_long": "At most {max_length}.",
    "too_short": "Choose at least {min_length}.",
    "literal_error": "Choose one of the options given.",
    "enum": "Choose one of the options given.",
    "bool_parsing": "Must be yes or no.",
}


def in_words(problem: Mapping[str, Any]) -> str:
    """One problem of a pydantic `ValidationError` as a sentence for the form."""
    kind = str(problem.get("type", ""))
    context = problem.get("ctx") or {}
    if kind == "string_too_short":
        if context.get("min_length") == 1:
            return "Please fill this in."
        return "Must be at least {min_length} characters.".format(**context)
    if kind == "string_pattern_mismatch":
        return _pattern(str(context.get("pattern", "")))
    said = _SAID.get(kind)
    if said is not None:
        try:
            return said.format(**context)
        except (KeyError, IndexError):
            pass
    message = str(problem.get("msg", "")).removeprefix("Value error, ").strip()
    if not message:
        return "This is not valid."
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _pattern(pattern: str) -> str:
    """What a field with a pattern takes: the API's patterns are a slug and a time."""
    if "a-z0-9" in pattern:
        return "Use lowercase letters, digits and single dashes only, as in intro-call."
    if ":" in pattern:
        return "Must be a time like 09:30."
    return "This is not in the form expected here."


def by_field(
    error: ValidationError, default: str, *, rename: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The first problem of each top-level field of the form's model, as a sentence,
    under the field's name (`rename` maps a model field to the form's; a problem of the
    whole form goes under `default`)."""
    errors: dict[str, str] = {}
    for problem in error.errors():
        where = str(problem["loc"][0]) if problem["loc"] else default
        errors.setdefault((rename or {}).get(where, where), in_words(problem))
    return errors
