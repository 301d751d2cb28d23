"""The plexauth CLI driven against the standalone plexauth-fake server.

Environment: PLEXAUTH_CLI (the plexauth program) and PLEXAUTH_FAKE (the
plexauth-fake program); ctest sets both. The fake listens on 127.0.0.1 on a
port of its own choosing, and every CLI run has a timeout.
"""

import json
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

CLI = os.environ.get("PLEXAUTH_CLI", "")
FAKE = os.environ.get("PLEXAUTH_FAKE", "")

# Seeded in plexauth-fake.
A_LOGIN, A_PASSWORD, A_TOKEN = "username@email.com", "password123", "CxoUzBTSV5hsxjTpFKaf"
B_LOGIN, B_PASSWORD, B_CODE, B_TOKEN = "user12345@example.com", "hunter2-secret", "123456", "gHjKlMnOpQrStUvWxYz"
REVOKED_TOKEN = "revokedTokenXXXXXXXX"
SOURCE = "server://3381b62b9ab74e37"
SOURCE_ACCESS_TOKEN = "srcAccessTok0123456789"
CLIENT_ID = "plexauth-cli-test-0001"

USER_PATH = "/api/v2/user"
SIGNIN_PATH = "/api/v2/users/signin"
TOKEN_PATH = "/security/token"
RESOURCES_PATH = "/security/resources"

# Exit codes: 10 + plexauth_status.
EXIT_USAGE = 2
EXIT = {"bad_request": 12, "unauthorized": 13, "two_factor_required": 14, "rate_limited": 15,
        "http_error": 16, "transport": 17, "timeout": 18, "cancelled": 19, "malformed_response": 20,
        "pin_expired": 27, "pin_required": 28}

# Strings that need escaping in JSON and must not reach a terminal raw.
ODD_TEXT = 'tab\there "quoted" back\\slash ctl\x01\x1f esc\x1b[31m del\x7f é 漢字 😀 \u2028 end'


class Fake:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def _call(self, method, path, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data if method == "POST" else None,
                                     method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw.strip() else None

    def reset(self):
        self._call("POST", "/_fake/reset")

    def faults(self, path, faults):
        self._call("POST", "/_fake/faults", {"path": path, "faults": faults})

    def requests(self, path=None):
        return [r for r in self._call("GET", "/_fake/requests") if path is None or r["path"] == path]

    def approve_pin(self, pin_id, login):
        self._call("POST", "/_fake/pins/approve", {"id": pin_id, "login": login})

    def expire_pin(self, pin_id):
        self._call("POST", "/_fake/pins/expire", {"id": pin_id})

    def topology(self, servers):
        return self._call("POST", "/_fake/topology", {"servers": servers})


# Where the CLI keeps the installation's client identifier during the tests:
# never the real home.
CONFIG_HOME = tempfile.mkdtemp(prefix="plexauth-cli-config-")


@pytest.fixture(scope="session")
def fake_server():
    assert CLI and os.access(CLI, os.X_OK), "set PLEXAUTH_CLI to the plexauth program"
    assert FAKE and os.access(FAKE, os.X_OK), "set PLEXAUTH_FAKE to the plexauth-fake program"
    with tempfile.TemporaryDirectory(prefix="plexauth-cli-") as tmp:
        port_file = os.path.join(tmp, "port")
        with open(os.path.join(tmp, "fake.log"), "wb") as log:
            proc = subprocess.Popen([FAKE, "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
                                     "--max-seconds", "300"], stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 15
            port = None
            while port is None:
                assert proc.poll() is None, "plexauth-fake exited early"
                assert time.monotonic() < deadline, "plexauth-fake did not write its port file in 15 s"
                try:
                    text = open(port_file).read().strip()
                    port = int(text) if text.isdigit() and int(text) > 0 else None
                except FileNotFoundError:
                    pass
                if port is None:
                    time.sleep(0.05)
            yield Fake(port)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    return fake_server


class Run:
    def __init__(self, proc, elapsed):
        self.rc = proc.returncode
        self.out = proc.stdout.decode("utf-8")
        self.err = proc.stderr.decode("utf-8")
        self.err_bytes = proc.stderr
        self.elapsed = elapsed

    def json_out(self):
        lines = self.out.rstrip("\n").split("\n")
        assert len(lines) == 1, self.out
        return json.loads(lines[0])

    def json_err(self):
        """The error object: the last line of stderr (--verbose lines come before it)."""
        lines = self.err.rstrip("\n").split("\n")
        assert lines != [""], "nothing on stderr"
        return json.loads(lines[-1])["error"]


def cli(fake, *args, stdin="", token=None, client_id=CLIENT_ID, env=None, timeout=60):
    """Runs the CLI with a clean PLEX_* environment pointing at the fake.

    start_new_session detaches it from any controlling terminal, so it can
    never prompt (and /dev/tty cannot be opened); stdin is a pipe.
    """
    e = {k: v for k, v in os.environ.items() if not k.startswith("PLEX_")}
    e["XDG_CONFIG_HOME"] = CONFIG_HOME
    if fake is not None:
        e["PLEX_SERVER"] = fake.base
        e["PLEX_TV_URL"] = fake.base + "/api/v2"
    if client_id:
        e["PLEX_CLIENT_ID"] = client_id
    if token:
        e["PLEX_TOKEN"] = token
    e.update(env or {})
    start = time.monotonic()
    proc = subprocess.run([CLI, *args], input=stdin.encode("utf-8"), capture_output=True, env=e,
                          timeout=timeout, start_new_session=True)
    return Run(proc, time.monotonic() - start)


def header(req, name):
    for k, v in req["headers"].items():
        if k.lower() == name.lower():
            return v[0] if isinstance(v, list) else v
    return None


def form(req):
    return urllib.parse.parse_qs(req["body"], keep_blank_values=True)


def query(req):
    q = req.get("query") or {}
    if isinstance(q, str):
        return {k: v[0] for k, v in urllib.parse.parse_qs(q.lstrip("?"), keep_blank_values=True).items()}
    return q


def assert_error(run, status, http_status=None, attempts=None):
    assert run.rc == EXIT[status], (run.rc, run.err)
    assert run.out == ""
    err = run.json_err()
    assert set(err) == {"status", "http_status", "plex_errors", "retry_after_ms", "attempts", "message"}
    assert err["status"] == status
    assert err["http_status"] == http_status
    if attempts is not None:
        assert err["attempts"] == attempts
    assert isinstance(err["message"], str) and err["message"]
    return err


# ---------------------------------------------------------------- usage


def test_help_documents_commands_env_and_exit_codes():
    run = cli(None, "--help")
    assert run.rc == 0 and run.err == ""
    for word in ("sign-in", "token-details", "transient-token", "source-info", "ping", "version", "--password-stdin",
                 "--code-stdin", "--no-retry", "--retry-max-attempts", "PLEX_SERVER", "PLEX_TV_URL",
                 "PLEX_TOKEN", "PLEX_CLIENT_ID", "PLEX_CLIENT_NAME", "PLEX_CLIENT_VERSION", "PLEX_PLATFORM",
                 "PLEX_DEVICE_NICKNAME"):
        assert word in run.out, word
    table = {}
    for line in run.out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].isdigit():
            table[parts[1]] = int(parts[0])
    for name, code in EXIT.items():
        assert table[name] == code
    assert table["invalid_argument"] == 11 and table["internal"] == 26
    assert cli(None, "sign-in", "--help").out == run.out


@pytest.mark.parametrize("args", [
    [],
    ["--bogus", "token-details"],
    ["token-details", "--bogus"],
    ["frobnicate"],
    ["token-details", "extra"],
    ["-x", "token-details"],
    ["--login", A_LOGIN, "sign-in"],           # a sign-in option before the command
    ["token-details", "--source", SOURCE],     # another command's option
    ["sign-in", "--password-stdin"],           # no --login
    ["sign-in", "--login", A_LOGIN, "--password", A_PASSWORD],
    ["sign-in", "--login", A_LOGIN, "--password-stdin", "--code", "1", "--code-stdin"],
    ["source-info"],                           # no --source
    ["--timeout-ms"],                          # missing value
    ["--timeout-ms", "soon", "token-details"],
    ["--retry-exponent", "fast", "token-details"],
    ["--retry-max-attempts", "-1", "token-details"],
    ["--json=1", "token-details"],
])
def test_bad_command_lines_exit_2_without_sending(fake, args):
    run = cli(fake, *args, stdin=A_PASSWORD + "\n", token=A_TOKEN)
    assert run.rc == EXIT_USAGE, (args, run.rc, run.err)
    assert run.out == ""
    assert "plexauth --help" in run.err
    assert A_PASSWORD not in run.err
    assert fake.requests(SIGNIN_PATH) == [] and fake.requests(USER_PATH) == []


def test_bad_command_line_with_json_gives_json_error(fake):
    run = cli(fake, "--json", "token-details", "--bogus", token=A_TOKEN)
    assert run.rc == EXIT_USAGE
    err = run.json_err()
    assert err["status"] == "usage_error" and err["attempts"] == 0 and "--bogus" in err["message"]


def test_invalid_url_is_a_usage_error(fake):
    run = cli(fake, "--server", "not a url", "transient-token", token=A_TOKEN)
    assert run.rc == EXIT_USAGE and "--server" in run.err
    run = cli(fake, "token-details", env={"PLEX_TV_URL": "ftp://example.invalid"}, token=A_TOKEN)
    assert run.rc == EXIT_USAGE and "PLEX_TV_URL" in run.err


def test_version():
    run = cli(None, "version")
    assert run.rc == 0 and run.out.startswith("plexauth ")
    run = cli(None, "--json", "version")
    v = run.json_out()
    assert set(v) == {"cli", "library"}
    assert all(isinstance(v[k], str) and v[k].count(".") == 2 for k in v)


# ---------------------------------------------------------------- sign-in


def test_sign_in_json_prints_the_account_and_sends_the_form(fake):
    run = cli(fake, "--json", "sign-in", "--login", A_LOGIN, "--password-stdin", stdin=A_PASSWORD + "\n",
              token=B_TOKEN)
    assert run.rc == 0, run.err
    assert run.err == ""
    acc = run.json_out()
    assert acc["authToken"] == A_TOKEN
    assert acc["email"] == "username@email.com" and acc["username"] == "Username"
    assert acc["uuid"] == "dae343c1f45beb4f" and acc["id"] == 13692262
    assert acc["subscription"]["status"] == "Inactive"
    assert "locale" in acc and acc["locale"] is None
    assert len(acc["pastSubscriptions"]) == 1
    [req] = fake.requests(SIGNIN_PATH)
    assert req["method"] == "POST"
    assert form(req) == {"login": [A_LOGIN], "password": [A_PASSWORD], "rememberMe": ["false"]}
    assert header(req, "X-Plex-Client-Identifier") == CLIENT_ID
    assert header(req, "X-Plex-Token") is None  # never on sign-in, even with PLEX_TOKEN set


def test_sign_in_human_output_names_the_account_and_prints_the_token(fake):
    run = cli(fake, "sign-in", "--login", "Username", "--password-stdin", "--remember",
              stdin=A_PASSWORD + "\r\n")
    assert run.rc == 0, run.err
    lines = run.out.splitlines()
    assert "Signed in as Username (username@email.com)" in lines
    assert f"auth token: {A_TOKEN}" in lines
    [req] = fake.requests(SIGNIN_PATH)
    assert form(req)["password"] == [A_PASSWORD]  # the CR of a CRLF line is dropped
    assert form(req)["rememberMe"] == ["true"]


def test_sign_in_wrong_password_is_unauthorized(fake):
    run = cli(fake, "--json", "sign-in", "--login", A_LOGIN, "--password-stdin", stdin="wrong-password\n")
    err = assert_error(run, "unauthorized", 401, attempts=1)
    assert [e["code"] for e in err["plex_errors"]] == [1001]
    assert err["plex_errors"][0]["status"] == 401 and err["retry_after_ms"] is None
    assert "wrong-password" not in run.err


def test_sign_in_2fa_account_without_code_asks_for_one(fake):
    run = cli(fake, "--json", "sign-in", "--login", B_LOGIN, "--password-stdin", stdin=B_PASSWORD + "\n")
    err = assert_error(run, "two_factor_required", 401, attempts=1)
    assert err["plex_errors"][0]["code"] == 1029
    [req] = fake.requests(SIGNIN_PATH)
    assert "verificationCode" not in form(req)

    run = cli(fake, "sign-in", "--login", B_LOGIN, "--password-stdin", stdin=B_PASSWORD + "\n")
    assert run.rc == 14
    assert run.err.startswith("plexauth: two_factor_required: ")
    assert "Plex error 1029" in run.err and "--code-stdin" in run.err
    assert len(fake.requests(SIGNIN_PATH)) == 2  # no tty: no prompt, no second attempt


def test_sign_in_2fa_with_code_on_stdin(fake):
    run = cli(fake, "--json", "sign-in", "--login", B_LOGIN, "--password-stdin", "--code-stdin",
              stdin=f"{B_PASSWORD}\n{B_CODE}\n")
    assert run.rc == 0, run.err
    acc = run.json_out()
    assert acc["authToken"] == B_TOKEN and acc["id"] == 475829302
    assert acc["uuid"] == "a1b2c3d4e5f67890" and acc["country"] == "IT"
    [req] = fake.requests(SIGNIN_PATH)
    assert form(req) == {"login": [B_LOGIN], "password": [B_PASSWORD], "rememberMe": ["false"],
                         "verificationCode": [B_CODE]}


def test_sign_in_2fa_with_code_in_argv_still_works(fake):
    run = cli(fake, "sign-in", "--login", "user12345", "--password-stdin", "--code", B_CODE,
              stdin=B_PASSWORD + "\n")
    assert run.rc == 0, run.err
    assert f"auth token: {B_TOKEN}" in run.out.splitlines()


def test_sign_in_2fa_wrong_code(fake):
    run = cli(fake, "--json", "sign-in", "--login", B_LOGIN, "--password-stdin", "--code-stdin",
              stdin=f"{B_PASSWORD}\n654321\n")
    assert assert_error(run, "two_factor_required", 401)["plex_errors"][0]["code"] == 1029
    assert form(fake.requests(SIGNIN_PATH)[0])["verificationCode"] == ["654321"]

    run = cli(fake, "sign-in", "--login", B_LOGIN, "--password-stdin", "--code-stdin",
              stdin=f"{B_PASSWORD}\n654321\n")
    assert run.rc == 14 and "hint" not in run.err  # a code was given: no advice to give one


def test_sign_in_without_client_id_is_bad_request(fake):
    run = cli(fake, "--json", "--client-id", "", "sign-in", "--login", A_LOGIN, "--password-stdin",
              stdin=A_PASSWORD + "\n", client_id=None)
    err = assert_error(run, "bad_request", 400, attempts=1)
    assert err["plex_errors"] == [{"code": 1000, "message": "X-Plex-Client-Identifier is missing", "status": 400}]


@pytest.mark.parametrize("stdin,extra", [
    ("", []),                               # no password at all
    ("\n", []),                             # empty password
    (A_PASSWORD + "\n", ["--code-stdin"]),  # no code line after the password
    ("x" * 5000 + "\n", []),                # absurdly long
    (A_PASSWORD + "\0tail\n", []),          # a NUL: refused, not cut to the part before it
    (A_PASSWORD + "\n123\x00456\n", ["--code-stdin"]),  # ... in the code too
])
def test_sign_in_stdin_problems_are_usage_errors(fake, stdin, extra):
    run = cli(fake, "sign-in", "--login", A_LOGIN, "--password-stdin", *extra, stdin=stdin)
    assert run.rc == EXIT_USAGE, run.err
    assert fake.requests(SIGNIN_PATH) == []
    if "\0" in stdin:
        assert "contains a NUL byte" in run.err, run.err


@pytest.mark.parametrize("command", [["transient-token"], ["source-info", "--source", "server://x"]])
def test_pms_commands_need_a_named_server(fake, command):
    # Never the library's default PMS (10.10.10.47): a usage error, no request.
    run = cli(fake, "--json", *command, token=A_TOKEN, env={"PLEX_SERVER": ""})
    assert run.rc == EXIT_USAGE, run.err
    assert "--server" in run.err and "PLEX_SERVER" in run.err
    assert "10.10.10.47" not in run.err
    assert fake.requests() == []


def test_sign_in_without_terminal_and_without_password_stdin(fake):
    run = cli(fake, "sign-in", "--login", A_LOGIN, stdin=A_PASSWORD + "\n")
    assert run.rc == EXIT_USAGE
    assert "--password-stdin" in run.err
    assert fake.requests(SIGNIN_PATH) == []


def test_sign_in_5xx_is_retried_but_4xx_never(fake):
    fake.faults(SIGNIN_PATH, [{"status": 503}])
    run = cli(fake, "--retry-initial-ms", "10", "--json", "sign-in", "--login", A_LOGIN, "--password-stdin",
              stdin=A_PASSWORD + "\n")
    assert run.rc == 0, run.err
    assert run.json_out()["authToken"] == A_TOKEN
    assert len(fake.requests(SIGNIN_PATH)) == 2

    fake.reset()
    fake.faults(SIGNIN_PATH, [{"status": 429, "retry_after": "1"}])
    run = cli(fake, "--retry-initial-ms", "10", "--json", "sign-in", "--login", A_LOGIN, "--password-stdin",
              stdin=A_PASSWORD + "\n")
    err = assert_error(run, "rate_limited", 429, attempts=1)
    assert err["retry_after_ms"] == 1000
    assert len(fake.requests(SIGNIN_PATH)) == 1


# ---------------------------------------------------------------- token-details


def test_token_details_json_and_wire(fake):
    run = cli(fake, "--json", "token-details", token=A_TOKEN)
    assert run.rc == 0, run.err
    acc = run.json_out()
    assert acc["username"] == "Username" and acc["email"] == "username@email.com"
    assert acc["id"] == 13692262 and acc["authToken"] == A_TOKEN
    [req] = fake.requests(USER_PATH)
    assert req["method"] == "GET"
    assert header(req, "X-Plex-Token") == A_TOKEN
    assert A_TOKEN not in json.dumps(query(req))
    assert header(req, "X-Plex-Client-Identifier") == CLIENT_ID


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_ping_prints_pong_and_sends_the_token(fake, json_flag):
    run = cli(fake, *json_flag, "ping", token=A_TOKEN)
    assert run.rc == 0, run.err
    assert json.loads(run.out) == {"pong": True}
    [req] = fake.requests("/api/v2/ping")
    assert req["method"] == "GET" and req["query"] == ""
    assert header(req, "X-Plex-Token") == A_TOKEN
    assert header(req, "X-Plex-Client-Identifier") == CLIENT_ID


def test_ping_with_a_bad_token_exits_13_without_echoing_it(fake):
    run = cli(fake, "--no-retry", "ping", token="not-a-valid-token-xyz")
    assert run.rc == 13, run.err
    assert "unauthorized" in run.err and "not-a-valid-token-xyz" not in run.err + run.out


def test_without_client_id_the_stored_one_is_used_on_every_run(fake, tmp_path):
    id_file = tmp_path / "conf" / "client_id"
    for _ in range(3):
        run = cli(fake, "--client-id-file", str(id_file), "ping", token=A_TOKEN, client_id=None)
        assert run.rc == 0, run.err
    ids = {header(r, "X-Plex-Client-Identifier") for r in fake.requests("/api/v2/ping")}
    stored = id_file.read_text().strip()
    assert ids == {stored} and len(stored) == 36
    assert oct(id_file.stat().st_mode & 0o777) == "0o600"
    assert oct(id_file.parent.stat().st_mode & 0o777) == "0o700"
    # The default place: $XDG_CONFIG_HOME/plexauth/client_id.
    run = cli(fake, "ping", token=A_TOKEN, client_id=None)
    assert run.rc == 0, run.err
    default = os.path.join(CONFIG_HOME, "plexauth", "client_id")
    assert header(fake.requests("/api/v2/ping")[-1], "X-Plex-Client-Identifier") == open(default).read().strip()


def approve_once_polled(fake):
    """A thread that approves the PIN once the CLI has polled it (at most 20 s)."""
    import threading

    def approve():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            polls = [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]
            if polls:
                fake.approve_pin(int(polls[0]["path"].rsplit("/", 1)[1]), A_LOGIN)
                return
            time.sleep(0.05)

    t = threading.Thread(target=approve)
    t.start()
    return t


def test_login_waits_for_the_approval_and_saves_the_token(fake, tmp_path):
    saved = tmp_path / "token"
    t = approve_once_polled(fake)
    run = cli(fake, "login", "--strong", "--poll-ms", "200", "--save", str(saved), timeout=30)
    t.join()
    assert run.rc == 0, run.err
    assert "Enter it at https://plex.tv/link" in run.out
    code = run.out.split("Code: ", 1)[1].split("\n", 1)[0]
    assert len(code) == 25
    assert f"https://app.plex.tv/auth#?clientID={CLIENT_ID}&code={code}" in run.out
    assert A_TOKEN not in run.out + run.err
    assert saved.read_text() == A_TOKEN + "\n"
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    [create] = fake.requests("/api/v2/pins")
    assert create["method"] == "POST" and create["query"] == "strong=true"
    assert header(create, "X-Plex-Token") is None
    polls = [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]
    assert polls and all(header(r, "X-Plex-Client-Identifier") == CLIENT_ID for r in polls)
    # Later commands read the saved token.
    run = cli(fake, "--token-file", str(saved), "ping")
    assert run.rc == 0 and json.loads(run.out) == {"pong": True}, run.err
    assert header(fake.requests("/api/v2/ping")[-1], "X-Plex-Token") == A_TOKEN
    # A flag beats the environment: --token-file names the token even with PLEX_TOKEN set.
    run = cli(fake, "--token-file", str(saved), "ping", token=B_TOKEN)
    assert run.rc == 0, run.err
    assert header(fake.requests("/api/v2/ping")[-1], "X-Plex-Token") == A_TOKEN
    run = cli(fake, "ping", token=B_TOKEN, env={"PLEX_TOKEN_FILE": str(saved)})
    assert run.rc == 0, run.err
    assert header(fake.requests("/api/v2/ping")[-1], "X-Plex-Token") == B_TOKEN


def zbar_decode(pixels):
    """Decodes a QR code from rows of 0/1 (1 = light) with libzbar (Debian libzbar0), or None
    when libzbar is not installed."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("zbar")
    if not name:
        return None
    z = ctypes.CDLL(name)
    z.zbar_image_scanner_create.restype = ctypes.c_void_p
    z.zbar_image_create.restype = ctypes.c_void_p
    z.zbar_image_first_symbol.restype = ctypes.c_void_p
    z.zbar_image_first_symbol.argtypes = [ctypes.c_void_p]
    z.zbar_symbol_next.restype = ctypes.c_void_p
    z.zbar_symbol_next.argtypes = [ctypes.c_void_p]
    z.zbar_symbol_get_data.restype = ctypes.c_char_p
    z.zbar_symbol_get_data.argtypes = [ctypes.c_void_p]
    for f in ("zbar_image_set_format", "zbar_image_set_size", "zbar_image_set_data", "zbar_scan_image",
              "zbar_image_destroy", "zbar_image_scanner_destroy", "zbar_image_scanner_set_config"):
        getattr(z, f).argtypes = {
            "zbar_image_set_format": [ctypes.c_void_p, ctypes.c_ulong],
            "zbar_image_set_size": [ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint],
            "zbar_image_set_data": [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p],
            "zbar_scan_image": [ctypes.c_void_p, ctypes.c_void_p],
            "zbar_image_destroy": [ctypes.c_void_p],
            "zbar_image_scanner_destroy": [ctypes.c_void_p],
            "zbar_image_scanner_set_config": [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int],
        }[f]
    scale = 4  # pixels per module
    height, width = len(pixels) * scale, len(pixels[0]) * scale
    gray = bytes(255 if pixels[y // scale][x // scale] else 0 for y in range(height) for x in range(width))
    buf = ctypes.create_string_buffer(gray, len(gray))
    scanner = z.zbar_image_scanner_create()
    z.zbar_image_scanner_set_config(scanner, 0, 0, 1)  # ZBAR_NONE, ZBAR_CFG_ENABLE
    image = z.zbar_image_create()
    z.zbar_image_set_format(image, int.from_bytes(b"Y800", "little"))
    z.zbar_image_set_size(image, width, height)
    z.zbar_image_set_data(image, buf, len(gray), None)
    found = []
    if z.zbar_scan_image(scanner, image) > 0:
        sym = z.zbar_image_first_symbol(image)
        while sym:
            found.append(z.zbar_symbol_get_data(sym).decode())
            sym = z.zbar_symbol_next(sym)
    z.zbar_image_destroy(image)
    z.zbar_image_scanner_destroy(scanner)
    return found


def login_with_qr(fake, *qr_args):
    """Runs login with the given --qr options until its PIN expires; returns (run, url)."""
    import threading

    fake.reset()  # the request log: this run's poll is the one to expire

    def expire():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            polls = [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]
            if polls:
                fake.expire_pin(int(polls[0]["path"].rsplit("/", 1)[1]))
                return
            time.sleep(0.05)

    t = threading.Thread(target=expire)
    t.start()
    run = cli(fake, "--no-retry", "login", "--strong", "--poll-ms", "200", *qr_args, timeout=30)
    t.join()
    assert run.rc == EXIT["pin_expired"], run.err
    url = run.out.split("or open:\n  ", 1)[1].split("\n", 1)[0]
    return run, url


def qr_block(out):
    """The QR code's lines: between the blank line after the URL and the next blank line."""
    lines = out.split("or open:\n", 1)[1].split("\n")
    start = lines.index("") + 1
    end = lines.index("", start)
    return lines[start:end]


def test_login_draws_the_url_as_a_qr_code_with_half_blocks(fake):
    run, url = login_with_qr(fake, "--qr")
    rows = qr_block(run.out)
    assert rows and set("".join(rows)) <= {"\u2588", "\u2580", "\u2584", " "}, rows
    assert len({len(r) for r in rows}) == 1, "every row is as wide"
    width = len(rows[0])
    assert 21 + 8 <= width <= 177 + 8 and (width - 8 - 21) % 4 == 0, "a QR version's size plus the quiet zone"
    assert len(rows) == (width + 1) // 2, "two module rows per line"
    # Quiet zone: 4 light modules all round (light modules are drawn).
    assert rows[0] == rows[1] == "\u2588" * width
    assert all(r.startswith("\u2588" * 4) and r.endswith("\u2588" * 4) for r in rows[:-1])
    # Back to modules: the top and bottom halves of each cell.
    top = {"\u2588": 1, "\u2580": 1, "\u2584": 0, " ": 0}
    bottom = {"\u2588": 1, "\u2580": 0, "\u2584": 1, " ": 0}
    pixels = []
    for r in rows:
        pixels.append([top[c] for c in r])
        pixels.append([bottom[c] for c in r])
    pixels = pixels[:width]
    # The three finder patterns: a dark 7x7 ring at the corners inside the quiet zone.
    for (x0, y0) in ((4, 4), (width - 11, 4), (4, width - 11)):
        ring = [pixels[y0][x0 + i] for i in range(7)] + [pixels[y0 + 6][x0 + i] for i in range(7)]
        assert ring == [0] * 14, (x0, y0)
    decoded = zbar_decode(pixels)
    if decoded is None:
        pytest.skip("libzbar is not installed: the QR code's shape is checked, not its content")
    assert decoded == [url]


def test_login_qr_ascii_and_no_qr(fake):
    run, url = login_with_qr(fake, "--qr=ascii")
    rows = qr_block(run.out)
    assert set("".join(rows)) <= {"#", " "} and len({len(r) for r in rows}) == 1
    assert len(rows) * 2 == len(rows[0]), "two columns per module"
    assert rows[0] == "#" * len(rows[0])
    pixels = [[1 if r[x] == "#" else 0 for x in range(0, len(r), 2)] for r in rows]
    decoded = zbar_decode(pixels)
    if decoded is not None:
        assert decoded == [url]
    # Not a terminal and no --qr: no code; --no-qr: none either.
    run, _ = login_with_qr(fake)
    assert "\u2588" not in run.out and "##" not in run.out
    run, _ = login_with_qr(fake, "--no-qr")
    assert "\u2588" not in run.out and "##" not in run.out
    fake.reset()
    bad = cli(fake, "login", "--qr=sixel")
    assert bad.rc == EXIT_USAGE and not fake.requests("/api/v2/pins")


def test_login_stops_when_the_pin_expires(fake):
    import threading

    def expire():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            polls = [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]
            if polls:
                fake.expire_pin(int(polls[0]["path"].rsplit("/", 1)[1]))
                return
            time.sleep(0.05)

    t = threading.Thread(target=expire)
    t.start()
    run = cli(fake, "--no-retry", "login", "--poll-ms", "200", timeout=30)
    t.join()
    assert run.rc == EXIT["pin_expired"], run.err
    assert "expired" in run.err


def test_login_timeout(fake):
    start = time.monotonic()
    run = cli(fake, "login", "--poll-ms", "200", "--timeout-s", "1", timeout=30)
    assert run.rc == EXIT["timeout"], run.err
    assert time.monotonic() - start < 10


def test_login_is_cancelled_by_ctrl_c(fake):
    import signal

    e = {k: v for k, v in os.environ.items() if not k.startswith("PLEX_")}
    e.update(XDG_CONFIG_HOME=CONFIG_HOME, PLEX_TV_URL=fake.base + "/api/v2", PLEX_CLIENT_ID=CLIENT_ID)
    proc = subprocess.Popen([CLI, "login", "--poll-ms", "200"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=e, start_new_session=True)
    deadline = time.monotonic() + 20
    while not [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]:
        assert time.monotonic() < deadline, "the CLI never polled"
        time.sleep(0.05)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == EXIT["cancelled"], err
    assert time.monotonic() - sent < 2


def test_sign_out_invalidates_the_token(fake):
    run = cli(fake, "sign-out", token=A_TOKEN)
    assert run.rc == 0, run.err
    [req] = fake.requests("/api/v2/users/signout")
    assert req["method"] == "DELETE" and header(req, "X-Plex-Token") == A_TOKEN
    run = cli(fake, "--no-retry", "ping", token=A_TOKEN)
    assert run.rc == EXIT["unauthorized"], run.err


def test_switch_user_takes_the_pin_from_stdin_only(fake):
    run = cli(fake, "--no-retry", "switch-user", "--user", "homeuser0000uuid", token=A_TOKEN)
    assert run.rc == EXIT["pin_required"], run.err
    assert "--pin-stdin" in run.err
    run = cli(fake, "--no-retry", "switch-user", "--user", "homeuser0000uuid", "--pin-stdin", stdin="9999\n",
              token=A_TOKEN)
    assert run.rc == EXIT["pin_required"] and "9999" not in run.err + run.out, run.err
    run = cli(fake, "--json", "switch-user", "--user", "homeuser0000uuid", "--pin-stdin", stdin="1234\n",
              token=A_TOKEN)
    assert run.rc == 0, run.err
    acc = run.json_out()
    assert acc["authToken"] and acc["authToken"] != A_TOKEN
    reqs = fake.requests("/api/v2/home/users/homeuser0000uuid/switch")
    assert [query(r).get("pin") for r in reqs] == [None, "9999", "1234"]
    # The new token is the Home user's.
    run = cli(fake, "ping", token=acc["authToken"])
    assert run.rc == 0, run.err


HOME_USERS_PATH = "/api/home/users"


def test_home_users_table(fake):
    run = cli(fake, "home-users", token=A_TOKEN)
    assert run.rc == 0, run.err
    [req] = fake.requests(HOME_USERS_PATH)
    assert req["method"] == "GET" and header(req, "X-Plex-Token") == A_TOKEN
    lines = run.out.rstrip("\n").split("\n")
    assert lines[0] == "Plex Home: 3 members"
    assert lines[1].split() == ["UUID", "ID", "NAME", "ROLE", "PIN"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert set(rows) == {"dae343c1f45beb4f", "homeuser0000uuid", "homeuser0001uuid"}
    assert rows["dae343c1f45beb4f"].split() == ["dae343c1f45beb4f", "13692262", "UsernameTitle", "admin", "none"]
    assert rows["homeuser0000uuid"].split() == ["homeuser0000uuid", "20000001", "Kid", "managed", "protected"]
    assert rows["homeuser0001uuid"].split() == ["homeuser0001uuid", "20000002", "Guest", "Room", "managed", "none"]
    # Columns line up: every row starts each column at the same offset.
    import re
    starts = {re.match(r"  \S+ +", line).end() for line in lines[1:]}
    assert len(starts) == 1, run.out
    assert A_TOKEN not in run.out + run.err


def test_home_users_json(fake):
    run = cli(fake, "--json", "home-users", token=A_TOKEN)
    assert run.rc == 0, run.err
    home = run.json_out()
    assert home["size"] == 3 and home["totalSize"] == 3
    users = {u["uuid"]: u for u in home["User"]}
    kid = users["homeuser0000uuid"]
    assert kid["id"] == 20000001 and kid["title"] == "Kid"
    assert kid["protected"] is True and kid["restricted"] is True and kid["admin"] is False
    assert users["homeuser0001uuid"]["protected"] is False
    assert users["dae343c1f45beb4f"]["admin"] is True


def test_home_users_with_a_bad_token(fake):
    run = cli(fake, "--json", "home-users", token="notAValidToken000000")
    assert_error(run, "unauthorized", 401, attempts=1)


def test_default_identity_headers_and_empty_means_none(fake):
    import platform
    import socket

    run = cli(fake, "ping", token=A_TOKEN)
    assert run.rc == 0, run.err
    version = json.loads(cli(fake, "--json", "version").out)["library"]
    req = fake.requests("/api/v2/ping")[-1]
    assert header(req, "X-Plex-Product") == "plexauth"
    assert header(req, "X-Plex-Version") == version
    assert header(req, "X-Plex-Platform") == platform.system()
    assert header(req, "X-Plex-Device-Name") == socket.gethostname()
    assert header(req, "X-Plex-Device") is None, "no default nickname"
    # A value set on purpose wins; an empty one sends no header at all.
    run = cli(fake, "--client-name", "MyApp", "--platform", "", "ping", token=A_TOKEN)
    assert run.rc == 0, run.err
    req = fake.requests("/api/v2/ping")[-1]
    assert header(req, "X-Plex-Product") == "MyApp"
    assert header(req, "X-Plex-Platform") is None
    assert header(req, "X-Plex-Device-Name") == socket.gethostname()


def test_device_name_is_sent(fake):
    run = cli(fake, "--device-name", "Living Room Box", "ping", token=A_TOKEN)
    assert run.rc == 0, run.err
    assert header(fake.requests("/api/v2/ping")[0], "X-Plex-Device-Name") == "Living Room Box"


def test_token_details_human_output_does_not_print_the_token(fake):
    run = cli(fake, "token-details", token=A_TOKEN)
    assert run.rc == 0, run.err
    assert run.out.startswith("Account: Username (username@email.com)\n")
    assert "13692262" in run.out and "dae343c1f45beb4f" in run.out
    assert A_TOKEN not in run.out and A_TOKEN not in run.err


def test_token_option_and_identity_settings(fake):
    env = {"PLEX_CLIENT_NAME": "EnvProduct", "PLEX_CLIENT_VERSION": "9.9.9", "PLEX_PLATFORM": "EnvPlatform",
           "PLEX_DEVICE_NICKNAME": "EnvDevice"}
    # Global options may also follow the command; an option beats its env var.
    run = cli(fake, "--token", B_TOKEN, "--client-name=ArgProduct", "token-details", "--json", env=env,
              token=A_TOKEN)
    assert run.rc == 0, run.err
    assert run.json_out()["authToken"] == B_TOKEN
    [req] = fake.requests(USER_PATH)
    assert header(req, "X-Plex-Token") == B_TOKEN
    assert header(req, "X-Plex-Product") == "ArgProduct"
    assert header(req, "X-Plex-Version") == "9.9.9"
    assert header(req, "X-Plex-Platform") == "EnvPlatform"
    assert header(req, "X-Plex-Device") == "EnvDevice"


@pytest.mark.parametrize("token,http_status", [("notAValidToken000000", 401), (REVOKED_TOKEN, 422)])
def test_token_details_bad_token(fake, token, http_status):
    run = cli(fake, "--json", "token-details", token=token)
    err = assert_error(run, "unauthorized", http_status, attempts=1)
    assert err["plex_errors"][0]["code"] == 1001
    assert token not in run.err

    run = cli(fake, "token-details", token=token)
    assert run.rc == 13
    assert run.err.startswith("plexauth: unauthorized: ") and "Plex error 1001" in run.err


def test_token_details_without_token_hints_at_plex_token(fake):
    run = cli(fake, "token-details")
    assert run.rc == 13
    assert "PLEX_TOKEN" in run.err
    [req] = fake.requests(USER_PATH)
    assert header(req, "X-Plex-Token") is None


def test_error_messages_are_escaped_in_json_and_sanitised_for_terminals(fake):
    body = json.dumps({"errors": [{"code": 1001, "message": ODD_TEXT, "status": 401}]})
    fault = {"status": 401, "body": body, "content_type": "application/json"}
    fake.faults(USER_PATH, [fault])
    run = cli(fake, "--json", "token-details", token=A_TOKEN)
    err = assert_error(run, "unauthorized", 401)
    assert err["plex_errors"][0]["message"] == ODD_TEXT
    assert all(b >= 0x20 for b in run.err_bytes.rstrip(b"\n"))  # control bytes escaped

    fake.faults(USER_PATH, [fault])
    run = cli(fake, "token-details", token=A_TOKEN)
    assert run.rc == 13
    assert b"\x1b" not in run.err_bytes and b"\x01" not in run.err_bytes and b"\x7f" not in run.err_bytes
    assert "漢字 😀" in run.err


# ---------------------------------------------------------------- transient-token


def test_transient_token(fake):
    run = cli(fake, "--json", "transient-token", "--type", "delegation", "--scope", "all", token=A_TOKEN)
    assert run.rc == 0, run.err
    out = run.json_out()
    assert list(out) == ["token"] and out["token"].startswith("transient-")
    [req] = fake.requests(TOKEN_PATH)
    assert req["method"] == "GET"
    assert query(req) == {"type": "delegation", "scope": "all"}
    assert header(req, "X-Plex-Token") == A_TOKEN

    # The transient token works as a PMS token afterwards.
    run = cli(fake, "--json", "source-info", "--source", SOURCE, token=out["token"])
    assert run.rc == 0, run.err

    run = cli(fake, "transient-token", token=A_TOKEN)
    assert run.rc == 0
    [line] = run.out.splitlines()
    assert line.startswith("transient token: transient-")


def test_transient_token_bad_token(fake):
    run = cli(fake, "--json", "transient-token", token="notAValidToken000000")
    assert_error(run, "unauthorized", 401)


# ---------------------------------------------------------------- source-info


def test_source_info_json(fake):
    run = cli(fake, "--json", "source-info", "--source", SOURCE, token=A_TOKEN)
    assert run.rc == 0, run.err
    out = run.json_out()
    assert list(out) == ["name", "clientIdentifier", "accessToken", "connections"]
    assert out["name"] == "Living Room"
    assert out["accessToken"] == SOURCE_ACCESS_TOKEN
    assert out["clientIdentifier"] == "3381b62b9ab74e37"
    conns = out["connections"]
    assert len(conns) == 2
    for c in conns:
        assert list(c) == ["protocol", "address", "port", "uri", "local", "relay"]
    local = [c for c in conns if c["local"] is True]
    assert len(local) == 1
    assert local[0]["protocol"] == "https" and local[0]["address"] == "10.0.0.5" and local[0]["port"] == 32400
    assert local[0]["relay"] is False
    assert any(c["relay"] is True for c in conns)
    [req] = fake.requests(RESOURCES_PATH)
    assert query(req) == {"source": SOURCE}
    assert header(req, "X-Plex-Token") == A_TOKEN


def test_source_info_human(fake):
    run = cli(fake, "source-info", "--source", SOURCE, token=A_TOKEN)
    assert run.rc == 0, run.err
    assert run.out.startswith("Source: Living Room\n")
    assert SOURCE_ACCESS_TOKEN in run.out and "10.0.0.5" in run.out


def test_source_info_absent_fields_are_null_and_strings_escaped(fake):
    device = {"name": ODD_TEXT, "Connection": [{"protocol": "http"}]}
    fake.faults(RESOURCES_PATH, [{"status": 200, "content_type": "application/json",
                                  "body": json.dumps({"MediaContainer": {"size": 1, "Device": device}})}])
    run = cli(fake, "--json", "source-info", "--source", SOURCE, token=A_TOKEN)
    assert run.rc == 0, run.err
    assert all(b >= 0x20 for b in run.out.encode("utf-8").rstrip(b"\n"))
    assert "\u2028" not in run.out  # escaped: one line for every reader
    out = run.json_out()
    assert out == {"name": ODD_TEXT, "clientIdentifier": None, "accessToken": None,
                   "connections": [{"protocol": "http", "address": None, "port": None, "uri": None,
                                    "local": None, "relay": None}]}


def test_invalid_utf8_from_the_server_still_gives_valid_json(fake):
    body = json.dumps({"MediaContainer": {"size": 1, "Device": {"name": "abc", "accessToken": "tok0"}}},
                      separators=(",", ":"))
    fake.faults(RESOURCES_PATH, [{"status": 200, "content_type": "application/json", "body": body,
                                  "invalid_utf8": True}])  # "name":"\xffabc"
    run = cli(fake, "--json", "source-info", "--source", SOURCE, token=A_TOKEN)
    if run.rc == 0:  # the library passes the byte through: the CLI must not
        assert run.json_out()["name"] == "\ufffdabc"
    else:  # or the library rejects the body
        assert_error(run, "malformed_response", 200)


def test_source_info_bad_token(fake):
    run = cli(fake, "--json", "source-info", "--source", SOURCE, token="notAValidToken000000")
    assert_error(run, "unauthorized", 401)


# ---------------------------------------------------------------- retries, faults


def test_429_without_retry_reports_retry_after(fake):
    fake.faults(USER_PATH, [{"status": 429, "retry_after": "7"}])
    run = cli(fake, "--json", "--no-retry", "token-details", token=A_TOKEN)
    err = assert_error(run, "rate_limited", 429, attempts=1)
    assert err["retry_after_ms"] == 7000
    assert len(fake.requests(USER_PATH)) == 1

    fake.faults(USER_PATH, [{"status": 429, "retry_after": "7"}])
    run = cli(fake, "--no-retry", "token-details", token=A_TOKEN)
    assert run.rc == 15
    assert run.err.startswith("plexauth: rate_limited: ") and "retry after 7000 ms" in run.err


def test_429_with_retry_after_is_waited_for_on_get(fake):
    fake.faults(USER_PATH, [{"status": 429, "retry_after": "1"}])
    run = cli(fake, "--json", "token-details", token=A_TOKEN)
    assert run.rc == 0, run.err
    assert len(fake.requests(USER_PATH)) == 2
    assert run.elapsed >= 0.9


@pytest.mark.parametrize("args,path", [
    (["token-details"], USER_PATH),
    (["transient-token"], TOKEN_PATH),
    (["source-info", "--source", SOURCE], RESOURCES_PATH),
])
def test_5xx_then_success_with_retries(fake, args, path):
    fake.faults(path, [{"status": 503}, {"status": 500}])
    run = cli(fake, "--json", "--retry-initial-ms", "10", "--retry-max-interval-ms", "20", *args, token=A_TOKEN)
    assert run.rc == 0, run.err
    run.json_out()
    assert len(fake.requests(path)) == 3


def test_retry_max_attempts_and_no_retry_wins(fake):
    fake.faults(USER_PATH, [{"status": 503}] * 3)
    run = cli(fake, "--json", "--retry-initial-ms", "10", "--retry-max-attempts", "2", "token-details",
              token=A_TOKEN)
    assert assert_error(run, "http_error", 503, attempts=2)["plex_errors"] == []
    assert len(fake.requests(USER_PATH)) == 2

    fake.reset()
    fake.faults(USER_PATH, [{"status": 503}] * 3)
    run = cli(fake, "--json", "--retry-max-attempts", "5", "--retry-initial-ms", "10", "--no-retry",
              "token-details", token=A_TOKEN)
    assert_error(run, "http_error", 503, attempts=1)
    assert len(fake.requests(USER_PATH)) == 1


def test_timeout(fake):
    fake.faults(USER_PATH, [{"delay_ms": 3000}])
    run = cli(fake, "--json", "--no-retry", "--timeout-ms", "300", "token-details", token=A_TOKEN)
    assert_error(run, "timeout", None, attempts=1)
    assert run.elapsed < 2.5


def test_dropped_connection_is_transport(fake):
    fake.faults(USER_PATH, [{"drop": True}])
    run = cli(fake, "--json", "--no-retry", "token-details", token=A_TOKEN)
    assert_error(run, "transport", None, attempts=1)


def test_malformed_response(fake):
    fake.faults(USER_PATH, [{"status": 200, "body": "<html>", "content_type": "text/html"}])
    run = cli(fake, "--json", "--no-retry", "token-details", token=A_TOKEN)
    assert_error(run, "malformed_response", 200)


# ---------------------------------------------------------------- --verbose and secrets


def test_verbose_logs_to_stderr_without_secrets(fake):
    run = cli(fake, "--verbose", "sign-in", "--login", B_LOGIN, "--password-stdin", "--code-stdin",
              stdin=f"{B_PASSWORD}\n{B_CODE}\n")
    assert run.rc == 0, run.err
    assert "plexauth: [" in run.err
    assert SIGNIN_PATH in run.err
    for secret in (B_PASSWORD, B_CODE, B_TOKEN):
        assert secret not in run.err
    assert f"auth token: {B_TOKEN}" in run.out

    run = cli(fake, "--verbose", "--json", "token-details", token=A_TOKEN)
    assert run.rc == 0 and USER_PATH in run.err and A_TOKEN not in run.err

    run = cli(fake, "--verbose", "--json", "transient-token", token=A_TOKEN)
    assert run.rc == 0
    transient = run.json_out()["token"]
    assert TOKEN_PATH in run.err and A_TOKEN not in run.err and transient not in run.err

    run = cli(fake, "--verbose", "--json", "source-info", "--source", SOURCE, token=A_TOKEN)
    assert run.rc == 0
    assert RESOURCES_PATH in run.err and A_TOKEN not in run.err and SOURCE_ACCESS_TOKEN not in run.err

    run = cli(fake, "--verbose", "--json", "token-details", token="notAValidToken000000")
    assert run.rc == 13 and "notAValidToken000000" not in run.err
    assert run.json_err()["status"] == "unauthorized"


def test_code_given_in_argv_is_hidden_from_ps(fake):
    """--code is wiped from the process's command line once read."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("PLEX_")}
    e.update(PLEX_TV_URL=fake.base + "/api/v2", PLEX_CLIENT_ID=CLIENT_ID)
    proc = subprocess.Popen([CLI, "sign-in", "--login", B_LOGIN, "--password-stdin", "--code", B_CODE],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                            start_new_session=True)
    try:
        # The CLI parses argv, then blocks reading the password: poll its
        # command line until the code is gone (or give up).
        deadline = time.monotonic() + 10
        while True:
            with open(f"/proc/{proc.pid}/cmdline", "rb") as f:
                cmdline = f.read()
            if B_LOGIN.encode() in cmdline and B_CODE.encode() not in cmdline:
                break
            assert time.monotonic() < deadline, f"--code still visible: {cmdline!r}"
            time.sleep(0.02)
        out, _ = proc.communicate((B_PASSWORD + "\n").encode(), timeout=30)
        assert proc.returncode == 0
        assert f"auth token: {B_TOKEN}" in out.decode()
        [req] = fake.requests(SIGNIN_PATH)
        assert form(req)["verificationCode"] == [B_CODE]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


# ---------------------------------------------------------------- terminal prompts


class Terminal:
    """The CLI run with a pseudo-terminal as its controlling terminal and stdio."""

    def __init__(self, fake, *args):
        import fcntl
        import termios
        self.master, self.slave = os.openpty()
        e = {k: v for k, v in os.environ.items() if not k.startswith("PLEX_")}
        e.update(PLEX_TV_URL=fake.base + "/api/v2", PLEX_CLIENT_ID=CLIENT_ID)
        self.proc = subprocess.Popen([CLI, *args], stdin=self.slave, stdout=self.slave, stderr=self.slave,
                                     env=e, start_new_session=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        self.seen = b""

    def read_until(self, text, timeout=10):
        import select
        text = text.encode()
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} on the terminal: {self.seen!r}"
            if select.select([self.master], [], [], left)[0]:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # EIO: the program exited
                    chunk = b""
                assert chunk or text in self.seen, f"no {text!r} on the terminal: {self.seen!r}"
                self.seen += chunk

    def type(self, line):
        os.write(self.master, (line + "\n").encode())

    def wait(self):
        return self.proc.wait(timeout=10)

    def echo_is_on(self):
        import termios
        return bool(termios.tcgetattr(self.slave)[3] & termios.ECHO)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def terminal(fake):
    terms = []

    def start(*args):
        terms.append(Terminal(fake, *args))
        return terms[-1]
    yield start
    for t in terms:
        t.close()


def test_terminal_prompts_without_echo_and_asks_for_the_2fa_code(fake, terminal):
    """On a terminal: the password is asked without echo; when plex.tv wants a
    2FA code it is asked the same way and the sign-in is tried once more."""
    t = terminal("sign-in", "--login", B_LOGIN)
    t.read_until(f"Password for {B_LOGIN}: ")
    t.type(B_PASSWORD)
    t.read_until("Verification code: ")
    t.type(B_CODE)
    t.read_until(f"auth token: {B_TOKEN}")
    assert t.wait() == 0
    assert B_PASSWORD.encode() not in t.seen and B_CODE.encode() not in t.seen  # nothing echoed
    assert t.echo_is_on()  # restored
    reqs = fake.requests(SIGNIN_PATH)
    assert len(reqs) == 2
    assert "verificationCode" not in form(reqs[0])
    assert form(reqs[1])["verificationCode"] == [B_CODE]


def test_terminal_2fa_prompt_is_tried_once(fake, terminal):
    t = terminal("sign-in", "--login", B_LOGIN)
    t.read_until("Password for ")
    t.type(B_PASSWORD)
    t.read_until("Verification code: ")
    t.type("000000")
    t.read_until("two_factor_required")
    assert t.wait() == 14
    assert len(fake.requests(SIGNIN_PATH)) == 2


def test_terminal_empty_answers(fake, terminal):
    t = terminal("sign-in", "--login", A_LOGIN)
    t.read_until("Password for ")
    t.type("")
    t.read_until("no password given")
    assert t.wait() == EXIT_USAGE
    assert fake.requests(SIGNIN_PATH) == []

    # No code typed: the 2FA failure itself is reported, after one attempt.
    t = terminal("sign-in", "--login", B_LOGIN)
    t.read_until("Password for ")
    t.type(B_PASSWORD)
    t.read_until("Verification code: ")
    t.type("")
    t.read_until("two_factor_required")
    assert t.wait() == 14
    assert t.echo_is_on()
    assert len(fake.requests(SIGNIN_PATH)) == 1


OFFICE = {"name": "Office", "clientIdentifier": "0ff1ce0000000000", "owned": True, "accessToken": "officeTok123",
          "connections": [{"behaviour": "blackhole", "local": True}, {"behaviour": "refuse"},
                          {"behaviour": "wrong_id"}, {"behaviour": "ok", "relay": True, "delay_ms": 20}]}


def test_servers_table_lists_servers_only_unless_all(fake):
    run = cli(fake, "servers", token=A_TOKEN)
    assert run.rc == 0, run.err
    lines = run.out.rstrip("\n").split("\n")
    assert lines[0] == "2 servers"
    assert lines[1].split() == ["NAME", "OWNER", "ONLINE", "IDENTIFIER", "CONNECTIONS"]
    assert "Living Room" in lines[2] and "you" in lines[2]
    assert "Living Room TV" not in run.out, "a player is not a server"
    [req] = fake.requests("/api/v2/resources")
    assert req["query"] == "includeHttps=1&includeRelay=1&includeIPv6=1"
    assert header(req, "X-Plex-Token") == A_TOKEN and header(req, "Accept") == "application/json"
    assert A_TOKEN not in run.out + run.err
    every = cli(fake, "servers", "--all", token=A_TOKEN)
    assert every.out.startswith("3 devices") and "Living Room TV" in every.out
    owned = cli(fake, "servers", "--owned", token=A_TOKEN)
    assert owned.out.startswith("1 server")


def test_servers_json(fake):
    run = cli(fake, "--json", "servers", token=A_TOKEN)
    assert run.rc == 0, run.err
    devices = run.json_out()["devices"]
    assert [d["name"] for d in devices] == ["Living Room", "Friend's Server"]
    living, shared = devices
    assert living["owned"] is True and living["accessToken"] == "srcAccessTok0123456789"
    assert shared["owned"] is False and shared["accessToken"] is None and shared["ownerId"] is not None
    assert all({"uri", "protocol", "local", "relay", "IPv6"} <= set(c) for c in living["connections"])


def test_connect_picks_the_relay_past_black_holes_and_remembers_it(fake, tmp_path):
    fake.topology([OFFICE])
    cache = tmp_path / "connections.json"
    run = cli(fake, "--json", "connect", "Office", "--stagger-ms", "100", "--cache", str(cache), token=A_TOKEN)
    assert run.rc == 0, run.err
    res = run.json_out()
    outcomes = [(a["location"], a["outcome"], a["status"]) for a in res["attempts"]]
    assert outcomes == [("local", "abandoned", "ok"), ("remote", "failed", "transport"),
                        ("remote", "failed", "malformed_response"), ("relay", "ok", "ok")]
    assert res["uri"] == res["attempts"][3]["uri"] and res["accessToken"] == "officeTok123"
    probes = fake.requests("/identity")
    assert len(probes) == 2  # wrong_id and the relay answered; the black hole and the refusal never did
    for p in probes:
        assert header(p, "X-Plex-Client-Identifier") == CLIENT_ID
        assert header(p, "X-Plex-Token") == "officeTok123"
    assert json.loads(cache.read_text())["servers"] == {"0ff1ce0000000000": res["uri"]}
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    # The next run tries the remembered connection first and never touches the black hole.
    again = cli(fake, "connect", "0ff1ce0000000000", "--cache", str(cache), token=A_TOKEN)
    assert again.rc == 0, again.err
    lines = again.out.split("\n")
    assert lines[0] == res["uri"]
    assert "1. relay " in again.out and "  ok" in again.out
    assert "officeTok123" not in again.out + again.err, "the human output does not print the token"


def test_connect_unreachable_and_unknown_names(fake, tmp_path):
    fake.topology([dict(OFFICE, connections=[{"behaviour": "blackhole"}, {"behaviour": "refuse"}])])
    run = cli(fake, "--json", "connect", "--deadline-ms", "300", "--no-cache", token=A_TOKEN)
    err = run.json_err()
    assert err["status"] == "unreachable", run.err
    assert "within 300 ms" in err["message"] and "officeTok123" not in run.err
    missing = cli(fake, "--json", "connect", "Nowhere", "--no-cache", token=A_TOKEN)
    assert missing.json_err()["status"] == "invalid_argument"
    assert "Office" in missing.json_err()["message"]
    both = cli(fake, "connect", "--cache", str(tmp_path / "c.json"), "--no-cache", token=A_TOKEN)
    assert both.rc == 2


def b64url_decode(text):
    import base64
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_jwt_keygen_register_login_verify_and_the_device_jwt_verifies_independently(fake, tmp_path):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = tmp_path / "device_key.pem"
    made = cli(fake, "--json", "jwt", "keygen", "--key", str(key), token=A_TOKEN)
    assert made.rc == 0, made.err
    info = made.json_out()
    assert info["created"] is True and oct(key.stat().st_mode & 0o777) == "0o600"
    jwk = info["jwk"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["kid"] == info["kid"] and "d" not in jwk
    assert cli(fake, "jwt", "register", "--key", str(key), token=A_TOKEN).rc == 0
    login = cli(fake, "--json", "jwt", "login", "--key", str(key))  # no token needed
    assert login.rc == 0, login.err
    out = login.json_out()
    assert out["verified"] is True and out["exp"] > time.time() + 6 * 86400
    plex_jwt = out["auth_token"]
    # The device JWT the library signed, as the fake received it, checked with
    # another Ed25519 implementation (python3-cryptography).
    [exchange] = fake.requests("/api/v2/auth/token")
    device_jwt = json.loads(exchange["body"])["jwt"]
    head, payload, sig = device_jwt.split(".")
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    public.verify(b64url_decode(sig), f"{head}.{payload}".encode())
    with pytest.raises(InvalidSignature):
        public.verify(b64url_decode(sig), f"{head}.{payload}x".encode())
    header, claims = json.loads(b64url_decode(head)), json.loads(b64url_decode(payload))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": jwk["kid"]}
    assert claims["iss"] == CLIENT_ID and claims["aud"] == "plex.tv" and claims["exp"] - claims["iat"] == 300
    [nonce_req] = fake.requests("/api/v2/auth/nonce")
    assert claims["nonce"] and "username" in claims["scope"]
    # The Plex JWT works with plex.tv, verifies, and never shows up in the human output or stderr.
    ok = cli(fake, "jwt", "verify", "--key", str(key), token=plex_jwt)
    assert ok.rc == 0 and ok.out.startswith("Valid Plex JWT"), ok.err
    assert cli(fake, "token-details", token=plex_jwt).rc == 0
    saved = tmp_path / "jwt"
    again = cli(fake, "--verbose", "jwt", "refresh", "--key", str(key), "--save", str(saved))
    assert again.rc == 0, again.err
    fresh = saved.read_text().strip()
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    for secret in (fresh, plex_jwt, device_jwt.split(".")[2]):
        assert secret not in again.out + again.err
    # A token that is not a Plex JWT is refused with jwt_invalid (exit code of status 22).
    bad = cli(fake, "--json", "jwt", "verify", "--key", str(key), token=A_TOKEN)
    assert bad.json_err()["status"] == "jwt_invalid"
    assert A_TOKEN not in bad.err


def test_login_jwt_with_the_device_key_alone_then_refresh(fake, tmp_path):
    key = tmp_path / "device_key.pem"
    saved = tmp_path / "jwt"
    t = approve_once_polled(fake)
    run = cli(fake, "--verbose", "login", "--jwt", "--key", str(key), "--strong", "--poll-ms", "200",
              "--save", str(saved), timeout=30)
    t.join()
    assert run.rc == 0, run.err
    assert oct(key.stat().st_mode & 0o777) == "0o600", "the key was made, private"
    assert "Made device key" in run.out and "Plex JWT is saved" in run.out
    [create] = fake.requests("/api/v2/pins")
    body = json.loads(create["body"])
    assert body["strong"] is True and body["jwk"]["kty"] == "OKP" and "d" not in body["jwk"]
    assert header(create, "X-Plex-Token") is None
    polls = [r for r in fake.requests() if r["path"].startswith("/api/v2/pins/")]
    assert polls and all(r["query"].startswith("deviceJWT=") for r in polls)
    device_jwt = polls[0]["query"].split("=", 1)[1]
    plex_jwt = saved.read_text().strip()
    assert plex_jwt.count(".") == 2 and oct(saved.stat().st_mode & 0o777) == "0o600"
    for secret in (plex_jwt, device_jwt, device_jwt.split(".")[2]):
        assert secret not in run.out + run.err, "no JWT in the output or the verbose log"
    # The Plex JWT is for this key, and the approval registered the key: refresh needs nothing else.
    ok = cli(fake, "jwt", "verify", "--key", str(key), token=plex_jwt)
    assert ok.rc == 0 and ok.out.startswith("Valid Plex JWT"), ok.err
    again = cli(fake, "--json", "jwt", "refresh", "--key", str(key))
    assert again.rc == 0, again.err
    assert again.json_out()["verified"] is True
    assert not fake.requests("/api/v2/auth/jwk"), "no register call"
