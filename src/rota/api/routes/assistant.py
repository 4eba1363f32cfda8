"""``/v1/assistant``: plain-language requests, previewed as plans and run once confirmed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from rota import teamfile
from rota.api.auth import Caller, Db, OrgId
from rota.api.errors import responses
from rota.service import assistant as use_case

router = APIRouter(prefix="/v1/assistant", tags=["assistant"], responses=responses(401, 422))


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000, description="What should happen, in words.")
    timezone: teamfile.Timezone = Field(
        default="UTC", description="The asker's zone: dates and times are read in it."
    )


class AskOut(BaseModel):
    """Understood a change: ``summary``, ``actions`` and ``plan_id`` (nothing changed yet).
    Understood a question: ``summary`` and ``answer``. Not understood: ``message`` and
    ``suggestions``."""

    understood: bool
    summary: str | None = None
    actions: list[dict[str, Any]] | None = None
    plan_id: str | None = None
    answer: dict[str, Any] | None = None
    message: str | None = None
    suggestions: list[str] | None = None


class ActionResult(BaseModel):
    action: dict[str, Any]
    ok: bool
    error: dict[str, Any] | None


class ConfirmOut(BaseModel):
    results: list[ActionResult]


@router.post("", response_model=AskOut, response_model_exclude_none=True)
def ask(body: AskIn, org_id: OrgId, db: Db) -> AskOut:
    """Read the request. A change is planned and previewed (confirm it with
    ``/v1/assistant/plans/{plan_id}/confirm`` within 10 minutes); a question is
    answered at once; otherwise the answer says what was got and how to ask."""
    said = use_case.ask(db, org_id, body.text, body.timezone)
    if isinstance(said, use_case.Preview):
        return AskOut(
            understood=True, summary=said.summary, actions=said.actions, plan_id=said.plan_id
        )
    if isinstance(said, use_case.Answer):
        return AskOut(understood=True, summary=said.summary, answer=said.answer)
    return AskOut(understood=False, message=said.message, suggestions=said.suggestions)


@router.post("/plans/{plan_id}/confirm", response_model=ConfirmOut, responses=responses(404, 409))
def confirm(plan_id: str, org_id: OrgId, db: Db, actor: Caller) -> ConfirmOut:
    """Run the plan's actions in order through the same use cases as the API; each
    result says whether it was done. A plan runs once (409 ``plan_already_run``) and
    only within 10 minutes of being made (409 ``plan_expired``)."""
    results = use_case.confirm(db, org_id, plan_id, actor)
    return ConfirmOut(
        results=[ActionResult(action=r.action, ok=r.ok, error=r.error) for r in results]
    )
