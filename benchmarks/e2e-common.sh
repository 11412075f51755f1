# Shared by benchmarks/e2e.sh and benchmarks/e2e-profile.sh (sourced, not run): provides install_debian_packages,
# pins the server and wrk to separate CPUs, writes the two wrk request scripts into $work and builds
# benchmarks/CorsKit.E2E. Expects $work and $ORIGIN; sets server_cpu, wrk_cpu, app, ticks_per_second, and defines
# path_of, cpu_ticks, cpu_per_request and wait_for_server.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

source tests/debian-packages.sh

# With two or more CPUs, servers get CPU 1 and wrk CPU 0, so they do not take turns on one core.
server_cpu=() wrk_cpu=()
if command -v taskset >/dev/null 2>&1 && (($(nproc) >= 2)); then
  server_cpu=(taskset -c 1) wrk_cpu=(taskset -c 0)
fi

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

# The path each kind of request goes to.
path_of() { [[ $1 == preflight ]] && echo /api/items || echo /api/hello; }

# Usage: cpu_ticks PID — the process's user + system CPU time so far, in clock ticks.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Usage: cpu_per_request TICKS REQUESTS — microseconds of CPU per request, two decimals.
cpu_per_request() { awk -v t="$1" -v hz="$ticks_per_second" -v n="$2" 'BEGIN {printf "%.2f\n", t / hz * 1e6 / n}'; }

# Usage: wait_for_server MODE BASE_URL — up to 15 s for the server to answer; else its log and exit.
wait_for_server() {
  local attempt
  for attempt in $(seq 1 150); do
    curl -s -o /dev/null "$2/api/hello" && return 0
    sleep 0.1
  done
  echo "The $1 server did not start:"; cat "$work/server-$1.log"; exit 1
}
