// Timing and the printed figures shared by the benchmarks.
import { performance } from 'node:perf_hooks';

export const MiB = 1024 * 1024;

/** Runs fn and returns { result, seconds }. */
export async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - start) / 1000 };
}

export const mibPerSecond = (bytes, seconds) => bytes / MiB / seconds;

/** Table cells: a byte count in MiB, a rate in MiB/s, a size as in file names ("256MiB", "1GiB"). */
export const mib = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;
export const rate = (value) => `${value.toFixed(0)} MiB/s`;
export const sizeLabel = (bytes) =>
  bytes >= 1024 * MiB ? `${bytes / (1024 * MiB)}GiB` : `${bytes / MiB}MiB`;

/** Prints rows of [label, value, note] as an aligned table under a title. */
export function printTable(title, rows) {
  const widths = [0, 1].map((col) => Math.max(...rows.map((row) => String(row[col]).length)));
  console.log(`\n${title}`);
  for (const [label, value, note = ''] of rows) {
    console.log(
      `  ${String(label).padEnd(widths[0])}  ${String(value).padStart(widths[1])}  ${note}`,
    );
  }
}

export const verdict = (met) => (met ? 'target met' : 'target MISSED');

/**
 * Runs each bench `runs` times, round-robin, so a figure and its baselines share the same moments
 * of a noisy machine. Each bench returns an object with `seconds`; returns every attempt by name.
 */
export async function roundRobin(benches, runs) {
  const attempts = Object.fromEntries(Object.keys(benches).map((name) => [name, []]));
  for (let i = 0; i < runs; i += 1) {
    for (const [name, run] of Object.entries(benches)) attempts[name].push(await run());
  }
  return attempts;
}

export const fastest = (attempts) =>
  attempts.reduce((best, attempt) => (attempt.seconds < best.seconds ? attempt : best));
