"""Where emails go: an SMTP server, or .eml files in a local folder.

``ROTA_SMTP_URL`` (``smtp://user:pass@host:port``) selects SMTP: the
connection is upgraded with STARTTLS whenever the server offers it, and
``smtps://`` speaks TLS from the first byte. Without it, every message is
written as an ``.eml`` file in ``ROTA_OUTBOX_DIR`` (default ``./outbox``),
which any mail client opens: the embedded default needs no mail server.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from rota.notify.errors import DeliveryError, PermanentDeliveryError

DEFAULT_OUTBOX_DIR = "outbox"


class MailTransport(Protocol):
    def send(self, message: EmailMessage, name: str) -> None:
        """Deliver ``message`` to its To/Cc recipients.

        ``name`` identifies the message across retries (the outbox row), so
        a transport that can make a repeat harmless does.
        """


def writable(message: EmailMessage) -> None:
    """Raises ValueError (or UnicodeError) unless ``message`` can be put on the wire: its
    bytes as SMTP carries them, and an envelope of plain ASCII addresses."""
    message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    sender, recipients = envelope(message)
    for address in (sender, *recipients):
        if not address.isascii() or "@" not in address:
            raise ValueError(f"{address!r} is not an address mail can be sent to")


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The SMTP envelope sender and recipients of a message, from its headers."""
    sender = message["From"].addresses[0].addr_spec
    recipients = [
        address.addr_spec
        for header in ("To", "Cc")
        if message[header] is not None
        for address in message[header].addresses
    ]
    return sender, recipients


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False


def parse_smtp_url(url: str) -> SmtpSettings:
    """``smtp://user:pass@host:port`` (user and password percent-encoded) or ``smtps://...``."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("ROTA_SMTP_URL must look like smtp://user:pass@host:port")
    implicit_tls = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit_tls,
    )


def _smtp_error(error: smtplib.SMTPException) -> DeliveryError:
    """5xx answers are final (RFC 5321 4.2.1); anything else may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        final = bool(codes) and all(code >= 500 for code in codes)
    else:
        code = getattr(error, "smtp_code", 0)
        final = isinstance(code, int) and code >= 500
    kind = PermanentDeliveryError if final else DeliveryError
    return kind(f"SMTP: {error}")


class SmtpTransport:
    def __init__(
        self,
        settings: SmtpSettings,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.settings = settings
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.implicit_tls:
            return smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=self.ssl_context)
        return smtplib.SMTP(s.host, s.port, timeout=self.timeout)

    def send(self, message: EmailMessage, name: str) -> None:
        sender, recipients = envelope(message)
        data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        try:
            with self._connect() as smtp:
                smtp.ehlo()
                if not self.settings.implicit_tls and smtp.has_extn("starttls"):
                    smtp.starttls(context=self.ssl_context)
                    smtp.ehlo()
                if self.settings.username:
                    smtp.login(self.settings.username, self.settings.password or "")
                refused = smtp.sendmail(sender, recipients, data)
        except smtplib.SMTPException as error:
            raise _smtp_error(error) from error
        except (OSError, ssl.SSLError) as error:
            raise DeliveryError(
                f"SMTP {self.settings.host}:{self.settings.port}: {error}"
            ) from error
        if refused:
            # Some recipients took it: resending would duplicate theirs, so this is final.
            raise PermanentDeliveryError(f"SMTP refused {sorted(refused)}")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FolderTransport:
    """Writes each message to ``<folder>/<name>.eml``; a retry overwrites the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage, name: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{_UNSAFE.sub('_', name)}.eml"
            # Write aside, then rename: a reader never sees half a message.
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".part", delete=False) as file:
                file.write(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
            os.replace(file.name, target)
        except OSError as error:
            raise DeliveryError(f"outbox folder {self.folder}: {error}") from error


def transport_from_env(environ: Mapping[str, str] | None = None) -> SmtpTransport | FolderTransport:
    env = os.environ if environ is None else environ
    url = env.get("ROTA_SMTP_URL")
    if url:
        return SmtpTransport(parse_smtp_url(url))
    return FolderTransport(Path(env.get("ROTA_OUTBOX_DIR", DEFAULT_OUTBOX_DIR)).resolve())


def describe(transport: SmtpTransport | FolderTransport) -> str:
    """A line for the server's startup banner: where the emails go."""
    if isinstance(transport, SmtpTransport):
        return f"emails via SMTP {transport.settings.host}:{transport.settings.port}"
    return f"emails written as .eml files to {transport.folder}"
