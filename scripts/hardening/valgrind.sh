#!/usr/bin/env bash
# Gate 2: valgrind memcheck of the C test program (tests/c/sign_in.c), of the
# C++ API suite (tests/cpp) and of the CLI through every operation and error
# path, against plexauth-fake.
# Passes when every run exits as expected and valgrind reports 0 errors and
# 0 bytes definitely or indirectly lost (OpenSSL/libcurl global state that
# is "still reachable" at exit is not an error).
#
#   scripts/hardening/valgrind.sh        (uses ${BUILD_DIR:-build}, builds it if needed)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
export BUILD_DIR=$build

if ! command -v valgrind >/dev/null; then
  echo "valgrind: installing"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends valgrind >/dev/null ||
    exit 1
fi
if [ ! -x "$build/tools/plexauth/plexauth" ] || [ ! -f "$build/stage/lib/pkgconfig/plexauth.pc" ]; then
  "$root/scripts/build.sh" || exit 1
fi
cli=$build/tools/plexauth/plexauth
fake_bin=$build/tests/fake/plexauth-fake
work=$build/hardening-valgrind
rm -rf "$work"
mkdir -p "$work/logs"

fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null
    wait "$fake_pid" 2>/dev/null
  fi
}
trap cleanup EXIT

"$fake_bin" --port-file "$work/port" --max-seconds 900 >/dev/null 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "valgrind: plexauth-fake did not start"; exit 1; }
port=$(cat "$work/port")
base=http://127.0.0.1:$port
closed=http://127.0.0.1:9  # discard port: nothing listens on loopback

# POST a control request to the fake (python3: no curl needed).
control() {
  python3 - "$base$1" "$2" <<'EOF' >/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
EOF
}
fault() { control /_fake/faults "{\"path\":\"$1\",\"faults\":[$2]}"; }

VG=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30)
failed=()
runs=0

# check NAME EXPECTED_EXIT STDIN CMD...: one program run under memcheck.
check() {
  local name=$1 want=$2 input=$3
  shift 3
  runs=$((runs + 1))
  local log=$work/logs/$name.log
  printf '%s' "$input" | timeout 120 "${VG[@]}" --log-file="$log" "$@" >"$work/logs/$name.out" 2>"$work/logs/$name.err"
  local rc=$?
  if [ "$rc" -ne "$want" ] || [ -s "$log" ]; then
    echo "  FAIL $name: exit $rc (expected $want)"
    [ -s "$log" ] && sed 's/^/    /' "$log" | head -60
    sed 's/^/    stderr: /' "$work/logs/$name.err" | tail -5
    failed+=("$name")
  else
    echo "  ok   $name (exit $rc)"
  fi
}

# The CLI against the fake: PLEX_* settings as the CLI reads them.
plexauth() {
  local name=$1 want=$2 input=$3
  shift 3
  check "cli.$name" "$want" "$input" env PLEX_SERVER="$base" PLEX_TV_URL="$base/api/v2" \
    PLEX_CLIENT_ID=valgrind-0001 PLEX_TOKEN="${TOKEN-CxoUzBTSV5hsxjTpFKaf}" "$cli" "$@"
}

echo "==> valgrind: the C test program (tests/c/sign_in.c, against the installed library)"
export PKG_CONFIG_PATH=$build/stage/lib/pkgconfig
# shellcheck disable=SC2046 # pkg-config's flags are words
cc -std=c99 -g -Wall -Wextra -pedantic -Werror "$root/tests/c/sign_in.c" -o "$work/sign_in" \
  $(pkg-config --cflags --libs plexauth) || exit 1
check c.sign_in 0 "" env LD_LIBRARY_PATH="$build/stage/lib" "$work/sign_in" "$base/api/v2"

echo "==> valgrind: the non-blocking API (docs/examples/c/many_calls.c: an external loop, the client's own thread)"
cc -std=c99 -g -Wall -Wextra -pedantic -Werror -D_POSIX_C_SOURCE=200809L "$root/docs/examples/c/many_calls.c" \
  -o "$work/many_calls" $(pkg-config --cflags --libs plexauth) || exit 1
check c.many_calls 0 $'CxoUzBTSV5hsxjTpFKaf\n' env LD_LIBRARY_PATH="$build/stage/lib" PLEX_TV_URL="$base/api/v2" \
  "$work/many_calls"
echo "==> valgrind: the C++ API suite (tests/cpp: RAII, moves, futures, callbacks, cancel; its own fake)"
check cpp.suite 0 "" "$build/tests/cpp/plexauth_cpp_tests" --gtest_brief=1

echo "==> valgrind: the CLI, every command and error path"
signin_a=$'password123\n'
plexauth version 0 "" version
plexauth help 0 "" --help
plexauth usage_unknown_command 2 "" frobnicate
plexauth usage_bad_url 2 "" --server not-a-url token-details
plexauth usage_json 2 "" --json sign-in
plexauth sign_in 0 "$signin_a" sign-in --login username@email.com --password-stdin
plexauth sign_in_json_verbose 0 "$signin_a" --json --verbose sign-in --login Username --password-stdin --remember
plexauth sign_in_wrong_password 13 $'nope\n' sign-in --login username@email.com --password-stdin
plexauth sign_in_2fa_missing 14 $'hunter2-secret\n' sign-in --login user12345 --password-stdin
plexauth sign_in_2fa_code_stdin 0 $'hunter2-secret\n123456\n' --json sign-in --login user12345 --password-stdin --code-stdin
plexauth sign_in_2fa_wrong_code 14 $'hunter2-secret\n000000\n' sign-in --login user12345 --password-stdin --code-stdin
plexauth sign_in_no_password_stdin 2 "" sign-in --login user12345 --password-stdin
check cli.sign_in_no_client_id 12 "$signin_a" env PLEX_TV_URL="$base/api/v2" "$cli" --client-id "" sign-in \
  --login username@email.com --password-stdin
# Without --client-id: the stored identifier (created in the run's own config folder).
check cli.stored_client_id 0 "" env XDG_CONFIG_HOME="$work/config" PLEX_TV_URL="$base/api/v2" \
  PLEX_TOKEN=CxoUzBTSV5hsxjTpFKaf "$cli" ping
fault /api/v2/users/signin '{"status":503,"retry_after":"0"}'
plexauth sign_in_503_then_ok 0 "$signin_a" sign-in --login username@email.com --password-stdin
fault /api/v2/users/signin '{"status":429,"retry_after":"0"}'
plexauth sign_in_429_not_retried 15 "$signin_a" --json sign-in --login username@email.com --password-stdin

plexauth ping 0 "" ping
plexauth sign_out_unknown_token_json 13 "" --json --no-retry --token not-a-token sign-out
plexauth switch_user_pin_required 28 "" --no-retry switch-user --user homeuser0000uuid
plexauth switch_user 0 $'1234\n' --json switch-user --user homeuser0000uuid --pin-stdin
plexauth login_timeout 18 "" login --poll-ms 100 --timeout-s 1
plexauth token_details 0 "" token-details
plexauth token_details_json_verbose 0 "" --json --verbose token-details
TOKEN=revokedTokenXXXXXXXX plexauth token_details_revoked 13 "" --json token-details
TOKEN=wrongTokenYYYYYYYYYY plexauth token_details_bad_token 13 "" token-details
TOKEN="" plexauth token_details_no_token 13 "" token-details
fault /api/v2/user '{"status":503},{"status":500}'
plexauth token_details_5xx_exhausted 16 "" --json --retry-initial-ms 1 --retry-max-attempts 2 token-details
fault /api/v2/user '{"status":429,"retry_after":"120"}'
plexauth token_details_429_retry_after 15 "" --json --no-retry token-details
fault /api/v2/user '{"status":200,"body":"<html>","content_type":"text/html"}'
plexauth token_details_html 20 "" --json token-details
fault /api/v2/user '{"truncated_json":true}'
plexauth token_details_truncated 20 "" token-details
fault /api/v2/user '{"nested_depth":100000}'
plexauth token_details_nested 20 "" token-details
fault /api/v2/user '{"invalid_utf8":true}'
plexauth token_details_invalid_utf8 20 "" --json token-details
fault /api/v2/user '{"gzip":true}'
plexauth token_details_gzip 0 "" --json token-details
fault /api/v2/user '{"oversized_bytes":9437184}'
plexauth token_details_too_large 23 "" --no-retry token-details
fault /api/v2/user '{"drop":true}'
plexauth token_details_dropped 17 "" --no-retry token-details
fault /api/v2/user '{"delay_ms":3000}'
plexauth token_details_timeout 18 "" --no-retry --timeout-ms 300 token-details
check cli.token_details_refused 17 "" env PLEX_TV_URL="$closed/api/v2" PLEX_TOKEN=CxoUzBTSV5hsxjTpFKaf \
  "$cli" --no-retry token-details

plexauth transient_token 0 "" transient-token
plexauth transient_token_json 0 "" --json --verbose transient-token --type delegation --scope all
plexauth transient_token_bad_type 12 "" transient-token --type other
TOKEN=wrongTokenYYYYYYYYYY plexauth transient_token_bad_token 13 "" --json transient-token

plexauth source_info 0 "" source-info --source server://3381b62b9ab74e37
plexauth source_info_json 0 "" --json --verbose source-info --source server://3381b62b9ab74e37
plexauth source_info_unknown 16 "" --json source-info --source server://nope
TOKEN=wrongTokenYYYYYYYYYY plexauth source_info_bad_token 13 "" source-info --source server://3381b62b9ab74e37

# Leak and error totals over every run, for docs/reliability.md.
lost=$(cat "$work"/logs/*.log 2>/dev/null | grep -cE "definitely lost|indirectly lost")
echo
echo "valgrind: $runs runs, ${#failed[@]} failed; leak records in logs: $lost"
if ((${#failed[@]})); then
  echo "valgrind FAILED: ${failed[*]}"
  exit 1
fi
echo "valgrind: 0 errors, 0 bytes definitely or indirectly lost in every run"
