from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from rota.notify.email import from_bytes, invitation
from rota.notify.errors import DeliveryError
from rota.notify.invite import Method
from rota.notify.transport import (
    FolderTransport,
    SmtpSettings,
    SmtpTransport,
    envelope,
    parse_smtp_url,
    transport_from_env,
)
from rota.serving import free_port
from tests.notify.meetings import GRACE, meeting
from tests.notify.smtp_server import SmtpServer


def test_parse_smtp_url() -> None:
    assert parse_smtp_url("smtp://user%40x:p%3Ass@mail.example:587") == SmtpSettings(
        "mail.example", 587, "user@x", "p:ss"
    )
    assert parse_smtp_url("smtps://mail.example") == SmtpSettings(
        "mail.example", 465, implicit_tls=True
    )
    assert parse_smtp_url("smtp://127.0.0.1").port == 25
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example")


def test_env_picks_smtp_or_the_folder(tmp_path: Path) -> None:
    smtp = transport_from_env({"ROTA_SMTP_URL": "smtp://127.0.0.1:2525"})
    assert isinstance(smtp, SmtpTransport) and smtp.settings.port == 2525
    folder = transport_from_env({"ROTA_OUTBOX_DIR": str(tmp_path / "mail")})
    assert isinstance(folder, FolderTransport) and folder.folder == tmp_path / "mail"


def test_smtp_delivers_an_invitation(smtp_server: SmtpServer) -> None:
    message = invitation(meeting(), Method.REQUEST, GRACE)
    SmtpTransport(parse_smtp_url(f"smtp://{smtp_server.host}:{smtp_server.port}")).send(
        message, "ob_1"
    )
    [received] = smtp_server.received
    assert received.sender == "bookings@acme.example"
    assert received.recipients == [GRACE.email]
    assert received.message["Message-ID"] == message["Message-ID"]
    assert not received.tls


def test_smtp_upgrades_with_starttls_and_logs_in(
    smtp_tls_server: SmtpServer, tmp_path: Path
) -> None:
    context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    transport = SmtpTransport(parse_smtp_url(smtp_tls_server.url), ssl_context=context)
    transport.send(invitation(meeting(), Method.REQUEST, GRACE), "ob_1")
    [received] = smtp_tls_server.received
    assert received.tls
    assert received.message.get_content_type() == "multipart/mixed"


def test_smtp_refuses_an_untrusted_certificate(smtp_tls_server: SmtpServer) -> None:
    transport = SmtpTransport(parse_smtp_url(smtp_tls_server.url))
    with pytest.raises(DeliveryError) as failure:
        transport.send(invitation(meeting(), Method.REQUEST, GRACE), "ob_1")
    assert not failure.value.permanent
    assert smtp_tls_server.received == []


def test_a_temporary_smtp_failure_is_retryable(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next = 1
    transport = SmtpTransport(parse_smtp_url(f"smtp://{smtp_server.host}:{smtp_server.port}"))
    message = invitation(meeting(), Method.REQUEST, GRACE)
    with pytest.raises(DeliveryError) as failure:
        transport.send(message, "ob_1")
    assert not failure.value.permanent
    transport.send(message, "ob_1")
    assert len(smtp_server.received) == 1


def test_an_unreachable_server_is_retryable() -> None:
    transport = SmtpTransport(SmtpSettings("127.0.0.1", free_port()), timeout=5)
    with pytest.raises(DeliveryError) as failure:
        transport.send(invitation(meeting(), Method.REQUEST, GRACE), "ob_1")
    assert not failure.value.permanent


def test_folder_transport_writes_one_eml_per_message(tmp_path: Path) -> None:
    transport = FolderTransport(tmp_path / "outbox")
    message = invitation(meeting(), Method.REQUEST, GRACE)
    transport.send(message, "ob_1")
    transport.send(message, "ob_1")  # a repeated delivery replaces the file
    [written] = (tmp_path / "outbox").iterdir()
    assert written.name == "ob_1.eml"
    read = from_bytes(written.read_bytes())
    assert read["Message-ID"] == message["Message-ID"]
    assert envelope(read) == ("bookings@acme.example", [GRACE.email])
