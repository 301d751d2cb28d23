"""The Go binding's generated files (bindings/go), from api.py and the header.

    ffi_gen.go        every header function, enumerator and opaque type, compiled against
                      the header by cgo (a signature that differs does not build), and the
                      same list as data for the declaration test (header_test.go)
    errors_gen.go     Status constants, sentinel errors and their table (api.STATUSES)
    bridge_gen.h/.c   one view struct per model and the C functions that copy a whole
                      result into its view in one cgo call (docs/performance.md)
    models_gen.go     the Go models (docs, pointers for optional scalars, slices for
                      lists), their redacting String methods and the view -> model mapping
    operations_gen.go the Client methods of the operations (all but SignIn and
                      GO_HAND_WRITTEN's): string, int64 and bool arguments ("" for an
                      optional string: none; secrets wiped), `error` alone for a 204;
                      and the per-call identity options (api.IDENTITY)
    operations_gen_test.go  how the tests call each generated operation

The hand-written rest (bridge.c: string buffer, response reading, callbacks;
models.go: the view helpers; client.go: the seed-compatible methods) is
described in bindings/go/README.md. Standard library only.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

import generate
from schema import camel, snake

GO = "bindings/go/"

# Header functions the Go binding does not call, and why. Every other header
# function must be referenced by the binding's code (header_test.go checks it).
NOT_WRAPPED: Dict[str, str] = {
    "plexauth_cancel_is_triggered": "contexts carry cancellation; the token is write-only from Go",
    "plexauth_call_options_clear_retry": "WithRetry/WithNoRetry build fresh call options each call",
    "plexauth_response_header": "RawResponse.Header is an http.Header (Get is case-insensitive)",
    "plexauth_connect_options_set_cancel": "Connect's context cancels the non-blocking call (plexauth_call_cancel)",
    "plexauth_client_jwt_login_start": "JWTLogin blocks its goroutine; its context cancels it (plexauth_cancel)",
    "plexauth_client_jwt_login_finish": "JWTLogin blocks its goroutine; its context cancels it (plexauth_cancel)",
    **{f"plexauth_connect_result_{g}": "ConnectResult is read from plexauth_connect_result_json in one cgo call"
       for g in ("uri", "access_token", "machine_identifier", "name", "version", "elapsed_ms", "attempts_count",
                 "attempt_uri", "attempt_location", "attempt_outcome", "attempt_status", "attempt_message",
                 "attempt_started_ms", "attempt_elapsed_ms")},
}

_INITIALISMS = {"tls": "TLS", "ok": "OK"}  # status names; schema.camel knows the rest
_KEYWORDS = {  # C and Go keywords: a view member with this name gets a trailing _
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed", "sizeof", "static",
    "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "chan", "defer", "fallthrough",
    "func", "go", "import", "interface", "map", "package", "range", "select", "type", "var",
}


def go_status(status) -> str:
    """http_error (core Http) -> HTTP, tls -> TLS, callback_error (core Callback) -> Callback."""
    return "".join(_INITIALISMS.get(p, camel(p)) for p in snake(status.core).split("_"))


def member(name: str) -> str:
    return name + "_" if name in _KEYWORDS else name


def go_field(model, f) -> str:
    return f.go


def comment(text: str, indent: str = "", width: int = 100) -> List[str]:
    """text as // lines no wider than width."""
    lines, cur = [], ""
    for word in text.split():
        if cur and len(indent) + 3 + len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = (cur + " " + word) if cur else word
    if cur:
        lines.append(cur)
    return [f"{indent}// {line}" for line in lines]


class Models:
    """api.MODELS with the derived facts the emitters below share."""

    def __init__(self, api) -> None:
        self.all = api.MODELS
        self.by_name = {m.name: m for m in api.MODELS}
        self.results = [self.by_name[name] for name in dict.fromkeys(op.result for op in api.OPERATIONS if op.result)]
        self.result_names = {m.name for m in self.results}
        inline = {f.model for m in api.MODELS for f in m.fields if f.kind == "inline"}
        self.handled = [m for m in api.MODELS if m.name not in inline]  # models with a C handle

    def flat(self, m) -> List[Tuple[str, str, object, object]]:
        """(C suffix, wire path, field, owner) of m's fields, inline ones expanded."""
        out = []
        for f in m.fields:
            if f.kind == "inline":
                for sub in self.by_name[f.model].fields:
                    assert sub.kind in ("str", "int", "bool", "time", "json"), (m.name, f.wire, sub.wire)
                    out.append((f.c + "_" + sub.c, f.wire + "." + sub.wire, sub, f))
            else:
                out.append((f.c, f.wire, f, None))
        return out

    def owns_arrays(self, m) -> bool:
        """m's view holds malloc'ed arrays (lists of objects), directly or in an object field."""
        return any(f.kind == "list" or (f.kind == "obj" and self.owns_arrays(self.by_name[f.model])) for f in m.fields)

    def has_objs(self, m) -> bool:
        return any(f.kind == "obj" for f in m.fields)

    def scalars(self, m) -> Dict[str, int]:
        """How many *string, *int64 and *bool values m and its objects hold (its shared arrays' size)."""
        n = {"str": 0, "int": 0, "bool": 0}
        for _c, _w, f, _o in self.flat(m):
            if f.kind in ("str",):
                n["str"] += 1
            elif f.kind in ("int", "time"):
                n["int"] += 1
            elif f.kind == "bool":
                n["bool"] += 1
            elif f.kind == "obj":
                for k, v in self.scalars(self.by_name[f.model]).items():
                    n[k] += v
        return n


# ----------------------------------------------------------------------- ffi_gen.go

_CGO_TYPES = {"char": "C.char", "int": "C.int", "unsigned": "C.uint", "int64_t": "C.int64_t",
              "size_t": "C.size_t", "double": "C.double", "uintptr_t": "C.uintptr_t"}


def cgo_type(t) -> str:
    if t.base.startswith("fnptr:"):
        return "*[0]byte"  # cgo's type for a C function pointer
    if t.base == "void":
        assert t.pointers >= 1, t
        return "*" * (t.pointers - 1) + "unsafe.Pointer"
    return "*" * t.pointers + _CGO_TYPES.get(t.base, "C." + t.base)


def signature(fn) -> str:
    """The C signature without names, as header_test.go's parser writes it."""
    def ty(t) -> str:
        if t.base.startswith("fnptr:"):
            return t.base
        if t.pointers == 0:
            return t.base
        return ("const " if t.const else "") + t.base + " " + "*" * t.pointers
    return ty(fn.ret) + " (" + ", ".join(ty(p.type) for p in fn.params) + ")"


def ffi_go(header, models: "Models") -> str:
    not_wrapped = dict(NOT_WRAPPED)
    # The calls run on the client's own loop (start with loop NULL) and end through the
    # completion callback or a cancel: the loops and the other call functions are not needed.
    for fn in header.functions:
        if fn.name.startswith("plexauth_loop_") or fn.name in ("plexauth_call_done", "plexauth_call_wait"):
            not_wrapped.setdefault(fn.name, "calls run on the client's own loop and complete through their "
                                            "callback (a channel), so no loop is driven or waited on from Go")
    names = {fn.name for fn in header.functions}
    for fn in header.functions:  # the Go methods start the non-blocking twin (client.go, start)
        if fn.name + "_start" in names:
            not_wrapped.setdefault(fn.name, "the Go method runs its non-blocking twin (_start/_finish) on the "
                                            "client's loop")
    for m in models.results:
        not_wrapped[f"plexauth_{m.c}_json"] = "results are copied field by field (bridge_gen.c), not parsed again"
    out = [generate.banner("//"), "", "package plexauth", "", "/*", "#include <plexauth/plexauth.h>", "*/",
           'import "C"', "", 'import "unsafe"', "",
           "// cFunction is a function of plexauth.h and its C signature (types only).",
           "type cFunction struct{ name, signature string }", "",
           "// cFunctions is every function of plexauth.h, as the generator read it. header_test.go",
           "// compares it with the header the package is built against.",
           "var cFunctions = []cFunction{"]
    for fn in header.functions:
        out.append(f'\t{{"{fn.name}", "{signature(fn)}"}},')
    out += ["}", "",
            "// cNotWrapped are the header functions the binding does not call, and why.",
            "var cNotWrapped = map[string]string{"]
    out += aligned([(f'"{name}"', f'"{why}",') for name, why in not_wrapped.items()], "\t", ":")
    out += ["}", "",
            "// Every declaration of plexauth.h, compiled against it by cgo: a function whose",
            "// parameters or result differ, an enumerator whose value differs or a missing type",
            "// does not build. (Never called.)",
            "func _() {"]
    for fn in header.functions:
        args = []
        for i, p in enumerate(fn.params):
            out.append(f"\tvar {fn.name}_{i} {cgo_type(p.type)}")
            args.append(f"{fn.name}_{i}")
        call = f"C.{fn.name}({', '.join(args)})"
        if fn.ret.base == "void" and fn.ret.pointers == 0:
            out.append(f"\t{call}")
        else:
            out.append(f"\tvar _ {cgo_type(fn.ret)} = {call}")
    for name in header.opaque:
        out.append(f"\tvar _ *C.{name}")
    for name in header.callbacks:
        out.append(f"\tvar _ C.{name}")
    out.append("}")
    out.append("")
    out.append("// Each enumerator's value: both differences are unsigned constants, which overflow (a build")
    out.append("// error) unless they are 0.")
    out.append("const (")
    for enum, values in header.enums.items():
        for name, value in values:
            out.append(f"\t_ = uint(C.{name}-{value}) + uint({value}-C.{name})")
    out += [")", "", "var _ unsafe.Pointer", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------- errors_gen.go


def errors_go(api) -> str:
    out = [generate.banner("//"), "", "package plexauth", "", "/*", "#include <plexauth/plexauth.h>", "*/",
           'import "C"', "", 'import "errors"', "",
           "// Status codes (plexauth_status). See the sentinel errors for their meaning.", "const ("]
    width = max(len(go_status(s)) for s in api.STATUSES)
    for s in api.STATUSES:
        out.append(f"\tStatus{go_status(s).ljust(width)} Status = C.{s.c_enum}")
    out += [")", "", "// Sentinel errors, one per status but OK. Test with errors.Is(err, plexauth.ErrX).", "var ("]
    for s in api.STATUSES[1:]:
        out += comment(f"Err{go_status(s)}: {s.doc}", "\t")
        out.append(f'\tErr{go_status(s)} = errors.New("plexauth: {s.name.replace("_", " ")}")')
    out += [")", "", "var sentinels = map[Status]error{"]
    out += aligned([(f"Status{go_status(s)}", f"Err{go_status(s)},") for s in api.STATUSES[1:]], "\t", ":")
    out += ["}", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------- bridge_gen.h / .c


# Per field kind: its members in the C view, and the C that reads it from the
# result object x into the view v ({n} member, {c} C name, {g} getter, {sub}
# nested model's C name).
_C_VIEW = {
    "str": (["plexauthgo_str {n};"], ["v->{n} = plexauthgo_add_str(s, {g}(x));"]),
    "int": (["plexauthgo_int {n};"], ["PLEXAUTHGO_READ_INT(v->{n}, {g}, x);"]),
    "bool": (["plexauthgo_int {n};"], ["PLEXAUTHGO_READ_BOOL(v->{n}, {g}, x);"]),
    "strlist": (["plexauthgo_list {n};"], ["PLEXAUTHGO_READ_LIST(s, v->{n}, {g}_count, {g}_at, x);"]),
    "count": (["size_t {c}_count;"], ["v->{c}_count = {g}_count(x);"]),
    "obj": (["int has_{c};", "plexauthgo_{sub} {n};"],
            ["const plexauth_{sub} *{c}_ = {g}(x);", "if ((v->has_{c} = {c}_ != NULL)) read_{sub}(s, &v->{n}, {c}_);"]),
    "list": (["plexauthgo_{sub} *{n}; /* malloc'ed */", "size_t {c}_count;"],
             ["PLEXAUTHGO_READ_OBJECTS(s, x, v->{n}, v->{c}_count, {g}_count, {g}_at,", "                        read_{sub});"]),
}
_C_VIEW["json"], _C_VIEW["time"] = _C_VIEW["str"], _C_VIEW["int"]


def c_view(models: Models, m, part: int) -> List[str]:
    """m's view members (part 0) or the body of its read function (part 1)."""
    out = []
    for c, _wire, f, _owner in models.flat(m):
        sub = models.by_name[f.model].c if f.model else ""
        names = {"n": member(c), "c": c, "g": f"plexauth_{m.c}_{c}", "sub": sub}
        out += [line.format(**names) for line in _C_VIEW[f.kind][part]]
    return out


def bridge_h(models: Models) -> str:
    out = [generate.banner("//"), "/* The result views of bridge.h, one per model of codegen/api.py. */",
           "#ifndef PLEXAUTH_GO_BRIDGE_GEN_H", "#define PLEXAUTH_GO_BRIDGE_GEN_H", "", '#include "bridge.h"', ""]
    for m in models.handled:
        out.append(f"/* {m.name}: {m.doc} */")
        out.append("typedef struct {")
        out += ["  " + line for line in c_view(models, m, 0)] or ["  char unused;"]
        out.append(f"}} plexauthgo_{m.c};")
        out.append("")
    for m in models.results:
        out += [f"/* A {m.c} result: owns the result object. */", "typedef struct {",
                "  plexauthgo_result head;", f"  plexauthgo_{m.c} v;", f"}} plexauthgo_{m.c}_result;",
                "/* Takes r over; NULL (r freed) when out of memory. */",
                f"plexauthgo_{m.c}_result *plexauthgo_{m.c}_read(plexauth_{m.c} *r);",
                "/* Frees the view and its result; NULL is fine. */",
                f"void plexauthgo_{m.c}_free(plexauthgo_{m.c}_result *v);", ""]
    out.append("#endif")
    out.append("")
    return "\n".join(out)


def bridge_c(models: Models) -> str:
    out = [generate.banner("//"), "#include <stdlib.h>", "", '#include "bridge_gen.h"', ""]
    for m in models.handled:  # prototypes: a model may be read before its definition
        out.append(f"static void read_{m.c}(plexauthgo_strings *s, plexauthgo_{m.c} *v, const plexauth_{m.c} *x);")
        if models.owns_arrays(m):
            out.append(f"static void free_{m.c}(plexauthgo_{m.c} *v);")
    out.append("")
    for m in models.handled:
        out.append(f"static void read_{m.c}(plexauthgo_strings *s, plexauthgo_{m.c} *v, const plexauth_{m.c} *x) {{")
        body = c_view(models, m, 1)
        if not any(f.kind in ("str", "json", "strlist", "obj", "list") for _c, _w, f, _o in models.flat(m)):
            body.insert(0, "(void)s;")
        out += ["  " + line for line in body]
        out.append("}")
        out.append("")
        if models.owns_arrays(m):
            out.append(f"static void free_{m.c}(plexauthgo_{m.c} *v) {{")
            for f in m.fields:
                sub = models.by_name[f.model] if f.model else None
                if f.kind == "obj" and models.owns_arrays(sub):
                    out.append(f"  if (v->has_{f.c}) free_{sub.c}(&v->{member(f.c)});")
                elif f.kind == "list":
                    if models.owns_arrays(sub):
                        out.append(f"  for (size_t i = 0; i < v->{f.c}_count; ++i) free_{sub.c}(&v->{member(f.c)}[i]);")
                    out.append(f"  free(v->{member(f.c)});")
            out.append("}")
            out.append("")
    for m in models.results:
        out += [f"plexauthgo_{m.c}_result *plexauthgo_{m.c}_read(plexauth_{m.c} *r) {{",
                f"  plexauthgo_{m.c}_result *v = plexauthgo_result_new(sizeof *v, r, plexauth_{m.c}_response(r));",
                f"  if (v != NULL) read_{m.c}(&v->head.s, &v->v, r);",
                "  if (v != NULL && !v->head.s.oom) return v;",
                f"  if (v == NULL) plexauth_{m.c}_free(r);",
                f"  plexauthgo_{m.c}_free(v);",
                "  return NULL;", "}", "",
                f"void plexauthgo_{m.c}_free(plexauthgo_{m.c}_result *v) {{",
                "  if (v == NULL) return;",
                f"  plexauth_{m.c}_free(v->head.result);"]
        if models.owns_arrays(m):
            out.append(f"  free_{m.c}(&v->v);")
        out += ["  plexauthgo_result_free(&v->head);", "}", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------- models_gen.go

_GO_TYPES = {"str": "*string", "int": "*int64", "time": "*int64", "bool": "*bool", "json": "json.RawMessage",
             "strlist": "[]string", "count": "int"}
_MAPPERS = {"str": "v.str", "int": "v.i64", "time": "v.i64", "bool": "v.boolean", "json": "v.json",
            "strlist": "v.list"}


def aligned(rows: List[Tuple[str, str]], indent: str, sep: str) -> List[str]:
    """Two columns as gofmt aligns them: the first padded to the widest (after sep)."""
    width = max(len(a + sep) for a, _ in rows)
    return [indent + (a + sep).ljust(width) + " " + b for a, b in rows]


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def models_go(models: Models) -> str:
    out = [generate.banner("//"), "", "package plexauth", "", "/*", "#include \"bridge_gen.h\"", "*/", 'import "C"',
           "", "import (", '\t"encoding/json"', '\t"unsafe"', ")", "",
           "// The models of codegen/api.py. A nil pointer field: the server left the field out or sent",
           "// null. The struct tag plex gives the field's wire path (\",secret\": never shown by String).",
           ""]
    for m in models.handled:
        out += comment(f"{m.go}: {m.doc}")
        out.append(f"type {m.go} struct {{")
        for _c, wire, f, owner in models.flat(m):
            name = go_field(m, f) if owner is None else camel(owner.c) + f.go
            if f.kind in _GO_TYPES:
                ty = _GO_TYPES[f.kind]
            else:
                sub = models.by_name[f.model].go
                ty = ("*" if f.kind == "obj" else "[]") + sub
            doc = f.doc + (" Times are Unix seconds." if f.kind == "time" and "Unix seconds" not in f.doc else "")
            doc += " (the number of items)" if f.kind == "count" else ""
            out += comment(doc, "\t")
            tag = wire + (",secret" if f.secret else "")
            out.append(f'\t{name} {ty} `plex:"{tag}"`')
        if m.name in models.result_names:
            out += ["\t// Raw is the HTTP response the result was read from.", "\tRaw RawResponse `plex:\"-\"`"]
        out.append("}")
        out.append("")
        # String: every present field, secrets as [redacted], Raw without its body.
        out.append('// String shows the present fields; secrets show as "[redacted]".')
        out.append(f"func (m {m.go}) String() string {{")
        out.append(f'\tw := modelWriter{{name: "{m.go}"}}')
        for _c, _wire, f, owner in models.flat(m):
            name = go_field(m, f) if owner is None else camel(owner.c) + f.go
            if f.secret:
                out.append(f'\tw.secret("{name}", m.{name} != nil)')
            else:
                out.append(f'\tw.field("{name}", m.{name})')
        if m.name in models.result_names:
            out.append("\tw.raw(&m.Raw)")
        out.append("\treturn w.done()")
        out.append("}")
        out.append("")
        out.append("// GoString is String, so that %#v hides secrets too.")
        out.append(f"func (m {m.go}) GoString() string {{ return m.String() }}")
        out.append("")
    # objects: the values pointer fields point to, held with their owner
    for m in models.handled:
        if not models.has_objs(m):
            continue
        out += comment(f"{lower_first(m.go)}Objs holds what the object fields of a {m.go} point to, so that they "
                       "take no allocation of their own.")
        out.append(f"type {lower_first(m.go)}Objs struct {{")
        rows = []
        for f in m.fields:
            if f.kind == "obj":
                sub = models.by_name[f.model]
                rows.append((f.go, sub.go))
                if models.has_objs(sub):
                    rows.append((f.go + "Objs", lower_first(sub.go) + "Objs"))
        out += aligned(rows, "\t", "")
        out.append("}")
        out.append("")
    # view -> model
    for m in models.handled:
        objs = f", o *{lower_first(m.go)}Objs" if models.has_objs(m) else ""
        out.append(f"func (v *view) {lower_first(m.go)}(x *C.plexauthgo_{m.c}{objs}) (m {m.go}) {{")
        for c, _wire, f, owner in models.flat(m):
            name = go_field(m, f) if owner is None else camel(owner.c) + f.go
            cm = member(c)
            if f.kind in _MAPPERS:
                out.append(f"\tm.{name} = {_MAPPERS[f.kind]}(x.{cm})")
            elif f.kind == "count":
                out.append(f"\tm.{name} = int(x.{c}_count)")
            elif f.kind == "list":
                sub = models.by_name[f.model]
                if models.has_objs(sub):
                    fn = (f"func(e *C.plexauthgo_{sub.c}) {sub.go} {{ return v.{lower_first(sub.go)}(e, "
                          f"new({lower_first(sub.go)}Objs)) }}")
                else:
                    fn = f"v.{lower_first(sub.go)}"
                out.append(f"\tm.{name} = mapEach(unsafe.Slice(x.{cm}, int(x.{c}_count)), {fn})")
            elif f.kind == "obj":
                sub = models.by_name[f.model]
                arg = f", &o.{f.go}Objs" if models.has_objs(sub) else ""
                out += [f"\tif x.has_{c} != 0 {{", f"\t\to.{f.go} = v.{lower_first(sub.go)}(&x.{cm}{arg})",
                        f"\t\tm.{name} = &o.{f.go}", "\t}"]
        out.append("\treturn m")
        out.append("}")
        out.append("")
    # results: one allocation for the model and the values its pointers point to
    for m in models.results:
        n = models.scalars(m)
        low = lower_first(m.go)
        out += comment(f"{low}Mem is a {m.go} together with what its pointer fields point to (the response's "
                       "header values too), so that they take one allocation; lists of objects append beyond it.")
        out.append(f"type {low}Mem struct {{")
        rows = [("m", m.go)] + ([("objs", low + "Objs")] if models.has_objs(m) else [])
        rows += [("strs", f"[{n['str'] + 12}]string"), ("ints", f"[{n['int']}]int64"), ("bools", f"[{n['bool']}]bool")]
        out += aligned(rows, "\t", "")
        out += ["}", ""]
        objs = ", &mem.objs" if models.has_objs(m) else ""
        out += [f"// read{m.go} copies a C result into a *{m.go} (one cgo call) and frees it.",
                f"func read{m.go}(r *C.plexauth_{m.c}) (*{m.go}, error) {{",
                f"\tres := C.plexauthgo_{m.c}_read(r) // takes r over",
                "\tif res == nil {", "\t\treturn nil, errCopy()", "\t}",
                f"\tdefer C.plexauthgo_{m.c}_free(res)",
                f"\tmem := &{low}Mem{{}}",
                "\tv := newView(&res.head, mem.strs[:0], mem.ints[:0], mem.bools[:0])",
                f"\tmem.m = v.{low}(&res.v{objs})",
                "\tmem.m.Raw = v.response(&res.head.raw)",
                "\treturn &mem.m, nil", "}", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------- operations_gen.go

# Operations whose Go method is written by hand (client.go), and why. Every other
# operation but the C-hand-written ones gets a generated method; one the generator
# cannot express stops the run (see go_params) rather than silently having none.
GO_HAND_WRITTEN: Dict[str, str] = {
    "get_transient_token": "GetTransientToken: its defaulted query parameters are the call options "
                           "WithTransientTokenType and WithTransientTokenScope",
}

_GO_ARG_KINDS = {"str": "string", "int": "int64", "bool": "bool"}
_GO_RESERVED_ARGS = {"c", "ctx", "opts", "out", "err", "o", "e", "cl"} | _KEYWORDS | {"string", "bool", "int64"}


def generated(op) -> bool:
    """Whether operations_gen.go writes op's method: every operation but the
    C-hand-written ones (SignIn, client.go) and GO_HAND_WRITTEN."""
    if op.c_hand_written or op.name in GO_HAND_WRITTEN:
        return False
    problems = []
    if op.request:
        problems.append(f"a request object ({op.request})")
    for p in op.path_params + op.query + op.body_params:
        if p.kind not in _GO_ARG_KINDS:
            problems.append(f"parameter {p.wire} of kind {p.kind}")
        elif p.default is not None:
            problems.append(f"parameter {p.wire} with a default (a CallOption, written by hand)")
    if problems:
        raise SystemExit(f"emit_go: operation {op.name} has {', '.join(problems)}: write its method in client.go "
                         "and list it in GO_HAND_WRITTEN, or teach emit_go.operations_go")
    return True


def go_arg(p) -> str:
    """The Go argument of a parameter: id -> id, user_uuid -> userUUID (initialisms after the first word)."""
    first, *rest = p.c.split("_")
    name = first.lower() + camel("_".join(rest)) if rest else first.lower()
    return name + "_" if name in _GO_RESERVED_ARGS else name


def optional_str(p) -> bool:
    """A string parameter the caller may leave out: "" passes NULL (none)."""
    return p.kind == "str" and not p.required


def go_param_doc(p) -> str:
    """A parameter's doc in Go terms: C's NULL is "", non-zero is true."""
    doc = p.doc
    if optional_str(p):
        doc = doc.replace("NULL", '""') if "NULL" in doc else doc + ' "": none.'
    if p.kind == "bool":
        doc = doc.replace("Non-zero", "true")
    if p.secret:
        doc += " Secret: wiped from C memory after the call, never in an error or log line."
    return doc


def host_text(op) -> str:
    return {"pms": "{PMS}", "plex_tv": "{plex.tv}", "clients": "{clients.plex.tv}", "plex_tv_v1": "{plex.tv v1}"}[op.host]


def go_method(op, models: Models) -> List[str]:
    params = op.path_params + op.query + op.body_params
    m = models.by_name[op.result] if op.result else None
    args = "".join(f"{go_arg(p)} {_GO_ARG_KINDS[p.kind]}, " for p in params)
    returns = f"(*{m.go}, error)" if m else "error"
    fail = "return nil, err" if m else "return err"
    what = f"{op.method} {host_text(op)}{op.path}"
    if op.success == 204:
        what += ", 204: no result"
    out = comment(f"{op.go}: {op.doc} ({what})")
    for p in params:
        out += comment(f"{go_arg(p)}: {go_param_doc(p)}")
    out.append(f"func (c *Client) {op.go}(ctx context.Context, {args}opts ...CallOption) {returns} {{")
    cargs = []
    for p in params:
        go = go_arg(p)
        if p.kind == "int":
            cargs.append(f"C.int64_t({go})")
            continue
        if p.kind == "bool":
            cargs.append(f"cBool({go})")
            continue
        cname = "c" + camel(p.c)
        free = f"C.plexauthgo_wipe_free({cname})" if p.secret else f"C.free(unsafe.Pointer({cname}))"
        if optional_str(p):
            out += [f"\tvar {cname} *C.char", f'\tif {go} != "" {{', "\t\tvar err error",
                    f'\t\tif {cname}, err = cString("{go}", {go}); err != nil {{', f"\t\t\t{fail}", "\t\t}",
                    f"\t\tdefer {free}", "\t}"]
        else:
            out += [f'\t{cname}, err := cString("{go}", {go})', "\tif err != nil {", f"\t\t{fail}", "\t}",
                    f"\tdefer {free}"]
        cargs.append(cname)
    cargs = "".join(a + ", " for a in cargs)
    # Non-blocking underneath (client.go, start): the goroutine waits on a channel, not in cgo.
    head = ("c.start(ctx, collect(opts), func(cl *C.plexauth_client, o *C.plexauth_call_options, "
            "call **C.plexauth_call,")
    head2 = "\t\tdone C.plexauth_call_done_fn, ud unsafe.Pointer, e **C.plexauth_error) C.plexauth_status {"
    start = f"\t\treturn C.plexauth_client_{op.name}_start(call, cl, {cargs}o, nil, done, ud, e)"
    fin = "\t}, func(call *C.plexauth_call, e **C.plexauth_error) C.plexauth_status {"
    if m:
        out += [f"\tvar out *C.plexauth_{m.c}", f"\tif err := {head}", head2, start, fin,
                f"\t\treturn C.plexauth_client_{op.name}_finish(&out, call, e)",
                "\t}); err != nil {", "\t\treturn nil, err", "\t}", f"\treturn read{m.go}(out)", "}", ""]
    else:
        out += [f"\treturn {head}", head2, start, fin, f"\t\treturn C.plexauth_client_{op.name}_finish(call, e)",
                "\t})", "}", ""]
    return out


def operations_go(api, models: Models) -> str:
    for name in GO_HAND_WRITTEN:
        assert any(op.name == name for op in api.OPERATIONS), f"GO_HAND_WRITTEN: no operation {name}"
    ops = [op for op in api.OPERATIONS if generated(op)]
    strs = any(p.kind == "str" for op in ops for p in op.path_params + op.query + op.body_params)
    out = [generate.banner("//"), "", "package plexauth", "", "/*", "#include <stdlib.h>",
           "#include <plexauth/plexauth.h>", '#include "bridge.h"', "*/", 'import "C"', "", "import (", '\t"context"']
    out += ['\t"unsafe"', ")", ""]  # (unsafe.Pointer: the start's user data)
    for op in ops:
        out += go_method(op, models)
    out += ["// Per-call identity: each With... sets one X-Plex-* header for one call, beating the client's",
            "// Options (\"\" leaves the client's value).", ""]
    for i, s in enumerate(api.IDENTITY):
        name = "With" + camel(s.c)
        out += comment(f"{name} sets {s.header} for this call. {s.doc}")
        out.append(f"func {name}(v string) CallOption {{ return func(o *callOptions) {{ o.identity[{i}] = v }} }}")
        out.append("")
    out += ["// identityCallSetters set the identity of callOptions.identity, in its order.",
            f"var identityCallSetters = [{len(api.IDENTITY)}]struct {{",
            "\twhat string", "\tset  func(*C.plexauth_call_options, *C.char) C.plexauth_status", "}{"]
    for s in api.IDENTITY:
        out += [f'\t{{"With{camel(s.c)}", func(o *C.plexauth_call_options, v *C.char) C.plexauth_status {{',
                f"\t\treturn C.plexauth_call_options_set_{s.c}(o, v)", "\t}},"]
    out += ["}", ""]
    return "\n".join(out)


_PLACEHOLDERS = {"str": '"x"', "int": "1", "bool": "false"}


def operations_test_go(api) -> str:
    out = [generate.banner("//"), "", "package plexauth_test", "", "import (", '\t"context"', "",
           '\t"github.com/plexauth/plexauth-go"', ")", "",
           "// generatedCalls calls each generated operation method with placeholder arguments (the fake's",
           "// queued answers do not look at them); the every-field test adds the hand-written ones. An",
           "// operation without a result (204) gives a nil result.",
           "var generatedCalls = map[string]func(context.Context, *plexauth.Client) (any, error){"]
    for op in api.OPERATIONS:
        if generated(op):
            args = "".join(", " + _PLACEHOLDERS[p.kind] for p in op.path_params + op.query + op.body_params)
            ret = f"c.{op.go}(ctx{args})" if op.result else f"nil, c.{op.go}(ctx{args})"
            out += [f'\t"{op.name}": func(ctx context.Context, c *plexauth.Client) (any, error) {{',
                    f"\t\treturn {ret}", "\t},"]
    out += ["}", ""]
    return "\n".join(out)


# ----------------------------------------------------------------------- entry point


def outputs(api, ctx) -> Dict[str, str]:
    models = Models(api)
    header = ctx.header()
    return {
        GO + "ffi_gen.go": ffi_go(header, models),
        GO + "errors_gen.go": errors_go(api),
        GO + "bridge_gen.h": bridge_h(models),
        GO + "bridge_gen.c": bridge_c(models),
        GO + "models_gen.go": models_go(models),
        GO + "operations_gen.go": operations_go(api, models),
        GO + "operations_gen_test.go": operations_test_go(api),
        GO + "version_gen.go": "\n".join([
            generate.banner("//"), "", "package plexauth", "",
            "// bindingVersion is the version of libplexauth this binding was generated for.",
            f'const bindingVersion = "{ctx.version}"', ""]),
    }
