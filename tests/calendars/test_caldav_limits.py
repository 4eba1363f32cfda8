"""Issue 13: what a host's CalDAV server answers is capped, as the API shows it."""

from __future__ import annotations

from rota import outbound
from tests.calendars.test_calendar_e2e import sync
from tests.notify.stack import Stack
from tests.test_outbound import answer, serving


def test_an_oversized_caldav_answer_is_a_short_last_error(stack: Stack) -> None:
    ada = stack.api.host("Ada")
    secret = b"SECRET-OF-THE-SERVER"
    huge = b"<?xml version='1.0'?><x>" + secret + b" " * outbound.MAX_RESPONSE_BYTES
    routes = {"/ada/calendar/": answer(huge, 207, Content_Type="application/xml")}
    with serving(routes) as server:
        response = stack.api.request(
            "PUT",
            f"/v1/hosts/{ada['id']}/calendar",
            json={
                "kind": "caldav",
                "url": f"{server.base}/ada/calendar/",
                "username": "ada",
                "password": "pw",
            },
        )
        assert response.status_code == 200, response.text
        synced = sync(stack, ada["id"])
    assert synced["last_error"] == "reading the CalDAV calendar: the answer is larger than 5 MB"
    assert server.hits == ["/ada/calendar/"]
