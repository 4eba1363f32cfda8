"""What a reassign would do, said before it is done (the booking's Hub page asks to
confirm it): who takes the booking instead of whom, and who is emailed what. The
emails are those `rota.notify.messages` queues for a reassignment: the host leaving
gets a cancellation, every participant the updated invitation (for the new host, its
first)."""

from __future__ import annotations

from dataclasses import dataclass

from rota.service import reassign_options
from rota.store.tables import Booking


@dataclass(frozen=True, slots=True)
class Preview:
    """What a reassign would do, shown before it is done."""

    to_host: str
    """The choice as the form gives it: ``auto`` or a host's id."""
    leaving: str
    joining: str | None
    """Who would take the booking; None: nobody can, `refusal` says why."""
    refusal: str | None
    told: list[tuple[str, str]]
    """Who is sent what, in order: (person, what they are sent)."""


def preview(
    booking: Booking, options: reassign_options.Options, to_host: str, names: dict[str, str]
) -> Preview:
    """What reassigning `booking` to `to_host` (``auto`` or a host's id) would do now,
    from the choices `options` lists; `names` are the hosts' names."""
    leaving = options.leaving_host_id or booking.host_ids[0]
    chosen = {c.host_id: c for c in options.candidates if not c.on_booking}
    refusal = None
    if to_host == "auto":
        joining = options.next_fair_host_id
        if joining is None and any(c.at_daily_cap for c in chosen.values()):
            refusal = (
                "The next fair host must be under the daily cap, and nobody free is:"
                " choose a host yourself."
            )
        elif joining is None:
            refusal = "Nobody else in the pool is free at the booking's time."
    elif to_host not in chosen:
        joining, refusal = None, "Choose a host of this booking type's pool who is not on it."
    elif not chosen[to_host].free:
        joining = None
        why = chosen[to_host].why_busy
        refusal = f"{names.get(to_host, to_host)} is not free at the booking's time ({why})."
    else:
        joining = to_host
    told: list[tuple[str, str]] = []
    if joining is not None:
        told.append((names.get(leaving, leaving), "a cancellation"))
        told.append((names.get(joining, joining), "an invitation"))
        told += [
            (names.get(h, h), "the updated invitation") for h in booking.host_ids if h != leaving
        ]
        attendee = f"{booking.attendee_name} <{booking.attendee_email}> (the attendee)"
        told.append((attendee, "the updated invitation, naming the new host"))
    return Preview(to_host, leaving, joining, refusal, told)
