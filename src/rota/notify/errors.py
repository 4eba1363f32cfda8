"""How a delivery fails: for now (try again later) or for good."""

from __future__ import annotations


class DeliveryError(Exception):
    """A message could not be delivered this time; the worker retries it with backoff."""

    permanent = False


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help (a recipient refused with 5xx, a subscription deleted)."""

    permanent = True
