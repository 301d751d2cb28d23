#!/usr/bin/env bash
# The libabigail ABI baseline of libplexauth.so (tests/abi/README.md).
#
#   abi_baseline.sh check    LIB BASELINE HEADERS_DIR   fail on any difference
#   abi_baseline.sh update   LIB BASELINE HEADERS_DIR   rewrite BASELINE from LIB
#   abi_baseline.sh selftest LIB BASELINE HEADERS_DIR   the check must catch a
#       baseline without one enumerator (as if one had been added) and without
#       one function (as if one had been added)
#
# Both modes describe LIB with the same abidw options, so that the baseline
# and the check can never drift apart. "Any difference" includes the changes
# abidiff calls harmless (an added enumerator, an added function): a
# deliberate change is one whose baseline update is committed with it.
# Exit 77 (ctest: skipped) when abidw/abidiff are not installed.
set -euo pipefail
if [ $# -ne 4 ] || { [ "$1" != check ] && [ "$1" != update ] && [ "$1" != selftest ]; }; then
  echo "usage: $0 check|update|selftest LIB BASELINE HEADERS_DIR" >&2
  exit 2
fi
mode=$1 lib=$2 baseline=$3 headers=$4

if ! command -v abidw >/dev/null 2>&1 || ! command -v abidiff >/dev/null 2>&1; then
  echo "SKIPPED: abidw/abidiff not found (Debian package abigail-tools): the ABI baseline is not checked"
  exit 77
fi
if ! grep -q '\.debug_info' <<<"$(readelf -S "$lib")"; then
  echo "FAILED: $lib has no debug info, so abidw cannot see its types; build it with -g" \
       "(CMAKE_BUILD_TYPE Debug or RelWithDebInfo; tests/abi adds -g to the others)"
  exit 1
fi

# Only the exported interface and the types of the public header; no paths,
# line numbers or DT_NEEDED entries, and type ids that do not depend on the
# order abidw meets the types in: the file changes only when the ABI does.
flags=(--headers-dir "$headers" --drop-private-types --exported-interfaces-only --no-corpus-path
       --no-comp-dir-path --no-show-locs --no-elf-needed --type-id-style hash)
current=$(mktemp)
report=$(mktemp)
trap 'rm -f "$current" "$report"' EXIT
abidw "${flags[@]}" --out-file "$current" "$lib"

if [ "$mode" = selftest ]; then
  tampered=$(mktemp)
  trap 'rm -f "$current" "$report" "$tampered"' EXIT
  # expect FILE WHAT PATTERN: the check of the built library against the
  # tampered baseline FILE fails, and its report says PATTERN.
  expect() {
    if abidiff --harmless "$tampered" "$current" >"$report" 2>&1 || ! grep -q "$2" "$report"; then
      cat "$report"
      echo "FAILED: a baseline without $1 was not reported as '$2'"
      exit 1
    fi
  }
  grep -v "<enumerator name='PLEXAUTH_E_INTERNAL'" "$baseline" >"$tampered"
  expect PLEXAUTH_E_INTERNAL "1 enumerator insertion"
  awk '/<function-decl name=.plexauth_cancel_is_triggered./ {skip = 1} !skip {print} /<\/function-decl>/ {skip = 0}' \
    "$baseline" | grep -v "<elf-symbol name='plexauth_cancel_is_triggered'" >"$tampered"
  expect plexauth_cancel_is_triggered "1 Added function"
  echo "the check catches an added enumerator and an added function"
  exit 0
fi

if [ "$mode" = update ]; then
  cp "$current" "$baseline"
  echo "wrote $baseline ($(grep -c '<elf-symbol ' "$baseline") function symbols); review the diff and commit it"
  exit 0
fi

if [ ! -f "$baseline" ]; then
  echo "FAILED: no baseline at $baseline; create it with: $0 update $lib $baseline $headers"
  exit 1
fi
set +e
abidiff --harmless --no-show-locs "$baseline" "$current" >"$report" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  cat "$report"
  echo
  echo "FAILED: the ABI of $lib differs from the baseline $baseline (abidiff exit $rc)."
  echo "If the change is deliberate, update the baseline (tests/abi/README.md):"
  echo "  cmake --build <build> --target abi-baseline-update"
  exit 1
fi
echo "ABI identical to the baseline: $(grep -c '<elf-symbol ' "$baseline") function symbols, $(grep -c '<enumerator ' "$baseline") enumerators"
