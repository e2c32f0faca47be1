import { describe, expect, it } from 'vitest';
import { formatBytes, formatSpeed } from './format-bytes.ts';

describe('formatBytes', () => {
  it('keeps bytes whole', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('uses binary units with one decimal below 10', () => {
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 2 + 300 * 1024)).toBe('5.3 MB');
    expect(formatBytes(3.4 * 1024 ** 3)).toBe('3.4 GB');
  });

  it('drops the decimal from 10 up', () => {
    expect(formatBytes(12 * 1024)).toBe('12 KB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MB');
  });

  it('moves up a unit instead of printing 1024', () => {
    expect(formatBytes(1024 ** 2 - 1)).toBe('1.0 MB');
    expect(formatBytes(1024 * 1024 - 400)).toBe('1.0 MB');
  });

  it('formats speeds per second', () => {
    expect(formatSpeed(2.5 * 1024 ** 2)).toBe('2.5 MB/s');
  });
});
