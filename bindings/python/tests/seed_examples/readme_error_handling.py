from plexauth import PlexAPI
from plexauth.models import errors

s = PlexAPI(
    access_token="<YOUR_API_KEY_HERE>",
)

res = None
try:
    res = s.authentication.get_token_details()

except errors.GetTokenDetailsBadRequest as e:
    # handle exception
    raise(e)
except errors.GetTokenDetailsUnauthorized as e:
    # handle exception
    raise(e)
except errors.SDKError as e:
    # handle exception
    raise(e)

if res.user_plex_account is not None:
    # handle response
    pass
