"""The C and C++ side: core tables, the header's generated sections, the C
entry points and getters, the CLI's operation table, the bad-input sweep
table and the every-field fixture."""

from __future__ import annotations

import datetime
import json
import re
import zlib
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from generate import banner
from schema import Field, Model, Operation, camel, pascal

HEADER = "include/plexauth/plexauth.h"


# ----------------------------------------------------------------------- helpers


def models_by_name(api) -> Dict[str, Model]:
    return {m.name: m for m in api.MODELS}


def result_models(api) -> List[Model]:
    """Models that are an operation's result (they own a handle with free/response/json), in order."""
    by = models_by_name(api)
    seen: List[Model] = []
    for op in api.OPERATIONS:
        if op.result and by[op.result] not in seen:
            seen.append(by[op.result])
    return seen


def handle_models(api) -> List[Model]:
    """Every model with a C handle: results and the models reached through obj/list fields."""
    out: List[Model] = []
    for root in result_models(api):
        out += [m for m in handle_models_of(api, root) if m not in out]
    return out


def _wrap(text: str, width: int) -> List[str]:
    words = text.split()
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    if cur:
        lines.append(cur)
    return lines


def c_comment(text: str, indent: str = "", params: Sequence[Tuple[str, str, str]] = (),
              ret: str = "") -> str:
    """A Doxygen /** ... */ comment wrapped at 100 columns: the text (its first sentence is the
    brief), then `@param[dir] name doc` for each (dir, name, doc) of `params` (dir "" when the
    function only reads it, "out" when it writes through it) and `@return ret`."""
    width = 96 - len(indent)
    lines = _wrap(text, width)
    if not params and not ret and len(lines) == 1 and len(lines[0]) < width - 4:
        return f"{indent}/** {lines[0]} */"
    tags: List[str] = []
    for d, name, doc in params:
        tag = f"@param[{d}] {name}" if d else f"@param {name}"
        wrapped = _wrap(f"{tag} {doc}", width)
        tags += wrapped[:1] + ["  " + line for line in _wrap(" ".join(wrapped[1:]), width - 2)]
    if ret:
        wrapped = _wrap(f"@return {ret}", width)
        tags += wrapped[:1] + ["  " + line for line in _wrap(" ".join(wrapped[1:]), width - 2)]
    body = lines + ([""] + tags if tags else [])
    return "\n".join([f"{indent}/**"] + [f"{indent} * {line}".rstrip() for line in body] + [f"{indent} */"])


def replace_section(text: str, name: str, body: str) -> str:
    begin = f"/* BEGIN GENERATED: {name} (codegen/generate.py; edit codegen/api.py) */"
    end = f"/* END GENERATED: {name} */"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{HEADER}: no generated section '{name}'")
    return pattern.sub(lambda _: begin + "\n" + body.rstrip("\n") + "\n" + end, text, count=1)


# ----------------------------------------------------------------------- getters


class Getter:
    """One generated C function: its prototype, doc and C++ definition."""

    def __init__(self, ret: str, name: str, params: str, doc: str, body: str,
                 pdocs: Sequence[Tuple[str, str, str]] = (), rdoc: str = "") -> None:
        self.ret, self.name, self.params, self.doc, self.body = ret, name, params, doc, body
        self.pdocs, self.rdoc = pdocs, rdoc

    def comment(self) -> str:
        return c_comment(self.doc, params=self.pdocs, ret=self.rdoc)

    def prototype(self) -> str:
        sep = "" if self.ret.endswith("*") else " "
        return f"PLEXAUTH_API {self.ret}{sep}{self.name}({self.params});"

    def definition(self) -> str:
        sep = "" if self.ret.endswith("*") else " "
        return f"{self.ret}{sep}{self.name}({self.params}) {{\n{self.body}\n}}"


def field_getters(api, model: Model, handle: str, prefix: str, access: str) -> Iterator[Getter]:
    """Getters of `model`'s fields, read from a `const handle *h` through `access` (a C++
    expression of h giving `const plexauth::Model *` or nullptr)."""
    by = models_by_name(api)
    h = f"const {handle} *h"
    acc = f"  const auto *o = {access};"
    owner = f"The {model.name} (borrowed; NULL gives the absent answer)."
    ph = [("", "h", owner)]
    pout = ph + [("out", "out", "Receives the value when present; untouched otherwise. NULL gives 0.")]
    pidx = ph + [("", "index", "0 .. count - 1.")]
    for f in model.fields:
        name = prefix + f.c
        wire = f.wire
        doc = f"{wire}: {f.doc}"
        m = f.member
        if f.kind in ("str", "json"):
            what = "compact JSON text" if f.kind == "json" else "the value"
            yield Getter("const char *", name, h, doc, f"{acc}\n  return o ? str(o->{m}) : nullptr;",
                         ph, f"{what[0].upper() + what[1:]}, borrowed from h; NULL when absent or null.")
        elif f.kind in ("int", "time"):
            yield Getter("int", name, f"{h}, int64_t *out", doc, f"{acc}\n  return o ? put(o->{m}, out) : 0;",
                         pout, "1 when present (and *out written), else 0.")
        elif f.kind == "bool":
            yield Getter("int", name, f"{h}, int *out", doc, f"{acc}\n  return o ? put(o->{m}, out) : 0;",
                         pout[:1] + [("out", "out", "Receives 0 or 1 when present; untouched otherwise.")],
                         "1 when present (and *out written), else 0.")
        elif f.kind == "count":
            yield Getter("size_t", name + "_count", h, doc, f"{acc}\n  return o && o->{m} ? *o->{m} : 0;",
                         ph, "The number of entries (0 when absent).")
        elif f.kind == "strlist":
            yield Getter("size_t", name + "_count", h, doc, f"{acc}\n  return o ? count_of(o->{m}) : 0;",
                         ph, "The number of entries (0 when absent).")
            yield Getter("const char *", name + "_at", f"{h}, size_t index", f"{wire}[index].",
                         f"{acc}\n  const std::string *s = o ? item_at(o->{m}, index) : nullptr;\n"
                         "  return s ? s->c_str() : nullptr;",
                         pidx, "The entry, borrowed from h; NULL when out of range.")
        elif f.kind == "list":
            sub = by[f.model]
            yield Getter("size_t", name + "_count", h, doc, f"{acc}\n  return o ? count_of(o->{m}) : 0;",
                         ph, "The number of entries (0 when absent).")
            yield Getter(f"const plexauth_{sub.c} *", name + "_at", f"{h}, size_t index",
                         f"{wire}[index].",
                         f"{acc}\n  const plexauth::{sub.name} *item = o ? item_at(o->{m}, index) : nullptr;\n"
                         "  return item ? to_handle(item) : nullptr;",
                         pidx, "The entry, borrowed from h (do not free it); NULL when out of range.")
        elif f.kind == "obj":
            sub = by[f.model]
            yield Getter(f"const plexauth_{sub.c} *", name, h, doc,
                         f"{acc}\n  return o && o->{m} ? to_handle(&*o->{m}) : nullptr;",
                         ph, "The object, borrowed from h (do not free it); NULL when absent.")
        elif f.kind == "inline":
            sub = by[f.model]
            inner = f"inline_of({access}, &plexauth::{model.name}::{m})"
            yield from field_getters(api, sub, handle, name + "_", inner)


def all_getters(api) -> List[Tuple[Model, List[Getter]]]:
    results = result_models(api)
    out = []
    for m in handle_models(api):
        access = "h ? &h->value : nullptr" if m in results else f"from_handle<plexauth::{m.name}>(h)"
        out.append((m, list(field_getters(api, m, f"plexauth_{m.c}", f"plexauth_{m.c}_", access))))
    return out


# ----------------------------------------------------------------------- operations


def c_param_type(kind: str) -> str:
    return {"str": "const char *", "int": "int64_t ", "bool": "int "}[kind]


def op_params(op: Operation) -> List[Tuple[str, str]]:
    """(C type, name) of an operation's caller parameters between client and opts."""
    if op.request:
        return [(f"const plexauth_{op.request} *", "req")]
    params = list(op.path_params) + list(op.query) + list(op.body_params)
    return [(c_param_type(p.kind), p.c) for p in params]


def op_signature(op: Operation, by: Dict[str, Model]) -> Tuple[str, str]:
    parts = []
    if op.result:
        parts.append(f"plexauth_{by[op.result].c} **out")
    parts.append("plexauth_client *client")
    parts += [f"{t}{n}" for t, n in op_params(op)]
    parts += ["const plexauth_call_options *opts", "plexauth_error **err"]
    return f"plexauth_client_{op.name}", ", ".join(parts)


def start_signature(op: Operation) -> Tuple[str, str]:
    parts = ["plexauth_call **call", "plexauth_client *client"]
    parts += [f"{t}{n}" for t, n in op_params(op)]
    parts += ["const plexauth_call_options *opts", "plexauth_loop *loop", "plexauth_call_done_fn done",
              "void *user_data", "plexauth_error **err"]
    return f"plexauth_client_{op.name}_start", ", ".join(parts)


def finish_signature(op: Operation, by: Dict[str, Model]) -> Tuple[str, str]:
    parts = []
    if op.result:
        parts.append(f"plexauth_{by[op.result].c} **out")
    parts += ["plexauth_call *call", "plexauth_error **err"]
    return f"plexauth_client_{op.name}_finish", ", ".join(parts)


def start_doc(op: Operation, api) -> Tuple[str, List[Tuple[str, str, str]], str]:
    """The comment of an operation's non-blocking start: its parameters are the blocking call's."""
    text = (f"Non-blocking plexauth_client_{op.name}(): checks the arguments (errors are returned at once), "
            f"queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once "
            f"when it completes. Take the outcome with plexauth_client_{op.name}_finish(). The arguments are "
            f"copied: they may be freed on return. Any thread.")
    _text, blocking, _ret = op_doc(op, api)
    params: List[Tuple[str, str, str]] = [
        ("out", "call", "Receives the pending call on success (free it with plexauth_call_free()), NULL otherwise.")]
    params += [p for p in blocking if p[1] not in ("out", "err")]
    params += [("", "loop", "The loop to run on, or NULL for the client's own (a thread-mode loop made on first "
                            "use)."),
               ("", "done", "Called once on completion (see plexauth_call_done_fn), or NULL."),
               ("", "user_data", "Passed to done."),
               ("out", "err", "Receives an owned error when the call could not be started, NULL otherwise; may "
                              "be NULL.")]
    return text, params, "PLEXAUTH_OK when the call was started, or why it was not."


def finish_doc(op: Operation, by: Dict[str, Model]) -> Tuple[str, List[Tuple[str, str, str]], str]:
    """The comment of an operation's non-blocking finish."""
    text = (f"The outcome of a completed call made by plexauth_client_{op.name}_start(): the status "
            f"plexauth_client_{op.name}() would have returned, with *err set likewise. Any thread.")
    params: List[Tuple[str, str, str]] = []
    if op.result:
        params.append(("out", "out", f"Receives the result on success, once (free it with "
                                     f"plexauth_{by[op.result].c}_free()); NULL otherwise."))
    params += [("", "call", "The completed call (not NULL)."),
               ("out", "err", "Receives an owned error on failure, NULL on success; may be NULL.")]
    ret = ("The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for another "
           "operation, or its result was already taken.")
    return text, params, ret


def op_doc(op: Operation, api) -> Tuple[str, List[Tuple[str, str, str]], str]:
    """An operation's comment: text, parameter docs and return doc (for c_comment)."""
    host = {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}", "plex_tv_v1": "{plex.tv v1}"}[op.host]
    query = "&".join(f"{p.wire}={{{p.c}}}" for p in op.query)
    line = f"{op.method} {host}{op.path}{'?' + query if query else ''}"
    token = "with X-Plex-Token" if op.token == "send" else "without X-Plex-Token"
    text = f"{op.doc} {line} {token}; success is {op.success}"
    if op.success != 204:
        text += " application/json" + (" or XML" if op.xml else "") + \
            (" (or an empty body: every field absent)" if op.empty_ok else "")
    text += "."
    for code, (status, http, _msg) in op.plex_codes.items():
        where = f"HTTP {http}" if http else "any 4XX"
        text += f" {where} with Plex code {code} gives PLEXAUTH_E_{status.upper()}."
    if op.retry == "no_4xx":
        text += " Never retried after a 4XX."
    text += " Blocks until the call (with its retries) ends. Any thread: the client may be shared."
    params: List[Tuple[str, str, str]] = []
    by = models_by_name(api)
    if op.result:
        c = by[op.result].c
        params.append(("out", "out", f"Receives a new result on success (free it with plexauth_{c}_free()), "
                                     "NULL otherwise."))
    params.append(("", "client", "The client (not NULL)."))
    if op.request:
        params.append(("", "req", f"The request (not NULL); read, not kept."))
    else:
        for p in list(op.path_params) + list(op.query) + list(op.body_params):
            extra = []
            if p.default is not None:
                extra.append(f'NULL means "{p.default}"')
            elif p.required and p.kind == "str":
                extra.append("required")
            if p.non_empty:
                extra.append("must not be empty")
            if p.secret:
                extra.append("secret: wiped and redacted")
            if p.json_object:
                extra.append("a JSON object's text, sent as that object")
            params.append(("", p.c, p.doc + (f" ({', '.join(extra)})." if extra else "")))
    params.append(("", "opts", "Per-call options, or NULL for none."))
    params.append(("out", "err", "Receives an owned error on failure (free it with plexauth_error_free()), "
                                 "NULL on success; may be NULL."))
    ret = "PLEXAUTH_OK, or the failure's status (any status)."
    return text, params, ret


# ----------------------------------------------------------------------- header


def header_sections(api, ctx) -> Dict[str, str]:
    by = models_by_name(api)
    major, minor, patch = ctx.version.split(".")
    version = "\n".join([
        "/** The major version of this header. */",
        f"#define PLEXAUTH_VERSION_MAJOR {major}",
        "/** The minor version of this header (during 0.x, each minor may change the ABI). */",
        f"#define PLEXAUTH_VERSION_MINOR {minor}",
        "/** The patch version of this header. */",
        f"#define PLEXAUTH_VERSION_PATCH {patch}",
        "/** The version of this header as a string. */",
        f'#define PLEXAUTH_VERSION_STRING "{ctx.version}"',
    ])

    lines = [c_comment("The outcome of a call. Values are never renumbered or reused; new ones are appended, "
                       "so treat an unknown value as a failure."),
             "typedef enum plexauth_status {"]
    for i, s in enumerate(api.STATUSES):
        lines.append(c_comment(s.doc if s.value else "Success.", "  "))
        comma = "," if i + 1 < len(api.STATUSES) else ""
        lines.append(f"  {s.c_enum} = {s.value}{comma}")
    lines.append("} plexauth_status;")
    lines.append("/** The highest status this header knows (a newer library may return higher ones). */")
    lines.append(f"#define PLEXAUTH_STATUS_LAST {api.STATUSES[-1].c_enum}")
    lines.append("")
    names = ", ".join(f'"{s.name}"' for s in api.STATUSES)
    lines.append(c_comment(f"Stable snake_case name of a status: {names}. Thread-safe.",
                           params=[("", "status", "Any value.")],
                           ret='A static string; "unknown" for a value this library does not know.'))
    lines.append("PLEXAUTH_API const char *plexauth_status_name(plexauth_status status);")
    statuses = "\n".join(lines)

    def identity(handle: str, var: str, what: str) -> str:
        out = []
        for s in api.IDENTITY:
            out.append(c_comment(f"{s.header}{what}: {s.doc}",
                                 params=[("", var, f"The {handle.replace('_', ' ')} being built."),
                                         ("", "value", "UTF-8, copied; NULL clears the setting.")],
                                 ret=f"PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when {var} is NULL or the "
                                     "value is not valid UTF-8, holds a control character or is longer "
                                     "than 16 KiB."))
            out.append(f"PLEXAUTH_API plexauth_status plexauth_{handle}_set_{s.c}(plexauth_{handle} *{var}, "
                       "const char *value);")
        return "\n".join(out)

    ops: List[str] = []
    declared: set = set()
    getters = dict((m.name, g) for m, g in all_getters(api))
    for op in api.OPERATIONS:
        ops.append("/* " + "-" * 72 + " */")
        ops.append(f"/* {op.name:<72} */")
        ops.append("/* " + "-" * 72 + " */")
        ops.append("")
        pending = []
        if op.result:
            for m in handle_models_of(api, by[op.result]):
                if m.name not in declared:
                    declared.add(m.name)
                    pending.append(m)
            for m in pending:
                ops.append(c_comment(m.doc))
                ops.append(f"typedef struct plexauth_{m.c} plexauth_{m.c};")
            ops.append("")
        name, params = op_signature(op, by)
        text, pdocs, rdoc = op_doc(op, api)
        ops.append(c_comment(text, params=pdocs, ret=rdoc))
        ops.append(f"PLEXAUTH_API plexauth_status {name}({params});")
        name, params = start_signature(op)
        text, pdocs, rdoc = start_doc(op, api)
        ops.append(c_comment(text, params=pdocs, ret=rdoc))
        ops.append(f"PLEXAUTH_API plexauth_status {name}({params});")
        name, params = finish_signature(op, by)
        text, pdocs, rdoc = finish_doc(op, by)
        ops.append(c_comment(text, params=pdocs, ret=rdoc))
        ops.append(f"PLEXAUTH_API plexauth_status {name}({params});")
        if op.result:
            res = by[op.result]
            if res in pending:
                c = res.c
                pr = [("", "r", "The result; NULL is accepted.")]
                ops.append(c_comment("Frees the result and everything borrowed from it. Not while another "
                                     "thread still reads it.", params=pr))
                ops.append(f"PLEXAUTH_API void plexauth_{c}_free(plexauth_{c} *r);")
                ops.append(c_comment("The HTTP response behind the result.", params=pr,
                                     ret="The response, borrowed from r; NULL when r is NULL."))
                ops.append(f"PLEXAUTH_API const plexauth_response *plexauth_{c}_response(const plexauth_{c} *r);")
                ops.append(c_comment("The parsed result as compact JSON with the wire names (known fields only; "
                                     "absent fields left out, null kept, times as Unix seconds). Made on first "
                                     "use; any thread.",
                                     params=pr + [("out", "len", "Receives the length; may be NULL.")],
                                     ret="The JSON text, borrowed from r; NULL only when r is NULL or memory "
                                         "ran out."))
                ops.append(f"PLEXAUTH_API const char *plexauth_{c}_json(const plexauth_{c} *r, size_t *len);")
            for m in pending:
                ops.append("")
                ops.append(f"/* {m.name} (plexauth_{m.c}) */")
                for g in getters[m.name]:
                    ops.append(g.comment())
                    ops.append(g.prototype())
        ops.append("")
    return {
        "version": version,
        "statuses": statuses,
        "config identity": identity("config", "cfg", ""),
        "call options identity": identity("call_options", "opts", " for this call (beats the client's)"),
        "sign-in identity": identity("sign_in", "req", " for this sign-in (beats the call's and the client's)"),
        "operations": "\n".join(ops),
    }


def handle_models_of(api, root: Model) -> List[Model]:
    """root and the handle models reachable from it, root first."""
    by = models_by_name(api)
    out: List[Model] = []

    def visit(m: Model) -> None:
        if m in out:
            return
        out.append(m)
        for f in m.fields:
            if f.kind in ("obj", "list"):
                visit(by[f.model])
            elif f.kind == "inline":
                for g in by[f.model].fields:
                    if g.kind in ("obj", "list"):
                        visit(by[g.model])

    visit(root)
    return out


# ----------------------------------------------------------------------- core tables


def status_h(api) -> str:
    rows = " \\\n".join(f'  X({s.core}, {s.value}, "{s.name}")' for s in api.STATUSES)
    return f"""{banner("//")}
// X(Core enumerator, value, snake_case name) of every plexauth_status.
#pragma once

#define PLEXAUTH_STATUSES(X) \\
{rows}
"""


def identity_h(api) -> str:
    rows = " \\\n".join(f'  X({s.c}, "{s.header}")' for s in api.IDENTITY)
    return f"""{banner("//")}
// X(member, "header") of every client identity setting, in header order.
#pragma once

#define PLEXAUTH_IDENTITY(X) \\
{rows}
"""


def fields_h(api) -> str:
    by = models_by_name(api)
    kinds = {"str": "Str", "int": "Int", "bool": "Bool", "time": "Time", "json": "Json", "strlist": "StrList",
             "count": "Count", "obj": "Obj", "list": "List", "inline": "Inline"}
    out = [banner("//"),
           "// The field lists of every model, as X-macros: X(KIND, TYPE, member, \"wireName\", REQUIRED).",
           "// models/fields.h turns them into structs; models.cpp into parsers and JSON writers.",
           "#pragma once", ""]
    for m in api.MODELS:
        out.append(f"// {m.name}: {m.doc}")
        rows = []
        for f in m.fields:
            t = f.model or "_"
            rows.append(f'  X({kinds[f.kind]}, {t}, {f.member}, "{f.wire}", {"true" if f.required else "false"})')
        out.append(f"#define {m.macro}(X) \\\n" + " \\\n".join(rows))
        out.append("")
    out.append("// Every model, nested ones first: X(Name, FIELDS).")
    out.append("#define PLEXAUTH_MODELS(X) \\\n" + " \\\n".join(f"  X({m.name}, {m.macro})" for m in api.MODELS))
    out.append("")
    out.append("// The models that are an operation's result: X(Name).")
    out.append("#define PLEXAUTH_RESULT_MODELS(X) \\\n" + " \\\n".join(f"  X({m.name})" for m in result_models(api)))
    out.append("")
    return "\n".join(out)


def operations_h(api) -> str:
    by_status = {s.name: s for s in api.STATUSES}
    out = [banner("//"),
           "// Every operation as data (core/operation.h describes the columns).",
           "#pragma once", "", '#include "core/operation.h"', "", "namespace plexauth::op {", ""]
    methods = {"GET": "Get", "POST": "Post", "PUT": "Put", "DELETE": "Delete"}
    hosts = {"pms": "Pms", "plex_tv": "PlexTv", "clients": "Clients", "plex_tv_v1": "PlexTvV1"}
    bodies = {"none": "None", "form": "Form", "json": "Json"}
    for op in api.OPERATIONS:
        k = "k" + pascal(op.name)
        codes = "nullptr"
        if op.plex_codes:
            rows = ", ".join(f'{{{code}, {http or 0}, Status::{by_status[st].core}, "{msg}"}}'
                             for code, (st, http, msg) in op.plex_codes.items())
            out.append(f"inline constexpr PlexCodeRule {k}Codes[] = {{{rows}}};")
            codes = f"{k}Codes"
        env = "nullptr"
        if op.envelope:
            out.append(f"inline constexpr const char *{k}Envelope[] = {{{', '.join(json.dumps(e) for e in op.envelope)}}};")
            env = f"{k}Envelope"
        b = lambda v: "true" if v else "false"  # noqa: E731
        out.append(
            f'inline constexpr Operation {k}{{"{op.name}", Method::{methods[op.method]}, Host::{hosts[op.host]}, '
            f'"{op.path}", {op.success}, /*sends_token=*/{b(op.token == "send")}, /*empty_ok=*/{b(op.empty_ok)}, '
            f'/*retry_rate_limited=*/{b(op.retry == "idempotent")}, Body::{bodies[op.body]}, {codes}, '
            f'{len(op.plex_codes)}, {env}, {len(op.envelope)}, /*envelope_array_first=*/{b(op.envelope_array_first)}, '
            f'/*xml=*/{b(op.xml)}' + (f', {json.dumps(op.root_list)}' if op.root_list else '') + '};')
        out.append("")
    out.append("}  // namespace plexauth::op")
    out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------- capi


def handles_h(api) -> str:
    out = [banner("//"),
           "// The C handle of every model (capi/handles.h explains the two kinds).",
           "#pragma once", ""]
    results = result_models(api)
    for m in results:
        out.append(f"struct plexauth_{m.c} : plexauth::capi::Result<plexauth::{m.name}> {{")
        out.append("  using Result::Result;")
        out.append("};")
    out.append("")
    out.append("namespace plexauth::capi {")
    for m in handle_models(api):
        out.append(f"template <> struct HandleOf<{m.name}> {{ using type = plexauth_{m.c}; }};")
    out.append("}  // namespace plexauth::capi")
    out.append("")
    return "\n".join(out)


def call_input(op: Operation) -> List[str]:
    """C++ lines that fill `in` (a plexauth::CallInput) from an operation's C parameters."""
    lines: List[str] = []
    form: List[str] = []
    for group, params in (("path", op.path_params), ("query", op.query), ("body", op.body_params)):
        for p in params:
            c, wire = p.c, p.wire
            optional = False
            if p.kind == "str":
                if p.default is not None:
                    value = f'{c} ? {c} : "{p.default}"'
                elif p.required:
                    lines.append(f'require({c}, "{c}");')
                    value = c
                else:
                    optional, value = True, c
                if p.max_len != 16384 and group != "body":  # the pipeline checks 16 KiB; body below
                    lines.append(f'if ({c}) plexauth::check_text({c}, "{c}", {p.max_len});')
            elif p.kind == "int":
                lines.append(f"const std::string {c}_text = std::to_string({c});")
                value = f"{c}_text"
            else:  # bool: "true"/"false" when always sent, else "true" or left out
                value = f'{c} ? "true" : "false"'
                optional = not (p.required or p.always_sent)
            if p.json_object and (group != "body" or op.body != "json"):
                raise SystemExit(f"{op.name}.{p.wire}: json_object is for body=\"json\" parameters")
            if group == "body":
                # JSON bodies: a bool is a JSON boolean, a json_object parameter the object itself.
                as_ = ("Boolean" if p.kind == "bool" else "Object" if p.json_object else "") if op.body == "json" else ""
                as_ = f", plexauth::FormField::As::{as_}" if as_ else ""
                entry = f'form.push_back({{"{wire}", {value}{as_}}});'
            else:
                entry = f'in.{group}.push_back({{"{wire}", {value}, {str(p.non_empty).lower()}}});'
            if p.secret:
                entry += f" in.secrets.push_back({c});" if p.kind == "str" else ""
            if optional:
                entry = f"if ({c}) {{ {entry} }}"
            (form if group == "body" else lines).append(entry)
    if form:
        if op.body not in ("form", "json"):
            raise SystemExit(f"{op.name}: body parameters need body=\"form\" or \"json\"")
        lines.append("std::vector<plexauth::FormField> form;")
        for p in op.body_params:  # checked like path and query parameters
            if p.kind == "str":
                lines.append(f'if ({p.c}) plexauth::check_text({p.c}, "{p.c}", {p.max_len});')
                if p.non_empty:
                    lines.append(f'if ({p.c} && !*{p.c}) plexauth::fail(plexauth::Status::InvalidArgument, '
                                 f'"{p.c} must not be empty");')
        lines += form
        encode = "encode_form" if op.body == "form" else "encode_json_object"  # json: string members
        lines.append(f"const plexauth::Secret body = plexauth::{encode}(form);")
        lines.append("in.body = &body;")
    return lines


def capi_cpp(api) -> str:
    by = models_by_name(api)
    out = [banner("//"),
           "// The generated C entry points: identity setters, operations, result getters.",
           "// Pure translation to the core (capi/support.h has the helpers).",
           '#include "capi/support.h"', "", "namespace {",
           "using namespace plexauth::capi;  // NOLINT: str, put, count_of, item_at, to_handle, ...",
           "}  // namespace", ""]
    for s in api.STATUSES:
        out.append(f"static_assert({s.c_enum} == static_cast<int>(plexauth::Status::{s.core}));")
    out.append("")
    out.append('extern "C" {')
    out.append("")
    out.append("/* ---------------------------------------------------------------- identity */")
    for s in api.IDENTITY:
        for handle, var, member in (("config", "cfg", "cfg.identity"), ("call_options", "opts", "o.identity"),
                                    ("sign_in", "req", "r.identity")):
            out.append(f"plexauth_status plexauth_{handle}_set_{s.c}(plexauth_{handle} *{var}, const char *value) {{")
            out.append(f'  return set_text({var}, "{var}", &plexauth_{handle}::{member.split(".")[0]}, '
                       f'&plexauth::Identity::{s.c}, value, "{s.c}");')
            out.append("}")
    out.append("")
    out.append("/* ---------------------------------------------------------------- operations */")
    for op in api.OPERATIONS:
        name, params = finish_signature(op, by)
        k = f"plexauth::op::k{pascal(op.name)}"
        if op.result:
            out.append(f"plexauth_status {name}({params}) {{ return finish_call<plexauth::{by[op.result].name}>(out, call, {k}, err); }}")
        else:
            out.append(f"plexauth_status {name}({params}) {{ return finish_void_call(call, {k}, err); }}")
        if op.c_hand_written:
            out.append("")
            continue
        name, params = start_signature(op)
        out.append(f"plexauth_status {name}({params}) {{")
        out.append("  return run_operation(err, [&] {")
        out.append("    require(call, \"call\");")
        out.append("    *call = nullptr;")
        out.append("    require(client, \"client\");")
        out.append("    plexauth::CallInput in;")
        out += [f"    {line}" for line in call_input(op)]
        model = f"plexauth::{by[op.result].name}" if op.result else "void"
        out.append(f"    *call = start_call<{model}>(client, {k}, in, opts, loop, done, user_data);")
        out.append("  });")
        out.append("}")
        out.append("")
        if op.c_hand_written:
            continue
        name, params = op_signature(op, by)
        out.append(f"plexauth_status {name}({params}) {{")
        out.append("  return run_operation(err, [&] {")
        if op.result:
            out.append("    require(out, \"out\");")
            out.append("    *out = nullptr;")
        out.append("    require(client, \"client\");")
        out.append("    plexauth::CallInput in;")
        out += [f"    {line}" for line in call_input(op)]
        call = f"plexauth::op::k{pascal(op.name)}, in, opts ? &opts->o : nullptr"
        if op.result:
            res = by[op.result]
            out.append(f"    auto r = client->c.run<plexauth::{res.name}>({call});")
            out.append(f"    *out = new plexauth_{res.c}(std::move(r.response), std::move(r.value));")
        else:
            out.append(f"    client->c.run_void({call});")
        out.append("  });")
        out.append("}")
        out.append("")
    out.append("/* ---------------------------------------------------------------- results */")
    for m in result_models(api):
        c = m.c
        out.append(f"void plexauth_{c}_free(plexauth_{c} *r) {{ delete r; }}")
        out.append(f"const plexauth_response *plexauth_{c}_response(const plexauth_{c} *r) {{ "
                   "return r ? &r->response : nullptr; }")
        out.append(f"const char *plexauth_{c}_json(const plexauth_{c} *r, size_t *len) {{ return result_json(r, len); }}")
    out.append("")
    out.append("/* ---------------------------------------------------------------- getters */")
    for m, getters in all_getters(api):
        out.append(f"/* {m.name} */")
        for g in getters:
            out.append(g.definition())
    out.append("")
    out.append('}  // extern "C"')
    out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------- CLI


def cli_inc(api) -> str:
    by = models_by_name(api)
    out = [banner("//"),
           "// The CLI's generic commands: operations without a hand-written command in main.cpp.",
           "// X(\"command\", function, result type, \"summary\")"]
    rows = []
    for op in api.OPERATIONS:
        if not op.cli or op.cli_custom:
            continue
        if op.query or op.path_params or op.body_params or op.request or not op.result:
            raise SystemExit(f"{op.name}: the CLI's generic commands take no parameters so far")
        res = by[op.result]
        rows.append(f'  X("{op.cli}", plexauth_client_{op.name}, plexauth_{res.c}, "{op.doc}")')
    out.append("#define PLEXAUTH_CLI_GENERIC_COMMANDS(X) \\\n" + " \\\n".join(rows))
    out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------- bad-input table


def every_field_inc(api) -> str:
    """check_every_field(const plexauth_<m> *): each getter of the result against the every-field
    fixture's value (tests/integration/every_field_test.cpp serves the fixture's body)."""
    by = models_by_name(api)
    fix = json.loads(fixture(api))
    out = [banner("//"), "// Every getter against the every-field fixture (every_field_test.cpp).", ""]
    for m in result_models(api):
        out.append(f"inline void check_every_field(const plexauth_{m.c} *r) {{")
        out.append("  ASSERT_NE(r, nullptr);")
        out.append("  int64_t i = 0;")
        out.append("  int b = 0;")
        out.append("  (void)i;")
        out.append("  (void)b;")
        for row in fix[m.c]["fields"]:
            # Walk the dotted path: the handle expression of the owner, then the getter.
            expr, model = "r", m
            parts = re.findall(r"(\w+)(?:\[(\d+)\])?", row["path"])
            prefix = f"plexauth_{m.c}_"
            for k, (wire, idx) in enumerate(parts[:-1]):
                f = next(f for f in model.fields if f.wire == wire)
                sub = by[f.model]
                if f.kind == "inline":
                    prefix += f.c + "_"
                elif f.kind == "list":
                    expr = f"{prefix}{f.c}_at({expr}, {idx})"
                    prefix = f"plexauth_{sub.c}_"
                else:
                    expr = f"{prefix}{f.c}({expr})"
                    prefix = f"plexauth_{sub.c}_"
                model = sub
            wire, _ = parts[-1]
            f = next(f for f in model.fields if f.wire == wire)
            g = prefix + f.c
            v = row["value"]
            what = json.dumps(row["path"])
            if row["kind"] == "list_len" or f.kind == "count":
                out.append(f"  EXPECT_EQ({g}_count({expr}), {v}u) << {what};")
            elif f.kind == "str":
                out.append(f"  EXPECT_STREQ({g}({expr}), {json.dumps(v)}) << {what};")
            elif f.kind == "json":
                out.append(f"  EXPECT_STREQ({g}({expr}), {json.dumps(json.dumps(v, separators=(',', ':')))}) << {what};")
            elif f.kind in ("int", "time"):
                out.append(f"  EXPECT_TRUE({g}({expr}, &i) && i == {v}) << {what};")
            elif f.kind == "bool":
                out.append(f"  EXPECT_TRUE({g}({expr}, &b) && b == {int(v)}) << {what};")
            elif f.kind == "strlist":
                out.append(f"  EXPECT_EQ({g}_count({expr}), {len(v)}u) << {what};")
                for k, item in enumerate(v):
                    out.append(f"  EXPECT_STREQ({g}_at({expr}, {k}), {json.dumps(item)}) << {what};")
        out.append("}")
        out.append("")
    return "\n".join(out)


def test_free_inc(api) -> str:
    out = [banner("//"), "// Free's operator() for every result type (support.h)."]
    for m in result_models(api):
        out.append(f"void operator()(plexauth_{m.c} *p) const {{ plexauth_{m.c}_free(p); }}")
    return "\n".join(out) + "\n"


def sweep_arg(p) -> str:
    """A valid C argument for a parameter in the bad-input sweep (the example, else a default)."""
    if p.kind == "int":
        return f"int64_t{{{p.example or 1}}}"
    if p.kind == "bool":
        return "0"
    return json.dumps(p.default or p.example or "x")


def start_sweep_args(op: Operation) -> List[str]:
    """The valid arguments of an operation's _start in the bad-input sweep."""
    args = ["c.slot<plexauth_call>()", "c.client.get()"]
    args += [sweep_arg(p) for p in list(op.path_params) + list(op.query) + list(op.body_params)]
    args += ["static_cast<const plexauth_call_options *>(c.cancelled_opts.get())", "c.loop.get()",
             "&count_completion", "static_cast<void *>(nullptr)", "c.slot<plexauth_error>()"]
    return args


def bad_input_inc(api) -> str:
    """The sweep's entries for every generated function, and the objects it calls them with:
    each result made by its operation against the fake answering the every-field body (so every
    nested object exists), each nested handle reached from its result."""
    by = models_by_name(api)
    fix = json.loads(fixture(api))
    out = [banner("//"),
           "// The bad-input sweep's objects and entries for every generated function (bad_input_test.cpp).",
           ""]
    regular = {}
    for op in api.OPERATIONS:
        if op.result and not op.c_hand_written and op.result not in regular:
            regular[op.result] = op
    results = result_models(api)
    for m in results:
        op = regular.get(m.name)
        if op is None:
            raise SystemExit(f"{m.name}: no operation with a generated entry point makes it")
        name, _ = op_signature(op, by)
        entry = fix[m.c]
        args = ", ".join(sweep_arg(p) for p in list(op.path_params) + list(op.query) + list(op.body_params))
        out.append(f"template <>")
        out.append(f"plexauth_{m.c} *Ctx::make<plexauth_{m.c}>() {{")
        out.append(f'  fake.add_fault("{entry["path"]}", canned({entry["status"]}, '
                   f'R"json({json.dumps(entry["body"], separators=(",", ":"))})json"));')
        out.append(f"  plexauth_{m.c} *r = nullptr;")
        call_args = ", ".join(x for x in ["&r", "client.get()", args, "opts.get()", "nullptr"] if x)
        out.append(f"  EXPECT_EQ({name}({call_args}), PLEXAUTH_OK);")
        out.append("  return r;")
        out.append("}")
        out.append(f"const plexauth_{m.c} *arg(Ctx &c, Tag<const plexauth_{m.c} *>) {{ return c.kept<plexauth_{m.c}>(); }}")
    # Nested handles: from the first model (in handle order) that reaches them.
    reached = {m.name for m in results}
    for m in handle_models(api):
        for f in m.fields:
            subs = [(f, by[f.model])] if f.kind in ("obj", "list") else []
            if f.kind == "inline":
                subs = [(g, by[g.model]) for g in by[f.model].fields if g.kind in ("obj", "list")]
            for g, sub in subs:
                if sub.name in reached:
                    continue
                reached.add(sub.name)
                prefix = f"plexauth_{m.c}_" + (f"{f.c}_" if f.kind == "inline" else "")
                get = f"{prefix}{g.c}_at(parent, 0)" if g.kind == "list" else f"{prefix}{g.c}(parent)"
                out.append(f"const plexauth_{sub.c} *arg(Ctx &c, Tag<const plexauth_{sub.c} *>) {{")
                out.append(f"  const plexauth_{m.c} *parent = arg(c, Tag<const plexauth_{m.c} *>{{}});")
                out.append(f"  return {get};")
                out.append("}")
    out.append("")
    out.append("// Starts `op` with valid arguments (sign-in: the sweep's request) as the sweep's starts do.")
    out.append("plexauth_call *start_for_sweep(Ctx &c, const std::string &op) {")
    out.append("  plexauth_call *call = nullptr;")
    for op in api.OPERATIONS:
        if op.c_hand_written:
            continue
        name, _ = start_signature(op)
        args = ["&call"] + start_sweep_args(op)[1:-1] + ["nullptr"]
        out.append(f'  if (op == "{op.name}") {{ EXPECT_EQ({name}({", ".join(args)}), PLEXAUTH_OK); }}')
    out.append("  return call ? call : start_hand_written_for_sweep(c, op);")
    out.append("}")
    out.append("")
    out.append("#define PLEXAUTH_GENERATED_SWEEP_ENTRIES \\")
    rows = []
    for s in api.IDENTITY:
        for handle, scratch in (("config", "c.scratch_cfg.get()"), ("call_options", "c.scratch_opts.get()"),
                                ("sign_in", "c.scratch_signin.get()")):
            fn = f"plexauth_{handle}_set_{s.c}"
            rows.append(f'  {{"{fn}", sweep(&{fn}, [](Ctx &c) {{ return std::make_tuple({scratch}, "v"); }})'
                        ".empty_gives(PLEXAUTH_OK)},")
    for op in api.OPERATIONS:
        if op.c_hand_written:
            continue
        name, _ = op_signature(op, by)
        args = []
        if op.result:
            args.append(f"c.slot<plexauth_{by[op.result].c}>()")
        args.append("c.client.get()")
        args += [sweep_arg(p) for p in list(op.path_params) + list(op.query) + list(op.body_params)]
        args += ["static_cast<const plexauth_call_options *>(c.opts.get())", "c.slot<plexauth_error>()"]
        entry = f"sweep(&{name}, [](Ctx &c) {{ return std::make_tuple({', '.join(args)}); }})"
        if any(p.default is not None and not p.non_empty for p in op.query):
            entry += ".empty_gives(PLEXAUTH_E_BAD_REQUEST)"  # "" is sent as such; the fake refuses it
        rows.append(f'  {{"{name}", {entry}}},')
    # The non-blocking twins: each start on the sweep's external loop (never
    # driven) with options whose cancel token is triggered, so that nothing
    # reaches the fake; each finish on a call of its operation that ended
    # cancelled (Ctx::finished, made by start_for_sweep below).
    for op in api.OPERATIONS:
        name, _ = finish_signature(op, by)
        args = [f"c.slot<plexauth_{by[op.result].c}>()"] if op.result else []
        args += [f'c.finished("{op.name}")', "c.slot<plexauth_error>()"]
        rows.append(f'  {{"{name}", sweep(&{name}, [](Ctx &c) {{ return std::make_tuple({", ".join(args)}); }})'
                    ".gives(PLEXAUTH_E_CANCELLED)},")
        if op.c_hand_written:
            continue
        name, _ = start_signature(op)
        entry = f"sweep(&{name}, [](Ctx &c) {{ return std::make_tuple({', '.join(start_sweep_args(op))}); }})"
        for p in list(op.path_params) + list(op.query) + list(op.body_params):
            if p.kind == "str" and not p.non_empty:  # "" is not refused at start: the server would judge it
                entry += f'.empty_in_gives("{p.c}", PLEXAUTH_OK)'
        rows.append(f'  {{"{name}", {entry}}},')
    for m in results:
        rows.append(f"  FREES(plexauth_{m.c}_free, c.make<plexauth_{m.c}>()),")
        rows.append(f"  GET(plexauth_{m.c}_response),")
        rows.append(f"  GET(plexauth_{m.c}_json),")
    for m, getters in all_getters(api):
        for g in getters:
            rows.append(f"  GET({g.name}),")
    out.append(" \\\n".join(rows))
    out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------- every-field fixture


def stable_number(path: str) -> int:
    """A number derived from a field's path alone, so that adding a field changes only its own
    rows of the fixture (a running counter would renumber every later field)."""
    return zlib.crc32(path.encode()) % 100000


def fixture(api) -> str:
    by = models_by_name(api)
    doc: Dict[str, object] = {}
    seen: Dict[tuple, str] = {}
    root = ""

    def build(m: Model, path: str, rows: List[dict]) -> dict:
        body: Dict[str, object] = {}
        for f in m.fields:
            p = f"{path}{f.wire}"
            row = {"model": m.name, "wire": f.wire, "path": p, "kind": f.kind, "c": f.c, "py": f.py,
                   "rust": f.rust, "go": f.go}
            n = stable_number(f"{root}:{p}")
            if (f.kind, n) in seen and f.kind in ("int", "time"):
                raise SystemExit(f"fixture: {p} and {seen[(f.kind, n)]} got the same value; rename one")
            seen[(f.kind, n)] = p
            if f.kind == "str":
                wire = value = f"{f.c}-{n}"
            elif f.kind == "int":
                wire = value = 100000 + n
            elif f.kind == "time":
                value = 1600000000 + n
                wire = datetime.datetime.fromtimestamp(value, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            elif f.kind == "bool":
                wire = value = bool(n % 2)
            elif f.kind == "json":
                wire = value = {"kind": f"{f.c}-{n}", "n": n}
            elif f.kind == "strlist":
                wire = value = [f"{f.c}-{n}-a", f"{f.c}-{n}-b"]
            elif f.kind == "count":
                wire = [{}, {}, {}]
                value = 3
            elif f.kind in ("obj", "inline"):
                body[f.wire] = build(by[f.model], p + ".", rows)
                continue
            elif f.kind == "list":
                body[f.wire] = [build(by[f.model], f"{p}[0].", rows), build(by[f.model], f"{p}[1].", rows)]
                rows.append(dict(row, value=2, kind="list_len"))
                continue
            body[f.wire] = wire
            rows.append(dict(row, value=value))
        return body

    root = ""
    for op in api.OPERATIONS:
        if not op.result or by[op.result].c in doc:
            continue
        m = by[op.result]
        root = m.name
        rows: List[dict] = []
        body: object = build(m, "", rows)
        for key in reversed(op.envelope):
            body = {key: body}
        if op.root_list:
            body = body[op.root_list]  # type: ignore[index]
        host_path = {"pms": "", "plex_tv": "/api/v2", "clients": "/api/v2", "plex_tv_v1": "/api"}[op.host] + \
            op.path.split("?")[0]
        doc[m.c] = {"operation": op.name, "path": host_path, "status": op.success, "body": body, "fields": rows}
    return json.dumps(doc, indent=1, sort_keys=False) + "\n"


# ----------------------------------------------------------------------- outputs


def outputs(api, ctx) -> Dict[str, str]:
    header = ctx.read(HEADER)
    for name, body in header_sections(api, ctx).items():
        header = replace_section(header, name, body)
    return {
        "src/core/status.gen.h": status_h(api),
        "src/core/identity.gen.h": identity_h(api),
        "src/models/fields.gen.h": fields_h(api),
        "src/core/operations.gen.h": operations_h(api),
        HEADER: header,
        "capi/handles.gen.h": handles_h(api),
        "capi/generated.cpp": capi_cpp(api),
        "tools/plexauth/commands.gen.inc": cli_inc(api),
        "tests/hostile/bad_input_table.gen.inc": bad_input_inc(api),
        "tests/integration/free_results.gen.inc": test_free_inc(api),
        "tests/integration/every_field.gen.inc": every_field_inc(api),
        "tests/fixtures/every_field.json": fixture(api),
    }
