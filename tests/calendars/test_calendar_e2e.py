"""Issue 4, calendars: hosts' real calendars (Radicale, an ICS feed) through the API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

from sqlalchemy import select

from rota.calendars.caldav_client import CalDavAccount, put_event, read_busy
from rota.calendars.secrets import SecretBox
from rota.calendars.sync import SyncResult, sync_due
from rota.store.tables import HostCalendar
from tests.api.support import assert_error, iso, monday
from tests.calendars.radicale_server import Radicale
from tests.notify.stack import SECRET_KEY, Stack


def ics(uid: str, start: datetime, minutes: int, extra: str = "") -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DURATION:PT{minutes}M\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def connect(stack: Stack, host_id: str, account: CalDavAccount) -> dict[str, Any]:
    response = stack.api.request(
        "PUT",
        f"/v1/hosts/{host_id}/calendar",
        json={
            "kind": "caldav",
            "url": account.url,
            "username": account.username,
            "password": account.password,
        },
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def sync(stack: Stack, host_id: str) -> dict[str, Any]:
    response = stack.api.post(f"/v1/hosts/{host_id}/calendar/sync")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def starts(stack: Stack, slug: str, start: datetime, end: datetime) -> set[datetime]:
    return {datetime.fromisoformat(s["start"]) for s in stack.api.slots(slug, start, end)}


def test_calendar_events_remove_the_overlapping_slots(stack: Stack, radicale: Radicale) -> None:
    ada = stack.api.host("Ada")
    stack.api.booking_type("solo", [ada["id"]], host_mode="solo")
    account = radicale.account("ada", "e2e-busy")
    connected = connect(stack, ada["id"], account)
    assert "password" not in connected and connected["last_synced_at"] is None
    assert "password" not in stack.api.get(f"/v1/hosts/{ada['id']}/calendar").json()

    week = monday()
    tuesday = week + timedelta(days=1, hours=10)
    wednesday = week + timedelta(days=2, hours=14)
    put_event(account, ics("dentist", tuesday, 60))
    put_event(account, ics("weekly", wednesday, 60, "RRULE:FREQ=WEEKLY;COUNT=3\r\n"))
    before = starts(stack, "solo", week, week + timedelta(weeks=3))
    assert tuesday in before and wednesday + timedelta(weeks=2) in before

    synced = sync(stack, ada["id"])
    assert synced["last_error"] is None and synced["last_synced_at"] is not None
    after = starts(stack, "solo", week, week + timedelta(weeks=3))
    blocked = {tuesday, tuesday + timedelta(minutes=30)} | {
        wednesday + timedelta(weeks=n, minutes=m) for n in range(3) for m in (0, 30)
    }
    assert before - after == blocked
    busy = stack.api.get(f"/v1/hosts/{ada['id']}/busy").json()["busy"]
    assert len(busy) == 4 and {b["source"] for b in busy} == {"calendar"}

    # The event is moved in the calendar: the next sync follows it.
    put_event(account, ics("dentist", tuesday + timedelta(hours=3), 60))
    sync(stack, ada["id"])
    moved = starts(stack, "solo", week, week + timedelta(weeks=3))
    assert tuesday in moved and tuesday + timedelta(hours=3) not in moved


def test_the_password_is_not_in_the_database_in_clear(stack: Stack, radicale: Radicale) -> None:
    ada = stack.api.host("Ada")
    connect(stack, ada["id"], radicale.account("ada", "e2e-secret"))
    with stack.db.read() as session:
        [row] = session.scalars(select(HostCalendar))
        assert row.password_encrypted and "ada-secret" not in row.password_encrypted
    stack.db.dispose()
    database = Path(stack.db.url.removeprefix("sqlite:///"))
    for path in database.parent.glob(database.name + "*"):  # the file and its WAL
        assert b"ada-secret" not in path.read_bytes()


def test_a_booking_is_written_to_the_hosts_calendar_and_moves_on_reassign(
    stack: Stack, radicale: Radicale
) -> None:
    hosts = {name: stack.api.host(name) for name in ("Ada", "Alan")}
    accounts = {name: radicale.account(name.lower(), "e2e-meetings") for name in ("Ada", "Alan")}
    for name, host in hosts.items():
        connect(stack, host["id"], accounts[name])
    by_id = {h["id"]: name for name, h in hosts.items()}
    stack.api.booking_type("rr", [h["id"] for h in hosts.values()])
    start = monday() + timedelta(days=3, hours=11)
    booking = stack.api.book("rr", start).json()
    uid = f"{booking['id']}@rota"
    window = (
        int((start - timedelta(days=1)).timestamp()),
        int((start + timedelta(days=1)).timestamp()),
    )

    def meetings(name: str) -> list[tuple[int, int]]:
        found = read_busy(accounts[name], *window, timezone="UTC")
        return [(e.start, e.end) for e in found if e.external_uid.startswith(uid)]

    stack.deliver()
    first = by_id[booking["host_ids"][0]]
    second = next(n for n in hosts if n != first)
    meeting = (int(start.timestamp()), int(start.timestamp()) + 1800)
    assert meetings(first) == [meeting]
    assert meetings(second) == []
    # Syncing reads the meeting back, but as the booking it is, not as busy time.
    sync(stack, hosts[first]["id"])
    assert stack.api.get(f"/v1/hosts/{hosts[first]['id']}/busy").json()["busy"] == []

    moved = stack.api.post(f"/v1/bookings/{booking['id']}/reassign", {"reason": "sick"})
    assert moved.status_code == 200, moved.text
    stack.deliver()
    assert meetings(first) == []
    assert meetings(second) == [meeting]
    caldav = [m for m in stack.messages(booking["id"]) if m["kind"] == "caldav"]
    assert [(m["action"], m["status"]) for m in caldav].count(("delete", "sent")) == 1

    stack.api.post(f"/v1/bookings/{booking['id']}/cancel", {})
    stack.deliver()
    assert meetings(second) == []


@contextmanager
def serving(content: dict[str, bytes]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = content.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_ics_feed_gives_busy_time_and_a_broken_one_keeps_the_last(stack: Stack) -> None:
    ada = stack.api.host("Ada")
    start = monday() + timedelta(days=1, hours=13)
    feed = {"/ada.ics": ics("lunch", start, 60).encode()}
    with serving(feed) as base:
        put = stack.api.request(
            "PUT", f"/v1/hosts/{ada['id']}/calendar", json={"kind": "ics", "url": f"{base}/ada.ics"}
        )
        assert put.status_code == 200, put.text
        assert sync(stack, ada["id"])["last_error"] is None
        [block] = stack.api.get(f"/v1/hosts/{ada['id']}/busy").json()["busy"]
        assert (block["start"], block["end"]) == (iso(start), iso(start + timedelta(hours=1)))
        feed.clear()
        failed = sync(stack, ada["id"])
    assert "404" in failed["last_error"]
    assert len(stack.api.get(f"/v1/hosts/{ada['id']}/busy").json()["busy"]) == 1
    assert stack.api.delete(f"/v1/hosts/{ada['id']}/calendar").status_code == 204
    assert stack.api.get(f"/v1/hosts/{ada['id']}/busy").json()["busy"] == []
    assert_error(stack.api.get(f"/v1/hosts/{ada['id']}/calendar"), 404, "not_found")


def test_calendar_input_is_validated(stack: Stack) -> None:
    ada = stack.api.host("Ada")
    path = f"/v1/hosts/{ada['id']}/calendar"
    for body in (
        {"kind": "caldav", "url": "https://cal.example/ada/"},  # no credentials
        {"kind": "ics", "url": "file:///etc/passwd"},
        {"kind": "exchange", "url": "https://cal.example/"},
    ):
        assert_error(stack.api.request("PUT", path, json=body), 422, "invalid_request")
    assert_error(
        stack.api.request(
            "PUT", "/v1/hosts/nope/calendar", json={"kind": "ics", "url": "https://x.example/a.ics"}
        ),
        404,
        "not_found",
    )


def test_the_worker_syncs_each_calendar_on_its_schedule(stack: Stack, radicale: Radicale) -> None:
    ada = stack.api.host("Ada")
    account = radicale.account("ada", "e2e-schedule")
    connect(stack, ada["id"], account)
    put_event(account, ics("review", monday() + timedelta(days=1, hours=9), 30))
    now = datetime.now(UTC)
    every = timedelta(minutes=15)
    box = SecretBox(SECRET_KEY)

    def due(at: datetime) -> list[SyncResult]:
        return sync_due(stack.db, box=box, http=stack.http, every=every, clock=lambda: at)

    assert due(now) == [SyncResult(ada["id"], 1, None)]  # never synced: due at once
    assert due(now + timedelta(minutes=5)) == []
    assert due(now + timedelta(minutes=16)) == [SyncResult(ada["id"], 1, None)]
    assert len(stack.api.get(f"/v1/hosts/{ada['id']}/busy").json()["busy"]) == 1
