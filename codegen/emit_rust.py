"""The Rust binding's generated files (bindings/rust).

    plexauth-sys/src/generated.rs    every function, enum, opaque type and callback of the header
                                     (read through cheader.py: it cannot disagree with the header)
    plexauth/src/models_gen.rs       one struct per api.MODELS entry, its Debug (secrets hidden) and
                                     its mapping from the C result (the result is kept, fields copied)
    plexauth/src/operations_gen.rs   Client::<op> and Client::<op>_with for every regular operation
    plexauth/src/error_kind_gen.rs   ErrorKind: one variant per api.STATUSES entry
    plexauth/src/identity_gen.rs     the identity settings of api.IDENTITY (struct, C setters, builder methods)
    plexauth/tests/generated/mod.rs  each model as serde_json::Value keyed by wire name (the
                                     every-field fixture test walks it)
    Cargo.toml                       the workspace, with the version from CMakeLists.txt

Hand-written and kept: the sys crate's lib.rs (docs, the opaque! macro), the safe crate's
client (run, sign_in: an operation with a request object), config, options, errors, RawResponse
and Kept (models.rs). Standard library only.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Tuple

import cheader
from generate import banner
from schema import pascal

RUST = "bindings/rust/"

RUST_KEYWORDS = {"type", "fn", "ref", "match", "mod", "move", "impl", "in", "loop", "self", "use", "where"}

C_TO_RUST = {"char": "c_char", "int": "c_int", "unsigned": "c_uint", "int64_t": "i64", "uint64_t": "u64",
             "int32_t": "i32", "uint32_t": "u32", "size_t": "usize", "double": "f64", "void": "c_void"}

HOSTS = {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}", "plex_tv_v1": "{plex.tv v1}"}


def doc(text: str, indent: str = "") -> str:
    """A /// doc comment, wrapped at 110 columns (a `- ` list item's further lines indented)."""
    lines: List[str] = []
    for para in text.split("\n"):
        cont = "  " if para.startswith("- ") else ""
        cur = ""
        for word in para.split():
            if cur and len(indent) + 4 + len(cur) + 1 + len(word) > 110:
                lines.append(cur)
                cur = cont + word
            else:
                cur = f"{cur} {word}" if cur else word
        lines.append(cur)
    return "".join(f"{indent}/// {line}".rstrip() + "\n" for line in lines)


def wrap(head: str, items: List[str], tail: str, indent: str) -> str:
    """`head(items)tail` on one line when it fits in 120 columns, else one item a line (rustfmt's way)."""
    line = f"{indent}{head}({', '.join(items)}){tail}"
    if len(line) <= 120 or not items:
        return line + "\n"
    inner = "".join(f"{indent}    {item},\n" for item in items)
    return f"{indent}{head}(\n{inner}{indent}){tail}\n"


def ident(name: str) -> str:
    return name + "_" if name in RUST_KEYWORDS else name


# ======================================================================= plexauth-sys


def rust_type(t: cheader.CType, fn_aliases: Dict[str, str]) -> str:
    """A C type as the sys crate spells it. `const` applies to the innermost pointee."""
    if t.base.startswith("fnptr:"):
        return fn_aliases[t.base]
    base = C_TO_RUST.get(t.base, t.base)
    ptrs = "".join("*const " if (t.const and level == t.pointers - 1) else "*mut " for level in range(t.pointers))
    return ptrs + base


def fn_signature(params: Iterable[cheader.Param], ret: cheader.CType,
                 aliases: Dict[str, str]) -> Tuple[List[str], str]:
    args = [f"{ident(p.name) or '_'}: {rust_type(p.type, aliases)}" for p in params]
    out = "" if (ret.base == "void" and ret.pointers == 0) else " -> " + rust_type(ret, aliases)
    return args, out


def inline_fn_pointers(header: cheader.Header) -> Dict[str, Tuple[str, cheader.CType, Tuple[cheader.Param, ...]]]:
    """Inline function-pointer parameters (`void (*destroy)(void *user_data)`) get an alias
    plexauth_<name>_fn: fnptr text -> (alias, return type, parameters)."""
    found = {}
    for f in header.functions:
        for p in f.params:
            if p.type.base.startswith("fnptr:") and p.type.base not in found:
                m = re.fullmatch(r"fnptr:(.*?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)", p.type.base)
                assert m, p.type.base
                params = tuple(cheader.parse_param(x, True) for x in cheader.split_params(m.group(3)) if x != "void")
                found[p.type.base] = (f"plexauth_{m.group(2)}_fn", cheader.parse_type(m.group(1)), params)
    return found


def sys_generated(api, header: cheader.Header) -> str:
    status_docs = {s.c_enum: s.doc for s in api.STATUSES}
    inline = inline_fn_pointers(header)
    aliases = {k: v[0] for k, v in inline.items()}
    out = [banner("//") + "\n",
           "// Derived from include/plexauth/plexauth.h (codegen/cheader.py); tests/header_sync.rs checks it.\n\n",
           "use std::os::raw::{c_char, c_int, c_uint, c_void};\n\n"]

    out.append("// Version\n")
    for name in ("PLEXAUTH_VERSION_MAJOR", "PLEXAUTH_VERSION_MINOR", "PLEXAUTH_VERSION_PATCH"):
        out.append(f"pub const {name}: c_int = {int(header.macros[name])};\n")
    out.append(f"pub const PLEXAUTH_VERSION_STRING: &str = {header.macros['PLEXAUTH_VERSION_STRING']};\n")
    out.append("pub const PLEXAUTH_VERSION_NUMBER: c_int =\n"
               "    (PLEXAUTH_VERSION_MAJOR << 16) | (PLEXAUTH_VERSION_MINOR << 8) | PLEXAUTH_VERSION_PATCH;\n")

    out.append("\n// Sizes\n")
    out.append("/// A buffer of this size holds any client identifier (with its NUL).\n")
    out.append(f"pub const PLEXAUTH_CLIENT_ID_MAX: usize = {int(header.macros['PLEXAUTH_CLIENT_ID_MAX'])};\n")

    out.append("\n// Loop modes (plexauth_loop_new)\n")
    for name in ("PLEXAUTH_LOOP_THREAD", "PLEXAUTH_LOOP_EXTERNAL"):
        out.append(f"pub const {name}: c_int = {int(header.macros[name])};\n")

    out.append("\n// Connection locations (plexauth_connect_options_set_locations bits)\n")
    for name in ("PLEXAUTH_LOCATION_LOCAL", "PLEXAUTH_LOCATION_REMOTE", "PLEXAUTH_LOCATION_RELAY"):
        out.append(f"pub const {name}: c_uint = {int(header.macros[name])};\n")

    out.append("\n// Enums: integer types plus constants (a Rust enum would be UB for a value a newer library adds).\n")
    for name, values in header.enums.items():
        signed = any(v < 0 for _, v in values)
        out.append(f"\npub type {name} = {'c_int' if signed else 'c_uint'};\n")
        for k, v in values:
            if k in status_docs:
                out.append(doc(status_docs[k]))
            out.append(f"pub const {k}: {name} = {v};\n")

    out.append("\n// Opaque handles\n")
    out.append("opaque!(\n" + "".join(f"    {o},\n" for o in header.opaque) + ");\n")

    out.append("\n// Callbacks\n")
    callbacks = [(n, r, p) for n, (r, p) in header.callbacks.items()] + list(inline.values())
    for name, ret, params in callbacks:
        args, res = fn_signature(params, ret, aliases)
        one = f'pub type {name} = Option<unsafe extern "C" fn({", ".join(args)}){res}>;'
        out.append(one + "\n" if len(one) <= 120 else
                   f'pub type {name} =\n    Option<unsafe extern "C" fn({", ".join(args)}){res}>;\n')

    out.append('\nextern "C" {\n')
    for f in header.functions:
        args, res = fn_signature(f.params, f.ret, aliases)
        out.append(wrap(f"pub fn {f.name}", args, res + ";", "    "))
    out.append("}\n")
    return "".join(out)


# ======================================================================= the safe crate's models


def field_name(model, f) -> str:
    return f.rust


def rust_field_type(f, models) -> str:
    scalar = {"str": "Option<String>", "json": "Option<String>", "int": "Option<i64>", "time": "Option<i64>",
              "bool": "Option<bool>", "strlist": "Vec<String>", "count": "usize"}
    if f.kind in scalar:
        return scalar[f.kind]
    sub = models[f.model].rust
    return {"obj": f"Option<{sub}>", "list": f"Vec<{sub}>", "inline": sub}[f.kind]


def read_fields(model, models, var: str, prefix: str, indent: str) -> List[str]:
    """`name: <expression>,` lines reading every field of `model` through the getters
    `<prefix><field>` on the pointer `var` (prefix: plexauth_<m>_, or plexauth_<m>_<inline>_)."""
    lines = []
    for f in model.fields:
        g = f"sys::{prefix}{f.c}"
        if f.kind in ("str", "json"):
            e = f"opt_string({g}({var}))"
        elif f.kind in ("int", "time"):
            e = f"opt_i64(|o| {g}({var}, o))"
        elif f.kind == "bool":
            e = f"opt_bool(|o| {g}({var}, o))"
        elif f.kind == "strlist":
            e = f"list({g}_count({var}), |i| opt_string({g}_at({var}, i)))"
        elif f.kind == "count":
            e = f"{g}_count({var})"
        elif f.kind == "obj":
            e = f"{models[f.model].rust}::from_raw({g}({var}))"
        elif f.kind == "list":
            e = f"list({g}_count({var}), |i| {models[f.model].rust}::from_raw({g}_at({var}, i)))"
        else:  # inline: the nested model read through the parent's getters
            sub = models[f.model]
            inner = read_fields(sub, models, var, f"{prefix}{f.c}_", indent + "    ")
            e = f"{sub.rust} {{\n" + "".join(inner) + f"{indent}}}"
        lines.append(field_line(indent, field_name(model, f), e))
    return lines


def field_line(indent: str, name: str, e: str) -> str:
    """`name: e,` in a struct literal, broken the way rustfmt breaks it when longer than 120 columns."""
    line = f"{indent}{name}: {e},\n"
    if len(line) <= 121 or "\n" in e:
        return line
    closure = re.fullmatch(r"(\w+\((?:[^|]*, )?\|\w\| )(.*)\)", e)
    if closure:
        return f"{indent}{name}: {closure.group(1)}{{\n{indent}    {closure.group(2)}\n{indent}}}),\n"
    call = re.fullmatch(r"(\w+)\((.*)\)", e)
    assert call, e
    return f"{indent}{name}: {call.group(1)}(\n{indent}    {call.group(2)},\n{indent}),\n"


def const_line(head: str, value: str) -> str:
    """`    const HEAD = value;` on one line when it fits, else broken after `=`."""
    line = f"    {head} = {value};"
    return line + "\n" if len(line) <= 120 else f"    {head} =\n        {value};\n"


def debug_impl(model, result: bool) -> str:
    rows = []
    for f in model.fields:
        n = field_name(model, f)
        if f.secret:
            assert f.kind == "str", f"{model.name}.{f.wire}: only string secrets are hidden by redacted()"
            rows.append(f'            .field("{n}", &redacted(&self.{n}))\n')
        else:
            rows.append(f'            .field("{n}", &self.{n})\n')
    if result:
        rows.append('            .field("response", &self.response)\n')
    return (f"impl fmt::Debug for {model.rust} {{\n"
            "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n"
            f'        f.debug_struct("{model.rust}")\n' + "".join(rows) + "            .finish()\n    }\n}\n")


def handle_models(api) -> List[str]:
    """Models with a C handle: results and the targets of obj/list fields."""
    names = {op.result for op in api.OPERATIONS if op.result}
    for m in api.MODELS:
        names.update(f.model for f in m.fields if f.kind in ("obj", "list"))
    return [m.name for m in api.MODELS if m.name in names]


def results_of(api) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for op in api.OPERATIONS:
        if op.result:
            found.setdefault(op.result, []).append(op.name)
    return found


def models_gen(api) -> str:
    models = {m.name: m for m in api.MODELS}
    results = results_of(api)
    handles = handle_models(api)
    out = [banner("//") + "\n",
           "//! The result models of api.MODELS. Fields are copied out of the C result through its typed\n"
           "//! getters; a result keeps its C object (shared by clones) for what is read on demand: the\n"
           "//! response's headers and body and the JSON (docs/performance.md). `Debug` hides secrets.\n\n",
           "use std::borrow::Cow;\nuse std::fmt;\nuse std::os::raw::c_char;\nuse std::sync::Arc;\n\n"
           "use plexauth_sys as sys;\n\n",
           "use crate::models::{redacted, CResult, Kept, RawResponse};\n",
           "use crate::util::{list, opt_bool, opt_i64, opt_string, Owned};\n"]
    for m in api.MODELS:
        ops = results.get(m.name, [])
        derive = "#[derive(Clone, PartialEq, Eq)]\n#[non_exhaustive]\n"
        head = doc(m.doc + (" Returned by " + ", ".join(f"`{o}`" for o in ops) + "." if ops else ""))
        body = []
        if ops:
            body.append("    // First, as fields are dropped in order: freeing the library's result before the\n"
                        "    // strings below made the next call cheaper (docs/performance.md).\n"
                        "    /// The HTTP response.\n    pub response: RawResponse,\n"
                        f"    raw: Arc<Kept<sys::plexauth_{m.c}>>,\n")
        for f in m.fields:
            body.append(doc(f"`{f.wire}`: {f.doc}" + (" Hidden by `Debug`." if f.secret else ""), "    "))
            body.append(f"    pub {field_name(m, f)}: {rust_field_type(f, models)},\n")
        out.append(f"\n{head}{derive}pub struct {m.rust} {{\n" + "".join(body) + "}\n\n")
        out.append(debug_impl(m, bool(ops)))

        if ops:
            reads = read_fields(m, models, "m", f"plexauth_{m.c}_", "                ")
            out.append(f"""
impl CResult for sys::plexauth_{m.c} {{
{const_line('const FREE: unsafe extern "C" fn(*mut Self)', f"sys::plexauth_{m.c}_free")}\
{const_line('const RESPONSE: unsafe extern "C" fn(*const Self) -> *const sys::plexauth_response',
            f"sys::plexauth_{m.c}_response")}\
{const_line('const JSON: unsafe extern "C" fn(*const Self, *mut usize) -> *const c_char', f"sys::plexauth_{m.c}_json")}\
}}

impl {m.rust} {{
    /// The parsed result as compact JSON with the wire names (absent fields left out, null kept),
    /// as given by `plexauth_{m.c}_json`: serialised by the library on the first call and kept
    /// for later calls and for clones. Empty if the library ran out of memory building it.
    pub fn json(&self) -> Cow<'_, str> {{
        String::from_utf8_lossy(self.raw.json())
    }}

    /// # Safety
    /// `owned` holds a valid result.
    pub(crate) unsafe fn from_raw(owned: Owned<sys::plexauth_{m.c}>) -> {m.rust} {{
        let kept = Kept::new(owned);
        let m = kept.ptr();
        // SAFETY: `m` is valid (caller) and kept alive in `raw`; nested objects and strings are
        // borrowed from it and copied here.
        unsafe {{
            {m.rust} {{
{"".join(reads)}                response: kept.response(),
                raw: kept,
            }}
        }}
    }}
}}
""")
        elif m.name in handles:
            reads = read_fields(m, models, "p", f"plexauth_{m.c}_", "                ")
            out.append(f"""
impl {m.rust} {{
    /// # Safety
    /// `p` is NULL or a valid `plexauth_{m.c}` that outlives the call.
    unsafe fn from_raw(p: *const sys::plexauth_{m.c}) -> Option<{m.rust}> {{
        if p.is_null() {{
            return None;
        }}
        // SAFETY: `p` is valid (caller); strings are copied.
        unsafe {{
            Some({m.rust} {{
{"".join(reads)}            }})
        }}
    }}
}}
""")
    return "".join(out)


# ======================================================================= operations


def kind_variant(status) -> str:
    """The ErrorKind variant of a status (PLEXAUTH_E_TWO_FACTOR_REQUIRED -> TwoFactorRequired)."""
    return pascal(status.c[2:].lower() if status.c.startswith("E_") else status.c.lower())


def param_optional(p) -> bool:
    """The caller may leave it out (None, or false for a bool): the library's default or nothing sent."""
    return not (p.required and p.default is None)


def operation_params(op) -> List:
    """The C entry point's parameters after `client`, in its order: path, query, body."""
    return list(op.path_params) + list(op.query) + list(op.body_params)


def operation_doc(api, op) -> str:
    """The plain method's doc: the request line, what it does, the token, the errors of its own."""
    what = f"`{op.method} {HOSTS[op.host]}{op.path}`: {op.doc}"
    if op.token == "send":
        what += " Sends X-Plex-Token."
    elif "X-Plex-Token" not in op.doc:
        what += " Never sends X-Plex-Token."
    if op.result is None:
        what += f" Success is HTTP {op.success} without a body: `Ok(())`."
    statuses = {s.name: s for s in api.STATUSES}
    for code, (status, http, _message) in sorted(op.plex_codes.items()):
        v = kind_variant(statuses[status])
        what += (f" {'HTTP ' + str(http) if http else 'A 4XX'} with Plex code {code} fails with "
                 f"[`ErrorKind::{v}`](crate::ErrorKind::{v}).")
    if op.retry == "no_4xx":
        what += " Never retried after a 4XX."
    return what


def rust_words(text: str) -> str:
    """A parameter's doc (written for C) in Rust's words: NULL is None, non-zero is true; a quoted
    example with <placeholders> becomes code (rustdoc would take it for an HTML tag)."""
    text = re.sub(r"^Non-zero:", "true:", text).replace("NULL", "None")
    return re.sub(r'"([^"`]*[<>][^"`]*)"', r'`"\1"`', text)


def with_doc(op, params: List) -> str:
    """The `_with` method's doc: the plain method's link, what each optional argument defaults to,
    and every argument's description (secrets say how they are handled)."""
    optional = []
    for p in params:
        if not param_optional(p):
            continue
        if p.default is not None:
            optional.append(f"`{ident(p.c)}` (None: \"{p.default}\")")
        elif p.kind == "bool":
            optional.append(f"`{ident(p.c)}` (false: not sent)")
        else:
            optional.append(f"`{ident(p.c)}` (None: not sent)")
    text = f"[`{op.rust}`](Self::{op.rust}) with " + (
        "explicit " + ", ".join(optional) + " and " if optional else "") + "call options."
    rows = []
    for p in params:
        row = f"`{ident(p.c)}`: {rust_words(p.doc)}"
        if p.secret:
            row += " A secret: copied into a buffer wiped after the call, never shown in messages or logs."
        rows.append(row)
    return text + ("\n\n" + "\n".join(f"- {r}" for r in rows) if rows else "")


def operations_gen(api) -> str:
    models = {m.name: m for m in api.MODELS}
    uses = set()
    methods = []
    for op in api.OPERATIONS:
        if op.request:
            continue  # a request object: written by hand in client.rs (sign_in)
        params = operation_params(op)
        plain = [p for p in params if not param_optional(p)]
        sig_all, sig_plain, conv, call = [], [], [], []
        for p in params:
            name = ident(p.c)
            optional = param_optional(p)
            if p.kind == "str":
                ty = "Option<&str>" if optional else "&str"
                if p.secret:
                    uses.add("SecretCString")
                    if optional:
                        uses.add("opt_secret_ptr")
                        conv.append(f"        let {name} = {name}.map(|v| SecretCString::new(\"{p.c}\", v))"
                                    ".transpose()?;\n")
                        call.append(f"opt_secret_ptr(&{name})")
                    else:
                        conv.append(f"        let {name} = SecretCString::new(\"{p.c}\", {name})?;\n")
                        call.append(f"{name}.as_ptr()")
                elif optional:
                    uses.update(("cstring", "opt_ptr"))
                    conv.append(f"        let {name} = {name}.map(|v| cstring(\"{p.c}\", v)).transpose()?;\n")
                    call.append(f"opt_ptr(&{name})")
                else:
                    uses.add("cstring")
                    conv.append(f"        let {name} = cstring(\"{p.c}\", {name})?;\n")
                    call.append(f"{name}.as_ptr()")
            elif p.kind == "int":
                if optional:
                    raise SystemExit(f"emit_rust: {op.name}.{p.wire}: an optional int parameter has no C form")
                ty = "i64"
                call.append(name)
            elif p.kind == "bool":
                ty = "bool"
                call.append(f"std::os::raw::c_int::from({name})")
            else:
                raise SystemExit(f"emit_rust: {op.name}.{p.wire}: parameter kind {p.kind}")
            sig_all.append(f"{name}: {ty}")
            if p in plain:
                sig_plain.append(f"{name}: {ty}")
        args_plain = ["&self"] + sig_plain
        args_with = ["&self"] + sig_all + ["opts: &CallOptions"]
        pass_plain = ", ".join([ident(p.c) if p in plain else ("false" if p.kind == "bool" else "None")
                                for p in params] + ["&CallOptions::default()"])
        if op.result is None:
            ret = "()"
            c_call = wrap(f"sys::plexauth_client_{op.name}", ["client"] + call + ["o", "err"], "", " " * 16)
            run = f"""        self.run_no_result(
            opts,
            // SAFETY: every pointer is valid for the call; strings are copied by the library.
            |client, o, err| unsafe {{
{c_call}            }},
        )
"""
        else:
            m = models[op.result]
            uses.add(m.rust)
            ret = m.rust
            c_call = wrap(f"sys::plexauth_client_{op.name}", ["out", "client"] + call + ["o", "err"], "",
                          " " * 16)
            run = f"""        self.run(
            opts,
            // SAFETY: every pointer is valid for the call; strings are copied by the library.
            |out, client, o, err| unsafe {{
{c_call}            }},
            {m.rust}::from_raw,
        )
"""
        # The non-blocking twins: the same conversions (a failure is a ready future), then
        # plexauth_client_<op>_start; the future's poll runs _finish.
        conv_async = [re.sub(r"let (\w+) = (.*)\?;\n", r"let \1 = try_start!(\2);\n", c) for c in conv]
        if op.result is None:
            finish = f"finish_no_result(sys::plexauth_client_{op.name}_finish)"
        else:
            finish = f"finish_result(sys::plexauth_client_{op.name}_finish, {ret}::from_raw)"
        c_start = wrap(f"sys::plexauth_client_{op.name}_start", ["call", "client"] + call + ["o", "l", "done", "ud", "err"],
                       "", " " * 16)
        start = f"""        self.start_call(
            opts,
            // SAFETY: every pointer is valid for the call; the arguments are copied by the library.
            |call, client, o, l, done, ud, err| unsafe {{
{c_start}            }},
            {finish},
        )
"""
        pass_async = pass_plain
        async_doc = (f"[`{op.rust}`](Self::{op.rust}), non-blocking: a [`CallFuture`] run on the client's loop "
                     "(any async runtime); dropping it cancels the call.")
        with_async_doc = (f"[`{op.rust}_with`](Self::{op.rust}_with), non-blocking: a [`CallFuture`] run on the "
                          "loop of [`CallOptions::on_loop`] or the client's own; dropping it cancels the call.")
        fut = f"CallFuture<'_, {ret}>"
        methods.append(f"""
{doc(operation_doc(api, op), "    ")}{wrap(f"pub fn {op.rust}", args_plain, f" -> Result<{ret}> {{", "    ")}\
        self.{op.rust}_with({pass_plain})
    }}

{doc(with_doc(op, params), "    ")}{wrap(f"pub fn {op.rust}_with", args_with, f" -> Result<{ret}> {{", "    ")}\
{"".join(conv)}{run}    }}

{doc(async_doc, "    ")}{wrap(f"pub fn {op.rust}_async", args_plain, f" -> {fut} {{", "    ")}\
        self.{op.rust}_with_async({pass_async})
    }}

{doc(with_async_doc, "    ")}{wrap(f"pub fn {op.rust}_with_async", args_with, f" -> {fut} {{", "    ")}\
{"".join(conv_async)}{start}    }}
""")
    code = "".join(methods)
    helper_names = ("SecretCString", "cstring", "opt_ptr", "opt_secret_ptr")
    helpers = ", ".join(sorted((u for u in uses if u in helper_names), key=lambda u: (not u[0].islower(), u)))
    model_uses = ", ".join(sorted(u for u in uses if u not in helper_names))
    return (banner("//") + "\n"
            "//! The client methods of every operation in api.OPERATIONS that takes plain arguments (an\n"
            "//! operation with a request object, i.e. sign-in, is written in client.rs).\n\n"
            + "use plexauth_sys as sys;\n\n"
            "use crate::client::Client;\nuse crate::error::Result;\n"
            "use crate::future::{finish_no_result, finish_result, try_start, CallFuture};\n"
            + (f"use crate::models_gen::{{{model_uses}}};\n" if model_uses else "")
            + "use crate::options::CallOptions;\n"
            + (f"use crate::util::{{{helpers}}};\n" if helpers else "")
            + "\nimpl Client {" + code.rstrip("\n") + "\n}\n")


# ======================================================================= statuses


def error_kind_gen(api) -> str:
    kinds = [(kind_variant(s), s) for s in api.STATUSES if s.value]
    variants = "".join(doc(s.doc, "    ") + f"    {v},\n" for v, s in kinds)
    from_code = "".join(f"            {s.value} => ErrorKind::{v},\n" for v, s in kinds)
    to_code = "".join(f"            ErrorKind::{v} => {s.value},\n" for v, s in kinds)
    names = "".join(f'            ErrorKind::{v} => "{s.name}",\n' for v, s in kinds)
    return f"""{banner("//")}
//! [`ErrorKind`]: one variant per `plexauth_status` of api.STATUSES.

/// What went wrong: one variant per C status code (`plexauth_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {{
{variants}    /// A status this binding does not know yet (from a newer library).
    Unknown(i32),
}}

impl ErrorKind {{
    /// The kind for a C status code (anything unknown, and 0, is `Unknown`).
    pub fn from_code(code: i32) -> ErrorKind {{
        match code {{
{from_code}            other => ErrorKind::Unknown(other),
        }}
    }}

    /// The C status code (`PLEXAUTH_E_*`).
    pub fn code(self) -> i32 {{
        match self {{
{to_code}            ErrorKind::Unknown(code) => code,
        }}
    }}

    /// The stable snake_case name, the same as `plexauth_status_name()`
    /// ("unauthorized", "two_factor_required", "http_error", ...).
    pub fn name(self) -> &'static str {{
        match self {{
{names}            ErrorKind::Unknown(_) => "unknown",
        }}
    }}
}}
"""


# ======================================================================= identity


def identity_gen(api) -> str:
    ids = api.IDENTITY
    n = len(ids)
    fields = "".join(f"    /// `{i.header}`.\n    pub(crate) {i.c}: Option<String>,\n" for i in ids)
    empty = "\n            && ".join(f"self.{i.c}.is_none()" for i in ids)
    pairs = "".join(f'            ("{i.c}", &self.{i.c}),\n' for i in ids)
    objects = [("config", "the client configuration"), ("call_options", "per-call options")] + [
        (op.request, f"the {op.name} request") for op in api.OPERATIONS if op.request and op.identity_override]
    consts = "".join(
        f"\n/// The identity setters of {what}, in api.IDENTITY's order.\n"
        f"pub(crate) const {obj.upper()}_SETTERS: [StrSetter<sys::plexauth_{obj}>; {n}] = [\n"
        + "".join(f"    sys::plexauth_{obj}_set_{i.c},\n" for i in ids) + "];\n" for obj, what in objects)
    setters = "".join(f"""        #[doc = concat!("`{i.header}`", $scope, ": {i.doc.replace('"', chr(92) + '"')}")]
        pub fn {i.c}(mut self, value: impl Into<String>) -> Self {{
            self.identity.{i.c} = Some(value.into());
            self
        }}
""" for i in ids)
    return f"""{banner("//")}
//! The client identity settings of api.IDENTITY: [`Identity`], the C setters of each object that
//! takes them, and the builder methods (`identity_setters!`) of ClientBuilder, CallOptions, SignIn.

use plexauth_sys as sys;

use crate::error::Result;
use crate::util::{{set_opt_str, StrSetter}};

/// Identity headers, set on the client or overridden per call or per sign-in.
#[derive(Clone, Debug, Default)]
pub(crate) struct Identity {{
{fields}}}

impl Identity {{
    /// Whether no setting is set.
    pub(crate) fn is_empty(&self) -> bool {{
        {empty}
    }}

    /// Calls `setters` (one of the `*_SETTERS` below) for the settings that are set.
    pub(crate) fn apply<T>(&self, obj: *mut T, setters: [StrSetter<T>; {n}]) -> Result<()> {{
        let fields = [
{pairs}        ];
        for ((what, value), setter) in fields.into_iter().zip(setters) {{
            set_opt_str(obj, what, value.as_deref(), setter)?;
        }}
        Ok(())
    }}
}}
{consts}
/// The identity builder methods, for a builder with an `identity: Identity` field; `$scope` ends the
/// first words of each method's doc (e.g. " for this call").
macro_rules! identity_setters {{
    ($scope:literal) => {{
{setters}    }};
}}

pub(crate) use identity_setters;
"""


# ======================================================================= test support


def test_values_gen(api) -> str:
    models = {m.name: m for m in api.MODELS}
    out = [banner("//") + "\n",
           "//! Each model as a serde_json::Value keyed by wire name (times as Unix seconds, json fields\n"
           "//! parsed, counts as numbers), for the every-field fixture test; plus which fields are secret.\n",
           "#![allow(dead_code)]\n\nuse serde_json::{json, Map, Value};\n\n"]

    def value_expr(f, acc: str) -> str:
        if f.kind in ("str", "int", "time", "bool", "count", "strlist"):
            return f"json!({acc})"
        if f.kind == "json":
            return f"{acc}.as_deref().map_or(Value::Null, |t| serde_json::from_str(t).expect(\"json field\"))"
        sub = models[f.model].c
        if f.kind == "obj":
            return f"{acc}.as_ref().map_or(Value::Null, {sub}_value)"
        if f.kind == "list":
            return f"Value::Array({acc}.iter().map({sub}_value).collect())"
        return f"{sub}_value(&{acc})"

    for m in api.MODELS:
        rows = "".join(f'    v.insert("{f.wire}".into(), {value_expr(f, "m." + field_name(m, f))});\n'
                       for f in m.fields)
        out.append(f"pub fn {m.c}_value(m: &plexauth::{m.rust}) -> Value {{\n"
                   f"    let mut v = Map::new();\n{rows}    Value::Object(v)\n}}\n\n")
    secrets = [(m.name, f.wire) for m in api.MODELS for f in m.fields if f.secret]
    out.append("/// (model, wire name) of every secret field.\npub const SECRETS: &[(&str, &str)] = &[\n" +
               "".join(f'    ("{a}", "{b}"),\n' for a, b in secrets) + "];\n\n")
    out.append("/// Calls `operation` (with placeholder arguments) and gives its result's value, JSON and Debug.\n"
               "pub fn call(client: &plexauth::Client, operation: &str) -> Result<(Value, String, String), "
               "plexauth::Error> {\n    match operation {\n")
    for op in api.OPERATIONS:
        if op.request or not op.result:
            continue
        params = list(op.path_params) + list(op.query) + list(op.body_params)
        args = ", ".join('"x"' if p.kind == "str" else ("1" if p.kind == "int" else "true")
                         for p in params if p.required and p.default is None)
        m = models[op.result]
        out.append(f'        "{op.name}" => client.{op.rust}({args}).map(|r| '
                   f"({m.c}_value(&r), r.json().into_owned(), format!(\"{{r:?}}\"))),\n")
    out.append('        other => panic!("no generated call for the operation {other}"),\n    }\n}\n')
    return "".join(out)


# ======================================================================= Cargo


def workspace_toml(version: str) -> str:
    return f"""{banner("#")}
# (the version comes from CMakeLists.txt; edit the rest in codegen/emit_rust.py)
[workspace]
resolver = "2"
members = ["plexauth-sys", "plexauth"]

[workspace.package]
version = "{version}"
edition = "2021"
rust-version = "1.77"
publish = false

[workspace.dependencies]
plexauth-sys = {{ path = "plexauth-sys", version = "{version}" }}

[workspace.lints.rust]
unsafe_op_in_unsafe_fn = "deny"
missing_docs = "warn"
"""


# ======================================================================= entry point


def required_functions(api) -> List[str]:
    """Every C function the generated safe code calls (README naming rules)."""
    models = {m.name: m for m in api.MODELS}
    names: List[str] = []

    def walk(m, prefix: str) -> None:
        for f in m.fields:
            g = prefix + f.c
            if f.kind in ("strlist", "list"):
                names.extend([g + "_count", g + "_at"])
            elif f.kind == "count":
                names.append(g + "_count")
            elif f.kind == "inline":
                walk(models[f.model], g + "_")
            else:
                names.append(g)
            if f.kind in ("obj", "list"):
                walk(models[f.model], f"plexauth_{models[f.model].c}_")

    for name in results_of(api):
        m = models[name]
        names.extend(f"plexauth_{m.c}_{x}" for x in ("free", "response", "json"))
        walk(m, f"plexauth_{m.c}_")
    names.extend(f"plexauth_client_{op.name}" for op in api.OPERATIONS)
    return names


def outputs(api, ctx) -> Dict[str, str]:
    header = ctx.header()
    missing = sorted(set(n for n in required_functions(api) if cheader.find(header, n) is None))
    if missing:
        raise SystemExit("emit_rust: the header lacks functions the Rust models call: " + ", ".join(missing))
    return {
        RUST + "Cargo.toml": workspace_toml(ctx.version),
        RUST + "plexauth-sys/src/generated.rs": sys_generated(api, header),
        RUST + "plexauth/src/models_gen.rs": models_gen(api),
        RUST + "plexauth/src/operations_gen.rs": operations_gen(api),
        RUST + "plexauth/src/error_kind_gen.rs": error_kind_gen(api),
        RUST + "plexauth/src/identity_gen.rs": identity_gen(api),
        RUST + "plexauth/tests/generated/mod.rs": test_values_gen(api),
    }

