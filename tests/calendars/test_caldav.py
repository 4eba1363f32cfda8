from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from rota.calendars.caldav_client import CalDavAccount, delete_event, put_event, read_busy
from rota.calendars.ics import CalendarError
from rota.notify.invite import calendar, is_booking_uid
from tests.calendars.radicale_server import USERS, Radicale, running_radicale
from tests.notify.meetings import meeting

DEC = (
    int(datetime(2026, 12, 1, tzinfo=UTC).timestamp()),
    int(datetime(2027, 1, 1, tzinfo=UTC).timestamp()),
)


def ts(day: int, hour: int) -> int:
    return int(datetime(2026, 12, day, hour, tzinfo=UTC).timestamp())


def event(uid: str, lines: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n{lines.replace(chr(10), chr(13) + chr(10))}"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def busy(account: CalDavAccount) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in read_busy(account, *DEC, timezone="UTC")]


def test_events_and_recurring_series_read_as_busy(radicale: Radicale) -> None:
    account = radicale.account("ada", "busy")
    put_event(account, event("lunch", "DTSTART:20261202T120000Z\nDTEND:20261202T130000Z\n"))
    put_event(
        account,
        event("standup", "DTSTART:20261207T090000Z\nDURATION:PT30M\nRRULE:FREQ=WEEKLY;COUNT=3\n"),
    )
    put_event(
        account, event("free", "DTSTART:20261203T090000Z\nDURATION:PT1H\nTRANSP:TRANSPARENT\n")
    )
    assert busy(account) == [
        (ts(2, 12), ts(2, 13)),
        (ts(7, 9), ts(7, 9) + 1800),
        (ts(14, 9), ts(14, 9) + 1800),
        (ts(21, 9), ts(21, 9) + 1800),
    ]


def test_a_booked_meeting_is_written_replaced_and_removed(radicale: Radicale) -> None:
    account = radicale.account("ada", "meetings")
    first = meeting()
    put_event(account, calendar(first).to_ical().decode())
    assert busy(account) == [(ts(1, 15), ts(1, 15) + 1800)]
    later = meeting(1, start=first.start + timedelta(hours=1), end=first.end + timedelta(hours=1))
    put_event(account, calendar(later).to_ical().decode())  # same UID: replaces
    assert busy(account) == [(ts(1, 16), ts(1, 16) + 1800)]
    mine = read_busy(account, *DEC, timezone="UTC", skip_uid=is_booking_uid)
    assert mine == []
    delete_event(account, first.uid)
    assert busy(account) == []
    delete_event(account, first.uid)  # already gone: fine


def test_a_wrong_password_is_a_calendar_error(radicale: Radicale) -> None:
    good = radicale.account("alan")
    bad = CalDavAccount(good.url, good.username, "wrong")
    with pytest.raises(CalendarError, match="CalDAV"):
        read_busy(bad, *DEC, timezone="UTC")
    with pytest.raises(CalendarError):
        put_event(bad, calendar(meeting()).to_ical().decode())


def test_the_password_is_not_in_the_accounts_repr() -> None:
    assert "s3cret" not in repr(CalDavAccount("http://x/", "ada", "s3cret"))


def test_a_copy_the_hosts_client_filed_under_another_name_is_updated_in_place(
    radicale: Radicale,
) -> None:
    account = radicale.account("ada", "filed")
    first = meeting()
    # The host's client filed the invitation under a name of its own.
    filed = f"{account.url}0f3c-client-name.ics"
    response = httpx.put(
        filed,
        content=calendar(first).to_ical(),
        auth=(account.username, account.password),
        headers={"Content-Type": "text/calendar"},
        timeout=10,
    )
    assert response.status_code in (201, 204), response.text
    later = meeting(1, start=first.start + timedelta(hours=1), end=first.end + timedelta(hours=1))
    put_event(account, calendar(later).to_ical().decode())  # found by UID, not by name
    assert busy(account) == [(ts(1, 16), ts(1, 16) + 1800)]
    stored = httpx.get(filed, auth=(account.username, account.password), timeout=10)
    assert stored.status_code == 200 and "SEQUENCE:1" in stored.text
    delete_event(account, first.uid)
    assert busy(account) == []


def test_an_account_url_is_read_as_its_calendar_and_one_without_is_an_error(
    tmp_path: Path,
) -> None:
    with running_radicale(tmp_path) as own:
        principal = CalDavAccount(f"{own.base_url}/alan/", "alan", USERS["alan"])
        with pytest.raises(CalendarError, match="has no calendar"):
            busy(principal)
        calendar = own.account("alan", "only")
        put_event(calendar, event("talk", "DTSTART:20261202T120000Z\nDTEND:20261202T130000Z\n"))
        assert busy(principal) == [(ts(2, 12), ts(2, 13))]
