// The processes a bench started (its descendants, from /proc on Linux), named by role, to see
// which of them the CPU time of a run went to: the API or tus server, and Chromium's browser,
// renderer (the tab, its workers included), GPU and network processes.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from './cpu.mjs';

const read = (pid, file) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process ended meanwhile
  }
};

const parentOf = (stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);

/** A process's role from its command line. */
function role(cmdline) {
  // Chromium rewrites its children's argv into one space-separated title.
  const args = cmdline.split(/[\0 ]/);
  const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
  if (type === 'utility') {
    const sub = args.find((arg) => arg.startsWith('--utility-sub-type=')) ?? '';
    return sub.includes('network') ? 'chromium network' : 'chromium utility';
  }
  if (type === 'gpu-process') return 'chromium gpu';
  if (type) return `chromium ${type}`;
  if (/chrom/.test(args[0])) return 'chromium browser';
  const script = args.find((arg) => /\.m?js$/.test(arg));
  return script ? `node ${script.replace(/^.*\//, '')}` : args[0];
}

/** Every live descendant of `root` (default: this process): Map pid → { role, cpu }. */
export function processTree(root = process.pid) {
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    const stat = pid && read(pid, 'stat');
    if (stat) parents.set(pid, parentOf(stat));
  }
  const tree = new Map();
  const inTree = (pid) => pid === root || tree.has(pid);
  // Parents have lower pids than their children unless pids wrapped: loop until stable.
  for (let grown = true; grown;) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (tree.has(pid) || !inTree(parent)) continue;
      const cmdline = read(pid, 'cmdline');
      if (cmdline === undefined) continue;
      tree.set(pid, { role: role(cmdline), cpu: cpuSeconds(pid) });
      grown = true;
    }
  }
  return tree;
}

const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Starts counting CPU seconds; stop() returns them per role, this bench process included as
 * "bench (node)". Processes born in between count from zero; those that ended before stop() are
 * lost, so stop before closing anything.
 */
export function cpuMeter() {
  const before = processTree();
  const ownBefore = ownCpuSeconds();
  return {
    stop() {
      const byRole = { 'bench (node)': ownCpuSeconds() - ownBefore };
      for (const [pid, { role: name, cpu }] of processTree()) {
        byRole[name] = (byRole[name] ?? 0) + cpu - (before.get(pid)?.cpu ?? 0);
      }
      return byRole;
    },
  };
}

/** cpuMeter's figures on one line, largest first: "node main.js 6.8, chromium renderer 3.1". */
export const cpuLine = (cpu) =>
  Object.entries(cpu)
    .filter(([, seconds]) => seconds >= 0.05)
    .sort(([, a], [, b]) => b - a)
    .map(([name, seconds]) => `${name} ${seconds.toFixed(1)}`)
    .join(', ');
