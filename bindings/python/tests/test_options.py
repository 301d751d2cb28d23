"""Client and per-call options: token or provider, identity, servers, timeouts,
retries, cancellation, limits."""

import threading
import time
from typing import Callable, List

import pytest
from support import LOGIN_A, PASSWORD_A, SOURCE, TOKEN_A, TOKEN_B, Fake, header

import plexauth
from plexauth import CancelToken, PlexAPI, utils
from plexauth.models import errors

MakeClient = Callable[..., PlexAPI]
SIGN_IN = {"request_body": {"login": LOGIN_A, "password": PASSWORD_A}}
FAST = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), True)


def test_token_provider_called_per_attempt(fake: Fake, make_client: MakeClient) -> None:
    tokens = iter(["stale-token-1", TOKEN_A])
    calls: List[str] = []

    def provider() -> str:
        calls.append(threading.current_thread().name)
        return next(tokens)

    s = make_client(access_token=provider)
    fake.faults("/api/v2/user", {"status": 503})
    res = s.authentication.get_token_details(retries=FAST)
    assert res.user_plex_account is not None and res.user_plex_account.id == 13692262
    assert len(calls) == 2  # once per HTTP attempt
    assert [header(r, "X-Plex-Token") for r in fake.requests("/api/v2/user")] == ["stale-token-1", TOKEN_A]


def test_token_provider_none_sends_no_token(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=lambda: None)
    with pytest.raises(errors.GetTokenDetailsUnauthorized):
        s.authentication.get_token_details()
    assert header(fake.requests("/api/v2/user")[0], "X-Plex-Token") is None


def test_token_provider_not_called_for_sign_in(fake: Fake, make_client: MakeClient) -> None:
    calls: List[int] = []
    s = make_client(access_token=lambda: calls.append(1) or TOKEN_A)  # type: ignore[func-returns-value]
    s.authentication.post_users_sign_in_data(request=SIGN_IN)
    assert calls == [] and header(fake.requests()[0], "X-Plex-Token") is None


def test_token_provider_failure(fake: Fake, make_client: MakeClient) -> None:
    class Boom(Exception):
        pass

    def provider() -> str:
        raise Boom("keyring locked")

    s = make_client(access_token=provider)
    with pytest.raises(errors.CallbackError) as info:
        s.authentication.get_transient_token()
    assert isinstance(info.value.__cause__, Boom)
    assert info.value.status_name == "callback_error"
    assert fake.requests() == []

    bad = make_client(access_token=lambda: 42)
    with pytest.raises(errors.CallbackError) as info2:
        bad.authentication.get_token_details()
    assert isinstance(info2.value.__cause__, TypeError)

    newline = make_client(access_token=lambda: "abc\r\nX-Evil: 1")
    with pytest.raises(errors.CallbackError):
        newline.authentication.get_token_details()
    assert fake.requests() == []


def test_identity_from_arguments_and_environment(
    fake: Fake, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIENT_ID", "env-id")
    monkeypatch.setenv("CLIENT_NAME", "env-product")
    monkeypatch.setenv("CLIENT_VERSION", "9.9")
    monkeypatch.setenv("PLATFORM", "env-platform")
    monkeypatch.setenv("DEVICE_NICKNAME", "env-device")
    s = PlexAPI(client_name="arg-product", retry_config=None)  # an argument beats the environment
    try:
        s.authentication.post_users_sign_in_data(request=SIGN_IN)
    finally:
        s.close()
    req = fake.requests("/api/v2/users/signin")[0]
    assert header(req, "X-Plex-Client-Identifier") == "env-id"
    assert header(req, "X-Plex-Product") == "arg-product"
    assert header(req, "X-Plex-Version") == "9.9"
    assert header(req, "X-Plex-Platform") == "env-platform"
    assert header(req, "X-Plex-Device") == "env-device"


def test_unset_identity_gets_defaults_and_no_client_id(fake: Fake) -> None:
    import platform
    import socket

    with PlexAPI(retry_config=None) as s:
        with pytest.raises(errors.PostUsersSignInDataBadRequest) as info:
            s.authentication.post_users_sign_in_data(request=SIGN_IN)
    assert info.value.data.errors is not None and info.value.data.errors[0].code == 1000
    req = fake.requests()[0]
    # The library's defaults: product, its version, the platform, the host name.
    assert header(req, "X-Plex-Product") == "plexauth"
    assert header(req, "X-Plex-Version") == plexauth.library_version()
    assert header(req, "X-Plex-Platform") == platform.system()
    assert header(req, "X-Plex-Device-Name") == socket.gethostname()
    for name in ("X-Plex-Client-Identifier", "X-Plex-Device"):
        assert header(req, name) is None


def test_server_urls(fake: Fake, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLEX_SERVER_URL")
    monkeypatch.delenv("PLEX_TV_URL")
    dead = "http://127.0.0.1:9"  # discard port: nothing listens

    # Client-level: server_url, protocol/ip/port, url_params, plex_tv_url.
    by_url = make_client(access_token=TOKEN_A, server_url=fake.base + "/", plex_tv_url=fake.plex_tv)
    assert by_url.authentication.get_transient_token().status_code == 200
    assert by_url.authentication.get_token_details().status_code == 200
    by_parts = make_client(access_token=TOKEN_A, protocol="http", ip="127.0.0.1", port=str(fake.port))
    assert by_parts.authentication.get_source_connection_information(source=SOURCE).status_code == 200
    templated = make_client(
        access_token=TOKEN_A,
        server_url="{protocol}://{ip}:{port}",
        url_params={"protocol": "http", "ip": "127.0.0.1", "port": str(fake.port)},
    )
    assert templated.authentication.get_transient_token().status_code == 200

    # Per call: server_url beats the client's base for both kinds of operation.
    s = make_client(access_token=TOKEN_A, server_url=dead, plex_tv_url=dead + "/api/v2")
    assert s.authentication.get_transient_token(server_url=fake.base).status_code == 200
    assert s.authentication.get_source_connection_information(source=SOURCE, server_url=fake.base).status_code == 200
    assert s.authentication.get_token_details(server_url=fake.plex_tv).status_code == 200
    assert s.authentication.post_users_sign_in_data(request=SIGN_IN, server_url=fake.plex_tv).status_code == 201
    with pytest.raises(errors.TransportError):
        s.authentication.get_token_details()
    assert len(fake.requests()) == 8


def test_environment_urls_point_the_client_at_the_fake(fake: Fake) -> None:
    with PlexAPI(access_token=TOKEN_A, retry_config=None) as s:
        assert s.authentication.get_token_details().status_code == 200
        assert s.authentication.get_transient_token().status_code == 200
    assert [r["path"] for r in fake.requests()] == ["/api/v2/user", "/security/token"]


def test_timeouts(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A, timeout_ms=300)
    fake.faults("/api/v2/user", {"delay_ms": 3000})
    start = time.monotonic()
    with pytest.raises(errors.Timeout) as info:
        s.authentication.get_token_details()
    assert time.monotonic() - start < 2.0
    assert info.value.status_name == "timeout" and info.value.attempts == 1 and info.value.status_code == -1

    # Per call: a longer limit beats the client's; a shorter one applies too.
    fake.faults("/api/v2/user", {"delay_ms": 600})
    assert s.authentication.get_token_details(timeout_ms=5000).status_code == 200
    t = make_client(access_token=TOKEN_A)
    fake.faults("/security/token", {"delay_ms": 3000})
    with pytest.raises(errors.Timeout):
        t.authentication.get_transient_token(timeout_ms=200)


def test_retries(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A, retry_config=FAST)
    fake.faults("/api/v2/user", {"status": 503}, {"status": 502})
    assert s.authentication.get_token_details().status_code == 200
    assert len(fake.requests("/api/v2/user")) == 3

    # retries=None: one attempt, the 503 becomes an SDKError.
    fake.reset()
    fake.faults("/api/v2/user", {"status": 503})
    with pytest.raises(errors.HTTPError) as info:
        s.authentication.get_token_details(retries=None)
    assert isinstance(info.value, errors.SDKError)
    assert info.value.status_code == 503 and info.value.attempts == 1
    assert len(fake.requests("/api/v2/user")) == 1

    # A strategy other than "backoff" means a single attempt (seed semantics).
    fake.reset()
    fake.faults("/security/token", {"status": 500})
    with pytest.raises(errors.HTTPError):
        s.authentication.get_transient_token(retries=utils.RetryConfig("none", FAST.backoff, False))
    assert len(fake.requests()) == 1

    # max_attempts caps the attempts.
    fake.reset()
    fake.faults("/api/v2/user", *([{"status": 500}] * 5))
    with pytest.raises(errors.HTTPError) as info:
        s.authentication.get_token_details(retries=FAST._replace(max_attempts=2))
    assert info.value.attempts == 2 and len(fake.requests()) == 2


def test_client_without_retries_and_per_call_override(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A, retry_config=None)
    fake.faults("/api/v2/user", {"status": 503}, {"status": 503})
    with pytest.raises(errors.HTTPError):
        s.authentication.get_token_details()
    assert s.authentication.get_token_details(retries=FAST).status_code == 200
    assert len(fake.requests()) == 3


def test_default_retry_policy(fake: Fake) -> None:
    with PlexAPI(access_token=TOKEN_A) as s:  # retry_config UNSET: the library's policy
        fake.faults("/security/token", {"status": 503})
        start = time.monotonic()
        assert s.authentication.get_transient_token().status_code == 200
    assert 0.4 < time.monotonic() - start < 5
    assert len(fake.requests()) == 2


def test_retry_after_is_honoured(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"status": 503, "retry_after": "1"})
    start = time.monotonic()
    assert s.authentication.get_token_details(retries=FAST).status_code == 200
    assert time.monotonic() - start >= 0.9


def test_connection_errors_are_retried_only_when_enabled(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"drop": True})
    assert s.authentication.get_token_details(retries=FAST).status_code == 200
    fake.faults("/api/v2/user", {"drop": True})
    with pytest.raises(errors.TransportError) as info:
        s.authentication.get_token_details(retries=FAST._replace(retry_connection_errors=False))
    assert info.value.attempts == 1


def test_cancel_token(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    token = CancelToken()
    assert not token.cancelled
    fake.faults("/api/v2/user", {"delay_ms": 5000})
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    start = time.monotonic()
    with pytest.raises(errors.Cancelled) as info:
        s.authentication.get_token_details(cancel=token)
    assert time.monotonic() - start < 1.5
    assert token.cancelled and info.value.status_name == "cancelled"
    assert isinstance(info.value, errors.SDKError)

    # A cancelled token fails new calls at once, before sending.
    before = len(fake.requests())
    with pytest.raises(errors.Cancelled) as info:
        s.authentication.post_users_sign_in_data(request=SIGN_IN, cancel=token)
    assert info.value.attempts == 0 and len(fake.requests()) == before


def test_cancel_interrupts_backoff_wait(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    token = CancelToken()
    fake.faults("/security/token", {"status": 503, "retry_after": "30"})
    threading.Timer(0.3, token.cancel).start()
    start = time.monotonic()
    with pytest.raises(errors.Cancelled):
        s.authentication.get_transient_token(
            retries=FAST._replace(backoff=utils.BackoffStrategy(10, 60000, 1.5, 60000)), cancel=token
        )
    assert time.monotonic() - start < 2.0


def test_max_response_bytes(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A, max_response_bytes=4096)
    fake.faults("/api/v2/user", {"oversized_bytes": 100000})
    with pytest.raises(errors.ResponseTooLarge):
        s.authentication.get_token_details()
    assert s.authentication.get_token_details().status_code == 200  # the real body fits


@pytest.mark.parametrize(
    "kwargs",
    [
        {"access_token": "bad\ntoken"},
        {"client_id": "a\rb"},
        {"client_id": "nul\x00byte"},
        {"server_url": "ftp://example.invalid"},
        {"plex_tv_url": "not a url"},
        {"port": 70000},
        {"timeout_ms": -5},
        {"connect_timeout_ms": -1},
        {"max_response_bytes": 10},
        {"retry_config": utils.RetryConfig("backoff", utils.BackoffStrategy(0, 50, 1.5, 100), False)},
        {"retry_config": utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 0.5, 100), False)},
        {"server_idx": 1},
    ],
)
def test_invalid_client_arguments(kwargs: dict, fake: Fake) -> None:  # type: ignore[type-arg]
    with pytest.raises(errors.InvalidArgument) as info:
        PlexAPI(**kwargs)
    assert isinstance(info.value, ValueError)


def test_invalid_call_arguments(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    with pytest.raises(errors.InvalidArgument):
        s.authentication.get_source_connection_information(source="")
    with pytest.raises(errors.InvalidArgument):
        s.authentication.get_source_connection_information(source="server://x\x00y")
    with pytest.raises(errors.InvalidArgument):
        s.authentication.get_token_details(server_url="gopher://x")
    with pytest.raises(errors.InvalidArgument):
        s.authentication.get_token_details(timeout_ms=-7)
    with pytest.raises(TypeError):
        s.authentication.get_token_details(cancel="yes")  # type: ignore[arg-type]
    assert fake.requests() == []


def test_connect_timeout_and_ca_bundle_are_accepted(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A, connect_timeout_ms=2000, ca_bundle="/etc/ssl/certs/ca-certificates.crt")
    assert s.authentication.get_token_details().status_code == 200


def test_custom_http_clients_are_refused() -> None:
    with pytest.raises(TypeError):
        PlexAPI(client=object())  # type: ignore[arg-type]


def test_closed_client(fake: Fake) -> None:
    with PlexAPI(access_token=TOKEN_A, retry_config=None) as s:
        assert s.authentication.get_token_details().status_code == 200
    with pytest.raises(RuntimeError):
        s.authentication.get_token_details()
    s.close()  # idempotent


def test_token_string_is_used(fake: Fake, make_client: MakeClient) -> None:
    make_client(access_token=TOKEN_B).authentication.get_token_details()
    assert header(fake.requests()[0], "X-Plex-Token") == TOKEN_B
