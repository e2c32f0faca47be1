// The private 3-node RabbitMQ cluster of the cluster tests (scripts/rabbitmq-cluster.sh): started
// fresh before the suite (vitest globalSetup), stopped after it, and helpers to stop one node and
// ask a live one about the queues.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/rabbitmq-cluster.sh', import.meta.url));
const DIR = '/tmp/filestore-rabbitmq-cluster-test';
const PORT_BASE = 5700;
export const NODES = [1, 2, 3] as const;
export type ClusterNode = (typeof NODES)[number];

const clusterEnv = { ...process.env, CLUSTER_DIR: DIR, CLUSTER_PORT_BASE: String(PORT_BASE) };

export const nodeName = (node: ClusterNode) => `fs${node}@localhost`;
export const nodeUrl = (node: ClusterNode) => `amqp://guest:guest@127.0.0.1:${PORT_BASE + node}`;

const clusterScript = (...args: string[]) =>
  execFileSync(SCRIPT, args, { env: clusterEnv, stdio: ['ignore', 'ignore', 'inherit'] });

export function setup(): void {
  clusterScript('stop');
  clusterScript('start');
}

export function teardown(): void {
  clusterScript('stop');
}

/** Stops one node (`rabbitmqctl stop`): its clients lose their connections. */
export const stopNode = (node: ClusterNode) => clusterScript('stop-node', String(node));

export interface QueueInfo {
  name: string;
  type: string;
  leader: string;
  members: string[];
}

/** Type, Raft leader and members of every queue whose name starts with `prefix`, from a live node. */
export function queuesOf(node: ClusterNode, prefix: string): QueueInfo[] {
  const out = execFileSync(
    '/usr/lib/rabbitmq/bin/rabbitmqctl',
    [
      '-n',
      nodeName(node),
      'list_queues',
      '-q',
      'name',
      'type',
      'leader',
      'members',
      '--formatter',
      'json',
    ],
    { env: { ...clusterEnv, HOME: DIR }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return (JSON.parse(out.toString()) as QueueInfo[]).filter((queue) =>
    queue.name.startsWith(prefix),
  );
}
