"""The assistant's plans awaiting confirmation, kept in the database so that a plan
previewed by one server process can be confirmed on another, and runs only once
whichever process is asked (see `rota.service.assistant`).

Its own module beside `tables`: the plans refer to an organization and nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rota.store.tables import Base


class AssistantPlan(Base):
    __tablename__ = "assistant_plans"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(40), ForeignKey("organizations.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    actions: Mapped[list[Any]]
    """API.md's actions (`rota.assistant.action_json`), ids and UTC instants only."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    confirmed_at: Mapped[datetime | None]
    """Set, once, by the confirmation that runs the plan."""
