"""Every plexauth flow in Python, as docs/guide-python.md shows it (the guide includes
the regions between the [name] / [end] markers verbatim; tests/docs checks that and
runs this program against plexauth-fake).

Servers come from the environment, always named explicitly: PLEX_SERVER (the PMS
base URL) and PLEX_TV_URL (the plex.tv API base); PLEXAUTH_CLIENT_ID_FILE optionally
says where the device identity is kept. Secrets come from standard input, one per
line: the password, the 2FA code, the Home user's PIN. Never from argv.
"""

import os
import sys

LOGIN = "user12345"  # an account with 2FA
SOURCE = "server://3381b62b9ab74e37"
HOME_USER = "homeuser0000uuid"  # a protected Plex Home user

password, code, home_pin = (sys.stdin.readline().rstrip("\n") for _ in range(3))

# [setup]
import plexauth
from plexauth import PlexAPI, utils
from plexauth.models import errors

# One stable identity per installation: plex.tv lists it as one device.
device = plexauth.client_id(os.environ.get("PLEXAUTH_CLIENT_ID_FILE"))
retry = utils.RetryConfig("backoff", utils.BackoffStrategy(500, 60_000, 1.5, 20_000), True,
                          max_attempts=3)  # times in ms: initial, cap, exponent, elapsed
s = PlexAPI(client_id=device, client_name="My Plex Tool", client_version="1.0", platform="Linux",
            server_url=os.environ["PLEX_SERVER"],      # always name your server
            plex_tv_url=os.environ["PLEX_TV_URL"],
            connect_timeout_ms=3000, timeout_ms=10_000, retry_config=retry)
# [end]

# [sign_in]
credentials = {"login": LOGIN, "password": password}
try:
    res = s.authentication.post_users_sign_in_data(request={"request_body": credentials})
except errors.TwoFactorRequired:  # ask for the code, sign in again
    res = s.authentication.post_users_sign_in_data(
        request={"request_body": {**credentials, "verification_code": code}})
account = res.user_plex_account
print(f"signed in as {account.username}")
token = account.auth_token  # store it safely
# [end]

# [token]
me = s.authentication.get_token_details(access_token=token).user_plex_account  # this call's token
active = me.subscription.active if me.subscription else False
print(f"token details: {me.username} <{me.email}>, Plex Pass {'active' if active else 'inactive'}")
pong = s.authentication.ping(access_token=token).object  # keeps the token alive
print("ping:", "pong" if pong.pong else "no pong")
# [end]

# [pms]
res = s.authentication.get_transient_token(access_token=token)  # type=delegation, scope=all
print("transient token:", "received" if res.object.media_container.token else "none")
device_info = s.authentication.get_source_connection_information(
    source=SOURCE, access_token=token).object.media_container.device
print(f"source {device_info.name}:",
      " ".join(c.uri + (" (local)" if c.local else "") for c in device_info.connection))
# [end]

# [pin_login]
def show(pin_code, seconds_left):  # runs on the waiting thread before each pause
    print(f"waiting for code {pin_code} to be approved ({seconds_left} s left)", flush=True)

pin = s.login_with_pin(strong=True, on_progress=show, timeout_s=60, poll_interval_ms=200)
# (or: pin = s.authentication.create_pin(strong=True).object; url = s.login_url(pin.code) ...)
admin_token = pin.auth_token  # raises errors.PinExpired / Timeout / Cancelled instead
print("PIN approved")
# [end]

# [home]
try:
    kid = s.authentication.switch_home_user(user=HOME_USER, access_token=admin_token).object
except errors.PinRequired:  # a protected user: ask for the PIN
    kid = s.authentication.switch_home_user(user=HOME_USER, pin=home_pin, access_token=admin_token).object
print(f"switched to {kid.title}")  # its own token: kid.auth_token
# [end]

# [servers]
devices = s.authentication.list_resources(access_token=admin_token).object.devices  # servers, players...
cache = plexauth.ConnectCache()  # remembers what worked (cache.save(path) / ConnectCache(path))
for device in devices:
    if "server" not in (device.provides or ""):
        continue  # a player or another client
    try:
        conn = s.connect(device, deadline_ms=5000, cache=cache)  # races its connections
    except errors.Unreachable:  # nothing answered as that server
        print(f"server {device.name}: unreachable")
        continue
    server_token = conn.access_token or admin_token  # an owned server may come without its own
    identity = s.authentication.get_identity(server_url=conn.uri, access_token=server_token).object
    print(f"server {conn.name}: {conn.uri} in {conn.elapsed_ms} ms, "
          f"version {identity.media_container.version}")
# [end]

# [errors]
try:
    s.authentication.ping(access_token="revokedTokenXXXXXXXX", retries=None, timeout_ms=5000)
except errors.UnauthorizedError as e:  # catch classes, never match text
    print(f"refused: {e.status_name}, HTTP {e.http_status}, Plex code {e.plex_error_codes[0]}")
# [end]

# [sign_out]
s.authentication.sign_out(access_token=token)  # plex.tv invalidates the token
print("signed out")
s.close()
# [end]
