#!/usr/bin/env bash
# Builds the Rust or the Go guide's tour (docs/examples/rust, docs/examples/go),
# lints it, and runs it against plexauth-fake with run_example.py (the lines
# every tour prints, no secret printed). scripts/test.sh calls it in the Rust
# and Go steps, with the staged library's environment it exports
# (PLEXAUTH_LIB_DIR, PKG_CONFIG_PATH, LD_LIBRARY_PATH, PLEXAUTH_FAKE).
#   run_tour.sh rust|go
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lang=${1:-}
work=${BUILD_DIR:-$root/build}/tests/docs/$lang
case $lang in
  rust)
    # The binding's target folder, which its tests have filled: little to rebuild.
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/bindings/rust/target}
    manifest=$root/docs/examples/rust/Cargo.toml
    cargo clippy --quiet --manifest-path "$manifest" -- -D warnings
    cargo build --quiet --manifest-path "$manifest"
    tour=$CARGO_TARGET_DIR/debug/tour ;;
  go)
    mkdir -p "$work"
    (cd "$root/docs/examples/go" && go vet ./... && go build -o "$work/tour" ./tour)
    tour=$work/tour ;;
  *)
    echo "usage: $0 rust|go" >&2
    exit 2 ;;
esac
exec python3 "$root/tests/docs/run_example.py" "${PLEXAUTH_FAKE:?PLEXAUTH_FAKE names plexauth-fake}" \
  "$work" -- "$tour"
