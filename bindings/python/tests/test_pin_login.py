"""Login journeys (issue 10): PINs, the blocking/async PIN login, link, sign-out, Home
switch, the stored device identity and the hosted login URL, over real sockets
against the fake."""

import asyncio
import stat
import threading
import time
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import pytest
from support import FIRST_PIN_ID, HOME_OPEN, HOME_PIN, HOME_PROTECTED, LOGIN_A, TOKEN_A, TOKEN_B, Fake, header

import plexauth
from plexauth import CancelToken, PlexAPI, utils
from plexauth.models import errors, operations

MakeClient = Callable[..., PlexAPI]
FAST_RETRY = utils.RetryConfig("backoff", utils.BackoffStrategy(50, 2000, 1.5, 10000), False)


# ------------------------------------------------------------------ create_pin / get_pin


def test_create_pin_then_poll_until_approved(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_B, client_name="plexauth py")
    res = s.authentication.create_pin()
    assert isinstance(res, operations.CreatePinResponse) and res.status_code == 201
    pin = res.object
    assert isinstance(pin, operations.Pin) and pin.id == FIRST_PIN_ID
    assert pin.code is not None and len(pin.code) == 4 and pin.expires_in == 900
    assert pin.auth_token is None and pin.client_identifier == "test-client-id" and pin.product == "plexauth py"
    (req,) = fake.requests("/api/v2/pins")
    assert req["method"] == "POST" and req["query"] == "" and header(req, "X-Plex-Token") is None

    assert s.authentication.get_pin(pin_id=FIRST_PIN_ID).object.auth_token is None
    fake.approve_pin(FIRST_PIN_ID, LOGIN_A)
    polled = s.authentication.get_pin(pin_id=FIRST_PIN_ID)
    assert isinstance(polled, operations.GetPinResponse) and polled.status_code == 200
    assert polled.object.auth_token == TOKEN_A
    assert TOKEN_A not in repr(polled.object) and "<redacted>" in repr(polled.object)
    assert header(fake.requests(f"/api/v2/pins/{FIRST_PIN_ID}")[0], "X-Plex-Token") is None


def test_strong_pin_has_a_long_code(fake: Fake, make_client: MakeClient) -> None:
    pin = make_client().authentication.create_pin(strong=True).object
    assert pin.code is not None and len(pin.code) == 25 and pin.expires_in == 1800
    assert fake.requests("/api/v2/pins")[0]["query"] == "strong=true"


def test_get_pin_of_an_expired_pin_raises_pin_expired(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    pin = s.authentication.create_pin().object
    fake.expire_pin(FIRST_PIN_ID)
    with pytest.raises(errors.PinExpired) as info:
        s.authentication.get_pin(pin_id=FIRST_PIN_ID)
    assert isinstance(info.value, errors.SDKError) and info.value.status_name == "pin_expired"
    assert info.value.http_status == 404 and info.value.plex_error_codes == [1020]
    assert pin.code is not None and pin.code not in str(info.value)


def test_create_pin_rate_limited_without_retries(fake: Fake, make_client: MakeClient) -> None:
    fake.pin_limit(0)
    s = make_client()  # retries off
    with pytest.raises(errors.RateLimited) as info:
        s.authentication.create_pin()
    assert info.value.http_status == 429 and info.value.attempts == 1
    with pytest.raises(errors.RateLimited):
        s.login_with_pin()


def test_create_pin_rate_limited_then_retried_after_retry_after(fake: Fake, make_client: MakeClient) -> None:
    fake.pin_limit(1, retry_after="1")  # one per client id, then 429 for a second
    s = make_client(retry_config=FAST_RETRY)
    assert s.authentication.create_pin().object.id == FIRST_PIN_ID
    with pytest.raises(errors.RateLimited) as info:
        s.authentication.create_pin(retries=None)
    assert info.value.retry_after == 1.0
    started = time.monotonic()
    pin = s.authentication.create_pin().object  # retried after Retry-After
    assert pin.id == FIRST_PIN_ID + 1 and time.monotonic() - started >= 0.5
    assert len(fake.requests("/api/v2/pins")) >= 4


# ------------------------------------------------------------------ login_with_pin


def test_login_with_pin_returns_the_approved_token(fake: Fake, make_client: MakeClient) -> None:
    calls: List[Tuple[str, Optional[int], str]] = []

    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        calls.append((code, seconds_left, threading.current_thread().name))
        if len(calls) == 1:
            fake.approve_pin(FIRST_PIN_ID, LOGIN_A)

    pin = make_client().login_with_pin(on_progress=on_progress, poll_interval_ms=100, timeout_s=10)
    assert isinstance(pin, operations.Pin) and pin.auth_token == TOKEN_A and pin.id == FIRST_PIN_ID
    assert calls and all(code == pin.code and len(code) == 4 for code, _, _ in calls)
    assert all(left is not None and 0 < left <= 900 for _, left, _ in calls)
    assert calls[0][2] == threading.current_thread().name  # called on the waiting thread
    assert TOKEN_A not in repr(pin)
    # the token works
    assert make_client(access_token=pin.auth_token).authentication.ping().object.pong is True


def test_login_with_pin_expiry_raises_pin_expired(fake: Fake, make_client: MakeClient) -> None:
    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        fake.expire_pin(FIRST_PIN_ID)

    with pytest.raises(errors.PinExpired):
        make_client().login_with_pin(on_progress=on_progress, poll_interval_ms=100, timeout_s=10)


def test_login_with_pin_timeout(fake: Fake, make_client: MakeClient) -> None:
    started = time.monotonic()
    with pytest.raises(errors.Timeout):
        make_client().login_with_pin(poll_interval_ms=100, timeout_s=0.5)
    assert time.monotonic() - started < 5


def test_login_with_pin_progress_exception_stops_the_wait(fake: Fake, make_client: MakeClient) -> None:
    class Stop(Exception):
        pass

    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        raise Stop("user gave up")

    s = make_client()
    started = time.monotonic()
    with pytest.raises(errors.CallbackError) as info:
        s.login_with_pin(on_progress=on_progress, poll_interval_ms=1000, timeout_s=30)
    assert time.monotonic() - started < 2
    assert isinstance(info.value.__cause__, Stop) and info.value.status_name == "callback_error"
    # the client is still usable
    assert s.authentication.create_pin().object.id == FIRST_PIN_ID + 1


def test_login_with_pin_base_exception_from_progress_is_reraised(fake: Fake, make_client: MakeClient) -> None:
    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        make_client().login_with_pin(on_progress=on_progress, poll_interval_ms=100, timeout_s=30)


def test_login_with_pin_cancel_token_from_another_thread(fake: Fake, make_client: MakeClient) -> None:
    token = CancelToken()
    cancelled_at: List[float] = []

    def cancel_later() -> None:
        time.sleep(0.3)
        cancelled_at.append(time.monotonic())
        token.cancel()

    threading.Thread(target=cancel_later).start()
    with pytest.raises(errors.Cancelled):
        make_client().login_with_pin(poll_interval_ms=5000, cancel=token)
    assert time.monotonic() - cancelled_at[0] < 0.2


def test_login_with_pin_async_returns_the_token(fake: Fake, make_client: MakeClient) -> None:
    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        fake.approve_pin(FIRST_PIN_ID, LOGIN_A)

    async def main() -> operations.Pin:
        return await make_client().login_with_pin_async(strong=True, on_progress=on_progress, poll_interval_ms=100)

    pin = asyncio.run(main())
    assert pin.auth_token == TOKEN_A and pin.code is not None and len(pin.code) == 25


def test_cancelling_the_async_login_stops_the_wait_within_100ms(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    waiting = threading.Event()

    def on_progress(code: str, seconds_left: Optional[int]) -> None:
        waiting.set()

    async def main() -> float:
        task = asyncio.ensure_future(s.login_with_pin_async(on_progress=on_progress, poll_interval_ms=10000))
        while not waiting.is_set():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # now in the 10 s wait between polls
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        while s._in_flight:  # the native wait has returned once nothing is in flight
            assert time.monotonic() - started < 1.0
            await asyncio.sleep(0.002)
        return time.monotonic() - started

    assert asyncio.run(main()) < 0.15
    assert len(fake.requests(f"/api/v2/pins/{FIRST_PIN_ID}")) == 1


# ------------------------------------------------------------------ the seed's plex namespace


def test_plex_get_pin_and_get_token_by_pin_id(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    res = s.plex.get_pin(request={"strong": False, "client_id": "seed-client", "client_name": "Seed App"})
    assert isinstance(res, operations.PlexGetPinResponse) and res.status_code == 201
    pin = res.auth_pin_container
    assert pin is not None and pin.id == FIRST_PIN_ID and pin.client_identifier == "seed-client"
    (req,) = fake.requests("/api/v2/pins")
    assert header(req, "X-Plex-Client-Identifier") == "seed-client" and header(req, "X-Plex-Product") == "Seed App"

    # polled from another client identifier: plex.tv (the fake) does not know it
    with pytest.raises(errors.PinExpired):
        s.plex.get_token_by_pin_id(pin_id=FIRST_PIN_ID)
    fake.approve_pin(FIRST_PIN_ID, LOGIN_A)
    got = s.plex.get_token_by_pin_id(pin_id=FIRST_PIN_ID, client_id="seed-client")
    assert isinstance(got, operations.GetTokenByPinIDResponse)
    assert got.auth_pin_container is not None and got.auth_pin_container.auth_token == TOKEN_A
    got2 = s.plex.get_token_by_pin_id(request={"pin_id": FIRST_PIN_ID, "X-Plex-Client-Identifier": "seed-client"})
    assert got2.auth_pin_container == got.auth_pin_container

    strong = s.plex.get_pin(strong=True).auth_pin_container
    assert strong is not None and strong.code is not None and len(strong.code) == 25


def test_plex_namespace_async(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()

    async def main() -> Optional[str]:
        pin = (await s.plex.get_pin_async()).auth_pin_container
        assert pin is not None and pin.id is not None
        fake.approve_pin(pin.id, LOGIN_A)
        got = (await s.plex.get_token_by_pin_id_async(pin_id=pin.id)).auth_pin_container
        return None if got is None else got.auth_token

    assert asyncio.run(main()) == TOKEN_A


def test_plex_namespace_sends_device_name(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    pin = s.plex.get_pin(device_name="Living Room").auth_pin_container
    assert pin is not None and pin.id is not None
    s.plex.get_pin(request={"X-Plex-Device-Name": "Kitchen"})
    first, second = fake.requests("/api/v2/pins")
    assert header(first, "X-Plex-Device-Name") == "Living Room" and header(second, "X-Plex-Device-Name") == "Kitchen"
    fake.approve_pin(pin.id, LOGIN_A)

    async def main() -> None:
        await s.plex.get_token_by_pin_id_async(request={"pinID": pin.id}, device_name="Den")

    asyncio.run(main())
    (poll,) = fake.requests(f"/api/v2/pins/{pin.id}")
    assert header(poll, "X-Plex-Device-Name") == "Den"


# ------------------------------------------------------------------ link, sign-out, per-call token


def test_link_pin_approves_another_devices_code(fake: Fake, make_client: MakeClient) -> None:
    tv = make_client(client_id="tv-device")
    pin = tv.authentication.create_pin().object
    assert pin.code is not None
    phone = make_client(access_token=TOKEN_A, client_id="phone")
    phone.authentication.link_pin(code=pin.code.lower())
    (req,) = fake.requests("/api/v2/pins/link")
    assert req["method"] == "PUT" and header(req, "X-Plex-Token") == TOKEN_A
    assert tv.authentication.get_pin(pin_id=FIRST_PIN_ID).object.auth_token == TOKEN_A
    with pytest.raises(errors.PinExpired):
        phone.authentication.link_pin(code="ZZZZ")


def test_link_pin_with_a_per_call_access_token(fake: Fake, make_client: MakeClient) -> None:
    tv = make_client(client_id="tv-device")
    code = tv.authentication.create_pin().object.code
    assert code is not None
    anonymous = make_client(client_id="phone")
    with pytest.raises(errors.LinkPinUnauthorized):
        anonymous.authentication.link_pin(code=code)
    anonymous.authentication.link_pin(code=code, access_token=TOKEN_B)
    assert header(fake.requests("/api/v2/pins/link")[-1], "X-Plex-Token") == TOKEN_B
    assert tv.authentication.get_pin(pin_id=FIRST_PIN_ID).object.auth_token == TOKEN_B


def test_per_call_access_token_beats_the_clients(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    account = s.authentication.get_token_details(access_token=TOKEN_B).user_plex_account
    assert account is not None and account.uuid == "a1b2c3d4e5f67890"

    async def main() -> None:
        await s.authentication.ping_async(access_token=TOKEN_B)

    asyncio.run(main())
    tokens = [header(r, "X-Plex-Token") for r in fake.requests()]
    assert tokens == [TOKEN_B, TOKEN_B]
    s.authentication.ping()
    assert header(fake.requests()[-1], "X-Plex-Token") == TOKEN_A


def test_sign_out_invalidates_the_token(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    assert s.authentication.ping().object.pong is True
    s.authentication.sign_out()
    (req,) = fake.requests("/api/v2/users/signout")
    assert req["method"] == "DELETE" and header(req, "X-Plex-Token") == TOKEN_A
    with pytest.raises(errors.PingUnauthorized):
        s.authentication.ping()
    with pytest.raises(errors.SignOutUnauthorized):
        s.authentication.sign_out()


# ------------------------------------------------------------------ Home switch


def test_switch_home_user_wrong_pin_raises_pin_required(
    fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="plexauth")
    s = make_client(access_token=TOKEN_A)
    for pin in ("9876", None):
        with pytest.raises(errors.PinRequired) as info:
            s.authentication.switch_home_user(user=HOME_PROTECTED, pin=pin)
        exc = info.value
        assert exc.status_name == "pin_required" and exc.http_status == 403 and exc.plex_error_codes == [1041]
        assert "9876" not in str(exc) + repr(exc) + exc.message + repr(exc.detail)
    assert fake.requests()[0]["query"] == "pin=9876"  # plex.tv wants it in the query
    assert "9876" not in caplog.text


def test_switch_home_user_right_pin_gives_the_users_token(
    fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG", logger="plexauth")
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.switch_home_user(user=HOME_PROTECTED, pin=HOME_PIN)
    assert isinstance(res, operations.SwitchHomeUserResponse) and res.status_code == 201
    account = res.object
    assert isinstance(account, operations.UserPlexAccount) and account.uuid == HOME_PROTECTED
    assert account.auth_token and account.auth_token not in (TOKEN_A, TOKEN_B)
    assert account.auth_token not in repr(account)
    assert "pin=" + HOME_PIN not in caplog.text
    # the new token is that user's
    me = s.authentication.get_token_details(access_token=account.auth_token).user_plex_account
    assert me is not None and me.uuid == HOME_PROTECTED

    open_user = s.authentication.switch_home_user(user=HOME_OPEN).object
    assert open_user.uuid == HOME_OPEN and open_user.auth_token


def test_switch_home_user_async(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)

    async def main() -> Optional[str]:
        return (await s.authentication.switch_home_user_async(user=HOME_OPEN)).object.uuid

    assert asyncio.run(main()) == HOME_OPEN


def test_list_home_users_reads_the_v1_xml(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.list_home_users()
    assert isinstance(res, operations.ListHomeUsersResponse) and res.status_code == 200
    assert res.content_type.startswith("application/xml")
    home = res.object.media_container
    assert isinstance(home, operations.HomeUsers) and home.size == 3 and home.total_size == 3
    users = {u.uuid: u for u in home.users or []}
    assert set(users) == {"dae343c1f45beb4f", HOME_PROTECTED, HOME_OPEN}
    kid = users[HOME_PROTECTED]
    assert isinstance(kid, operations.HomeUser)
    assert kid.id == 20000001 and kid.title == "Kid" and kid.protected is True and kid.restricted is True
    assert users[HOME_OPEN].protected is False and users["dae343c1f45beb4f"].admin is True
    (req,) = fake.requests("/api/home/users")
    assert req["method"] == "GET" and header(req, "X-Plex-Token") == TOKEN_A
    # What the listing says is what switching needs.
    with pytest.raises(errors.PinRequired):
        s.authentication.switch_home_user(user=HOME_PROTECTED)
    assert s.authentication.switch_home_user(user=HOME_OPEN).object.uuid == HOME_OPEN


def test_list_home_users_errors_and_async(fake: Fake, make_client: MakeClient) -> None:
    with pytest.raises(errors.UnauthorizedError) as info:
        make_client(access_token="notAValidToken000000").authentication.list_home_users()
    assert info.value.http_status == 401
    fake.faults("/api/home/users", {"body": "<!DOCTYPE x [<!ENTITY a 'b'>]><MediaContainer/>",
                                    "content_type": "application/xml"})
    with pytest.raises(errors.MalformedResponse) as bad:
        make_client(access_token=TOKEN_A).authentication.list_home_users()
    assert "DOCTYPE" in str(bad.value)

    async def main() -> int:
        res = await make_client(access_token=TOKEN_B).authentication.list_home_users_async()
        return len(res.object.media_container.users or [])

    assert asyncio.run(main()) == 0  # B has no Home


# ------------------------------------------------------------------ device identity, login URL


def test_client_id_is_created_0600_once_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "client_id"
    first = plexauth.client_id(path)
    assert len(first) == 36 and first.count("-") == 4
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    mtime = path.stat().st_mtime_ns
    assert plexauth.client_id(str(path)) == first == plexauth.client_id(path)
    assert path.stat().st_mtime_ns == mtime
    assert first in path.read_text()


def test_client_id_default_path_and_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    value = plexauth.client_id()
    assert (tmp_path / "plexauth" / "client_id").read_text().strip() == value
    assert plexauth.client_id() == value

    bad = tmp_path / "bad"
    bad.write_text("not\nan identifier\x01")
    with pytest.raises(errors.InvalidArgument):
        plexauth.client_id(bad)
    assert bad.read_text() == "not\nan identifier\x01"
    with pytest.raises(errors.InvalidArgument):
        plexauth.client_id("a\x00b")


def test_client_id_feeds_a_client(fake: Fake, make_client: MakeClient, tmp_path: Path) -> None:
    identity = plexauth.client_id(tmp_path / "client_id")
    make_client(client_id=identity).authentication.create_pin()
    assert header(fake.requests("/api/v2/pins")[0], "X-Plex-Client-Identifier") == identity


def test_login_url_escaping(make_client: MakeClient) -> None:
    s = make_client(client_id="id with space/é&=", client_name="My App & Co+[x]~._-")
    assert s.login_url("abc def", "https://example.com/done?x=1&y=2") == (
        "https://app.plex.tv/auth#?clientID=id%20with%20space%2F%C3%A9%26%3D&code=abc%20def"
        "&context%5Bdevice%5D%5Bproduct%5D=My%20App%20%26%20Co%2B%5Bx%5D~._-"
        "&forwardUrl=https%3A%2F%2Fexample.com%2Fdone%3Fx%3D1%26y%3D2"
    )
    plain = make_client(client_id="3381b62b", client_name="Plex Web")
    assert plain.login_url("l91xft5ypr1n7588alsymxoy8") == (
        "https://app.plex.tv/auth#?clientID=3381b62b&code=l91xft5ypr1n7588alsymxoy8"
        "&context%5Bdevice%5D%5Bproduct%5D=Plex%20Web"
    )
    long_code = "x" * 3000  # larger than the first buffer
    assert plain.login_url(long_code).count("x") >= 3000


def test_login_url_rejects_bad_input(make_client: MakeClient) -> None:
    s = make_client()
    with pytest.raises(errors.InvalidArgument):
        s.login_url("CODE", "ftp://example.com/")
    with pytest.raises(errors.InvalidArgument):
        s.login_url("CO\x00DE")
    s.close()
    with pytest.raises(RuntimeError):
        s.login_url("CODE")


def test_operation_keywords() -> None:
    import inspect

    auth = plexauth.Authentication
    assert "pin_id" in inspect.signature(auth.get_pin).parameters
    assert "access_token" not in inspect.signature(auth.create_pin).parameters  # never sends a token
    for name in ("link_pin", "sign_out", "switch_home_user", "ping", "get_token_details"):
        assert "access_token" in inspect.signature(getattr(auth, name)).parameters, name
