from plexauth import PlexAPI
from plexauth.utils import BackoffStrategy, RetryConfig

s = PlexAPI(
    retry_config=RetryConfig("backoff", BackoffStrategy(1, 50, 1.1, 100), False),
    access_token="<YOUR_API_KEY_HERE>",
)


res = s.authentication.get_token_details()

if res.user_plex_account is not None:
    # handle response
    pass
