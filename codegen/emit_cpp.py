"""The C++ API (include/plexauth/plexauth.hpp): its generated sections.

The header is hand-written (handles, Error, Result, the future plumbing)
except between its `BEGIN GENERATED` / `END GENERATED` markers, which this
emitter fills from the API table:

  statuses               enum class Status
  models                 one class per model with a C handle: a result owns its
                         handle, a nested model borrows it (and keeps the result alive)
  config identity        Config's identity setters
  call options identity  CallOptions's identity setters
  sign-in identity       SignIn's identity setters
  operations             four methods per operation on Client: blocking (throws
                         plexauth::Error), try_ (returns Result<T>), _async returning a
                         plexauth::Future, _async taking a callback (returns a Call)

Every method is a one-line call of the C entry point through a generic helper
of the hand-written part (detail::call, detail::try_call, detail::start_future,
Call(detail::start)), so that an operation added to api.py costs nothing here.
"""

from __future__ import annotations

import re
from typing import Dict, List, Tuple

from emit_c import c_comment, handle_models, models_by_name, result_models
from schema import Field, Model, Operation

HPP = "include/plexauth/plexauth.hpp"


def replace_section(text: str, name: str, body: str) -> str:
    begin = f"/* BEGIN GENERATED: {name} (codegen/generate.py; edit codegen/api.py) */"
    end = f"/* END GENERATED: {name} */"
    pattern = re.compile(r"([ \t]*)" + re.escape(begin) + r".*?" + re.escape(end), re.S)
    m = pattern.search(text)
    if not m:
        raise SystemExit(f"{HPP}: no generated section '{name}'")
    indent = m.group(1)
    lines = [(indent + line).rstrip() for line in body.rstrip("\n").split("\n")]
    return text[:m.start()] + indent + begin + "\n" + "\n".join(lines) + "\n" + indent + end + text[m.end():]


def doc(text: str, indent: str = "", params=(), ret: str = "") -> str:
    return c_comment(text, indent=indent, params=params, ret=ret)


# ----------------------------------------------------------------------- statuses


def statuses(api) -> str:
    out = ["/** A call's outcome: plexauth_status as a scoped enumeration (the same values). */",
           "enum class Status : int {"]
    for s in api.STATUSES:
        out.append(doc(s.doc, indent="  "))
        out.append(f"  {s.core} = {s.c_enum},")
    out.append("};")
    return "\n".join(out)


# ----------------------------------------------------------------------- models

RESERVED_MEMBERS = {"raw", "response", "json", "c_type"}


def getters(api, model: Model, prefix: str, cfn: str, wire_prefix: str = "") -> List[str]:
    """The getter methods of `model`'s fields; `cfn` is the C getter prefix (plexauth_<m>_)."""
    by = models_by_name(api)
    out: List[str] = []
    for f in model.fields:
        name = prefix + f.member
        assert name not in RESERVED_MEMBERS, name
        c = cfn + f.c
        text = f"{wire_prefix}{f.wire}: {f.doc}"
        if f.kind in ("str", "json"):
            if f.required:
                out.append(doc(f"{text} (Required: the library checked it is present.)", ret="The value."))
                out.append(f"std::string {name}() const {{ return detail::str_or_empty({c}(raw())); }}")
            else:
                what = "Compact JSON text" if f.kind == "json" else "The value"
                out.append(doc(text, ret=f"{what}; std::nullopt when absent or null."))
                out.append(f"std::optional<std::string> {name}() const {{ return detail::opt_str({c}(raw())); }}")
        elif f.kind in ("int", "time"):
            if f.required:
                out.append(doc(f"{text} (Required: the library checked it is present.)", ret="The value."))
                out.append(f"std::int64_t {name}() const {{ return detail::opt_num<std::int64_t>(&{c}, raw()).value_or(0); }}")
            else:
                out.append(doc(text, ret="The value; std::nullopt when absent or null."))
                out.append(f"std::optional<std::int64_t> {name}() const {{ return detail::opt_num<std::int64_t>(&{c}, raw()); }}")
        elif f.kind == "bool":
            if f.required:
                out.append(doc(f"{text} (Required: the library checked it is present.)", ret="The value."))
                out.append(f"bool {name}() const {{ return detail::opt_bool(&{c}, raw()).value_or(false); }}")
            else:
                out.append(doc(text, ret="The value; std::nullopt when absent or null."))
                out.append(f"std::optional<bool> {name}() const {{ return detail::opt_bool(&{c}, raw()); }}")
        elif f.kind == "count":
            out.append(doc(text, ret="The number of entries (0 when absent)."))
            out.append(f"std::size_t {name}_count() const {{ return {c}_count(raw()); }}")
        elif f.kind == "strlist":
            out.append(doc(text, ret="The entries (empty when absent)."))
            out.append(f"std::vector<std::string> {name}() const {{ return detail::str_list(&{c}_count, &{c}_at, raw()); }}")
        elif f.kind == "list":
            sub = by[f.model]
            out.append(doc(text, ret="The entries (empty when absent); each keeps this result alive."))
            out.append(f"std::vector<{sub.name}> {name}() const {{ return detail::obj_list<{sub.name}>(&{c}_count, &{c}_at, raw(), owner_); }}")
        elif f.kind == "obj":
            sub = by[f.model]
            out.append(doc(text, ret="The object (it keeps this result alive); std::nullopt when absent."))
            out.append(f"std::optional<{sub.name}> {name}() const {{ return detail::opt_obj<{sub.name}>({c}(raw()), owner_); }}")
        elif f.kind == "inline":
            sub = by[f.model]
            out += getters(api, sub, name + "_", c + "_", wire_prefix=f"{f.wire}.")
    return out


def model_class(api, m: Model, is_result: bool) -> str:
    c = f"plexauth_{m.c}"
    body: List[str] = []
    if is_result:
        body += [
            f"/** The C type this class owns. */",
            f"using c_type = {c};",
            doc(f"Takes ownership of a C result (freed with {c}_free()).",
                params=[("", "adopt", "The result, or NULL for an empty object whose fields are all absent.")]),
            f"explicit {m.name}({c} *adopt) : owner_(adopt, &{c}_free) {{}}",
            f"{m.name}(const {m.name} &) = delete;",
            f"{m.name} &operator=(const {m.name} &) = delete;",
            "/** Moves the result; the moved-from object answers as if every field were absent. */",
            f"{m.name}({m.name} &&) noexcept = default;",
            "/** Moves the result. @return *this. */",
            f"{m.name} &operator=({m.name} &&) noexcept = default;",
            "/** The C handle (borrowed; NULL after a move). @return The handle. */",
            f"const {c} *raw() const noexcept {{ return owner_.get(); }}",
            doc("The HTTP response behind the result.", ret="A view that keeps this result alive."),
            f"Response response() const {{ return Response({c}_response(raw()), owner_); }}",
            doc("The parsed result as compact JSON with the wire names.", ret="The JSON text."),
            f"std::string json() const {{ return detail::json_text(&{c}_json, raw()); }}",
        ]
    else:
        body += [
            f"/** The C type this class views. */",
            f"using c_type = {c};",
            doc("A view of a nested object.",
                params=[("", "h", "The object (borrowed from the owner)."),
                        ("", "owner", "Keeps the result that holds it alive.")]),
            f"{m.name}(const {c} *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {{}}",
            "/** The C handle (borrowed from the result). @return The handle. */",
            f"const {c} *raw() const noexcept {{ return h_; }}",
        ]
    body += getters(api, m, "", f"plexauth_{m.c}_")
    out = [doc(m.doc + (" Owns its C result; move-only." if is_result else
                        " A view into a result, which it keeps alive; copyable.")),
           f"class {m.name} {{", " public:"]
    out += ["  " + line for chunk in body for line in chunk.split("\n")]
    if is_result:
        out += [" private:", f"  std::shared_ptr<{c}> owner_;"]
    else:
        out += [" private:", f"  const {c} *h_;", "  std::shared_ptr<const void> owner_;"]
    out.append("};")
    return "\n".join(out)


def models(api) -> str:
    results = result_models(api)
    ordered = handle_models(api)
    # Nested classes before the classes that return them (api.MODELS lists nested models first).
    ordered.sort(key=lambda m: [x.name for x in api.MODELS].index(m.name))
    for m in ordered:
        assert not (m in results and any(f.model == m.name for r in ordered for f in r.fields)), m.name
    return "\n\n".join(model_class(api, m, m in results) for m in ordered)


# ----------------------------------------------------------------------- identity


def identity(api, cls: str, cfn: str) -> str:
    out: List[str] = []
    for s in api.IDENTITY:
        out.append(doc(f"The identity header {s.header}: {s.doc}",
                       params=[("", "value", "UTF-8; std::nullopt clears the setting.")],
                       ret="*this. Throws plexauth::Error (invalid_argument) for a value the library refuses."))
        out.append(f"{cls} &{s.c}(std::optional<std::string_view> value) {{\n"
                   f"  detail::check({cfn}{s.c}(h_.get(), detail::CStr(value).get()), \"{s.c}\");\n"
                   f"  return *this;\n}}")
    return "\n".join(out)


# ----------------------------------------------------------------------- operations


def cpp_params(op: Operation, defaults: bool) -> List[Tuple[str, str, str]]:
    """(C++ declaration, C argument expression, doc) of an operation's caller parameters."""
    if op.request:
        cls = {"sign_in": "SignIn"}[op.request]
        return [(f"const {cls} &req", "req.raw()", "The request (read, not kept).")]
    out = []
    for p in list(op.path_params) + list(op.query) + list(op.body_params):
        text = p.doc
        if p.kind == "int":
            out.append((f"std::int64_t {p.c}", p.c, text))
        elif p.kind == "bool":
            dflt = " = false" if defaults and not p.required else ""
            out.append((f"bool {p.c}{dflt}", f"{p.c} ? 1 : 0", text))
        elif p.default is not None or not p.required:
            dflt = " = std::nullopt" if defaults else ""
            extra = f' (std::nullopt: "{p.default}")' if p.default is not None else " (std::nullopt: none)"
            out.append((f"std::optional<std::string_view> {p.c}{dflt}", f"detail::CStr({p.c}).get()", text + extra))
        else:
            out.append((f"std::string_view {p.c}", f"detail::CStr({p.c}).get()", text))
    return out


def operations(api) -> str:
    by = models_by_name(api)
    out: List[str] = []
    for op in api.OPERATIONS:
        r = by[op.result].name if op.result else "void"
        c_out = f"plexauth_{by[op.result].c} **out, " if op.result else ""
        out_arg = "out, " if op.result else ""
        with_defaults = cpp_params(op, True)
        plain = cpp_params(op, False)
        args = "".join(a + ", " for _d, a, _t in with_defaults)
        pdocs = [("", _name(d), t) for d, _a, t in with_defaults]
        opts_doc = ("", "opts", "Per-call options (a CallOptions), or none.")
        loop_doc = ("", "loop", "The Loop to run on, or none for the client's own (a thread-mode loop).")
        decl = "".join(d + ", " for d, _a, _t in with_defaults)
        decl_plain = "".join(d + ", " for d, _a, _t in plain)
        ret_doc = f"The {r}." if op.result else ""
        out.append(f"// {op.name}")
        # A void method documents no @return (Doxygen warns about one): its throw goes in the text.
        out.append(doc(f"{op.doc} Blocks until the call (with its retries) ends; see plexauth_client_{op.name}()."
                       + ("" if op.result else " Throws plexauth::Error on failure."),
                       params=pdocs + [opts_doc],
                       ret=ret_doc + " Throws plexauth::Error on failure." if op.result else ""))
        out.append(f"{r} {op.name}({decl}CallOptionsRef opts = {{}}) const {{\n"
                   f"  return detail::call<{r}>([&]({c_out}plexauth_error **err) {{\n"
                   f"    return plexauth_client_{op.name}({out_arg}raw(), {args}opts.raw(), err);\n"
                   f"  }});\n}}")
        out.append(doc(f"{op.name}() without exceptions for the call's failures.",
                       params=pdocs + [opts_doc],
                       ret=f"The {r} or the plexauth::Error." if op.result else "Success or the plexauth::Error."))
        out.append(f"Result<{r}> try_{op.name}({decl}CallOptionsRef opts = {{}}) const {{\n"
                   f"  return detail::try_call<{r}>([&]({c_out}plexauth_error **err) {{\n"
                   f"    return plexauth_client_{op.name}({out_arg}raw(), {args}opts.raw(), err);\n"
                   f"  }});\n}}")
        start = (f"[&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {{\n"
                 f"    return plexauth_client_{op.name}_start(c_call, raw(), {args}opts.raw(), loop.raw(), c_done, "
                 f"c_user_data, c_err);\n  }}")
        out.append(doc(f"{op.name}() without blocking: starts the call on `loop` and returns at once. With an "
                       f"external Loop, the future is ready only once the host has driven the loop.",
                       params=pdocs + [opts_doc, loop_doc],
                       ret=f"A Future of the {r} (its get() throws plexauth::Error on failure). Throws "
                           f"plexauth::Error when the call could not be started."))
        out.append(f"Future<{r}> {op.name}_async({decl}CallOptionsRef opts = {{}}, LoopRef loop = {{}}) const {{\n"
                   f"  return detail::start_future<{r}>(&plexauth_client_{op.name}_finish, {start});\n}}")
        out.append(doc(f"{op.name}() without blocking: starts the call on `loop`; `done` runs once with its outcome "
                       f"(on the loop's thread, or inside Loop::process() for an external loop).",
                       params=[(a, b, t) for a, b, t in pdocs] + [("", "done", "Receives the outcome; must not throw."),
                                                                  opts_doc, loop_doc],
                       ret="The pending call (dropping it does not cancel it). Throws plexauth::Error when the call "
                           "could not be started."))
        out.append(f"Call {op.name}_async({decl_plain}std::function<void(Result<{r}>)> done, "
                   f"CallOptionsRef opts = {{}}, LoopRef loop = {{}}) const {{\n"
                   f"  return Call(detail::start<{r}>(&plexauth_client_{op.name}_finish, std::move(done), {start}));\n}}")
    return "\n".join(out)


def _name(decl: str) -> str:
    return decl.split("=")[0].split()[-1].lstrip("&")


# ----------------------------------------------------------------------- every-field test


def every_field_inc(api) -> str:
    """check_every_field(const plexauth::M &): each C++ getter of a result against the every-field
    fixture's value (tests/cpp/every_field_test.cpp serves the fixture's body)."""
    import json

    from emit_c import fixture
    from generate import banner

    by = models_by_name(api)
    fix = json.loads(fixture(api))
    out = [banner("//"), "// Every C++ getter against the every-field fixture (tests/cpp/every_field_test.cpp).", ""]
    for m in result_models(api):
        out.append(f"inline void check_every_field(const plexauth::{m.name} &r) {{")
        for row in fix[m.c]["fields"]:
            # Walk the dotted path: the C++ expression of the owner, then the getter.
            expr, model, prefix = "r", m, ""
            parts = re.findall(r"(\w+)(?:\[(\d+)\])?", row["path"])
            for wire, idx in parts[:-1]:
                f = next(f for f in model.fields if f.wire == wire)
                if f.kind == "inline":
                    prefix += f.member + "_"
                elif f.kind == "list":
                    expr = f"{expr}.{prefix}{f.member}().at({idx})"
                    prefix = ""
                else:
                    expr = f"{expr}.{prefix}{f.member}().value()"
                    prefix = ""
                model = by[f.model]
            wire, _ = parts[-1]
            f = next(f for f in model.fields if f.wire == wire)
            g = f"{expr}.{prefix}{f.member}"
            v = row["value"]
            what = json.dumps(row["path"])
            if f.kind == "count":
                out.append(f"  EXPECT_EQ({g}_count(), {v}u) << {what};")
            elif row["kind"] == "list_len":
                out.append(f"  EXPECT_EQ({g}().size(), {v}u) << {what};")
            elif f.kind == "str":
                out.append(f"  EXPECT_EQ({g}(), {json.dumps(v)}) << {what};")
            elif f.kind == "json":
                out.append(f"  EXPECT_EQ({g}(), {json.dumps(json.dumps(v, separators=(',', ':')))}) << {what};")
            elif f.kind in ("int", "time"):
                out.append(f"  EXPECT_EQ({g}(), std::int64_t{{{v}}}) << {what};")
            elif f.kind == "bool":
                out.append(f"  EXPECT_EQ({g}(), {'true' if v else 'false'}) << {what};")
            elif f.kind == "strlist":
                items = ", ".join(json.dumps(item) for item in v)
                out.append(f"  EXPECT_EQ({g}(), (std::vector<std::string>{{{items}}})) << {what};")
            else:
                raise SystemExit(f"every_field_inc: {row['path']}: kind {f.kind}")
        out.append("}")
        out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------- outputs


def outputs(api, ctx) -> Dict[str, str]:
    text = ctx.read(HPP)
    sections = {
        "statuses": statuses(api),
        "models": models(api),
        "config identity": identity(api, "Config", "plexauth_config_set_"),
        "call options identity": identity(api, "CallOptions", "plexauth_call_options_set_"),
        "sign-in identity": identity(api, "SignIn", "plexauth_sign_in_set_"),
        "operations": operations(api),
    }
    for name, body in sections.items():
        text = replace_section(text, name, body)
    return {HPP: text, "tests/cpp/every_field.gen.inc": every_field_inc(api)}
