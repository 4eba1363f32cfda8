"""Helpers for API tests: a client bound to one organization's key, and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient


def monday(weeks_ahead: int = 1) -> datetime:
    """00:00 UTC of the Monday `weeks_ahead` weeks from this week's."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class Api:
    client: TestClient
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    # Building a team ---------------------------------------------------------

    def host(self, name: str = "Ada", **fields: Any) -> dict[str, Any]:
        body = {"name": name, "email": f"{name.lower()}@example.com", "timezone": "UTC", **fields}
        response = self.post("/v1/hosts", body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def booking_type(
        self, slug: str, host_ids: list[str], host_mode: str = "round_robin", **fields: Any
    ) -> dict[str, Any]:
        body = {
            "slug": slug,
            "title": slug.replace("-", " ").title(),
            "duration_minutes": 30,
            "host_mode": host_mode,
            "hosts": [{"host_id": h} for h in host_ids],
            "fairness_window_days": 0,
            **fields,
        }
        response = self.post("/v1/booking-types", body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def book(self, slug: str, start: datetime | str, **kwargs: Any) -> httpx.Response:
        body = {
            "booking_type": slug,
            "start": start if isinstance(start, str) else iso(start),
            "attendee": {"name": "Grace Hopper", "email": "grace@example.com"},
        }
        return self.post("/v1/bookings", body, **kwargs)

    def slots(self, slug: str, start: datetime, end: datetime, **params: str) -> list[Any]:
        response = self.get(
            f"/v1/booking-types/{slug}/slots",
            params={"start": iso(start), "end": iso(end), **params},
        )
        assert response.status_code == 200, response.text
        found: list[Any] = response.json()["slots"]
        return found


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the error envelope with that status and code."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body
