#!/usr/bin/env bash
# End-to-end load test: benchmarks/CorsKit.E2E (the demo API's endpoints on Kestrel, Release, 127.0.0.1 only) under
# wrk, with no CORS middleware, Microsoft's CorsMiddleware and CorsKit, for actual requests and preflights; and a
# two controls that write CorsKit's response headers as constants with no check: "headers" before the endpoint runs
# (the cost of the bytes alone) and "hook" from a Response.OnStarting callback, as CorsKit and Microsoft's middleware
# do for actual requests (the cost of the bytes and of the hook).
#
# On a shared machine, throughput drifts by more than the difference to measure, so the script compares modes in
# pairs taken close together in time rather than over a whole run:
# - the five servers run side by side for the whole test (ports PORT..PORT+4), and each is first warmed under load
#   for WARMUP per kind: .NET's tiered compilation keeps instrumented (PGO) code running for the first seconds of
#   load (measured with perf on this machine: 19% and 30% of samples in instrumented code in the first two 6 s
#   windows, 0.1% in the third; throughput rose from 25,000 to 44,000 req/s), so a short warm-up measures the JIT;
# - each round runs every mode once per kind, DURATION each, in an order that rotates from round to round;
# - "vs none (paired)" is the median over the rounds of this mode's req/s divided by none's req/s in the same round.
# The script also reads each server's CPU time (/proc/PID/stat, user + system) around every measured run: CPU time
# per request is what bounds a saturated server's throughput, and other processes barely change it.
# With two or more CPUs, the servers share CPU 1 and wrk gets CPU 0 (taskset), so they do not take turns on one core.
# Bounded: 5 modes x 2 kinds x (WARMUP + ROUNDS x DURATION). Defaults: 10 x (12 s + 10 x 5 s), about 10.5 minutes.
# Usage: bash benchmarks/e2e.sh   (environment: ROUNDS, DURATION, WARMUP, CONNECTIONS, THREADS, PORT)
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-12s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-5199}
ORIGIN="http://127.0.0.1:5101"
MODES=(none headers hook microsoft corskit)
work=$(mktemp -d)
declare -A pid port
stop_servers() {
  for mode in "${!pid[@]}"; do kill "${pid[$mode]}" 2>/dev/null || true; done
  for mode in "${!pid[@]}"; do wait "${pid[$mode]}" 2>/dev/null || true; done
}
trap 'stop_servers; rm -rf "$work"' EXIT

source benchmarks/e2e-common.sh
install_debian_packages wrk:wrk

base() { echo "http://127.0.0.1:${port[$1]}"; }

for i in "${!MODES[@]}"; do
  mode=${MODES[$i]}
  port[$mode]=$((PORT + i))
  "${server_cpu[@]}" dotnet "$app" --mode "$mode" --port "${port[$mode]}" >"$work/server-$mode.log" 2>&1 &
  pid[$mode]=$!
done
for mode in "${MODES[@]}"; do wait_for_server "$mode" "$(base "$mode")"; done

echo "== Answers (the headers each mode sends)"
for mode in "${MODES[@]}"; do
  echo "-- $mode: actual request"
  curl -s -D - -o /dev/null -H "Origin: $ORIGIN" "$(base "$mode")/api/hello" \
    | tr -d '\r' | grep -iE '^(HTTP|access-control|vary)' | sed 's/^/   /'
  echo "-- $mode: preflight"
  curl -s -D - -o /dev/null -X OPTIONS -H "Origin: $ORIGIN" -H "Access-Control-Request-Method: PUT" \
    -H "Access-Control-Request-Headers: authorization,content-type" "$(base "$mode")/api/items" \
    | tr -d '\r' | grep -iE '^(HTTP|access-control|vary)' | sed 's/^/   /'
done


echo "== wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'): $ROUNDS rounds, $THREADS threads, $CONNECTIONS connections, $WARMUP warm-up per server and kind, $DURATION per run"
echo "   pinning: servers ${server_cpu[*]:-none}, wrk ${wrk_cpu[*]:-none}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in actual preflight; do
  for mode in "${MODES[@]}"; do
    "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -s "$work/$kind.lua" "$(base "$mode")$(path_of "$kind")" >/dev/null
  done
done

for round in $(seq 1 "$ROUNDS"); do
  for kind in actual preflight; do
    for offset in "${!MODES[@]}"; do
      mode=${MODES[$(((round - 1 + offset) % ${#MODES[@]}))]}
      out="$work/$mode-$kind-$round"
      before=$(cpu_ticks "${pid[$mode]}")
      "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$work/$kind.lua" \
        "$(base "$mode")$(path_of "$kind")" >"$out.txt"
      after=$(cpu_ticks "${pid[$mode]}")
      awk '/^Requests\/sec:/ {print $2}' "$out.txt" >"$out.rps"
      requests=$(awk '/ requests in / {print $1}' "$out.txt")
      cpu_per_request "$((after - before))" "$requests" >"$out.cpu"
      printf '   round %2s %-9s %-9s %10s req/s %8s us CPU/request\n' "$round" "$kind" "$mode" "$(cat "$out.rps")" "$(cat "$out.cpu")"
    done
  done
done

# Per mode and kind: median req/s over the rounds and the latency percentiles of the round with that median; the
# median over rounds of (this mode's req/s / none's req/s in the same round); the median server CPU per request and
# the capacity it allows relative to no CORS (none's CPU per request / this mode's).
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo
echo "| kind | mode | req/s (median of $ROUNDS) | vs none (paired, median) | paired range | p50 | p90 | p99 | non-2xx/3xx | server CPU us/request (median) | capacity vs none |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for kind in actual preflight; do
  none_cpu=$(cat "$work/none-$kind-"*.cpu | median)
  for mode in "${MODES[@]}"; do
    cpu=$(cat "$work/$mode-$kind-"*.cpu | median)
    capacity=$(awk -v a="$none_cpu" -v b="$cpu" 'BEGIN {printf "%.1f%%", 100 * a / b}')
    median_file=$(for round in $(seq 1 "$ROUNDS"); do
      echo "$(cat "$work/$mode-$kind-$round.rps") $work/$mode-$kind-$round.txt"
    done | sort -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) {print $2}')
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$median_file")
    ratios=$(for round in $(seq 1 "$ROUNDS"); do
      awk -v a="$(cat "$work/$mode-$kind-$round.rps")" -v b="$(cat "$work/none-$kind-$round.rps")" 'BEGIN {printf "%.2f\n", 100 * a / b}'
    done)
    paired=$(echo "$ratios" | median)
    range=$(echo "$ratios" | sort -n | awk 'NR == 1 {lo = $1} END {printf "%.0f-%.0f%%", lo, $1}')
    pct() { awk -v p="$1" '$1 == p {print $2}' "$median_file"; }
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$median_file")
    echo "| $kind | $mode | $rps | $paired% | $range | $(pct 50%) | $(pct 90%) | $(pct 99%) | ${errors:-0} | $cpu | $capacity |"
  done
done
