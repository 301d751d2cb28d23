"""Every error class: what raises it, what it carries, and its place in the
hierarchy (seed classes still catch what they caught)."""

import json
from typing import Any, Callable, Dict, Tuple, Type

import pytest
from support import LOGIN_A, PASSWORD_A, REVOKED, SOURCE, TOKEN_A, Fake

from plexauth import PlexAPI, utils
from plexauth.models import errors

MakeClient = Callable[..., PlexAPI]
Call = Callable[..., Any]
FAST = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), True)

# operation -> (path on the fake, how to call it, seed 400 class, seed 401 class)
OPERATIONS: Dict[str, Tuple[str, Call, Type[errors.BadRequestError], Type[errors.UnauthorizedError]]] = {
    "get_transient_token": (
        "/security/token",
        lambda s, **kw: s.authentication.get_transient_token(**kw),
        errors.GetTransientTokenBadRequest,
        errors.GetTransientTokenUnauthorized,
    ),
    "get_source_connection_information": (
        "/security/resources",
        lambda s, **kw: s.authentication.get_source_connection_information(source=SOURCE, **kw),
        errors.GetSourceConnectionInformationBadRequest,
        errors.GetSourceConnectionInformationUnauthorized,
    ),
    "get_token_details": (
        "/api/v2/user",
        lambda s, **kw: s.authentication.get_token_details(**kw),
        errors.GetTokenDetailsBadRequest,
        errors.GetTokenDetailsUnauthorized,
    ),
    "post_users_sign_in_data": (
        "/api/v2/users/signin",
        lambda s, **kw: s.authentication.post_users_sign_in_data(
            request={"request_body": {"login": LOGIN_A, "password": PASSWORD_A}}, **kw
        ),
        errors.PostUsersSignInDataBadRequest,
        errors.PostUsersSignInDataUnauthorized,
    ),
    "ping": (
        "/api/v2/ping",
        lambda s, **kw: s.authentication.ping(**kw),
        errors.PingBadRequest,
        errors.PingUnauthorized,
    ),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("status", [400, 401])
def test_typed_plex_errors(operation: str, status: int, fake: Fake, make_client: MakeClient) -> None:
    path, call, bad_request, unauthorized = OPERATIONS[operation]
    code = 1000 if status == 400 else 1001
    entry: Dict[str, Any] = {"code": code, "message": f"nope {status}", "status": status}
    fake.faults(path, {"status": status, "errors": [entry]})
    with pytest.raises(errors.PlexAuthError) as info:
        call(make_client(access_token=TOKEN_A))
    exc = info.value
    expected = bad_request if status == 400 else unauthorized
    assert type(exc) is expected
    assert isinstance(exc, errors.BadRequestError if status == 400 else errors.UnauthorizedError)
    assert not isinstance(exc, errors.SDKError)
    assert isinstance(exc, (errors.BadRequestError, errors.UnauthorizedError))
    assert exc.data.errors == [errors.PlexErrorEntry(code, f"nope {status}", status)]
    assert exc.data.errors is not None
    assert (exc.data.errors[0].code, exc.data.errors[0].message, exc.data.errors[0].status) == (
        entry["code"],
        entry["message"],
        status,
    )
    raw = exc.data.raw_response
    assert raw is not None and raw.status_code == status and raw.json() == {"errors": [entry]}
    assert raw.headers["Content-Type"].startswith("application/json")
    assert str(exc) == json.dumps({"errors": [entry]}, sort_keys=True, separators=(",", ":"))
    assert exc.http_status == status and exc.status_code == status and exc.attempts == 1
    assert exc.status_name == ("bad_request" if status == 400 else "unauthorized")
    assert exc.plex_error_codes == [entry["code"]]


def test_real_unauthorized_bodies(fake: Fake, make_client: MakeClient) -> None:
    bad = make_client(access_token="not-a-valid-token")
    with pytest.raises(errors.GetTransientTokenUnauthorized) as t:
        bad.authentication.get_transient_token()
    assert t.value.data.errors is not None
    assert t.value.data.errors[0] == errors.PlexErrorEntry(1001, "User could not be authenticated", 401)
    with pytest.raises(errors.GetSourceConnectionInformationUnauthorized):
        bad.authentication.get_source_connection_information(source=SOURCE)
    # plex.tv's 422 "invalid token" for a revoked token is Unauthorized too.
    with pytest.raises(errors.GetTokenDetailsUnauthorized) as r:
        make_client(access_token=REVOKED).authentication.get_token_details()
    assert r.value.http_status == 422 and r.value.data.errors is not None
    assert r.value.data.errors[0].message == "Invalid token"
    with pytest.raises(errors.PostUsersSignInDataUnauthorized) as w:
        make_client().authentication.post_users_sign_in_data(
            request={"request_body": {"login": LOGIN_A, "password": "wrong"}}
        )
    assert type(w.value) is errors.PostUsersSignInDataUnauthorized  # not TwoFactorRequired
    assert "wrong" not in str(w.value) and "wrong" not in w.value.message


def test_sign_in_throttled(fake: Fake, make_client: MakeClient) -> None:
    entry = {"code": 1031, "message": "This IP appears to be having trouble signing in", "status": 401}
    fake.faults("/api/v2/users/signin", {"status": 401, "errors": [entry]})
    with pytest.raises(errors.SignInThrottled) as info:
        OPERATIONS["post_users_sign_in_data"][1](make_client(), retries=FAST)
    assert isinstance(info.value, errors.PostUsersSignInDataUnauthorized)
    assert info.value.status_name == "sign_in_throttled" and info.value.attempts == 1  # never retried


def test_rate_limited(fake: Fake, make_client: MakeClient) -> None:
    fake.faults("/api/v2/user", {"status": 429, "retry_after": "7"})
    with pytest.raises(errors.RateLimited) as info:
        make_client(access_token=TOKEN_A).authentication.get_token_details()
    exc = info.value
    assert isinstance(exc, errors.SDKError)
    assert exc.retry_after == 7.0 and exc.status_code == 429 and exc.status_name == "rate_limited"
    fake.faults("/api/v2/user", {"status": 429})
    with pytest.raises(errors.RateLimited) as info:
        make_client(access_token=TOKEN_A).authentication.get_token_details()
    assert info.value.retry_after is None


def test_http_error_is_an_sdk_error(fake: Fake, make_client: MakeClient) -> None:
    fake.faults("/security/token", {"status": 500, "body": "server exploded", "content_type": "text/plain"})
    with pytest.raises(errors.SDKError) as info:
        make_client(access_token=TOKEN_A).authentication.get_transient_token()
    exc = info.value
    assert type(exc) is errors.HTTPError and exc.status_name == "http_error"
    assert exc.status_code == 500 and exc.body == "server exploded"
    assert str(exc) == f"{exc.message}: Status 500\nserver exploded"
    assert exc.raw_response is not None and exc.raw_response.text == "server exploded"
    assert exc.raw_response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 200, "body": "<html>hi</html>", "content_type": "text/html"},
        {"truncated_json": True},
        {"status": 200, "body": '{"id": "not a number"}'},
        {"status": 202},
        {"nested_depth": 100000},
    ],
)
def test_malformed_response(fault: Dict[str, Any], fake: Fake, make_client: MakeClient) -> None:
    fake.faults("/api/v2/user", fault)
    with pytest.raises(errors.MalformedResponse) as info:
        make_client(access_token=TOKEN_A).authentication.get_token_details()
    assert isinstance(info.value, errors.SDKError) and info.value.status_name == "malformed_response"
    assert info.value.message


def test_transport_errors(fake: Fake, make_client: MakeClient) -> None:
    fake.faults("/api/v2/user", {"drop": True})
    with pytest.raises(errors.TransportError) as info:
        make_client(access_token=TOKEN_A).authentication.get_token_details()
    assert info.value.status_name == "transport" and info.value.status_code == -1
    with pytest.raises(errors.TransportError) as info:
        make_client(access_token=TOKEN_A, plex_tv_url="http://127.0.0.1:9/api/v2").authentication.get_token_details()
    assert info.value.http_status == 0 and info.value.raw_response is None


def test_tls_failure(fake: Fake, make_client: MakeClient) -> None:
    # The fake speaks plain HTTP, so a TLS handshake with it fails.
    s = make_client(access_token=TOKEN_A, plex_tv_url=f"https://127.0.0.1:{fake.port}/api/v2")
    with pytest.raises(errors.TransportError) as info:
        s.authentication.get_token_details()
    assert info.value.status_name in ("tls", "transport")
    assert isinstance(info.value, errors.TLSError) == (info.value.status_name == "tls")


def test_insecure_skip_tls_verify_still_needs_tls(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(
        access_token=TOKEN_A, plex_tv_url=f"https://127.0.0.1:{fake.port}/api/v2", insecure_skip_tls_verify=True
    )
    with pytest.raises(errors.TransportError):
        s.authentication.get_token_details()


def test_seed_sdk_error_constructor() -> None:
    e = errors.SDKError("API error occurred", 503, "busy")
    assert (e.message, e.status_code, e.body, e.raw_response) == ("API error occurred", 503, "busy", None)
    assert str(e) == "API error occurred: Status 503\nbusy"
    assert str(errors.SDKError("No response received")) == "No response received: Status -1"
    assert e.attempts == 0 and e.status_name == "internal"


@pytest.mark.parametrize(
    "name, cls",
    [
        ("bad_request", errors.GetTokenDetailsBadRequest),
        ("unauthorized", errors.GetTokenDetailsUnauthorized),
        ("two_factor_required", errors.TwoFactorRequired),
        ("sign_in_throttled", errors.SignInThrottled),
        ("rate_limited", errors.RateLimited),
        ("http_error", errors.HTTPError),
        ("transport", errors.TransportError),
        ("tls", errors.TLSError),
        ("timeout", errors.Timeout),
        ("cancelled", errors.Cancelled),
        ("malformed_response", errors.MalformedResponse),
        ("response_too_large", errors.ResponseTooLarge),
        ("callback_error", errors.CallbackError),
        ("out_of_memory", errors.OutOfMemory),
        ("internal", errors.InternalError),
        ("invalid_argument", errors.InvalidArgument),
        ("unknown", errors.InternalError),
    ],
)
def test_every_status_has_a_class(name: str, cls: Type[errors.PlexAuthError]) -> None:
    detail = errors.ErrorDetail(status_name=name, message="m", http_status=0, attempts=3)
    exc = errors.from_detail("get_token_details", detail)
    assert type(exc) is cls
    assert exc.attempts == 3 and exc.status_name == name and exc.message == "m"


def test_every_error_is_a_plexauth_error() -> None:
    public = [getattr(errors, n) for n in errors.__all__]
    classes = [c for c in public if isinstance(c, type) and issubclass(c, BaseException)]
    assert len(classes) >= 25
    for c in classes:
        assert issubclass(c, errors.PlexAuthError) or c is errors.LibraryError
