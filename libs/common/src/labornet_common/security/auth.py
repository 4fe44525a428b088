"""Principals, tokens and worker access codes.

* ``Principal``: who is calling, with roles and the administrative-division prefixes they
  serve; ``can_see_case`` is the one place that decides case visibility.
* ``TokenIssuer`` / ``TokenVerifier``: RS256 JWTs from the embedded identity provider, with
  a JWKS so any service (or a real IdP later) verifies without sharing a secret.
* ``sign_internal_principal`` / ``verify_internal_principal``: the gateway's short-lived HS256
  assertion that vouches for a principal to backend services.
* Access codes: what a worker types, together with the tracking number, to follow a case.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class Role(StrEnum):
    worker = "worker"
    clerk = "clerk"
    mediator = "mediator"
    arbitrator = "arbitrator"
    inspector = "inspector"
    court_liaison = "court_liaison"
    admin = "admin"


# Everyone but the worker sees cases by region: their authority is territorial.
REGIONAL_ROLES = frozenset(Role) - {Role.worker}
NATIONWIDE = "*"
_DIGITS = re.compile(r"[0-9]{2,12}")  # ASCII only: `\d` would also accept '４'

_MESSAGES: dict[str, tuple[str, str]] = {
    "auth.token_invalid": ("身份凭证无效", "The credential is invalid"),
    "auth.token_expired": (
        "身份凭证已过期，请重新登录",
        "The credential has expired; sign in again",
    ),
    "auth.unknown_key": ("身份凭证的签名密钥未知", "The credential is signed with an unknown key"),
    "auth.claims_invalid": ("身份凭证内容无效", "The credential carries invalid claims"),
    "auth.jwks_unavailable": (
        "暂时无法验证身份，请稍后再试",
        "Cannot verify credentials now; retry",
    ),
}


class AuthError(Exception):
    """Authentication failed. ``detail`` is for logs; clients get the code and messages."""

    def __init__(self, code: str, *, detail: str = "") -> None:
        self.code = code
        self.message_zh, self.message_en = _MESSAGES[code]
        self.status = 503 if code == "auth.jwks_unavailable" else 401
        self.detail = detail
        super().__init__(f"{code}: {self.message_en}" + (f" ({detail})" if detail else ""))


def _scope_prefix(scope: str) -> str:
    # A 6-digit GB/T 2260 code ending in 00 means "the whole of": '410300' is all of 洛阳
    # ('4103'), '410000' all of 河南 ('41'). Read literally it would match no district.
    if len(scope) == 6:
        while len(scope) > 2 and scope.endswith("00"):
            scope = scope[:-2]
    return scope


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str = Field(min_length=1)
    name: str = ""
    roles: frozenset[Role] = frozenset()
    region_scopes: tuple[str, ...] = ()  # division-code prefixes; () = no region at all
    org_id: str | None = None  # mediation centre, commission or desk
    case_ids: frozenset[str] = frozenset()  # a worker signed in by tracking number + code

    @field_validator("region_scopes")
    @classmethod
    def _normalise_scopes(cls, scopes: tuple[str, ...]) -> tuple[str, ...]:
        for scope in scopes:
            if scope != NATIONWIDE and not _DIGITS.fullmatch(scope):
                raise ValueError(f"region scope {scope!r} is not a division-code prefix or '*'")
        return tuple(dict.fromkeys(_scope_prefix(scope) for scope in scopes))

    @model_validator(mode="after")
    def _nationwide_only_for_admin(self) -> Principal:
        if NATIONWIDE in self.region_scopes and Role.admin not in self.roles:
            raise ValueError("the nationwide scope '*' is reserved for admins")
        return self

    def has_role(self, *roles: Role) -> bool:
        """True when the principal holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    def in_region(self, division_code: str) -> bool:
        """True when a division code starts with one of the scopes; '*' matches any code.

        A malformed code is in nobody's region: fail closed rather than guess.
        """
        if not _DIGITS.fullmatch(division_code):
            return False
        return any(s == NATIONWIDE or division_code.startswith(s) for s in self.region_scopes)

    def acts_for(self, org_ids: Iterable[str]) -> bool:
        """True when this principal may act for one of ``org_ids`` (a body and its venues).

        Staff act for their own organisation (commission, 派出仲裁庭, centre), not for every body of
        their region; admins act for any. A staff token naming no organisation acts for none.
        """
        if Role.admin in self.roles:
            return True
        return self.org_id is not None and self.org_id in set(org_ids)

    def can_see_case(self, *, case_id: str, division_codes: Iterable[str], assigned_to: str | None = None) -> bool:
        """Whether this principal may read a case. Any rule that grants is enough:

        1. A worker sees exactly the cases in ``case_ids`` (tracking number + access code).
        2. Staff (clerk, mediator, arbitrator, inspector, court liaison, admin) see a case
           assigned to them even outside their region: cross-region joint acceptance
           (跨区域联合受理) hands a case to a mediator or arbitrator of another area.
        3. Staff see a case when any of its division codes (worker's workplace, employer's
           registration, ...) is within their region scopes.
        """
        if Role.worker in self.roles and case_id in self.case_ids:
            return True
        if not self.has_role(*REGIONAL_ROLES):
            return False
        if assigned_to is not None and assigned_to == self.subject:
            return True
        return any(self.in_region(code) for code in division_codes)


# --- claims <-> Principal ----------------------------------------------------------------
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
_ROLE_VALUES = frozenset(role.value for role in Role)


def _principal_claims(principal: Principal) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": principal.subject,
        "name": principal.name,
        "roles": sorted(role.value for role in principal.roles),
        "scopes": list(principal.region_scopes),
        "cases": sorted(principal.case_ids),
    }
    if principal.org_id is not None:
        claims["org"] = principal.org_id
    return claims


def _str_list(claims: Mapping[str, Any], name: str) -> list[str]:
    value = claims.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise AuthError("auth.claims_invalid", detail=f"claim {name!r} must be a list of strings")
    return value


def _principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    # Unknown role names are dropped, not fatal: a role added to the IdP before every service
    # knows it then grants nothing, which is safe, instead of locking its holders out.
    roles = frozenset(Role(r) for r in _str_list(claims, "roles") if r in _ROLE_VALUES)
    try:
        return Principal(
            subject=claims["sub"],
            name=claims.get("name", ""),
            roles=roles,
            region_scopes=tuple(_str_list(claims, "scopes")),
            org_id=claims.get("org"),
            case_ids=frozenset(_str_list(claims, "cases")),
        )
    except ValidationError as exc:
        raise AuthError("auth.claims_invalid", detail=str(exc)) from None


def _registered_claims(*, issuer: str, audience: str, ttl_s: int, now: float | None) -> dict[str, Any]:
    issued_at = int(time.time() if now is None else now)
    return {
        "iss": issuer,
        "aud": audience,
        "iat": issued_at,
        "nbf": issued_at,
        "exp": issued_at + ttl_s,
        "jti": secrets.token_urlsafe(16),  # lets the audit log tell two sign-ins apart
    }


def _decode(token: str, key: Any, *, algorithm: str, issuer: str, audience: str, leeway_s: float) -> dict[str, Any]:
    """Verify signature and claims with exactly one algorithm chosen by us, never by the token."""
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=audience,
            issuer=issuer,
            leeway=leeway_s,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("auth.token_expired", detail=str(exc)) from None
    except jwt.PyJWTError as exc:
        raise AuthError("auth.token_invalid", detail=str(exc)) from None


# --- the embedded identity provider ----------------------------------------------------------
def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _load_rsa_key(pem: bytes | str) -> rsa.RSAPrivateKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError("the identity provider needs an RSA private key of at least 2048 bits")
    return key


class TokenIssuer:
    """Issues RS256 access tokens; ``jwks()`` publishes the public key for verifiers."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        private_key_pem: bytes | str | None = None,
        ttl_s: int = 3600,
    ) -> None:
        self._key = (
            _load_rsa_key(private_key_pem)
            if private_key_pem is not None
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
        public = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        members = {"e": public["e"], "kty": "RSA", "n": public["n"]}
        # RFC 7638 thumbprint: the same key always gets the same kid, across restarts.
        canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
        self.kid = _b64url(hashlib.sha256(canonical).digest())
        self._jwk = {**members, "kid": self.kid, "alg": "RS256", "use": "sig"}
        self._issuer, self._audience, self._ttl_s = issuer, audience, ttl_s

    def issue(self, principal: Principal, *, ttl_s: int | None = None, now: float | None = None) -> str:
        lifetime = self._ttl_s if ttl_s is None else ttl_s
        claims = _registered_claims(issuer=self._issuer, audience=self._audience, ttl_s=lifetime, now=now)
        claims.update(_principal_claims(principal))
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def sign(self, claims: dict[str, Any], *, typ: str) -> str:
        """A signed statement that is not an access token (``typ`` tells them apart), verifiable
        by anyone holding the JWKS: for example an audit checkpoint receipt."""
        headers = {"kid": self.kid, "typ": typ}
        return jwt.encode({"iss": self._issuer, **claims}, self._key, algorithm="RS256", headers=headers)

    def verify_signed(self, token: str, *, typ: str) -> dict[str, Any]:
        """The claims of a statement made by ``sign`` with this key; raises ``jwt.PyJWTError``
        for anything else (another key, another ``typ``, a token that was altered)."""
        if jwt.get_unverified_header(token).get("typ") != typ:
            raise jwt.InvalidTokenError(f"not a {typ}")
        return jwt.decode(
            token, self._key.public_key(), algorithms=["RS256"], issuer=self._issuer, options={"require": ["iss"]}
        )

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(self._jwk)]}

    def private_key_pem(self) -> bytes:
        """PKCS#8 PEM, so the embedded stack can keep its key (and sessions) across restarts."""
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


# Only asymmetric algorithms: with a public JWKS, accepting HS* would let anyone holding the
# public key forge tokens (the classic RS256/HS256 confusion); 'none' is never acceptable.
_ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "EdDSA"})


def _check_jwks_url(url: str) -> None:
    parts = urlsplit(url)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValueError("a JWKS URL must use https (plain http only on loopback)")


def _keys_by_kid(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    try:
        keyset = jwt.PyJWKSet.from_dict(dict(jwks))
    except jwt.PyJWTError as exc:
        raise ValueError(f"the JWKS holds no usable key: {exc}") from None
    keys = {key.key_id: key for key in keyset.keys if key.key_id}
    if not keys:
        raise ValueError("the JWKS holds no key with a kid")
    return keys


VERIFIED_TOKENS_KEPT = 4096  # bearer tokens in use at once per process; the oldest go first


class TokenVerifier:
    """Verifies access tokens against a JWKS (a dict offline, or a URL fetched and cached)."""

    def __init__(
        self,
        *,
        jwks: Mapping[str, Any] | str,
        issuer: str,
        audience: str,
        leeway_s: int = 30,
        algorithms: Sequence[str] = ("RS256",),
        jwks_cache_s: int = 300,
    ) -> None:
        if not algorithms or not set(algorithms) <= _ASYMMETRIC:
            raise ValueError(f"algorithms must be a non-empty subset of {sorted(_ASYMMETRIC)}")
        self._algorithms = tuple(algorithms)
        self._issuer, self._audience, self._leeway_s = issuer, audience, leeway_s
        self._client: jwt.PyJWKClient | None = None
        self._keys: dict[str, jwt.PyJWK] = {}
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> principal, until
        self._cache_life_s = float(jwks_cache_s) if isinstance(jwks, str) else float("inf")
        if isinstance(jwks, str):
            _check_jwks_url(jwks)
            # A short timeout: this runs inside a request when the cache is cold or rotated.
            self._client = jwt.PyJWKClient(jwks, cache_keys=True, lifespan=jwks_cache_s, timeout=5)
        else:
            self._keys = _keys_by_kid(jwks)

    def verify(self, token: str) -> Principal:
        """The token's principal. A token verified before is answered from the cache until its
        ``exp`` (a signature and its claims do not change); a URL-fed key set's tokens at most
        for the key set's cache life, so a key withdrawn from the JWKS stops counting as soon as
        it would without the cache."""
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None and now < cached[1]:
            return cached[0]
        principal, expires = self._verify(token)
        self._remember(token, principal, min(expires, now + self._cache_life_s))
        return principal

    def _remember(self, token: str, principal: Principal, until: float) -> None:
        verified = self._verified
        while len(verified) >= VERIFIED_TOKENS_KEPT:
            try:  # the oldest first; another thread may have evicted it meanwhile
                del verified[next(iter(verified))]
            except (KeyError, RuntimeError, StopIteration):
                break
        verified[token] = (principal, until)

    def _verify(self, token: str) -> tuple[Principal, float]:
        key = self._signing_key(token)
        if key.algorithm_name not in self._algorithms or key.public_key_use not in (None, "sig"):
            raise AuthError("auth.unknown_key", detail="the key is not an allowed signing key")
        # The key's own algorithm, checked against our list above: never the header's.
        claims = _decode(
            token,
            key.key,
            algorithm=key.algorithm_name,
            issuer=self._issuer,
            audience=self._audience,
            leeway_s=self._leeway_s,
        )
        return _principal_from_claims(claims), float(claims["exp"])

    def _signing_key(self, token: str) -> jwt.PyJWK:
        try:
            kid = jwt.get_unverified_header(token).get("kid")  # only to choose a key
        except jwt.PyJWTError as exc:
            raise AuthError("auth.token_invalid", detail=str(exc)) from None
        if not isinstance(kid, str) or not kid:
            raise AuthError("auth.unknown_key", detail="the token names no kid")
        if self._client is None:
            if kid not in self._keys:
                raise AuthError("auth.unknown_key", detail=f"kid {kid!r}")
            return self._keys[kid]
        try:
            return self._client.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthError("auth.jwks_unavailable", detail=str(exc)) from None
        except jwt.PyJWKClientError as exc:
            raise AuthError("auth.unknown_key", detail=str(exc)) from None


# --- gateway -> service assertion ----------------------------------------------------------
INTERNAL_AUDIENCE = "labornet-internal"
INTERNAL_ISSUER = "labornet-gateway"
_MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key at least as long as the hash output


def _check_secret(secret: bytes) -> None:
    if len(secret) < _MIN_SECRET_BYTES:
        raise ValueError(f"the internal secret needs at least {_MIN_SECRET_BYTES} bytes")


def sign_internal_principal(principal: Principal, *, secret: bytes, ttl_s: int = 60, now: float | None = None) -> str:
    """Short-lived: it travels with one request, so a minute covers any retry path."""
    _check_secret(secret)
    claims = _registered_claims(issuer=INTERNAL_ISSUER, audience=INTERNAL_AUDIENCE, ttl_s=ttl_s, now=now)
    claims.update(_principal_claims(principal))
    return jwt.encode(claims, secret, algorithm="HS256")


class AssertionCache:
    """The gateway's signed assertion of a principal, reused for half its life.

    A staff member's requests all carry the same principal, so one HS256 signature serves them
    for ``reuse_s`` seconds instead of one per request; each reused assertion still has at least
    ``ttl_s - reuse_s`` seconds to reach the service, which verifies it as before.
    """

    def __init__(self, *, secret: bytes, ttl_s: int = 60, reuse_s: float = 30.0, kept: int = 4096) -> None:
        _check_secret(secret)
        if not 0 <= reuse_s < ttl_s:
            raise ValueError("an assertion is reused for less than its life")
        self._secret, self._ttl_s, self._reuse_s, self._kept = secret, ttl_s, reuse_s, kept
        self._signed: dict[Principal, tuple[str, float]] = {}

    def assertion(self, principal: Principal, *, now: float | None = None) -> str:
        at = time.time() if now is None else now
        found = self._signed.get(principal)
        if found is not None and at < found[1]:
            return found[0]
        token = sign_internal_principal(principal, secret=self._secret, ttl_s=self._ttl_s, now=at)
        if len(self._signed) >= self._kept:
            self._signed.clear()
        self._signed[principal] = (token, at + self._reuse_s)
        return token


# The gateway reuses an assertion for many requests (AssertionCache), so a service keeps the
# ones it verified: (secret, token) -> (principal, exp). Bounded; emptied when full.
_verified_assertions: dict[tuple[bytes, str], tuple[Principal, float]] = {}
VERIFIED_ASSERTIONS_KEPT = 4096


def verify_internal_principal(token: str, *, secret: bytes, leeway_s: int = 5) -> Principal:
    """The principal an assertion vouches for. One verified before answers from the cache until
    its ``exp``; past it (the leeway included) it is verified in full again."""
    key = (secret, token)
    cached = _verified_assertions.get(key)
    if cached is not None and time.time() < cached[1]:
        return cached[0]
    _check_secret(secret)
    claims = _decode(
        token,
        secret,
        algorithm="HS256",
        issuer=INTERNAL_ISSUER,
        audience=INTERNAL_AUDIENCE,
        leeway_s=leeway_s,
    )
    principal = _principal_from_claims(claims)
    if len(_verified_assertions) >= VERIFIED_ASSERTIONS_KEPT:
        _verified_assertions.clear()
    _verified_assertions[key] = (principal, float(claims["exp"]))
    return principal


# --- worker access codes -------------------------------------------------------------------
# No 0/O or 1/I/L: codes are printed on receipts, read out at windows and typed on phones.
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 8  # 31**8 ≈ 2**39.6; the gateway's rate limit stops online guessing
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1  # 16 MiB, tens of ms: fine once per sign-in
_SCRYPT_MAXMEM = 64 * 1024 * 1024  # also caps parameters read back from a stored hash


def generate_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def normalise_access_code(code: str) -> str:
    """Fold what people type: full-width IME input, lower case, 'ABCD-EFGH', spaces."""
    folded = unicodedata.normalize("NFKC", code).upper()
    return "".join(folded.split()).replace("-", "")


def _scrypt(code: str, *, salt: bytes, n: int, r: int, p: int, dklen: int = 32) -> bytes:
    secret = normalise_access_code(code).encode("utf-8")
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=dklen)


def hash_access_code(code: str) -> str:
    """``scrypt$n$r$p$salt$hash``: the parameters travel with the hash so they can grow."""
    if not normalise_access_code(code):
        raise ValueError("an access code cannot be empty")
    salt = secrets.token_bytes(16)
    digest = _scrypt(code, salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64url(salt)}${_b64url(digest)}"


def _parse_access_hash(hashed: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = hashed.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    if not all(part.isascii() and part.isdigit() and len(part) <= 8 for part in parts[1:4]):
        return None
    n, r, p = (int(part) for part in parts[1:4])
    if r > 32 or p > 16:  # a tampered row must not be able to pin a CPU
        return None
    try:
        salt, digest = (base64.urlsafe_b64decode(part + "==") for part in parts[4:])
    except (binascii.Error, ValueError):
        return None
    return (n, r, p, salt, digest) if len(salt) >= 16 and 16 <= len(digest) <= 64 else None


def verify_access_code(code: str, hashed: str) -> bool:
    """Constant-time check; a malformed stored hash verifies nothing (fail closed)."""
    parsed = _parse_access_hash(hashed)
    if parsed is None:
        return False
    n, r, p, salt, expected = parsed
    try:
        actual = _scrypt(code, salt=salt, n=n, r=r, p=p, dklen=len(expected))
    except ValueError:  # n not a power of two, or more memory than _SCRYPT_MAXMEM
        return False
    return hmac.compare_digest(actual, expected)
