"""The ``_async`` twins under asyncio: results, errors, a free event loop,
and cancellation of the task reaching the native call."""

import asyncio
import threading
import time
from typing import Callable, List

import pytest
from support import CODE_B, LOGIN_B, PASSWORD_B, SOURCE, TOKEN_A, Fake

from plexauth import CancelToken, PlexAPI
from plexauth.models import errors

MakeClient = Callable[..., PlexAPI]


def test_all_four_operations_concurrently(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)

    async def main() -> None:
        transient, source, details, signed_in = await asyncio.gather(
            s.authentication.get_transient_token_async(),
            s.authentication.get_source_connection_information_async(source=SOURCE),
            s.authentication.get_token_details_async(),
            s.authentication.post_users_sign_in_data_async(
                request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B, "verification_code": CODE_B}}
            ),
        )
        assert (transient.object.media_container.token or "").startswith("transient-")
        assert source.object.media_container.device is not None
        assert source.object.media_container.device.name == "Living Room"
        assert details.user_plex_account is not None and details.user_plex_account.id == 13692262
        assert signed_in.status_code == 201
        assert signed_in.user_plex_account is not None and signed_in.user_plex_account.id == 475829302

    asyncio.run(main())
    assert len(fake.requests()) == 4


def test_event_loop_is_not_blocked(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"delay_ms": 600})
    ticks: List[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    async def main() -> None:
        task = asyncio.create_task(ticker())
        res = await s.authentication.get_token_details_async()
        task.cancel()
        assert res.status_code == 200

    asyncio.run(main())
    assert len(ticks) >= 6  # the loop kept running during the 600 ms call


def test_errors_propagate(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token="wrong-token")

    async def main() -> None:
        with pytest.raises(errors.GetTokenDetailsUnauthorized) as info:
            await s.authentication.get_token_details_async()
        assert info.value.attempts == 1
        with pytest.raises(errors.TwoFactorRequired):
            await s.authentication.post_users_sign_in_data_async(
                request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B}}
            )

    asyncio.run(main())


def test_cancelling_the_task_cancels_the_native_call(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"delay_ms": 5000})
    user_token = CancelToken()

    async def main() -> None:
        task = asyncio.create_task(s.authentication.get_token_details_async(cancel=user_token))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    start = time.monotonic()
    asyncio.run(main())  # also waits for the executor thread: returns only once the C call has ended
    assert time.monotonic() - start < 2.5
    assert not user_token.cancelled  # the task's own token was triggered, not the caller's


def test_cancel_token_cancels_async_call(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/security/token", {"delay_ms": 5000})
    token = CancelToken()

    async def main() -> None:
        threading.Timer(0.2, token.cancel).start()  # from another thread
        with pytest.raises(errors.Cancelled):
            await s.authentication.get_transient_token_async(cancel=token)

    start = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - start < 2.0


def test_async_context_manager(fake: Fake) -> None:
    async def main() -> PlexAPI:
        async with PlexAPI(access_token=TOKEN_A, retry_config=None) as s:
            res = await s.authentication.get_token_details_async(timeout_ms=5000)
            assert res.status_code == 200
        return s

    s = asyncio.run(main())
    with pytest.raises(RuntimeError):
        s.authentication.get_token_details()
