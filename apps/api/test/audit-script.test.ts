// scripts/audit.mjs (`npm run audit` in CI): which advisories fail the build. The registry's audit
// endpoint is not reachable from the test machine, so the rules run on saved npm audit answers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { advisoriesOf, judge, validateAllowList } from '../../../scripts/audit.mjs';

const script = new URL('../../../scripts/audit.mjs', import.meta.url).pathname;

const advisory = (source: number, name: string, severity: string) => ({
  source,
  name,
  dependency: name,
  title: `${name} is vulnerable`,
  url: `https://github.com/advisories/GHSA-${source}`,
  severity,
  range: '<9.9.9',
});

// The shape of `npm audit --json` (auditReportVersion 2): a package's `via` holds advisories, or
// the names of the vulnerable packages it depends on.
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    leaf: { name: 'leaf', severity: 'critical', via: [advisory(1001, 'leaf', 'critical')] },
    parent: { name: 'parent', severity: 'critical', via: ['leaf'] },
    other: { name: 'other', severity: 'high', via: [advisory(1002, 'other', 'high')] },
  },
  metadata: { vulnerabilities: { critical: 2, high: 1, total: 3 } },
};

describe('npm run audit', () => {
  it('finds each advisory once, through the packages that pull it in', () => {
    expect(advisoriesOf(report).map((a: { id: string }) => a.id)).toEqual(['1001', '1002']);
  });

  it('fails on a critical advisory and not on a high one', () => {
    const { blocking } = judge(report, []);
    expect(blocking.map((a: { package: string }) => a.package)).toEqual(['leaf']);
  });

  it('lets an accepted critical advisory pass until its review date', () => {
    const accepted = [
      {
        url: 'https://github.com/advisories/GHSA-1001',
        reason: 'not reachable',
        until: '2099-01-01',
      },
    ];
    expect(judge(report, accepted).blocking).toEqual([]);
    const stale = [{ id: '1001', reason: 'not reachable', until: '2020-01-01' }];
    expect(judge(report, stale).expired).toHaveLength(1);
  });

  it('refuses an allow-list entry without a reason or a date', () => {
    expect(() => validateAllowList([{ id: '1001', until: '2099-01-01' }])).toThrow(/reason/);
    expect(() => validateAllowList([{ id: '1001', reason: 'x', until: 'soon' }])).toThrow();
  });

  it('exits non-zero on a report with a critical advisory, zero on a clean one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const saved = (name: string, body: unknown) => {
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify(body));
      return file;
    };
    const run = (file: string) => {
      try {
        return {
          status: 0,
          out: execFileSync('node', [script, '--report', file], { encoding: 'utf8' }),
        };
      } catch (err) {
        const failed = err as { status: number; stdout: string };
        return { status: failed.status, out: failed.stdout };
      }
    };
    const bad = run(saved('bad.json', report));
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('CRITICAL leaf');
    const clean = run(
      saved('clean.json', {
        auditReportVersion: 2,
        vulnerabilities: {},
        metadata: { vulnerabilities: { total: 0 } },
      }),
    );
    expect(clean).toEqual({ status: 0, out: expect.stringContaining('0 critical not accepted') });
  });
});
