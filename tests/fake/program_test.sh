#!/bin/sh
# Checks the plexauth-fake program: it refuses non-loopback hosts, prints its
# port and writes the port file, serves, stops on SIGTERM (removing the port
# file), and stops by itself after --max-seconds. Bounded throughout.
set -eu
fake="$1"
dir=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Non-loopback hosts are refused with exit status 2.
for host in 0.0.0.0 :: 192.0.2.1; do
  set +e; "$fake" --host "$host" --max-seconds 1 >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" -eq 2 ] || fail "--host $host exited $rc, want 2"
done

# 2. Port on stdout and in the port file; it answers; SIGTERM stops it.
"$fake" --port-file "$dir/port" --max-seconds 30 >"$dir/out" &
pid=$!
i=0
while [ ! -s "$dir/port" ]; do
  i=$((i + 1)); [ "$i" -le 100 ] || fail "no port file after 10 s"; sleep 0.1
done
port=$(cat "$dir/port")
[ "$(head -n 1 "$dir/out")" = "$port" ] || fail "stdout's first line is not the port"
if command -v curl >/dev/null 2>&1; then
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'X-Plex-Token: CxoUzBTSV5hsxjTpFKaf' \
    "http://127.0.0.1:$port/api/v2/user")
  [ "$code" = 200 ] || fail "GET /api/v2/user answered $code"
fi
kill -TERM "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -le 100 ] || fail "still running 10 s after SIGTERM"; sleep 0.1
done
wait "$pid" || fail "exit status $? after SIGTERM"
pid=""
[ ! -e "$dir/port" ] || fail "port file left behind"

# 3. --tls: the certificate file is written before the port is printed, and
#    HTTPS verified against it works.
"$fake" --tls "$dir/cert.pem" --port-file "$dir/tport" --max-seconds 30 >/dev/null &
pid=$!
i=0
while [ ! -s "$dir/tport" ]; do
  i=$((i + 1)); [ "$i" -le 100 ] || fail "no port file after 10 s (--tls)"; sleep 0.1
done
grep -q -- '-----BEGIN CERTIFICATE-----' "$dir/cert.pem" || fail "--tls wrote no certificate"
if command -v curl >/dev/null 2>&1; then
  code=$(curl -s -m 5 --cacert "$dir/cert.pem" -o /dev/null -w '%{http_code}' \
    -H 'X-Plex-Token: CxoUzBTSV5hsxjTpFKaf' "https://127.0.0.1:$(cat "$dir/tport")/api/v2/user")
  [ "$code" = 200 ] || fail "GET https://.../api/v2/user answered $code"
fi
kill -TERM "$pid"
wait "$pid" || fail "exit status $? after SIGTERM (--tls)"
pid=""

# 4. --topology: applied before the port is printed; --topology-out holds the
#    resources (with each connection's port), --cert-out the certificate of
#    its https connections. A bad topology exits 2.
cat >"$dir/topo.json" <<'JSON'
{"servers":[{"name":"Office","clientIdentifier":"0ff1ce00","accessToken":"officeTok123",
  "connections":[{"behaviour":"ok","local":true},{"behaviour":"refuse"},{"behaviour":"ok","plex_direct":true}]}]}
JSON
"$fake" --topology "$dir/topo.json" --topology-out "$dir/topo-out.json" --cert-out "$dir/topo-cert.pem" \
  --port-file "$dir/pport" --max-seconds 30 >"$dir/pout" &
pid=$!
i=0
while [ ! -s "$dir/pport" ]; do
  i=$((i + 1)); [ "$i" -le 100 ] || fail "no port file after 10 s (--topology)"; sleep 0.1
done
[ "$(wc -l <"$dir/pout")" -eq 1 ] || fail "--topology printed more than the port"
grep -q '"clientIdentifier":"0ff1ce00"' "$dir/topo-out.json" || fail "--topology-out lacks the server"
grep -q -- '-----BEGIN CERTIFICATE-----' "$dir/topo-cert.pem" || fail "--cert-out wrote no certificate"
# The first connection's port: the first "port": in the file.
oport=$(sed 's/.*"connections":\[{[^}]*"port":\([0-9]*\).*/\1/' "$dir/topo-out.json")
case "$oport" in ''|*[!0-9]*) fail "no port in --topology-out" ;; esac
if command -v curl >/dev/null 2>&1; then
  body=$(curl -s -m 5 -H 'Accept: application/json' "http://127.0.0.1:$oport/identity")
  case "$body" in *'"machineIdentifier":"0ff1ce00"'*) ;; *) fail "GET /identity on the topology answered $body" ;; esac
fi
kill -TERM "$pid"
wait "$pid" || fail "exit status $? after SIGTERM (--topology)"
pid=""
echo '{"servers":[{"name":"no id"}]}' >"$dir/bad.json"
set +e; "$fake" --topology "$dir/bad.json" --max-seconds 5 >/dev/null 2>&1; rc=$?; set -e
[ "$rc" -eq 2 ] || fail "a bad --topology exited $rc, want 2"

# 5. --max-seconds stops it by itself.
start=$(date +%s)
"$fake" --max-seconds 1 >/dev/null
[ $(( $(date +%s) - start )) -le 5 ] || fail "--max-seconds 1 took too long"
echo "ok"
