"""Calendar passwords encrypted at rest with the server's secret key.

The key is ``ROTA_SECRET_KEY``: a long random string (``python -c "import
secrets; print(secrets.token_urlsafe(32))"``). Fernet (AES-128-CBC with an
HMAC-SHA256 tag) needs 32 key bytes, which HKDF-SHA256 derives from the
secret; HKDF suits a high-entropy secret and is cheap, so every request can
derive it. Without ``ROTA_SECRET_KEY`` the server makes a random one once
and keeps it in ``ROTA_SECRET_KEY_FILE`` (default ``./rota.secret``, mode
0600) beside the embedded database, so a first run works out of the box.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DEFAULT_KEY_FILE = "rota.secret"
_INFO = b"rota calendar passwords v1"


class SecretKeyError(Exception):
    """A stored password cannot be read back with this server's key."""


class SecretBox:
    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("the secret key is empty")
        kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
        self._fernet = Fernet(base64.urlsafe_b64encode(kdf.derive(secret_key.encode())))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise SecretKeyError(
                "a calendar password cannot be decrypted: ROTA_SECRET_KEY changed since it "
                "was saved; connect the calendar again"
            ) from error


def secret_key(environ: Mapping[str, str] | None = None) -> str:
    """``ROTA_SECRET_KEY``, else the key kept in the key file (made on first use)."""
    env = os.environ if environ is None else environ
    if env.get("ROTA_SECRET_KEY"):
        return env["ROTA_SECRET_KEY"]
    path = Path(env.get("ROTA_SECRET_KEY_FILE", DEFAULT_KEY_FILE))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        key = secrets.token_urlsafe(32)
        file.write(key + "\n")
    return key


def box_from_env(environ: Mapping[str, str] | None = None) -> SecretBox:
    return SecretBox(secret_key(environ))
