#!/usr/bin/env bash
# Redis for the channel tests: installs redis-server with apt when it is missing, starts a private instance on a
# loopback port (6380 unless CANDY_TEST_REDIS_PORT says otherwise) with its own directory under the state dir,
# waits until it answers, and appends its address to <state_dir>/env.sh:
#   CANDY_TEST_REDIS          host:port of the shared instance
#   CANDY_TEST_REDIS_SERVER   the redis-server binary, for tests that start, kill and restart their own instance
set -euo pipefail
state_dir="${1:?usage: redis.sh <state_dir>}"
port="${CANDY_TEST_REDIS_PORT:-6380}"
dir="$state_dir/redis"
mkdir -p "$dir"

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "redis.sh: installing redis-server with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

ping() { redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; }

if ping; then
  echo "redis.sh: a Redis server already answers on 127.0.0.1:$port; using it"
else
  # Append-only (Redis writes each command to the file before it answers, so a SIGKILL loses nothing) without fsync:
  # an fsync per write let a slow disk stall the server past the framework's 1 s command timeout.
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --appendonly yes --appendfsync no --save "" --protected-mode yes
  deadline=$((SECONDS + 20))
  until ping; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "redis.sh: redis-server did not answer on 127.0.0.1:$port within 20 s; see $dir/redis.log" >&2
      tail -n 20 "$dir/redis.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  echo "redis.sh: redis-server listening on 127.0.0.1:$port (data in $dir)"
fi

{
  echo "export CANDY_TEST_REDIS=127.0.0.1:$port"
  echo "export CANDY_TEST_REDIS_SERVER=$(command -v redis-server)"
} >> "$state_dir/env.sh"
