#!/usr/bin/env python3
"""Runs one of the guides' example programs (docs/examples/<lang>/) against a
fresh plexauth-fake on 127.0.0.1, playing the user: the password, 2FA code and
Home PIN on its stdin, and the approval of its PIN login through the fake's
control endpoint. Checks what it printed. Bounded (60 s); cleans up.

    run_example.py FAKE_PROGRAM WORK_DIR -- COMMAND...
"""

import json
import re
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

# What every tour prints, in order (each language the same lines).
EXPECTED = [
    "signed in as user12345",
    "token details: user12345 <user12345@example.com>",
    "ping: pong",
    "transient token: received",
    "source Living Room: https://10.0.0.5:32400 (local)",
    "PIN approved",
    "switched to Kid",
    "refused: unauthorized, HTTP 401, Plex code 1001",
    "signed out",
]
FIRST_PIN_ID = 1000002  # the fake's first PIN after start-up
STDIN = "hunter2-secret\n123456\n1234\n"  # the fake's test secrets, not real ones


def main() -> int:
    fake, work = sys.argv[1], Path(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1:]
    # --expect LINE ... before "--": another example's lines (then no tour checks).
    options = sys.argv[3:sys.argv.index("--")]
    expected = [options[i + 1] for i, o in enumerate(options) if o == "--expect"] or EXPECTED
    stdin = STDIN if expected is EXPECTED else "CxoUzBTSV5hsxjTpFKaf\n"  # the fake's account A token
    work.mkdir(parents=True, exist_ok=True)
    port_file = work / "port"
    port_file.unlink(missing_ok=True)
    server = subprocess.Popen([fake, "--port-file", str(port_file), "--max-seconds", "90"],
                              stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or server.poll() is not None:
                print("FAIL: plexauth-fake did not start", file=sys.stderr)
                return 1
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port_file.read_text().strip()}"
        stop = threading.Event()

        def approve() -> None:  # the user approving the code in a browser
            body = json.dumps({"id": FIRST_PIN_ID, "login": "username@email.com"}).encode()
            while not stop.is_set():
                req = urllib.request.Request(base + "/_fake/pins/approve", body, method="POST",
                                             headers={"Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(req, timeout=2):
                        return
                except OSError:
                    stop.wait(0.1)

        approver = threading.Thread(target=approve, daemon=True)
        approver.start()
        env = dict(os.environ, PLEX_SERVER=base, PLEX_TV_URL=base + "/api/v2",
                   PLEXAUTH_CLIENT_ID_FILE=str(work / "client_id"))
        for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env.pop(name, None)
        try:
            run = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=60)
        finally:
            stop.set()
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        if run.returncode != 0:
            print(f"FAIL: {command[0]} exited with {run.returncode}", file=sys.stderr)
            return 1
        lines = iter(run.stdout.splitlines())
        for want in expected:
            if not any(line.startswith(want) for line in lines):
                print(f"FAIL: no line starting {want!r} (in order)", file=sys.stderr)
                return 1
        # The 2FA code as a word (the fake's plex.direct hash, 0123456789abcdef..., holds its digits).
        for secret in ("hunter2-secret", r"\b123456\b", "gHjKlMnOpQrStUvWxYz", "CxoUzBTSV5hsxjTpFKaf"):
            if re.search(secret, run.stdout + run.stderr):
                print("FAIL: a secret was printed", file=sys.stderr)
                return 1
        if expected is EXPECTED and len((work / "client_id").read_text().strip()) != 36:
            print("FAIL: no stored client identifier", file=sys.stderr)
            return 1
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
