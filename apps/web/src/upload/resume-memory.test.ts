import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS, isRememberedUpload, isStale, resumeKey } from './resume-memory.ts';

describe('resume memory', () => {
  it('keys a file by name, size and modification time', () => {
    const file = new File(['abc'], 'report.pdf', { lastModified: 1_700_000_000_000 });
    expect(resumeKey(file)).toEqual(['report.pdf', 3, 1_700_000_000_000]);
    // A file saved again (new modification time) is another file: it must not resume the old one.
    const edited = new File(['abd'], 'report.pdf', { lastModified: 1_700_000_000_001 });
    expect(resumeKey(edited)).not.toEqual(resumeKey(file));
  });

  it('treats entries older than 24 h as stale', () => {
    const entry = { uploadId: 'u', createdAt: 1_000 };
    expect(isStale(entry, 1_000 + STALE_AFTER_MS - 1)).toBe(false);
    expect(isStale(entry, 1_000 + STALE_AFTER_MS)).toBe(true);
    expect(STALE_AFTER_MS).toBe(24 * 60 * 60 * 1000);
  });

  it('ignores entries of another shape', () => {
    expect(isRememberedUpload({ uploadId: 'u', createdAt: 1 })).toBe(true);
    expect(isRememberedUpload({ uploadId: 'u' })).toBe(false);
    expect(isRememberedUpload('u')).toBe(false);
    expect(isRememberedUpload(undefined)).toBe(false);
  });
});

describe('recallInterrupted (IndexedDB)', () => {
  it('lists the uploads left unfinished with their file identity and folder, and sweeps stale ones', async () => {
    const { rememberUpload, recallInterrupted, recallUpload, forgetUpload } =
      await import('./resume-memory.ts');
    const a = new File(['aaaa'], 'a.bin', { lastModified: 1 });
    const b = new File(['bb'], 'b.bin', { lastModified: 2 });
    const old = new File(['c'], 'c.bin', { lastModified: 3 });
    const now = Date.now();
    await rememberUpload(a, { uploadId: 'ua', createdAt: now - 10, folderId: 'f1' });
    await rememberUpload(b, { uploadId: 'ub', createdAt: now - 5 });
    await rememberUpload(old, { uploadId: 'uc', createdAt: now - STALE_AFTER_MS - 1 });

    expect(await recallInterrupted(now)).toEqual([
      {
        uploadId: 'ua',
        createdAt: now - 10,
        folderId: 'f1',
        name: 'a.bin',
        size: 4,
        lastModified: 1,
      },
      { uploadId: 'ub', createdAt: now - 5, name: 'b.bin', size: 2, lastModified: 2 },
    ]);
    expect(await recallUpload(old)).toBeUndefined(); // swept
    expect(await recallUpload(a)).toMatchObject({ uploadId: 'ua' });
    await forgetUpload(a);
    expect((await recallInterrupted(now)).map((u) => u.uploadId)).toEqual(['ub']);
  });
});
