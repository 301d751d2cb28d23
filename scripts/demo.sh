#!/usr/bin/env bash
# The plexauth demo: installs what is missing, builds (Release) into build/,
# starts the fake Plex server (plexauth-fake) on 127.0.0.1 and walks the CLI
# through sign-in (2FA asked, then given), token-details, transient-token,
# source-info, ping, PIN login, servers, connect, JWT device authentication and
# PIN login with a device key. Exits non-zero as soon as a step does not
# behave as expected.
#
#   scripts/demo.sh
#
# Environment: BUILD_DIR (default <repo>/build), JOBS (default: all CPUs),
# PLEXAUTH_SKIP_DEPS=1 to skip the package check.
#
# The steps are shown as typed and run with eval, so their $VARIABLES are
# meant to stay unexpanded in single quotes:
# shellcheck disable=SC2016,SC2034
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

bold=""; reset=""
if [ -t 1 ]; then bold=$'\e[1m'; reset=$'\e[0m'; fi

step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
die() { printf '\ndemo FAILED: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ build
if [ "${PLEXAUTH_SKIP_DEPS:-0}" != 1 ]; then
  step "Installing missing system packages (scripts/deps.sh)"
  "$ROOT/scripts/deps.sh"
fi

step "Building plexauth (Release) into $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD" -j"$JOBS" --target plexauth_cli plexauth-fake

FAKE=$BUILD/tests/fake/plexauth-fake
CLI=$BUILD/tools/plexauth/plexauth
[ -x "$FAKE" ] || die "$FAKE was not built"
[ -x "$CLI" ] || die "$CLI was not built"

# ------------------------------------------------------------------ fake server
WORK=$(mktemp -d "${TMPDIR:-/tmp}/plexauth-demo.XXXXXX")
FAKE_PID=""
cleanup() {
  if [ -n "$FAKE_PID" ]; then
    kill "$FAKE_PID" 2>/dev/null || true
    wait "$FAKE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

step "Starting the fake Plex server on 127.0.0.1"
"$FAKE" --host 127.0.0.1 --port 0 --port-file "$WORK/port" --max-seconds 300 >"$WORK/fake.log" 2>&1 &
FAKE_PID=$!
PORT=""
for _ in $(seq 1 100); do  # at most 10 s
  if [ -s "$WORK/port" ]; then
    PORT=$(head -n1 "$WORK/port" | tr -d '[:space:]')
    case $PORT in '' | *[!0-9]*) PORT="" ;; *) break ;; esac
  fi
  kill -0 "$FAKE_PID" 2>/dev/null || { cat "$WORK/fake.log" >&2; die "plexauth-fake exited"; }
  sleep 0.1
done
[ -n "$PORT" ] || die "plexauth-fake did not report its port within 10 s"
echo "plexauth-fake (pid $FAKE_PID) listens on 127.0.0.1:$PORT"

# The CLI reads its settings from the environment.
export PLEX_SERVER="http://127.0.0.1:$PORT"       # the PMS
export PLEX_TV_URL="http://127.0.0.1:$PORT/api/v2" # plex.tv
export PLEX_CLIENT_ID="plexauth-demo-0001" PLEX_CLIENT_NAME="plexauth demo" PLEX_PLATFORM="Linux"
unset PLEX_TOKEN
printf '\n  PLEX_SERVER=%s\n  PLEX_TV_URL=%s\n  PLEX_CLIENT_ID=%s\n' "$PLEX_SERVER" "$PLEX_TV_URL" "$PLEX_CLIENT_ID"

# Account B of the fake server, which has two-factor authentication.
LOGIN=user12345@example.com
PASSWORD=hunter2-secret # read by the CLI from stdin, never from argv
CODE=123456

plexauth() { "$CLI" "$@"; }

# run EXPECTED_EXIT 'shell command' — prints the command as typed, runs it,
# shows its output and checks its exit status. OUT holds its stdout.
OUT=""
run() {
  local expected=$1 cmd=$2 rc=0
  printf '%s$ %s%s\n' "$bold" "$cmd" "$reset"
  OUT=$(eval "$cmd" 2>"$WORK/stderr") || rc=$?
  [ -z "$OUT" ] || printf '%s\n' "$OUT"
  [ -s "$WORK/stderr" ] && cat "$WORK/stderr"
  if [ "$rc" -ne "$expected" ]; then
    die "exit status $rc, expected $expected"
  fi
  echo "(exit status $rc, as expected)"
}
expect() { # expect 'text' 'where'
  grep -qF -- "$1" <<<"$2" || die "expected to see: $1"
}

# approve_polled_pin LOGIN — waits (10 s at most) until the CLI running in the
# background polls a PIN it has not polled before, shows its output, and
# approves that PIN for LOGIN through the fake's control endpoint.
SEEN_PINS=" "
approve_polled_pin() {
  local pin_id="" ids
  for _ in $(seq 1 100); do
    ids=$(curl -s "http://127.0.0.1:$PORT/_fake/requests" | grep -o '"path":"/api/v2/pins/[0-9]*"' |
      sed 's|.*/pins/\([0-9]*\)"|\1|' || true)
    for id in $ids; do
      case $SEEN_PINS in *" $id "*) ;; *) pin_id=$id ;; esac
    done
    [ -n "$pin_id" ] && break
    sleep 0.1
  done
  [ -n "$pin_id" ] || die "the CLI never polled its PIN"
  SEEN_PINS="$SEEN_PINS$pin_id "
  cat "$WORK/login.out"
  printf '%s$ curl -s -X POST http://127.0.0.1:%s/_fake/pins/approve -d '"'"'{"id":%s,"login":"%s"}'"'"'%s\n' \
    "$bold" "$PORT" "$pin_id" "$1" "$reset"
  curl -s -X POST "http://127.0.0.1:$PORT/_fake/pins/approve" -H 'Content-Type: application/json' \
    -d "{\"id\":$pin_id,\"login\":\"$1\"}" >/dev/null
}

# ------------------------------------------------------------------ the walk
step "1. Sign in to account B without a 2FA code: plex.tv asks for one (exit 14)"
run 14 'printf "%s\n" "$PASSWORD" | plexauth sign-in --login "$LOGIN" --password-stdin'
expect "two_factor_required" "$(cat "$WORK/stderr")"

step "2. Sign in again with the code; password and code both come from stdin"
run 0 'printf "%s\n%s\n" "$PASSWORD" "$CODE" | plexauth sign-in --login "$LOGIN" --password-stdin --code-stdin'
expect "Signed in as user12345" "$OUT"
TOKEN=$(sed -n 's/^auth token: //p' <<<"$OUT")
[ -n "$TOKEN" ] || die "no auth token in the sign-in output"

step "3. The account behind that token (passed in the environment, not argv)"
printf '%s$ export PLEX_TOKEN=<the auth token printed in step 2>%s\n' "$bold" "$reset"
export PLEX_TOKEN=$TOKEN
run 0 'plexauth token-details'
expect "user12345" "$OUT"

step "4. A transient token from the PMS"
run 0 'plexauth transient-token'
expect "transient token: " "$OUT"

step "5. Connection details for a source the PMS knows"
run 0 'plexauth source-info --source server://3381b62b9ab74e37'
expect "Living Room" "$OUT"

step "5b. The same as JSON, for scripts"
run 0 'plexauth --json source-info --source server://3381b62b9ab74e37'
expect '"name":"Living Room"' "$OUT"

step "6. Is the token still good? ping keeps it alive (apps do this once a day)"
run 0 'plexauth ping'
expect '{"pong":true}' "$OUT"

step "7. A revoked or wrong token is unauthorized (exit 13)"
run 13 'PLEX_TOKEN=not-a-valid-token plexauth --no-retry ping'
expect "unauthorized" "$(cat "$WORK/stderr")"

step "8. PIN login, as Plex apps do it: the CLI shows a code and waits for its approval"
echo "(the user would enter the code at plex.tv/link; here the fake's control endpoint approves it)"
printf '%s$ plexauth login --poll-ms 300 --timeout-s 30 --save "$WORK/token"%s\n' "$bold" "$reset"
PLEX_TOKEN="" "$CLI" login --poll-ms 300 --timeout-s 30 --save "$WORK/token" >"$WORK/login.out" 2>"$WORK/login.err" &
LOGIN_PID=$!
approve_polled_pin "$LOGIN"
wait "$LOGIN_PID" || die "login failed: $(cat "$WORK/login.err")"
cat "$WORK/login.out" | tail -n1
expect "Signed in" "$(cat "$WORK/login.out")"
[ "$(stat -c %a "$WORK/token")" = 600 ] || die "the saved token is not private"
run 0 'plexauth --token-file "$WORK/token" token-details'
expect "user12345" "$OUT"

# Account A of the fake owns servers (the fake's seeded token, as if signed in).
export PLEX_TOKEN=CxoUzBTSV5hsxjTpFKaf
step "9. The account's servers (plex.tv's resources list)"
run 0 'plexauth servers'
expect "Living Room" "$OUT"

step "10. Reach a server fast: black holes, a refusal and a wrong server lose to the relay"
echo "(the fake opens a topology of loopback servers: two that never answer, one that refuses,"
echo " one that answers as another server, and the relay)"
curl -s -X POST "http://127.0.0.1:$PORT/_fake/topology" -H 'Content-Type: application/json' -d '{"servers":[
  {"name":"Office","clientIdentifier":"0ff1ce0000000000","owned":true,"accessToken":"officeTok123","connections":[
   {"behaviour":"blackhole","local":true},{"behaviour":"blackhole"},{"behaviour":"refuse"},
   {"behaviour":"wrong_id"},{"behaviour":"ok","relay":true,"delay_ms":20}]}]}' >/dev/null
run 0 'plexauth connect Office --stagger-ms 100 --cache "$WORK/connections.json"'
expect "relay" "$OUT"
expect "ok" "$OUT"
echo "(the next connect tries the remembered connection first)"
run 0 'plexauth connect Office --cache "$WORK/connections.json"'
expect "1. relay" "$OUT"

step "11. JWT device authentication: a device key, registered once with the legacy token"
run 0 'plexauth jwt keygen --key "$WORK/device_key.pem"'
[ "$(stat -c %a "$WORK/device_key.pem")" = 600 ] || die "the device key is not private"
run 0 'plexauth jwt register --key "$WORK/device_key.pem"'
echo "(nonce -> a device JWT signed with the key -> a 7-day Plex JWT; no token needed)"
run 0 'PLEX_TOKEN= plexauth jwt login --key "$WORK/device_key.pem" --save "$WORK/jwt"'
expect "Got a Plex JWT, expires" "$OUT"
run 0 'plexauth --token-file "$WORK/jwt" jwt verify --key "$WORK/device_key.pem"'
expect "Valid Plex JWT" "$OUT"
run 0 'plexauth --token-file "$WORK/jwt" token-details'

step "12. A new device signs in with a PIN that carries its key: no legacy token at all"
printf '%s$ PLEX_CLIENT_ID=plexauth-demo-0002 plexauth login --jwt --key "$WORK/new_device.pem" --save "$WORK/jwt2"%s\n' \
  "$bold" "$reset"
PLEX_TOKEN="" PLEX_CLIENT_ID=plexauth-demo-0002 "$CLI" login --jwt --key "$WORK/new_device.pem" --poll-ms 300 \
  --timeout-s 30 --save "$WORK/jwt2" >"$WORK/login.out" 2>"$WORK/login.err" &
LOGIN_PID=$!
approve_polled_pin "$LOGIN"
wait "$LOGIN_PID" || die "login --jwt failed: $(cat "$WORK/login.err")"
tail -n1 "$WORK/login.out"
expect "Plex JWT is saved" "$(cat "$WORK/login.out")"
run 0 'PLEX_CLIENT_ID=plexauth-demo-0002 plexauth --token-file "$WORK/jwt2" jwt verify --key "$WORK/new_device.pem"'
expect "Valid Plex JWT" "$OUT"
echo "(the approval registered the key: a refresh needs only the key)"
run 0 'PLEX_TOKEN= PLEX_CLIENT_ID=plexauth-demo-0002 plexauth jwt refresh --key "$WORK/new_device.pem" --save "$WORK/jwt2"'

step "Stopping the fake server"
cleanup
FAKE_PID=""
trap - EXIT
printf '\n%sdemo OK%s: sign-in with 2FA, token-details, transient-token, source-info, ping, PIN login, servers, connect, JWT device login and PIN login with a device key all behaved as expected.\n' "$bold" "$reset"
