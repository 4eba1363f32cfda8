"""Telling the outside world: iTIP invites by email, webhooks, the outbox and its worker."""

from rota.notify.errors import DeliveryError, PermanentDeliveryError
from rota.notify.invite import Meeting, Method, Person, booking_uid, is_booking_uid
from rota.notify.outbox import Delivery, SqlOutbox
from rota.notify.worker import Backoff, Periodic, Worker

__all__ = [
    "Backoff",
    "Delivery",
    "DeliveryError",
    "Meeting",
    "Method",
    "Periodic",
    "PermanentDeliveryError",
    "Person",
    "SqlOutbox",
    "Worker",
    "booking_uid",
    "is_booking_uid",
]
