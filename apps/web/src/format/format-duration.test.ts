import { describe, expect, it } from 'vitest';
import { formatDuration } from './format-duration.ts';

describe('formatDuration', () => {
  it('shows at most two units, in English and Chinese', () => {
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(45.4, 'en')).toBe('45 s');
    expect(formatDuration(185, 'en')).toBe('3 min 5 s');
    expect(formatDuration(180, 'en')).toBe('3 min');
    expect(formatDuration(3600 + 12 * 60 + 59, 'en')).toBe('1 h 12 min');
    expect(formatDuration(7200, 'zh')).toBe('2 小时');
    expect(formatDuration(185, 'zh')).toBe('3 分 5 秒');
  });
});
