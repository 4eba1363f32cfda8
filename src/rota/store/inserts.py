"""Inserting new rows in bulk, without the ORM's unit of work.

A batch of bookings writes a few rows per booking into a few tables, and
nothing in its transaction changes them afterwards. The unit of work would
sort, track and relate every object, which costs more than the inserts; here
each run of objects of one class becomes one INSERT of all their rows, in the
order given (parents before children: the foreign keys must already be set).
The objects stay transient, usable as values (to render a response), and
their database-generated columns (an autoincrement key) stay unset.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from rota.store.tables import Base


def insert_new(session: Session, objects: Iterable[Base]) -> None:
    for kind, same in groupby(objects, key=type):
        session.execute(insert(kind), [_values(obj) for obj in same])


def _values(obj: Base) -> dict[str, Any]:
    """The column attributes set on the object (others take their column defaults)."""
    state = inspect(obj)
    columns = state.mapper.column_attrs
    return {key: value for key, value in state.dict.items() if key in columns}
