// The scaled-out deployment of issue 12 on loopback: Debian's nginx with the repo's gateway config,
// 2 × account,files, 2 × upload, 2 × download, 1 × web and 2 transfer workers as real processes on
// one MariaDB database, the local RabbitMQ (a namespace of their own), s3rver as the store and one
// shared staging directory. Ports come from the suite's range (19200-19299).
import path from 'node:path';
import { topologyNames, type TopologyNames } from '../../src/queue/amqp-topology.ts';
import { startGateway, type Gateway } from '../support/nginx.ts';
import { spawnApi, spawnWorker, type WorkerProcess } from '../support/process.ts';
import { startS3rver, type KoaContext, type RunningS3rver } from '../support/s3rver.ts';
import {
  amqpEnv,
  newNamespace,
  queueState,
  removeNamespace,
  s3Env,
  TEST_RETRY_DELAYS,
} from '../support/transfer.ts';

const GATEWAY_PORT = 19200;
const S3_PORT = 19201;
/** The HTTP replicas: their SERVICES, the gateway upstreams they stand behind, their ports. */
const REPLICAS = {
  api: { services: 'account,files', upstreams: ['account', 'files'], ports: [19210, 19211] },
  upload: { services: 'upload', upstreams: ['upload'], ports: [19220, 19221] },
  download: { services: 'download', upstreams: ['download'], ports: [19230, 19231] },
  web: { services: 'web', upstreams: ['web'], ports: [19240] },
} as const;
export type ReplicaSet = keyof typeof REPLICAS;
const WORKERS = 2;
// Nine processes start at once on a small machine: give them time. Their logs are kept.
const spawnOptions = { capture: true, startTimeoutMs: 180_000 };

export type Replica = Awaited<ReturnType<typeof spawnApi>>;

export interface Cluster {
  /** The gateway: every request of the tests goes to its URL. */
  gateway: Gateway;
  url: string;
  s3: RunningS3rver;
  names: TopologyNames;
  replicas: Record<ReplicaSet, Replica[]>;
  workers: WorkerProcess[];
  /** Starts replica `index` of a set again on its port (after a kill). */
  restart: (set: ReplicaSet, index: number) => Promise<void>;
  stop: () => Promise<void>;
}

export interface ClusterOptions {
  databaseUrl: string;
  dataDir: string;
  /** Sees every request to the store before s3rver handles it. */
  onStoreRequest?: (ctx: KoaContext) => Promise<void> | void;
  /** The default chunk size of uploads. */
  chunkSize: number;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const namespace = newNamespace();
  const started: { stop: () => Promise<void> }[] = [];
  const replicas = { api: [], upload: [], download: [], web: [] } as Record<ReplicaSet, Replica[]>;
  const workers: WorkerProcess[] = [];
  const stop = async () => {
    for (const child of [...Object.values(replicas).flat(), ...workers])
      await child.kill('SIGKILL');
    for (const service of started.reverse()) await service.stop();
    await removeNamespace(namespace, 's3').catch(() => undefined); // never declared if start failed
  };
  try {
    const s3 = await startS3rver('filestore-cluster', options.onStoreRequest, S3_PORT);
    started.push(s3);
    const env: Record<string, string> = {
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: options.dataDir,
      STAGING_DIR: path.join(options.dataDir, 'staging'),
      // `npm run migrate` ran once (the global setup): every replica only checks the schema.
      MIGRATE: 'check',
      TRUSTED_PROXIES: 'loopback',
      REGISTRATIONS_PER_HOUR: '100000',
      CHUNK_SIZE: String(options.chunkSize),
      SHUTDOWN_GRACE: '20s',
      LOG_LEVEL: 'info',
      ...s3Env(s3),
      ...amqpEnv(namespace),
    };
    const names = topologyNames(namespace, 's3', TEST_RETRY_DELAYS);
    const spawnReplica = (set: ReplicaSet, index: number) =>
      spawnApi(
        { ...env, SERVICES: REPLICAS[set].services },
        REPLICAS[set].ports[index],
        spawnOptions,
      );
    // All at once; every one that started is kept for stop() even if another failed.
    const starts = await Promise.allSettled(
      (Object.keys(REPLICAS) as ReplicaSet[]).flatMap((set) =>
        REPLICAS[set].ports.map(async (_port, index) => {
          replicas[set][index] = await spawnReplica(set, index);
        }),
      ),
    );
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    for (let i = 1; i <= WORKERS; i++) {
      // The queue is declared by whichever process connects first: until then, not consuming.
      const consuming = () =>
        queueState(names.workQueue).then(
          (queue) => queue.consumerCount >= i,
          () => false,
        );
      workers.push(await spawnWorker(env, consuming, spawnOptions));
    }
    const upstreams = new Map<string, number[]>();
    for (const { upstreams: served, ports } of Object.values(REPLICAS))
      for (const name of served) upstreams.set(name, [...ports]);
    const gateway: Gateway = await startGateway(upstreams, GATEWAY_PORT);
    started.push(gateway);
    return {
      gateway,
      url: gateway.url,
      s3,
      names,
      replicas,
      workers,
      restart: async (set, index) => {
        replicas[set][index] = await spawnReplica(set, index);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The JSON lines a process logged (other output, such as a runtime warning, is skipped). */
export function logLines(child: { output: () => string }): Record<string, unknown>[] {
  return child
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
