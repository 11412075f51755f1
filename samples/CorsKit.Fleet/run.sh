#!/usr/bin/env bash
# Runs the fleet sample with one command: a throw-away PostgreSQL (Debian's postgresql package, installed if missing)
# in a temporary folder on a free loopback port, and two app nodes on 127.0.0.1:5400 and :5401 against it.
# Ctrl-C stops the nodes and the server and removes the folder. Ports: FLEET_PORT (first node; the second is +1).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/debian-packages.sh

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then install_debian_packages initdb:postgresql; fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
port=${FLEET_PORT:-5400}
db_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
root=$(mktemp -d /tmp/corskit-fleet-XXXXXX)
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$root"; as_postgres=(runuser -u postgres --); fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT INT TERM

"${as_postgres[@]}" "$bin/initdb" -D "$root/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
cat >>"$root/data/postgresql.conf" <<CONF
port = $db_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root'
CONF
echo "host all all 127.0.0.1/32 trust" >"$root/data/pg_hba.conf"
"${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w start >/dev/null
echo "PostgreSQL on 127.0.0.1:$db_port (data in $root)"

dotnet build samples/CorsKit.Fleet -c Release -nologo -v quiet
dll=samples/CorsKit.Fleet/bin/Release/net10.0/CorsKit.Fleet.dll
connection="Host=127.0.0.1;Port=$db_port;Username=postgres;Database=postgres"
for node in 0 1; do
  dotnet "$dll" --ConnectionStrings:Fleet="$connection" --Fleet:Port=$((port + node)) &
  pids+=($!)
done

cat <<TRY

Two nodes: http://127.0.0.1:$port and http://127.0.0.1:$((port + 1)). Try:
  curl -si -X POST http://127.0.0.1:$port/admin/origins -H 'Content-Type: application/json' \\
       -d '{"policy": "tenants", "origin": "https://shop.tenant-one.example"}'
  curl -si http://127.0.0.1:$((port + 1))/api/data -H 'Origin: https://shop.tenant-one.example'
  psql "host=127.0.0.1 port=$db_port user=postgres" -c "DELETE FROM corskit_origins"
Ctrl-C stops everything.
TRY
wait
