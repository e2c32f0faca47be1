// Uploads that say what to do with a taken name, and checks that every reference and every byte of
// the quota is accounted for (issue 13: replace, version restore and prune move and drop them).
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { sha1Of, type Answer, type Client } from './client.ts';
import type { TestServer } from './server.ts';

/** The form upload, POST /api/files?… with `query` (e.g. "onConflict=replace"). */
export async function formUpload(
  user: Client,
  name: string,
  bytes: Uint8Array | string,
  query = '',
): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  const res = await user.raw('POST', `/api/files${query ? `?${query}` : ''}`, { body: form });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

/** The chunk API in one go (one chunk): init with `init`'s extra fields, PUT, complete. */
export async function chunkUpload(
  user: Client,
  name: string,
  bytes: Uint8Array,
  init: Record<string, unknown> = {},
): Promise<{ init: Answer; complete?: Answer }> {
  const body = { name, size: bytes.length, sha1: sha1Of(bytes), ...init };
  const started = await user.call('POST', '/api/uploads', body);
  if (started.status !== 201) return { init: started };
  expect((await user.putChunk(started.body.uploadId, 0, bytes)).status).toBe(204);
  const complete = await user.call('POST', `/api/uploads/${started.body.uploadId}/complete`);
  return { init: started, complete };
}

export interface InstantRequest {
  name: string;
  size: number;
  sha1: string;
  [field: string]: unknown;
}

/** Instant upload, step one: the challenge (its answer as is). */
export const askInstant = (user: Client, body: InstantRequest) =>
  user.call('POST', '/api/files/instant', body);

/** Instant upload, step two: the proof for a challenge asked for earlier. */
export function proveInstant(
  user: Client,
  body: InstantRequest,
  challenge: { offset: number; length: number; nonce: string; token: string },
  bytes: Uint8Array,
): Promise<Answer> {
  const range = bytes.subarray(challenge.offset, challenge.offset + challenge.length);
  const hmac = createHmac('sha256', challenge.nonce).update(range).digest('hex');
  return user.call('POST', '/api/files/instant', {
    ...body,
    proof: { token: challenge.token, hmac },
  });
}

/** Instant upload of content the server holds, with extra body fields (onConflict, folderId). */
export async function instantUpload(
  user: Client,
  name: string,
  bytes: Uint8Array,
  extra: Record<string, unknown> = {},
): Promise<Answer> {
  const body = { name, size: bytes.length, sha1: sha1Of(bytes), ...extra };
  const asked = await askInstant(user, body);
  if (asked.status !== 200) return asked;
  return proveInstant(user, body, asked.body.challenge, bytes);
}

/**
 * Each content's reference count equals its holders — files (live or in the trash) and versions —
 * and content that no one holds has no row left (its bytes are gone).
 */
export async function expectExactReferences(server: TestServer, sha1s: string[]): Promise<void> {
  for (const sha1 of new Set(sha1s)) {
    const [held] = await server.query<{ n: number | string }>(
      `SELECT (SELECT COUNT(*) FROM user_files WHERE sha1 = ?)
            + (SELECT COUNT(*) FROM file_versions WHERE sha1 = ?) AS n`,
      [sha1, sha1],
    );
    const rows = await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    );
    const holders = Number(held!.n);
    expect({ sha1, refs: rows[0]?.ref_count ?? 0 }).toEqual({ sha1, refs: holders });
    if (holders === 0) expect(rows).toEqual([]);
  }
}

/** The user's usedBytes equals the sizes of their files (live or in the trash) and versions. */
export async function expectExactUsage(server: TestServer, user: Client): Promise<number> {
  const me = (await user.call('GET', '/api/me')).body.user;
  const [held] = await server.query<{ n: number | string | null }>(
    `SELECT (SELECT COALESCE(SUM(size), 0) FROM user_files WHERE user_id = ?)
          + (SELECT COALESCE(SUM(size), 0) FROM file_versions WHERE user_id = ?) AS n`,
    [me.id, me.id],
  );
  expect(me.usedBytes).toBe(Number(held!.n));
  return me.usedBytes;
}
