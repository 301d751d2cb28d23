"""Logging through the ``logging`` module ("plexauth" logger), never with secrets."""

import logging
from typing import Callable, List

import pytest
from support import CODE_B, LOGIN_A, LOGIN_B, PASSWORD_A, PASSWORD_B, SECRETS, SOURCE, TOKEN_A, Fake

from plexauth import PlexAPI
from plexauth.models import errors

MakeClient = Callable[..., PlexAPI]


def test_library_lines_reach_logging_redacted(
    fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="plexauth")  # before the client is made
    s = make_client(access_token=TOKEN_A)
    transient = s.authentication.get_transient_token().object.media_container.token
    assert transient
    s.authentication.get_source_connection_information(source=SOURCE)
    s.authentication.get_token_details()
    s.authentication.post_users_sign_in_data(
        request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B, "verification_code": CODE_B}}
    )
    with pytest.raises(errors.PostUsersSignInDataUnauthorized):
        s.authentication.post_users_sign_in_data(request={"request_body": {"login": LOGIN_A, "password": "hunter3"}})
    with_provider = make_client(access_token=lambda: TOKEN_A)
    with_provider.authentication.get_token_details()

    records = [r for r in caplog.records if r.name == "plexauth"]
    assert records, "libplexauth logged nothing at DEBUG"
    assert {r.levelno for r in records} <= {logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR}
    text = "\n".join(r.getMessage() for r in records)
    for secret in SECRETS + [transient, "hunter3", PASSWORD_A]:
        assert secret not in text
    assert "/api/v2/user" in text or "/security/token" in text  # the lines are about the requests


def test_level_is_respected(fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="plexauth")
    make_client(access_token=TOKEN_A).authentication.get_token_details()
    assert [r for r in caplog.records if r.name == "plexauth" and r.levelno < logging.WARNING] == []


def test_insecure_tls_warns(fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="plexauth")
    make_client(insecure_skip_tls_verify=True)
    assert any(r.name == "plexauth" and r.levelno == logging.WARNING for r in caplog.records)


def test_debug_logger_receives_the_lines(fake: Fake, make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    class Collector:
        def __init__(self) -> None:
            self.lines: List[str] = []

        def debug(self, msg: str, *args: object, **kwargs: object) -> None:
            self.lines.append(msg)

    caplog.set_level(logging.DEBUG, logger="plexauth")
    collector = Collector()
    s = make_client(access_token=TOKEN_A, debug_logger=collector)
    s.authentication.post_users_sign_in_data(
        request={"request_body": {"login": LOGIN_A, "password": PASSWORD_A}}
    )
    s.authentication.get_token_details()
    assert collector.lines
    joined = "\n".join(collector.lines)
    for secret in SECRETS:
        assert secret not in joined
    assert [r for r in caplog.records if r.name == "plexauth"] == []  # went to the debug_logger instead


def test_errors_never_show_secrets(fake: Fake, make_client: MakeClient) -> None:
    s = make_client(access_token=TOKEN_A)
    with pytest.raises(errors.TwoFactorRequired) as info:
        s.authentication.post_users_sign_in_data(
            request={"request_body": {"login": LOGIN_B, "password": PASSWORD_B, "verification_code": "999999"}}
        )
    exc = info.value
    shown = " ".join([str(exc), repr(exc), exc.message, repr(exc.detail)])
    for secret in SECRETS + ["999999"]:
        assert secret not in shown
