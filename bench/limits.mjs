// The machine's limits for an upload into Node, beside each other in one run: a 1 GiB multipart
// form streamed from disk by node:http into a bare server that only SHA-1s the body (the transport
// ceiling, as in form-upload) and into one that only parses it with busboy (the API's multipart
// parser; the bytes are thrown away); and the in-memory rates of the hashes the upload paths use
// (SHA-1 and MD5 from node:crypto, CRC32C from @node-rs/crc32 and hash-wasm) and of the SHA-1s
// whose state can be saved (the API's @filestore/resumable-sha1, hash-wasm's). The browser's raw
// read rate is measured in ui-upload.mjs, in the same Chromium as the uploads.
import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { crc32c } from '@node-rs/crc32';
import { ResumableSha1 } from '@filestore/resumable-sha1';
import { createCRC32, createSHA1 } from 'hash-wasm';
import { startServer } from './lib/child-server.mjs';
import { fastest, MiB, mibPerSecond, printTable, rate, roundRobin, timed } from './lib/measure.mjs';
import { uploadForm } from './lib/multipart.mjs';
import { cpuLine, cpuMeter } from './lib/processes.mjs';
import { withRandomInput } from './lib/temp-files.mjs';

const FILE_SIZE = 1024 * MiB;
const RUNS = 2; // this 2-core VM is noisy: report the best of two
const HASHED_BYTES = 1024 * MiB; // per hash, from one 8 MiB buffer (a chunk)
const CRC32C_POLYNOMIAL = 0x82f63b78;

/** One form upload into the sink server `script` (which counts what it got), with CPU seconds. */
async function uploadToSink(script, source) {
  const sink = await startServer([script]);
  try {
    const meter = cpuMeter();
    const run = await timed(() => uploadForm(`${sink.url}/upload`, 'none', source));
    if (run.result.file.size < FILE_SIZE) throw new Error(`${script} got ${run.result.file.size}`);
    return { ...run, cpu: meter.stop() };
  } finally {
    await sink.stop();
  }
}

/** Hashes HASHED_BYTES from one 8 MiB buffer with `update`; returns { seconds }. */
function hashInMemory(update) {
  const chunk = randomBytes(8 * MiB);
  return timed(async () => {
    for (let done = 0; done < HASHED_BYTES; done += chunk.length) update(chunk);
  });
}

async function measureAll(source) {
  const wasmCrc = await createCRC32(CRC32C_POLYNOMIAL);
  const wasmSha1 = await createSHA1();
  const attempts = await roundRobin(
    {
      sha1Sink: () => uploadToSink('bench/lib/hash-sink.mjs', source),
      busboySink: () => uploadToSink('bench/lib/busboy-sink.mjs', source),
      sha1: () => hashInMemory((chunk) => createHash('sha1').update(chunk).digest()),
      md5: () => hashInMemory((chunk) => createHash('md5').update(chunk).digest()),
      resumableSha1: () => hashInMemory((chunk) => new ResumableSha1().update(chunk).digestHex()),
      hashWasmSha1: () =>
        hashInMemory((chunk) => {
          wasmSha1.init();
          wasmSha1.update(chunk);
          wasmSha1.digest('binary');
        }),
      nodeRsCrc32c: () => hashInMemory((chunk) => crc32c(chunk)),
      hashWasmCrc32c: () =>
        hashInMemory((chunk) => {
          wasmCrc.init();
          wasmCrc.update(chunk);
          wasmCrc.digest('binary');
        }),
    },
    RUNS,
  );
  const best = Object.fromEntries(
    Object.entries(attempts).map(([name, runs]) => [name, fastest(runs)]),
  );
  const speed = (name, bytes = FILE_SIZE) => rate(mibPerSecond(bytes, best[name].seconds));
  printTable(`Machine limits (best of ${RUNS})`, [
    ['1 GiB form into a bare node:http server that SHA-1s the body', speed('sha1Sink')],
    ['1 GiB form into a bare node:http server that parses it with busboy', speed('busboySink')],
    ['SHA-1, node:crypto, 8 MiB buffers in memory', speed('sha1', HASHED_BYTES)],
    [
      'SHA-1, @filestore/resumable-sha1 (state saveable; the API)',
      speed('resumableSha1', HASHED_BYTES),
    ],
    ['SHA-1, hash-wasm (state saveable; the browser)', speed('hashWasmSha1', HASHED_BYTES)],
    ['MD5, node:crypto', speed('md5', HASHED_BYTES)],
    ['CRC32C, @node-rs/crc32', speed('nodeRsCrc32c', HASHED_BYTES)],
    ['CRC32C, hash-wasm', speed('hashWasmCrc32c', HASHED_BYTES)],
  ]);
  console.log(`  CPU-s per process, SHA-1 sink: ${cpuLine(best.sha1Sink.cpu)}`);
  console.log(`  CPU-s per process, busboy sink: ${cpuLine(best.busboySink.cpu)}`);
  return best;
}

export const runLimitsBench = ({ keepInputs = false } = {}) =>
  withRandomInput(FILE_SIZE, keepInputs, measureAll);

if (import.meta.url === `file://${process.argv[1]}`) {
  await runLimitsBench({ keepInputs: process.argv.includes('--keep-inputs') });
}
