import { describe, expect, it } from 'vitest';
import { formatDate } from './format-date.ts';

// Local-time constructors, so the day boundaries hold in any time zone.
const now = new Date(2026, 5, 15, 14, 30);
const at = (...parts: [number, number, number, number, number]) => new Date(...parts).toISOString();
const en = (iso: string) => formatDate(iso, { locale: 'en-US', justNow: 'just now', now });
const zh = (iso: string) => formatDate(iso, { locale: 'zh-CN', justNow: '刚刚', now });

describe('formatDate', () => {
  it('says "just now" under a minute', () => {
    expect(en(at(2026, 5, 15, 14, 29))).not.toBe('just now');
    expect(en(new Date(now.getTime() - 20_000).toISOString())).toBe('just now');
    expect(zh(new Date(now.getTime() - 20_000).toISOString())).toBe('刚刚');
  });

  it('counts minutes within the hour', () => {
    expect(en(at(2026, 5, 15, 14, 25))).toBe('5 minutes ago');
    expect(zh(at(2026, 5, 15, 14, 25))).toBe('5分钟前');
  });

  it('names today and yesterday with the time', () => {
    expect(en(at(2026, 5, 15, 9, 5))).toMatch(/^Today 0?9:05/);
    expect(en(at(2026, 5, 14, 23, 50))).toMatch(/^Yesterday 11:50/);
    expect(zh(at(2026, 5, 14, 23, 50))).toBe('昨天 23:50');
  });

  it('shows a short date, with the year only when it differs', () => {
    expect(en(at(2026, 2, 5, 10, 0))).toBe('Mar 5');
    expect(en(at(2024, 2, 5, 10, 0))).toBe('Mar 5, 2024');
    expect(zh(at(2024, 2, 5, 10, 0))).toBe('2024年3月5日');
  });
});
