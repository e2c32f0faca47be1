import { describe, expect, it } from 'vitest';
import { loginPath, safeNextPath } from './next-path.ts';

describe('safeNextPath', () => {
  it('follows a path on this site', () => {
    expect(safeNextPath('/s/abc123')).toBe('/s/abc123');
    expect(safeNextPath('/folders/x?sort=name')).toBe('/folders/x?sort=name');
  });

  it('goes home for anything else', () => {
    for (const next of [
      null,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'x',
    ]) {
      expect(safeNextPath(next)).toBe('/');
    }
  });
});

describe('loginPath', () => {
  it('carries the page to come back to, and nothing for the root', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/s/abc?x=1')).toBe('/login?next=%2Fs%2Fabc%3Fx%3D1');
    expect(
      safeNextPath(new URLSearchParams(loginPath('/s/abc?x=1').split('?')[1]).get('next')),
    ).toBe('/s/abc?x=1');
  });
});
