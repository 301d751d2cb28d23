"""JWT device authentication from Python, as docs/guide-python.md shows it (the guide quotes the
region between the [name] / [end] markers verbatim; tests/docs checks that, and the binding's
tests/test_jwt.py runs this program against plexauth-fake).

The plex.tv API base comes from PLEX_TV_URL (always named explicitly), the key file's path from
PLEXAUTH_KEY_FILE; the legacy token that registers the key comes from standard input, never argv.
"""

import os
import sys

legacy_token = sys.stdin.readline().rstrip("\n")

# [jwt]
from plexauth import DeviceKey, JwtSession, PlexAPI
from plexauth.models import errors

# A client identifier of its own for the JWT: a JWT ends its device's legacy token (docs/jwt.md).
identity = dict(client_id="my-plex-tool-jwt", client_name="My Plex Tool", plex_tv_url=os.environ["PLEX_TV_URL"])
device = PlexAPI(**identity)
key = DeviceKey.load_or_create(os.environ["PLEXAUTH_KEY_FILE"])  # mode 0600; refused if others can read it
if key.created:  # once: plex.tv binds the key to the account of the (legacy) token
    device.register_device_key(key, access_token=legacy_token)
    print(f"registered a new device key {key.id}")
session = JwtSession(device, key)  # the Plex JWT (7 days), refreshed with the key alone, one refresh at a time
s = PlexAPI(access_token=session, **identity)  # every call sends the session's current JWT
try:
    account = s.authentication.get_token_details().user_plex_account
except errors.TokenExpired:  # plex.tv may expire a JWT early: forget it, the next call refreshes
    session.invalidate()
    account = s.authentication.get_token_details().user_plex_account
print(f"signed in as {account.username}; the JWT expires at {session.token().expires_at}")
s.close()
session.close()
device.close()
key.close()
# [end]
