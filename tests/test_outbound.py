"""The outbound URL policy: what rota reaches on its users' behalf, and how much of it."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from urllib.parse import urlsplit

import httpx
import pytest

from rota import outbound
from rota.calendars import caldav_client, ics
from rota.calendars.caldav_client import CalDavAccount
from rota.calendars.ics import CalendarError
from rota.notify import webhook
from rota.notify.errors import DeliveryError

ALLOWED = {outbound.ALLOW_PRIVATE_ENV: "1"}
FEED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a\r\n"
    b"DTSTAMP:20260101T000000Z\r\nDTSTART:20261202T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Server:
    base: str
    hits: list[str] = field(default_factory=list)


@contextmanager
def serving(routes: dict[str, Route], host: str = "127.0.0.1", port: int = 0) -> Iterator[Server]:
    """An HTTP server on loopback answering ``routes`` by path (404 otherwise)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self) -> None:
            hits.append(self.path)
            route = routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "9")
                self.end_headers()
                self.wfile.write(b"not found")
                return
            route(self)

        do_GET = do_POST = do_PUT = do_PROPFIND = do_REPORT = handle_one

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Server(f"http://{host}:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()


def answer(body: bytes, status: int = 200, **headers: str) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


def endless(chunk: bytes, pause: float = 0.0) -> Route:
    """An answer with no length that never ends: the connection close would end it."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            while True:
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(pause)
        except OSError:
            return  # the client hung up, as it should

    return route


@pytest.fixture(autouse=True)
def no_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(outbound.ALLOW_PRIVATE_ENV, raising=False)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # shared address space (carrier NAT)
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:a00:1::",  # 6to4 of 10.0.0.1
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    with pytest.raises(outbound.UrlNotAllowed, match="not a public address"):
        outbound.check_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address: str) -> None:
    outbound.check_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/x",  # refused after DNS, not by its name
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1/",  # hex, short form
        "http://127.1/",
        "http://[::1]:80/",
        "http://[::ffff:7f00:1]/",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://files.example/a.ics",
        "file:///etc/passwd",
        "gopher://x.example/",
        "http:///no-host",
    ],
)
def test_urls_the_server_may_not_reach(url: str) -> None:
    with pytest.raises(outbound.UrlNotAllowed):
        outbound.check_url(url)


def test_the_switch_lifts_the_address_rule_but_not_the_scheme_rule() -> None:
    outbound.check_url("http://127.0.0.1:8080/", environ=ALLOWED)
    with pytest.raises(outbound.UrlNotAllowed):
        outbound.check_url("file:///etc/passwd", environ=ALLOWED)


def test_a_name_that_does_not_resolve_yet_may_be_saved_but_not_fetched() -> None:
    outbound.check_url("https://calendar.invalid/a.ics")
    with pytest.raises(outbound.OutboundError, match="does not resolve"):
        outbound.check_reachable("https://calendar.invalid/a.ics")


def test_a_loopback_server_is_refused_without_the_switch_and_reached_with_it() -> None:
    with serving({"/feed.ics": answer(FEED)}) as server:
        url = f"{server.base}/feed.ics"
        with outbound.client(environ={}) as http, pytest.raises(CalendarError) as refused:
            ics.fetch(http, url)
        assert "127.0.0.1 is not a public address" in str(refused.value)
        assert server.hits == []

        with outbound.client(environ=ALLOWED) as http:
            assert ics.fetch(http, url).walk("VEVENT")[0]["UID"] == "a"
        assert server.hits == ["/feed.ics"]


def test_a_redirect_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 stands for a public feed here; 127.0.0.2 for the loopback it points to."""
    real = outbound.is_public
    monkeypatch.setattr(
        outbound, "is_public", lambda address: str(address) == "127.0.0.1" or real(address)
    )
    with serving({"/secret": answer(b"secret")}, host="127.0.0.2") as inside:
        routes = {"/feed.ics": answer(b"", 302, Location=f"{inside.base}/secret")}
        with serving(routes) as public, outbound.client(environ={}) as http:
            with pytest.raises(CalendarError, match=r"127\.0\.0\.2 is not a public address"):
                ics.fetch(http, f"{public.base}/feed.ics")
            assert public.hits == ["/feed.ics"]
    assert inside.hits == []


def test_redirects_are_followed_within_the_policy() -> None:
    routes = {"/old.ics": answer(b"", 301, Location="/feed.ics"), "/feed.ics": answer(FEED)}
    with serving(routes) as server, outbound.client(environ=ALLOWED) as http:
        ics.fetch(http, f"{server.base}/old.ics")
        assert server.hits == ["/old.ics", "/feed.ics"]


def test_a_redirect_loop_ends() -> None:
    with (
        serving({"/a": answer(b"", 302, Location="/a")}) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(CalendarError) as failed,
    ):
        ics.fetch(http, f"{server.base}/a")
    assert "redirects" in str(failed.value)
    assert len(server.hits) == outbound.MAX_REDIRECTS + 1


def test_a_huge_feed_is_cut_off_with_a_short_error() -> None:
    with (
        serving({"/huge.ics": endless(b"X" * 65536)}) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(CalendarError) as failed,
    ):
        ics.fetch(http, f"{server.base}/huge.ics")
    assert str(failed.value) == "fetching the feed: the answer is larger than 5 MB"


def test_a_feed_announcing_a_huge_length_is_not_read() -> None:
    big = {"/big.ics": lambda handler: _claims_length(handler, 10**9)}
    with (
        serving(big) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(CalendarError, match="larger than 5 MB"),
    ):
        ics.fetch(http, f"{server.base}/big.ics")


def _claims_length(handler: BaseHTTPRequestHandler, length: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(length))
    handler.end_headers()
    handler.wfile.write(b"BEGIN:VCALENDAR\r\n")


def test_a_dripping_answer_is_cut_off_at_the_total_time() -> None:
    """One byte at a time, each well within the read timeout, never finishing."""
    with (
        serving({"/slow": endless(b"x", pause=0.05)}) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(outbound.OutboundError) as f,
    ):
        outbound.request(http, "GET", f"{server.base}/slow", total_seconds=0.5)
    assert str(f.value) == "the answer took too long"


def dripping_headers(pause: float, lasting: float = 8.0) -> Route:
    """A status line and headers one byte every ``pause`` seconds, each read well within
    the per-read timeout, for ``lasting`` seconds (then the connection ends)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        given_up = time.monotonic() + lasting
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                if time.monotonic() > given_up:
                    break
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(pause)
        except OSError:
            return
        handler.close_connection = True

    return route


def test_headers_dripped_a_byte_at_a_time_are_cut_off_at_the_total_time() -> None:
    """What stalled the worker: an answer whose headers never end, one byte every few
    seconds, each read well within the per-read timeout."""
    with (
        serving({"/hooks": dripping_headers(pause=0.2)}) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(outbound.OutboundError) as f,
    ):
        began = time.monotonic()
        outbound.request(http, "POST", f"{server.base}/hooks", content=b"{}", total_seconds=1)
    assert time.monotonic() - began < 4  # the receiver would have gone on for 8 s
    assert str(f.value) == "no answer in time"


def test_a_webhook_receiver_dripping_its_answer_fails_the_delivery_in_time() -> None:
    with (
        serving({"/hooks": dripping_headers(pause=0.2)}) as server,
        outbound.client(environ=ALLOWED) as http,
        pytest.raises(DeliveryError) as f,
    ):
        began = time.monotonic()
        webhook.post(
            http, f"{server.base}/hooks", b"{}", "s", event="e", delivery_id="d", total_seconds=1
        )
    assert time.monotonic() - began < 4
    assert not f.value.permanent
    assert str(f.value) == "POST: no answer in time"


def test_a_caldav_write_to_a_dripping_server_is_given_up_at_the_total_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    monkeypatch.setattr(caldav_client, "TOTAL_SECONDS", 1.0)
    drip = dripping_headers(pause=0.2)
    with serving({"/ada/calendar/": drip, "/ada/calendar/a.ics": drip}) as server:
        account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
        began = time.monotonic()
        with pytest.raises(CalendarError) as f:
            caldav_client.put_event(account, FEED.decode())
        assert time.monotonic() - began < 4  # the server would have gone on for 8 s
    assert str(f.value) == "writing to the CalDAV calendar: no answer in time"


def test_errors_never_carry_what_the_server_answered() -> None:
    secret = b"root:SECRET-FROM-AN-INTERNAL-SERVICE"
    routes = {"/html": answer(b"<html>" + secret + b"</html>"), "/gone": answer(secret, 500)}
    with serving(routes) as server, outbound.client(environ=ALLOWED) as http:
        with pytest.raises(CalendarError) as not_a_feed:
            ics.fetch(http, f"{server.base}/html")
        with pytest.raises(CalendarError) as failed:
            ics.fetch(http, f"{server.base}/gone")
    assert str(not_a_feed.value) == "the answer is not an iCalendar feed"
    assert str(failed.value) == "fetching the feed: HTTP 500"


def test_a_webhook_to_loopback_is_refused_for_good() -> None:
    with (
        serving({"/hooks": answer(b"")}) as server,
        outbound.client(environ={}) as http,
        pytest.raises(DeliveryError) as refused,
    ):
        webhook.post(http, f"{server.base}/hooks", b"{}", "s", event="e", delivery_id="d")
    assert refused.value.permanent
    assert str(refused.value) == "POST: 127.0.0.1 is not a public address"
    assert server.hits == []


def test_a_webhook_answer_is_not_read() -> None:
    with (
        serving({"/hooks": endless(b"x" * 65536)}) as server,
        outbound.client(environ=ALLOWED) as http,
    ):
        webhook.post(http, f"{server.base}/hooks", b"{}", "s", event="e", delivery_id="d")
    assert server.hits == ["/hooks"]


def test_caldav_on_loopback_is_refused_without_the_switch() -> None:
    with serving({}) as server:
        account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
        with pytest.raises(CalendarError, match=r"127\.0\.0\.1 is not a public address"):
            caldav_client.read_busy(account, 0, 86_400, timezone="UTC")
    assert server.hits == []


def test_caldav_does_not_follow_a_redirect(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    with serving({}, host="127.0.0.2") as inside:
        moved = answer(b"", 301, Location=f"{inside.base}/x/")
        with serving({"/ada/calendar/": moved}) as server:
            account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
            with pytest.raises(CalendarError) as failed:
                caldav_client.read_busy(account, 0, 86_400, timezone="UTC")
    assert inside.hits == []
    assert "\n" not in str(failed.value)


def test_the_outbound_client_ignores_proxies_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    with serving({"/feed.ics": answer(FEED)}) as server, outbound.client(environ=ALLOWED) as http:
        assert outbound.request(http, "GET", f"{server.base}/feed.ics").status == 200
    assert isinstance(http, httpx.Client)


# CalDAV goes through the same policy: the address checked is the address reached, no
# answer is read past the cap, no redirect is followed.

CALDAV_OPERATIONS: dict[str, Callable[[CalDavAccount], object]] = {
    "read": lambda account: caldav_client.read_busy(account, 0, 86_400, timezone="UTC"),
    "write": lambda account: caldav_client.put_event(account, FEED.decode()),
    "delete": lambda account: caldav_client.delete_event(account, "a"),
}
CALDAV_VERBS = {"read": "reading", "write": "writing to", "delete": "deleting from"}


def loopback_one_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 stands for a public server in these tests; 127.0.0.2 for the loopback
    (or private network) behind it."""
    real = outbound.is_public
    monkeypatch.setattr(
        outbound, "is_public", lambda address: str(address) == "127.0.0.1" or real(address)
    )


def resolving(monkeypatch: pytest.MonkeyPatch, name: str, *answers: str) -> list[str]:
    """``name`` resolves to each of ``answers`` in turn, then to the last one for good."""
    real = socket.getaddrinfo
    given: list[str] = []

    def getaddrinfo(host: object, port: object, *args: object, **kwargs: object) -> object:
        if host != name:
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        address = answers[min(len(given), len(answers) - 1)]
        given.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(str(port))))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


@pytest.mark.parametrize("operation", sorted(CALDAV_OPERATIONS))
def test_caldav_connects_to_the_address_it_checked(
    operation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that resolves to loopback is refused without the switch, however it is
    timed (DNS rebinding): here it resolves to a public address at first and to
    loopback a moment later. Each connection goes to the address its own lookup
    checked, so the loopback server behind the name is never reached, reading or
    writing back. (A name resolving to loopback from the start was refused before
    the connection was pinned, too.)"""
    loopback_one_is_public(monkeypatch)
    with serving({}) as public:
        port = urlsplit(public.base).port
        assert port is not None
        with serving({}, host="127.0.0.2", port=port) as inside:
            lookups = resolving(monkeypatch, "calendar.example", "127.0.0.1", "127.0.0.2")
            account = CalDavAccount(f"http://calendar.example:{port}/ada/calendar/", "ada", "pw")
            try:  # the public server knows no calendar there (a delete finds nothing to do)
                CALDAV_OPERATIONS[operation](account)
            except CalendarError as failed:
                assert "\n" not in str(failed)
    assert inside.hits == []
    assert public.hits == ["/ada/calendar/"]
    assert lookups[0] == "127.0.0.1"


@pytest.mark.parametrize("operation", sorted(CALDAV_OPERATIONS))
def test_a_caldav_redirect_to_a_private_address_is_refused(
    operation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback_one_is_public(monkeypatch)
    with serving({}, host="127.0.0.2") as inside:
        moved = answer(b"", 301, Location=f"{inside.base}/ada/calendar/")
        with serving({"/ada/calendar/": moved}) as server:
            account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
            with pytest.raises(CalendarError) as refused:
                CALDAV_OPERATIONS[operation](account)
    assert inside.hits == []
    assert str(refused.value) == (
        f"{CALDAV_VERBS[operation]} the CalDAV calendar: the server answered with a "
        "redirect (HTTP 301); give the calendar's own URL"
    )


def close_delimited(body: bytes) -> Route:
    """An answer with no length: it ends when the connection closes."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        # Read the request first: a socket closed with unread input is reset, not ended.
        handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        handler.send_response(207)
        handler.send_header("Content-Type", "application/xml")
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:
            return  # the client hung up, as it should

    return route


@pytest.mark.parametrize("announced", [True, False], ids=["with-length", "without-length"])
def test_an_oversized_caldav_answer_is_cut_off_with_a_short_error(
    announced: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    big = b"<?xml version='1.0'?>" + b" " * outbound.MAX_RESPONSE_BYTES
    route = answer(big, 207, Content_Type="application/xml") if announced else close_delimited(big)
    with serving({"/ada/calendar/": route}) as server:
        account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
        with pytest.raises(CalendarError) as failed:
            caldav_client.read_busy(account, 0, 86_400, timezone="UTC")
    assert str(failed.value) == "reading the CalDAV calendar: the answer is larger than 5 MB"


MULTISTATUS = (
    b'<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    b"<response><href>/ada/calendar/</href><propstat><prop><resourcetype><collection/>"
    b"<C:calendar/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat>"
    b"</response></multistatus>"
)
EMPTY_MULTISTATUS = b'<?xml version="1.0"?><multistatus xmlns="DAV:"/>'


def digest_calendar(seen: list[str]) -> Route:
    """A calendar that asks for Digest authentication and holds no event."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        given = handler.headers.get("Authorization", "")
        seen.append(given.split(" ", 1)[0])
        if not given.startswith('Digest username="ada"'):
            challenge = 'Digest realm="cal", nonce="abc", qop="auth", algorithm=MD5'
            answer(b"", 401, WWW_Authenticate=challenge)(handler)
            return
        body = MULTISTATUS if handler.command == "PROPFIND" else EMPTY_MULTISTATUS
        answer(body, 207, Content_Type="application/xml")(handler)

    return route


def test_a_caldav_server_asking_for_digest_is_answered_with_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    seen: list[str] = []
    with serving({"/ada/calendar/": digest_calendar(seen)}) as server:
        account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
        assert caldav_client.read_busy(account, 0, 86_400, timezone="UTC") == []
    assert "Digest" in seen and "Basic" not in seen


def test_credentials_do_not_follow_a_redirect_to_another_server() -> None:
    given: list[str | None] = []

    def record(handler: BaseHTTPRequestHandler) -> None:
        given.append(handler.headers.get("Authorization"))
        answer(FEED)(handler)

    with serving({"/feed.ics": record}, host="127.0.0.2") as other:
        routes = {
            "/old.ics": answer(b"", 302, Location="/feed.ics"),
            "/feed.ics": record,
            "/away.ics": answer(b"", 302, Location=f"{other.base}/feed.ics"),
        }
        with serving(routes) as server, outbound.client(environ=ALLOWED) as http:
            auth = httpx.BasicAuth("ada", "pw")
            for path in ("/old.ics", "/away.ics"):
                outbound.request(
                    http, "GET", f"{server.base}{path}", follow_redirects=True, auth=auth
                )
    assert given[0] is not None and given[0].startswith("Basic ")  # same server
    assert given[1] is None  # another one


def test_a_caldav_answer_that_is_not_xml_is_a_short_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(outbound.ALLOW_PRIVATE_ENV, "1")
    page = answer(b"<html><p>SECRET-OF-THE-SERVER", 207, Content_Type="text/xml")
    with serving({"/ada/calendar/": page}) as server:
        account = CalDavAccount(f"{server.base}/ada/calendar/", "ada", "pw")
        with pytest.raises(CalendarError) as failed:
            caldav_client.read_busy(account, 0, 86_400, timezone="UTC")
    assert str(failed.value).startswith("reading the CalDAV calendar: ")
    assert "SECRET" not in str(failed.value) and "\n" not in str(failed.value)
