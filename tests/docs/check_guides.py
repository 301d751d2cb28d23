#!/usr/bin/env python3
"""Checks that the guides (docs/guide-*.md) quote their examples verbatim.

A guide quotes a region of an example file (between its `[name]` and `[end]`
marker lines) as
    <!-- example: docs/examples/c/tour.c setup -->
followed by a fenced code block, which must equal the region (dedented). Every
region of an example a guide quotes must be quoted (each flow is shown), and a
guide's code blocks in the example's language must all be such quotes, so that
every example in the guides is one the tests run.

    check_guides.py SOURCE_DIR
"""

import re
import sys
import textwrap
from pathlib import Path

QUOTE = re.compile(r"<!-- example: (\S+) (\S+) -->\n```(\w+)\n(.*?)```", re.S)
FENCE = re.compile(r"^```(\w+)$", re.M)
LANGS = {".c": "c", ".cpp": "cpp", ".py": "python", ".rs": "rust", ".go": "go"}


def regions(path: Path) -> dict:
    out, name, lines = {}, None, []
    for line in path.read_text().splitlines():
        marker = re.search(r"\[(\w+)\]", line) if line.strip().startswith(("/*", "#", "//")) else None
        if marker and marker.group(1) == "end" and name:
            out[name] = textwrap.dedent("\n".join(lines)) + "\n"
            name = None
        elif marker and marker.group(1) != "end" and name is None:
            name, lines = marker.group(1), []
        elif name:
            lines.append(line)
    return out


def main() -> int:
    root = Path(sys.argv[1])
    problems = []
    guides = sorted((root / "docs").glob("guide-*.md"))
    for guide in guides:
        text = guide.read_text()
        quoted = {}
        for path, name, lang, body in QUOTE.findall(text):
            file = root / path
            if not file.exists():
                problems.append(f"{guide.name}: {path} does not exist")
                continue
            want = regions(file).get(name)
            if want is None:
                problems.append(f"{guide.name}: {path} has no region [{name}]")
            elif body != want:
                problems.append(f"{guide.name}: the quote of {path} [{name}] differs from the file")
            quoted.setdefault(path, set()).add(name)
            if LANGS.get(file.suffix) != lang:
                problems.append(f"{guide.name}: {path} quoted as {lang}")
        for path, names in quoted.items():
            missing = set(regions(root / path)) - names
            if missing:
                problems.append(f"{guide.name}: regions of {path} not shown: {sorted(missing)}")
        langs = {LANGS[Path(p).suffix] for p in quoted}
        fences = [m.group(1) for m in FENCE.finditer(text)]
        untested = sum(1 for f in fences if f in langs) - len(QUOTE.findall(text))
        if untested > 0:
            problems.append(f"{guide.name}: {untested} code block(s) in {sorted(langs)} are not quoted examples")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    print(f"{len(guides)} guides checked")
    return 1 if problems or not guides else 0


if __name__ == "__main__":
    sys.exit(main())
