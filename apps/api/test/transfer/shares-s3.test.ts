// Issue 6 over issue 4: share links, save-to-drive, zips and the viewer when the bytes live in an
// S3-compatible store (s3rver) and DOWNLOAD_MODE=redirect. Share content is always streamed through
// the API, never a redirect to a signed URL, so a revoke takes effect at once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, sha1Of } from '../support/client.ts';
import { deleteForever } from '../support/trash.ts';
import { startS3rver, type RunningS3rver } from '../support/s3rver.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { contentRow, s3Env, waitForState } from '../support/transfer.ts';

describe('sharing content that lives in S3 (DOWNLOAD_MODE=redirect)', () => {
  let s3: RunningS3rver;
  let server: TestServer;

  beforeAll(async () => {
    s3 = await startS3rver('filestore-shares');
    server = await startTestServer({ ...s3Env(s3), DOWNLOAD_MODE: 'redirect' });
  });
  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
  });

  it('share downloads stream through the API; save, zip and the viewer read from the bucket', async () => {
    const owner = await newUser(server.baseUrl);
    const taker = await newUser(server.baseUrl);
    const bytes = randomBytes(300_000);
    const sha1 = sha1Of(bytes);
    const file = (await owner.upload('clip.bin', bytes)).body.file;
    await waitForState(server, sha1, 'stored');
    expect((await contentRow(server, sha1))?.driver).toBe('s3');

    // the owner's download is redirected to a signed URL; the viewer and shares never are
    const own = await owner.raw('GET', `/api/files/${file.id}/content`);
    expect(own.status).toBe(302);
    const viewer = await owner.raw('GET', `/api/files/${file.id}/content?disposition=inline`);
    expect(viewer.status).toBe(200);
    expect(Buffer.from(await viewer.arrayBuffer()).equals(bytes)).toBe(true);

    const share = (await owner.call('POST', '/api/shares', { fileId: file.id, withCode: true }))
      .body.share;
    const content = `/api/public/shares/${share.token}/content?code=${share.code}`;
    const whole = await taker.raw('GET', content);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await taker.raw('GET', content, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);

    const saved = await taker.call('POST', `/api/shares/${share.token}/save?code=${share.code}`);
    expect(saved.status).toBe(201);
    expect((await contentRow(server, sha1))?.ref_count).toBe(2);

    const zip = await taker.raw('POST', '/api/files/archive', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileIds: [saved.body.file.id] }),
    });
    expect(zip.status).toBe(200);
    const zipped = Buffer.from(await zip.arrayBuffer());
    expect(zipped.indexOf(bytes.subarray(0, 64))).toBeGreaterThan(0); // stored, not deflated

    expect((await owner.call('DELETE', `/api/shares/${share.token}`)).status).toBe(204);
    expect((await taker.raw('GET', content)).status).toBe(410);
    expect((await deleteForever(owner, file.id)).status).toBe(204);
    expect((await contentRow(server, sha1))?.ref_count).toBe(1); // the saved copy keeps the bytes
  });
});
