#!/bin/sh
# Builds tests/c/sign_in.c as C99 against the INSTALLED library (pkg-config)
# and runs it against a plexauth-fake. Bounded throughout; cleans up.
#
#   run_sign_in.sh BUILD_DIR SOURCE_DIR FAKE_PROGRAM
set -eu
build="$1"
src="$2"
fake="$3"
stage="$build/stage"
work="$build/tests/c/work"
fake_pid=""

cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"

# (a) Install the build into the stage.
cmake --install "$build" --prefix "$stage" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install"; }

# (b) Compile as strict C99 against the stage, through pkg-config only.
export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
flags=$(pkg-config --cflags --libs plexauth) || fail "pkg-config does not know plexauth"
# shellcheck disable=SC2086 # the flags are words
${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Werror "$src/sign_in.c" -o "$work/sign_in" $flags ||
  fail "sign_in.c does not compile against the installed header"

# (c) Run it against a fresh fake (stops by itself after 60 s at the latest).
"$fake" --port-file "$work/port" --max-seconds 60 >/dev/null &
fake_pid=$!
i=0
while [ ! -s "$work/port" ]; do
  i=$((i + 1))
  [ "$i" -le 100 ] || fail "plexauth-fake wrote no port file within 10 s"
  kill -0 "$fake_pid" 2>/dev/null || fail "plexauth-fake exited"
  sleep 0.1
done
port=$(cat "$work/port")

LD_LIBRARY_PATH="$stage/lib" timeout 30 "$work/sign_in" "http://127.0.0.1:$port/api/v2"
