"""The C and C++ side: core tables, the header's generated sections, the C
entry points and getters, the CLI's operation table, the bad-input sweep
table and the every-field fixture."""

from __future__ import annotations

import datetime
import json
import re
import zlib
from typing import Dict, Iterator, List, Optional, Tuple

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


def c_comment(text: str, indent: str = "") -> str:
    """A /** ... */ comment wrapped at 100 columns."""
    words = text.split()
    lines, cur = [], ""
    width = 96 - len(indent)
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    if cur:
        lines.append(cur)
    if len(lines) == 1 and len(lines[0]) < width - 4:
        return f"{indent}/** {lines[0]} */"
    return "\n".join([f"{indent}/**"] + [f"{indent} * {line}" for line in lines] + [f"{indent} */"])


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

    def __init__(self, ret: str, name: str, params: str, doc: str, body: str) -> None:
        self.ret, self.name, self.params, self.doc, self.body = ret, name, params, doc, body

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
    for f in model.fields:
        name = prefix + f.c
        wire = f.wire
        doc = f"{wire}: {f.doc}"
        m = f.member
        if f.kind in ("str", "json"):
            yield Getter("const char *", name, h, doc + " NULL when absent or null.",
                         f"{acc}\n  return o ? str(o->{m}) : nullptr;")
        elif f.kind in ("int", "time"):
            yield Getter("int", name, f"{h}, int64_t *out", doc + " 1 and *out written when present.",
                         f"{acc}\n  return o ? put(o->{m}, out) : 0;")
        elif f.kind == "bool":
            yield Getter("int", name, f"{h}, int *out", doc + " 1 and *out (0 or 1) written when present.",
                         f"{acc}\n  return o ? put(o->{m}, out) : 0;")
        elif f.kind == "count":
            yield Getter("size_t", name + "_count", h, doc + " The number of entries (0 when absent).",
                         f"{acc}\n  return o && o->{m} ? *o->{m} : 0;")
        elif f.kind == "strlist":
            yield Getter("size_t", name + "_count", h, doc + " The number of entries (0 when absent).",
                         f"{acc}\n  return o ? count_of(o->{m}) : 0;")
            yield Getter("const char *", name + "_at", f"{h}, size_t index", f"{wire}[index]; NULL when out of range.",
                         f"{acc}\n  const std::string *s = o ? item_at(o->{m}, index) : nullptr;\n"
                         "  return s ? s->c_str() : nullptr;")
        elif f.kind == "list":
            sub = by[f.model]
            yield Getter("size_t", name + "_count", h, doc + " The number of entries (0 when absent).",
                         f"{acc}\n  return o ? count_of(o->{m}) : 0;")
            yield Getter(f"const plexauth_{sub.c} *", name + "_at", f"{h}, size_t index",
                         f"{wire}[index], borrowed from its owner; NULL when out of range.",
                         f"{acc}\n  const plexauth::{sub.name} *item = o ? item_at(o->{m}, index) : nullptr;\n"
                         "  return item ? to_handle(item) : nullptr;")
        elif f.kind == "obj":
            sub = by[f.model]
            yield Getter(f"const plexauth_{sub.c} *", name, h, doc + " Borrowed from its owner; NULL when absent.",
                         f"{acc}\n  return o && o->{m} ? to_handle(&*o->{m}) : nullptr;")
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


def op_doc(op: Operation, api) -> str:
    host = {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}", "plex_tv_v1": "{plex.tv v1}"}[op.host]
    query = "&".join(f"{p.wire}={{{p.c}}}" for p in op.query)
    line = f"{op.method} {host}{op.path}{'?' + query if query else ''}"
    token = "with X-Plex-Token" if op.token == "send" else "without X-Plex-Token"
    text = f"{line} {token}: {op.doc} Success is {op.success}"
    if op.success != 204:
        text += " application/json" + (" or XML" if op.xml else "") + \
            (" (or an empty body: every field absent)" if op.empty_ok else "")
    text += "."
    for p in list(op.path_params) + list(op.query) + list(op.body_params):
        if op.request:
            continue
        extra = []
        if p.default is not None:
            extra.append(f'NULL means "{p.default}"')
        elif p.required:
            extra.append("required")
        if p.non_empty:
            extra.append("must not be empty")
        if p.secret:
            extra.append("secret: wiped and redacted")
        text += f" {p.c}: {p.doc}" + (f" ({', '.join(extra)})." if extra else "")
    for code, (status, http, _msg) in op.plex_codes.items():
        where = f"HTTP {http}" if http else "any 4XX"
        text += f" {where} with Plex code {code} gives PLEXAUTH_E_{status.upper()}."
    if op.retry == "no_4xx":
        text += " Never retried after a 4XX."
    if op.result:
        text += (f" On success *out is a new result: free it with plexauth_{models_by_name(api)[op.result].c}_free."
                 " Any thread; errors: any status.")
    return text


# ----------------------------------------------------------------------- header


def header_sections(api, ctx) -> Dict[str, str]:
    by = models_by_name(api)
    major, minor, patch = ctx.version.split(".")
    version = "\n".join([
        f"#define PLEXAUTH_VERSION_MAJOR {major}",
        f"#define PLEXAUTH_VERSION_MINOR {minor}",
        f"#define PLEXAUTH_VERSION_PATCH {patch}",
        f'#define PLEXAUTH_VERSION_STRING "{ctx.version}"',
    ])

    lines = ["typedef enum plexauth_status {"]
    for i, s in enumerate(api.STATUSES):
        if s.value:
            lines.append(c_comment(s.doc, "  "))
        comma = "," if i + 1 < len(api.STATUSES) else ""
        lines.append(f"  {s.c_enum} = {s.value}{comma}")
    lines.append("} plexauth_status;")
    lines.append("/** The highest status this header knows (a newer library may return higher ones). */")
    lines.append(f"#define PLEXAUTH_STATUS_LAST {api.STATUSES[-1].c_enum}")
    lines.append("")
    names = ", ".join(f'"{s.name}"' for s in api.STATUSES)
    lines.append(c_comment(f"Stable snake_case name of a status: {names}. Unknown values give \"unknown\". "
                           "Static string; thread-safe."))
    lines.append("PLEXAUTH_API const char *plexauth_status_name(plexauth_status status);")
    statuses = "\n".join(lines)

    def identity(handle: str, var: str, what: str) -> str:
        out = []
        for s in api.IDENTITY:
            out.append(c_comment(f"{s.header}{what}: {s.doc} NULL clears."))
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
        ops.append(c_comment(op_doc(op, api)))
        ops.append(f"PLEXAUTH_API plexauth_status {name}({params});")
        if op.result:
            res = by[op.result]
            if res in pending:
                c = res.c
                ops.append(f"/** Frees the result. NULL is accepted. */")
                ops.append(f"PLEXAUTH_API void plexauth_{c}_free(plexauth_{c} *r);")
                ops.append(f"/** The HTTP response behind the result, borrowed from it. */")
                ops.append(f"PLEXAUTH_API const plexauth_response *plexauth_{c}_response(const plexauth_{c} *r);")
                ops.append(c_comment("The parsed result as compact JSON with the wire names (known fields only; "
                                     "absent fields left out, null kept, times as Unix seconds). Borrowed; *len "
                                     "receives the length when len is not NULL. NULL only when memory ran out."))
                ops.append(f"PLEXAUTH_API const char *plexauth_{c}_json(const plexauth_{c} *r, size_t *len);")
            for m in pending:
                ops.append("")
                ops.append(f"/* {m.name} (plexauth_{m.c}) */")
                for g in getters[m.name]:
                    ops.append(c_comment(g.doc))
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
            f'/*xml=*/{b(op.xml)}}};')
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
            if group == "body":
                entry = f'form.push_back({{"{wire}", {value}}});'
            else:
                entry = f'in.{group}.push_back({{"{wire}", {value}, {str(p.non_empty).lower()}}});'
            if p.secret:
                entry += f" in.secrets.push_back({c});" if p.kind == "str" else ""
            if optional:
                entry = f"if ({c}) {{ {entry} }}"
            (form if group == "body" else lines).append(entry)
    if form:
        if op.body != "form":
            raise SystemExit(f"{op.name}: body parameters need body=\"form\" so far")
        lines.append("std::vector<plexauth::FormField> form;")
        for p in op.body_params:  # checked like path and query parameters
            if p.kind == "str":
                lines.append(f'if ({p.c}) plexauth::check_text({p.c}, "{p.c}", {p.max_len});')
                if p.non_empty:
                    lines.append(f'if ({p.c} && !*{p.c}) plexauth::fail(plexauth::Status::InvalidArgument, '
                                 f'"{p.c} must not be empty");')
        lines += form
        lines.append("const plexauth::Secret body = plexauth::encode_form(form);")
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
        host_path = {"pms": "", "plex_tv": "/api/v2", "clients": "/api/v2", "plex_tv_v1": "/api"}[op.host] + op.path
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
