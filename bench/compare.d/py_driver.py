"""bench/compare's Python driver: the same workload as driver.h, by one client.

    python py_driver.py CLIENT PLEX_TV_URL N
    CLIENT: plexauth | plex-api-client | plexapi
    environment: PLEXAUTH_BENCH_TOKEN, PLEXAUTH_BENCH_LOGIN, PLEXAUTH_BENCH_PASSWORD

One get_token_details (opens the connection; "first result"), N timed calls on
the same keep-alive connection, one sign-in; one JSON line on stdout. Only the
client under test is imported, after the clock starts in the parent process, so
import time counts towards the cold start.
"""
import json
import os
import sys
import time

IDENTITY = dict(
    client_id="3381b62b-9ab7-4e37-827b-203e9809eb58",
    client_name="Plex for Roku",
    client_version="2.4.1",
    platform="Roku",
    device_nickname="Roku 3",
)


def plexauth_client(url, token, login, password):
    """plexauth's Python binding (ctypes over libplexauth), used like the seed SDK."""
    from plexauth import PlexAPI

    s = PlexAPI(access_token=token, plex_tv_url=url, **IDENTITY)

    def token_details():
        return s.authentication.get_token_details().user_plex_account.id

    def sign_in():
        res = s.authentication.post_users_sign_in_data(
            request={"request_body": {"login": login, "password": password}})
        return res.user_plex_account.auth_token

    return token_details, sign_in, None


def plex_api_client(url, token, login, password):
    """The seed SDK (Speakeasy, httpx + pydantic); plex.tv calls take server_url."""
    from plex_api_client import PlexAPI

    s = PlexAPI(access_token=token, **IDENTITY)

    def token_details():
        return s.authentication.get_token_details(server_url=url).user_plex_account.id

    def sign_in():
        res = s.authentication.post_users_sign_in_data(
            request={"request_body": {"login": login, "password": password}}, server_url=url)
        return res.user_plex_account.auth_token

    return token_details, sign_in, None


def plexapi(url, token, login, password):
    """python-plexapi: MyPlexAccount(token=...) per call, MyPlexAccount(login, password)
    for the sign-in, over one shared requests.Session (keep-alive).

    Two adaptations, both disclosed in docs/performance.md:
    - its plex.tv URLs are class attributes; they are pointed at the fake;
    - it reads plex.tv's XML answer, the fake answers JSON (as plex.tv does to
      clients that ask for JSON). The JSON is turned into the element tree the
      XML would have given, and the time spent doing that is measured and
      subtracted from each call, so plexapi is charged neither for that nor for
      the XML parse it would really do.
    """
    import xml.etree.ElementTree as ET

    import requests
    from plexapi import myplex

    myplex.MyPlexAccount.key = url + "/user"
    myplex.MyPlexAccount.SIGNIN = url + "/users/signin"
    spent = [0]

    def attr(v):
        if isinstance(v, bool):
            return "1" if v else "0"
        return str(v)

    def element(tag, obj):
        e = ET.Element(tag)
        for k, v in obj.items():
            if v is None:
                continue
            if isinstance(v, dict):
                e.append(element(k, v))
            elif isinstance(v, list):
                holder = ET.SubElement(e, k)
                for item in v:
                    if isinstance(item, dict):
                        holder.append(element(k.rstrip("s"), item))
                    else:
                        ET.SubElement(holder, k.rstrip("s"), id=attr(item))
            else:
                e.set(k, attr(v))
        return e

    original = myplex.MyPlexAccount.query

    def query(self, *args, **kwargs):
        data = original(self, *args, **kwargs)
        if isinstance(data, dict):
            t0 = time.perf_counter_ns()
            data = element("user", data)
            spent[0] += time.perf_counter_ns() - t0
        return data

    myplex.MyPlexAccount.query = query
    session = requests.Session()

    def token_details():
        return myplex.MyPlexAccount(token=token, session=session).id

    def sign_in():
        return myplex.MyPlexAccount(login, password, session=session).authToken

    return token_details, sign_in, spent


CLIENTS = {"plexauth": plexauth_client, "plex-api-client": plex_api_client, "plexapi": plexapi}


def main():
    client, url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    env = os.environ
    token, login, password = (env["PLEXAUTH_BENCH_" + k] for k in ("TOKEN", "LOGIN", "PASSWORD"))
    token_details, sign_in, adapter = CLIENTS[client](url, token, login, password)

    if not token_details():
        sys.exit("first get_token_details gave no account id")
    first = time.time_ns()

    lat = [0] * n
    start = time.perf_counter_ns()
    t = start
    for i in range(n):
        before = adapter[0] if adapter else 0
        if not token_details():
            sys.exit("get_token_details gave no account id")
        now = time.perf_counter_ns()
        lat[i] = now - t - ((adapter[0] - before) if adapter else 0)
        t = now
    elapsed = sum(lat)

    s0 = time.perf_counter_ns()
    before = adapter[0] if adapter else 0
    if sign_in() != token:
        sys.exit("sign-in did not give the account's token")
    sign_in_ns = time.perf_counter_ns() - s0 - ((adapter[0] - before) if adapter else 0)

    print(json.dumps({"first_ns": first, "elapsed_ns": elapsed, "sign_in_ns": sign_in_ns, "lat_ns": lat,
                      "adapter_ns": adapter[0] if adapter else 0}, separators=(",", ":")))


if __name__ == "__main__":
    main()
