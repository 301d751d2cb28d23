"""The Python binding's generated files (bindings/python/src/plexauth/).

* ``_prototypes.py``: the ctypes declaration (restype, argtypes) of EVERY
  function of the public header, its enums as constants, its opaque types and
  callback types, all derived from the parsed header (ctx.header()), so that
  they cannot disagree with it. (tests/test_declarations.py checks the loaded
  declarations against the header again, independently of this mapping.)
* ``models/_generated.py``: the result models (NamedTuples named by
  ``Model.py``, fields by ``Field.py``, defaults ``Field.py_default``, open
  enums ``Field.py_enum``), each ``<model.c>_from_wire`` mapping the
  library's result JSON (``plexauth_<m>_json``) to the model in one straight
  positional construction (docs/performance.md), repr hiding secret fields,
  the response envelopes of the generated operations, and the status table.
* ``models/_errors.py``: one error class per status (api.STATUSES) and the
  BadRequest/Unauthorized classes of every operation.
* ``models/_enums.py``: the open enumerations (``api.PY_ENUMS``).
* ``_operations.py``: the client methods (and ``_async`` twins) of every
  operation. The seed operations keep the seed SDK's surface: their argument
  names and enums come from api.py (``Param.py_enum``, ``py_param``), their
  response shapes from ``Operation.envelope``/``py_result``/``py_optional``,
  their docstrings from SEED_DOCS below; a request object's C handle is built
  by hand in sdk.py (``_REQUESTS``).
  The seed's ``plex`` namespace (SEED_ALIASES: ``s.plex.get_pin`` and
  ``get_token_by_pin_id`` and their twins) is generated there too, as
  ``GeneratedPlex``, its identity keywords from api.IDENTITY; sdk.Plex
  normalises the seed's request dict (``_seed``/``_seed_async``).
* the version in ``pyproject.toml`` and ``plexauth/__init__.py``.

Standard library only.
"""

from __future__ import annotations

import keyword
import re
from typing import Dict, List, Tuple

import cheader
from generate import banner
from schema import pascal, snake

PKG = "bindings/python/src/plexauth"

# The seed SDK's operations: the docstring of the (sync) method, verbatim; their
# ``_async`` twins and response classes have none, as in the seed.
SEED_DOCS = {
    "get_transient_token": ["``GET {PMS}/security/token?type=delegation&scope=all``. The token is",
                            "``res.object.media_container.token``."],
    "get_source_connection_information": ["``GET {PMS}/security/resources?source=...``. The device is",
                                          "``res.object.media_container.device``."],
    "get_token_details": ["``GET {plex.tv}/user``: the account behind the token", "(``res.user_plex_account``)."],
    "post_users_sign_in_data": ["``POST {plex.tv}/users/signin``. ``request`` is a dict (snake_case",
                                "keys or the seed's aliases) or a PostUsersSignInDataRequest. Raises",
                                ":class:`errors.TwoFactorRequired` when a verification code is needed."],
}

# The seed's order of the identity settings in its request models (api.IDENTITY's
# other settings follow, in api.py's order), and the seed's class docstrings there.
SEED_IDENTITY_ORDER = ("client_id", "client_name", "device_nickname", "client_version", "platform")
SEED_CLASS_DOCS = {
    "PostUsersSignInDataRequestBody": ["Login credentials (form fields login, password, rememberMe,",
                                       "verificationCode)."],
    "PostUsersSignInDataRequest": ["Per-request identity headers (each beats the client's value) plus the",
                                   "credentials."],
}

# The seed's ``plex`` namespace (sdk.Plex): seed method -> (the operation it runs, the seed's
# response class in models/operations.py and its attribute holding the result, the seed's
# keyword for the operation's one parameter and that parameter's other keys in the seed's request
# dict, the (sync) method's docstring). Keywords: that parameter, then api.IDENTITY's settings
# (SEED_IDENTITY_ORDER first), then retries, server_url, timeout_ms and cancel.
SEED_ALIASES = {
    "get_pin": ("create_pin", "PlexGetPinResponse", "auth_pin_container", "strong", (),
                ["``POST {plex.tv}/pins[?strong=true]``: a new PIN (``res.auth_pin_container``)."]),
    "get_token_by_pin_id": ("get_pin", "GetTokenByPinIDResponse", "auth_pin_container", "pin_id", ("pinID",),
                            ["``GET {plex.tv}/pins/{pin_id}``: the PIN; ``res.auth_pin_container.auth_token`` is the",
                             "token once the user approved it (None until then)."]),
}

# The binding's error kinds: status name -> (class, base class). A status not
# listed gets pascal(name) deriving from SDKError, so new statuses appear
# without a change here. bad_request / unauthorized are raised as the failing
# operation's {Op}BadRequest / {Op}Unauthorized subclass.
ERROR_KINDS = {
    "invalid_argument": ("InvalidArgument", "PlexAuthError, ValueError"),
    "bad_request": ("BadRequestError", "_PlexErrorsError"),
    "unauthorized": ("UnauthorizedError", "_PlexErrorsError"),
    "two_factor_required": ("TwoFactorRequired", "PostUsersSignInDataUnauthorized"),
    "sign_in_throttled": ("SignInThrottled", "PostUsersSignInDataUnauthorized"),
    "http_error": ("HTTPError", "SDKError"),
    "transport": ("TransportError", "SDKError"),
    "tls": ("TLSError", "TransportError"),
    "callback_error": ("CallbackError", "SDKError"),
    "internal": ("InternalError", "SDKError"),
}

# ------------------------------------------------------------------ C -> ctypes

_SCALARS = {"int": "c_int", "unsigned": "c_uint", "size_t": "c_size_t", "int64_t": "c_int64",
            "double": "c_double", "char": "c_char"}


def ctype(t: cheader.CType, header: cheader.Header, result_with_length: bool = False) -> str:
    """The ctypes type of a C type. Opaque handles are c_void_p; enums c_int;
    a returned ``const char *`` with a ``size_t *len`` out-parameter (bytes that
    may hold NULs) is POINTER(c_char), sliced by the caller (``*_json`` text
    has no NUL and stays c_char_p: one conversion, no slicing)."""
    if t.base.startswith("fnptr:"):
        return "c_void_p"
    if t.pointers == 0:
        if t.base == "void":
            return "None"
        if t.base in header.enums:
            return "c_int"
        if t.base in header.callbacks:
            return t.base
        return _SCALARS[t.base]
    if t.pointers == 1:
        if t.base == "char":
            return "POINTER(c_char)" if result_with_length else "c_char_p"
        if t.base == "void" or t.base in header.opaque:
            return "c_void_p"
        return f"POINTER({_SCALARS[t.base]})"
    if t.pointers == 2 and t.base in header.opaque:
        return "POINTER(c_void_p)"
    raise ValueError(f"no ctypes mapping for {t}")


def c_param(p: cheader.Param) -> str:
    if p.type.base.startswith("fnptr:"):
        return p.type.base[len("fnptr:"):]
    return f"{str(p.type).strip()} {p.name}"


def c_signature(f: cheader.Function) -> str:
    params = ", ".join(c_param(p) for p in f.params) or "void"
    return f"{str(f.ret).strip()} {f.name}({params})".replace("* ", "*")


def soversion(version: str) -> str:
    major, minor = version.split(".")[:2]
    return f"0.{minor}" if major == "0" else major


def prototypes(header: cheader.Header, version: str) -> str:
    out = [banner("#"),
           '"""ctypes declarations of everything in include/plexauth/plexauth.h (generated from the',
           "header by codegen/emit_python.py; _native.py declares them on the loaded library).",
           '"""',
           "",
           "from ctypes import CFUNCTYPE, POINTER, c_char, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_void_p",
           "from typing import Any, Dict, List, Tuple",
           "",
           f'VERSION = "{version}"',
           f"ABI_MAJOR = {header.macros.get('PLEXAUTH_VERSION_MAJOR', version.split('.')[0])}",
           f"ABI_MINOR = {version.split('.')[1]}",
           "#: The library's SONAME suffix: the ABI (<major>, or 0.<minor> during 0.x).",
           f"SOVERSION = \"{soversion(version)}\"",
           "",
           "# Integer #defines.",
           *[f"{name} = {int(header.macros[name])}" for name in (
               "PLEXAUTH_CLIENT_ID_MAX", "PLEXAUTH_LOOP_THREAD", "PLEXAUTH_LOOP_EXTERNAL",
               "PLEXAUTH_LOCATION_LOCAL", "PLEXAUTH_LOCATION_REMOTE", "PLEXAUTH_LOCATION_RELAY")],
           "",
           "# Opaque handles (passed as c_void_p).",
           "OPAQUE = (",
           *[f'    "{name}",' for name in header.opaque],
           ")",
           ""]
    for enum, values in header.enums.items():
        out.append(f"# enum {enum} (passed as c_int)")
        out += [f"{name} = {value}" for name, value in values]
        out.append("")
    out.append("# Callback types.")
    for name, (ret, params) in header.callbacks.items():
        args = ", ".join([ctype(ret, header)] + [ctype(p.type, header) for p in params])
        out.append(f"{name} = CFUNCTYPE({args})")
    out += ["", "# name: (restype, argtypes), in the header's order.",
            "PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {"]
    for f in header.functions:
        with_length = bool(f.params) and f.params[-1].type == cheader.CType("size_t", 1) and not f.name.endswith("_json")
        ret = ctype(f.ret, header, result_with_length=with_length)
        args = ", ".join(ctype(p.type, header) for p in f.params)
        out.append(f"    # {c_signature(f)}")
        out.append(f'    "{f.name}": ({ret}, [{args}]),')
    out += ["}", ""]
    return "\n".join(out)


# ------------------------------------------------------------------ models

def py_type(field, models: Dict[str, object]) -> str:  # type: ignore[no-untyped-def]
    enum = field.py_enum
    kind = field.kind
    if kind in ("str", "int"):
        base = "str" if kind == "str" else "int"
        return f"Optional[Union[{enum}, {base}]]" if enum else f"Optional[{base}]"
    if kind == "bool":
        return "Optional[bool]"
    if kind == "time":
        return 'Optional["datetime"]'
    if kind == "json":
        return "Optional[Dict[str, Any]]"
    if kind == "strlist":
        return "Optional[List[str]]"
    if kind == "count":
        return "Optional[List[Dict[str, Any]]]"
    nested = models[field.model].py  # type: ignore[attr-defined]
    return f"Optional[List[{nested}]]" if kind == "list" else f"Optional[{nested}]"


def enum_table(enum: str) -> str:
    return "_" + re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", enum).upper()


def wire_read(field, models: Dict[str, object]) -> str:  # type: ignore[no-untyped-def]
    """The expression reading ``field`` from the decoded JSON ``g = d.get``."""
    w = repr(field.wire).replace("'", '"')
    kind = field.kind
    if kind == "time":
        return f"None if (v := g({w})) is None else _datetime(v)"
    if kind in ("obj", "inline"):
        return f"None if (v := g({w})) is None else {models[field.model].c}_from_wire(v)"  # type: ignore[attr-defined]
    if kind == "list":
        return f"None if (v := g({w})) is None else [{models[field.model].c}_from_wire(x) for x in v]"  # type: ignore[attr-defined]
    read = f"g({w})" if field.py_default == "None" else f"g({w}, {field.py_default})"
    if field.py_enum:
        return f"{enum_table(field.py_enum)}.get(v := {read}, v)"
    return read


def import_lines(module: str, names: List[str]) -> List[str]:
    return [f"from {module} import ("] + [f"    {n}," for n in names] + [")"]


def doc_lines(text: str, indent: str, width: int = 100) -> List[str]:
    words, lines, cur = text.replace('"""', "'''").split(), [], ""
    for w in words:
        if cur and len(indent) + len(cur) + 1 + len(w) > width - 6:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}'] + [indent + line for line in lines[1:]] + [f'{indent}"""']


def models_file(api) -> str:  # type: ignore[no-untyped-def]
    models = {m.name: m for m in api.MODELS}
    enums = sorted({f.py_enum for m in api.MODELS for f in m.fields if f.py_enum})
    out = [banner("#"),
           '"""The result models (NamedTuples), their mapping from the library\'s result JSON',
           "(``<model>_from_wire``), the generated operations' response envelopes and the status",
           "table, all from codegen/api.py. Public names are re-exported by models/operations.py.",
           "",
           "Absent fields take the model's default; null stays None. Enumerations are open: a",
           "value the enum does not know stays the plain str/int. ``repr()`` hides secret fields.",
           '"""',
           "",
           "from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple, TypedDict, Union",
           "",
           *import_lines("._enums", enums),
           "from .components import RawResponse",
           "",
           "if TYPE_CHECKING:",
           "    from datetime import datetime",
           "",
           "# tuple.__new__ with positional values: a NamedTuple's keyword constructor costs ~10x as much.",
           "_new: Callable[..., Any] = tuple.__new__",
           "",
           "",
           "def _repr(obj: Any, secrets: Tuple[str, ...]) -> str:",
           "    fields = \", \".join(",
           "        f\"{k}={'<redacted>' if k in secrets and v is not None else repr(v)}\" for k, v in obj._asdict().items()",
           "    )",
           '    return f"{type(obj).__name__}({fields})"',
           "",
           "",
           'def _datetime(value: Any) -> "datetime":',
           '    """A time field: epoch seconds (as the library writes them) or an ISO-8601 date-time."""',
           "    from datetime import datetime, timezone",
           "",
           "    if isinstance(value, (int, float)):",
           "        return datetime.fromtimestamp(value, tz=timezone.utc)",
           "    text = str(value)",
           '    if text.endswith(("Z", "z")):',
           '        text = text[:-1] + "+00:00"',
           "    return datetime.fromisoformat(text)",
           "",
           "",
           "def _members(cls: Any) -> Dict[Any, Any]:",
           '    """value -> member: ``m.get(v, v)`` gives the member, or v itself when unknown."""',
           "    return {m.value: m for m in cls}",
           "",
           ""]
    out += [f"{enum_table(e)} = _members({e})" for e in enums]
    for m in api.MODELS:
        out += ["", "", f"class {m.py}(NamedTuple):"]
        out += doc_lines(f"{m.doc} (C: ``plexauth_{m.c}``.)", "    ")
        out.append("")
        for f in m.fields:
            default = f.py_default if f.kind in ("str", "int", "bool") else "None"
            out.append(f"    {f.py}: {py_type(f, models)} = {default}")
            out += doc_lines(f"{f.wire}: {f.doc}", "    ")
        secrets = [f.py for f in m.fields if f.secret]
        if secrets:
            names = ", ".join(repr(s).replace("'", '"') for s in secrets) + ("," if len(secrets) == 1 else "")
            out += ["", "    def __repr__(self) -> str:", f"        return _repr(self, ({names}))"]
    for m in api.MODELS:
        out += ["", "", f"def {m.c}_from_wire(d: Mapping[str, Any]) -> {m.py}:",
                f'    """{m.py} from its JSON (wire names, absent fields left out)."""',
                "    g = d.get",
                f"    model: {m.py} = _new(",
                f"        {m.py},",
                "        ("]
        out += [f"            {wire_read(f, models)}," for f in m.fields]
        out += ["        ),", "    )", "    return model"]
    for op in api.OPERATIONS:
        if op.result is not None:
            out += response_classes(op, models[op.result])
        if op.request:
            out += request_classes(api, op)
    out += ["", "", "# plexauth_status: value -> (name, meaning).", "STATUSES: Dict[int, Tuple[str, str]] = {"]
    out += [f"    {s.value}: ({s.name!r}, {s.doc!r})," for s in api.STATUSES]
    out += ["}", ""]
    return "\n".join(out)


def envelope_classes(op) -> List[Tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(Python attribute, class) of each member of the result's envelope, outermost
    first: the body ``{Op}ResponseBody``, then ``{Op}<Member>`` (``Operation.envelope``)
    down to the result model's own (its class: Model.py)."""
    p = pascal(op.name)
    attrs = [snake(e) for e in op.envelope]
    return [(a, p + "ResponseBody" if i == 0 else p + op.envelope[i - 1]) for i, a in enumerate(attrs)]


def response_classes(op, model) -> List[str]:  # type: ignore[no-untyped-def]
    """The response (content type, status, raw response, result) of an operation with a
    result, its envelope's classes, and ``<op>_response`` building it from the
    result's decoded JSON (None: the library gave none). Envelope: its members are
    always there (the result model built empty when the library gave no JSON), except
    an innermost member below another, None when the server sent none."""
    p, seed = pascal(op.name), op.name in SEED_DOCS
    resp, out = p + "Response", []
    read = f"{model.c}_from_wire(d)"
    chain = envelope_classes(op)
    if len(chain) == 1:
        value = f"{model.py}() if d is None else {read}"
    else:
        value = f"None if not d else {read}"
    for i in range(len(chain) - 1, -1, -1):
        attr, cls = chain[i]
        inner = model.py if i == len(chain) - 1 else chain[i + 1][1]
        out += ["", "", f"class {cls}(NamedTuple):"]
        if i == len(chain) - 1 and i > 0:
            out += [f"    {attr}: Optional[{inner}] = None",
                    f'    """``{".".join(op.envelope)}``; None when the server sent none."""']
        else:
            out += [f"    {attr}: {inner}"]
        value = f"_new({cls}, ({value},))"
    if not chain:
        value = f"None if d is None else {read}"
    result_type = chain[0][1] if chain else model.py
    out += ["", "", f"class {resp}(NamedTuple):"]
    if not seed:
        out += [f'    """{op.name}\'s response: content type, status, raw response and the parsed body."""', ""]
    out += ["    content_type: str", "    status_code: int", "    raw_response: RawResponse"]
    if op.py_optional:
        out.append(f"    {op.py_result}: Optional[{result_type}] = None")
    else:
        out.append(f"    {op.py_result}: {result_type}")
    if chain:
        out.append(f'    """Parsed body: ``res.{op.py_result}.{".".join(a for a, _ in chain)}``."""')
    out += ["", "",
            f"def {op.name}_response(ctype: str, status: int, raw: RawResponse, d: Optional[Mapping[str, Any]]) -> {resp}:",
            f'    """{resp} from the result\'s decoded JSON (None: the library gave none)."""',
            f"    res: {resp} = _new({resp}, (ctype, status, raw, {value}))",
            "    return res"]
    return out


def class_doc(name: str) -> List[str]:
    lines = SEED_CLASS_DOCS.get(name)
    if not lines:
        return []
    if len(lines) == 1:
        return [f'    """{lines[0]}"""', ""]
    return [f'    """{lines[0]}'] + [f"    {line}" for line in lines[1:-1]] + [f'    {lines[-1]}"""', ""]


def seed_identity(api):  # type: ignore[no-untyped-def]
    """api.IDENTITY in the seed's order (SEED_IDENTITY_ORDER), the other settings after it."""
    seed = [i for n in SEED_IDENTITY_ORDER for i in api.IDENTITY if i.c == n]
    return seed + [i for i in api.IDENTITY if i not in seed]


def request_classes(api, op) -> List[str]:  # type: ignore[no-untyped-def]
    """An operation with a C request object (Operation.request): its body's model
    ``{Op}RequestBody`` (body_params), ``{Op}Request`` (the identity overrides plus the
    body), ``{Op}Globals``, their TypedDicts and the accepted keys (snake_case, wire
    name or header) of each, ``_<REQUEST>_KEYS`` and ``_<REQUEST>_BODY_KEYS``."""
    p, key = pascal(op.name), op.request.upper()
    py = {"str": "str", "int": "int", "bool": "bool"}
    ident = seed_identity(api) if op.identity_override else []
    body, out = op.body_params, []
    out += ["", "", f"class {p}RequestBody(NamedTuple):"] + class_doc(f"{p}RequestBody")
    for b in body:
        if b.required:
            out.append(f"    {b.c}: {py[b.kind]}")
        else:
            out.append(f"    {b.c}: Optional[{py[b.kind]}] = {'False' if b.kind == 'bool' else 'None'}")
    secrets = ", ".join(f'"{b.c}"' for b in body if b.secret)
    if secrets:
        out += ["", "    def __repr__(self) -> str:", f"        return _repr(self, ({secrets}))"]
    for cls, extra in ((f"{p}Request", [f"    request_body: Optional[{p}RequestBody] = None"]), (f"{p}Globals", [])):
        out += ["", "", f"class {cls}(NamedTuple):"] + class_doc(cls)
        out += [f"    {i.c}: Optional[str] = None" for i in ident] + extra
    out += ["", "", f"class _{p}BodyRequired(TypedDict):"]
    out += [f"    {b.c}: {py[b.kind]}" for b in body if b.required]
    out += ["", "", f"class {p}RequestBodyTypedDict(_{p}BodyRequired, total=False):"]
    out += [f"    {b.c}: {py[b.kind]}" for b in body if not b.required]
    out += ["", "", f"class {p}RequestTypedDict(TypedDict, total=False):"]
    out += [f"    {i.c}: str" for i in ident] + [f"    request_body: {p}RequestBodyTypedDict"]
    out += ["", "", f"# {p}Request's accepted keys: the snake_case names and the seed's aliases.",
            f"_{key}_KEYS = {{"]
    out += [f'    "{a}": "{i.c}",' for i in ident for a in (i.c, i.header)]
    out += ['    "request_body": "request_body",', '    "RequestBody": "request_body",', "}",
            f"_{key}_BODY_KEYS = {{"]
    out += [f'    "{a}": "{b.c}",' for b in body for a in dict.fromkeys((b.c, b.wire))]
    out += ["}"]
    return out


def enums_file(api) -> str:  # type: ignore[no-untyped-def]
    out = [banner("#"),
           '"""The open enumerations of the models and parameters (api.PY_ENUMS; each field or',
           'parameter names its enum with ``py_enum``). Re-exported by models/operations.py."""',
           "",
           "from enum import Enum"]
    for e in api.PY_ENUMS:
        bases = {type(v) for v in e.members.values()}
        assert len(bases) == 1 and bases <= {str, int}, e.name
        out += ["", "", f"class {e.name}({bases.pop().__name__}, Enum):"]
        if e.doc:
            out += doc_lines(e.doc, "    ") + [""]
        out += [f"    {name} = {value!r}".replace("'", '"') for name, value in e.members.items()]
    out.append("")
    return "\n".join(out)


def errors_file(api) -> str:  # type: ignore[no-untyped-def]
    out = [banner("#"),
           '"""The error classes of every plexauth status and operation (from codegen/api.py);',
           'models/errors.py re-exports them with the hand-written base classes."""',
           "",
           "from typing import Dict, Tuple, Type",
           "",
           "from ._error_base import BadRequestError, PlexAuthError, SDKError, UnauthorizedError, _PlexErrorsError",
           ""]
    ops_cls = []
    for op in api.OPERATIONS:
        p = pascal(op.name)
        ops_cls.append((op.name, p + "BadRequest", p + "Unauthorized"))
        out += ["", f"class {p}BadRequest(BadRequestError):", f'    """HTTP 400 from {op.name}."""',
                "", "", f"class {p}Unauthorized(UnauthorizedError):",
                f'    """HTTP 401 (or plex.tv\'s 422 "invalid token") from {op.name}."""', ""]
    table = []
    defined = {"BadRequestError", "UnauthorizedError"}
    pending = [s for s in api.STATUSES if s.value != 0]
    # Define base classes before their subclasses (TLSError after TransportError).
    while pending:
        progress = False
        for s in list(pending):
            cls, base = ERROR_KINDS.get(s.name, (pascal(s.name), "SDKError"))
            first_base = base.split(",")[0].strip()
            if first_base not in defined and first_base not in (
                    "PlexAuthError", "SDKError", "_PlexErrorsError") and not first_base.endswith("Unauthorized"):
                continue
            pending.remove(s)
            progress = True
            table.append((s.name, cls))
            if cls in defined:
                continue
            defined.add(cls)
            out += ["", f"class {cls}({base}):"] + doc_lines(s.doc, "    ") + [""]
        if not progress:
            raise SystemExit(f"emit_python: error classes with unknown bases: {[s.name for s in pending]}")
    out += ["", "# status name -> class (bad_request/unauthorized: see OPERATION_CLASSES).",
            "STATUS_CLASSES: Dict[str, Type[PlexAuthError]] = {"]
    out += [f'    "{name}": {cls},' for name, cls in table]
    out += ["}", "", "OPERATION_CLASSES: Dict[str, Tuple[Type[BadRequestError], Type[UnauthorizedError]]] = {"]
    out += [f'    "{name}": ({bad}, {unauth}),' for name, bad, unauth in ops_cls]
    out += ["}", "", "__all__ = ["]
    out += sorted(f'    "{c}",' for c in {c for _, c in table} | {c for _, b, u in ops_cls for c in (b, u)})
    out += ["]", ""]
    return "\n".join(out)


# ------------------------------------------------------------------ operations

# Python keyword names of parameters where the C name reads badly in Python:
# (operation, Param.c) -> keyword.
PY_PARAMS = {("get_pin", "id"): "pin_id"}


def py_param(name: str, op: str = "") -> str:
    if (op, name) in PY_PARAMS:
        return PY_PARAMS[(op, name)]
    return name + "_" if keyword.iskeyword(name) or name in ("type", "id") else name


def operations_file(api) -> str:  # type: ignore[no-untyped-def]
    models = {m.name: m for m in api.MODELS}
    ops = api.OPERATIONS
    enums = sorted({p.py_enum for op in ops for p in op.path_params + op.query + op.body_params if p.py_enum})
    responses = sorted(f"{pascal(op.name)}Response" for op in ops if op.result)
    builders = sorted(f"{op.name}_response" for op in ops if op.result)
    requests = sorted({pascal(op.request) + "Request" for op in ops if op.request}
                      | {alias[1] for alias in SEED_ALIASES.values()})
    out = [banner("#"),
           '"""The client methods of every operation and their ``_async`` twins (mixed into',
           "sdk.Authentication, which provides ``_result``/``_result_async``: the ``_async`` twins run the",
           "non-blocking C calls on the running asyncio loop, sdk._aio). The seed operations keep",
           'the seed SDK\'s argument names, defaults, response shapes and docstrings."""',
           "",
           "from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Mapping, Optional, Tuple, Union",
           "",
           "from ._native import enc, enc_open",
           *import_lines(".models._enums", enums),
           *import_lines(".models._generated", responses + builders),
           *import_lines(".models.operations", requests),
           "from .utils import UNSET, OptionalNullable, RetryConfig",
           "",
           "if TYPE_CHECKING:",
           "    from .sdk import CancelToken",
           "",
           "# (operation, C function, the result's _free, _json and _response getters and the response",
           "# from (content type, status, raw response, decoded JSON): \"\" and None without a result (204); the",
           "# C request object whose handle sdk._REQUESTS builds from the arguments, or \"\"; the non-blocking",
           "# twins plexauth_client_<op>_start and _finish, which the ``_async`` methods run on asyncio's loop)",
           "Op = Tuple[str, str, str, str, str, Optional[Callable[..., Any]], str, str, str]",
           "# (retries, server_url, timeout_ms, cancel, access_token: this call's X-Plex-Token or None)",
           'Options = Tuple[OptionalNullable[RetryConfig], Optional[str], Optional[int], Optional["CancelToken"], Optional[str]]',
           ""]
    for op in ops:
        names: List[str] = [f'"{op.name}"', f'"plexauth_client_{op.name}"']
        if op.result:
            c = models[op.result].c
            names += [f'"plexauth_{c}_{g}"' for g in ("free", "json", "response")] + [f"{op.name}_response"]
        else:
            names += ['""'] * 3 + ["None"]
        names.append(f'"{op.request}"')
        names += [f'"plexauth_client_{op.name}_start"', f'"plexauth_client_{op.name}_finish"']
        out.append(f"_{op.name.upper()}: Op = ({', '.join(names)})")
    out += ["",
            "",
            "class GeneratedOperations:",
            '    """Every operation of codegen/api.py."""',
            "",
            "    # Provided by sdk.Authentication: run ``plexauth_client_<op>`` and read its result.",
            "    _result: Callable[[Op, Tuple[Any, ...], Options], Any]",
            "    _result_async: Callable[[Op, Tuple[Any, ...], Options], Awaitable[Any]]"]
    for op in ops:
        sig, args = [], []
        if op.request:
            sig.append(f"request: {pascal(op.request)}Request")
            args.append("request")
        for p in [] if op.request else op.path_params + op.query + op.body_params:
            name = py_param(p.c, op.name)
            py = {"str": "str", "int": "int", "bool": "bool"}[p.kind]
            if p.py_enum:
                member = next(n for n, v in enum_members(api, p.py_enum) if v == p.default)
                sig.append(f"{name}: Union[{p.py_enum}, str] = {p.py_enum}.{member}")
                args.append(f'enc_open({name}, "{name}")')
            elif p.kind == "str":
                if p.default is not None or not p.required:
                    sig.append(f"{name}: Optional[str] = None")
                    args.append(f'None if {name} is None else enc({name}, "{name}")')
                else:
                    sig.append(f"{name}: str")
                    args.append(f'enc({name}, "{name}")')
            else:
                fallback = "False" if p.kind == "bool" else (p.default or "0")
                sig.append(f"{name}: {py}" + ("" if p.required else f" = {fallback}"))
                args.append(f"1 if {name} else 0" if p.kind == "bool" else f"int({name})")
        sig += ["retries: OptionalNullable[RetryConfig] = UNSET", "server_url: Optional[str] = None",
                "timeout_ms: Optional[int] = None", 'cancel: Optional["CancelToken"] = None']
        # A per-call X-Plex-Token (call options), for the operations that send one.
        token = "access_token" if op.token == "send" else "None"
        if op.token == "send":
            sig.append("access_token: Optional[str] = None")
        resp = f"{pascal(op.name)}Response" if op.result else "None"
        call = f'_{op.name.upper()}, ({", ".join(args)}{"," if len(args) == 1 else ""}), (retries, server_url, timeout_ms, cancel, {token})'
        host = {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}", "plex_tv_v1": "{plex.tv v1}"}[op.host]
        chain = ".".join([op.py_result] + [snake(e) for e in op.envelope])
        for suffix, prefix, wait in (("", "def", ""), ("_async", "async def", "await ")):
            out += ["", f"    {prefix} {op.py}{suffix}(", "        self,", "        *,"]
            out += [f"        {s}," for s in sig]
            out += [f"    ) -> {resp}:"]
            if op.name in SEED_DOCS:
                if not suffix:
                    lines = SEED_DOCS[op.name]
                    out += [f'        """{lines[0]}'] + [f"        {line}" for line in lines[1:-1]] + [
                        f'        {lines[-1]}"""' if len(lines) > 1 else ""]
            else:
                text = f"``{op.method} {host}{op.path}``: {op.doc}"
                if op.result:
                    text += f" The parsed body is ``res.{chain}``"
                    text += " (non-blocking, on the running asyncio loop)." if suffix else "."
                elif suffix:
                    text += " (Non-blocking, on the running asyncio loop.)"
                out += doc_lines(text, "        ")
            method = "_result_async" if suffix else "_result"
            if op.result:
                out += [f"        res: {resp} = {wait}self.{method}({call})", "        return res"]
            else:
                out += [f"        {wait}self.{method}({call})"]
    out += seed_plex(api)
    out.append("")
    return "\n".join(out)


def doc_block(lines: List[str], indent: str) -> List[str]:
    """A docstring of these lines, verbatim."""
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}'] + [indent + line for line in lines[1:-1]] + [f'{indent}{lines[-1]}"""']


def seed_plex(api) -> List[str]:  # type: ignore[no-untyped-def]
    """``GeneratedPlex`` (mixed into sdk.Plex, which provides ``_seed``/``_seed_async``): the
    seed's ``plex`` methods (SEED_ALIASES) and their ``_async`` twins, and ``_IDENTITY_KEYS``."""
    ops = {op.name: op for op in api.OPERATIONS}
    ident = seed_identity(api)
    py = {"str": "str", "int": "int", "bool": "bool"}
    out = ["",
           "",
           "#: The seed's identity keywords and request keys -> call options setter names (api.IDENTITY).",
           "_IDENTITY_KEYS = {"]
    out += [f'    "{i.c}": "{i.c}", "{i.header}": "{i.c}",' for i in ident]
    out += ["}",
            "",
            "#: The seed's ``request``: a dict (snake_case keys or the seed's aliases) or None.",
            "PinRequest = Optional[Mapping[str, Any]]",
            "# (Op, the parameter's keys in the request dict (its keyword first), its kind: bool | int)",
            "Seed = Tuple[Op, Tuple[str, ...], str]",
            "",
            "",
            "class GeneratedPlex:",
            "    \"\"\"The seed's ``plex`` methods (codegen/emit_python.py SEED_ALIASES).\"\"\"",
            "",
            "    # Provided by sdk.Plex: normalise the seed's request and keywords, run the operation.",
            "    _seed: Callable[[Seed, PinRequest, Dict[str, Any], Options], Any]",
            "    _seed_async: Callable[[Seed, PinRequest, Dict[str, Any], Options], Awaitable[Any]]"]
    for name, (opname, resp, attr, keyword_, aliases, doc) in SEED_ALIASES.items():
        op = ops[opname]
        (param,) = op.path_params + op.query + op.body_params
        sig = [f"{keyword_}: Optional[{py[param.kind]}] = None"] + [f"{i.c}: Optional[str] = None" for i in ident]
        sig += ["retries: OptionalNullable[RetryConfig] = UNSET", "server_url: Optional[str] = None",
                "timeout_ms: Optional[int] = None", 'cancel: Optional["CancelToken"] = None']
        keys = ", ".join(f'"{k}"' for k in (keyword_, *aliases)) + ("," if not aliases else "")
        values = [keyword_] + [i.c for i in ident]
        seed = f'(_{opname.upper()}, ({keys}), "{param.kind}")'
        for suffix, prefix, wait in (("", "def", ""), ("_async", "async def", "await ")):
            out += ["", f"    {prefix} {name}{suffix}(", "        self,", "        request: PinRequest = None,",
                    "        *,"]
            out += [f"        {s}," for s in sig]
            out += [f"    ) -> {resp}:"]
            if not suffix:
                out += doc_block(doc, "        ")
            method = "_seed_async" if suffix else "_seed"
            out += [f"        res = {wait}self.{method}(", f"            {seed},", "            request,", "            {"]
            out += [f'                "{k}": {k},' for k in values]
            out += ["            },",
                    "            (retries, server_url, timeout_ms, cancel, None),",
                    "        )",
                    f"        return {resp}(res.content_type, res.status_code, res.raw_response, {attr}=res.{op.py_result})"]
    return out


def enum_members(api, name: str) -> List[Tuple[str, object]]:  # type: ignore[no-untyped-def]
    return list(next(e for e in api.PY_ENUMS if e.name == name).members.items())


# ------------------------------------------------------------------ version

def versioned(ctx, rel: str, pattern: str, version: str) -> str:  # type: ignore[no-untyped-def]
    text = ctx.read(rel)
    new, n = re.subn(pattern, lambda m: m.group(1) + version + m.group(2), text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"emit_python: no version line in {rel}")
    return new


def outputs(api, ctx) -> Dict[str, str]:  # type: ignore[no-untyped-def]
    header = ctx.header()
    return {
        f"{PKG}/_prototypes.py": prototypes(header, ctx.version),
        f"{PKG}/models/_generated.py": models_file(api),
        f"{PKG}/models/_errors.py": errors_file(api),
        f"{PKG}/_operations.py": operations_file(api),
        f"{PKG}/models/_enums.py": enums_file(api),
        "bindings/python/pyproject.toml": versioned(ctx, "bindings/python/pyproject.toml",
                                                    r'^(version = ")[^"]*(")', ctx.version),
        f"{PKG}/__init__.py": versioned(ctx, f"{PKG}/__init__.py", r'^(__version__ = ")[^"]*(")', ctx.version),
    }
