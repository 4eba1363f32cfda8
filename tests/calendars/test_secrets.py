from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rota.calendars.secrets import SecretBox, SecretKeyError, box_from_env, secret_key


def test_a_password_round_trips_and_is_not_stored_in_clear() -> None:
    box = SecretBox("server-secret-key")
    token = box.encrypt("hunter2-calendar")
    assert "hunter2" not in token
    assert box.decrypt(token) == "hunter2-calendar"
    assert box.encrypt("hunter2-calendar") != token  # random IV: equal passwords differ


def test_another_key_cannot_read_it() -> None:
    token = SecretBox("key one").encrypt("pw")
    with pytest.raises(SecretKeyError, match="ROTA_SECRET_KEY"):
        SecretBox("key two").decrypt(token)


def test_the_key_comes_from_the_environment(tmp_path: Path) -> None:
    assert secret_key({"ROTA_SECRET_KEY": "abc"}) == "abc"
    token = box_from_env({"ROTA_SECRET_KEY": "abc"}).encrypt("pw")
    assert SecretBox("abc").decrypt(token) == "pw"


def test_without_one_a_key_file_is_made_once_and_kept_private(tmp_path: Path) -> None:
    env = {"ROTA_SECRET_KEY_FILE": str(tmp_path / "rota.secret")}
    first = secret_key(env)
    assert len(first) >= 32
    assert secret_key(env) == first
    assert stat.S_IMODE((tmp_path / "rota.secret").stat().st_mode) == 0o600
