#!/usr/bin/env bash
# Fails when the shared library exports any symbol other than plexauth_*,
# or when its SONAME is not the expected one (the ABI: 0.<minor> during 0.x).
set -euo pipefail
lib=$1
expected=$2
syms=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u)
bad=$(printf '%s\n' "$syms" | grep -v -e '^plexauth_' -e '^PLEXAUTH_0$' -e '^$' || true)
count=$(printf '%s\n' "$syms" | grep -c '^plexauth_' || true)
if [ -n "$bad" ]; then
  echo "unexpected exported symbols:"
  echo "$bad"
  exit 1
fi
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
if [ "$soname" != "$expected" ]; then
  echo "SONAME is '$soname', expected $expected"
  exit 1
fi
echo "$count plexauth_* symbols exported, nothing else; SONAME $soname"
