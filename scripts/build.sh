#!/usr/bin/env bash
# Configures and builds plexauth into ${BUILD_DIR:-build}, then stages an
# install into <build>/stage (what the C test and the bindings link against).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
type=${BUILD_TYPE:-RelWithDebInfo}
jobs=${JOBS:-$(nproc)}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="$type" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$jobs"
cmake --install "$build" --prefix "$build/stage" >/dev/null
