#!/usr/bin/env bash
# Runs every CorsKit test suite. This is the README's test command, and .ci/run calls it.
# It installs what the suites need (NuGet packages through restore, ASP.NET Core 11's runtime packs included; Debian's
# chromium, firefox-esr and WebKitGTK for the browser suite when that suite exists) and ends with one line: "N passed, N failed, N skipped",
# summed over all test projects.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

source tests/debian-packages.sh

# The CLI's audit tests start Debian's nginx themselves, on a free loopback port. Where the image lets a package start
# its service, nginx's starts on port 80 right after the install: stop it, as nothing here uses it.
if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  install_debian_packages nginx:nginx || echo "Could not install nginx; the audit's nginx tests will fail."
  [[ -f /run/nginx.pid ]] && /usr/sbin/nginx -s quit 2>/dev/null
fi

# The PostgreSQL store's tests start Debian's PostgreSQL server themselves (initdb into a temporary folder, a free
# loopback port). Its binaries are under /usr/lib/postgresql/<version>/bin, not on PATH. Where the image lets the package
# start its own cluster on port 5432 after the install, stop it: nothing here uses it.
if [[ -d tests/CorsKit.PostgreSql.Tests ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  install_debian_packages initdb:postgresql || echo "Could not install postgresql; the PostgreSQL store's tests will fail."
  command -v pg_ctlcluster >/dev/null 2>&1 && for cluster in /etc/postgresql/*/main; do
    [[ -d $cluster ]] && pg_ctlcluster "$(basename "$(dirname "$cluster")")" main stop 2>/dev/null
  done
fi

# The browser suite runs every scenario in Chromium, Firefox and WebKit (WebKitGTK under Xvfb, through Debian's Python
# and its GObject bindings; tests/CorsKit.BrowserTests/Engines), and measures preflight cache limits with faketime.
if [[ -d tests/CorsKit.BrowserTests ]]; then
  install_debian_packages chromium:chromium firefox-esr:firefox-esr xvfb-run:xvfb /usr/lib/python3/dist-packages/gi:python3-gi \
    /usr/lib/x86_64-linux-gnu/girepository-1.0/WebKit2-4.1.typelib:gir1.2-webkit2-4.1 faketime:faketime \
    || echo "Could not install the browsers; the browser suite will fail."
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

echo "== Building (Release, warnings as errors)"
if ! dotnet build CorsKit.sln -c Release -warnaserror -nologo -v quiet; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
# Runs one test project (extra arguments go to dotnet test); its results file is counted in the closing line.
run_tests() {
  local name=$1 project=$2
  shift 2
  echo "== Testing $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" "$@" || status=1
  if [[ ! -f "$results/$name.trx" ]]; then
    echo "$name produced no results."
    status=1
  elif grep -q '<Counters total="0"' "$results/$name.trx"; then
    echo "$name ran no tests."
    status=1
  fi
}

for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  [[ $name == CorsKit.Net11Tests ]] && continue # below, once per runtime
  run_tests "$name" "$project"
done

# ASP.NET Core 11. The build laid out tests/CorsKit.Net11Tests/bin/dotnet-11: the SDK's dotnet host next to the 11.0.0
# shared runtime from its runtime packs. The test host runs there with DOTNET_ROLL_FORWARD=Major (the root holds no 10
# runtime, so it cannot fall back; RuntimeTests also asserts the version). The project's Runtime=10 tests run on the
# SDK's runtime; its Runtime=11 tests and all of CorsKit.Tests run on 11.
if [[ -d tests/CorsKit.Net11Tests ]]; then
  net11_host=$PWD/tests/CorsKit.Net11Tests/bin/dotnet-11/dotnet
  run_tests CorsKit.Net11Tests.net10 tests/CorsKit.Net11Tests --filter Runtime=10
  export DOTNET_ROLL_FORWARD=Major
  run_tests CorsKit.Net11Tests.net11 tests/CorsKit.Net11Tests --filter Runtime=11 -- "RunConfiguration.DotNetHostPath=$net11_host"
  run_tests CorsKit.Tests.net11 tests/CorsKit.Tests -- "RunConfiguration.DotNetHostPath=$net11_host"
  unset DOTNET_ROLL_FORWARD
fi

# The benchmark projects are built above (they are in the solution). One dry, in-process pass over every case checks
# that each pipeline answers as its case expects; it takes seconds. The full suite is run by hand: docs/benchmarks.md.
smoke_failed=0
if [[ -d benchmarks/CorsKit.Benchmarks ]]; then
  echo "== Benchmark smoke run (dry job, in process)"
  if ! timeout 300 dotnet run -c Release --no-build --project benchmarks/CorsKit.Benchmarks -- \
      --filter '*' --job dry --inProcess --artifacts "$results/benchmarks" >"$results/benchmarks.log" 2>&1; then
    tail -n 40 "$results/benchmarks.log"
    echo "The benchmark smoke run failed."
    smoke_failed=1
    status=1
  fi
fi

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  passed=$((passed + ${p:-0}))
  e=$(get error); t=$(get timeout); a=$(get aborted)
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

failed=$((failed + smoke_failed))
((failed > 0 || skipped > 0 || passed == 0)) && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
