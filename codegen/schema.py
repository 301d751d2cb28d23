"""The vocabulary of the API description (api.py): plain data classes with the
naming rules that derive each language's name from the wire name.

Nothing here knows about any output; the emitters (emit_*.py) read these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

# ----------------------------------------------------------------------- names

_GO_INITIALISMS = {"id": "ID", "uri": "URI", "url": "URL", "uuid": "UUID", "ip": "IP", "ipv6": "IPv6", "qr": "QR",
                   "http": "HTTP", "https": "HTTPS", "json": "JSON", "jwt": "JWT", "jwk": "JWK", "pin": "PIN"}


def snake(name: str) -> str:
    """authToken -> auth_token, Connection -> connection, IPv6 -> ipv6."""
    name = name.replace("IPv6", "Ipv6")
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return s.lower()


def camel(snake_name: str) -> str:
    """auth_token -> AuthToken (Go: initialisms kept upper case)."""
    return "".join(_GO_INITIALISMS.get(p, p[:1].upper() + p[1:]) for p in snake_name.split("_"))


def pascal(snake_name: str) -> str:
    """past_subscription -> PastSubscription (no initialism rule: type names)."""
    return "".join(p[:1].upper() + p[1:] for p in snake_name.split("_"))


# ----------------------------------------------------------------------- statuses


@dataclass
class Status:
    """One plexauth_status value. Values are never renumbered or reused."""

    value: int
    name: str  # snake_case, as plexauth_status_name() gives it
    doc: str
    c: str = ""  # enumerator suffix after PLEXAUTH_ / PLEXAUTH_E_
    core: str = ""  # C++ enumerator of plexauth::Status

    def __post_init__(self) -> None:
        if not self.c:
            self.c = "OK" if self.value == 0 else "E_" + self.name.upper()
        if not self.core:
            self.core = pascal(self.name)

    @property
    def c_enum(self) -> str:
        return "PLEXAUTH_" + self.c


# ----------------------------------------------------------------------- models

# Field kinds and what they are on each side.
#   kind     JSON                          C getter                    Python        Rust            Go
#   str      string                        const char * (NULL absent)  str           String          *string
#   int      integer (int64)               int f(obj, int64_t *out)    int           i64             *int64
#   bool     true/false                    int f(obj, int *out)        bool          bool            *bool
#   time     epoch seconds or ISO-8601     int f(obj, int64_t *out)    datetime/int  i64             *int64
#   json     any object (compact text)     const char *                dict          String          json.RawMessage
#   strlist  array of strings              _count + _at                List[str]     Vec<String>     []string
#   count    array, items only counted     _count                      list/int      usize           int
#   obj      object of another model       const plexauth_<m> *        Model         Model           *Model
#   list     array of another model        _count + _at                List[Model]   Vec<Model>      []Model
#   inline   object read through the parent's getters (<parent>_<field>_<sub>)
KINDS = ("str", "int", "bool", "time", "json", "strlist", "count", "obj", "list", "inline")
SCALAR_KINDS = ("str", "int", "bool", "time", "json")


@dataclass
class Field:
    kind: str
    wire: str
    doc: str
    model: Optional[str] = None  # obj / list / inline: the nested model's name
    required: bool = False  # absent or null -> malformed_response naming the field
    secret: bool = False  # never shown by repr/Debug, redacted in logs
    c: str = ""  # C name (getter suffix); lists: the list's name (<c>_count, <c>_at)
    member: str = ""  # C++ member
    py: str = ""  # Python attribute
    py_default: str = "None"  # Python expression used when the field is absent
    py_enum: str = ""  # Python open enum class (values kept as plain str/int when unknown)
    rust: str = ""  # Rust field
    go: str = ""  # Go field
    example: object = None  # a value for docs; the every-field fixture makes its own

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind
        assert (self.model is not None) == (self.kind in ("obj", "list", "inline")), self.wire
        self.c = self.c or snake(self.wire)
        self.member = self.member or (self.c + "_" if self.c in ("protected", "private", "public") else self.c)
        self.py = self.py or self.c
        self.rust = self.rust or (self.c + "_" if self.c in ("type", "ref", "match", "mod", "use", "fn", "impl", "let", "loop", "move", "self", "crate") else self.c)
        self.go = self.go or camel(self.c)

    @property
    def is_list(self) -> bool:
        return self.kind in ("strlist", "list")


def Str(wire: str, doc: str, **kw: object) -> Field:
    return Field("str", wire, doc, **kw)  # type: ignore[arg-type]


def Int(wire: str, doc: str, **kw: object) -> Field:
    return Field("int", wire, doc, **kw)  # type: ignore[arg-type]


def Bool(wire: str, doc: str, **kw: object) -> Field:
    return Field("bool", wire, doc, **kw)  # type: ignore[arg-type]


def Time(wire: str, doc: str, **kw: object) -> Field:
    return Field("time", wire, doc, **kw)  # type: ignore[arg-type]


def Json(wire: str, doc: str, **kw: object) -> Field:
    return Field("json", wire, doc, **kw)  # type: ignore[arg-type]


def StrList(wire: str, doc: str, **kw: object) -> Field:
    return Field("strlist", wire, doc, **kw)  # type: ignore[arg-type]


def Count(wire: str, doc: str, **kw: object) -> Field:
    return Field("count", wire, doc, **kw)  # type: ignore[arg-type]


def Obj(wire: str, model: str, doc: str, **kw: object) -> Field:
    return Field("obj", wire, doc, model=model, **kw)  # type: ignore[arg-type]


def List(wire: str, model: str, doc: str, **kw: object) -> Field:  # noqa: A001 - reads well in api.py
    return Field("list", wire, doc, model=model, **kw)  # type: ignore[arg-type]


def Inline(wire: str, model: str, doc: str, **kw: object) -> Field:
    return Field("inline", wire, doc, model=model, **kw)  # type: ignore[arg-type]


@dataclass
class Model:
    """A JSON object the library parses. `name` is the C++ type; `c` the handle
    suffix (plexauth_<c>); a model read only inline has no handle."""

    name: str
    doc: str
    fields: List[Field]  # type: ignore[valid-type]
    c: str = ""
    py: str = ""  # Python class
    rust: str = ""
    go: str = ""

    def __post_init__(self) -> None:
        self.c = self.c or snake(self.name)
        self.py = self.py or self.name
        self.rust = self.rust or self.name
        self.go = self.go or self.name

    @property
    def macro(self) -> str:
        return "PLEXAUTH_" + self.c.upper() + "_FIELDS"


# ----------------------------------------------------------------------- operations


@dataclass
class Param:
    """A request parameter: in the path ({name}), the query, or the body."""

    wire: str
    doc: str
    kind: str = "str"  # str | int | bool
    default: Optional[str] = None  # used when the caller passes NULL (query/path strings)
    required: bool = True  # NULL (without default) -> invalid_argument
    non_empty: bool = False  # "" -> invalid_argument
    secret: bool = False  # wiped, redacted, never in a URL unless `in_query_ok`
    max_len: int = 16384
    example: Optional[str] = None  # a valid value, for docs and the bad-input sweep ("x" otherwise)
    c: str = ""
    always_sent: bool = False  # bool form fields: sent as true/false even when default
    py_enum: str = ""  # Python: a str parameter also accepting this open enum (default: its member)
    json_object: bool = False  # body="json" only: the value is a JSON object's text, sent as that object (checked)

    def __post_init__(self) -> None:
        self.c = self.c or snake(self.wire)
        if self.json_object and self.kind != "str":
            raise SystemExit(f"{self.wire}: json_object needs kind str")


@dataclass
class Operation:
    name: str  # snake_case; the C function is plexauth_client_<name>
    doc: str
    method: str  # GET | POST | PUT | DELETE
    host: str  # pms | plex_tv | clients (clients.plex.tv) | plex_tv_v1 (plex.tv/api: the plex.tv base less /v2)
    path: str  # appended to the host's base URL; {param} for path parameters
    success: int  # 200 | 201 | 204
    result: Optional[str]  # the result model (None: no body, e.g. 204)
    token: str = "send"  # send | never
    query: List[Param] = field(default_factory=list)  # type: ignore[valid-type]
    path_params: List[Param] = field(default_factory=list)  # type: ignore[valid-type]
    body: str = "none"  # none | form | json
    body_params: List[Param] = field(default_factory=list)  # type: ignore[valid-type]
    request: str = ""  # C request object (plexauth_<request>) holding the body params; "" = plain args
    identity_override: bool = False  # the request object carries identity overrides
    envelope: Tuple[str, ...] = ()  # where the result sits in the body, e.g. ("MediaContainer",)
    envelope_array_first: bool = False  # the last envelope member may be an array: its first item
    root_list: str = ""  # the body is a JSON array: the result model's list field of this wire name
    empty_ok: bool = False  # a blank body (any content type) is success with every field absent
    xml: bool = False  # an XML success body (application/xml, text/xml) is read too: elements -> objects
    retry: str = "idempotent"  # idempotent: 5XX, 429, transport | no_4xx: 5XX, transport, never 429
    # Plex error codes with a status of their own: code -> (status, HTTP status or None for any 4XX, message)
    plex_codes: Dict[int, Tuple[str, Optional[int], str]] = field(default_factory=dict)
    c_hand_written: bool = False  # the C entry point is written by hand in capi/ (kept for its signature)
    py: str = ""  # Python method (on the namespace below)
    py_namespace: str = "authentication"
    py_result: str = "object"  # Python: the response attribute holding the result (envelope: its body)
    py_optional: bool = False  # Python: that attribute is Optional, default None
    rust: str = ""
    go: str = ""
    cli: str = ""  # the CLI command, "" = none
    cli_custom: bool = False  # the command is written by hand in tools/plexauth/main.cpp (else generic)

    def __post_init__(self) -> None:
        self.py = self.py or self.name
        self.rust = self.rust or self.name
        self.go = self.go or camel(self.name)
        assert self.method in ("GET", "POST", "PUT", "DELETE"), self.method
        assert self.host in ("pms", "plex_tv", "clients", "plex_tv_v1"), self.host
        assert self.success in (200, 201, 204), self.success
        assert self.body in ("none", "form", "json"), self.body
        assert self.retry in ("idempotent", "no_4xx"), self.retry
        assert (self.success == 204) == (self.result is None), self.name


@dataclass
class PyEnum:
    """A Python open enumeration named by Field.py_enum / Param.py_enum, and its
    members (NAME -> value: str values make a str enum, int values an int enum)."""

    name: str
    members: Dict[str, object]
    doc: str = ""


@dataclass
class IdentitySetting:
    """A client identity setting and its X-Plex-* header."""

    c: str
    header: str
    doc: str
