"""Every field of every result model, through the public API, against the fake.

tests/fixtures/every_field.json (generated from codegen/api.py) holds, per
result model, a body with a distinct value in every field and the value each
field should have; the body is served by the fake and each row is read back
through the model, so a field added to api.py is tested here without a change.
"""

import importlib.util
import json
from datetime import datetime
from typing import Any, Callable, Dict, Tuple

import declcheck
import pytest
from support import SOURCE, TOKEN_A, Fake

from plexauth import PlexAPI

MakeClient = Callable[..., PlexAPI]
FIXTURE = declcheck.ROOT / "tests" / "fixtures" / "every_field.json"


def _api() -> Any:
    import sys

    sys.path.insert(0, str(declcheck.ROOT / "codegen"))  # api.py imports schema
    try:
        spec = importlib.util.spec_from_file_location("plexauth_api_description", declcheck.ROOT / "codegen" / "api.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # (dataclasses look their module up)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.pop(0)


API = _api()
MODELS = {m.name: m for m in API.MODELS}
CASES: Dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))

# How the seed operations are called and where their model sits in the
# response; every other operation is generated: called with no argument, the
# model in res.object.
SEED_CALLS: Dict[str, Tuple[Dict[str, Any], Callable[[Any], Any]]] = {
    "get_transient_token": ({}, lambda res: res.object.media_container),
    "get_source_connection_information": ({"source": SOURCE}, lambda res: res.object.media_container.device),
    "get_token_details": ({}, lambda res: res.user_plex_account),
    "list_home_users": ({}, lambda res: res.object.media_container),
    "get_identity": ({}, lambda res: res.object.media_container),
    "exchange_device_jwt": ({"jwt": "a.b.c"}, lambda res: res.object),
    "post_users_sign_in_data": (
        {"request": {"request_body": {"login": "username@email.com", "password": "password123"}}},
        lambda res: res.user_plex_account,
    ),
}


def _walk(obj: Any, model: Any, path: str) -> Tuple[Any, Any]:
    """The value at a fixture path ("pastSubscriptions[0].billing.paymentMethodId")
    read through the Python attribute names, and the last field."""
    field = None
    for part in path.split("."):
        wire, _, index = part.partition("[")
        field = next(f for f in model.fields if f.wire == wire)
        obj = getattr(obj, field.py)
        if index:
            obj = obj[int(index.rstrip("]"))]
        if field.model:
            model = MODELS[field.model]
    return obj, field


@pytest.mark.parametrize("model_c", sorted(CASES))
def test_every_field_of_the_result_model(fake: Fake, make_client: MakeClient, model_c: str) -> None:
    case = CASES[model_c]
    operation = next(op for op in API.OPERATIONS if op.name == case["operation"])
    model = MODELS[operation.result]
    assert model.c == model_c
    fake.faults(case["path"], {"status": case["status"], "body": json.dumps(case["body"])})
    s = make_client(access_token=TOKEN_A)
    kwargs, locate = SEED_CALLS.get(operation.name, ({}, lambda res: res.object))
    res = getattr(s.authentication, operation.py)(**kwargs)
    assert res.status_code == case["status"]
    result = locate(res)
    assert type(result).__name__ == model.py
    assert len(case["fields"]) >= len(model.fields)
    for row in case["fields"]:
        value, field = _walk(result, model, row["path"])
        assert field.py == row["py"], row["path"]
        if row["kind"] == "time":
            assert isinstance(value, datetime) and int(value.timestamp()) == row["value"], row["path"]
        elif row["kind"] in ("count", "list_len"):  # (list_len: a list's length)
            assert len(value) == row["value"], row["path"]
        else:
            assert value == row["value"] and type(value) is not type(None), row["path"]
            if isinstance(row["value"], bool):
                assert isinstance(value, bool), row["path"]
    secrets = [r["value"] for r in case["fields"] if any(f.secret for f in MODELS[r["model"]].fields if f.wire == r["wire"])]
    for secret in secrets:
        assert str(secret) not in repr(result)
