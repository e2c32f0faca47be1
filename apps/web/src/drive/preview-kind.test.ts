import { describe, expect, it } from 'vitest';
import { previewKind } from './preview-kind.ts';

describe('previewKind', () => {
  it('knows each kind by its extension, whatever the case', () => {
    expect(previewKind('holiday.JPG')).toBe('image');
    expect(previewKind('clip.webm')).toBe('video');
    expect(previewKind('song.mp3')).toBe('audio');
    expect(previewKind('报告 2026.pdf')).toBe('pdf');
    expect(previewKind('notes.txt')).toBe('text');
    expect(previewKind('data.v2.json')).toBe('text');
    expect(previewKind('logo.svg')).toBe('text'); // served as text/plain: it could carry script
  });

  it('has nothing for unknown, missing or dot-file extensions', () => {
    expect(previewKind('archive.zip')).toBeNull();
    expect(previewKind('README')).toBeNull();
    expect(previewKind('.bashrc')).toBeNull();
    expect(previewKind('trailing.')).toBeNull();
  });
});
