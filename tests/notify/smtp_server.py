"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), optionally with STARTTLS."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rota.serving import free_port
from tests.notify import mailable
from tests.services import unavailable

USERNAME, PASSWORD = "rota", "s3cret"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    tls: bool

    @property
    def message(self) -> EmailMessage:
        mailable.check(self.data)  # every email the suite receives is a well-formed one
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0
    """Answer this many DATA commands with 451 (a server in trouble) before accepting."""
    delay: float = 0.0
    """Seconds to wait before accepting each message (to catch a worker mid-batch)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://{USERNAME}:{PASSWORD}@{self.host}:{self.port}"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            found = [r for r in self.received if address in r.recipients]
        return [r.message for r in found]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 Temporary failure, try again later"
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    envelope.content,
                    session.ssl is not None,
                )
            )
        return "250 OK"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USERNAME.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made in a few milliseconds (EC P-256)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    # Valid over years either side: OpenSSL checks it against the machine's own clock,
    # which a run with a pinned date (tests/conftest.py) does not move.
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=3 * 365))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def running_smtp(tls_folder: Path | None = None) -> Iterator[SmtpServer]:
    """An SMTP server; with ``tls_folder`` it offers STARTTLS and requires AUTH over it."""
    server = SmtpServer("127.0.0.1", free_port())
    options: dict[str, Any] = {}
    if tls_folder is not None:
        cert, key = self_signed(tls_folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        options = {
            "tls_context": context,
            "require_starttls": True,
            "auth_required": True,
            "authenticator": _authenticate,
        }
    controller = Controller(server, hostname=server.host, port=server.port, **options)
    try:
        controller.start()
    except Exception as error:
        unavailable(f"cannot start aiosmtpd on 127.0.0.1: {error}")
    try:
        yield server
    finally:
        controller.stop()
