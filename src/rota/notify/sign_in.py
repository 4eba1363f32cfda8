"""The email carrying a one-time Hub sign-in link (`rota.service.users`)."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from rota.notify.email import POLICY

SUBJECT = "Your sign-in link to the Booking Hub"


def sign_in_email(
    *, sender: str, to: str, name: str, org: str, url: str, sent_at: datetime, message_id: str
) -> EmailMessage:
    """Plain text only: the link, how long it lasts, and what to do if it was not you."""
    message = EmailMessage(policy=POLICY)
    message["From"] = Address("Booking Hub", addr_spec=sender)
    message["To"] = Address(name, addr_spec=to)
    message["Subject"] = SUBJECT
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"Hello {name},\n\n"
        f"To sign in to the Booking Hub of {org}, open this link and press Sign in:\n\n"
        f"{url}\n\n"
        "It works once, within 15 minutes. If you did not ask to sign in, ignore this\n"
        "email: nobody can sign in without the link.\n"
    )
    return message
