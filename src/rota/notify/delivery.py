"""How each kind of outbox message is delivered: email, webhook, CalDAV write."""

from __future__ import annotations

import json
from email.errors import MessageError

import httpx

from rota.calendars import caldav_client
from rota.calendars.ics import CalendarError
from rota.calendars.secrets import SecretBox, SecretKeyError
from rota.calendars.sync import account
from rota.notify import webhook
from rota.notify.email import invitation, message_id
from rota.notify.errors import DeliveryError, PermanentDeliveryError
from rota.notify.invite import Method, meeting_from_record, person_from_record
from rota.notify.messages import sender_address
from rota.notify.outbox import Delivery
from rota.notify.sign_in import sign_in_email
from rota.notify.transport import MailTransport, writable
from rota.notify.worker import Handler, utcnow
from rota.store.db import Database
from rota.store.tables import HostCalendar, Webhook


def handlers(
    db: Database, transport: MailTransport, http: httpx.Client, box: SecretBox
) -> dict[str, Handler]:
    def send_email(delivery: Delivery) -> None:
        payload = delivery.payload
        meeting = meeting_from_record(payload["meeting"])
        attendees = payload["attendees"]
        try:
            message = invitation(
                meeting,
                Method(payload["method"]),
                person_from_record(payload["recipient"]),
                attendees=None if attendees is None else [person_from_record(p) for p in attendees],
                message_id=message_id(delivery.id, meeting.organizer_email),
            )
            writable(message)
        except (ValueError, UnicodeError, MessageError) as error:
            # The same row gives the same email at every attempt: retrying cannot help.
            raise PermanentDeliveryError(f"this email cannot be sent: {error}") from error
        transport.send(message, delivery.id)

    def post_webhook(delivery: Delivery) -> None:
        with db.read() as session:
            subscription = session.get(Webhook, delivery.payload["webhook_id"])
            secret = subscription.secret if subscription is not None else None
        if secret is None:
            raise PermanentDeliveryError("the webhook subscription was deleted")
        body = json.dumps({"id": delivery.id, **delivery.payload["body"]}).encode()
        webhook.post(
            http,
            delivery.payload["url"],
            body,
            secret,
            event=delivery.payload["event"],
            delivery_id=delivery.id,
        )

    def write_calendar(delivery: Delivery) -> None:
        payload = delivery.payload
        with db.read() as session:
            calendar = session.get(HostCalendar, payload["host_id"])
            if calendar is None or calendar.kind != "caldav":
                return  # the host disconnected its calendar: nothing to write to
            try:
                target = account(calendar, box)
            except SecretKeyError as error:
                raise PermanentDeliveryError(str(error)) from error
        try:
            if payload["action"] == "put":
                caldav_client.put_event(target, payload["ics"])
            else:
                caldav_client.delete_event(target, payload["uid"])
        except CalendarError as error:
            raise DeliveryError(str(error)) from error

    def send_sign_in(delivery: Delivery) -> None:
        payload = delivery.payload
        sender = sender_address()
        message = sign_in_email(
            sender=sender,
            to=payload["to"],
            name=payload["name"],
            org=payload["org"],
            url=payload["url"],
            sent_at=utcnow(),
            message_id=message_id(delivery.id, sender),
        )
        transport.send(message, delivery.id)

    return {
        "email": send_email,
        "webhook": post_webhook,
        "caldav": write_calendar,
        "sign_in": send_sign_in,
    }
