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
* ``_operations.py``: the client methods (and ``_async`` twins) of every
  operation that is not one of the four seed operations, whose seed-compatible
  surfaces stay hand-written in sdk.py.
* the version in ``pyproject.toml`` and ``plexauth/__init__.py``.

The enumerations' members are not described in api.py: they are hand-written
in models/_enums.py and imported by name (``Field.py_enum``).
Standard library only.
"""

from __future__ import annotations

import keyword
import re
from typing import Dict, List

import cheader
from generate import banner
from schema import pascal

PKG = "bindings/python/src/plexauth"

# Operations whose Python surface is the seed SDK's, written by hand in sdk.py
# (their models and mapping are generated all the same).
SEED_OPERATIONS = ("get_transient_token", "get_source_connection_information", "get_token_details",
                   "post_users_sign_in_data")

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
           "from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Tuple, Union",
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
        if op.name in SEED_OPERATIONS or op.result is None:
            continue
        out += ["", "", f"class {pascal(op.name)}Response(NamedTuple):",
                f'    """{op.name}\'s response: content type, status, raw response and the parsed body."""',
                "",
                "    content_type: str",
                "    status_code: int",
                "    raw_response: RawResponse",
                f"    object: {models[op.result].py}"]
    out += ["", "", "# plexauth_status: value -> (name, meaning).", "STATUSES: Dict[int, Tuple[str, str]] = {"]
    out += [f"    {s.value}: ({s.name!r}, {s.doc!r})," for s in api.STATUSES]
    out += ["}", ""]
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

def py_param(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) or name in ("type", "id") else name


def operations_file(api) -> str:  # type: ignore[no-untyped-def]
    models = {m.name: m for m in api.MODELS}
    ops = [op for op in api.OPERATIONS if op.name not in SEED_OPERATIONS]
    imports = sorted({f"{models[op.result].c}_from_wire" for op in ops} | {f"{pascal(op.name)}Response" for op in ops})
    out = [banner("#"),
           '"""The client methods of the operations without a hand-written seed surface (mixed',
           'into sdk.Authentication, which provides ``_result``/``_result_async``)."""',
           "",
           "from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Optional, Tuple",
           "",
           "from ._native import enc",
           "from .models.components import RawResponse",
           *import_lines(".models._generated", imports),
           "from .utils import UNSET, OptionalNullable, RetryConfig",
           "",
           "if TYPE_CHECKING:",
           "    from .sdk import CancelToken",
           "",
           "_new: Callable[..., Any] = tuple.__new__",
           "# (operation, result model's C name, mapping from the result's JSON)",
           "Op = Tuple[str, str, Callable[[Mapping[str, Any]], Any]]",
           "# (retries, server_url, timeout_ms, cancel)",
           'Options = Tuple[OptionalNullable[RetryConfig], Optional[str], Optional[int], Optional["CancelToken"]]',
           "Result = Tuple[str, int, RawResponse, Any]",
           "",
           "",
           "class GeneratedOperations:",
           '    """Every operation of api.py that has no hand-written seed surface."""',
           "",
           "    # Provided by sdk.Authentication: run ``plexauth_client_<op>`` and read its result.",
           "    _result: Callable[[Op, Tuple[Any, ...], Options], Result]",
           "    _result_async: Callable[[Op, Tuple[Any, ...], Options], Awaitable[Result]]"]
    for op in ops:
        if op.request or op.result is None:
            raise SystemExit(f"emit_python: {op.name}: request objects and 204 results need a Python surface")
        params = op.path_params + op.query + op.body_params
        sig, args = [], []
        for p in params:
            name = py_param(p.c)
            py = {"str": "str", "int": "int", "bool": "bool"}[p.kind]
            if p.kind == "str":
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
        resp = f"{pascal(op.name)}Response"
        m = models[op.result]
        call = (f'("{op.name}", "{m.c}", {m.c}_from_wire), ({", ".join(args)}{"," if len(args) == 1 else ""}), '
                "(retries, server_url, timeout_ms, cancel)")
        host = {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}"}[op.host]
        for suffix, prefix, wait in (("", "def", ""), ("_async", "async def", "await ")):
            out += ["", f"    {prefix} {op.py}{suffix}(", "        self,", "        *,"]
            out += [f"        {s}," for s in sig]
            out += [f"    ) -> {resp}:"]
            out += doc_lines(f"``{op.method} {host}{op.path}``: {op.doc} The parsed body is ``res.object``"
                             + (" (run in the event loop's default executor)." if suffix else "."), "        ")
            method = "_result_async" if suffix else "_result"
            out += [f"        res: {resp} = _new({resp}, {wait}self.{method}({call}))", "        return res"]
    out.append("")
    return "\n".join(out)


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
        "bindings/python/pyproject.toml": versioned(ctx, "bindings/python/pyproject.toml",
                                                    r'^(version = ")[^"]*(")', ctx.version),
        f"{PKG}/__init__.py": versioned(ctx, f"{PKG}/__init__.py", r'^(__version__ = ")[^"]*(")', ctx.version),
    }
