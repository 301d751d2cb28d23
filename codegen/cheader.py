"""Reads include/plexauth/plexauth.h: its functions (return type, parameters),
its enums and its opaque types. The bindings' declarations are generated from
this, and the bindings' tests use it to check their declarations against the
header (check_bindings.py).

The header is written in a regular style (one declaration per statement,
`PLEXAUTH_API` before each function), which is all this parser handles; it
fails loudly on anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class CType:
    """A C type reduced to what FFI needs: base name, constness of the pointee
    and pointer depth. Function pointers keep their typedef name."""

    base: str  # e.g. "char", "int64_t", "plexauth_client", "plexauth_log_fn", "void"
    pointers: int = 0
    const: bool = False  # the (innermost) pointee is const

    def __str__(self) -> str:
        return ("const " if self.const else "") + self.base + " " + "*" * self.pointers


@dataclass(frozen=True)
class Param:
    type: CType
    name: str


@dataclass(frozen=True)
class Function:
    name: str
    ret: CType
    params: Tuple[Param, ...]


@dataclass
class Header:
    functions: List[Function]
    enums: Dict[str, List[Tuple[str, int]]]  # typedef name -> [(enumerator, value)]
    opaque: List[str]  # typedef struct X X;
    callbacks: Dict[str, Tuple[CType, Tuple[Param, ...]]]  # typedef R (*name)(params);
    macros: Dict[str, str]  # simple #define NAME value

    def function(self, name: str) -> Function:
        for f in self.functions:
            if f.name == name:
                return f
        raise KeyError(name)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: " " * 0 + "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def parse_type(text: str) -> CType:
    t = " ".join(text.replace("*", " * ").split())
    pointers = t.count("*")
    words = [w for w in t.split() if w != "*"]
    const = "const" in words
    words = [w for w in words if w not in ("const", "struct", "enum")]
    if len(words) == 2 and words[0] == "unsigned" and words[1] == "int":
        words = ["unsigned"]
    if len(words) != 1:
        raise ValueError(f"cannot read the type {text!r}")
    return CType(words[0], pointers, const and pointers > 0)


def split_params(text: str) -> List[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def parse_param(text: str, anonymous_ok: bool = False) -> Param:
    m = re.fullmatch(r"(.*?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)", text, flags=re.S)
    if m:  # an inline function pointer: void (*destroy)(void *user_data)
        return Param(CType("fnptr:" + " ".join(text.split()), 1), m.group(2))
    m = re.fullmatch(r"(.*?[\s*])(\w+)", text, flags=re.S)
    if not m or text.strip() == "void":
        if anonymous_ok:
            return Param(parse_type(text), "")
        raise ValueError(f"cannot read the parameter {text!r}")
    return Param(parse_type(m.group(1)), m.group(2))


def parse(text: str) -> Header:
    macros = dict(re.findall(r"^#define\s+(PLEXAUTH_\w+)\s+([^\s\\].*?)\s*$", text, flags=re.M))
    src = strip_comments(text)
    src = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", "", src, flags=re.M)  # directives and their continuations
    statements = [" ".join(s.split()) for s in src.split(";")]
    functions: List[Function] = []
    enums: Dict[str, List[Tuple[str, int]]] = {}
    opaque: List[str] = []
    callbacks: Dict[str, Tuple[CType, Tuple[Param, ...]]] = {}
    for st in statements:
        st = st.replace('extern "C" {', "").replace("}  ", "} ").strip()
        st = re.sub(r'^(extern "C" \{|\})\s*', "", st).strip()
        if not st:
            continue
        m = re.fullmatch(r"typedef struct (\w+) (\w+)", st)
        if m:
            opaque.append(m.group(2))
            continue
        m = re.fullmatch(r"typedef enum (\w+) \{(.*)\} (\w+)", st)
        if m:
            values = []
            for item in m.group(2).split(","):
                if item.strip():
                    k, v = item.split("=")
                    values.append((k.strip(), int(v.strip())))
            enums[m.group(3)] = values
            continue
        m = re.fullmatch(r"typedef (.+?)\(\s*\*\s*(\w+)\s*\)\s*\((.*)\)", st)
        if m:
            callbacks[m.group(2)] = (parse_type(m.group(1)),
                                     tuple(parse_param(p, True) for p in split_params(m.group(3))))
            continue
        m = re.fullmatch(r"PLEXAUTH_API (.+?)\b(plexauth_\w+)\s*\((.*)\)", st)
        if m:
            raw = split_params(m.group(3))
            params = tuple(parse_param(p) for p in raw if p != "void")
            functions.append(Function(m.group(2), parse_type(m.group(1)), params))
            continue
        if st.startswith("PLEXAUTH_API"):
            raise ValueError(f"cannot read the declaration {st!r}")
    return Header(functions, enums, opaque, callbacks, macros)


def find(header: Header, name: str) -> Optional[Function]:
    for f in header.functions:
        if f.name == name:
            return f
    return None
