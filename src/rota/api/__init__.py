"""The HTTP API of rota (API.md): `create_app` builds it on a database."""

from rota.api.app import create_app

__all__ = ["create_app"]
