#!/usr/bin/env bash
# A private MariaDB primary + replica pair on loopback, for the replication tests and for trying
# replication locally. The shared server on 3306 has no binary log and cannot be a primary.
#
#   scripts/mariadb-pair.sh start   # primary on $PAIR_PRIMARY_PORT (3407), replica on $PAIR_REPLICA_PORT (3408);
#                                   # again after one was stopped: starts it and resumes replication
#   scripts/mariadb-pair.sh stop    # stops both and removes $PAIR_DIR (/tmp/filestore-mariadb-pair)
#
# Both servers have the application user `filestore`/`filestore` (no SUPER, so `read_only` binds
# it on the replica) and the database `filestore`; root has no password and is for admin work.
set -euo pipefail

PRIMARY_PORT=${PAIR_PRIMARY_PORT:-3407}
REPLICA_PORT=${PAIR_REPLICA_PORT:-3408}
DIR=${PAIR_DIR:-/tmp/filestore-mariadb-pair}
# mariadbd refuses to run as root unless told to.
AS_ROOT=()
[[ $(id -u) == 0 ]] && AS_ROOT=(--user=root)

sql() { mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$1" -uroot -N -e "$2"; }

start_server() { # name port server-id extra-args…
  local name=$1 port=$2 id=$3
  shift 3
  local dir=$DIR/$name
  sql "$port" 'SELECT 1' >/dev/null 2>&1 && return 0 # already running: start brings back what stopped
  mkdir -p "$dir"
  if [[ ! -d $dir/data/mysql ]]; then
    mariadb-install-db --no-defaults "${AS_ROOT[@]}" --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1
  fi
  mariadbd --no-defaults "${AS_ROOT[@]}" --datadir="$dir/data" --port="$port" --bind-address=127.0.0.1 \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
    --server-id="$id" --innodb-buffer-pool-size=64M --skip-name-resolve "$@" 2>>"$dir/error.log" &
  disown
  for _ in $(seq 1 60); do
    sql "$port" 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "mariadb-pair: the $name did not start; see $dir/error.log" >&2
  exit 1
}

stop_server() { # name
  local pidfile=$DIR/$1/mysqld.pid
  [[ -f $pidfile ]] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}

case ${1:-} in
  start)
    start_server primary "$PRIMARY_PORT" 1 --log-bin=mysql-bin --binlog-format=ROW
    start_server replica "$REPLICA_PORT" 2 --read-only --relay-log=relay-bin
    # Users and the database are created on the primary only; replication carries them over.
    sql "$PRIMARY_PORT" "
      CREATE USER IF NOT EXISTS 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
      CREATE USER IF NOT EXISTS 'filestore'@'127.0.0.1' IDENTIFIED BY 'filestore';
      CREATE DATABASE IF NOT EXISTS filestore CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
      GRANT ALL ON filestore.* TO 'filestore'@'127.0.0.1';"
    if [[ -z $(sql "$REPLICA_PORT" 'SHOW SLAVE STATUS') ]]; then
      sql "$REPLICA_PORT" "
        CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='repl',
          MASTER_PASSWORD='repl', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
        START SLAVE;"
    else
      sql "$REPLICA_PORT" 'START SLAVE' >/dev/null 2>&1 || true
    fi
    # Ready when the replica has applied everything the primary wrote so far.
    position=$(sql "$PRIMARY_PORT" 'SELECT @@gtid_binlog_pos')
    if [[ $(sql "$REPLICA_PORT" "SELECT MASTER_GTID_WAIT('$position', 30)") != 0 ]]; then
      echo "mariadb-pair: the replica did not catch up; see $DIR/replica/error.log" >&2
      exit 1
    fi
    echo "mariadb-pair: primary mysql://filestore:filestore@127.0.0.1:$PRIMARY_PORT/filestore"
    echo "mariadb-pair: replica mysql://filestore:filestore@127.0.0.1:$REPLICA_PORT/filestore"
    ;;
  stop)
    stop_server replica
    stop_server primary
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
