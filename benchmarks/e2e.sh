#!/usr/bin/env bash
# End-to-end load test: benchmarks/CorsKit.E2E (the demo API's endpoints on Kestrel, Release, 127.0.0.1 only) under
# wrk, with no CORS middleware, Microsoft's CorsMiddleware and CorsKit, for actual requests and preflights; and a
# control, "headers", that writes CorsKit's response headers as constants (the cost of the bytes alone).
# Bounded: ROUNDS x 4 modes x 2 kinds x (WARMUP + DURATION). Defaults: 5 x 4 x 2 x (3 s + 10 s), about 9 minutes.
# Modes are interleaved within each round so that a noisy neighbour hurts all three alike; the summary gives each
# mode's median requests/s over the rounds, and the latency percentiles of the round with that median. With two or
# more CPUs, the server is pinned to CPU 1 and wrk to CPU 0 (taskset), so they do not take turns on one core.
# On a shared machine requests/s moves with the neighbours' load, so the script also reads the server's CPU time
# (/proc/PID/stat, user + system) around each measured run: CPU time per request is what bounds a saturated
# server's throughput, and other processes barely change it.
# Usage: bash benchmarks/e2e.sh   (environment: ROUNDS, DURATION, WARMUP, CONNECTIONS, THREADS, PORT)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
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

server_cpu=() wrk_cpu=()
if command -v taskset >/dev/null 2>&1 && (($(nproc) >= 2)); then
  server_cpu=(taskset -c 1) wrk_cpu=(taskset -c 0)
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

ticks_per_second=$(getconf CLK_TCK)
server_cpu_ticks() { sed 's/.*) //' "/proc/$server_pid/stat" | awk '{print $12 + $13}'; }

start_server() {
  "${server_cpu[@]}" dotnet "$app" --mode "$1" --port "$PORT" >"$work/server-$1.log" 2>&1 &
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
echo "   pinning: server ${server_cpu[*]:-none}, wrk ${wrk_cpu[*]:-none}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for mode in none headers microsoft corskit; do
    start_server "$mode"
    [[ $round -eq 1 ]] && show_answer "$mode"
    for kind in actual preflight; do
      url="$BASE/api/hello"; [[ $kind == preflight ]] && url="$BASE/api/items"
      "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$work/$kind.lua" "$url" >/dev/null
      before=$(server_cpu_ticks)
      "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$work/$kind.lua" "$url" \
        >"$work/$mode-$kind-$round.txt"
      after=$(server_cpu_ticks)
      requests=$(awk '/ requests in / {print $1}' "$work/$mode-$kind-$round.txt")
      awk -v t="$((after - before))" -v hz="$ticks_per_second" -v n="$requests" \
        'BEGIN {printf "%.2f\n", t / hz * 1e6 / n}' >"$work/$mode-$kind-$round.cpu"
      printf '   round %s %-9s %-9s %10s req/s %8s us CPU/request\n' "$round" "$mode" "$kind" \
        "$(awk '/^Requests\/sec:/ {print $2}' "$work/$mode-$kind-$round.txt")" "$(cat "$work/$mode-$kind-$round.cpu")"
    done
    stop_server
  done
done

# Median round per mode and kind, its latency percentiles, and the ratio to the no-CORS median; then the median server
# CPU time per request and the capacity it allows relative to no CORS (none's CPU per request / this mode's).
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "| kind | mode | req/s (median of $ROUNDS) | vs none | p50 | p75 | p90 | p99 | non-2xx/3xx | server CPU us/request (median) | capacity vs none |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for kind in actual preflight; do
  none_rps="" none_cpu=""
  for mode in none headers microsoft corskit; do
    cpu=$(cat "$work/$mode-$kind-"*.cpu | median)
    [[ $mode == none ]] && none_cpu=$cpu
    capacity=$(awk -v a="$none_cpu" -v b="$cpu" 'BEGIN {printf "%.1f%%", 100 * a / b}')
    median_file=$(for f in "$work/$mode-$kind-"*.txt; do
      echo "$(awk '/^Requests\/sec:/ {print $2}' "$f") $f"
    done | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) {print $2}')
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$median_file")
    [[ $mode == none ]] && none_rps=$rps
    ratio=$(awk -v a="$rps" -v b="$none_rps" 'BEGIN {printf "%.1f%%", 100 * a / b}')
    pct() { awk -v p="$1" '$1 == p {print $2}' "$median_file"; }
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$median_file")
    echo "| $kind | $mode | $rps | $ratio | $(pct 50%) | $(pct 75%) | $(pct 90%) | $(pct 99%) | ${errors:-0} | $cpu | $capacity |"
  done
done
