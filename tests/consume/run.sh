#!/bin/sh
# Consumes plexauth the way a user's project would, from a scratch project,
# builds tests/consume/main.c with it and runs that against a plexauth-fake
# on 127.0.0.1 WITHOUT LD_LIBRARY_PATH. Bounded throughout; cleans up.
#
#   run.sh KIND BUILD_DIR SOURCE_DIR FAKE_PROGRAM
#
# KIND: find_package | find_package_static   (the install staged in BUILD_DIR/stage)
#       pkg_config   | pkg_config_static
#       add_subdirectory                      (the source tree, static library)
#       fetchcontent                          (git clone of SOURCE_DIR at HEAD, shared library)
set -eu
kind="$1"
build="$2"
src="$3"
fake="$4"
stage="$build/stage"
here="$src/tests/consume"
work="$build/tests/consume/$kind"
jobs=${JOBS:-2}
fake_pid=""
unset LD_LIBRARY_PATH PLEXAUTH_LIBRARY

cleanup() {
  if [ -n "$fake_pid" ]; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
fail() { echo "FAIL ($kind): $*" >&2; exit 1; }
quiet() {  # quiet LOG CMD...: runs CMD, shows its output only when it fails
  log="$1"; shift
  "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "$*"; }
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

rm -rf "$work"
mkdir -p "$work"
version=$(sed -n 's/^project(plexauth VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
want=${version%.*}  # major.minor

case "$kind" in
  find_package*|pkg_config*)
    quiet "$work/install.log" cmake --install "$build" --prefix "$stage" ;;
esac

static=OFF
case "$kind" in *_static|add_subdirectory) static=ON ;; esac
if [ "$static" = ON ] && [ "$kind" != add_subdirectory ] && [ ! -f "$stage/lib/libplexauth.a" ]; then
  fail "no libplexauth.a in the stage: configure with -DPLEXAUTH_BUILD_STATIC=ON"
fi

case "$kind" in
  find_package|find_package_static)
    quiet "$work/configure.log" cmake -S "$here/find_package" -B "$work/build" \
      -DCMAKE_PREFIX_PATH="$stage" -DPLEXAUTH_WANT="$want" -DCONSUME_STATIC=$static \
      -DCMAKE_INSTALL_PREFIX="$work/install"
    grep -q "found plexauth $version" "$work/configure.log" || fail "find_package reported another version"
    quiet "$work/build.log" cmake --build "$work/build"
    quiet "$work/install-app.log" cmake --install "$work/build"
    program="$work/install/bin/consume"
    # The version file: during 0.x another minor is not compatible.
    major=${version%%.*}
    minor=${want#*.}
    for other in "$major.$((minor + 1))" "$((major + 1)).0"; do
      if cmake -S "$here/find_package" -B "$work/build-$other" -DCMAKE_PREFIX_PATH="$stage" \
           -DPLEXAUTH_WANT="$other" >"$work/configure-$other.log" 2>&1; then
        fail "find_package(plexauth $other) accepted $version"
      fi
    done
    ;;
  pkg_config|pkg_config_static)
    export PKG_CONFIG_PATH="$stage/lib/pkgconfig"
    [ "$(pkg-config --modversion plexauth)" = "$version" ] || fail "pkg-config --modversion"
    libdir=$(pkg-config --variable=libdir plexauth)
    cflags=$(pkg-config --cflags plexauth)
    if [ "$static" = ON ]; then
      # What pkg-config --static adds: curl (and through it TLS), expat, threads, the C++ runtime.
      private=$(pkg-config --static --libs plexauth)
      for flag in -lcurl -lexpat -pthread -lstdc++; do
        case " $private " in *" $flag "*) ;; *) fail "pkg-config --static --libs lacks $flag: $private" ;; esac
      done
      # Linked as docs/guide-c.md shows for a shared libcurl.
      # shellcheck disable=SC2086
      ${CC:-cc} -std=c99 -Wall -Werror $cflags "$here/main.c" -o "$work/consume" \
        "$libdir/libplexauth.a" $(pkg-config --libs libcurl expat) -pthread -lstdc++ -lm ||
        fail "cc with libplexauth.a"
    else
      # shellcheck disable=SC2086
      ${CC:-cc} -std=c99 -Wall -Werror $cflags "$here/main.c" -o "$work/consume" \
        $(pkg-config --libs plexauth) -Wl,-rpath,"$libdir" || fail "cc with pkg-config"
      # The C++ API is installed next to the C header and needs nothing more to link.
      # shellcheck disable=SC2086
      printf '#include <plexauth/plexauth.hpp>\nint main() { return plexauth::version() == PLEXAUTH_VERSION_STRING ? 0 : 1; }\n' |
        ${CXX:-c++} -std=c++17 -Wall -Wextra -Werror $cflags -x c++ - -o "$work/consume_cpp" \
          $(pkg-config --libs plexauth) -Wl,-rpath,"$libdir" || fail "c++ with plexauth.hpp"
      "$work/consume_cpp" || fail "the C++ program runs with the installed library"
    fi
    program="$work/consume"
    ;;
  add_subdirectory)
    quiet "$work/configure.log" cmake -S "$here/add_subdirectory" -B "$work/build" \
      -DPLEXAUTH_SOURCE_DIR="$src"
    quiet "$work/build.log" cmake --build "$work/build" -j "$jobs"
    program="$work/build/consume"
    ;;
  fetchcontent)
    commit=$(git -C "$src" rev-parse HEAD)
    if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
      echo "note: FetchContent builds the committed HEAD ($commit), not the uncommitted changes" >&2
    fi
    quiet "$work/configure.log" cmake -S "$here/fetchcontent" -B "$work/build" \
      -DPLEXAUTH_GIT="file://$src" -DPLEXAUTH_GIT_TAG="$commit"
    quiet "$work/build.log" cmake --build "$work/build" -j "$jobs"
    program="$work/build/consume"
    ;;
  *) fail "unknown kind" ;;
esac

# Shared or static, as asked.
if needed "$program" | grep -q '^libplexauth\.so'; then
  [ "$static" = OFF ] || fail "linked libplexauth.so instead of libplexauth.a"
else
  [ "$static" = ON ] || fail "does not link libplexauth.so"
fi

# Run it against a fresh fake (stops by itself after 60 s at the latest).
"$fake" --port-file "$work/port" --max-seconds 60 >/dev/null &
fake_pid=$!
i=0
while [ ! -s "$work/port" ]; do
  i=$((i + 1))
  [ "$i" -le 100 ] || fail "plexauth-fake wrote no port file within 10 s"
  kill -0 "$fake_pid" 2>/dev/null || fail "plexauth-fake exited"
  sleep 0.1
done
port=$(cat "$work/port")
out=$(timeout 30 "$program" "http://127.0.0.1:$port/api/v2") || fail "consume exited with $?"
[ "$out" = "plexauth $version: pong" ] || fail "unexpected output: $out"
echo "$kind: $out"
