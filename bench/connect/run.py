#!/usr/bin/env python3
"""Time to connect: plexauth (PlexAPI.connect, through the Python binding) vs python-plexapi's
MyPlexResource.connect(), on one topology of loopback servers from plexauth-fake.

The topology (issue #12 item 7): one owned server with 10 connections, in plex.tv's order:
3 local black holes, 4 remote black holes, a remote refusal, a remote server that answers with
another machineIdentifier (wrong_id), and the relay that answers after 20 ms. Everything listens on
127.0.0.1; every probe is bounded (plexauth's deadline, plexapi's timeout); the fake stops by itself.

    bench/connect/run.py                      # from the repository root, after scripts/build.sh
    bench/connect/run.py --rounds 3 --no-plexapi

Needs build/stage (the library), build/tests/fake/plexauth-fake, and for the python-plexapi rows
a virtualenv with PlexAPI (the one bench/compare makes in _build-compare/venv; made here when
missing). Prints a Markdown table and the goal check; --json FILE writes the numbers.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parents[2]
PLEXAPI_PIN = "PlexAPI==4.18.3"  # as bench/compare
TOKEN_A = "CxoUzBTSV5hsxjTpFKaf"  # the fake's seeded account A (not a real token)
OFFICE, OFFICE_TOKEN = "0ff1ce0000000000", "officeTok123"
RELAY_DELAY_MS = 20


def topology() -> Dict[str, Any]:
    hole = {"behaviour": "blackhole"}
    connections = ([dict(hole, local=True) for _ in range(3)] + [dict(hole) for _ in range(4)]
                   + [{"behaviour": "refuse"}, {"behaviour": "wrong_id"},
                      {"behaviour": "ok", "relay": True, "delay_ms": RELAY_DELAY_MS}])
    return {"servers": [{"name": "Office", "clientIdentifier": OFFICE, "owned": True,
                         "accessToken": OFFICE_TOKEN, "connections": connections}]}


class Fake:
    """plexauth-fake on 127.0.0.1 with the topology, stopping by itself after max_seconds."""

    def __init__(self, program: Path, work: Path, max_seconds: int) -> None:
        topo, self.resources_file = work / "topology.json", work / "resources.json"
        topo.write_text(json.dumps(topology()))
        self.proc = subprocess.Popen(
            [str(program), "--host", "127.0.0.1", "--port", "0", "--max-seconds", str(max_seconds),
             "--topology", str(topo), "--topology-out", str(self.resources_file)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise SystemExit("plexauth-fake did not print its port")
        self.base = f"http://127.0.0.1:{line}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


# ------------------------------------------------------------------ plexauth

def run_plexauth(fake: Fake, rounds: int, stagger_ms: int, grace_ms: int) -> Dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bindings" / "python" / "src"))
    from plexauth import PlexAPI

    # Every URL named explicitly: the fake's plex.tv API and PMS (nothing falls back to a default).
    with PlexAPI(access_token=TOKEN_A, client_id="bench-connect", plex_tv_url=fake.base + "/api/v2",
                 server_url=fake.base, retry_config=None) as s:
        devices = s.authentication.list_resources().object.devices or []
        (office,) = [d for d in devices if d.client_identifier == OFFICE]
        times: List[float] = []
        latency: List[int] = []
        tried: List[int] = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            result = s.connect(office, stagger_ms=stagger_ms, grace_ms=grace_ms, deadline_ms=10000)
            times.append((time.perf_counter() - t0) * 1000)
            winner = next(a for a in result.attempts if a.uri == result.uri)
            if winner.location != "relay" or result.machine_identifier != OFFICE:
                raise SystemExit(f"plexauth chose {winner.location} {result.uri}, not the relay")
            latency.append(winner.elapsed_ms or 0)
            tried.append(sum(1 for a in result.attempts if a.started_ms is not None))
            outcomes = [a.outcome for a in result.attempts]
    return {"times_ms": times, "median_ms": statistics.median(times), "relay_latency_ms": statistics.median(latency),
            "tried": max(tried), "candidates": len(outcomes), "outcomes": outcomes, "chose": "relay connection: Office",
            "stagger_ms": stagger_ms, "grace_ms": grace_ms}


# ------------------------------------------------------------------ python-plexapi

def plexapi_driver(resources_file: str, rounds: int, timeout: float, fast: bool) -> None:
    """Runs in the venv: MyPlexResource built from the fake's resources (plex.tv answers plexapi
    XML; the fake's JSON array is turned into the same element), .connect(timeout=...)."""
    import xml.etree.ElementTree as ET

    import requests
    from plexapi import myplex

    myplex.X_PLEX_ENABLE_FAST_CONNECT = fast  # plexapi.enable_fast_connect: return on the first answer

    def attrs(d: Dict[str, Any], skip: tuple) -> Dict[str, str]:
        out = {}
        for k, v in d.items():
            if k in skip or v is None or isinstance(v, (list, dict)):
                continue
            out[k] = ("1" if v else "0") if isinstance(v, bool) else str(v)
        return out

    (device,) = [d for d in json.loads(Path(resources_file).read_text()) if d.get("clientIdentifier") == OFFICE]
    element = ET.Element("resource", attrs(device, ("createdAt", "lastSeenAt")))
    holder = ET.SubElement(element, "connections")
    for c in device["connections"]:
        ET.SubElement(holder, "connection", attrs(c, ()))

    behaviours = [c["behaviour"] for c in topology()["servers"][0]["connections"]]
    uris = [(c.get("uri"), f"http://{c.get('address')}:{c.get('port')}") for c in device["connections"]]

    def describe(url: str, machine_identifier: str) -> str:
        which = next((behaviours[i] for i, pair in enumerate(uris) if url.rstrip("/") in pair), "?")
        server = "Office" if machine_identifier == OFFICE else f"another server ({machine_identifier[:8]}...)"
        return f"{which} connection: {server}"

    class Account:  # what MyPlexResource.connect uses of its MyPlexAccount
        _session = requests.Session()

    resource = myplex.MyPlexResource(Account(), element)
    times, chose = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        try:
            server = resource.connect(timeout=timeout)
            picked = describe(server._baseurl, server.machineIdentifier)
        except Exception as exc:  # NotFound: nothing answered
            picked = f"error: {type(exc).__name__}"
        times.append((time.perf_counter() - t0) * 1000)
        chose.append(picked)
    print(json.dumps({"times_ms": times, "chose": chose}))


def venv_python(work: Path) -> Path:
    venv = work / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(py), "-c", "import plexapi"], capture_output=True).returncode != 0:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", PLEXAPI_PIN], check=True)
    return py


def run_plexapi(py: Path, fake: Fake, rounds: int, timeout: float, fast: bool) -> Dict[str, Any]:
    out = subprocess.run([str(py), __file__, "--plexapi-driver", str(fake.resources_file), str(rounds),
                          str(timeout), "1" if fast else "0"],
                         capture_output=True, text=True, timeout=rounds * (timeout * 3 + 10) + 30)
    if out.returncode != 0:
        raise SystemExit(f"the plexapi driver failed: {out.stderr.strip()[-2000:]}")
    data: Dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    data["median_ms"] = statistics.median(data["times_ms"])
    version = subprocess.run([str(py), "-c", "import plexapi; print(plexapi.VERSION)"],
                             capture_output=True, text=True).stdout.strip()
    data["version"] = version
    return data


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--plexapi-driver":
        plexapi_driver(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "1")
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=ROOT / "build", help="the build folder (scripts/build.sh)")
    ap.add_argument("--work", type=Path, default=ROOT / "_build-compare", help="where the PlexAPI venv is")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--settings", nargs="+", default=["250:100", "100:100", "0:0"],
                    help="plexauth's STAGGER_MS:GRACE_MS pairs to run (default: the defaults, then faster)")
    ap.add_argument("--plexapi-timeout", type=float, default=2.0, help="seconds per connection (plexapi's timeout=)")
    ap.add_argument("--no-plexapi", action="store_true")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args()
    if not 1 <= args.rounds <= 50:
        raise SystemExit("--rounds: 1..50")
    os.environ.setdefault("PLEXAUTH_LIBRARY", str(args.build / "stage" / "lib" / "libplexauth.so"))
    fake_program = Path(os.environ.get("PLEXAUTH_FAKE", args.build / "tests" / "fake" / "plexauth-fake"))

    py = None if args.no_plexapi else venv_python(args.work)
    results: Dict[str, Any] = {"rounds": args.rounds, "plexauth": [], "plexapi": []}
    with tempfile.TemporaryDirectory() as tmp:
        fake = Fake(fake_program, Path(tmp), max_seconds=600)
        try:
            for pair in args.settings:
                stagger, grace = (int(v) for v in pair.split(":"))
                results["plexauth"].append(run_plexauth(fake, args.rounds, stagger, grace))
            if py is not None:
                for fast in (False, True):
                    row = run_plexapi(py, fake, args.rounds, args.plexapi_timeout, fast)
                    row["fast_connect"] = fast
                    row["timeout_s"] = args.plexapi_timeout
                    results["plexapi"].append(row)
        finally:
            fake.stop()

    print(f"Topology: 10 connections of one owned server (3 local + 4 remote black holes, a refusal, "
          f"a wrong_id server, the relay answering after {RELAY_DELAY_MS} ms); {args.rounds} rounds, median.\n")
    print("| client | settings | median ms | rounds (ms) | chose |")
    print("|---|---|---|---|---|")
    for r in results["plexauth"]:
        print(f"| plexauth (Python binding) | stagger {r['stagger_ms']} ms, grace {r['grace_ms']} ms | "
              f"{r['median_ms']:.0f} | {', '.join(f'{t:.0f}' for t in r['times_ms'])} | {r['chose']} |")
    for r in results["plexapi"]:
        mode = "enable_fast_connect" if r["fast_connect"] else "default"
        chose = sorted(set(r["chose"]))
        print(f"| python-plexapi {r['version']} | timeout={r['timeout_s']:g} s, {mode} | {r['median_ms']:.0f} | "
              f"{', '.join(f'{t:.0f}' for t in r['times_ms'])} | {'; '.join(chose)} |")
    print()
    ok = True
    for r in results["plexauth"]:
        bound = r["stagger_ms"] * r["tried"] + 1.2 * r["relay_latency_ms"]
        verdict = "met" if r["median_ms"] <= bound else "MISSED"
        if (r["stagger_ms"], r["grace_ms"]) == (250, 100):  # the library's defaults decide the exit status
            ok = ok and r["median_ms"] <= bound
        print(f"goal (stagger {r['stagger_ms']}): median {r['median_ms']:.0f} ms <= stagger x tried + 1.2 x relay "
              f"latency = {r['stagger_ms']} x {r['tried']} + 1.2 x {r['relay_latency_ms']:.0f} = {bound:.0f} ms: "
              f"{verdict}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
