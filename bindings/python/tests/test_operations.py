"""The four operations end to end: parsed fields, raw responses, bytes on the wire."""

import json
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import parse_qs

import pytest
from support import (
    CODE_B,
    LOGIN_A,
    LOGIN_B,
    PASSWORD_A,
    PASSWORD_B,
    SOURCE,
    SOURCE_TOKEN,
    TOKEN_A,
    TOKEN_B,
    Fake,
    header,
)

from plexauth import PlexAPI
from plexauth.models import errors, operations

MakeClient = Callable[..., PlexAPI]


def test_get_transient_token(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.get_transient_token(
        type_=operations.GetTransientTokenQueryParamType.DELEGATION, scope=operations.Scope.ALL
    )
    token = res.object.media_container.token
    assert token is not None and token.startswith("transient-") and len(token) == len("transient-") + 32
    assert res.status_code == 200
    assert res.content_type.startswith("application/json")
    assert res.raw_response.status_code == 200
    assert res.raw_response.headers["content-type"] == res.content_type
    assert res.raw_response.json() == {"MediaContainer": {"size": 0, "token": token}}
    assert token not in repr(res.object)

    (req,) = fake.requests("/security/token")
    assert req["method"] == "GET"
    assert parse_qs(req["query"]) == {"type": ["delegation"], "scope": ["all"]}
    assert header(req, "X-Plex-Token") == TOKEN_A

    # The transient token is accepted by PMS afterwards.
    t = make_client(access_token=token)
    info = t.authentication.get_source_connection_information(source=SOURCE)
    assert info.object.media_container.device is not None
    assert header(fake.requests("/security/resources")[0], "X-Plex-Token") == token


def test_get_transient_token_accepts_plain_strings(fake: Fake, make_client: MakeClient) -> None:
    res = make_client(access_token=TOKEN_A).authentication.get_transient_token(type_="delegation", scope="all")
    assert res.object.media_container.token
    assert parse_qs(fake.requests("/security/token")[0]["query"]) == {"type": ["delegation"], "scope": ["all"]}


def test_get_source_connection_information(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.get_source_connection_information(source=SOURCE)
    assert res.status_code == 200
    device = res.object.media_container.device
    assert device == operations.Device(
        name="Living Room",
        client_identifier="3381b62b9ab74e37",
        access_token=SOURCE_TOKEN,
        connection=[
            operations.Connection("https", "10.0.0.5", 32400, "https://10.0.0.5:32400", True, False),
            operations.Connection(
                "https", "203.0.113.7", 8443, "https://203-0-113-7.3381b62b9ab74e37.plex.direct:8443", False, True
            ),
        ],
    )
    assert SOURCE_TOKEN not in repr(device)
    assert res.raw_response.json()["MediaContainer"]["Device"]["accessToken"] == SOURCE_TOKEN
    (req,) = fake.requests("/security/resources")
    assert parse_qs(req["query"]) == {"source": [SOURCE]}
    assert "server%3A%2F%2F" in req["query"]  # URL-encoded on the wire
    assert header(req, "X-Plex-Token") == TOKEN_A


def test_source_without_device(fake: Fake, make_client: MakeClient) -> None:
    fake.faults("/security/resources", {"status": 200, "body": '{"MediaContainer":{"size":0}}'})
    res = make_client(access_token=TOKEN_A).authentication.get_source_connection_information(source=SOURCE)
    assert res.object.media_container.device is None


def test_get_token_details(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    res = s.authentication.get_token_details()
    assert res.status_code == 200
    assert res.content_type.startswith("application/json")
    a = res.user_plex_account
    assert a is not None
    assert (a.id, a.uuid, a.username, a.title) == (13692262, "dae343c1f45beb4f", "Username", "UsernameTitle")
    assert (a.email, a.friendly_name, a.country, a.locale) == (LOGIN_A, "friendlyUsername", "US", None)
    assert a.auth_token == TOKEN_A and TOKEN_A not in repr(a)
    assert (a.joined_at, a.remember_expires_at, a.home_size, a.max_home_size) == (1721154902, 1722364046, 1, 15)
    assert a.thumb == "https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101"
    assert a.has_password is True and a.confirmed is False and a.two_factor_enabled is False
    assert a.mailing_list_status == operations.MailingListStatus.ACTIVE
    assert a.mailing_list_status == "active"  # str-valued enum members equal their value
    assert a.scrobble_types == "" and a.subscription_description is None and a.attribution_partner is None
    assert a.ads_consent is None and a.ads_consent_set_at is None and a.ads_consent_reminder_at is None
    assert a.entitlements == [] and a.roles == [] and a.subscriptions == []
    assert a.subscription == operations.Subscription(
        features=["guided-upgrade", "two-factor-authentication"],
        active=False,
        subscribed_at=None,
        status=operations.SubscriptionStatus.INACTIVE,
        payment_service=None,
        plan=None,
    )
    assert a.profile == operations.UserProfile(
        auto_select_audio=True,
        default_audio_language="ja",
        default_subtitle_language="en",
        auto_select_subtitle=operations.AutoSelectSubtitle.ENABLE,
        default_subtitle_accessibility=0,
        default_subtitle_forced=0,
        watched_indicator=operations.WatchedIndicator.ENABLE,
        media_reviews_visibility=0,
    )
    assert a.services is not None and [sv.identifier for sv in a.services] == ["metadata", "community"]
    assert a.services[0].token == "h5z3rQxLhJ2lRyB4gN7v" and a.services[1].token is None
    assert a.services[0].status == operations.GetTokenDetailsStatus.ONLINE
    assert "h5z3rQxLhJ2lRyB4gN7v" not in repr(a.services)
    assert a.past_subscriptions is None and a.trials is None  # sign-in only
    assert res.raw_response.json()["authToken"] == TOKEN_A

    (req,) = fake.requests("/api/v2/user")
    assert req["method"] == "GET" and header(req, "X-Plex-Token") == TOKEN_A


def test_sign_in(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(
        access_token=TOKEN_B,  # never sent on sign-in
        client_id="cid-1",
        client_name="Plex for Roku",
        client_version="2.4.1",
        platform="Roku",
        device_nickname="Roku 3",
    )
    res = s.authentication.post_users_sign_in_data(
        request={"request_body": {"login": LOGIN_A, "password": PASSWORD_A}}
    )
    assert res.status_code == 201
    a = res.user_plex_account
    assert a is not None and a.auth_token == TOKEN_A and a.id == 13692262
    assert a.trials == []
    assert a.past_subscriptions == [
        operations.PastSubscription(
            id=None,
            mode=None,
            renews_at=None,
            ends_at=1556281940,
            type="plexpass",
            transfer=None,
            state=operations.State.ENDED,
            billing=operations.Billing(internal_payment_method={}, payment_method_id=None),
        )
    ]

    (req,) = fake.requests("/api/v2/users/signin")
    assert req["method"] == "POST"
    assert parse_qs(req["body"], keep_blank_values=True) == {
        "login": [LOGIN_A],
        "password": [PASSWORD_A],
        "rememberMe": ["false"],
    }
    assert req["body"].startswith("login=username%40email.com&password=password123&rememberMe=false")
    assert (header(req, "Content-Type") or "").startswith("application/x-www-form-urlencoded")
    assert header(req, "X-Plex-Token") is None
    assert header(req, "X-Plex-Client-Identifier") == "cid-1"
    assert header(req, "X-Plex-Product") == "Plex for Roku"
    assert header(req, "X-Plex-Version") == "2.4.1"
    assert header(req, "X-Plex-Platform") == "Roku"
    assert header(req, "X-Plex-Device") == "Roku 3"


def test_sign_in_two_factor(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    with pytest.raises(errors.TwoFactorRequired) as info:
        s.authentication.post_users_sign_in_data(request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B}})
    exc = info.value
    assert isinstance(exc, errors.PostUsersSignInDataUnauthorized)
    assert exc.status_name == "two_factor_required" and exc.http_status == 401 and exc.attempts == 1
    assert exc.data.errors is not None and exc.data.errors[0].code == 1029
    assert exc.data.errors[0].message == "Please enter the verification code"

    with pytest.raises(errors.TwoFactorRequired):
        s.authentication.post_users_sign_in_data(
            request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B, "verification_code": "000000"}}
        )

    res = s.authentication.post_users_sign_in_data(
        request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B, "verification_code": CODE_B}}
    )
    a = res.user_plex_account
    assert a is not None
    assert (a.id, a.uuid, a.username, a.country, a.auth_token) == (
        475829302,
        "a1b2c3d4e5f67890",
        "user12345",
        "IT",
        TOKEN_B,
    )
    assert a.two_factor_enabled is True
    body = parse_qs(fake.requests("/api/v2/users/signin")[-1]["body"])
    assert body["verificationCode"] == [CODE_B]
    assert "verificationCode" not in parse_qs(fake.requests("/api/v2/users/signin")[0]["body"])


def test_sign_in_aliases_and_models(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(client_id="global-id", platform="Linux")
    s.authentication.post_users_sign_in_data(
        request={
            "RequestBody": {"login": LOGIN_B, "password": PASSWORD_B, "rememberMe": True, "verificationCode": CODE_B},
            "X-Plex-Client-Identifier": "per-request-id",
            "X-Plex-Product": "Per Request",
        }
    )
    model = operations.PostUsersSignInDataRequest(
        client_id="model-id",
        device_nickname="Kitchen",
        request_body=operations.PostUsersSignInDataRequestBody(login="Username", password=PASSWORD_A, remember_me=True),
    )
    assert PASSWORD_A not in repr(model)
    res = s.authentication.post_users_sign_in_data(request=model)
    assert res.user_plex_account is not None and res.user_plex_account.username == "Username"

    first, second = fake.requests("/api/v2/users/signin")
    assert parse_qs(first["body"]) == {
        "login": [LOGIN_B],
        "password": [PASSWORD_B],
        "rememberMe": ["true"],
        "verificationCode": [CODE_B],
    }
    assert header(first, "X-Plex-Client-Identifier") == "per-request-id"
    assert header(first, "X-Plex-Product") == "Per Request"
    assert header(first, "X-Plex-Platform") == "Linux"  # the client's value where the request has none
    assert header(second, "X-Plex-Client-Identifier") == "model-id"
    assert header(second, "X-Plex-Device") == "Kitchen"
    assert parse_qs(second["body"])["rememberMe"] == ["true"]


def test_sign_in_requires_credentials(fake: Fake, make_client: MakeClient) -> None:
    s = make_client()
    for request in ({}, {"request_body": {"login": LOGIN_A}}, {"request_body": {"password": "x"}}):
        with pytest.raises(errors.InvalidArgument):
            s.authentication.post_users_sign_in_data(request=request)
    assert fake.requests() == []


def test_account_field_variants(fake: Fake, make_client: MakeClient) -> None:
    """Timestamps in both wire forms, open enums, absent optional fields."""
    s = make_client(access_token=TOKEN_A)
    body = s.authentication.get_token_details().raw_response.json()
    body.update(
        adsConsent=True,
        adsConsentSetAt=1700000000,
        adsConsentReminderAt="2019-08-24T14:15:22Z",
        mailingListStatus="removed",
        pin="hashed-pin",
        roles=["plexpass"],
    )
    body["profile"]["autoSelectSubtitle"] = 2
    body["services"][1]["status"] = "degraded"
    body["subscription"]["status"] = "Lapsed"
    del body["confirmed"], body["guest"]
    fake.faults("/api/v2/user", {"status": 200, "body": json.dumps(body)})
    a = s.authentication.get_token_details().user_plex_account
    assert a is not None
    assert a.ads_consent is True
    assert a.ads_consent_set_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)
    assert a.ads_consent_reminder_at == datetime(2019, 8, 24, 14, 15, 22, tzinfo=timezone.utc)
    assert a.mailing_list_status == "removed" and not isinstance(a.mailing_list_status, operations.MailingListStatus)
    assert a.profile is not None and a.profile.auto_select_subtitle == 2
    assert a.services is not None and a.services[1].status == "degraded"
    assert a.subscription is not None and a.subscription.status == "Lapsed"
    assert a.pin == "hashed-pin" and "hashed-pin" not in repr(a)
    assert a.roles == ["plexpass"]
    assert a.confirmed is False and a.guest is False  # the seed's defaults when absent
