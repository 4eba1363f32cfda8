"""Who may do what in the Booking Hub: the dependencies every Hub page and action
declares, checked on the server whatever the page shows.

An admin (an admin user, or anyone signed in with an API key) does everything. A
member is one host of the team: they see the bookings of the booking types whose
pool they are in (`rota.service.visibility`), change only their own schedule
(`own_host`), and have their own pages (`as_host`). Anything else raises
`Forbidden`, answered with a 403 page that shows none of the data asked for.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from rota.web.hub_auth import Hub, SignedIn
from rota.web.templating import problem


class Forbidden(Exception):
    """The signed-in person may not see or do this: answered with a 403 page that
    shows none of the data asked for."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


ADMINS_ONLY = "Only an admin of the organization can open this page or do this."


def admin(hub: SignedIn) -> Hub:
    """The dependency of the pages and actions only admins have: settings, hosts, users,
    API keys, and changing anyone's bookings."""
    if not hub.is_admin:
        raise Forbidden(ADMINS_ONLY)
    return hub


Admin = Annotated[Hub, Depends(admin)]


def own_host(hub: SignedIn, host_id: str) -> Hub:
    """The dependency of the actions on one host's schedule (``/hub/hosts/{host_id}/...``:
    hours, time off, calendar): an admin's on any host, a member's on their own only."""
    if not hub.is_admin and hub.host_id != host_id:
        raise Forbidden("You can change only your own schedule.")
    return hub


OwnHost = Annotated[Hub, Depends(own_host)]


def as_host(hub: SignedIn) -> Hub:
    """The dependency of one's own pages (My schedule, My bookings, I'm out): the
    signed-in person must be a host of the team, and those pages only ever use
    `Hub.host_id`, never a host named in the request."""
    if hub.host_id is None:
        raise Forbidden(
            "Your sign-in is not tied to a host of the team, so you have no schedule or "
            "bookings of your own. An admin can tie your user to a host."
        )
    return hub


AsHost = Annotated[Hub, Depends(as_host)]


def refuse_forbidden(request: Request, exc: Exception) -> Response:
    message = exc.message if isinstance(exc, Forbidden) else ADMINS_ONLY
    return problem(
        request,
        403,
        "Not allowed",
        message,
        link="/hub/bookings",
        link_text="Back to the bookings",
    )
