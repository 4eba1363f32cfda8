"""Tests that need an outside service skip without it, except under ROTA_REQUIRE_ALL=1."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """Skip the test for ``reason``, or fail it when CI requires every service."""
    if os.environ.get("ROTA_REQUIRE_ALL") == "1":
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)
