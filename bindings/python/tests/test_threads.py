"""One client shared by many threads; close() while calls are in flight."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, List, Optional

import pytest
from support import TOKEN_A, Fake

from plexauth import PlexAPI
from plexauth.models import errors

MakeClient = Callable[..., PlexAPI]


def test_many_threads_share_one_client(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)

    def work(i: int) -> int:
        if i % 3 == 0:
            token = s.authentication.get_transient_token().object.media_container.token
            assert token and token.startswith("transient-")
            return 0
        account = s.authentication.get_token_details().user_plex_account
        assert account is not None
        return int(account.id or 0)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(64)))
    assert results.count(13692262) == len([i for i in range(64) if i % 3]) and results.count(0) == 22
    assert len(fake.requests()) == 64


def test_provider_failures_stay_on_their_thread(fake: Fake, make_client: MakeClient) -> None:
    class Refused(Exception):
        pass

    def provider() -> str:
        name = threading.current_thread().name
        if name.startswith("bad"):
            raise Refused(name)
        return TOKEN_A

    s = make_client(access_token=provider)
    outcomes: dict = {}  # type: ignore[type-arg]

    def run() -> None:
        name = threading.current_thread().name
        for _ in range(10):
            try:
                s.authentication.get_token_details()
                outcomes.setdefault(name, []).append("ok")
            except errors.CallbackError as exc:
                assert isinstance(exc.__cause__, Refused) and str(exc.__cause__) == name
                outcomes.setdefault(name, []).append("refused")

    threads = [threading.Thread(target=run, name=f"{'bad' if i % 2 else 'good'}-{i}") for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for name, results in outcomes.items():
        assert results == (["refused"] * 10 if name.startswith("bad") else ["ok"] * 10)
    assert len(outcomes) == 6


def test_close_waits_for_calls_in_flight(fake: Fake) -> None:
    s = PlexAPI(access_token=TOKEN_A, retry_config=None)
    fake.faults("/api/v2/user", {"delay_ms": 500})
    result: List[Optional[int]] = []

    def slow() -> None:
        res = s.authentication.get_token_details()
        result.append(res.status_code)

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.2)
    s.close()  # the native client is freed when the call in flight ends
    with pytest.raises(RuntimeError):
        s.authentication.get_token_details()
    t.join(timeout=10)
    assert result == [200]
