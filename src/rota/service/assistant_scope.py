"""What a member may ask the assistant (API.md, People): only about their own things.

An admin, or the API, may plan anything. A member of the team (one host) may hand over
their own bookings (to the next fair host), mark themselves out (with or without
handing their bookings over) and see their own agenda: what the Hub lets a member do.
Other people's time (who is free, finding a time, booking a meeting) is for admins,
as the Hub's Find a Time is. Anything else is refused in words, before a plan is made
and again when one is confirmed (a plan id is no permission).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rota import assistant

Holders = Callable[[str], Sequence[str]]
"""The hosts holding a booking, by its id (none when there is no such booking)."""


@dataclass(frozen=True, slots=True)
class Member:
    """A member who is the host `host_id`."""

    host_id: str

    def refusal(self, item: assistant.Action | assistant.Question, holders: Holders) -> str | None:
        """Why the member may not have `item` done or answered; None when they may."""
        own = self.host_id
        match item:
            case assistant.ReassignBooking(booking_id=booking_id, host_id=to):
                if own not in holders(booking_id):
                    return "You can hand over only your own bookings."
                if to is not None:
                    return "You can hand your bookings to the team, not to a person you name."
            case (
                assistant.ReassignHostBookings(host_id=host_id)
                | assistant.AddTimeOff(host_id=host_id)
            ):
                if host_id != own:
                    return "You can mark only yourself out."
            case assistant.CreateMeeting() | assistant.WhoIsFree() | assistant.FindATime():
                return "Only an admin can look at other people's time or book meetings."
            case assistant.Agenda(host_id=host_id):
                if host_id != own:
                    return "You can see only your own bookings."
            case assistant.CancelBooking() | assistant.RescheduleBooking():
                return "Only an admin can cancel or move a booking; hand it over instead."
            case assistant.HowIsTheDistribution():
                return "Only an admin can see how bookings are shared."
        return None
