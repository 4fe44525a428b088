"""Registering webhook endpoints and rotating their secrets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import utcnow
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.webhooks import generate_secret
from labornet_gateway.webhooks.dispatcher import SECRET_CONTEXT
from labornet_gateway.webhooks.tables import deliveries, endpoints

# Secrets kept per endpoint during a rotation: the new one and the one it replaces, so
# receivers can switch over while every delivery carries both signatures.
MAX_SECRETS = 2


@dataclass(frozen=True)
class NewEndpoint:
    url: str
    description: str
    event_types: list[str]
    region_scopes: list[str]
    created_by: str


async def create_endpoint(*, engine: AsyncEngine, cipher: PiiCipher, new: NewEndpoint) -> tuple[str, str]:
    """Store an endpoint; returns (id, secret). The secret is shown once, stored encrypted."""
    endpoint_id = str(uuid.uuid4())
    secret = generate_secret()
    async with engine.begin() as conn:
        await conn.execute(
            insert(endpoints).values(
                id=endpoint_id,
                url=new.url,
                description=new.description,
                secrets=[cipher.encrypt(secret, context=SECRET_CONTEXT)],
                event_types=new.event_types,
                region_scopes=new.region_scopes,
                status="active",
                created_by=new.created_by,
                created_at=utcnow(),
            )
        )
    return endpoint_id, secret


async def rotate_secret(*, engine: AsyncEngine, cipher: PiiCipher, endpoint_id: str) -> str | None:
    """Add a new secret and keep the previous one until the next rotation."""
    secret = generate_secret()
    async with engine.begin() as conn:
        current = await conn.scalar(select(endpoints.c.secrets).where(endpoints.c.id == endpoint_id))
        if current is None:
            return None
        kept = [cipher.encrypt(secret, context=SECRET_CONTEXT), *current][:MAX_SECRETS]
        await conn.execute(update(endpoints).where(endpoints.c.id == endpoint_id).values(secrets=kept))
    return secret


async def set_status(*, engine: AsyncEngine, endpoint_id: str, active: bool) -> bool:
    async with engine.begin() as conn:
        result = await conn.execute(
            update(endpoints)
            .where(endpoints.c.id == endpoint_id)
            .values(
                status="active" if active else "disabled",
                failing_since=None,
                disabled_reason=None if active else "disabled by an administrator",
            )
        )
    return bool(result.rowcount)


async def list_endpoints(*, engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(endpoints).order_by(endpoints.c.created_at))).all()
    return [
        {k: v for k, v in row._mapping.items() if k != "secrets"} | {"secret_count": len(row.secrets)} for row in rows
    ]


async def region_scopes_of(
    *, engine: AsyncEngine, endpoint_id: str | None = None, delivery_id: int | None = None
) -> list[str] | None:
    """The region scopes of an endpoint, or of the endpoint a delivery is for; None if unknown."""
    query = select(endpoints.c.region_scopes)
    if delivery_id is not None:
        query = query.join(deliveries, deliveries.c.endpoint_id == endpoints.c.id).where(deliveries.c.id == delivery_id)
    else:
        query = query.where(endpoints.c.id == endpoint_id)
    async with engine.connect() as conn:
        return await conn.scalar(query)
