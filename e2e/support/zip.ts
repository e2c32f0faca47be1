// What a downloaded zip holds: each entry's name and the SHA-1 of its bytes, read with yauzl
// (entries are streamed, never held whole).
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';

export async function zipEntries(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const entries = new Map<string, string>();
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip
          .once('entry', resolve)
          .once('end', () => resolve(null))
          .once('error', reject);
        zip.readEntry();
      });
      zip.removeAllListeners();
      if (!entry) return entries;
      if (entry.fileName.endsWith('/')) continue; // a directory
      const sha1 = createHash('sha1');
      for await (const block of await zip.openReadStreamPromise(entry))
        sha1.update(block as Buffer);
      entries.set(entry.fileName, sha1.digest('hex'));
    }
  } finally {
    zip.close();
  }
}
