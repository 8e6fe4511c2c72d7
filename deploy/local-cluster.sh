#!/usr/bin/env bash
# The scale-out topology on one machine, for trying it and for the tests:
#
#   Prefect's database on the local PostgreSQL (a database of its own), Redis messaging
#   (prefect-redis), two Prefect API processes (`prefect server start --no-services`)
#   behind a small TCP balancer (deploy/balancer.py), one `prefect server services start`,
#   matrixpub's deployments registered to a process work pool (`matrixpub deploy`), and
#   two `prefect worker start --pool` processes, with matrixpub on PostgreSQL.
#
#   deploy/local-cluster.sh start          start what is not running (safe to repeat)
#   deploy/local-cluster.sh status         what runs, and the addresses
#   deploy/local-cluster.sh stop [--drop]  stop what it started; --drop also drops the
#                                          databases it created and forgets its settings
#
# Then `source .cluster/cluster.env` (PREFECT_API_URL, MATRIXPUB_HOME,
# MATRIXPUB_DATABASE_URL) and use matrixpub as usual: `matrixpub init --admin NAME` first.
#
# Settings (environment; the first start records them in $CLUSTER_DIR/cluster.conf and
# later commands reuse them):
#   CLUSTER_DIR            state, logs and pid files            [.cluster in the repository]
#   MATRIXPUB_HOME         matrixpub's data folder (the site)   [$CLUSTER_DIR/home]
#   CLUSTER_PG_HOST / _PORT / _USER                    [127.0.0.1 / 5432 / $PGUSER or you]
#   CLUSTER_PREFECT_DB     Prefect's database, created if missing       [matrixpub_prefect]
#   CLUSTER_MATRIXPUB_DB   matrixpub's database, created if missing             [matrixpub]
#   CLUSTER_REDIS_HOST / _PORT                                        [127.0.0.1 / 6379]
#   CLUSTER_REDIS_DB       Redis database number [the first of 1-15 that is empty, claimed
#                          with a key matrixpub:local-cluster; emptied again on stop]
#   CLUSTER_PORT           the balancer: PREFECT_API_URL's port                      [4200]
#   CLUSTER_API_PORTS      the two API processes' ports, "P1 P2"         [two free ones]
#   CLUSTER_POOL           the work pool                                       [matrixpub]
#   CLUSTER_WORKERS        how many workers                                            [2]
#   CLUSTER_WORKER_LIMIT   flow runs at once per worker                                [2]
#   CLUSTER_DB_POOL_SIZE / CLUSTER_DB_MAX_OVERFLOW   each Prefect server process's
#                          connection pool to PostgreSQL                         [5 / 5]
# Anything else in the environment (MATRIXPUB_DISPATCH_LEASE_SECONDS, say) reaches the
# workers and so their flow runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${MATRIXPUB_VENV:-$ROOT/.venv}/bin
DIR=${CLUSTER_DIR:-$ROOT/.cluster}
DIR=$(mkdir -p "$DIR" && cd "$DIR" && pwd)
CONF=$DIR/cluster.conf
RUN=$DIR/run
LOGS=$DIR/logs
REDIS_OWNER_KEY=matrixpub:local-cluster

say() { printf '%s\n' "$*"; }
die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

# -- settings -----------------------------------------------------------------------------
free_port() {
  "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

load_conf() {
  if [ -f "$CONF" ]; then
    # shellcheck disable=SC1090
    . "$CONF"
    return 0
  fi
  return 1
}

init_conf() {
  local ports
  ports=${CLUSTER_API_PORTS:-"$(free_port) $(free_port)"}
  mkdir -p "$RUN" "$LOGS"
  cat >"$CONF.tmp" <<EOF
MATRIXPUB_HOME=${MATRIXPUB_HOME:-$DIR/home}
CLUSTER_PG_HOST=${CLUSTER_PG_HOST:-127.0.0.1}
CLUSTER_PG_PORT=${CLUSTER_PG_PORT:-5432}
CLUSTER_PG_USER=${CLUSTER_PG_USER:-${PGUSER:-$(id -un)}}
CLUSTER_PREFECT_DB=${CLUSTER_PREFECT_DB:-matrixpub_prefect}
CLUSTER_MATRIXPUB_DB=${CLUSTER_MATRIXPUB_DB:-matrixpub}
CLUSTER_REDIS_HOST=${CLUSTER_REDIS_HOST:-127.0.0.1}
CLUSTER_REDIS_PORT=${CLUSTER_REDIS_PORT:-6379}
CLUSTER_REDIS_DB=${CLUSTER_REDIS_DB:-}
CLUSTER_PORT=${CLUSTER_PORT:-4200}
CLUSTER_API_PORTS="$ports"
CLUSTER_POOL=${CLUSTER_POOL:-matrixpub}
CLUSTER_WORKERS=${CLUSTER_WORKERS:-2}
CLUSTER_WORKER_LIMIT=${CLUSTER_WORKER_LIMIT:-2}
CLUSTER_DB_POOL_SIZE=${CLUSTER_DB_POOL_SIZE:-5}
CLUSTER_DB_MAX_OVERFLOW=${CLUSTER_DB_MAX_OVERFLOW:-5}
EOF
  mv "$CONF.tmp" "$CONF"
  load_conf
}

write_env_files() {
  local pg="$CLUSTER_PG_USER@$CLUSTER_PG_HOST:$CLUSTER_PG_PORT"
  local redis_url="redis://$CLUSTER_REDIS_HOST:$CLUSTER_REDIS_PORT/$CLUSTER_REDIS_DB"
  # What people and workers use: the balancer, matrixpub's database and data folder.
  cat >"$DIR/cluster.env" <<EOF
export PREFECT_API_URL=http://127.0.0.1:$CLUSTER_PORT/api
export MATRIXPUB_HOME=$MATRIXPUB_HOME
export MATRIXPUB_DATABASE_URL=postgresql+psycopg://$pg/$CLUSTER_MATRIXPUB_DB
EOF
  # What every Prefect server process (API and services) needs.
  cat >"$DIR/server.env" <<EOF
export PREFECT_HOME=$DIR/prefect-server
export PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://$pg/$CLUSTER_PREFECT_DB
export PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false
export PREFECT_SERVER_DATABASE_SQLALCHEMY_POOL_SIZE=$CLUSTER_DB_POOL_SIZE
export PREFECT_SERVER_DATABASE_SQLALCHEMY_MAX_OVERFLOW=$CLUSTER_DB_MAX_OVERFLOW
export PREFECT_MESSAGING_BROKER=prefect_redis.messaging
export PREFECT_MESSAGING_CACHE=prefect_redis.messaging
export PREFECT_SERVER_EVENTS_CAUSAL_ORDERING=prefect_redis.ordering
export PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE=prefect_redis.lease_storage
export PREFECT_REDIS_MESSAGING_HOST=$CLUSTER_REDIS_HOST
export PREFECT_REDIS_MESSAGING_PORT=$CLUSTER_REDIS_PORT
export PREFECT_REDIS_MESSAGING_DB=$CLUSTER_REDIS_DB
export PREFECT_SERVER_DOCKET_URL=$redis_url
export PREFECT_UI_API_URL=http://127.0.0.1:$CLUSTER_PORT/api
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_SERVER_LOGGING_LEVEL=WARNING
export DO_NOT_TRACK=1
EOF
}

api_port() {  # api_port N: the port of API process N
  local ports
  read -r -a ports <<<"$CLUSTER_API_PORTS"
  printf '%s' "${ports[$(($1 - 1))]}"
}

# -- processes ------------------------------------------------------------------------------
start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }

# The pid in NAME's pid file, if that very process (same start time) still runs.
running_pid() {
  local file=$RUN/$1.pid pid started
  [ -f "$file" ] || return 1
  read -r pid started <"$file" || return 1
  [ -n "${pid:-}" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(start_time "$pid")" = "$started" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat")" != Z ] || return 1
  printf '%s' "$pid"
}

descendants() {
  local parent=$1 child
  for child in $(ps -o pid= --ppid "$parent" 2>/dev/null); do
    printf '%s\n' "$child"
    descendants "$child"
  done
}

# check_port NAME PORT SETTING: before starting NAME, its port must be free.
check_port() {
  running_pid "$1" >/dev/null && return 0
  if "$BIN/python" - "$2" 2>/dev/null <<'EOF'; then
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
s.bind(("127.0.0.1", int(sys.argv[1])))
EOF
    return 0
  fi
  die "port $2 for $1 is in use by another program; set $3 in $CONF"
}

# start_proc NAME ENVFILE COMMAND...: in its own session, output to logs/NAME.log.
start_proc() {
  local name=$1 envfile=$2 pid
  shift 2
  if pid=$(running_pid "$name"); then
    say "  $name: already running (pid $pid)"
    return 0
  fi
  (
    # shellcheck disable=SC1090
    [ -z "$envfile" ] || . "$envfile"
    exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null
  ) &
  pid=$!
  printf '%s %s\n' "$pid" "$(start_time "$pid")" >"$RUN/$name.pid"
  say "  $name: started (pid $pid)"
}

# stop_procs NAME...: SIGTERM to each at once, then up to 20 s for them to exit; whatever
# is left (and every process they had started, flow runs included) gets SIGKILL.
stop_procs() {
  local name pid names=() pids=() tree=() child
  for name in "$@"; do
    if pid=$(running_pid "$name"); then
      names+=("$name")
      pids+=("$pid")
      while read -r child; do [ -n "$child" ] && tree+=("$child"); done < <(descendants "$pid")
      kill -TERM "$pid" 2>/dev/null || true
    else
      rm -f "$RUN/$name.pid"
    fi
  done
  [ ${#names[@]} -gt 0 ] || return 0
  for _ in $(seq 1 100); do
    local left=0
    for name in "${names[@]}"; do running_pid "$name" >/dev/null && left=1; done
    [ $left = 0 ] && break
    sleep 0.2
  done
  for name in "${names[@]}"; do
    if pid=$(running_pid "$name"); then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for child in "${tree[@]}"; do kill -KILL "$child" 2>/dev/null || true; done
  for name in "${names[@]}"; do
    rm -f "$RUN/$name.pid"
    say "  $name: stopped"
  done
}

http_ok() {  # http_ok URL: the body is `true` (Prefect's /api/health)
  "$BIN/python" - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.exit(0 if r.read().strip() == b"true" else 1)
EOF
}

wait_healthy() {  # wait_healthy NAME URL
  local name=$1 url=$2
  for _ in $(seq 1 300); do
    if ! running_pid "$name" >/dev/null; then
      tail -n 20 "$LOGS/$name.log" >&2 || true
      die "$name stopped while starting; see $LOGS/$name.log"
    fi
    http_ok "$url" && return 0
    sleep 0.5
  done
  die "$name did not answer at $url within 150 s; see $LOGS/$name.log"
}

wait_workers() {  # until every worker has reported to the server (it then takes runs)
  local names=() i
  for i in $(seq 1 "$CLUSTER_WORKERS"); do names+=("$(hostname)-worker-$i"); done
  for _ in $(seq 1 300); do
    if "$BIN/python" - "http://127.0.0.1:$CLUSTER_PORT/api" "$CLUSTER_POOL" "${names[@]}" <<'EOF' 2>/dev/null; then
import json, sys, urllib.request
api, pool, wanted = sys.argv[1], sys.argv[2], set(sys.argv[3:])
request = urllib.request.Request(
    f"{api}/work_pools/{pool}/workers/filter", data=b"{}", method="POST",
    headers={"Content-Type": "application/json"},
)
with urllib.request.urlopen(request, timeout=5) as answer:
    online = {w["name"] for w in json.load(answer) if w.get("status") == "ONLINE"}
sys.exit(0 if wanted <= online else 1)
EOF
      say "  workers online: ${names[*]}"
      return 0
    fi
    for i in $(seq 1 "$CLUSTER_WORKERS"); do
      running_pid "worker-$i" >/dev/null || die "worker-$i stopped while starting; see $LOGS/worker-$i.log"
    done
    sleep 0.5
  done
  die "the workers did not report to the server within 150 s; see $LOGS/worker-*.log"
}

# -- services we do not start: PostgreSQL and Redis -----------------------------------------
psql_admin() {
  psql -h "$CLUSTER_PG_HOST" -p "$CLUSTER_PG_PORT" -U "$CLUSTER_PG_USER" -d postgres -Atq "$@"
}

check_services() {
  [ -x "$BIN/python" ] || die "no Python environment at ${BIN%/bin}: run \`make install\` first"
  [ -x "$BIN/prefect" ] && [ -x "$BIN/matrixpub" ] || die "matrixpub is not installed in ${BIN%/bin}"
  "$BIN/python" -c 'import prefect_redis' 2>/dev/null \
    || die "prefect-redis is not installed in ${BIN%/bin}: pip install 'matrixpub[cluster]' (or make install)"
  pg_isready -q -h "$CLUSTER_PG_HOST" -p "$CLUSTER_PG_PORT" \
    || die "PostgreSQL does not answer at $CLUSTER_PG_HOST:$CLUSTER_PG_PORT"
  psql_admin -c 'select 1' >/dev/null \
    || die "cannot connect to PostgreSQL as $CLUSTER_PG_USER (set CLUSTER_PG_USER)"
  [ "$(redis-cli -h "$CLUSTER_REDIS_HOST" -p "$CLUSTER_REDIS_PORT" ping 2>/dev/null)" = PONG ] \
    || die "Redis does not answer at $CLUSTER_REDIS_HOST:$CLUSTER_REDIS_PORT"
}

ensure_database() {
  local name=$1
  if [ -z "$(psql_admin -c "select 1 from pg_database where datname = '$name'")" ]; then
    psql_admin -c "create database \"$name\"" >/dev/null
    grep -qx "$name" "$DIR/created-databases" 2>/dev/null || echo "$name" >>"$DIR/created-databases"
    say "  database $name: created"
  fi
}

redis() { redis-cli -h "$CLUSTER_REDIS_HOST" -p "$CLUSTER_REDIS_PORT" "$@"; }

claim_redis_db() {
  local n owner
  if [ -n "$CLUSTER_REDIS_DB" ]; then
    owner=$(redis -n "$CLUSTER_REDIS_DB" get "$REDIS_OWNER_KEY")
    if [ "$owner" = "$DIR" ]; then return 0; fi
    [ -z "$owner" ] && [ "$(redis -n "$CLUSTER_REDIS_DB" dbsize)" = 0 ] \
      || die "Redis database $CLUSTER_REDIS_DB is in use (${owner:-by something else})"
    redis -n "$CLUSTER_REDIS_DB" set "$REDIS_OWNER_KEY" "$DIR" NX >/dev/null
    return 0
  fi
  for n in $(seq 1 15); do
    [ "$(redis -n "$n" dbsize)" = 0 ] || continue
    [ "$(redis -n "$n" set "$REDIS_OWNER_KEY" "$DIR" NX)" = OK ] || continue
    if [ "$(redis -n "$n" dbsize)" != 1 ]; then  # someone else began using it meanwhile
      redis -n "$n" del "$REDIS_OWNER_KEY" >/dev/null
      continue
    fi
    CLUSTER_REDIS_DB=$n
    sed -i "s/^CLUSTER_REDIS_DB=.*/CLUSTER_REDIS_DB=$n/" "$CONF"
    return 0
  done
  die "no empty Redis database among 1-15; set CLUSTER_REDIS_DB"
}

release_redis_db() {
  [ -n "${CLUSTER_REDIS_DB:-}" ] || return 0
  if [ "$(redis -n "$CLUSTER_REDIS_DB" get "$REDIS_OWNER_KEY" 2>/dev/null)" = "$DIR" ]; then
    redis -n "$CLUSTER_REDIS_DB" flushdb >/dev/null
    say "  redis database $CLUSTER_REDIS_DB: emptied"
  fi
}

# -- commands -----------------------------------------------------------------------------
cmd_start() {
  load_conf || init_conf
  mkdir -p "$RUN" "$LOGS" "$MATRIXPUB_HOME"
  check_services
  say "Starting the matrixpub cluster in $DIR"
  ensure_database "$CLUSTER_PREFECT_DB"
  ensure_database "$CLUSTER_MATRIXPUB_DB"
  claim_redis_db
  write_env_files
  say "  redis database $CLUSTER_REDIS_DB"

  local stamp=$DIR/prefect-migrated version
  version=$("$BIN/python" -c 'from importlib.metadata import version; print(version("prefect"))')
  if [ "$(cat "$stamp" 2>/dev/null)" != "$version" ]; then
    say "  migrating Prefect's database (once)…"
    ( . "$DIR/server.env"; "$BIN/prefect" server database upgrade -y ) >>"$LOGS/migrate.log" 2>&1 \
      || die "migrating Prefect's database failed; see $LOGS/migrate.log"
    echo "$version" >"$stamp"
  fi
  ( . "$DIR/cluster.env"; "$BIN/python" -c '
import os
from sqlmodel_db.engine import make_engine
from sqlmodel_db.migrate import upgrade
upgrade(make_engine(os.environ["MATRIXPUB_DATABASE_URL"]))' ) >>"$LOGS/migrate.log" 2>&1 \
    || die "migrating matrixpub's database failed; see $LOGS/migrate.log"

  check_port api-1 "$(api_port 1)" CLUSTER_API_PORTS
  check_port api-2 "$(api_port 2)" CLUSTER_API_PORTS
  check_port balancer "$CLUSTER_PORT" CLUSTER_PORT
  # The first API process alone: each registers Prefect's block types as it starts, and
  # two doing it at once on a new database collide (a duplicate key; one of them exits).
  start_proc api-1 "$DIR/server.env" "$BIN/prefect" server start --host 127.0.0.1 \
    --port "$(api_port 1)" --no-services
  wait_healthy api-1 "http://127.0.0.1:$(api_port 1)/api/health"
  start_proc api-2 "$DIR/server.env" "$BIN/prefect" server start --host 127.0.0.1 \
    --port "$(api_port 2)" --no-services
  start_proc services "$DIR/server.env" "$BIN/prefect" server services start
  start_proc balancer "" "$BIN/python" "$ROOT/deploy/balancer.py" \
    --listen "127.0.0.1:$CLUSTER_PORT" \
    --backend "127.0.0.1:$(api_port 1)" --backend "127.0.0.1:$(api_port 2)"
  wait_healthy balancer "http://127.0.0.1:$CLUSTER_PORT/api/health"  # api-1 answers

  # The workers boot, and the deployments are registered, while api-2 starts; a worker
  # polls an empty pool until the deployments are there.
  local worker_env=$DIR/worker.env i
  {
    cat "$DIR/cluster.env"
    echo "export PREFECT_HOME=$MATRIXPUB_HOME/prefect"
    echo "export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1"
  } >"$worker_env"
  for i in $(seq 1 "$CLUSTER_WORKERS"); do
    start_proc "worker-$i" "$worker_env" "$BIN/prefect" worker start --pool "$CLUSTER_POOL" \
      --type process --name "$(hostname)-worker-$i" --limit "$CLUSTER_WORKER_LIMIT" \
      --install-policy never
  done
  ( . "$DIR/cluster.env"; "$BIN/matrixpub" deploy --pool "$CLUSTER_POOL" ) >>"$LOGS/deploy.log" 2>&1 \
    || { tail -n 5 "$LOGS/deploy.log" >&2; die "matrixpub deploy failed; see $LOGS/deploy.log"; }
  say "  deployments registered to the work pool $CLUSTER_POOL"
  wait_healthy api-2 "http://127.0.0.1:$(api_port 2)/api/health"
  wait_workers
  cmd_status
}

cmd_status() {
  load_conf || { say "No cluster in $DIR (start it with: $0 start)"; return 0; }
  local name pid i
  say "Cluster in $DIR:"
  for name in api-1 api-2 services balancer $(for i in $(seq 1 "$CLUSTER_WORKERS"); do echo "worker-$i"; done); do
    if pid=$(running_pid "$name"); then
      say "  $name: running (pid $pid)"
    else
      say "  $name: not running"
    fi
  done
  say "  Prefect API (balanced): http://127.0.0.1:$CLUSTER_PORT/api, API processes on ports $CLUSTER_API_PORTS"
  say "  Prefect UI: http://127.0.0.1:$CLUSTER_PORT"
  say "  databases: $CLUSTER_PREFECT_DB (Prefect), $CLUSTER_MATRIXPUB_DB (matrixpub) on $CLUSTER_PG_HOST:$CLUSTER_PG_PORT; redis database ${CLUSTER_REDIS_DB:-none}"
  say "  work pool: $CLUSTER_POOL; logs in $LOGS"
  say "Use it: source $DIR/cluster.env"
}

cmd_stop() {
  local drop=${1:-}
  load_conf || { say "No cluster in $DIR"; return 0; }
  say "Stopping the matrixpub cluster in $DIR"
  local name i
  # The workers first, while the server they report to still answers.
  stop_procs $(for i in $(seq 1 "$CLUSTER_WORKERS"); do echo "worker-$i"; done)
  stop_procs balancer services api-2 api-1
  release_redis_db
  if [ "$drop" = --drop ]; then
    if [ -f "$DIR/created-databases" ]; then
      while read -r name; do
        [ -n "$name" ] || continue
        psql_admin -c "drop database if exists \"$name\" with (force)" >/dev/null \
          && say "  database $name: dropped"
      done <"$DIR/created-databases"
      rm -f "$DIR/created-databases"
    fi
    rm -f "$CONF" "$DIR/cluster.env" "$DIR/server.env" "$DIR/worker.env" "$DIR/prefect-migrated"
  fi
}

# One compound command, read whole before it runs, that exits: a copy of this file changed
# while it runs does not change what it does.
{
  case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop "${2:-}" ;;
    status) cmd_status ;;
    *) say "usage: $0 start | status | stop [--drop]" >&2; exit 2 ;;
  esac
  exit 0
}
