"""Authentication, rate-limit and audit settings, mixed into the gateway's settings.

Embedded and test mode: the gateway is its own identity provider (demo accounts, a signing
key kept under the data folder). Production: staff tokens come from the organisation's
identity provider (``jwks_url``, ``jwt_issuer``, ``jwt_audience``); the gateway still signs
the short-lived worker tokens it exchanges for access codes, with a key every replica shares
(``idp_private_key_pem`` or a mounted ``idp_key_file``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

AUDIT_RETENTION_FLOOR_DAYS = 183  # the "at least 6 months"


class SecuritySettings(BaseModel):
    jwt_issuer: str = ""  # the external IdP's "iss" (production)
    jwt_audience: str = "labornet-api"
    jwks_url: str = ""  # the external IdP's JWKS (production)
    idp_issuer: str = "labornet-gateway"  # "iss" of the tokens the gateway signs itself
    idp_key_file: Path | None = None  # default <data_dir>/idp/signing-key.pem
    idp_private_key_pem: str = ""
    staff_token_ttl_s: int = 3600
    worker_token_ttl_s: int = 900
    demo_accounts: bool | None = None  # None: on outside production; refused in production
    # Client address: X-Forwarded-For is trusted only for this many proxy hops (0: the socket).
    trusted_proxy_hops: int = 0
    # Per client IP. "database": one count shared by every replica (the gateway's database);
    # "memory": per replica, N replicas allow N times the rate (see domain/ratelimit.py).
    rate_limit_store: Literal["database", "memory"] = "database"
    anonymous_filing_per_minute: float = 20.0
    anonymous_filing_burst: int = 10
    sign_in_per_minute: float = 10.0
    sign_in_burst: int = 10
    # How often the shared store forgets clients whose every request has been forgiven: a
    # flood from many addresses leaves rows only until the next pass.
    rate_limit_prune_interval_s: float = Field(default=600.0, gt=0)
    audit_retention_days: int = 365
    audit_prune_interval_s: float = 6 * 3600.0

    @model_validator(mode="after")
    def _check_security(self) -> Any:
        if self.audit_retention_days < AUDIT_RETENTION_FLOOR_DAYS:
            raise ValueError(
                f"LABORNET_AUDIT_RETENTION_DAYS must be at least {AUDIT_RETENTION_FLOOR_DAYS} "
                "(审计日志保存期限不得少于183天)"
            )
        production = getattr(self, "environment", "embedded") == "production"
        if production and self.demo_accounts:
            raise ValueError("demo accounts are refused in production (生产环境不得启用演示账号)")
        if production and not (self.jwks_url and self.jwt_issuer):
            raise ValueError(
                "LABORNET_JWKS_URL and LABORNET_JWT_ISSUER must name the identity provider in "
                "production (生产环境须配置身份认证服务)"
            )
        if self.demo_accounts is None:
            self.demo_accounts = not production
        if self.idp_key_file is None:
            data_dir = getattr(self, "data_dir", Path("var/data"))
            self.idp_key_file = Path(data_dir) / "idp" / "signing-key.pem"
        return self
