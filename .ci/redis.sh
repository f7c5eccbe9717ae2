# Starts a throw-away Redis on 127.0.0.1 and exports ACCORD_TEST_REDIS_URL.
# Installs the Debian package when it is missing. Sourced by .ci/run; usable by hand too.
start_redis() {
  local port=56379
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "== installing redis-server"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes --logfile /tmp/accord-ci-redis.log >/dev/null
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  export ACCORD_TEST_REDIS_URL="redis://127.0.0.1:$port"
  echo "== redis ready at $ACCORD_TEST_REDIS_URL"
}
