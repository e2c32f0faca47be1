// What the gateway costs (issue 12, "Bench"): the same API process measured directly and through
// the real nginx gateway (deploy/nginx/nginx.conf, every upstream rewritten to that process, as
// the tests render it), in the same run, round-robin:
// - a 1 GiB chunked upload (contract v2, 8 MiB chunks, concurrency 4, node:http) and the download
//   of that file: MiB/s each way and the ratio (target: the gateway costs ≤ 10 %);
// - autocannon on `GET /api/files?limit=100` of a user with 10,000 files: requests/s, p50, p99.
// One API process (SQLite, local disk), so the difference is the gateway alone.
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { register } from 'tsx/esm/api';
import { newUserToken, startApi } from './lib/api-server.mjs';
import { sha1OfFile, uploadChunked } from './lib/chunk-client.mjs';
import { MiB, mibPerSecond, printTable, rate, roundRobin, timed, verdict } from './lib/measure.mjs';
import { scratchDir, tidyBenchTmp, withRandomInput } from './lib/temp-files.mjs';

// The gateway renderer and the seeding load the API's TypeScript.
register();
const { startGateway } = await import('../apps/api/test/support/nginx.ts');
const { seedListing } = await import('./listing-seed.mjs');

const FILE_SIZE = 1024 * MiB;
const RUNS = 2; // a noisy 2-core VM: the best of two, alternating direct and gateway
const LISTED_FILES = 10_000;
const LISTING_SECONDS = 10;
const LISTING_CONNECTIONS = 10;
const TARGET_COST = 0.1;
const keepInputs = process.argv.includes('--keep-inputs');

/** GET `url` with the bearer token; streams the body away and returns its byte count. */
function downloadBytes(url, token, agent) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`GET ${url} answered ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (piece) => (bytes += piece.length));
      res.once('end', () => resolve(bytes));
      res.once('error', reject);
    });
    req.end();
  });
}

/** The upload and download of `source` against `baseUrl`; checks the stored SHA-1 and size. */
async function transfer(baseUrl, token, source, sha1) {
  const upload = await timed(() => uploadChunked(baseUrl, token, source, { concurrency: 4 }));
  const { file } = upload.result;
  if (file.sha1 !== sha1) throw new Error(`stored SHA-1 ${file.sha1}, sent ${sha1}`);
  const agent = new Agent({ keepAlive: false });
  const download = await timed(() =>
    downloadBytes(`${baseUrl}/api/files/${file.id}/content`, token, agent),
  );
  if (download.result !== FILE_SIZE) throw new Error(`downloaded ${download.result} bytes`);
  // Not kept: the next upload of the same bytes must not find them referenced twice as often.
  const removed = await fetch(`${baseUrl}/api/files/${file.id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
  });
  if (removed.status !== 204) throw new Error(`DELETE answered ${removed.status}`);
  return {
    seconds: upload.seconds,
    upload: mibPerSecond(FILE_SIZE, upload.seconds),
    download: mibPerSecond(FILE_SIZE, download.seconds),
  };
}

/** autocannon on the listing: requests/s and latency percentiles (ms); every answer must be 200. */
async function listing(baseUrl, token) {
  const result = await autocannon({
    url: `${baseUrl}/api/files?limit=100`,
    headers: { authorization: `Bearer ${token}` },
    connections: LISTING_CONNECTIONS,
    duration: LISTING_SECONDS,
  });
  if (result.non2xx > 0 || result.errors > 0 || result['2xx'] === 0)
    throw new Error(`listing: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    seconds: 1 / result.requests.average,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/**
 * A user with one small file in a fresh API, then LISTED_FILES more entries seeded offline; returns
 * the user's token (sessions live in the database, so it stays valid after a restart).
 */
async function seededUser(env) {
  const api = await startApi({ dataDir: env.DATA_DIR, env });
  let user;
  let token;
  try {
    token = await newUserToken(api.url);
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1024, 7)]), 'first.bin');
    const headers = { authorization: `Bearer ${token}` };
    const uploaded = await fetch(`${api.url}/api/files`, { method: 'POST', headers, body: form });
    if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status}`);
    ({ user } = await (await fetch(`${api.url}/api/me`, { headers })).json());
  } finally {
    await api.stop();
  }
  const seeded = await timed(() => seedListing(env, { userId: user.id, count: LISTED_FILES - 1 }));
  console.log(`seeded ${LISTED_FILES} files in ${seeded.seconds.toFixed(1)} s`);
  return token;
}

async function main(source, dataDir) {
  const env = { DATA_DIR: dataDir, CHUNK_SIZE: String(8 * MiB), MIGRATE: 'auto' };
  const token = await seededUser(env);
  const api = await startApi({ dataDir, env });
  const port = Number(new URL(api.url).port);
  const gateway = await startGateway(
    new Map(['account', 'files', 'upload', 'download', 'web'].map((role) => [role, [port]])),
  );
  try {
    const sha1 = await sha1OfFile(source);
    const load = loadavg().map((value) => value.toFixed(1));
    const transfers = await roundRobin(
      {
        direct: () => transfer(api.url, token, source, sha1),
        gateway: () => transfer(gateway.url, token, source, sha1),
      },
      RUNS,
    );
    const lists = await roundRobin(
      { direct: () => listing(api.url, token), gateway: () => listing(gateway.url, token) },
      RUNS,
    );
    report(transfers, lists, [...load, ...loadavg().map((value) => value.toFixed(1))]);
  } finally {
    await gateway.stop();
    await api.stop();
  }
}

const bestOf = (attempts, figure) => Math.max(...attempts.map((attempt) => attempt[figure]));
/** The attempt with the most requests per second. */
const busiest = (attempts) =>
  attempts.reduce((best, attempt) => (attempt.perSecond > best.perSecond ? attempt : best));

function report(transfers, lists, load) {
  const rows = [];
  for (const way of ['upload', 'download']) {
    const direct = bestOf(transfers.direct, way);
    const gateway = bestOf(transfers.gateway, way);
    const cost = 1 - gateway / direct;
    rows.push(
      [`${way}, direct to the API`, rate(direct)],
      [`${way}, through nginx`, rate(gateway)],
      [
        `${way}: gateway / direct`,
        (gateway / direct).toFixed(2),
        `costs ${(cost * 100).toFixed(0)} % (≤ ${TARGET_COST * 100} %: ${verdict(cost <= TARGET_COST)})`,
      ],
    );
  }
  printTable(
    `1 GiB, chunked upload (v2, 8 MiB chunks, concurrency 4) and download, best of ${RUNS}`,
    rows,
  );
  printTable(
    `GET /api/files?limit=100, ${LISTED_FILES} files, autocannon ${LISTING_CONNECTIONS} connections × ${LISTING_SECONDS} s, best of ${RUNS}`,
    ['direct', 'gateway'].map((way) => {
      const { perSecond, p50, p99 } = busiest(lists[way]);
      const label = way === 'direct' ? 'direct to the API' : 'through nginx';
      return [label, `${perSecond.toFixed(0)} req/s`, `p50 ${p50} ms, p99 ${p99} ms`];
    }),
  );
  console.log(
    `\nload average (1, 5, 15 min) at the start: ${load.slice(0, 3).join(', ')}; at the end: ${load.slice(3).join(', ')}`,
  );
  console.log(
    'all attempts:',
    JSON.stringify({ transfers, lists }, (_key, value) =>
      typeof value === 'number' ? Number(value.toFixed(2)) : value,
    ),
  );
}

const scratch = await scratchDir('gateway');
try {
  await withRandomInput(FILE_SIZE, keepInputs, (source) =>
    main(source, path.join(scratch.dir, 'data')),
  );
} finally {
  await scratch.remove();
  await tidyBenchTmp();
}
