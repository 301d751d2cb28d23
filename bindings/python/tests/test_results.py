"""How results are built: every model field from its own wire name, absent fields
as the model's defaults, and raw-response headers read from the library on
demand (while the result stays usable, copyable and picklable)."""

import copy
import gc
import pickle
from datetime import datetime, timezone
from typing import Any, Callable, Dict, NamedTuple, Type

from support import TOKEN_A, Fake

from plexauth import PlexAPI
from plexauth.models import operations

MakeClient = Callable[..., PlexAPI]

# Fields read through a conversion (enums are open: unknown values pass as is).
NESTED = {"profile", "services", "subscription", "subscriptions", "past_subscriptions", "billing"}
TIMES = {"ads_consent_reminder_at", "ads_consent_set_at"}


def wire_name(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(word.title() for word in rest)


def distinct_values(model: Type[Any], tag: str) -> Dict[str, Any]:
    """field -> a value no other field has (the nested ones left out)."""
    return {f: f"{tag}.{f}" for f in model._fields if f not in NESTED | TIMES}


def wire(values: Dict[str, Any]) -> Dict[str, Any]:
    return {wire_name(f): v for f, v in values.items()}


def assert_fields(obj: NamedTuple, values: Dict[str, Any]) -> None:
    for field, value in values.items():
        assert getattr(obj, field) == value, field


def test_every_field_is_read_from_its_own_wire_name() -> None:
    account, profile = distinct_values(operations.UserPlexAccount, "a"), distinct_values(operations.UserProfile, "p")
    subscription = distinct_values(operations.Subscription, "s")
    service = distinct_values(operations.Services, "v")
    past, billing = distinct_values(operations.PastSubscription, "ps"), distinct_values(operations.Billing, "b")
    body = wire(account)
    body.update(
        adsConsentReminderAt=1700000000,
        adsConsentSetAt=1600000000,
        profile=wire(profile),
        subscription=wire(subscription),
        subscriptions=[wire(subscription)],
        services=[wire(service), {}],
        pastSubscriptions=[dict(wire(past), billing=wire(billing))],
    )
    a = operations.account_from_wire(body)
    assert_fields(a, account)
    assert a.ads_consent_reminder_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert a.ads_consent_set_at == datetime(2020, 9, 13, 12, 26, 40, tzinfo=timezone.utc)
    assert a.profile is not None and a.subscription is not None and a.subscriptions is not None
    assert_fields(a.profile, profile)
    assert_fields(a.subscription, subscription)
    assert_fields(a.subscriptions[0], subscription)
    assert a.services == [operations.Services(**service), operations.Services()]
    assert a.past_subscriptions is not None and len(a.past_subscriptions) == 1
    assert_fields(a.past_subscriptions[0], past)
    assert a.past_subscriptions[0].billing == operations.Billing(**billing)


def test_absent_fields_are_the_models_defaults_and_null_is_none() -> None:
    assert operations.account_from_wire({}) == operations.UserPlexAccount()
    a = operations.account_from_wire(
        {"profile": {}, "subscription": {}, "services": [{}], "pastSubscriptions": [{"billing": {}}]}
    )
    assert a.profile == operations.UserProfile()
    assert a.profile.auto_select_subtitle is operations.AutoSelectSubtitle.DISABLE
    assert a.subscription == operations.Subscription() and a.services == [operations.Services()]
    assert a.past_subscriptions == [operations.PastSubscription(billing=operations.Billing())]
    nulls = operations.account_from_wire({"hasPassword": None, "profile": {"autoSelectSubtitle": None}})
    assert nulls.has_password is None and nulls.profile is not None and nulls.profile.auto_select_subtitle is None


def test_known_enum_values_become_members() -> None:
    a = operations.account_from_wire(
        {
            "mailingListStatus": "unsubscribed",
            "profile": {
                "autoSelectSubtitle": 1,
                "defaultSubtitleAccessibility": 1,
                "defaultSubtitleForced": 1,
                "watchedIndicator": 1,
                "mediaReviewsVisibility": 1,
            },
            "subscription": {"status": "Active"},
            "services": [{"status": "offline"}],
            "pastSubscriptions": [{"state": "ended"}],
        }
    )
    assert a.mailing_list_status is operations.MailingListStatus.UNSUBSCRIBED
    assert a.profile is not None and tuple(a.profile)[3:8] == (
        operations.AutoSelectSubtitle.ENABLE,
        operations.DefaultSubtitleAccessibility.ENABLE,
        operations.DefaultSubtitleForced.ENABLE,
        operations.WatchedIndicator.ENABLE,
        operations.MediaReviewsVisibility.ENABLE,
    )
    assert all(type(v) is not int for v in tuple(a.profile)[3:])
    assert a.subscription is not None and a.subscription.status is operations.SubscriptionStatus.ACTIVE
    assert a.services is not None and a.services[0].status is operations.ServiceStatus.OFFLINE
    assert a.past_subscriptions is not None and a.past_subscriptions[0].state is operations.State.ENDED


def test_nul_characters_in_strings_are_malformed(fake: Fake, make_client: MakeClient) -> None:
    """A \\u0000 escape is refused (docs/design.md, JSON): a NUL would cut the
    value short for C callers."""
    from plexauth.models import errors

    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"patch": {"title": "a\u0000b", "thumb": "\u0000"}})
    try:
        s.authentication.get_token_details()
    except errors.MalformedResponse as e:
        assert "u0000" in e.message
    else:
        raise AssertionError("a \\u0000 escape was accepted")


def test_headers_are_read_on_demand_and_outlive_everything_else(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    fake.faults("/api/v2/user", {"retry_after": "7"})
    res = s.authentication.get_token_details()
    headers = res.raw_response.headers
    body = res.raw_response.content
    del res
    s.close()
    gc.collect()
    assert headers["Retry-After"] == headers["retry-after"] == "7"
    assert "content-type" in headers and headers.get_list("RETRY-AFTER") == ["7"]
    assert ("Retry-After", "7") in headers.multi_items()
    assert headers["Content-Length"] == str(len(body))


def test_results_copy_and_pickle_with_their_headers(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    read, unread = s.authentication.get_token_details(), s.authentication.get_token_details()
    expected = dict(read.raw_response.headers)  # read before copying; `unread`'s headers are not
    clones = [make(res) for res in (read, unread) for make in (copy.copy, copy.deepcopy, _pickled)]
    del read, unread
    gc.collect()
    for clone in clones:
        assert dict(clone.raw_response.headers) == expected
        assert clone.user_plex_account is not None and clone.user_plex_account.id == 13692262


def _pickled(res: operations.GetTokenDetailsResponse) -> operations.GetTokenDetailsResponse:
    clone: operations.GetTokenDetailsResponse = pickle.loads(pickle.dumps(res))
    return clone
