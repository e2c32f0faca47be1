#!/usr/bin/env node
// `npm run audit`: fails on known critical vulnerabilities in the runtime dependencies (what ships
// in the image: `npm audit --omit=dev`), except advisories accepted in audit-allowlist.json, each
// with a reason and a date to look again. `--report FILE` reads a saved `npm audit --json` answer.
//
// The registry's audit endpoint is a POST; a registry mirror that refuses it (or no network) means
// nothing can be checked: that is said on one line and the check exits 0, so an offline build is
// not blocked, but a report that lists a critical advisory always fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FAILING = new Set(['critical']);

/** The advisories of an `npm audit --json` (report version 2) answer: one per source id. */
export function advisoriesOf(report) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      // A string names another vulnerable package whose own entry carries the advisory.
      if (typeof via === 'string') continue;
      found.set(String(via.source), {
        id: String(via.source),
        url: via.url,
        package: via.name,
        severity: via.severity,
        title: via.title,
      });
    }
  }
  return [...found.values()];
}

/** An allow-list entry matches an advisory by its GHSA URL or its numeric source id. */
const matches = (entry, advisory) =>
  entry.id === advisory.id || (advisory.url && entry.url === advisory.url);

/** Critical advisories not accepted, and accepted ones past their review date. */
export function judge(report, allowList, today = new Date()) {
  const blocking = [];
  const expired = [];
  for (const advisory of advisoriesOf(report)) {
    if (!FAILING.has(advisory.severity)) continue;
    const accepted = allowList.find((entry) => matches(entry, advisory));
    if (!accepted) blocking.push(advisory);
    else if (new Date(accepted.until) < today) expired.push({ ...advisory, ...accepted });
  }
  return { blocking, expired };
}

/** Each entry needs an advisory (id or url), a reason and a review date. */
export function validateAllowList(entries) {
  if (!Array.isArray(entries)) throw new Error('audit-allowlist.json must be an array');
  for (const entry of entries) {
    if (!(entry.id || entry.url) || !entry.reason || Number.isNaN(Date.parse(entry.until))) {
      throw new Error(
        `audit-allowlist.json: entry needs id or url, reason, until: ${JSON.stringify(entry)}`,
      );
    }
  }
  return entries;
}

function runNpmAudit() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const report = JSON.parse(result.stdout || '{}');
  // npm prints the registry's refusal as JSON with a statusCode/message instead of a report.
  if (!report.auditReportVersion) return { unavailable: report.message ?? result.stderr.trim() };
  return { report };
}

function main(argv) {
  const at = argv.indexOf('--report');
  const allowList = validateAllowList(
    JSON.parse(readFileSync(path.join(root, 'audit-allowlist.json'), 'utf8')),
  );
  const { report, unavailable } =
    at >= 0 ? { report: JSON.parse(readFileSync(argv[at + 1], 'utf8')) } : runNpmAudit();
  if (unavailable) {
    console.log(
      `audit: not checked, the registry's audit endpoint is unavailable (${unavailable})`,
    );
    return 0;
  }
  const { blocking, expired } = judge(report, allowList);
  for (const advisory of blocking) {
    console.log(`audit: CRITICAL ${advisory.package}: ${advisory.title} ${advisory.url}`);
  }
  for (const advisory of expired) {
    console.log(
      `audit: accepted advisory past its review date (${advisory.until}): ${advisory.url}`,
    );
  }
  const total = report.metadata?.vulnerabilities?.total ?? 0;
  console.log(
    `audit: ${total} known vulnerabilities in runtime dependencies, ${blocking.length} critical not accepted`,
  );
  return blocking.length + expired.length === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
