"""The open enumerations of the models (hand-written: api.py names each field's enum
with ``py_enum`` but does not list the members). Re-exported by models/operations.py."""

from enum import Enum


class GetTransientTokenQueryParamType(str, Enum):
    """``type`` of get_transient_token: ``delegation`` is the only value."""

    DELEGATION = "delegation"


class Scope(str, Enum):
    """``scope`` of get_transient_token: ``all`` is the only value."""

    ALL = "all"


class MailingListStatus(str, Enum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"


class AutoSelectSubtitle(int, Enum):
    DISABLE = 0
    ENABLE = 1


class DefaultSubtitleAccessibility(int, Enum):
    DISABLE = 0
    ENABLE = 1


class DefaultSubtitleForced(int, Enum):
    DISABLE = 0
    ENABLE = 1


class WatchedIndicator(int, Enum):
    DISABLE = 0
    ENABLE = 1


class MediaReviewsVisibility(int, Enum):
    DISABLE = 0
    ENABLE = 1


class ServiceStatus(str, Enum):
    ONLINE = "online"
    OFFLINE = "offline"


class SubscriptionStatus(str, Enum):
    INACTIVE = "Inactive"
    ACTIVE = "Active"


class State(str, Enum):
    ENDED = "ended"
