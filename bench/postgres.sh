# NewsFeed on PostgreSQL for bench/run: a throwaway PostgreSQL server, a database filled with the synthetic
# articles, and instances on it. Sourced by bench/run after lib.sh, not run; uses ROOT, TMP and log.
# shellcheck shell=bash

PG_DIR=""

# start_postgres: sets BENCH_POSTGRES to the connection string of an empty database "newsfeed_bench".
# With NEWSFEED_BENCH_POSTGRES set (a connection string whose user may create databases) that server is
# used; otherwise tests/postgres/start makes a throwaway cluster on a free loopback port, which
# stop_postgres deletes. The throwaway cluster is made for tests and runs with fsync off; until
# durable_postgres turns it on, it is only fit for filling.
start_postgres() {
  local admin
  if [ -n "${NEWSFEED_BENCH_POSTGRES:-}" ]; then
    admin=$NEWSFEED_BENCH_POSTGRES
  else
    [ -x "$ROOT/tests/postgres/start" ] || { echo "tests/postgres/start is missing: set NEWSFEED_BENCH_POSTGRES to a PostgreSQL connection string." >&2; exit 1; }
    log "starting a throwaway PostgreSQL (tests/postgres/start)"
    eval "$("$ROOT/tests/postgres/start")"
    PG_DIR=$NEWSFEED_TEST_POSTGRES_DIR
    admin=$NEWSFEED_TEST_POSTGRES
  fi
  PG_ADMIN_URL=$(postgres_url "$admin")
  psql_run "$PG_ADMIN_URL" "DROP DATABASE IF EXISTS newsfeed_bench WITH (FORCE);" "CREATE DATABASE newsfeed_bench;"
  BENCH_POSTGRES="$(echo "$admin" | sed -E 's/(^|;)Database=[^;]*//I');Database=newsfeed_bench"
  BENCH_POSTGRES=${BENCH_POSTGRES#;}
  PG_VERSION=$(psql -X -A -t -d "$PG_ADMIN_URL" -c 'SHOW server_version;' | awk '{ print $1 }')
}

# durable_postgres: the throwaway cluster restarted with fsync and full-page writes on, so an acknowledged
# write is on disk as it is with the SQLite store and the publish figures compare. tests/postgres/start turns
# them off on the server's command line, which outranks ALTER SYSTEM: pg_ctl restart reuses that command line
# from postmaster.opts, so it is edited there.
durable_postgres() {
  [ -n "$PG_DIR" ] || return 0
  local bin as_owner=()
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  [ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
  sed -i 's/fsync=off/fsync=on/; s/full_page_writes=off/full_page_writes=on/' "$PG_DIR/data/postmaster.opts"
  "${as_owner[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -w -t 60 restart >/dev/null
  [ "$(psql -X -A -t -d "$PG_ADMIN_URL" -c 'SHOW fsync;')" = on ] || { echo "PostgreSQL did not turn fsync on." >&2; exit 1; }
  [ "$(psql -X -A -t -d "$PG_ADMIN_URL" -c 'SHOW full_page_writes;')" = on ] || { echo "PostgreSQL did not turn full-page writes on." >&2; exit 1; }
}

stop_postgres() {
  [ -n "$PG_DIR" ] && "$ROOT/tests/postgres/stop" "$PG_DIR" || true
  PG_DIR=""
}

# fill_postgres APP_DIR BENCH_DLL FROM COUNT: synthetic articles FROM..FROM+COUNT-1 into BENCH_POSTGRES through
# NewsFeed's own import command (which migrates the schema first), so the rows are what the app writes.
fill_postgres() {
  local app=$1 bench=$2 from=$3 count=$4 started=$SECONDS
  log "filling PostgreSQL with $count synthetic articles through NewsFeed import"
  rm -rf "$TMP/pg-articles"
  dotnet "$bench" articles "$from" "$count" "$TMP/pg-articles" >&2
  (cd "$app" && env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Articles__SeedDirectory= \
    Storage__Provider=Postgres ConnectionStrings__NewsFeed="$BENCH_POSTGRES" dotnet NewsFeed.dll import "$TMP/pg-articles") >&2
  rm -rf "$TMP/pg-articles"
  PG_FILL_SECONDS=$(( SECONDS - started ))
  log "filled in $PG_FILL_SECONDS s"
}

# postgres_instance PIDVAR PORT ID LOG [NAME=VALUE ...]: a NewsFeed instance on BENCH_POSTGRES, set up as
# start_newsfeed sets up every benchmarked server, with the instance id ID. The admin rate limit is raised:
# the publish rounds are not the clients it is for.
postgres_instance() {
  local pidvar=$1 port=$2 id=$3 logfile=$4; shift 4
  start_newsfeed "$pidvar" "$APP_DIR" "$port" "$logfile" \
    Storage__Provider=Postgres ConnectionStrings__NewsFeed="$BENCH_POSTGRES" Instance__Id="$id" \
    RateLimits__AdminPermitLimit=100000 "$@"
}

# postgres_url CONNECTION_STRING: the Npgsql key=value string as a libpq URL for psql.
postgres_url() {
  echo "$1" | awk -F';' '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); k = tolower(kv[1]); v[k] = substr($i, length(kv[1]) + 2) }
    printf "postgresql://%s%s@%s:%s/%s\n", v["username"], (v["password"] != "" ? ":" v["password"] : ""), v["host"], (v["port"] != "" ? v["port"] : 5432), v["database"]
  }'
}

psql_run() {
  local url=$1 sql; shift
  for sql in "$@"; do psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$sql" >/dev/null; done
}

# psql from the newest installed PostgreSQL when it is not on PATH (Debian keeps it in /usr/lib/postgresql/N/bin).
if ! command -v psql >/dev/null; then
  PATH="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1):$PATH"
fi

# postgres_transactions: transactions committed and rolled back in the bench database so far (PostgreSQL's
# statistics, flushed by each connection within seconds).
postgres_transactions() {
  psql -X -A -t -d "$(postgres_url "$BENCH_POSTGRES")" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database();"
}
