# Starts a throw-away PostgreSQL on 127.0.0.1 and exports ACCORD_TEST_POSTGRES_URL.
# Installs the Debian package when it is missing. Sourced by .ci/run; usable by hand too.
start_postgres() {
  local port=55432
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "== installing postgresql"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local data=/tmp/accord-ci-pg
  local run_as=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || run_as=()
  if ! "${run_as[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    rm -rf "$data" && mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    "${run_as[@]}" "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$data" -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=/tmp" -l "$data/server.log" -w start >/dev/null
  fi
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='accord_test'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE accord_test" >/dev/null
  export ACCORD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/accord_test"
  echo "== postgresql ready at $ACCORD_TEST_POSTGRES_URL"
}
