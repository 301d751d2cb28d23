#!/usr/bin/env bash
# Hardening gates 1-3 (docs/reliability.md): valgrind memcheck, the test
# suite under ASan+UBSan and under TSan, and libFuzzer. Runs them all, then
# exits non-zero if any failed. Expects ${BUILD_DIR:-build} built by
# scripts/build.sh (valgrind uses it; the other gates build <build>-asan,
# <build>-tsan and <build>-fuzz next to it).
#
#   scripts/hardening/all.sh [valgrind] [sanitizers] [fuzz]   (default: all three)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gates=("$@")
((${#gates[@]})) || gates=(valgrind sanitizers fuzz)

failed=()
summary=()
for gate in "${gates[@]}"; do
  echo
  echo "==> hardening: $gate"
  start=$SECONDS
  if "$here/$gate.sh"; then result=passed; else result=FAILED; failed+=("$gate"); fi
  summary+=("$(printf '%-11s %-7s %5d s' "$gate" "$result" $((SECONDS - start)))")
done

echo
echo "==> hardening summary"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "hardening FAILED: ${failed[*]}"
  exit 1
fi
echo "hardening: all gates passed"
