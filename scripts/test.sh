#!/usr/bin/env bash
# Builds plexauth and runs every test: the C++ and C suites and the CLI tests
# (ctest), then the Python, Rust and Go bindings' own suites against the
# staged library and the bundled fake Plex server, then the hardening gates
# (sanitizers, valgrind, fuzzing). Installs what it needs.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
# The static library too: tests/consume links it every way a user would.
export CMAKE_ARGS="-DPLEXAUTH_BUILD_STATIC=ON ${CMAKE_ARGS:-}"

"$root/scripts/deps.sh" || exit 1
"$root/scripts/build.sh" || exit 1

stage=$BUILD_DIR/stage
export PLEXAUTH_LIBRARY=$stage/lib/libplexauth.so
export PLEXAUTH_LIB_DIR=$stage/lib
export PKG_CONFIG_PATH=$stage/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=$stage/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PLEXAUTH_FAKE=$BUILD_DIR/tests/fake/plexauth-fake
export PLEXAUTH_CLI=$BUILD_DIR/tools/plexauth/plexauth

failed=()
run() {  # run NAME DIR CMD...
  local name=$1 dir=$2
  shift 2
  echo
  echo "==> $name"
  if ! (cd "$dir" && "$@"); then failed+=("$name"); fi
}

run "C/C++ suites and CLI (ctest)" "$BUILD_DIR" ctest --output-on-failure -j "${JOBS:-$(nproc)}"
run "C API reference (Doxygen, warnings are errors)" "$root" cmake --build "$BUILD_DIR" --target docs

if [ -f "$root/bindings/python/pyproject.toml" ]; then
  run "Python binding (pytest)" "$root/bindings/python" python3 -m pytest -q tests
  run "Python binding (mypy --strict)" "$root/bindings/python" python3 -m mypy
fi
if [ -f "$root/bindings/rust/Cargo.toml" ]; then
  run "Rust binding (cargo test)" "$root/bindings/rust" cargo test --quiet
  run "Rust binding (cargo clippy)" "$root/bindings/rust" cargo clippy --quiet --all-targets -- -D warnings
  run "Rust guide's tour (docs/examples/rust)" "$root" tests/docs/run_tour.sh rust
fi
if [ -f "$root/bindings/go/go.mod" ]; then
  run "Go binding (go vet)" "$root/bindings/go" go vet ./...
  run "Go binding (go test -race)" "$root/bindings/go" go test -race -count=1 ./...
  run "Go guide's tour (docs/examples/go)" "$root" tests/docs/run_tour.sh go
fi

# Each binding installed as its ecosystem expects, with no plexauth environment
# variable, from scratch projects (scripts/packaging-test.sh).
run "Packaging (pip wheel, cargo bundled, go pkg-config/static)" "$root" scripts/packaging-test.sh

# Hardening gates 1-3 (docs/reliability.md): valgrind, ASan+UBSan, TSan with
# the stress test, libFuzzer. PLEXAUTH_SKIP_HARDENING=1 skips them locally.
if [ "${PLEXAUTH_SKIP_HARDENING:-0}" != 1 ]; then
  run "Hardening gates (valgrind, sanitizers, fuzzing)" "$root" scripts/hardening/all.sh
fi

echo
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all test suites passed"
