from plexauth import PlexAPI
from plexauth.models import operations
from plexauth.utils import BackoffStrategy, RetryConfig

s = PlexAPI(
    access_token="<YOUR_API_KEY_HERE>",
)


res = s.authentication.get_transient_token(type_=operations.GetTransientTokenQueryParamType.DELEGATION, scope=operations.Scope.ALL,
    retries=RetryConfig("backoff", BackoffStrategy(1, 50, 1.1, 100), False))

if res is not None:
    # handle response
    pass
