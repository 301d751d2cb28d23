"""Servers and connections: list_resources against the fake's seeded devices, and
PlexAPI.connect / connect_async racing a topology of real loopback listeners (black holes,
a refusal, a server answering with another identifier, an ok relay) through libplexauth."""

import asyncio
import json
import os
import stat
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest
from support import SOURCE_TOKEN, TOKEN_A, Fake, header

from plexauth import CancelToken, ConnectCache, ConnectResult, PlexAPI
from plexauth.connect import resource_wire
from plexauth.models import errors, operations
from plexauth.models._generated import resource_from_wire

MakeClient = Callable[..., PlexAPI]

OFFICE, OFFICE_TOKEN = "0ff1ce0000000000", "officeTok123"
WRONG_ID = "ffffffffffffffffffffffffffffffff"  # seed::kWrongMachineIdentifier


def office(*connections: Dict[str, Any], **extra: Any) -> List[Dict[str, Any]]:
    server = {"name": "Office", "clientIdentifier": OFFICE, "owned": True, "accessToken": OFFICE_TOKEN,
              "connections": list(connections)}
    server.update(extra)
    return [server]


def listed_office(s: PlexAPI) -> operations.Resource:
    devices = s.authentication.list_resources().object.devices or []
    found = [d for d in devices if d.client_identifier == OFFICE]
    assert len(found) == 1, devices
    return found[0]


def test_list_resources_reads_account_as_devices(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.list_resources()
    assert res.status_code == 200
    devices = res.object.devices
    assert devices is not None and [d.name for d in devices] == ["Living Room", "Friend's Server", "Living Room TV"]
    living, shared, player = devices
    assert living.owned is True and living.access_token == SOURCE_TOKEN
    assert living.provides is not None and "server" in living.provides
    assert living.connections and living.connections[0].uri == fake.base and living.connections[0].local is True
    assert shared.owned is False and shared.access_token is None
    assert shared.connections is not None
    assert [c.ipv6 for c in shared.connections].count(True) == 1
    assert [c.relay for c in shared.connections].count(True) == 1
    assert player.provides == "client,player"
    assert SOURCE_TOKEN not in repr(living) and "<redacted>" in repr(living)
    # Sent to the plex.tv URL given (clients.plex.tv's route) with every include flag and the token.
    (req,) = fake.requests("/api/v2/resources")
    assert sorted(req["query"].split("&")) == ["includeHttps=1", "includeIPv6=1", "includeRelay=1"]
    assert header(req, "X-Plex-Token") == TOKEN_A
    # The model written back to its wire form reads back to the same model.
    for device in devices:
        assert resource_from_wire(resource_wire(device)) == device


def test_connect_picks_the_relay_past_black_holes_a_refusal_and_a_wrong_server(
        fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office(
        {"behaviour": "blackhole", "local": True}, {"behaviour": "blackhole", "local": True},
        {"behaviour": "refuse"}, {"behaviour": "wrong_id"}, {"behaviour": "blackhole"},
        {"behaviour": "ok", "relay": True, "delay_ms": 20}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    before = len(fake.requests())
    result = s.connect(resource, stagger_ms=100, grace_ms=50, deadline_ms=5000)

    assert isinstance(result, ConnectResult)
    assert result.machine_identifier == OFFICE and result.name == "Office"
    assert result.access_token == OFFICE_TOKEN
    assert OFFICE_TOKEN not in repr(result) and "access_token=<redacted>" in repr(result)
    a = result.attempts
    assert len(a) == 6
    assert [x.location for x in a] == ["local", "local", "remote", "remote", "remote", "relay"]
    assert result.uri == a[5].uri and a[5].outcome == "ok" and a[5].status == "ok" and a[5].http_status == 200
    assert [x.outcome for x in a[:2]] == ["abandoned", "abandoned"]
    assert (a[2].outcome, a[2].status, a[2].http_status) == ("failed", "transport", 0)  # refused
    assert (a[3].outcome, a[3].status) == ("failed", "malformed_response")  # another server answered
    assert a[3].message is not None and WRONG_ID in a[3].message
    assert a[4].outcome == "abandoned"
    assert all(x.message is None for x in a if x.outcome != "failed")
    started = [x.started_ms for x in a]
    assert all(v is not None for v in started) and started == sorted(started)  # type: ignore[type-var]
    assert a[5].elapsed_ms is not None and a[5].elapsed_ms >= 20  # the relay's delay
    assert a[0].elapsed_ms is None  # never answered
    assert not any(x.remembered for x in a)
    assert result.elapsed_ms >= a[5].started_ms  # type: ignore[operator]

    # Every probe that reached a server carried this client's identity and the server's token.
    probes = [r for r in fake.requests()[before:] if r["path"] == "/identity"]
    assert len(probes) == 2, probes  # the wrong_id server and the relay
    for r in probes:
        assert header(r, "X-Plex-Client-Identifier") == "test-client-id"
        assert header(r, "X-Plex-Token") == OFFICE_TOKEN
    ports = {r["port"] for r in probes}
    assert int(result.uri.rsplit(":", 1)[1]) in ports


def test_nothing_reachable_raises_unreachable_by_the_deadline(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "blackhole"}, {"behaviour": "blackhole", "local": True},
                         {"behaviour": "blackhole", "relay": True}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    t0 = time.monotonic()
    with pytest.raises(errors.Unreachable) as info:
        s.connect(resource, stagger_ms=50, deadline_ms=300)
    took = time.monotonic() - t0
    assert isinstance(info.value, errors.SDKError)
    assert info.value.status_name == "unreachable"
    message = str(info.value)
    assert "300 ms" in message and "1. " in message and "3. " in message
    assert OFFICE_TOKEN not in message
    assert took < 5.0  # black holes do not outlive the deadline by much


def test_the_cache_puts_the_remembered_connection_first(fake: Fake, make_client: MakeClient, tmp_path: Path) -> None:
    fake.topology(office({"behaviour": "blackhole", "local": True}, {"behaviour": "ok", "relay": True}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    cache = ConnectCache()
    assert len(cache) == 0
    first = s.connect(resource, stagger_ms=50, grace_ms=0, cache=cache)
    assert first.attempts[0].location == "local" and not first.attempts[0].remembered
    assert len(cache) == 1
    second = s.connect(resource, stagger_ms=50, grace_ms=0, cache=cache)
    assert second.attempts[0].remembered and second.attempts[0].outcome == "ok"
    assert second.attempts[0].uri == first.uri == second.uri
    assert sum(x.remembered for x in second.attempts) == 1
    # Kept in a file (0600) and read back by another cache.
    path = tmp_path / "connections.json"
    cache.save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert OFFICE_TOKEN not in path.read_text()
    again = ConnectCache(path)
    assert len(again) == 1
    third = s.connect(resource, grace_ms=0, cache=again)
    assert third.attempts[0].remembered and third.uri == first.uri
    assert len(ConnectCache(tmp_path / "missing.json")) == 0
    cache.close()
    cache.close()
    with pytest.raises(RuntimeError):
        len(cache)


def test_options_choose_the_candidates(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "ok", "local": True}, {"behaviour": "ok"},
                         {"behaviour": "ok", "relay": True}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    only_relay = s.connect(resource, locations=["relay"])
    assert [x.location for x in only_relay.attempts] == ["relay"] and only_relay.attempts[0].outcome == "ok"
    no_local = s.connect(resource, locations=("remote", "relay"), grace_ms=0)
    assert [x.location for x in no_local.attempts] == ["remote", "relay"]
    assert no_local.uri == no_local.attempts[0].uri
    http_only = s.connect(resource, schemes=["http"], grace_ms=0)
    assert http_only.attempts and all(not x.https for x in http_only.attempts)
    assert all(x.uri.startswith("http://127.0.0.1:") for x in http_only.attempts)
    assert http_only.attempts[0].location == "local" and http_only.uri == http_only.attempts[0].uri


def test_a_saved_device_connects_without_listing_again(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "ok", "local": True}))
    s = make_client(access_token=TOKEN_A)
    saved = json.loads(json.dumps(resource_wire(listed_office(s))))
    before = len(fake.requests("/api/v2/resources"))
    result = s.connect(saved)
    assert result.machine_identifier == OFFICE and result.access_token == OFFICE_TOKEN
    assert len(fake.requests("/api/v2/resources")) == before


def test_an_owned_server_without_token_gives_none(fake: Fake, make_client: MakeClient) -> None:
    fake.topology([{"name": "Mine", "clientIdentifier": OFFICE, "owned": True, "accessToken": None,
                    "connections": [{"behaviour": "ok", "local": True}]}])
    s = make_client(access_token=TOKEN_A)
    result = s.connect(listed_office(s))
    assert result.access_token is None and "access_token=None" in repr(result)


def test_a_cancelled_token_stops_the_connect(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "blackhole"}, {"behaviour": "blackhole"}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    token = CancelToken()
    token.cancel()
    t0 = time.monotonic()
    with pytest.raises(errors.Cancelled):
        s.connect(resource, deadline_ms=20000, cancel=token)
    assert time.monotonic() - t0 < 5.0


def test_bad_input_is_refused_before_anything_is_sent(fake: Fake, make_client: MakeClient, tmp_path: Path) -> None:
    fake.topology(office({"behaviour": "ok"}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)
    before = len(fake.requests())
    bad: List[Any] = [None, 42, "office", b"[]", [resource]]
    for value in bad:
        with pytest.raises(TypeError):
            s.connect(value)
    with pytest.raises(TypeError):
        s.connect(resource, cache="cache.json")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        s.connect(resource, cancel=True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        s.connect(resource, stagger_ms="100")  # type: ignore[arg-type]
    invalid: List[Dict[str, Any]] = [
        {"locations": ["moon"]}, {"locations": []}, {"schemes": ["ftp"]}, {"schemes": []}, {"stagger_ms": -1},
        {"stagger_ms": 60001}, {"grace_ms": -5}, {"deadline_ms": 0}, {"deadline_ms": 600001}]
    for kwargs in invalid:
        with pytest.raises(errors.InvalidArgument):
            s.connect(resource, **kwargs)
    with pytest.raises(errors.InvalidArgument):  # no clientIdentifier
        s.connect(resource._replace(client_identifier=None))
    with pytest.raises(errors.InvalidArgument):
        s.connect({"clientIdentifier": OFFICE, "connections": [{"uri": float("nan")}]})
    with pytest.raises(errors.InvalidArgument):
        s.connect({"clientIdentifier": "x\x00y"})
    with pytest.raises(errors.InvalidArgument):
        s.connect({"clientIdentifier": OFFICE, "connections": "not a list"})
    garbage = tmp_path / "garbage"
    garbage.write_text("this is not a cache")
    with pytest.raises(errors.MalformedResponse):
        ConnectCache(garbage)
    with pytest.raises(TypeError):
        ConnectCache(7)  # type: ignore[arg-type]
    with pytest.raises(errors.InvalidArgument):
        ConnectCache("a\x00b")
    with pytest.raises(errors.TransportError):
        ConnectCache().save(tmp_path / "no" / "such" / "folder" / "c.json")
    assert fake.requests()[before:] == []  # nothing reached any server
    s.close()
    with pytest.raises(RuntimeError):
        s.connect(resource)


def test_connect_async_races_on_the_event_loop(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "blackhole", "local": True}, {"behaviour": "wrong_id"},
                         {"behaviour": "ok", "relay": True, "delay_ms": 20}))
    s = make_client(access_token=TOKEN_A)

    async def main() -> ConnectResult:
        resource = (await s.authentication.list_resources_async()).object.devices
        assert resource is not None
        (office_device,) = [d for d in resource if d.client_identifier == OFFICE]
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.02)

        task = asyncio.create_task(ticker())
        result = await s.connect_async(office_device, stagger_ms=200, grace_ms=0, deadline_ms=5000)
        task.cancel()
        assert ticks >= 5  # the loop ran during the ~220 ms connect
        return result

    result = asyncio.run(main())
    assert [x.outcome for x in result.attempts] == ["abandoned", "failed", "ok"]
    assert result.uri == result.attempts[2].uri and result.access_token == OFFICE_TOKEN


def test_connect_async_unreachable_and_task_cancellation(fake: Fake, make_client: MakeClient) -> None:
    fake.topology(office({"behaviour": "blackhole"}, {"behaviour": "blackhole", "relay": True}))
    s = make_client(access_token=TOKEN_A)
    resource = listed_office(s)

    async def unreachable() -> None:
        with pytest.raises(errors.Unreachable):
            await s.connect_async(resource, stagger_ms=20, deadline_ms=200)

    async def cancelled() -> float:
        task = asyncio.create_task(s.connect_async(resource, deadline_ms=30000))
        await asyncio.sleep(0.2)
        t0 = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - t0

    asyncio.run(unreachable())
    assert asyncio.run(cancelled()) < 2.0
    with pytest.raises(TypeError):
        asyncio.run(s.connect_async(None))  # type: ignore[arg-type]
