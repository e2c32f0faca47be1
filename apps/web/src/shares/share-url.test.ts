import { describe, expect, it } from 'vitest';
import { absoluteShareUrl } from './share-url.ts';

describe('absoluteShareUrl', () => {
  it('puts a path on this origin', () => {
    expect(absoluteShareUrl('/s/abc123', 'http://localhost:8080')).toBe(
      'http://localhost:8080/s/abc123',
    );
  });

  it('keeps a URL that is absolute already', () => {
    expect(absoluteShareUrl('https://drive.example/s/abc', 'http://localhost:8080')).toBe(
      'https://drive.example/s/abc',
    );
  });
});
