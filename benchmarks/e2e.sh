#!/usr/bin/env bash
# End-to-end load test: benchmarks/CorsKit.E2E (the demo API's endpoints on Kestrel, Release, 127.0.0.1 only) under
# wrk, with no CORS middleware, Microsoft's CorsMiddleware and CorsKit, for actual requests and preflights.
# Bounded: ROUNDS x 3 modes x 2 kinds x (WARMUP + DURATION). Defaults: 3 x 3 x 2 x (3 s + 10 s), about 4 minutes.
# Modes are interleaved within each round so that a noisy neighbour hurts all three alike; the summary gives each
# mode's median requests/s over the rounds, and the latency percentiles of the round with that median.
# Usage: bash benchmarks/e2e.sh   (environment: ROUNDS, DURATION, WARMUP, CONNECTIONS, THREADS, PORT)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-5199}
ORIGIN="http://127.0.0.1:5101"
BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# wrk scripts: a GET with Origin (an actual CORS request), and the preflight a browser sends before a credentialed
# PUT with Authorization and a JSON body.
cat >"$work/actual.lua" <<LUA
wrk.method = "GET"
wrk.path = "/api/hello"
wrk.headers["Origin"] = "$ORIGIN"
LUA
cat >"$work/preflight.lua" <<LUA
wrk.method = "OPTIONS"
wrk.path = "/api/items"
wrk.headers["Origin"] = "$ORIGIN"
wrk.headers["Access-Control-Request-Method"] = "PUT"
wrk.headers["Access-Control-Request-Headers"] = "authorization,content-type"
LUA

echo "== Building benchmarks/CorsKit.E2E (Release)"
dotnet build benchmarks/CorsKit.E2E -c Release -nologo -v quiet >/dev/null
app=benchmarks/CorsKit.E2E/bin/Release/net10.0/CorsKit.E2E.dll

start_server() {
  dotnet "$app" --mode "$1" --port "$PORT" >"$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$BASE/api/hello" && return 0
    sleep 0.1
  done
  echo "The $1 server did not start:"; cat "$work/server-$1.log"; exit 1
}

show_answer() {
  local mode=$1
  echo "-- $mode: actual request"
  curl -s -D - -o /dev/null -H "Origin: $ORIGIN" "$BASE/api/hello" | tr -d '\r' | grep -iE '^(HTTP|access-control|vary)' | sed 's/^/   /'
  echo "-- $mode: preflight"
  curl -s -D - -o /dev/null -X OPTIONS -H "Origin: $ORIGIN" -H "Access-Control-Request-Method: PUT" \
    -H "Access-Control-Request-Headers: authorization,content-type" "$BASE/api/items" \
    | tr -d '\r' | grep -iE '^(HTTP|access-control|vary)' | sed 's/^/   /'
}

echo "== wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'): $ROUNDS rounds, $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up + $DURATION per run"
for round in $(seq 1 "$ROUNDS"); do
  for mode in none microsoft corskit; do
    start_server "$mode"
    [[ $round -eq 1 ]] && show_answer "$mode"
    for kind in actual preflight; do
      url="$BASE/api/hello"; [[ $kind == preflight ]] && url="$BASE/api/items"
      wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$work/$kind.lua" "$url" >/dev/null
      wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$work/$kind.lua" "$url" >"$work/$mode-$kind-$round.txt"
      printf '   round %s %-9s %-9s %10s req/s\n' "$round" "$mode" "$kind" \
        "$(awk '/^Requests\/sec:/ {print $2}' "$work/$mode-$kind-$round.txt")"
    done
    stop_server
  done
done

# Median round per mode and kind, its latency percentiles, and the ratio to the no-CORS median.
echo
echo "| kind | mode | req/s (median of $ROUNDS) | vs none | p50 | p75 | p90 | p99 | non-2xx/3xx |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for kind in actual preflight; do
  none_rps=""
  for mode in none microsoft corskit; do
    median_file=$(for f in "$work/$mode-$kind-"*.txt; do
      echo "$(awk '/^Requests\/sec:/ {print $2}' "$f") $f"
    done | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) {print $2}')
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$median_file")
    [[ $mode == none ]] && none_rps=$rps
    ratio=$(awk -v a="$rps" -v b="$none_rps" 'BEGIN {printf "%.1f%%", 100 * a / b}')
    pct() { awk -v p="$1" '$1 == p {print $2}' "$median_file"; }
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$median_file")
    echo "| $kind | $mode | $rps | $ratio | $(pct 50%) | $(pct 75%) | $(pct 90%) | $(pct 99%) | ${errors:-0} |"
  done
done
