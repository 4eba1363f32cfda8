"""``/v1/hosts``: hosts, their time off and busy blocks, moving their bookings."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rota import teamfile
from rota.api import schemas
from rota.api.auth import Caller, Db, OrgId
from rota.api.errors import responses
from rota.api.routes.bookings import failure
from rota.service import hosts, reassign
from rota.store.tables import BusyBlock, TimeOff

router = APIRouter(prefix="/v1/hosts", tags=["hosts"], responses=responses(401, 404, 422))


@router.post("", status_code=201, response_model=schemas.HostOut)
def create_host(body: teamfile.HostFields, org_id: OrgId, db: Db) -> schemas.HostOut:
    row = hosts.create_host(
        db,
        org_id,
        name=body.name,
        email=body.email,
        timezone=body.timezone,
        working_hours=[h.model_dump() for h in body.working_hours],
        date_overrides=[o.model_dump(mode="json") for o in body.date_overrides],
    )
    return schemas.HostOut.of(row)


@router.get("", response_model=schemas.HostList)
def list_hosts(org_id: OrgId, db: Db) -> schemas.HostList:
    return schemas.HostList(hosts=[schemas.HostOut.of(h) for h in hosts.list_hosts(db, org_id)])


@router.get("/{host_id}", response_model=schemas.HostOut)
def get_host(host_id: str, org_id: OrgId, db: Db) -> schemas.HostOut:
    return schemas.HostOut.of(hosts.get_host(db, org_id, host_id))


@router.patch("/{host_id}", response_model=schemas.HostOut)
def update_host(host_id: str, body: schemas.HostPatch, org_id: OrgId, db: Db) -> schemas.HostOut:
    changes = body.model_dump(mode="json", include=body.model_fields_set)
    return schemas.HostOut.of(hosts.update_host(db, org_id, host_id, changes))


@router.delete("/{host_id}", status_code=204, response_class=Response, responses=responses(409))
def delete_host(host_id: str, org_id: OrgId, db: Db) -> Response:
    hosts.delete_host(db, org_id, host_id)
    return Response(status_code=204)


@router.post("/{host_id}/time-off", status_code=201, response_model=schemas.TimeOffCreated)
def add_time_off(
    host_id: str, body: schemas.TimeOffBody, org_id: OrgId, db: Db
) -> schemas.TimeOffCreated:
    """Add time off; `conflicts` names the host's bookings in it, which stay with the
    host until handed over (``reassign-bookings``, or each booking's ``reassign``)."""
    added = hosts.add_time_off(
        db, org_id, host_id, start=body.start, end=body.end, reason=body.reason
    )
    item = schemas.TimeOffOut.of(added.time_off)
    return schemas.TimeOffCreated(**item.model_dump(), conflicts=added.conflicts)


@router.get("/{host_id}/time-off", response_model=schemas.TimeOffList)
def list_time_off(host_id: str, org_id: OrgId, db: Db) -> schemas.TimeOffList:
    rows = hosts.list_spans(db, org_id, host_id, TimeOff)
    return schemas.TimeOffList(
        time_off=[schemas.TimeOffOut.of(r) for r in rows if isinstance(r, TimeOff)]
    )


@router.delete("/{host_id}/time-off/{item_id}", status_code=204, response_class=Response)
def delete_time_off(host_id: str, item_id: str, org_id: OrgId, db: Db) -> Response:
    hosts.delete_span(db, org_id, host_id, TimeOff, item_id)
    return Response(status_code=204)


@router.post("/{host_id}/busy", status_code=201, response_model=schemas.BusyOut)
def add_busy(host_id: str, body: schemas.BusyBody, org_id: OrgId, db: Db) -> schemas.BusyOut:
    row = hosts.add_span(
        db, org_id, host_id, BusyBlock, start=body.start, end=body.end, label=body.title
    )
    assert isinstance(row, BusyBlock)
    return schemas.BusyOut.of(row)


@router.get("/{host_id}/busy", response_model=schemas.BusyList)
def list_busy(host_id: str, org_id: OrgId, db: Db) -> schemas.BusyList:
    rows = hosts.list_spans(db, org_id, host_id, BusyBlock)
    return schemas.BusyList(busy=[schemas.BusyOut.of(r) for r in rows if isinstance(r, BusyBlock)])


@router.delete("/{host_id}/busy/{item_id}", status_code=204, response_class=Response)
def delete_busy(host_id: str, item_id: str, org_id: OrgId, db: Db) -> Response:
    hosts.delete_span(db, org_id, host_id, BusyBlock, item_id)
    return Response(status_code=204)


@router.post("/{host_id}/reassign-bookings", response_model=schemas.HostReassignOut)
def reassign_bookings(
    host_id: str, body: schemas.HostReassignIn, org_id: OrgId, db: Db, actor: Caller
) -> schemas.HostReassignOut:
    """Move every confirmed team booking of the host starting in the range, in start
    order, each to the next fair host; those that cannot move are listed as failed.
    `time_off` first blocks the host over the range; `dry_run` only plans."""
    outcome = reassign.reassign_host_bookings(
        db,
        org_id,
        host_id,
        body.start,
        body.end,
        body.reason,
        actor=actor,
        time_off=body.time_off,
        dry_run=body.dry_run,
    )
    return schemas.HostReassignOut(
        reassigned=[schemas.BookingOut.of(b) for b in outcome.reassigned],
        failed=[failure(f) for f in outcome.failed],
        plan=[
            schemas.PlannedMove(booking_id=m.booking_id, to_host_ids=list(m.to_host_ids))
            for m in outcome.plan
        ],
    )
