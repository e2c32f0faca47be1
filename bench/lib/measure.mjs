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
