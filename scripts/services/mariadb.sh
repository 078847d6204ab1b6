#!/usr/bin/env bash
# Starts a private MariaDB for the data tests: its own data directory under <state_dir>/mariadb, listening on
# 127.0.0.1 only (port CANDY_TEST_MYSQL_PORT, 3307 by default). Installs mariadb-server with apt when it is missing,
# reuses a server that is already up, and appends the connection settings to <state_dir>/env.sh.
set -euo pipefail

state_dir="${1:?usage: mariadb.sh <state_dir>}"
mkdir -p "$state_dir"
state_dir="$(cd "$state_dir" && pwd)"
root="$state_dir/mariadb"
data="$root/data"
socket="$root/mariadb.sock"
port="${CANDY_TEST_MYSQL_PORT:-3307}"
database="candy_test"
user="candy"
password="candy"
deadline_seconds=90

if ! command -v mariadbd >/dev/null 2>&1 || ! command -v mariadb-install-db >/dev/null 2>&1; then
  echo "mariadb.sh: installing mariadb-server with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q mariadb-server
fi

# The server refuses to run as root unless told so; elsewhere it runs as the calling user.
run_as="$(id -un)"
client=(mariadb --no-defaults --protocol=socket --socket="$socket" --user=root)

server_up() {
  mariadb-admin --no-defaults --protocol=socket --socket="$socket" --user=root --connect-timeout=2 ping >/dev/null 2>&1
}

# A MariaDB that this script started for another checkout may already serve the port with the same account.
reusable() {
  mariadb --no-defaults --protocol=tcp --host=127.0.0.1 --port="$port" --user="$user" --password="$password" \
    --connect-timeout=2 --execute="SELECT 1" "$database" >/dev/null 2>&1
}

port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

reused=false
if server_up; then
  echo "mariadb.sh: MariaDB already running on $socket"
elif reusable; then
  echo "mariadb.sh: reusing the MariaDB already serving 127.0.0.1:$port"
  reused=true
elif port_taken; then
  echo "mariadb.sh: 127.0.0.1:$port is taken by something that is not a test MariaDB; set CANDY_TEST_MYSQL_PORT to a free port." >&2
  exit 1
else
  mkdir -p "$root"
  if [ ! -d "$data/mysql" ]; then
    echo "mariadb.sh: creating a data directory in $data"
    rm -rf "$data"
    mariadb-install-db --no-defaults --datadir="$data" --user="$run_as" \
      --auth-root-authentication-method=socket --skip-test-db >"$root/install.log" 2>&1 \
      || { cat "$root/install.log" >&2; exit 1; }
  fi

  rm -f "$socket"
  echo "mariadb.sh: starting MariaDB on 127.0.0.1:$port"
  setsid nohup mariadbd --no-defaults --datadir="$data" --user="$run_as" \
    --socket="$socket" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --pid-file="$root/mariadb.pid" --log-error="$root/error.log" \
    --innodb-buffer-pool-size=128M --max-connections=500 --max-allowed-packet=64M \
    </dev/null >>"$root/stdout.log" 2>&1 &
  server_pid=$!

  waited=0
  until server_up; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "mariadb.sh: MariaDB exited while starting; its log ($root/error.log):" >&2
      tail -n 40 "$root/error.log" >&2 || true
      exit 1
    fi
    if [ "$waited" -ge "$deadline_seconds" ]; then
      echo "mariadb.sh: MariaDB did not answer within ${deadline_seconds}s; its log ($root/error.log):" >&2
      tail -n 40 "$root/error.log" >&2 || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "mariadb.sh: MariaDB is up (pid $server_pid)"
fi

[ "$reused" = true ] || "${client[@]}" <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS \`${database}_other\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON \`$database\`.* TO '$user'@'127.0.0.1', '$user'@'localhost';
GRANT ALL PRIVILEGES ON \`${database}_other\`.* TO '$user'@'127.0.0.1', '$user'@'localhost';
FLUSH PRIVILEGES;
SQL

env_file="$state_dir/env.sh"
touch "$env_file"
grep -v '^export CANDY_TEST_MYSQL_' "$env_file" >"$env_file.tmp" || true
{
  cat "$env_file.tmp"
  echo "export CANDY_TEST_MYSQL_HOST=127.0.0.1"
  echo "export CANDY_TEST_MYSQL_PORT=$port"
  echo "export CANDY_TEST_MYSQL_USER=$user"
  echo "export CANDY_TEST_MYSQL_PASSWORD=$password"
  echo "export CANDY_TEST_MYSQL_DATABASE=$database"
} >"$env_file"
rm -f "$env_file.tmp"
echo "mariadb.sh: settings written to $env_file"
