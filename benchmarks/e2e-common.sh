# Shared by benchmarks/e2e.sh and benchmarks/e2e-profile.sh (sourced, not run): installs the Debian packages a script
# needs, pins the server and wrk to separate CPUs, writes the two wrk request scripts into $work and builds
# benchmarks/CorsKit.E2E. Expects $work and $ORIGIN; sets server_cpu, wrk_cpu, app, ticks_per_second.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Usage: require_packages wrk [perf] — a tool's Debian package is installed when the tool is missing.
require_packages() {
  local sudo="" tool package
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    package=$tool; [[ $tool == perf ]] && package=linux-perf
    echo "Installing $package (Debian package)"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$package" >/dev/null
  done
}

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
