#!/usr/bin/env python3
"""The version is single-sourced from project(plexauth VERSION x.y.z) in
CMakeLists.txt: the header, every binding's manifest and version constant, and
CHANGELOG.md's latest release must all say the same.

    check_versions.py SOURCE_DIR
"""

import re
import sys
from pathlib import Path


def main() -> int:
    root = Path(sys.argv[1])
    version = re.search(r"project\(plexauth VERSION (\d+\.\d+\.\d+)", (root / "CMakeLists.txt").read_text()).group(1)
    major, minor, patch = version.split(".")
    checks = {
        "include/plexauth/plexauth.h": [f'#define PLEXAUTH_VERSION_STRING "{version}"',
                                        f"#define PLEXAUTH_VERSION_MAJOR {major}",
                                        f"#define PLEXAUTH_VERSION_MINOR {minor}",
                                        f"#define PLEXAUTH_VERSION_PATCH {patch}"],
        "bindings/python/pyproject.toml": [f'version = "{version}"'],
        "bindings/python/src/plexauth/__init__.py": [f'__version__ = "{version}"'],
        "bindings/rust/Cargo.toml": [f'version = "{version}"'],
        "bindings/go/version_gen.go": [f'bindingVersion = "{version}"'],
    }
    problems = []
    for path, needles in checks.items():
        text = (root / path).read_text()
        problems += [f"{path} lacks {n!r}" for n in needles if n not in text]
        found = set(re.findall(r"(?<![\d.])(\d+\.\d+\.\d+)(?![\d.])", text)) & {v for v in re.findall(
            r"^version = \"(\d+\.\d+\.\d+)\"", text, re.M)}
        problems += [f"{path} says version {v}" for v in found if v != version]
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (root / "CHANGELOG.md").read_text(), re.M)
    if not releases or releases[0] != version:
        problems.append(f"CHANGELOG.md's latest release is {releases[:1]}, not {version}")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    print(f"version {version}: {len(checks)} files and CHANGELOG.md checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
