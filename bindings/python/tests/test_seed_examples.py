"""The seed SDK's documentation examples, verbatim apart from the imports
(see seed_examples/README.md), run against the fake through PLEX_TV_URL and
PLEX_SERVER_URL.

Run as written, the token placeholder "<YOUR_API_KEY_HERE>" is a token the
server does not know, so the token operations raise the seed's typed 401
error, as the seed SDK would; with the placeholder filled in they succeed."""

from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Type
from urllib.parse import parse_qs

import pytest
from support import TOKEN_A, Fake, header

from plexauth.models import errors

EXAMPLES = Path(__file__).parent / "seed_examples"
PLACEHOLDER = "<YOUR_API_KEY_HERE>"

# example -> (error raised as written, first path it requests)
AS_WRITTEN: Dict[str, Tuple[Optional[Type[errors.PlexAuthError]], str]] = {
    "get_transient_token.py": (errors.GetTransientTokenUnauthorized, "/security/token"),
    "get_source_connection_information.py": (errors.GetSourceConnectionInformationUnauthorized, "/security/resources"),
    "get_token_details.py": (errors.GetTokenDetailsUnauthorized, "/api/v2/user"),
    "post_users_sign_in_data.py": (None, "/api/v2/users/signin"),
    "readme_retries_per_call.py": (errors.GetTransientTokenUnauthorized, "/security/token"),
    "readme_retries_global.py": (errors.GetTokenDetailsUnauthorized, "/api/v2/user"),
    "readme_error_handling.py": (errors.GetTokenDetailsUnauthorized, "/api/v2/user"),
}


def run(name: str, token: Optional[str] = None) -> Dict[str, Any]:
    path = EXAMPLES / name
    source = path.read_text()
    assert "plex_api_client" not in source
    if token is not None:
        source = source.replace(PLACEHOLDER, token)
    namespace: Dict[str, Any] = {"__name__": "__main__"}
    try:
        exec(compile(source, str(path), "exec"), namespace)
    finally:
        if "s" in namespace:
            namespace["s"].close()
    return namespace


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(AS_WRITTEN)


@pytest.mark.parametrize("name", sorted(AS_WRITTEN))
def test_example_as_written(name: str, fake: Fake) -> None:
    expected, path = AS_WRITTEN[name]
    if expected is None:
        ns = run(name)
        assert ns["res"].status_code == 201
    else:
        with pytest.raises(expected) as info:
            run(name)
        assert isinstance(info.value, errors.UnauthorizedError)
        assert info.value.data.errors is not None and info.value.data.errors[0].code == 1001
    req = fake.requests()[0]
    assert req["path"] == path
    if expected is not None:
        assert header(req, "X-Plex-Token") == PLACEHOLDER


def test_sign_in_example_on_the_wire(fake: Fake) -> None:
    ns = run("post_users_sign_in_data.py")
    account = ns["res"].user_plex_account
    assert account.auth_token == TOKEN_A and account.username == "Username"
    (req,) = fake.requests()
    assert req["body"] == "login=username%40email.com&password=password123&rememberMe=false&verificationCode=123456"
    assert header(req, "X-Plex-Client-Identifier") == "3381b62b-9ab7-4e37-827b-203e9809eb58"
    assert header(req, "X-Plex-Product") == "Plex for Roku"
    assert header(req, "X-Plex-Version") == "2.4.1"
    assert header(req, "X-Plex-Platform") == "Roku"
    assert header(req, "X-Plex-Device") == "Roku 3"
    assert header(req, "X-Plex-Token") is None


def test_examples_with_the_placeholder_filled_in(fake: Fake) -> None:
    res = run("get_transient_token.py", TOKEN_A)["res"]
    assert res.status_code == 200 and res.object.media_container.token.startswith("transient-")
    assert parse_qs(fake.requests("/security/token")[0]["query"]) == {"type": ["delegation"], "scope": ["all"]}

    assert run("get_token_details.py", TOKEN_A)["res"].user_plex_account.id == 13692262
    assert run("readme_retries_per_call.py", TOKEN_A)["res"].status_code == 200
    assert run("readme_retries_global.py", TOKEN_A)["res"].user_plex_account.email == "username@email.com"
    assert run("readme_error_handling.py", TOKEN_A)["res"].user_plex_account.uuid == "dae343c1f45beb4f"

    # The documented source is not one this server knows: a 404, which the seed
    # reports as an SDKError (here its HTTPError subclass).
    with pytest.raises(errors.SDKError) as info:
        run("get_source_connection_information.py", TOKEN_A)
    assert info.value.status_code == 404
    assert parse_qs(fake.requests("/security/resources")[0]["query"]) == {"source": ["provider://provider-identifier"]}


def test_retry_examples_retry(fake: Fake) -> None:
    fake.faults("/api/v2/user", {"status": 503})
    assert run("readme_retries_global.py", TOKEN_A)["res"].status_code == 200
    fake.faults("/security/token", {"status": 502})
    assert run("readme_retries_per_call.py", TOKEN_A)["res"].status_code == 200
    assert len(fake.requests()) == 4
