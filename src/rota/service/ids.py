"""Identifiers are a ground utility, `rota.ids`; the use cases import them from here too."""

from rota.ids import new_id, new_token

__all__ = ["new_id", "new_token"]
