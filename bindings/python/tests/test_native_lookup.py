"""Where the binding looks for libplexauth (_native._candidates): PLEXAUTH_LIBRARY
alone when set; otherwise the copy bundled in the package directory (the wheel's
libplexauth.so.<SOVERSION> first), then the system loader's name."""

import os
from pathlib import Path

import pytest

from plexauth import _native, _prototypes


def _package_dir_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(_native, "__file__", str(tmp_path / "_native.py"))
    return tmp_path


def test_bundled_soname_first_then_system(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLEXAUTH_LIBRARY", raising=False)
    soname = f"libplexauth.so.{_prototypes.SOVERSION}"
    here = _package_dir_with(monkeypatch, tmp_path, "libplexauth.so", soname, soname + ".0", "notes.txt")
    assert _native._candidates() == [
        str(here / soname),
        str(here / "libplexauth.so"),
        str(here / (soname + ".0")),
        soname,  # the system loader's, by SONAME
    ]


def test_no_bundled_copy_means_system_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLEXAUTH_LIBRARY", raising=False)
    _package_dir_with(monkeypatch, tmp_path, "notes.txt")
    assert _native._candidates() == [f"libplexauth.so.{_prototypes.SOVERSION}"]


def test_environment_override_wins_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _package_dir_with(monkeypatch, tmp_path, f"libplexauth.so.{_prototypes.SOVERSION}")
    override = os.path.join(str(tmp_path), "elsewhere", "libplexauth.so")
    monkeypatch.setenv("PLEXAUTH_LIBRARY", override)
    assert _native._candidates() == [override]
