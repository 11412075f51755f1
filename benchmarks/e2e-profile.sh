#!/usr/bin/env bash
# Where a CORS server's CPU goes under load: runs benchmarks/CorsKit.E2E (127.0.0.1 only) with Microsoft's
# CorsMiddleware and with CorsKit under wrk, samples the server with `perf record -g` (software clock, call graphs,
# JIT-compiled methods named through DOTNET_PerfMapEnabled), and counts the samples spent in the CORS middleware.
#
# A sample counts as the middleware's when, walking its stack from the leaf towards the root, a frame of the
# middleware's assembly ([CorsKit] or [Microsoft.AspNetCore.Cors]) comes before any frame of the rest of the
# pipeline (routing's endpoint middleware, the minimal API's generated code, the app, System.Text.Json). So the
# framework and runtime code the middleware calls (header collections, hashing, logging checks, DI) counts as its
# cost, while the endpoint it calls next does not, and Kestrel's and the kernel's work on the response does not.
# Unlike requests/s on a shared machine, this share barely moves with the neighbours' load.
# The warm-up is long on purpose: .NET's tiered compilation ran instrumented (PGO) code for about the first 12
# seconds of load, and profiling that would mostly show the JIT's instrumentation.
# Bounded: 2 modes x 2 kinds x (WARMUP + DURATION). Defaults: 4 x (20 s + 10 s), about 2 minutes.
# Usage: bash benchmarks/e2e-profile.sh   (environment: DURATION, WARMUP, CONNECTIONS, THREADS, PORT, FREQUENCY)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PORT=${PORT:-5189}
FREQUENCY=${FREQUENCY:-999}
ORIGIN="http://127.0.0.1:5101"
work=$(mktemp -d)
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    rm -f "/tmp/perf-$server_pid.map"
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

source benchmarks/e2e-common.sh
install_debian_packages wrk:wrk perf:linux-perf


# perf script prints one paragraph per sample: a header line, then one line per frame, leaf first.
share() {
  local middleware=$1
  perf script -i "$2" -F ip,sym 2>/dev/null | awk -v cors="$middleware" -v leaves="$3" '
    BEGIN { RS = ""; FS = "\n"; stop = "\\[(Microsoft\\.AspNetCore\\.Routing|Microsoft\\.AspNetCore\\.Http\\.Extensions|CorsKit\\.E2E|System\\.Text\\.Json)\\] |dynamicClass::" }
    {
      total++
      for (i = 1; i <= NF; i++) {
        if (index($i, "[" cors "] ")) {
          inside++
          leaf = $1; sub(/^[ \t]*[0-9a-f]+ /, "", leaf); sub(/\(.*/, "", leaf)
          count[leaf]++
          break
        }
        if ($i ~ stop) break
      }
    }
    END {
      for (leaf in count) printf "%6.2f%%  %s\n", 100 * count[leaf] / total, leaf | ("sort -rn | head -12 >" leaves)
      printf "%d %d\n", inside, total
    }'
}

echo "== perf record -F $FREQUENCY -g on the server; wrk $THREADS threads, $CONNECTIONS connections, ${WARMUP} s warm-up, ${DURATION} s profiled"
printf '| mode | kind | req/s | server CPU us/request | samples | in the CORS middleware | middleware us/request |\n'
printf '|---|---|---:|---:|---:|---:|---:|\n'
for mode in microsoft corskit; do
  middleware=CorsKit; [[ $mode == microsoft ]] && middleware=Microsoft.AspNetCore.Cors
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 "${server_cpu[@]}" dotnet "$app" --mode "$mode" --port "$PORT" \
    >"$work/server-$mode.log" 2>&1 &
  server_pid=$!
  wait_for_server "$mode" "http://127.0.0.1:$PORT"
  for kind in actual preflight; do
    url="http://127.0.0.1:$PORT$(path_of "$kind")"
    "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" -s "$work/$kind.lua" "$url" >/dev/null
    perf record -F "$FREQUENCY" -g -p "$server_pid" -o "$work/$mode-$kind.data" -- sleep "$((DURATION + 1))" \
      >/dev/null 2>&1 &
    perf_pid=$!
    sleep 0.5
    before=$(cpu_ticks "$server_pid")
    "${wrk_cpu[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" -s "$work/$kind.lua" "$url" >"$work/$mode-$kind.txt"
    after=$(cpu_ticks "$server_pid")
    wait "$perf_pid" || true
    requests=$(awk '/ requests in / {print $1}' "$work/$mode-$kind.txt")
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$mode-$kind.txt")
    cpu=$(cpu_per_request "$((after - before))" "$requests")
    read -r inside total < <(share "$middleware" "$work/$mode-$kind.data" "$work/$mode-$kind.leaves")
    awk -v m="$mode" -v k="$kind" -v r="$rps" -v c="$cpu" -v i="$inside" -v t="$total" \
      'BEGIN {printf "| %s | %s | %s | %s | %d | %.2f%% | %.2f |\n", m, k, r, c, t, 100 * i / t, c * i / t}'
  done
  stop_server
done

echo
echo "Where the middleware's samples end (leaf function, share of all the server's samples), per mode and kind:"
for mode in microsoft corskit; do
  for kind in actual preflight; do
    echo "-- $mode $kind"
    sed 's/^/   /' "$work/$mode-$kind.leaves"
  done
done
