"""The binding's ctypes declarations agree with the public header, function by
function (restype and every argtype), and the check catches a wrong one."""

from ctypes import POINTER, c_char_p, c_int, c_int64, c_void_p
from typing import Any, Dict, List, Tuple

import declcheck
import pytest

from plexauth import _native, _prototypes
from plexauth.models import _errors, errors


@pytest.fixture(scope="module")
def header() -> Any:
    return declcheck.parse_header()


def test_every_header_function_is_declared_as_the_header_says_on_the_loaded_library(header: Any) -> None:
    declared = declcheck.loaded_declarations(_native.lib(), header)
    assert declcheck.mismatches(header, declared) == []
    assert len(declared) == len(header.functions) > 150


def test_the_declaration_table_matches_the_header(header: Any) -> None:
    assert declcheck.mismatches(header, _prototypes.PROTOTYPES) == []


def _mutated(name: str, index: int, wrong: Any) -> Dict[str, Tuple[Any, List[Any]]]:
    table = {k: (r, list(a)) for k, (r, a) in _prototypes.PROTOTYPES.items()}
    restype, argtypes = table[name]
    if index < 0:
        table[name] = (wrong, argtypes)
    else:
        argtypes[index] = wrong
    return table


@pytest.mark.parametrize(
    "name, index, wrong",
    [
        ("plexauth_client_ping", 1, c_int),  # the client handle as an int
        ("plexauth_account_id", 1, POINTER(c_int)),  # int64_t *out as int *
        ("plexauth_pong_pong", 1, POINTER(c_int64)),  # int *out as int64_t *
        ("plexauth_error_plex_errors_count", -1, c_int),  # size_t returned as int
        ("plexauth_response_body", -1, c_void_p),  # bytes returned as an address
        ("plexauth_config_set_log", 2, c_void_p),  # the callback type lost
        ("plexauth_client_new", 0, c_void_p),  # plexauth_client **out as a handle
    ],
)
def test_a_wrong_declaration_fails_the_check(header: Any, name: str, index: int, wrong: Any) -> None:
    problems = declcheck.mismatches(header, _mutated(name, index, wrong))
    assert len(problems) == 1 and problems[0].startswith(name + ":"), problems


def test_a_missing_extra_or_short_declaration_fails_the_check(header: Any) -> None:
    table = dict(_prototypes.PROTOTYPES)
    del table["plexauth_pong_json"]
    table["plexauth_not_in_the_header"] = (None, [])
    restype, argtypes = table["plexauth_client_ping"]
    table["plexauth_client_ping"] = (restype, argtypes[:-1])
    assert sorted(p.split(":")[0] for p in declcheck.mismatches(header, table)) == [
        "plexauth_client_ping",
        "plexauth_not_in_the_header",
        "plexauth_pong_json",
    ]


def test_a_wrong_callback_signature_fails_the_check(header: Any) -> None:
    from ctypes import CFUNCTYPE

    table = dict(_prototypes.PROTOTYPES)
    restype, argtypes = table["plexauth_config_set_log"]
    wrong_fn = CFUNCTYPE(None, c_void_p, c_char_p, c_char_p)  # level as a string
    table["plexauth_config_set_log"] = (restype, [argtypes[0], argtypes[1], wrong_fn, argtypes[3]])
    assert [p.split(":")[0] for p in declcheck.mismatches(header, table)] == ["plexauth_config_set_log"]


def test_enums_and_version_match_the_header(header: Any) -> None:
    for enum, values in header.enums.items():
        for name, value in values:
            assert getattr(_prototypes, name) == value, name
    assert _prototypes.ABI_MAJOR == int(header.macros["PLEXAUTH_VERSION_MAJOR"])
    assert set(_prototypes.OPAQUE) == set(header.opaque)


def test_every_status_has_an_error_class(header: Any) -> None:
    """A status added to the header gets its class (generated from api.py)."""
    for name, value in header.enums["plexauth_status"]:
        if value == 0:
            continue
        status = _native.status_name(value)
        assert status in _errors.STATUS_CLASSES, status
        detail = errors.ErrorDetail(status_name=status, message="m")
        exc = errors.from_detail("ping", detail)
        assert isinstance(exc, errors.PlexAuthError) and exc.status_name == status
