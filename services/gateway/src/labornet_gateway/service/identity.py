"""Who the caller is: bearer tokens in, demo sign-in and worker access codes out.

Two kinds of token are accepted, told apart by their ``iss`` and each checked only against
its own keys: the gateway's own (embedded demo accounts, worker tokens; JWKS published at
``/.well-known/jwks.json``) and, in production, the organisation's identity provider.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt

from labornet_common.platform.problems import Unavailable
from labornet_common.security.api_auth import GATEWAY, PRINCIPAL_HEADER, is_reserved_subject
from labornet_common.security.auth import (
    AuthError,
    Principal,
    Role,
    TokenIssuer,
    TokenVerifier,
    sign_internal_principal,
)
from labornet_gateway.config import GatewaySettings
from labornet_gateway.domain.accounts import DECOY_HASH, DEMO_ACCOUNTS
from labornet_gateway.domain.passwords import verify_password

# Password checks run scrypt (16 MiB, tens of ms of CPU each) in the thread pool. At most this
# many at once: a flood of sign-ins from many addresses waits its turn instead of holding a
# thread and 16 MiB each (the pool's 40 threads would be 640 MiB), so memory stays bounded
# and staff requests keep the event loop and the other threads.
PASSWORD_CHECKS_AT_ONCE = 2


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    principal: Principal


def load_signing_key(settings: GatewaySettings) -> bytes:
    """The gateway's RSA key: from settings, else the key file, else (not in production) a new
    key written to the file, so tokens keep verifying after a restart."""
    if settings.idp_private_key_pem:
        return settings.idp_private_key_pem.encode("ascii")
    path = Path(settings.idp_key_file or "")
    if path.is_file():
        return path.read_bytes()
    if settings.environment == "production":
        raise RuntimeError(
            "LABORNET_IDP_PRIVATE_KEY_PEM or LABORNET_IDP_KEY_FILE must provide the signing key "
            "in production: every gateway replica must sign with the same key"
        )
    pem = TokenIssuer(issuer="-", audience="-").private_key_pem()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_bytes()
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return pem


class Identity:
    def __init__(self, *, settings: GatewaySettings, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._http = http
        self._password_checks = asyncio.Semaphore(PASSWORD_CHECKS_AT_ONCE)
        self.issuer = TokenIssuer(
            issuer=settings.idp_issuer,
            audience=settings.jwt_audience,
            private_key_pem=load_signing_key(settings),
            ttl_s=settings.staff_token_ttl_s,
        )
        self._own = TokenVerifier(jwks=self.issuer.jwks(), issuer=settings.idp_issuer, audience=settings.jwt_audience)
        self._external = (
            TokenVerifier(jwks=settings.jwks_url, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
            if settings.jwks_url
            else None
        )

    # -- tokens in -----------------------------------------------------------------------
    async def verify(self, token: str) -> Principal:
        issuer = _unverified_issuer(token)
        if issuer == self._settings.idp_issuer:
            principal = self._own.verify(token)
            if not self._settings.demo_accounts and principal.roles != {Role.worker}:
                # In production the gateway signs worker tokens only.
                raise AuthError("auth.claims_invalid", detail="staff token from the gateway's own key")
        elif self._external is not None and issuer == self._settings.jwt_issuer:
            # PyJWKClient fetches keys with blocking I/O when its cache is cold.
            principal = await asyncio.to_thread(self._external.verify, token)
        else:
            raise AuthError("auth.token_invalid", detail="unknown issuer")
        if is_reserved_subject(principal.subject):
            raise AuthError("auth.claims_invalid", detail="reserved subject")
        return principal

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return self.issuer.jwks()

    # -- tokens out ----------------------------------------------------------------------
    async def sign_in(self, *, username: str, password: str) -> IssuedToken | None:
        """A demo account's token, or None for a wrong name or password (same work either way)."""
        if not self._settings.demo_accounts:
            return None
        account = DEMO_ACCOUNTS.get(username)
        hashed = account.password_hash if account else DECOY_HASH
        if not await self._verify_password(password, hashed) or account is None:
            return None
        return self._issue(account.principal(), self._settings.staff_token_ttl_s)

    async def _verify_password(self, password: str, hashed: str) -> bool:
        async with self._password_checks:
            return await asyncio.to_thread(verify_password, password, hashed)

    async def exchange_access_code(self, *, tracking_number: str, access_code: str) -> IssuedToken | None:
        """A worker token for the case, or None when the pair is wrong (intake decides)."""
        secret = self._settings.internal_secret.encode("utf-8")
        try:
            answer = await self._http.post(
                f"{self._settings.intake_url}/internal/v1/access-codes/verify",
                json={"tracking_number": tracking_number, "access_code": access_code},
                headers={PRINCIPAL_HEADER: sign_internal_principal(GATEWAY, secret=secret)},
            )
        except httpx.HTTPError as exc:
            raise Unavailable(detail="intake unreachable") from exc
        if answer.status_code in (404, 422):
            return None
        if answer.status_code != 200:
            raise Unavailable(detail=f"intake answered {answer.status_code}")
        case_id = answer.json()["case_id"]
        worker = Principal(subject=f"worker:{case_id}", roles=frozenset({Role.worker}), case_ids=frozenset({case_id}))
        return self._issue(worker, self._settings.worker_token_ttl_s)

    def _issue(self, principal: Principal, ttl_s: int) -> IssuedToken:
        return IssuedToken(self.issuer.issue(principal, ttl_s=ttl_s), ttl_s, principal)


def _unverified_issuer(token: str) -> str | None:
    """Only to pick which keys to check against; the chosen verifier checks ``iss`` again."""
    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as exc:
        raise AuthError("auth.token_invalid", detail=str(exc)) from None
    return issuer if isinstance(issuer, str) else None
