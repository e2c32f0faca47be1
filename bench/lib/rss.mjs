// Samples a process's resident memory from /proc (Linux) to find its peak during a run.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { timed } from './measure.mjs';
import { REPO_ROOT } from './paths.mjs';

function statusKiB(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * Polls VmRSS every `intervalMs`; stop() returns the peak in bytes. VmHWM (the kernel's own
 * high-water mark) is read too, so a spike between two polls is not missed.
 */
export function sampleRss(pid, intervalMs = 50) {
  let peakKiB = 0;
  const poll = () => {
    peakKiB = Math.max(peakKiB, statusKiB(pid, 'VmRSS'), statusKiB(pid, 'VmHWM'));
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return peakKiB * 1024;
    },
  };
}

/** Times fn() while sampling process `pid`; returns { result, seconds, peakRss }. */
export async function timedPeakRss(pid, fn) {
  const rss = sampleRss(pid);
  try {
    return { ...(await timed(fn)), peakRss: rss.stop() };
  } finally {
    rss.stop();
  }
}

/** Resident memory right now, in bytes. */
export const currentRss = (pid) => statusKiB(pid, 'VmRSS') * 1024;

/** The most resident memory the process has held since it started (the kernel's VmHWM), in bytes. */
export const highWaterRss = (pid) => statusKiB(pid, 'VmHWM') * 1024;

/** Resident memory of an idle `node <nodeArgs>` process (what the runtime and loader cost alone). */
export async function idleNodeRss(nodeArgs = []) {
  const script =
    'setTimeout(() => console.log(require("fs").readFileSync("/proc/self/status", "utf8")), 300)';
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeArgs, '-e', script], {
    cwd: REPO_ROOT,
  });
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(stdout)[1]) * 1024;
}
