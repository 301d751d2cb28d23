#!/usr/bin/env bash
# The long fuzz run (issue 15 item 8), outside CI: every libFuzzer target in
# turn, one at a time under `nice -n 19`, until it has run FUZZ_RUNS inputs
# (default 10,000,000: `-runs=`), or FUZZ_MAX_SECONDS (default 0 = no limit)
# have passed, whichever comes first. Same build as the CI gate
# (scripts/hardening/fuzz.sh: clang, -fsanitize=fuzzer,address,undefined, in
# <build>-fuzz), from each target's seed corpus plus what earlier long runs
# kept in <build>-fuzz/fuzz-long/<target>/corpus.
#
#   scripts/fuzz-long.sh [TARGET...]                 (default: every target)
#   FUZZ_MAX_SECONDS=600 scripts/fuzz-long.sh fuzz_json
#   FUZZ_FORK=2 scripts/fuzz-long.sh fuzz_capi        (libFuzzer's fork mode: 2 workers)
#
# FUZZ_FORK=N (default 0: one process) runs libFuzzer's -fork=N: N worker
# processes on one shared corpus, the runs limit counting the executions of
# all of them (checked between jobs, so a fast target can pass it by a job's
# worth). For the slow targets on a machine with N idle cores.
#
# Prints one Markdown table row per target as it finishes (target,
# executions, wall time, exec/s, cov, ft, crashes) and appends it to
# <build>-fuzz/fuzz-long/results.md; each target's libFuzzer log (with its
# periodic "#N ... cov: ft: ... exec/s:" lines) is <build>-fuzz/fuzz-long/<target>/log.
# A crash leaves its input next to the log (crash-*, leak-*, timeout-*).
# Exits 1 if any target crashed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
dir=$build-fuzz
runs=${FUZZ_RUNS:-10000000}
max_seconds=${FUZZ_MAX_SECONDS:-0}
fork=${FUZZ_FORK:-0}
all=(fuzz_account fuzz_transient_token fuzz_source_info fuzz_plex_errors fuzz_retry_after fuzz_json fuzz_capi
     fuzz_pin fuzz_pong fuzz_home_users fuzz_home_users_xml fuzz_client_id fuzz_login_url
     fuzz_resources fuzz_identity fuzz_jwt)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

# The library's own build dependencies first (a fresh machine has none of them).
"$root/scripts/deps.sh" >/dev/null || exit 1
if ! command -v clang++ >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz-long: installing clang and libFuzzer"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    clang libclang-rt-dev >/dev/null || exit 1
fi

echo "==> fuzz-long: building ${targets[*]} in $dir"
mkdir -p "$dir"
if ! CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Fuzz \
       -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_FUZZ="-O1 -gline-tables-only" \
       -DPLEXAUTH_FUZZ=ON -DPLEXAUTH_SANITIZE=address,undefined -DPLEXAUTH_WERROR=OFF \
       -DPLEXAUTH_BUILD_CLI=OFF -DPLEXAUTH_BUILD_BENCH=OFF >/dev/null ||
   ! nice -n 19 cmake --build "$dir" -j "${JOBS:-2}" --target "${targets[@]}" >"$dir/build.log" 2>&1; then
  tail -40 "$dir/build.log" 2>/dev/null
  echo "fuzz-long FAILED: build"
  exit 1
fi

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
out=$dir/fuzz-long
mkdir -p "$out"
results=$out/results.md
echo "# fuzz-long $(date -u +%Y-%m-%dT%H:%MZ) runs=$runs max_seconds=$max_seconds fork=$fork $(git -C "$root" rev-parse --short HEAD 2>/dev/null)" >>"$results"
echo "| target | executions | time (s) | exec/s | cov | ft | crashes |" | tee -a "$results"
echo "|---|---|---|---|---|---|---|" | tee -a "$results"

crashed=()
for t in "${targets[@]}"; do
  work=$out/$t
  mkdir -p "$work/corpus"
  rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
  # fuzz_capi: per-input leak checks off while fuzzing (see fuzz.sh), then
  # every kept input replayed once with them.
  leaks=()
  [ "$t" = fuzz_capi ] && leaks=(-detect_leaks=0)
  mode=()
  ((max_seconds > 0)) && mode+=(-max_total_time="$max_seconds")
  ((fork > 0)) && mode+=(-fork="$fork")
  bin=$dir/tests/fuzz/$t
  start=$(date +%s.%N)
  nice -n 19 "$bin" -runs="$runs" "${mode[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "${leaks[@]}" "$work/corpus" "$root/tests/fuzz/corpus/$t" >"$work/log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  if [ "$rc" -eq 0 ] && ((${#leaks[@]})); then
    nice -n 19 "$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 "$work/corpus" "$root/tests/fuzz/corpus/$t" \
      >"$work/replay.log" 2>&1 || { rc=$?; cat "$work/replay.log" >>"$work/log"; }
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  # Fork mode prints no final stats: its parent's last "#N: cov: ..." line counts every worker.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov: .*/\1/p' "$work/log" | tail -1)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
  rate=$(awk -v n="${execs:-0}" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  cov=$(grep -oE "cov: [0-9]+" "$work/log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE "ft: [0-9]+" "$work/log" | tail -1 | cut -d' ' -f2)
  crashes=0
  if [ "$rc" -ne 0 ]; then
    crashes=1
    crashed+=("$t")
  fi
  printf '| `%s` | %s | %s | %s | %s | %s | %s |\n' "$t" "${execs:-?}" "$secs" "$rate" "${cov:-?}" "${ft:-?}" \
    "$crashes" | tee -a "$results"
  if [ "$rc" -ne 0 ]; then
    grep -E "ERROR|SUMMARY|property violated|Test unit written|==[0-9]+==" "$work/log" | head -20 | sed 's/^/    /'
  fi
done

if ((${#crashed[@]})); then
  echo "fuzz-long: CRASHED: ${crashed[*]} (inputs in $out/<target>/)"
  exit 1
fi
echo "fuzz-long: no crash in ${#targets[@]} targets; table in $results"
