"""Principals, access tokens, the gateway's internal assertion and worker access codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pydantic import ValidationError

from labornet_common.security import auth
from labornet_common.security.auth import (
    ACCESS_CODE_ALPHABET,
    INTERNAL_AUDIENCE,
    INTERNAL_ISSUER,
    AssertionCache,
    AuthError,
    Principal,
    Role,
    TokenIssuer,
    TokenVerifier,
    generate_access_code,
    hash_access_code,
    sign_internal_principal,
    verify_access_code,
    verify_internal_principal,
)

ISSUER, AUDIENCE = "https://id.labornet.test", "labornet-api"
SECRET = b"s" * 32
MEDIATOR = Principal(
    subject="u-mediator-1",
    name="王调解",
    roles=frozenset({Role.mediator}),
    region_scopes=("410305",),
    org_id="centre-lyjx-01",
)
WORKER = Principal(subject="w-1", roles=frozenset({Role.worker}), case_ids=frozenset({"C1"}))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def staff(*scopes: str, role: Role = Role.mediator, subject: str = "s-1") -> Principal:
    return Principal(subject=subject, roles=frozenset({role}), region_scopes=scopes)


@pytest.fixture(scope="module")
def issuer() -> TokenIssuer:
    return TokenIssuer(issuer=ISSUER, audience=AUDIENCE)


@pytest.fixture(scope="module")
def verifier(issuer: TokenIssuer) -> TokenVerifier:
    return TokenVerifier(jwks=issuer.jwks(), issuer=ISSUER, audience=AUDIENCE)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u1", "iat": now, "exp": now + 300}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def private_key(issuer: TokenIssuer) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(issuer.private_key_pem(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def raw_rs256(issuer: TokenIssuer, payload: dict[str, Any], kid: str | None = "same") -> str:
    """A token signed by the issuer's own key but with claims the issuer would never write."""
    key = private_key(issuer)
    headers = {"kid": issuer.kid if kid == "same" else kid}
    return jwt.encode(payload, key, algorithm="RS256", headers={k: v for k, v in headers.items() if v})


def expect_auth_error(code: str, call: Any, *args: Any, **kwargs: Any) -> AuthError:
    with pytest.raises(AuthError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert caught.value.message_zh and caught.value.message_en
    return caught.value


# --- Principal --------------------------------------------------------------------------
def test_principal_is_frozen() -> None:
    with pytest.raises(ValidationError):
        MEDIATOR.subject = "someone-else"  # type: ignore[misc]


@pytest.mark.parametrize("scope", ["41a3", "4", "", "４１０３", "4103*", "1234567890123"])
def test_malformed_scopes_are_refused(scope: str) -> None:
    with pytest.raises(ValidationError):
        staff(scope)


def test_nationwide_scope_is_for_admins_only() -> None:
    with pytest.raises(ValidationError, match="reserved for admins"):
        staff("*", role=Role.inspector)
    assert staff("*", role=Role.admin).in_region("371002")


def test_whole_city_codes_become_prefixes() -> None:
    principal = staff("410300", "350102", "410000", "4103")
    assert principal.region_scopes == ("4103", "350102", "41")


def test_has_role_means_any_of() -> None:
    assert MEDIATOR.has_role(Role.arbitrator, Role.mediator)
    assert not MEDIATOR.has_role(Role.arbitrator, Role.admin)
    assert not MEDIATOR.has_role()


def test_in_region_is_a_prefix_match() -> None:
    luoyang = staff("4103")
    assert luoyang.in_region("410305") and luoyang.in_region("410300")
    assert not luoyang.in_region("410405")  # 平顶山
    assert not luoyang.in_region("410000")  # the province is wider than the city
    assert not staff().in_region("410305")  # no scope, no region


@pytest.mark.parametrize("code", ["", "41a305", "４１０３０５", "4103 05", "*"])
def test_malformed_division_codes_are_in_nobodys_region(code: str) -> None:
    assert not staff("4103").in_region(code)
    assert not staff("*", role=Role.admin).in_region(code)


def test_worker_sees_only_their_own_cases() -> None:
    assert WORKER.can_see_case(case_id="C1", division_codes=["410305"])
    assert not WORKER.can_see_case(case_id="C2", division_codes=["410305"])


def test_worker_gets_nothing_from_region_or_assignment() -> None:
    worker = Principal(subject="w-1", roles=frozenset({Role.worker}), region_scopes=("4103",))
    assert not worker.can_see_case(case_id="C2", division_codes=["410305"], assigned_to="w-1")


def test_case_ids_without_the_worker_role_grant_nothing() -> None:
    nobody = Principal(subject="x", case_ids=frozenset({"C1"}))
    assert not nobody.can_see_case(case_id="C1", division_codes=["410305"])


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.worker}))
def test_staff_see_cases_in_their_region(role: Role) -> None:
    principal = staff("350102", role=role)
    assert principal.can_see_case(case_id="C9", division_codes=["350102"])
    assert not principal.can_see_case(case_id="C9", division_codes=["350103"])


def test_any_division_code_of_the_case_is_enough() -> None:
    weihai = staff("3710")
    codes = ["410305", "371002"]  # workplace in 洛阳, employer registered in 威海
    assert weihai.can_see_case(case_id="C9", division_codes=codes)
    assert weihai.can_see_case(case_id="C9", division_codes=iter(codes))
    assert not weihai.can_see_case(case_id="C9", division_codes=[])


def test_staff_see_cases_assigned_to_them_outside_their_region() -> None:
    arbitrator = staff("3710", role=Role.arbitrator, subject="arb-7")
    assert arbitrator.can_see_case(case_id="C9", division_codes=["410305"], assigned_to="arb-7")
    assert not arbitrator.can_see_case(case_id="C9", division_codes=["410305"], assigned_to="arb-8")


def test_staff_without_scope_see_nothing_by_region() -> None:
    assert not staff(role=Role.clerk).can_see_case(case_id="C9", division_codes=["410305"])


def test_nationwide_admin_sees_every_case() -> None:
    admin = staff("*", role=Role.admin)
    assert admin.can_see_case(case_id="C9", division_codes=["650102"])


# --- TokenIssuer / TokenVerifier ----------------------------------------------------------
def test_issued_token_round_trips_to_the_same_principal(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    assert verifier.verify(issuer.issue(MEDIATOR)) == MEDIATOR
    assert verifier.verify(issuer.issue(WORKER)) == WORKER


def test_issued_token_carries_the_documented_claims(issuer: TokenIssuer) -> None:
    token = issuer.issue(MEDIATOR, ttl_s=600)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["kid"] == issuer.kid
    body = jwt.decode(token, options={"verify_signature": False})
    assert (body["iss"], body["aud"], body["sub"]) == (ISSUER, AUDIENCE, "u-mediator-1")
    assert body["exp"] - body["iat"] == 600 and body["nbf"] == body["iat"]
    assert abs(body["iat"] - time.time()) < 5
    assert body["roles"] == ["mediator"] and body["scopes"] == ["410305"]
    assert (body["org"], body["name"], body["cases"]) == ("centre-lyjx-01", "王调解", [])
    assert body["jti"] != jwt.decode(issuer.issue(MEDIATOR), options={"verify_signature": False})["jti"]


def test_jwks_is_a_public_rfc7517_set_with_a_thumbprint_kid(issuer: TokenIssuer) -> None:
    (jwk,) = issuer.jwks()["keys"]
    assert {k: jwk[k] for k in ("kty", "alg", "use", "kid")} == {
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": issuer.kid,
    }
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
    numbers = private_key(issuer).public_key().public_numbers()
    n = b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big"))
    assert (jwk["n"], jwk["e"]) == (n, "AQAB")
    canonical = json.dumps({"e": "AQAB", "kty": "RSA", "n": n}, separators=(",", ":"))
    assert issuer.kid == b64url(hashlib.sha256(canonical.encode()).digest())


def test_a_loaded_pem_keeps_the_kid_and_its_tokens_verify(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    again = TokenIssuer(issuer=ISSUER, audience=AUDIENCE, private_key_pem=issuer.private_key_pem())
    assert again.kid == issuer.kid
    assert verifier.verify(again.issue(MEDIATOR)) == MEDIATOR


def test_weak_or_non_rsa_keys_are_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    curve = ec.generate_private_key(ec.SECP256R1())
    for key in (small, curve):
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(ValueError, match="2048"):
            TokenIssuer(issuer=ISSUER, audience=AUDIENCE, private_key_pem=pem)


def test_expired_tokens_are_refused_beyond_the_leeway(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    now = time.time()
    expect_auth_error("auth.token_expired", verifier.verify, issuer.issue(MEDIATOR, now=now - 400, ttl_s=300))
    assert verifier.verify(issuer.issue(MEDIATOR, now=now - 310, ttl_s=300)) == MEDIATOR
    error = expect_auth_error("auth.token_expired", verifier.verify, issuer.issue(MEDIATOR, now=now - 340, ttl_s=300))
    assert error.status == 401


def test_tokens_from_the_future_are_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    expect_auth_error("auth.token_invalid", verifier.verify, issuer.issue(MEDIATOR, now=time.time() + 600))


@pytest.mark.parametrize(("issuer_name", "audience"), [(ISSUER, "another-api"), ("https://evil.test", AUDIENCE)])
def test_wrong_audience_or_issuer_is_refused(
    issuer: TokenIssuer, verifier: TokenVerifier, issuer_name: str, audience: str
) -> None:
    token = TokenIssuer(issuer=issuer_name, audience=audience, private_key_pem=issuer.private_key_pem()).issue(MEDIATOR)
    expect_auth_error("auth.token_invalid", verifier.verify, token)


def test_an_unknown_kid_is_refused(verifier: TokenVerifier) -> None:
    stranger = TokenIssuer(issuer=ISSUER, audience=AUDIENCE)
    expect_auth_error("auth.unknown_key", verifier.verify, stranger.issue(MEDIATOR))


def test_a_token_without_kid_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    expect_auth_error("auth.unknown_key", verifier.verify, raw_rs256(issuer, claims(), kid=None))


def test_a_forged_kid_does_not_help_another_key(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    stranger = TokenIssuer(issuer=ISSUER, audience=AUDIENCE)
    forged = raw_rs256(stranger, claims(), kid=issuer.kid)
    expect_auth_error("auth.token_invalid", verifier.verify, forged)


def test_alg_none_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    token = jwt.encode(claims(), "", algorithm="none", headers={"kid": issuer.kid})
    expect_auth_error("auth.token_invalid", verifier.verify, token)


def test_hs256_signed_with_the_public_key_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    # The classic confusion: HMAC "secret" = the public key every client can download.
    public_pem = (
        private_key(issuer)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode())
    payload = b64url(json.dumps(claims()).encode())
    for secret in (public_pem, json.dumps(issuer.jwks()["keys"][0]).encode()):
        signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        token = f"{header}.{payload}.{b64url(signature)}"
        expect_auth_error("auth.token_invalid", verifier.verify, token)


def test_a_symmetric_key_in_the_jwks_is_never_used() -> None:
    secret = b"k" * 32
    jwks = {"keys": [{"kty": "oct", "kid": "hmac", "k": b64url(secret)}]}
    verifier = TokenVerifier(jwks=jwks, issuer=ISSUER, audience=AUDIENCE)
    token = jwt.encode(claims(), secret, algorithm="HS256", headers={"kid": "hmac"})
    expect_auth_error("auth.unknown_key", verifier.verify, token)


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud", "sub"])
def test_required_claims(issuer: TokenIssuer, verifier: TokenVerifier, missing: str) -> None:
    token = raw_rs256(issuer, claims(**{missing: None}))
    expect_auth_error("auth.token_invalid", verifier.verify, token)


def test_tampered_or_garbage_tokens_are_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    header, _, signature = issuer.issue(WORKER).split(".")
    widened = b64url(json.dumps(claims(roles=["worker"], cases=["C1", "C2"])).encode())
    expect_auth_error("auth.token_invalid", verifier.verify, f"{header}.{widened}.{signature}")
    for garbage in ("", "abc", "a.b.c", "..."):
        expect_auth_error("auth.token_invalid", verifier.verify, garbage)


def test_invalid_claims_are_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    for bad in (
        {"roles": ["inspector"], "scopes": ["*"]},  # nationwide without admin
        {"roles": "admin"},  # not a list
        {"scopes": ["41a3"]},
        {"cases": [1, 2]},
    ):
        expect_auth_error("auth.claims_invalid", verifier.verify, raw_rs256(issuer, claims(**bad)))


def test_unknown_roles_grant_nothing(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    principal = verifier.verify(raw_rs256(issuer, claims(roles=["superuser", "clerk"])))
    assert principal.roles == frozenset({Role.clerk})


@pytest.mark.parametrize("algorithms", [["HS256"], ["none"], [], ["RS256", "HS512"]])
def test_verifier_refuses_symmetric_or_no_algorithms(issuer: TokenIssuer, algorithms: list[str]) -> None:
    with pytest.raises(ValueError, match="algorithms"):
        TokenVerifier(jwks=issuer.jwks(), issuer=ISSUER, audience=AUDIENCE, algorithms=algorithms)


def test_verifier_refuses_an_empty_jwks_and_plain_http() -> None:
    with pytest.raises(ValueError, match="JWKS"):
        TokenVerifier(jwks={"keys": []}, issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(ValueError, match="https"):
        TokenVerifier(jwks="http://id.example.com/jwks.json", issuer=ISSUER, audience=AUDIENCE)


@pytest.fixture
def jwks_server(issuer: TokenIssuer) -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    body = json.dumps(issuer.jwks()).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json", hits
    server.shutdown()
    server.server_close()


def test_verifier_fetches_and_caches_a_jwks_url(issuer: TokenIssuer, jwks_server: tuple[str, list[str]]) -> None:
    url, hits = jwks_server
    verifier = TokenVerifier(jwks=url, issuer=ISSUER, audience=AUDIENCE)
    assert verifier.verify(issuer.issue(MEDIATOR)) == MEDIATOR
    assert verifier.verify(issuer.issue(WORKER)) == WORKER
    assert hits == ["/.well-known/jwks.json"]  # fetched once, then served from the cache
    stranger = TokenIssuer(issuer=ISSUER, audience=AUDIENCE)
    expect_auth_error("auth.unknown_key", verifier.verify, stranger.issue(MEDIATOR))


def test_an_unreachable_jwks_url_is_a_503(issuer: TokenIssuer) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as probe:
        port = probe.server_address[1]  # a port that is closed once the block exits
    verifier = TokenVerifier(jwks=f"http://127.0.0.1:{port}/jwks.json", issuer=ISSUER, audience=AUDIENCE)
    error = expect_auth_error("auth.jwks_unavailable", verifier.verify, issuer.issue(MEDIATOR))
    assert error.status == 503


# --- internal gateway assertion -------------------------------------------------------------
def test_internal_assertion_round_trips() -> None:
    token = sign_internal_principal(MEDIATOR, secret=SECRET)
    assert verify_internal_principal(token, secret=SECRET) == MEDIATOR
    body = jwt.decode(token, options={"verify_signature": False})
    assert (body["aud"], body["iss"]) == (INTERNAL_AUDIENCE, INTERNAL_ISSUER)
    assert body["exp"] - body["iat"] == 60
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_internal_assertion_tampered_is_refused() -> None:
    header, _, signature = sign_internal_principal(WORKER, secret=SECRET).split(".")
    body = claims(iss=INTERNAL_ISSUER, aud=INTERNAL_AUDIENCE, roles=["admin"], scopes=["*"])
    forged = f"{header}.{b64url(json.dumps(body).encode())}.{signature}"
    expect_auth_error("auth.token_invalid", verify_internal_principal, forged, secret=SECRET)


def test_internal_assertion_expires() -> None:
    token = sign_internal_principal(MEDIATOR, secret=SECRET, now=time.time() - 70)
    expect_auth_error("auth.token_expired", verify_internal_principal, token, secret=SECRET)


def test_internal_assertion_wrong_secret_is_refused() -> None:
    token = sign_internal_principal(MEDIATOR, secret=SECRET)
    expect_auth_error("auth.token_invalid", verify_internal_principal, token, secret=b"t" * 32)


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "labornet-api", "iss": INTERNAL_ISSUER},
        {"aud": INTERNAL_AUDIENCE, "iss": "someone-else"},
    ],
)
def test_internal_assertion_wrong_audience_or_issuer(overrides: dict[str, str]) -> None:
    token = jwt.encode(claims(**overrides), SECRET, algorithm="HS256")
    expect_auth_error("auth.token_invalid", verify_internal_principal, token, secret=SECRET)


def test_internal_and_user_tokens_are_not_interchangeable(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    internal = sign_internal_principal(MEDIATOR, secret=SECRET)
    with pytest.raises(AuthError):
        verifier.verify(internal)
    with pytest.raises(AuthError):
        verify_internal_principal(issuer.issue(MEDIATOR), secret=SECRET)
    unsigned = jwt.encode(claims(iss=INTERNAL_ISSUER, aud=INTERNAL_AUDIENCE), "", algorithm="none")
    expect_auth_error("auth.token_invalid", verify_internal_principal, unsigned, secret=SECRET)


def test_internal_secret_must_be_long() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        sign_internal_principal(MEDIATOR, secret=b"short")
    with pytest.raises(ValueError, match="32 bytes"):
        verify_internal_principal("x.y.z", secret=b"short")


# --- access codes -----------------------------------------------------------------------
def test_access_codes_use_the_unambiguous_alphabet() -> None:
    codes = [generate_access_code() for _ in range(500)]
    assert all(len(code) == 8 and set(code) <= set(ACCESS_CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(ACCESS_CODE_ALPHABET)
    assert len(set(codes)) == 500
    assert set("".join(codes)) == set(ACCESS_CODE_ALPHABET)  # every symbol gets used


def test_access_code_hash_verifies_and_is_salted() -> None:
    code = generate_access_code()
    first, second = hash_access_code(code), hash_access_code(code)
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert code not in first
    assert verify_access_code(code, first) and verify_access_code(code, second)
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert not verify_access_code(wrong, first)


def test_access_codes_are_compared_the_way_people_type_them() -> None:
    hashed = hash_access_code("ABCD2345")
    for typed in ("abcd2345", " ABCD-2345 ", "ABCD 2345", "ＡＢＣＤ２３４５"):
        assert verify_access_code(typed, hashed), typed


def test_access_code_hash_carries_its_parameters() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"ABCD2345", salt=salt, n=2**10, r=8, p=1, dklen=32)
    hashed = f"scrypt$1024$8$1${b64url(salt)}${b64url(digest)}"
    assert verify_access_code("abcd2345", hashed)
    assert not verify_access_code("ABCD2346", hashed)


def test_a_tampered_digest_verifies_nothing() -> None:
    hashed = hash_access_code("ABCD2345")
    prefix, _, digest = hashed.rpartition("$")
    raw = bytearray(base64.urlsafe_b64decode(digest + "=="))
    raw[-1] ^= 0x01
    assert not verify_access_code("ABCD2345", f"{prefix}${b64url(bytes(raw))}")


def test_stored_parameters_are_bounded() -> None:
    # A row rewritten with a huge parallelism factor must not turn a sign-in into a CPU sink.
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"ABCD2345", salt=salt, n=16, r=1, p=17, dklen=32)
    assert not verify_access_code("ABCD2345", f"scrypt$16$1$17${b64url(salt)}${b64url(digest)}")


@pytest.mark.parametrize(
    "hashed",
    [
        "",
        "plain-text-code",
        "bcrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt$16384$8$1$c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # 4-byte salt
        "scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # n not 2**k
        "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # 1 TiB
        "scrypt$16384$8$99999$c2FsdHNhbHRzYWx0c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt$-1$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA",
    ],
)
def test_malformed_hashes_verify_nothing(hashed: str) -> None:
    assert verify_access_code("ABCD2345", hashed) is False


def test_empty_access_codes_cannot_be_hashed() -> None:
    with pytest.raises(ValueError):
        hash_access_code(" - ")


def test_staff_act_for_their_own_organisation_admins_for_any() -> None:
    city = Principal(subject="a", roles=frozenset({Role.arbitrator}), region_scopes=("4103",), org_id="arb-4103")
    assert city.acts_for(["arb-4103", "trib-410311-007"])
    assert not city.acts_for(["arb-410307"])
    assert not city.acts_for([])
    no_org = Principal(subject="b", roles=frozenset({Role.clerk}), region_scopes=("4103",))
    assert not no_org.acts_for(["arb-4103"])  # a token naming no organisation acts for none
    admin = Principal(subject="c", roles=frozenset({Role.admin}), region_scopes=("*",))
    assert admin.acts_for(["arb-410307"])


# --- verified tokens and assertions are reused, within their lives ------------------------------
def _counting_decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    decoded: list[str] = []
    real = auth._decode

    def counting(token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        decoded.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(auth, "_decode", counting)
    return decoded


def test_a_verified_token_is_not_verified_again_until_it_expires(
    issuer: TokenIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = TokenVerifier(jwks=issuer.jwks(), issuer=ISSUER, audience=AUDIENCE)
    decoded = _counting_decodes(monkeypatch)
    token = issuer.issue(MEDIATOR, ttl_s=300)
    assert [verifier.verify(token) for _ in range(3)] == [MEDIATOR] * 3
    assert len(decoded) == 1  # the signature was checked once
    another = issuer.issue(WORKER, ttl_s=300)
    assert verifier.verify(another) == WORKER and len(decoded) == 2
    # Past the token's exp the cache no longer answers: the token is checked in full again.
    later = time.time() + 301
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: later))
    verifier.verify(token)
    assert len(decoded) == 3


def test_tokens_in_the_leeway_or_refused_are_never_answered_from_the_cache(
    issuer: TokenIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = TokenVerifier(jwks=issuer.jwks(), issuer=ISSUER, audience=AUDIENCE)
    decoded = _counting_decodes(monkeypatch)
    now = time.time()
    in_leeway = issuer.issue(MEDIATOR, now=now - 310, ttl_s=300)  # exp passed, within the 30 s leeway
    assert verifier.verify(in_leeway) == MEDIATOR and verifier.verify(in_leeway) == MEDIATOR
    assert len(decoded) == 2
    expired = issuer.issue(MEDIATOR, now=now - 400, ttl_s=300)
    for _ in range(2):
        expect_auth_error("auth.token_expired", verifier.verify, expired)
    forged = raw_rs256(TokenIssuer(issuer=ISSUER, audience=AUDIENCE), claims(), kid=issuer.kid)
    for _ in range(2):
        expect_auth_error("auth.token_invalid", verifier.verify, forged)
    assert len(decoded) == 6


def test_the_cache_of_verified_tokens_is_bounded(issuer: TokenIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_KEPT", 3)
    verifier = TokenVerifier(jwks=issuer.jwks(), issuer=ISSUER, audience=AUDIENCE)
    decoded = _counting_decodes(monkeypatch)
    tokens = [issuer.issue(MEDIATOR) for _ in range(5)]
    for token in tokens:
        verifier.verify(token)
    verifier.verify(tokens[-1])  # still kept
    verifier.verify(tokens[0])  # evicted: checked again
    assert len(decoded) == 6


def test_an_assertion_is_reused_for_half_its_life_and_still_verifies() -> None:
    cache = AssertionCache(secret=SECRET, ttl_s=60, reuse_s=30)
    now = time.time()
    first = cache.assertion(MEDIATOR, now=now)
    assert cache.assertion(MEDIATOR, now=now + 29) == first
    assert verify_internal_principal(first, secret=SECRET) == MEDIATOR
    assert cache.assertion(WORKER, now=now + 1) != first  # one per principal
    renewed = cache.assertion(MEDIATOR, now=now + 30)
    assert renewed != first
    exp = jwt.decode(renewed, options={"verify_signature": False})["exp"]
    assert exp - (now + 30) >= 59  # a renewed assertion has its whole life ahead


def test_an_assertion_cache_refuses_a_reuse_as_long_as_the_life() -> None:
    with pytest.raises(ValueError):
        AssertionCache(secret=SECRET, ttl_s=60, reuse_s=60)


def test_a_service_verifies_a_reused_assertion_once_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded = _counting_decodes(monkeypatch)
    token = sign_internal_principal(MEDIATOR, secret=SECRET)
    assert [verify_internal_principal(token, secret=SECRET) for _ in range(3)] == [MEDIATOR] * 3
    assert len(decoded) == 1
    expect_auth_error("auth.token_invalid", verify_internal_principal, token, secret=b"o" * 32)  # not another key's
    later = time.time() + 61
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: later))
    verify_internal_principal(token, secret=SECRET)  # past its exp: verified in full again
    assert len(decoded) == 3
