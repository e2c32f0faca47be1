#!/usr/bin/env bash
# A private 3-node RabbitMQ cluster on loopback, for the cluster test and for trying quorum queues
# locally. The shared broker on 5672 (rabbit@localhost) is left alone: these nodes have their own
# names, ports, data, logs and Erlang cookie, and no plugins (management and prometheus would need
# more ports).
#
#   scripts/rabbitmq-cluster.sh start      # fs1..fs3@localhost on AMQP ports $CLUSTER_PORT_BASE+1..3
#                                          # (5701..5703), distribution ports 25701..25703, clustered
#   scripts/rabbitmq-cluster.sh stop-node 2   # stops one node (the others keep the quorum)
#   scripts/rabbitmq-cluster.sh stop       # stops every node and removes $CLUSTER_DIR
set -euo pipefail

BASE=${CLUSTER_PORT_BASE:-5700}
DIR=${CLUSTER_DIR:-/tmp/filestore-rabbitmq-cluster}
NODES=(1 2 3)
# The packaged wrappers in /usr/sbin switch to the `rabbitmq` user; these nodes run as the caller.
BIN=${RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}

node_env() { # n → the environment of node n, for rabbitmq-server and rabbitmqctl alike
  local n=$1 dir=$DIR/fs$1
  echo HOME="$DIR" RABBITMQ_NODENAME="fs$n@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$((BASE + n)) RABBITMQ_DIST_PORT=$((BASE + 20000 + n)) \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
    RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
    ERL_EPMD_ADDRESS=127.0.0.1
}

ctl() { # n args… → rabbitmqctl against node n
  local n=$1
  shift
  env $(node_env "$n") "$BIN/rabbitmqctl" -n "fs$n@localhost" "$@"
}

start_node() { # n
  local n=$1 dir=$DIR/fs$1
  ctl "$n" status >/dev/null 2>&1 && return 0
  mkdir -p "$dir/mnesia" "$dir/log"
  echo "listeners.tcp.default = 127.0.0.1:$((BASE + n))" >"$dir/rabbitmq.conf"
  echo '[].' >"$dir/advanced.config"
  env $(node_env "$n") "$BIN/rabbitmq-server" >"$dir/server.out" 2>&1 &
  disown
}

await_node() { # n
  if ! ctl "$1" await_startup --timeout 60 >/dev/null 2>&1; then
    echo "rabbitmq-cluster: fs$1@localhost did not start; see $DIR/fs$1/log" >&2
    exit 1
  fi
}

case ${1:-} in
  start)
    mkdir -p "$DIR"
    # One cookie for the three nodes and their rabbitmqctl (HOME points here).
    [[ -f $DIR/.erlang.cookie ]] || {
      head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/.erlang.cookie"
      chmod 400 "$DIR/.erlang.cookie"
    }
    : >"$DIR/rabbitmq-env.conf"
    echo '[].' >"$DIR/enabled_plugins"
    for n in "${NODES[@]}"; do start_node "$n"; done
    for n in "${NODES[@]}"; do await_node "$n"; done
    for n in 2 3; do
      ctl "$n" cluster_status --formatter json | grep -q '"fs1@localhost"' && continue
      ctl "$n" stop_app >/dev/null
      ctl "$n" join_cluster fs1@localhost >/dev/null
      ctl "$n" start_app >/dev/null
    done
    ;;
  stop-node)
    [[ -d $DIR ]] || exit 0
    ctl "${2:?which node: 1, 2 or 3}" stop >/dev/null 2>&1 || true
    ;;
  stop)
    [[ -d $DIR ]] || exit 0 # nothing started (and no cookie for rabbitmqctl)
    for n in "${NODES[@]}"; do ctl "$n" stop >/dev/null 2>&1 || true; done
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start | stop-node N | stop" >&2
    exit 2
    ;;
esac
