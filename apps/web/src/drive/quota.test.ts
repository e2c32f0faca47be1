import { describe, expect, it } from 'vitest';
import { quotaUsage } from './quota.ts';

describe('quotaUsage', () => {
  it('gives the share used and an ok level below 90%', () => {
    expect(quotaUsage(0, 1000)).toEqual({ percent: 0, level: 'ok' });
    expect(quotaUsage(899, 1000)).toEqual({ percent: 89, level: 'ok' });
  });

  it('warns from 90% and is full only when nothing is left', () => {
    expect(quotaUsage(900, 1000)).toEqual({ percent: 90, level: 'high' });
    expect(quotaUsage(999, 1000)).toEqual({ percent: 99, level: 'high' });
    expect(quotaUsage(1000, 1000)).toEqual({ percent: 100, level: 'full' });
  });

  it('caps usage above the quota (a quota lowered later) and handles a zero quota', () => {
    expect(quotaUsage(5000, 1000)).toEqual({ percent: 100, level: 'full' });
    expect(quotaUsage(0, 0)).toEqual({ percent: 100, level: 'full' });
  });
});
