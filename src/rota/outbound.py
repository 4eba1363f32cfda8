"""Requests to URLs that users give rota: calendar feeds, CalDAV servers, webhooks.

Whoever may set such a URL must not be able to make the server reach what only
the server can reach (its own loopback, the private network, a cloud's metadata
service) nor make it hold a huge or endless answer. So:

- only ``http`` and ``https``;
- only public addresses, checked after DNS on every connection (so a redirect,
  which opens a new connection, is checked too, and a name that resolves to a
  public address when the URL is saved and to a private one later is caught).
  The connection goes to the very address that was checked, so DNS cannot
  answer differently between the check and the connect (rebinding). A host
  written as a number in any of the old forms (``2130706433``, ``0177.0.0.1``,
  ``0x7f.1``) is read by the resolver as the address it names and refused as such;
- a cap on the size of an answer and on the time a whole request may take,
  however slowly the other side drips its bytes: every connect, read and write
  of the socket waits at most what is left of the request's total time (an
  answer's status line and headers dripped one byte every few seconds are cut
  off too, not only its body);
- errors said in a short sentence, never with what the other side answered.

``ROTA_ALLOW_PRIVATE_URLS=1`` lifts the address rule, for development and for
tests that run their servers on loopback. Proxies from the environment are not
used: a proxy would make the address checked here not the one reached.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

ALLOW_PRIVATE_ENV = "ROTA_ALLOW_PRIVATE_URLS"
SCHEMES = ("http", "https")
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
"""The largest answer read (a calendar feed of a few years of a busy host is ~1 MB)."""
TOTAL_SECONDS = 30.0
"""The longest a request may take, redirects and reading the answer included."""
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(10.0)
"""Each step (connect, each read, each write); `TOTAL_SECONDS` bounds their sum."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundError(Exception):
    """A request to a user's URL failed; the message says why in a few words."""


class UrlNotAllowed(OutboundError):
    """The URL is not one rota may reach: not http(s), or not a public address."""


def private_allowed(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(ALLOW_PRIVATE_ENV) == "1"


def _embedded(address: IPAddress) -> Iterable[IPAddress]:
    """The IPv4 addresses an IPv6 address carries to (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            yield address.ipv4_mapped
        if address.sixtofour is not None:
            yield address.sixtofour
        if address.teredo is not None:
            yield address.teredo[1]
        if address in _NAT64:
            yield ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def is_public(address: IPAddress) -> bool:
    """Reachable on the internet: not loopback, private, shared (CGNAT), link-local
    (cloud metadata lives there), unspecified, multicast, reserved or documentation."""
    if not address.is_global or address.is_multicast or address.is_reserved:
        return False
    return all(is_public(inner) for inner in _embedded(address))


def check_address(text: str) -> None:
    """Refuse ``text`` (an address as the resolver gives it) unless it is public."""
    address = ipaddress.ip_address(text.split("%", 1)[0])
    if not is_public(address):
        raise UrlNotAllowed(f"{address} is not a public address")


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` names, in the resolver's order."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OutboundError(f"the name {host} does not resolve") from error
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _parts(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise UrlNotAllowed("only http:// and https:// URLs are allowed")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UrlNotAllowed("the URL has an invalid port") from error
    if not parts.hostname:
        raise UrlNotAllowed("the URL names no host")
    return parts.hostname, port


def check_url(url: str, *, environ: Mapping[str, str] | None = None) -> None:
    """Refuse a URL rota may not reach, as the resolver answers now.

    For a URL being saved: a name that does not resolve (yet) is let through,
    since every request checks again; one that resolves to any non-public
    address is refused.
    """
    host, port = _parts(url)
    if private_allowed(environ):
        return
    if ":" in host:  # an IPv6 literal, maybe with a zone the resolver would not take
        check_address(host)
    try:
        addresses = resolve(host, port)
    except UrlNotAllowed:
        raise
    except OutboundError:
        return
    for address in addresses:
        check_address(address)


def check_reachable(url: str, *, environ: Mapping[str, str] | None = None) -> None:
    """Like `check_url`, for a request about to be made: a name that does not
    resolve is an `OutboundError` too."""
    host, port = _parts(url)
    if private_allowed(environ):
        return
    for address in resolve(host, port):
        check_address(address)


class _TcpOnly(httpcore.NetworkBackend):
    """A backend over another (`_inner`) that opens TCP connections only."""

    _inner: httpcore.NetworkBackend

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise UrlNotAllowed("unix sockets are not reachable")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _PublicOnly(_TcpOnly):
    """Opens TCP connections only to public addresses, to the address it checked."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve(host, port)
        for address in addresses:
            check_address(address)
        failure: Exception | None = None
        for address in addresses:
            try:
                # TLS still verifies the certificate against the URL's host name:
                # httpcore takes the name for SNI from the request, not from here.
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:
                failure = error
        assert failure is not None
        raise failure


_deadline: ContextVar[float | None] = ContextVar("rota_outbound_deadline", default=None)
"""When the request being made on this thread must be over (`time.monotonic`)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound every socket operation of `client`'s requests made inside to ``seconds`` in all.

    Inside another deadline, the earlier of the two holds: an operation of several
    requests (a CalDAV write: find the event, then put it) bounds them all together,
    and each request its own share as well.
    """
    end = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(end, outer))
    try:
        yield
    finally:
        _deadline.reset(token)


def _within(timeout: float | None, late: type[Exception]) -> float | None:
    """``timeout`` cut to what is left before the deadline; ``late`` once none is."""
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise late("the total time of the request ran out")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _within(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Deadline(_TcpOnly):
    """Wraps each connection in `_DeadlineStream`; connecting is bounded the same way."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _within(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, wait, local_address, socket_options)
        return _DeadlineStream(stream)


def client(*, environ: Mapping[str, str] | None = None) -> httpx.Client:
    """An HTTP client that reaches public addresses only (unless allowed otherwise).

    Use it with `request`, which adds the size and time caps.
    """
    transport = httpx.HTTPTransport(retries=0)
    inner = httpcore.SyncBackend() if private_allowed(environ) else _PublicOnly()
    # httpx has no public way to choose httpcore's network backend (nor a total
    # timeout, only one per socket operation); the pool reads this attribute for
    # every new connection.
    transport._pool._network_backend = _Deadline(inner)
    return httpx.Client(transport=transport, timeout=TIMEOUT, trust_env=False)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    headers: httpx.Headers = field(default_factory=httpx.Headers)


def request(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = False,
    max_bytes: int = MAX_RESPONSE_BYTES,
    read_body: bool = True,
    total_seconds: float = TOTAL_SECONDS,
    auth: httpx.Auth | None = None,
) -> Answer:
    """One request with its redirects, its answer capped in size and the whole in time.

    Redirects are followed one by one here (at most `MAX_REDIRECTS`), each
    target checked like the first URL; without ``follow_redirects`` a redirect is
    answered as it came. ``read_body=False`` leaves the body unread (a webhook's
    answer says nothing but its status). ``auth`` answers the server's challenges
    (a CalDAV server's Basic or Digest).
    """
    with deadline(total_seconds):
        return _request(
            http,
            http.build_request(method, url, content=content, headers=headers),
            follow_redirects=follow_redirects,
            max_bytes=max_bytes,
            read_body=read_body,
            until=time.monotonic() + total_seconds,
            auth=auth,
        )


def _request(
    http: httpx.Client,
    first: httpx.Request,
    *,
    auth: httpx.Auth | None,
    follow_redirects: bool,
    max_bytes: int,
    read_body: bool,
    until: float,
) -> Answer:
    next_request: httpx.Request | None = first
    for _ in range(MAX_REDIRECTS + 1):
        assert next_request is not None
        _parts(str(next_request.url))
        if time.monotonic() > until:
            raise OutboundError("no answer in time")
        try:
            # Credentials go to the first URL's origin only, never where it redirects.
            same_origin = (next_request.url.scheme, next_request.url.netloc) == (
                first.url.scheme,
                first.url.netloc,
            )
            response = http.send(
                next_request,
                stream=True,
                follow_redirects=False,
                auth=auth if same_origin else None,
            )
        except httpx.TimeoutException as error:
            raise OutboundError("no answer in time") from error
        except httpx.HTTPError as error:
            raise OutboundError(_network_error(error)) from error
        try:
            if follow_redirects and response.is_redirect and response.next_request is not None:
                next_request = response.next_request
                continue
            body = _read(response, max_bytes, until) if read_body else b""
            return Answer(response.status_code, body, response.headers)
        finally:
            response.close()
    raise OutboundError(f"more than {MAX_REDIRECTS} redirects")


def _read(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise OutboundError(f"the answer is larger than {_size(max_bytes)}")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise OutboundError(f"the answer is larger than {_size(max_bytes)}")
            if time.monotonic() > deadline:
                raise OutboundError("the answer took too long")
            chunks.append(chunk)
    except httpx.TimeoutException as error:
        raise OutboundError("the answer took too long") from error
    except httpx.HTTPError as error:
        raise OutboundError(_network_error(error)) from error
    return b"".join(chunks)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"


def _network_error(error: httpx.HTTPError) -> str:
    # httpx's messages name the failure (refused, reset, TLS); they hold no answer body.
    text = " ".join(str(error).split())[:120]
    return text or type(error).__name__
