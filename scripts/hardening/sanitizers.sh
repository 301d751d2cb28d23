#!/usr/bin/env bash
# Gate 1: the whole ctest suite (unit, integration, c, cli, fake, stress,
# fuzz replays, ...) under ASan+UBSan and, separately, under TSan, each in a
# build of its own: ${BUILD_DIR:-build}-asan and ${BUILD_DIR:-build}-tsan.
# Every process writes its sanitizer reports to <build>/sanitizer-logs (the
# fake server and the CLI run as child processes whose exit status a test
# may not look at), so the gate fails on any report from any process, not
# only on failing tests.
#
#   scripts/hardening/sanitizers.sh [asan] [tsan]     (default: both)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=${JOBS:-$(nproc)}
kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)

failed=()
for kind in "${kinds[@]}"; do
  case $kind in
    asan) sanitize=address,undefined ;;
    tsan) sanitize=thread ;;
    *) echo "usage: $0 [asan] [tsan]" >&2; exit 2 ;;
  esac
  dir=$build-$kind
  logs=$dir/sanitizer-logs
  echo
  echo "==> sanitizers: $kind (-fsanitize=$sanitize) in $dir"
  start=$SECONDS
  # -O1 -g1 (line tables: enough for the reports' stacks) compiles 3-4x
  # faster than RelWithDebInfo's -O2 -g. A build type of its own, so that
  # tests/abi still gives the library full -g for its abidw check.
  if ! cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" \
         -DCMAKE_C_FLAGS_SANITIZE="-O1 -g1" -DPLEXAUTH_SANITIZE="$sanitize" -DPLEXAUTH_BUILD_BENCH=OFF >/dev/null ||
     ! cmake --build "$dir" -j "$jobs" >"$dir/build.log" 2>&1; then
    tail -40 "$dir/build.log" 2>/dev/null
    failed+=("$kind build")
    continue
  fi
  built=$SECONDS
  rm -rf "$logs"
  mkdir -p "$logs"
  (
    # scripts/test.sh exports LD_LIBRARY_PATH (and more) for the normal
    # build's stage; it would beat the tests' RUNPATH and load the
    # uninstrumented library. Each test finds its own build's.
    unset LD_LIBRARY_PATH PKG_CONFIG_PATH PLEXAUTH_LIBRARY PLEXAUTH_LIB_DIR PLEXAUTH_FAKE PLEXAUTH_CLI
    lib=$(ldd "$dir/tools/plexauth/plexauth" | awk '/libplexauth/ {print $3}')
    case $lib in
      "$dir"/*) ;;
      *) echo "$kind: the CLI would load $lib, not the instrumented library"; exit 1 ;;
    esac
    # The C test program is compiled by its driver (tests/c/run_sign_in.sh)
    # with $CC against the instrumented library: instrument it too, so the
    # sanitizer runtime comes first.
    export CC="cc -fsanitize=$sanitize"
    export CXX="c++ -fsanitize=$sanitize"  # the C++ consumer (tests/consume) likewise
    common=halt_on_error=1:log_path=$logs/report
    export ASAN_OPTIONS=$common:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1
    export UBSAN_OPTIONS=$common:print_stacktrace=1
    export TSAN_OPTIONS=$common:second_deadlock_stack=1:suppressions=$root/scripts/hardening/tsan.supp
    cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 600 >"$dir/ctest.log" 2>&1
  )
  rc=$?
  grep -E "tests passed|tests failed|Total Test time" "$dir/ctest.log"
  reports=$(find "$logs" -type f | wc -l)
  if [ "$rc" -ne 0 ]; then
    grep -E "^[0-9]+/[0-9]+ Test .*(Failed|Timeout|Exception|\*\*\*)" "$dir/ctest.log"
    failed+=("$kind tests")
  fi
  if [ "$reports" -ne 0 ]; then
    echo "$kind: $reports sanitizer report(s):"
    for f in "$logs"/*; do
      echo "--- $f"
      head -60 "$f"
    done
    failed+=("$kind reports")
  fi
  echo "$kind: build $((built - start)) s, tests $((SECONDS - built)) s, $reports sanitizer reports"
done

echo
if ((${#failed[@]})); then
  echo "sanitizers FAILED: ${failed[*]}"
  exit 1
fi
echo "sanitizers: every suite passed with no report under: ${kinds[*]}"
