"""Checks ctypes declarations against include/plexauth/plexauth.h.

The header is parsed with codegen/cheader.py (imported by path). Each ctypes
type is turned back into the C type it can stand for, independently of the
generator's mapping (codegen/emit_python.py), and compared with the header's
type of every function: return type, number and type of every parameter.
"""

import ctypes
import importlib.util
import sys
from ctypes import POINTER, c_char, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_void_p
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

ROOT = Path(__file__).resolve().parents[3]
HEADER = ROOT / "include" / "plexauth" / "plexauth.h"

Declarations = Dict[str, Tuple[Any, Optional[List[Any]]]]


def load_cheader() -> Any:
    spec = importlib.util.spec_from_file_location("plexauth_cheader", ROOT / "codegen" / "cheader.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def parse_header() -> Any:
    return load_cheader().parse(HEADER.read_text(encoding="utf-8"))


# ctypes scalar -> the C scalar it is (c_int also carries C enums).
_SCALARS = {c_int: "int", c_uint: "unsigned", c_size_t: "size_t", c_int64: "int64_t", c_double: "double"}


_FUNCTION_POINTER: Any = getattr(ctypes, "_CFuncPtr")  # the base of every CFUNCTYPE type


def _matches(py: Any, c: Any, header: Any, returned: bool) -> bool:
    """Whether ctypes type ``py`` passes/returns C type ``c`` correctly."""
    base, depth = c.base, c.pointers
    if base.startswith("fnptr:"):  # an inline function pointer, passed as NULL or an address
        return py is c_void_p
    if depth == 0:
        if base == "void":
            return py is None
        if base in header.enums:
            return py is c_int
        if base in header.callbacks:
            ret, params = header.callbacks[base]
            if not (isinstance(py, type) and issubclass(py, _FUNCTION_POINTER)):
                return False
            fn: Any = py
            return (
                _matches(fn._restype_, ret, header, True)
                and len(fn._argtypes_) == len(params)
                and all(_matches(a, p.type, header, False) for a, p in zip(fn._argtypes_, params))
            )
        return bool(_SCALARS.get(py) == base)
    if depth == 1 and base == "char":
        # text (c_char_p), or returned bytes sliced with a length out-parameter
        return py is c_char_p or (returned and py is POINTER(c_char))
    if depth == 1 and (base == "void" or base in header.opaque):
        return py is c_void_p
    if depth == 1:
        scalars: List[Any] = [t for t, name in _SCALARS.items() if name == base]
        return any(py is POINTER(t) for t in scalars)
    if depth == 2 and base in header.opaque:
        return py is POINTER(c_void_p)
    return False


def mismatches(header: Any, declarations: Mapping[str, Tuple[Any, Optional[List[Any]]]]) -> List[str]:
    """Every difference between ``declarations`` and the header's functions
    (a function missing on either side counts)."""
    problems: List[str] = []
    names = {f.name for f in header.functions}
    for name in sorted(set(declarations) - names):
        problems.append(f"{name}: declared but not in the header")
    for f in header.functions:
        if f.name not in declarations:
            problems.append(f"{f.name}: in the header but not declared")
            continue
        restype, argtypes = declarations[f.name]
        if not _matches(restype, f.ret, header, True):
            problems.append(f"{f.name}: returns {restype!r}, the header says {f.ret}")
        if argtypes is None or len(argtypes) != len(f.params):
            problems.append(f"{f.name}: {0 if argtypes is None else len(argtypes)} argtypes for {len(f.params)} parameters")
            continue
        for i, (py, p) in enumerate(zip(argtypes, f.params)):
            if not _matches(py, p.type, header, False):
                problems.append(f"{f.name}: parameter {i} ({p.name}) is {py!r}, the header says {p.type}")
    return problems


def loaded_declarations(cdll: Any, header: Any) -> Declarations:
    """(restype, argtypes) as set on the loaded library, for every header function."""
    out: Declarations = {}
    for f in header.functions:
        fn = getattr(cdll, f.name)
        out[f.name] = (fn.restype, list(fn.argtypes) if fn.argtypes is not None else None)
    return out
