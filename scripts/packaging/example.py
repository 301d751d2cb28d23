"""Packaging test (scripts/packaging-test.sh): run from a fresh venv holding the
installed wheel, with no plexauth environment variable. Asks the fake Plex
server (127.0.0.1:<argv[1]>) for the seeded account, pings, and checks which
libplexauth the process loaded: the one in the package (argv[2] == "bundled")
or the one named by PLEXAUTH_LIBRARY (argv[2] == "override")."""

import os
import sys

import plexauth
from plexauth import PlexAPI

port, expect = int(sys.argv[1]), sys.argv[2]
here = os.path.dirname(os.path.abspath(plexauth.__file__))
assert not here.startswith(os.environ.get("PLEXAUTH_REPO", "/nonexistent")), f"imported the source tree: {here}"

with PlexAPI(access_token="CxoUzBTSV5hsxjTpFKaf",  # the fake's seeded token (test data)
             client_id="3381b62b-9ab7-4e37-827b-203e9809eb58", client_name="packaging-test",
             plex_tv_url=f"http://127.0.0.1:{port}/api/v2", retry_config=None) as s:
    account = s.authentication.get_token_details().user_plex_account
    assert account is not None and account.username == "Username", account
    assert s.authentication.ping().object.pong is True

with open("/proc/self/maps") as maps:
    loaded = sorted({line.split()[-1] for line in maps if "libplexauth" in line})
assert len(loaded) == 1, loaded
if expect == "bundled":
    assert os.path.dirname(loaded[0]) == here, f"loaded {loaded[0]}, not the copy in {here}"
else:
    assert os.path.realpath(loaded[0]) == os.path.realpath(os.environ["PLEXAUTH_LIBRARY"]), loaded
print(f"python: {expect} {os.path.basename(loaded[0])} {plexauth.library_version()} ok")
