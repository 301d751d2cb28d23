"""The ``_async`` twins under asyncio: results, errors, a free event loop,
cancellation of the task reaching the native call, and no thread per call
(they run libplexauth's non-blocking calls on the event loop, plexauth._aio)."""

import asyncio
import os
import threading
import time
from typing import Callable, List

import pytest
from support import CODE_B, LOGIN_B, PASSWORD_B, SOURCE, TOKEN_A, TOKEN_B, Fake, header

from plexauth import CancelToken, PlexAPI, _aio, utils
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

        # The task ended only once the C call had: nothing is left in flight on the loop.
        assert _aio.pending_calls() == 0

    start = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - start < 2.5  # not the 5 s the server would have taken
    assert not user_token.cancelled  # the C call was cancelled, not the caller's token
    assert len(fake.requests("/api/v2/user")) == 1


def test_cancelling_some_tasks_leaves_the_others(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", *([{"delay_ms": 5000}] * 3))

    async def main() -> None:
        slow = [asyncio.create_task(s.authentication.get_token_details_async()) for _ in range(3)]
        await asyncio.sleep(0.3)  # the three slow ones took the faults
        quick = asyncio.create_task(s.authentication.get_transient_token_async())
        for task in slow:
            task.cancel()
        results = await asyncio.gather(*slow, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        res = await quick
        assert (res.object.media_container.token or "").startswith("transient-")

    start = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - start < 2.5


def _os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_many_concurrent_calls_on_no_extra_thread(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    n = 40
    fake.faults("/api/v2/user", *([{"delay_ms": 300}] * n))
    python_threads, os_threads = threading.active_count(), _os_threads()
    seen: List[int] = []

    async def watch() -> None:
        while True:
            seen.append(_os_threads())
            await asyncio.sleep(0.02)

    async def main() -> None:
        watcher = asyncio.create_task(watch())
        results = await asyncio.gather(*(s.authentication.get_token_details_async() for _ in range(n)))
        watcher.cancel()
        assert threading.active_count() == python_threads
        assert [r.user_plex_account.id for r in results if r.user_plex_account] == [13692262] * n

    start = time.monotonic()
    asyncio.run(main())
    # All n were in flight at once (40 x 300 ms one after the other would take 12 s) ...
    assert time.monotonic() - start < 6
    assert len(fake.requests("/api/v2/user")) == n
    # ... and no thread was made for them: not by Python, not by the library.
    assert seen and max(seen) == os_threads
    assert threading.active_count() == python_threads


def test_concurrent_errors_map_to_the_blocking_classes(fake: Fake, make_client: MakeClient) -> None:
    good = make_client(access_token=TOKEN_A)
    bad = make_client(access_token="wrong-token")
    # Signing out revokes the token: another account's, so that the calls
    # running beside it with A's token cannot lose the race to it.
    other = make_client(access_token=TOKEN_B)
    fake.faults("/security/token", {"status": 503})

    async def main() -> None:
        results = await asyncio.gather(
            good.authentication.get_token_details_async(),
            bad.authentication.get_token_details_async(),
            good.authentication.get_transient_token_async(),
            other.authentication.sign_out_async(),
            return_exceptions=True,
        )
        ok, unauthorized, unavailable, signed_out = results
        assert not isinstance(ok, BaseException) and ok.status_code == 200
        assert isinstance(unauthorized, errors.GetTokenDetailsUnauthorized)
        assert unauthorized.status_code == 401
        assert isinstance(unavailable, errors.SDKError) and unavailable.status_code == 503
        assert signed_out is None

    asyncio.run(main())
    with pytest.raises(errors.GetTokenDetailsUnauthorized):  # the same class, blocking
        bad.authentication.get_token_details()


def test_seed_plex_twins_run_natively(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)

    async def main() -> None:
        pin = (await s.plex.get_pin_async(client_id="async-device")).auth_pin_container
        assert pin is not None and pin.id is not None
        got = (await s.plex.get_token_by_pin_id_async(pin_id=pin.id, client_id="async-device")).auth_pin_container
        assert got is not None and got.code == pin.code

    asyncio.run(main())
    created = fake.requests("/api/v2/pins")
    assert created and header(created[0], "X-Plex-Client-Identifier") == "async-device"


def test_two_event_loops_in_two_threads(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", *([{"delay_ms": 200}] * 10))
    failures: List[BaseException] = []

    def run() -> None:
        async def main() -> None:
            results = await asyncio.gather(*(s.authentication.get_token_details_async() for _ in range(5)))
            assert all(r.status_code == 200 for r in results)

        try:
            asyncio.run(main())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not failures
    assert len(fake.requests("/api/v2/user")) == 10


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


def test_retry_after_waits_on_the_loop_timer(fake: Fake, make_client: MakeClient) -> None:
    # The wait between the attempts is no socket event: only plexauth_loop_timeout_ms (call_later)
    # wakes the loop for the second attempt.
    s = make_client(access_token=TOKEN_A,
                    retry_config=utils.RetryConfig("backoff", utils.BackoffStrategy(10, 50, 1.5, 5000), True))
    fake.faults("/api/v2/user", {"status": 503, "retry_after": "1"})

    async def main() -> None:
        res = await s.authentication.get_token_details_async()
        assert res.status_code == 200

    start = time.monotonic()
    asyncio.run(main())
    assert time.monotonic() - start >= 0.9  # Retry-After: 1 s honoured
    assert len(fake.requests("/api/v2/user")) == 2


def test_close_during_a_call_frees_the_client_after_it(fake: Fake) -> None:
    s = PlexAPI(access_token=TOKEN_A, retry_config=None, client_id="test-client-id")
    fake.faults("/api/v2/user", {"delay_ms": 300})

    async def main() -> None:
        task = asyncio.create_task(s.authentication.get_token_details_async())
        await asyncio.sleep(0.1)
        s.close()  # does not block the loop; the native client is freed once the call has ended
        res = await task
        assert res.user_plex_account is not None and res.user_plex_account.id == 13692262

    asyncio.run(main())
    with pytest.raises(RuntimeError):
        s.authentication.get_token_details()
