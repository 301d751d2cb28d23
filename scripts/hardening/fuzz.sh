#!/usr/bin/env bash
# Gate 3: libFuzzer. Builds tests/fuzz with clang (-fsanitize=fuzzer plus
# address,undefined) in ${BUILD_DIR:-build}-fuzz and runs every target for
# FUZZ_SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<target>
# (regression inputs included), FUZZ_PARALLEL (default: nproc) at a time.
# Fails on any crash, leak, timeout or sanitizer report; the input that
# caused it is left in <build>-fuzz/fuzz-work/<target>/ and printed.
#
#   scripts/hardening/fuzz.sh [TARGET...]          (default: all targets)
#   FUZZ_SECONDS=3600 scripts/hardening/fuzz.sh fuzz_json   (a long local run)
#
# New inputs found go to <build>-fuzz/fuzz-work/<target>/corpus, not into the
# repository; see docs/reliability.md for how to merge useful ones.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build}
dir=$build-fuzz
seconds=${FUZZ_SECONDS:-60}
parallel=${FUZZ_PARALLEL:-$(nproc)}
all=(fuzz_account fuzz_transient_token fuzz_source_info fuzz_plex_errors fuzz_retry_after fuzz_json fuzz_capi
     fuzz_pin fuzz_pong fuzz_home_users fuzz_home_users_xml fuzz_client_id fuzz_login_url
     fuzz_resources fuzz_identity fuzz_jwt)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

# Debian's clang and its libFuzzer runtime.
if ! command -v clang++ >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz: installing clang and libFuzzer"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null || exit 1
fi

start=$SECONDS
echo "==> fuzz: building ${targets[*]} in $dir"
# -O1 with line tables only, as fuzzing builds usually are: quick to compile,
# enough for symbolized reports.
if ! CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Fuzz \
       -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" \
       -DPLEXAUTH_FUZZ=ON -DPLEXAUTH_SANITIZE=address,undefined -DPLEXAUTH_WERROR=OFF \
       -DPLEXAUTH_BUILD_CLI=OFF -DPLEXAUTH_BUILD_BENCH=OFF >/dev/null ||
   ! cmake --build "$dir" -j "${JOBS:-$(nproc)}" --target "${targets[@]}" >"$dir/build.log" 2>&1; then
  tail -40 "$dir/build.log" 2>/dev/null
  echo "fuzz FAILED: build"
  exit 1
fi
echo "fuzz: built in $((SECONDS - start)) s; running each target for $seconds s, $parallel at a time"

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

run_one() {  # run_one TARGET: 0 when it survived
  local t=$1 work=$dir/fuzz-work/$1 leaks=()
  rm -rf "$work"
  mkdir -p "$work/corpus"
  # fuzz_capi's fake server allocates on its own threads during every input,
  # which makes libFuzzer's per-input leak check run a full LeakSanitizer
  # scan each time (16x slower). It fuzzes without that check, then replays
  # every input it kept once with it.
  [ "$t" = fuzz_capi ] && leaks=(-detect_leaks=0)
  local bin=$dir/tests/fuzz/$t opts=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/")
  "$bin" "${opts[@]}" "${leaks[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    "$work/corpus" "$root/tests/fuzz/corpus/$t" >"$work/log" 2>&1 || return 1
  if ((${#leaks[@]})); then
    "$bin" "${opts[@]}" -runs=0 "$work/corpus" "$root/tests/fuzz/corpus/$t" >"$work/replay.log" 2>&1 ||
      { cat "$work/replay.log" >>"$work/log"; return 1; }
  fi
}

failed=()
pids=()
names=()
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= parallel)); do sleep 1; done
  run_one "$t" &
  pids+=($!)
  names+=("$t")
done
for i in "${!pids[@]}"; do
  t=${names[$i]}
  work=$dir/fuzz-work/$t
  if wait "${pids[$i]}"; then rc=0; else rc=$?; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+" "$work/log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    printf '  ok   %-22s %10s execs  %s\n' "$t" "${execs:-?}" "$cov"
  else
    printf '  FAIL %-22s exit %s after %s execs\n' "$t" "$rc" "${execs:-?}"
    grep -E "ERROR|SUMMARY|property violated|Test unit written|==[0-9]+==" "$work/log" | head -20 | sed 's/^/    /'
    failed+=("$t")
  fi
done

echo "fuzz: $((SECONDS - start)) s in all"
if ((${#failed[@]})); then
  echo "fuzz FAILED: ${failed[*]} (reproduce: <target> <crash file>; add the file to tests/fuzz/corpus/<target>/)"
  exit 1
fi
echo "fuzz: no crash, leak or sanitizer report in ${#targets[@]} targets"
