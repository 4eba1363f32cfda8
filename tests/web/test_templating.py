"""Whose language a page writes its dates in: the reader's Accept-Language, read as
browsers send it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rota.web.templating import at_text, moment_text, reader_locale

AT = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de_DE"),
        ("en;q=0.5, fr-CA;q=0.8", "fr_CA"),  # by weight, not by place
        ("*, pt-BR", "pt_BR"),  # the wildcard names no language
        ("xx-nonsense, de", "de"),  # one Babel does not know is passed over
        ("de;q=0, en-GB", "en_GB"),  # q=0 means "not this one"
        ("de;q=abc, nl", "nl"),  # a weight that is no number is ignored with its tag
        ("", "en"),
        (None, "en"),
    ],
)
def test_the_readers_locale_is_the_first_known_language_by_weight(
    header: str | None, expected: str
) -> None:
    assert str(reader_locale(header)) == expected


def test_the_same_moment_is_written_as_each_language_writes_it() -> None:
    berlin = "Europe/Berlin"
    assert at_text(AT, berlin) == "Tuesday, December 8, 2026 at 2:00\u202fPM (Europe/Berlin)"
    german = reader_locale("de")
    assert at_text(AT, berlin, german) == "Dienstag, 8. Dezember 2026 at 14:00 (Europe/Berlin)"
    assert moment_text(AT, "UTC", german) == "8. Dez. 2026, 13:00 (UTC)"
    assert moment_text(AT, "UTC", reader_locale("en-GB")) == "8 Dec 2026, 13:00 (UTC)"
