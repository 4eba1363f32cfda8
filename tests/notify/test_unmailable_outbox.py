"""An email that can never be written or sent (an address or name stored before such
input was refused at the door) fails at once with the reason, not retried for hours."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from rota.store.tables import OutboxMessage
from tests.api.support import monday
from tests.notify.smtp_server import SmtpServer
from tests.notify.stack import Stack
from tests.notify.test_invites_e2e import GRACE, book, team


def spoil(stack: Stack, booking_id: str, **recipient: str) -> str:
    """Rewrite the attendee's queued invitation as an older row could hold it."""
    with stack.db.write() as session:
        for row in session.scalars(
            select(OutboxMessage).where(OutboxMessage.booking_id == booking_id)
        ):
            payload = json.loads(row.payload)
            if payload.get("recipient", {}).get("email") == GRACE:
                payload["recipient"].update(recipient)
                row.payload = json.dumps(payload)
                return row.id
    raise AssertionError("no invitation to the attendee")


def test_an_address_mail_cannot_carry_fails_at_once_with_the_reason(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    team(stack)
    first = book(stack, monday() + timedelta(days=2, hours=10))
    second = book(stack, monday() + timedelta(days=2, hours=11))
    bad_address = spoil(stack, first["id"], email="é@x.com")
    bad_name = spoil(stack, second["id"], name="Grace\r\nBcc: everyone@example.com")
    stack.worker(retry=timedelta(milliseconds=10)).run_once()
    by_id = {m["id"]: m for b in (first, second) for m in stack.messages(b["id"])}
    for spoiled in (bad_address, bad_name):
        message = by_id[spoiled]
        assert (message["status"], message["attempts"]) == ("failed", 1), message
        assert message["last_error"].startswith("this email cannot be sent"), message
    others = [m for m in by_id.values() if m["id"] not in (bad_address, bad_name)]
    assert others and all(m["status"] == "sent" for m in others)
    assert all("everyone@example.com" not in r.recipients for r in smtp_server.received)
