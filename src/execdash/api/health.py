"""Liveness endpoint used by `make run`, load balancers and the seed front end."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The server is up and answering."""

    status: str = "ok"


@router.get("/api/health", response_model=Health)
async def health() -> Health:
    """Answer `{"status": "ok"}` while the process serves requests (on the loop: no thread)."""
    return Health()
