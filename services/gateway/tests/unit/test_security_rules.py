"""Gateway security rules, each alone: rate limits, route templates, the audit chain,
demo passwords, signing-key persistence and the settings that must be refused."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from labornet_common.security.auth import TokenIssuer
from labornet_gateway.config import GatewaySettings
from labornet_gateway.domain.accounts import DECOY_HASH, DEMO_ACCOUNTS
from labornet_gateway.domain.audit_chain import (
    GENESIS_HASH,
    AuditEntry,
    ChainedEntry,
    chain_hash,
    verify_chain,
)
from labornet_gateway.domain.passwords import hash_password, verify_password
from labornet_gateway.domain.ratelimit import RateLimiter
from labornet_gateway.domain.routes import case_id_in_path, route_template
from labornet_gateway.service.identity import load_signing_key

CASE = "9f1c3f2e-1111-4222-8333-444455556666"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=6, burst=3, clock=clock)  # one token per 10 s
    assert [limiter.retry_after("1.2.3.4") for _ in range(3)] == [None, None, None]
    assert limiter.retry_after("1.2.3.4") == 10
    assert limiter.retry_after("5.6.7.8") is None  # per client
    clock.now = 10.0
    assert limiter.retry_after("1.2.3.4") is None
    assert limiter.retry_after("1.2.3.4") == 10


def test_the_limiter_forgets_the_least_recent_clients_first() -> None:
    limiter = RateLimiter(per_minute=1, burst=1, max_clients=2, clock=Clock())
    for client in ("a", "b", "c"):
        limiter.retry_after(client)
    assert limiter.retry_after("c") is not None  # still remembered: limited
    assert limiter.retry_after("a") is None  # forgotten: a fresh bucket


def test_route_templates_hide_identifiers() -> None:
    assert route_template(f"/api/v1/complaints/{CASE}") == "/api/v1/complaints/{id}"
    assert route_template("/api/v1/tracking/410311-20261121-ABC234") == "/api/v1/tracking/{id}"
    assert route_template("/api/v1/mediation/cases") == "/api/v1/mediation/cases"
    assert case_id_in_path(f"/api/v1/mediation/cases/{CASE.upper()}") == CASE
    assert case_id_in_path("/api/v1/complaints") is None


def _entry(n: int) -> AuditEntry:
    return AuditEntry.of(
        occurred_at=datetime(2026, 11, 21, 8, 0, n, tzinfo=UTC),
        subject=f"demo:u{n}",
        roles="mediator",
        method="GET",
        route="/api/v1/complaints/{id}",
        status=200,
        case_id=CASE,
        client_ip="10.0.0.1",
        user_agent="ua" * 400,
        request_id=f"r{n}",
    )


def _chain(length: int) -> list[ChainedEntry]:
    chain, prev = [], GENESIS_HASH
    for seq in range(1, length + 1):
        digest = chain_hash(prev, seq, _entry(seq))
        chain.append(ChainedEntry(seq, _entry(seq), prev, digest))
        prev = digest
    return chain


def _verify(chain: list[ChainedEntry], head: ChainedEntry | None = None):
    head = head or chain[-1]
    return verify_chain(chain, anchor_seq=0, anchor_hash=GENESIS_HASH, head_seq=head.seq, head_hash=head.hash)


def test_an_intact_chain_verifies_and_long_values_are_cut_before_hashing() -> None:
    chain = _chain(5)
    assert _verify(chain).ok and _verify(chain).checked == 5
    assert len(chain[0].entry.user_agent) == 300


def test_naive_and_aware_utc_times_hash_the_same() -> None:
    aware = _entry(1)
    naive = replace(aware, occurred_at=aware.occurred_at.replace(tzinfo=None))
    assert chain_hash(GENESIS_HASH, 1, aware) == chain_hash(GENESIS_HASH, 1, naive)


def test_the_chain_shows_a_modified_a_deleted_and_a_truncated_entry() -> None:
    chain = _chain(5)
    modified = [*chain[:2], replace(chain[2], entry=replace(chain[2].entry, status=404)), *chain[3:]]
    assert _verify(modified).broken_at == 3 and "content" in (_verify(modified).reason or "")
    deleted = chain[:2] + chain[3:]
    assert _verify(deleted, head=chain[-1]).broken_at == 3
    truncated = chain[:4]
    assert not _verify(truncated, head=chain[-1]).ok
    relinked = [*chain[:2], replace(chain[2], prev_hash="f" * 64)]
    assert "predecessor" in (_verify(relinked, head=chain[2]).reason or "")


def test_demo_passwords_verify_and_the_decoy_matches_nothing() -> None:
    assert verify_password("mediator-demo-4103", DEMO_ACCOUNTS["mediator.luoyang"].password_hash)
    assert not verify_password("mediator-demo-4103", DEMO_ACCOUNTS["mediator.gulou"].password_hash)
    assert not verify_password("Mediator-demo-4103", DEMO_ACCOUNTS["mediator.luoyang"].password_hash)
    assert not verify_password("", DECOY_HASH)
    assert verify_password("密码 secret", hash_password("密码 secret"))
    assert not verify_password("x", "scrypt$bad")


def test_one_demo_account_per_role_in_the_seed_regions() -> None:
    roles = {account.role for account in DEMO_ACCOUNTS.values()}
    assert {r.value for r in roles} == {"clerk", "mediator", "arbitrator", "inspector", "court_liaison", "admin"}
    scopes = {s for a in DEMO_ACCOUNTS.values() for s in a.region_scopes}
    assert scopes == {"4103", "410307", "410311", "3710", "350102", "*"}  # 偃师 and 洛龙 lie in 洛阳


def test_demo_staff_of_commissions_name_their_directory_organisation() -> None:
    from labornet_common.reference import organisation_directory

    directory = organisation_directory()
    staff = [a for a in DEMO_ACCOUNTS.values() if a.role.value in ("clerk", "arbitrator")]
    assert staff and all(directory.commission(a.org_id or "") is not None for a in staff)
    assert DEMO_ACCOUNTS["arbitrator.yanshi"].org_id == "arb-410307"
    mediators = [a for a in DEMO_ACCOUNTS.values() if a.role.value == "mediator"]
    assert all(directory.centre(a.org_id or "") is not None for a in mediators)


def test_the_signing_key_is_created_once_private_and_reused(tmp_path) -> None:
    settings = GatewaySettings(environment="test", data_dir=tmp_path)
    first = load_signing_key(settings)
    assert stat.S_IMODE(settings.idp_key_file.stat().st_mode) == 0o600
    assert load_signing_key(settings) == first
    kid = TokenIssuer(issuer="i", audience="a", private_key_pem=first).kid
    assert TokenIssuer(issuer="i", audience="a", private_key_pem=load_signing_key(settings)).kid == kid


def test_production_never_generates_a_signing_key(tmp_path) -> None:
    settings = GatewaySettings(
        environment="production",
        internal_secret="s" * 40,
        data_dir=tmp_path,
        jwks_url="https://idp.example.cn/jwks",
        jwt_issuer="https://idp.example.cn",
    )
    assert settings.demo_accounts is False
    with pytest.raises(RuntimeError, match="same key"):
        load_signing_key(settings)


@pytest.mark.parametrize(
    "values, match",
    [
        ({"audit_retention_days": 182}, "183"),
        ({"environment": "production", "internal_secret": "s" * 40}, "JWKS_URL"),
        (
            {
                "environment": "production",
                "internal_secret": "s" * 40,
                "demo_accounts": True,
                "jwks_url": "https://idp.example.cn/jwks",
                "jwt_issuer": "https://idp.example.cn",
            },
            "demo accounts",
        ),
    ],
)
def test_settings_that_are_refused(values: dict, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        GatewaySettings(**values)
