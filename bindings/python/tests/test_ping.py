"""ping: GET {plex.tv}/ping with the token (generated from codegen/api.py)."""

import asyncio
from typing import Callable

import pytest
from support import REVOKED, TOKEN_A, TOKEN_B, Fake, header

from plexauth import PlexAPI, utils
from plexauth.models import errors, operations

MakeClient = Callable[..., PlexAPI]


def test_ping_answers_pong_for_a_valid_token(fake: Fake, make_client: MakeClient) -> None:
    res = make_client(access_token=TOKEN_A).authentication.ping()
    assert isinstance(res, operations.PingResponse)
    assert res.object == operations.Pong(pong=True) and res.object.pong is True
    assert res.status_code == 200 == res.raw_response.status_code
    assert res.content_type.startswith("application/json")
    assert res.raw_response.json() == {"pong": True}
    (req,) = fake.requests("/api/v2/ping")
    assert req["method"] == "GET" and header(req, "X-Plex-Token") == TOKEN_A
    assert header(req, "X-Plex-Client-Identifier") == "test-client-id"


@pytest.mark.parametrize("token", ["not-a-valid-token", REVOKED, None])
def test_ping_with_a_bad_or_no_token_is_unauthorized(fake: Fake, make_client: MakeClient, token: str) -> None:
    with pytest.raises(errors.PingUnauthorized) as info:
        make_client(access_token=token).authentication.ping()
    exc = info.value
    assert isinstance(exc, errors.UnauthorizedError) and not isinstance(exc, errors.SDKError)
    assert exc.status_name == "unauthorized" and exc.http_status == 401
    assert exc.plex_error_codes == [1001]
    assert token is None or token not in str(exc) + repr(exc) + exc.message


def test_ping_per_call_options(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_B, plex_tv_url="http://127.0.0.1:9/nowhere")
    fake.faults("/api/v2/ping", {"status": 503})
    retry = utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), False)
    res = s.authentication.ping(server_url=fake.plex_tv, retries=retry, timeout_ms=5000)
    assert res.object.pong is True
    assert len(fake.requests("/api/v2/ping")) == 2
    with pytest.raises(errors.HTTPError):
        fake.faults("/api/v2/ping", {"status": 503})
        s.authentication.ping(server_url=fake.plex_tv, retries=None)


def test_ping_async(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)

    async def main() -> operations.PingResponse:
        return await s.authentication.ping_async(server_url=fake.plex_tv)

    assert asyncio.run(main()).object.pong is True
    with pytest.raises(errors.PingUnauthorized):
        asyncio.run(make_client(access_token="nope").authentication.ping_async())
