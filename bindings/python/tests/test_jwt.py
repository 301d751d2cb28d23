"""JWT device authentication (issue 11): DeviceKey, register/login/verify, JwtSession as a token
provider, over real sockets against the fake, which checks every device JWT for real (its own
Ed25519 code) and signs its Plex JWTs with a key it can rotate and expire. The device JWTs and the
Plex JWTs are also checked with an independent implementation (the ``cryptography`` package)."""

import asyncio
import base64
import hashlib
import json
import logging
import os
import pickle
import stat
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from support import FIRST_PIN_ID, LOGIN_A, TOKEN_A, Fake, header

import plexauth
from plexauth import DeviceKey, JwtSession, PlexAPI
from plexauth.models import errors, operations

MakeClient = Callable[..., PlexAPI]
CLIENT_ID = "test-client-id"  # make_client's default


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def split(jwt: str) -> Tuple[Dict[str, Any], Dict[str, Any], bytes, bytes]:
    """(header, claims, signature, signing input) of a compact JWS."""
    head, body, sig = jwt.split(".")
    return json.loads(b64d(head)), json.loads(b64d(body)), b64d(sig), f"{head}.{body}".encode()


def public_key(jwk: Dict[str, Any]) -> Ed25519PublicKey:
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"
    return Ed25519PublicKey.from_public_bytes(b64d(jwk["x"]))


def thumbprint(jwk: Dict[str, Any]) -> str:
    """RFC 7638, computed here: SHA-256 of the required members in lexicographic order, no spaces."""
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"))
    return b64e(hashlib.sha256(canonical.encode()).digest())


def body_of(exc: errors.PlexAuthError) -> str:
    """The response body an error carries (redacted by the library)."""
    return (exc.detail.body or b"").decode("utf-8", "replace")


def exchanges(fake: Fake) -> int:
    return len(fake.requests("/api/v2/auth/token"))


@pytest.fixture
def key() -> Any:
    k = DeviceKey.generate()
    yield k
    k.close()


def registered(make_client: MakeClient, key: DeviceKey, **kwargs: Any) -> PlexAPI:
    s = make_client(access_token=TOKEN_A, **kwargs)
    s.register_device_key(key)
    return s


# ------------------------------------------------------------------ keys


def test_generated_key_pem_round_trip_and_public_jwk(key: DeviceKey) -> None:
    assert key.created
    jwk = json.loads(key.jwk)
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA" and jwk["use"] == "sig"
    assert "d" not in jwk, "the JWK is the public half only"
    assert jwk["kid"] == key.id == thumbprint(jwk)
    pem = key.to_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----\n") and pem.rstrip().endswith("-----END PRIVATE KEY-----")
    # The PEM is the same key for another implementation: its public half is the JWK's x.
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, Ed25519PrivateKey)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert b64e(raw) == jwk["x"]
    for text in (pem, pem.encode()):
        with DeviceKey.from_pem(text) as again:
            assert again.id == key.id and again.jwk == key.jwk and not again.created
    # A key made elsewhere (cryptography) is read too, with the thumbprint computed here.
    foreign = Ed25519PrivateKey.generate()
    foreign_pem = foreign.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
    with DeviceKey.from_pem(foreign_pem) as imported:
        x = foreign.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        assert json.loads(imported.jwk)["x"] == b64e(x)
        assert imported.id == thumbprint({"kty": "OKP", "crv": "Ed25519", "x": b64e(x)})
    # The private key never shows in repr, and a key is not copied.
    body = "".join(pem.splitlines()[1:-1])
    assert body not in repr(key) and key.id in repr(key)
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_save_is_0600_and_a_group_readable_file_is_refused(key: DeviceKey, tmp_path: Path) -> None:
    path = tmp_path / "device_key.pem"
    key.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == key.to_pem()
    with DeviceKey.load(path) as loaded:
        assert loaded.id == key.id and not loaded.created
    with DeviceKey.load(str(path)) as loaded:
        assert loaded.id == key.id
    path.chmod(0o640)
    with pytest.raises(errors.InvalidArgument) as info:
        DeviceKey.load(path)
    assert info.value.status_name == "invalid_argument"
    assert "PRIVATE KEY" not in str(info.value) and key.to_pem().splitlines()[1] not in str(info.value)
    with pytest.raises(errors.TransportError):
        DeviceKey.load(tmp_path / "missing.pem")


def test_load_or_create_makes_the_file_once(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "device_key.pem"
    path.parent.mkdir()
    with DeviceKey.load_or_create(path) as made:
        assert made.created and stat.S_IMODE(path.stat().st_mode) == 0o600
        with DeviceKey.load_or_create(path) as again:
            assert not again.created and again.id == made.id


def test_bad_key_input_is_refused_without_echoing_it(tmp_path: Path) -> None:
    garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n"
    with pytest.raises(errors.InvalidArgument) as info:
        DeviceKey.from_pem(garbage)
    assert "c2VjcmV0LWtleS1tYXRlcmlhbA" not in str(info.value)
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with pytest.raises(errors.InvalidArgument):
        DeviceKey.from_pem(ec_pem)  # not Ed25519
    with pytest.raises(errors.InvalidArgument):
        DeviceKey.from_pem("pem\x00tail")
    with pytest.raises(errors.InvalidArgument):
        DeviceKey.from_pem("")
    with pytest.raises(TypeError):
        DeviceKey.from_pem(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DeviceKey()
    not_a_key = tmp_path / "not_a_key.pem"
    not_a_key.write_text("hello")
    not_a_key.chmod(0o600)
    with pytest.raises(errors.InvalidArgument):
        DeviceKey.load(not_a_key)
    with pytest.raises(errors.InvalidArgument):
        DeviceKey.load("a\x00b")
    with pytest.raises(TypeError):
        DeviceKey.load(3)  # type: ignore[arg-type]


def test_a_closed_key_refuses_use(make_client: MakeClient) -> None:
    k = DeviceKey.generate()
    kid = k.id
    k.close()
    k.close()  # idempotent
    assert k.closed and "closed" in repr(k) and k.id == kid
    with pytest.raises(RuntimeError):
        k.to_pem()
    with pytest.raises(RuntimeError):
        k.sign_jwt(CLIENT_ID)
    with pytest.raises(RuntimeError):
        make_client().jwt_login(k)


# ------------------------------------------------------------------ the application's own keystore


class MemoryKeyStore:
    """An application's keystore in memory: what it holds and what it was asked."""

    def __init__(self, stored: Any = None) -> None:
        self.stored: Any = stored
        self.reads = 0
        self.writes: List[bytes] = []
        self.read_error: Optional[BaseException] = None
        self.write_error: Optional[BaseException] = None

    def read(self) -> Any:
        self.reads += 1
        if self.read_error is not None:
            raise self.read_error
        return self.stored

    def write(self, pem: bytes) -> None:
        self.writes.append(pem)
        if self.write_error is not None:
            raise self.write_error
        self.stored = pem


def test_a_keystore_gets_a_new_key_once_and_gives_it_back(fake: Fake, make_client: MakeClient) -> None:
    store = MemoryKeyStore()
    with DeviceKey.load_or_create_with(store.read, store.write) as made:
        assert made.created and store.reads == 1 and len(store.writes) == 1
        (written,) = store.writes
        assert isinstance(written, bytes) and written.startswith(b"-----BEGIN PRIVATE KEY-----\n")
        assert written.decode() == made.to_pem()
        # What was written is that key (read by another implementation too).
        private = serialization.load_pem_private_key(written, password=None)
        assert isinstance(private, Ed25519PrivateKey)
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        assert b64e(raw) == json.loads(made.jwk)["x"]
        with DeviceKey.from_pem(written) as from_store:
            assert from_store.id == made.id

        # A stored key is loaded, not written again: bytes or str.
        for stored in (written, written.decode()):
            store.stored = stored
            with DeviceKey.load_or_create_with(store.read, store.write) as again:
                assert not again.created and again.id == made.id and again.jwk == made.jwk
        assert store.reads == 3 and len(store.writes) == 1

        # save_with writes the text to_pem gives, once.
        other = MemoryKeyStore()
        made.save_with(other.write)
        assert other.writes == [made.to_pem().encode()] and other.reads == 0

    # The key from the keystore registers and logs in against the fake.
    with DeviceKey.load_or_create_with(store.read, store.write) as key:
        s = registered(make_client, key)
        (reg,) = fake.requests("/api/v2/auth/jwk")
        assert json.loads(reg["body"]) == {"jwk": json.loads(key.jwk)}
        jwt = s.jwt_login(key).auth_token
        assert jwt and split(jwt)[1]["thumbprint"] == key.id
        assert s.jwt_verify(jwt, key) > time.time()
        account = make_client(access_token=jwt).authentication.get_token_details().user_plex_account
        assert account is not None and account.email == "username@email.com"
    assert len(store.writes) == 1


def test_a_failing_keystore_gives_no_key_and_its_exception(key: DeviceKey) -> None:
    # read raises: CallbackError from that exception; nothing is written.
    store = MemoryKeyStore()
    store.read_error = OSError("keychain locked")
    with pytest.raises(errors.CallbackError) as info:
        DeviceKey.load_or_create_with(store.read, store.write)
    assert isinstance(info.value.__cause__, OSError) and "read raised OSError" in str(info.value)
    assert info.value.detail.status_name == "callback_error"
    assert store.reads == 1 and store.writes == []

    # write raises: a new key that could not be stored is not handed out.
    store = MemoryKeyStore()
    store.write_error = PermissionError("read-only keystore")
    with pytest.raises(errors.CallbackError) as info:
        DeviceKey.load_or_create_with(store.read, store.write)
    assert isinstance(info.value.__cause__, PermissionError) and "write raised PermissionError" in str(info.value)
    assert store.reads == 1 and len(store.writes) == 1 and store.stored is None
    with pytest.raises(errors.CallbackError) as info:
        key.save_with(store.write)
    assert isinstance(info.value.__cause__, PermissionError)

    # KeyboardInterrupt is raised as it is.
    store = MemoryKeyStore()
    store.read_error = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        DeviceKey.load_or_create_with(store.read, store.write)
    assert store.writes == []


def test_a_keystore_holding_no_key_text_is_an_error_and_kept() -> None:
    garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n"
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    for stored in (garbage, ec_pem, "hello", ""):
        store = MemoryKeyStore(stored)
        with pytest.raises(errors.InvalidArgument) as info:
            DeviceKey.load_or_create_with(store.read, store.write)
        assert "c2VjcmV0LWtleS1tYXRlcmlhbA" not in str(info.value)
        assert store.writes == [] and store.stored == stored, "a stored text that is not a key is never replaced"
    # Text the library refuses before parsing (NUL, not UTF-8, over 64 KiB) or a wrong type: the
    # read function's failure, never taken for "no key stored".
    for bad, cause in ((b"PEM\x00text", ValueError), (b"\xff\xfe", ValueError), ("A" * (65 * 1024), ValueError),
                       (42, TypeError)):
        store = MemoryKeyStore(bad)
        with pytest.raises(errors.CallbackError) as cb:
            DeviceKey.load_or_create_with(store.read, store.write)
        assert isinstance(cb.value.__cause__, cause) and store.writes == []
    with pytest.raises(TypeError):
        DeviceKey.load_or_create_with(None, MemoryKeyStore().write)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DeviceKey.load_or_create_with(MemoryKeyStore().read, "write")  # type: ignore[arg-type]
    closed = DeviceKey.generate()
    closed.close()
    with pytest.raises(RuntimeError):
        closed.save_with(MemoryKeyStore().write)


# ------------------------------------------------------------------ device JWTs


def test_device_jwt_verifies_with_an_independent_implementation(key: DeviceKey) -> None:
    now = int(time.time())
    device = key.sign_jwt("device-1", nonce="nonce-1", lifetime_s=120)
    head, claims, sig, signed = split(device)
    assert head == {"alg": "EdDSA", "typ": "JWT", "kid": key.id}
    assert claims["iss"] == "device-1" and claims["aud"] == "plex.tv" and claims["nonce"] == "nonce-1"
    assert claims["scope"] == "username,email,friendly_name,restricted,anonymous,joinedAt"
    assert abs(claims["iat"] - now) <= 5 and claims["exp"] - claims["iat"] == 120
    public = public_key(json.loads(key.jwk))
    public.verify(sig, signed)  # raises InvalidSignature if not
    with pytest.raises(InvalidSignature):
        public.verify(sig, signed.replace(b".", b".e", 1))
    with DeviceKey.generate() as other:
        with pytest.raises(InvalidSignature):
            public_key(json.loads(other.jwk)).verify(sig, signed)
    # No nonce: no claim; a scope of one's own.
    _, claims, _, _ = split(key.sign_jwt("device-1", scope="username"))
    assert "nonce" not in claims and claims["scope"] == "username"
    assert claims["exp"] - claims["iat"] == 300
    for bad in (0, 86401):
        with pytest.raises(errors.InvalidArgument):
            key.sign_jwt("device-1", lifetime_s=bad)
    with pytest.raises(errors.InvalidArgument):
        key.sign_jwt("")
    with pytest.raises(TypeError):
        key.sign_jwt("device-1", lifetime_s=1.5)  # type: ignore[arg-type]


# ------------------------------------------------------------------ register, login, verify


def test_register_login_verify_and_use_the_plex_jwt(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = registered(make_client, key)
    (reg,) = fake.requests("/api/v2/auth/jwk")
    assert reg["method"] == "POST" and header(reg, "X-Plex-Token") == TOKEN_A
    assert header(reg, "Content-Type") == "application/json"
    assert json.loads(reg["body"]) == {"jwk": json.loads(key.jwk)}

    token = s.jwt_login(key)
    assert isinstance(token, operations.JwtToken) and token.auth_token
    jwt = token.auth_token
    assert jwt not in repr(token) and "<redacted>" in repr(token)
    (nonce_req,) = fake.requests("/api/v2/auth/nonce")
    (exchange,) = fake.requests("/api/v2/auth/token")
    assert header(nonce_req, "X-Plex-Token") is None and header(exchange, "X-Plex-Token") is None
    device = json.loads(exchange["body"])["jwt"]
    _, device_claims, sig, signed = split(device)
    assert device_claims["iss"] == CLIENT_ID and device_claims["aud"] == "plex.tv" and device_claims["nonce"]
    public_key(json.loads(key.jwk)).verify(sig, signed)

    expires_at = s.jwt_verify(jwt, key)
    assert expires_at > time.time() + 6 * 86400, "7 days"
    assert s.jwt_verify(jwt, None) == expires_at
    # The Plex JWT: issued for this key, signed by a key of the published set (checked here too).
    head, claims, sig, signed = split(jwt)
    assert claims["thumbprint"] == key.id and claims["iss"] == "plex.tv" and claims["exp"] == expires_at
    keys = s.authentication.get_jwks().object.keys or []
    signer = next(k for k in keys if k.kid == head["kid"])
    public_key({"kty": signer.kty, "crv": signer.crv, "x": signer.x}).verify(sig, signed)

    # plex.tv takes it as the account's token.
    user = make_client(access_token=jwt)
    account = user.authentication.get_token_details().user_plex_account
    assert account is not None and account.email == "username@email.com"
    assert header(fake.requests("/api/v2/user")[-1], "X-Plex-Token") == jwt
    assert user.authentication.ping().object.pong is True


def test_an_unregistered_key_is_refused(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = make_client()
    with pytest.raises(errors.UnauthorizedError) as info:
        s.jwt_login(key)
    assert info.value.status_name == "unauthorized" and info.value.http_status == 422
    device = json.loads(fake.requests("/api/v2/auth/token")[0]["body"])["jwt"]
    assert device not in str(info.value) and device.rsplit(".", 1)[1] not in body_of(info.value)


def test_registering_needs_a_token(make_client: MakeClient, key: DeviceKey) -> None:
    with pytest.raises(errors.UnauthorizedError) as info:
        make_client().register_device_key(key)
    assert info.value.http_status == 401
    make_client().register_device_key(key, access_token=TOKEN_A)  # a per-call token
    with pytest.raises(TypeError):
        make_client().register_device_key("key")  # type: ignore[arg-type]


def test_issuer_mismatch_is_jwt_issuer_mismatch(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = registered(make_client, key)
    nonce = s.authentication.get_nonce().object.nonce
    assert nonce
    device = key.sign_jwt("someone-else", nonce)  # iss is not the X-Plex-Client-Identifier sent
    with pytest.raises(errors.JwtIssuerMismatch) as info:
        s.authentication.exchange_device_jwt(jwt=device)
    assert info.value.status_name == "jwt_issuer_mismatch" and info.value.plex_error_codes == [1097]
    assert device not in str(info.value) and device.rsplit(".", 1)[1] not in body_of(info.value)
    # A client whose identifier is not the one that registered the key: the same refusal.
    other = make_client(client_id="another-device")
    with pytest.raises(errors.JwtIssuerMismatch):
        other.jwt_login(key)
    # Without a client identifier there is no iss: refused before anything is sent.
    sent = len(fake.requests())
    with pytest.raises(errors.InvalidArgument):
        make_client(client_id=None).jwt_login(key)
    assert len(fake.requests()) == sent


def test_a_forged_or_tampered_jwt_fails_verify(make_client: MakeClient, key: DeviceKey) -> None:
    s = registered(make_client, key)
    jwt = s.jwt_login(key).auth_token
    assert jwt
    head, body, sig = jwt.split(".")
    claims = json.loads(b64d(body))
    claims["user"]["username"] = "admin"
    tampered = f"{head}.{b64e(json.dumps(claims).encode())}.{sig}"
    with pytest.raises(errors.JwtInvalid) as info:
        s.jwt_verify(tampered, key)
    assert info.value.status_name == "jwt_invalid" and "signature" in str(info.value)
    assert tampered not in str(info.value) and sig not in str(info.value)
    # Signed by a key of our own (a forger's), with plex.tv's kid.
    forger = Ed25519PrivateKey.generate()
    signed = f"{head}.{body}".encode()
    forged = f"{head}.{body}.{b64e(forger.sign(signed))}"
    with pytest.raises(errors.JwtInvalid, match="signature"):
        s.jwt_verify(forged, key)
    with pytest.raises(errors.JwtInvalid, match="malformed"):
        s.jwt_verify("not.a.jwt", key)
    with DeviceKey.generate() as other:  # issued for another device key
        with pytest.raises(errors.JwtInvalid, match="thumbprint"):
            s.jwt_verify(jwt, other)
    with pytest.raises(errors.InvalidArgument):
        s.jwt_verify("", key)


def test_rotated_signing_keys_are_read_again_once(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = registered(make_client, key)
    first = s.jwt_login(key).auth_token
    assert first and s.jwt_verify(first, key) > 0
    assert s.jwt_verify(first, key) > 0
    assert len(fake.requests("/api/v2/auth/keys")) == 1, "the key set is cached"
    fake.jwt_rotate(drop_old=True)
    second = s.jwt_login(key).auth_token
    assert second and split(second)[0]["kid"] != split(first)[0]["kid"]
    assert s.jwt_verify(second, key) > 0
    assert len(fake.requests("/api/v2/auth/keys")) == 2, "read again once for the new kid"
    with pytest.raises(errors.JwtInvalid, match="unknown_key"):
        s.jwt_verify(first, key)  # its signing key is gone from the set


def test_login_and_verify_async(make_client: MakeClient, key: DeviceKey) -> None:
    s = make_client(access_token=TOKEN_A)

    async def main() -> int:
        await s.register_device_key_async(key)
        token = await s.jwt_login_async(key)
        assert token.auth_token
        return await s.jwt_verify_async(token.auth_token, key)

    assert asyncio.run(main()) > time.time()


def test_jwt_login_async_runs_on_the_event_loop_and_a_cancelled_task_cancels_it(
        fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    from plexauth import _aio

    s = registered(make_client, key)
    fake.faults("/api/v2/auth/token", {"delay_ms": 5000})
    other = DeviceKey.generate()

    async def main() -> Tuple[Any, float]:
        # In flight on the event loop's native driver (an executor thread would leave it at 0).
        task = asyncio.create_task(s.jwt_login_async(key, "username,email"))
        for _ in range(200):
            if _aio.pending_calls() == 1 and len(fake.requests("/api/v2/auth/token")) == 1:
                break
            await asyncio.sleep(0.01)
        assert _aio.pending_calls() == 1, "the exchange is held back 5 s"
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        cancelled_after = time.monotonic() - start
        assert _aio.pending_calls() == 0
        # Undelayed now: a JWT for this key; the key object may be closed once the login started.
        copy = DeviceKey.from_pem(key.to_pem())
        pending = asyncio.ensure_future(s.jwt_login_async(copy, "username,email"))
        await asyncio.sleep(0)
        copy.close()
        token = await pending
        with pytest.raises(errors.UnauthorizedError):
            await s.jwt_login_async(other)  # never registered: 422 as in the blocking form
        return token, cancelled_after

    token, cancelled_after = asyncio.run(main())
    assert cancelled_after < 2.0, "cancelled, not waited for the 5 s exchange"
    assert token.auth_token and s.jwt_verify(token.auth_token, key) > time.time()
    device_jwt = json.loads(fake.requests("/api/v2/auth/token")[1]["body"])["jwt"]
    claims = split(device_jwt)[1]
    assert claims["scope"] == "username,email" and claims["iss"] == CLIENT_ID and claims["nonce"]


# ------------------------------------------------------------------ sessions


def test_session_provides_the_jwt_and_refreshes_after_expiry(fake: Fake, make_client: MakeClient,
                                                            key: DeviceKey) -> None:
    base = registered(make_client, key)
    session = JwtSession(base, key)
    user = make_client(access_token=session)
    account = user.authentication.get_token_details().user_plex_account
    assert account is not None and account.email == "username@email.com"
    current = session.token()
    assert header(fake.requests("/api/v2/user")[-1], "X-Plex-Token") == current.jwt
    assert current.jwt not in repr(current) and current.expires_at == split(current.jwt)[1]["exp"]
    assert exchanges(fake) == 1, "still fresh: one exchange"
    assert base.jwt_verify(current.jwt, key) == current.expires_at

    # plex.tv expires it early (498): the call fails, invalidate, and the next call refreshes once.
    fake.jwt_expire()
    fake.advance_clock(1)  # a new iat, so the new JWT differs from the expired one
    with pytest.raises(errors.TokenExpired) as info:
        user.authentication.get_token_details()
    assert info.value.http_status == 498 and info.value.plex_error_codes == [1096]
    assert current.jwt not in str(info.value) and current.jwt not in body_of(info.value)
    session.invalidate()
    user.authentication.get_token_details()
    assert exchanges(fake) == 2
    renewed = session.token().jwt
    assert renewed != current.jwt and header(fake.requests("/api/v2/user")[-1], "X-Plex-Token") == renewed

    # A margin larger than the lifetime left: every ask refreshes.
    fake.jwt_lifetime(3600)
    with JwtSession(base, key, margin_s=7200) as eager:
        got = eager.token()
        assert abs(got.expires_at - (time.time() + 3600)) < 120
        eager.token()
    assert exchanges(fake) == 4
    # ... and one smaller than it: none.
    with JwtSession(base, key, margin_s=60) as calm:
        calm.token()
        calm.token()
    assert exchanges(fake) == 5


def test_a_session_shared_by_threads_gives_one_exchange(fake: Fake, make_client: MakeClient,
                                                        key: DeviceKey) -> None:
    base = registered(make_client, key)
    session = JwtSession(base, key)
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    got: List[str] = []
    failures: List[BaseException] = []

    def ask() -> None:
        try:
            barrier.wait()
            got.append(session.token().jwt)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures and len(got) == threads_n and len(set(got)) == 1
    assert exchanges(fake) == 1, "one refresh for all"

    # Through clients using it as their token provider, from several threads: still one JWT.
    session.invalidate()
    fake.advance_clock(1)
    users = [make_client(access_token=session) for _ in range(3)]
    barrier = threading.Barrier(6)

    def call(user: PlexAPI) -> None:
        try:
            barrier.wait()
            user.authentication.ping()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=call, args=(users[i % 3],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    assert exchanges(fake) == 2, "one refresh for six calls"
    sent = {header(r, "X-Plex-Token") for r in fake.requests("/api/v2/ping")}
    assert sent == {session.token().jwt}


def test_a_failed_refresh_is_every_waiters_error(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    session = JwtSession(make_client(), key)  # the key is not registered: the exchange is refused
    barrier = threading.Barrier(4)
    outcomes: List[BaseException] = []

    def ask() -> None:
        barrier.wait()
        try:
            session.token()
        except BaseException as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 4 and all(isinstance(e, errors.UnauthorizedError) for e in outcomes)
    assert 1 <= exchanges(fake) <= 4
    # As a token provider: the call fails as a callback failure, nothing sent to /user.
    user = make_client(access_token=session)
    with pytest.raises(errors.CallbackError):
        user.authentication.get_token_details()
    assert fake.requests("/api/v2/user") == []


def test_lifetimes_the_session_keeps_its_client_and_users_keep_the_session(
        fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    kid = key.id
    base = registered(make_client, key)
    session = JwtSession(base, key)
    key.close()  # the session has its own copy
    base.close()  # the session still refreshes with it
    with pytest.raises(RuntimeError):
        base.authentication.get_nonce()
    assert split(session.token().jwt)[1]["thumbprint"] == kid
    user = make_client(access_token=session)
    session.close()  # the client using it still has it
    assert session.closed and "closed" in repr(session)
    with pytest.raises(RuntimeError):
        session.token()
    assert user.authentication.ping().object.pong is True  # still sends the session's JWT
    assert split(header(fake.requests("/api/v2/ping")[-1], "X-Plex-Token") or "")[1]["thumbprint"] == kid
    user.close()
    assert session._handle is None, "freed with the last client using it"


def test_session_arguments_are_checked(make_client: MakeClient, key: DeviceKey) -> None:
    s = make_client()
    with pytest.raises(errors.InvalidArgument):
        JwtSession(s, key, margin_s=604801)
    with pytest.raises(errors.InvalidArgument):
        JwtSession(s, key, margin_s=-1)
    with pytest.raises(errors.InvalidArgument):
        JwtSession(make_client(client_id=None), key)
    with pytest.raises(TypeError):
        JwtSession(s, "key")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        JwtSession("client", key)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        JwtSession(s, key, margin_s="60")  # type: ignore[arg-type]
    s.close()
    with pytest.raises(RuntimeError):
        JwtSession(s, key)


# ------------------------------------------------------------------ PIN login with the key (JWK PIN)


def approve_after_polls(fake: Fake, pin_id: int, polls: int) -> threading.Thread:
    """Approves the PIN (as account A) once it has been polled ``polls`` times."""

    def run() -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # (never approves a later test's PIN)
            if len(fake.requests(f"/api/v2/pins/{pin_id}")) >= polls:
                fake.approve_pin(pin_id, LOGIN_A)
                return
            time.sleep(0.02)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_login_with_jwk_pin_gives_a_plex_jwt_for_the_key(fake: Fake, make_client: MakeClient,
                                                         key: DeviceKey) -> None:
    s = make_client()  # no token at all: the key is the credential
    codes: List[str] = []
    approver = approve_after_polls(fake, FIRST_PIN_ID, 2)
    try:
        pin = s.login_with_jwk_pin(key, strong=True, on_progress=lambda code, _left: codes.append(code),
                                   poll_interval_ms=100, timeout_s=10)
    finally:
        approver.join()
    (create,) = fake.requests("/api/v2/pins")
    assert create["method"] == "POST" and create["query"] == "" and header(create, "X-Plex-Token") is None
    assert header(create, "Content-Type") == "application/json"
    assert json.loads(create["body"]) == {"jwk": json.loads(key.jwk), "strong": True}
    assert pin.id == FIRST_PIN_ID and pin.code and len(pin.code) == 25 and codes and set(codes) == {pin.code}

    jwt = pin.auth_token
    assert jwt and jwt not in repr(pin)
    assert s.jwt_verify(jwt, key) > time.time(), "a Plex JWT issued for this key"
    assert split(jwt)[1]["thumbprint"] == key.id
    account = make_client(access_token=jwt).authentication.get_token_details().user_plex_account
    assert account is not None and account.email == "username@email.com"

    # Every poll proves the key: a device JWT of this key in the query (checked here too), no token.
    polls = fake.requests(f"/api/v2/pins/{FIRST_PIN_ID}")
    assert len(polls) >= 3
    for poll in polls:
        assert poll["query"].startswith("deviceJWT=") and header(poll, "X-Plex-Token") is None
    device = urllib.parse.unquote(polls[0]["query"][len("deviceJWT="):])
    head, claims, sig, signed = split(device)
    assert head["kid"] == key.id and claims["iss"] == CLIENT_ID and claims["aud"] == "plex.tv"
    public_key(json.loads(key.jwk)).verify(sig, signed)

    # The approval registered the key: a session refreshes with it, no register call.
    with JwtSession(s, key) as session:
        assert s.jwt_verify(session.token().jwt, key) > 0
    assert fake.requests("/api/v2/auth/jwk") == []


def test_waiting_for_a_jwk_pin_with_another_key_is_refused(fake: Fake, make_client: MakeClient,
                                                            key: DeviceKey) -> None:
    s = make_client()
    pin = s.authentication.create_jwk_pin(jwk=key.jwk).object
    assert pin.id is not None and json.loads(fake.requests("/api/v2/pins")[0]["body"]) == {"jwk": json.loads(key.jwk)}
    fake.approve_pin(pin.id, LOGIN_A)
    with DeviceKey.generate() as other:
        with pytest.raises(errors.UnauthorizedError) as info:
            s.wait_for_jwk_pin(pin.id, other, poll_interval_ms=100, timeout_s=5)
    assert info.value.http_status == 422
    device = urllib.parse.unquote(fake.requests(f"/api/v2/pins/{pin.id}")[0]["query"][len("deviceJWT="):])
    assert device not in str(info.value) and device.rsplit(".", 1)[1] not in body_of(info.value)
    # A plain poll (no device JWT) of a JWK PIN never shows the token either.
    assert s.authentication.get_pin(pin_id=pin.id).object.auth_token is None
    with pytest.raises(TypeError):
        s.wait_for_jwk_pin(pin.id, "key")  # type: ignore[arg-type]


def test_a_jwk_pin_wait_times_out_and_is_cancelled(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = make_client()
    pin = s.authentication.create_jwk_pin(jwk=key.jwk).object
    started = time.monotonic()
    with pytest.raises(errors.Timeout):
        s.wait_for_jwk_pin(pin.id, key, poll_interval_ms=100, timeout_s=0.3)
    assert time.monotonic() - started < 5

    async def cancelled() -> float:
        task = asyncio.ensure_future(s.login_with_jwk_pin_async(key, poll_interval_ms=100))
        await asyncio.sleep(0.3)
        at = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - at

    assert asyncio.run(cancelled()) < 2


def test_login_with_jwk_pin_async(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    s = make_client()
    approver = approve_after_polls(fake, FIRST_PIN_ID, 2)
    try:
        pin = asyncio.run(s.login_with_jwk_pin_async(key, poll_interval_ms=100, timeout_s=10))
    finally:
        approver.join()
    assert pin.auth_token and s.jwt_verify(pin.auth_token, key) > 0


# ------------------------------------------------------------------ secrets


def test_no_jwt_or_key_in_the_log(fake: Fake, make_client: MakeClient, key: DeviceKey,
                                  caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("plexauth").setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="plexauth"):
            s = registered(make_client, key)
            jwt = s.jwt_login(key).auth_token
            assert jwt
            session = JwtSession(s, key)
            user = make_client(access_token=session)
            user.authentication.ping()
            s.jwt_verify(jwt, key)
    finally:
        logging.getLogger("plexauth").setLevel(logging.NOTSET)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/auth/token" in text or "auth/nonce" in text, "the calls were logged"
    secrets = [TOKEN_A, jwt, jwt.rsplit(".", 1)[1], session.token().jwt.rsplit(".", 1)[1]]
    secrets += [json.loads(r["body"])["jwt"].rsplit(".", 1)[1] for r in fake.requests("/api/v2/auth/token")]
    secrets += key_lines(key)
    for secret in secrets:
        assert secret not in text


def key_lines(key: DeviceKey) -> List[str]:
    return [line for line in key.to_pem().splitlines() if "-----" not in line]


def test_example_runs(fake: Fake, tmp_path: Path) -> None:
    """The guide's JWT example (bindings/python/examples/jwt_device.py) against the fake, twice:
    the first run makes and registers the key, the second reuses it."""
    example = Path(__file__).resolve().parent.parent / "examples" / "jwt_device.py"
    env = dict(os.environ, PLEX_TV_URL=fake.plex_tv, PLEXAUTH_KEY_FILE=str(tmp_path / "device_key.pem"),
               PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    outputs = []
    for _ in range(2):
        run = subprocess.run([sys.executable, str(example)], env=env, input=TOKEN_A + "\n", capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert TOKEN_A not in run.stdout + run.stderr
        outputs.append(run.stdout)
    assert "registered a new device key" in outputs[0] and "registered" not in outputs[1]
    assert all("signed in as Username" in out for out in outputs)
    assert len(fake.requests("/api/v2/auth/jwk")) == 1 and exchanges(fake) == 2
    assert stat.S_IMODE((tmp_path / "device_key.pem").stat().st_mode) == 0o600
    for r in fake.requests("/api/v2/auth/token"):
        assert json.loads(r["body"])["jwt"].rsplit(".", 1)[1] not in "".join(outputs)


def test_a_session_serves_async_calls(fake: Fake, make_client: MakeClient, key: DeviceKey) -> None:
    """The provider runs on the event loop's thread (inside plexauth_loop_process); its refresh is
    a blocking call of the session's own client, which does not wait for that loop."""
    session = JwtSession(registered(make_client, key), key)
    user = make_client(access_token=session)

    async def main() -> List[bool]:
        pongs = await asyncio.gather(*(user.authentication.ping_async(timeout_ms=10_000) for _ in range(4)))
        return [p.object.pong is True for p in pongs]

    assert asyncio.run(main()) == [True] * 4
    assert exchanges(fake) == 1
    assert {header(r, "X-Plex-Token") for r in fake.requests("/api/v2/ping")} == {session.token().jwt}
