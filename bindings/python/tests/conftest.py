"""Fixtures: one plexauth-fake process for the session, reset before each test.

Needs PLEXAUTH_FAKE (the plexauth-fake program) and a loadable libplexauth
(PLEXAUTH_LIBRARY, or the system loader path).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest

# Test the source tree, not whatever copy may be installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import plexauth  # noqa: E402

from support import IDENTITY_ENV, Fake  # noqa: E402


@pytest.fixture(scope="session")
def fake() -> Iterator[Fake]:
    program = os.environ.get("PLEXAUTH_FAKE")
    if not program or not os.access(program, os.X_OK):
        pytest.fail("set PLEXAUTH_FAKE to the plexauth-fake program (built to <build>/tests/fake/plexauth-fake)")
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen(
            [program, "--port", "0", "--port-file", str(port_file), "--max-seconds", "900"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 15
            while not (port_file.exists() and port_file.read_text().strip()):
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr and proc.poll() is not None else ""
                    pytest.fail(f"plexauth-fake did not start: {err}")
                time.sleep(0.02)
            yield Fake(int(port_file.read_text().split()[0]))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> Fake:
    """Each test starts with a reset fake, the seed's env vars pointing at it,
    and no identity taken from the developer's environment."""
    fake.reset()
    monkeypatch.setenv("PLEX_TV_URL", fake.plex_tv)
    monkeypatch.setenv("PLEX_SERVER_URL", fake.base)
    for name in IDENTITY_ENV:
        monkeypatch.delenv(name, raising=False)
    return fake


@pytest.fixture
def make_client() -> Iterator[Callable[..., plexauth.PlexAPI]]:
    """PlexAPI factory (retries off unless given; clients closed at teardown)."""
    made: List[plexauth.PlexAPI] = []

    def make(**kwargs: Any) -> plexauth.PlexAPI:
        kwargs.setdefault("retry_config", None)
        kwargs.setdefault("client_id", "test-client-id")
        client = plexauth.PlexAPI(**kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
