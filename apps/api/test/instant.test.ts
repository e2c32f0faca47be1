import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, hmacOf, newUser, sha1Of, type Client } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let holder: Client;
const bytes = randomBytes(300_000);
const sha1 = sha1Of(bytes);

beforeAll(async () => {
  server = await startTestServer();
  holder = await newUser(server.baseUrl);
  await holder.upload('original.bin', bytes);
});
afterAll(() => server.stop());

interface Challenge {
  offset: number;
  length: number;
  nonce: string;
  token: string;
}

const ask = async (client: Client, body: object = {}) =>
  client.call('POST', '/api/files/instant', {
    name: 'copy.bin',
    size: bytes.length,
    sha1,
    ...body,
  });

const proofFor = (challenge: Challenge, source = bytes) => ({
  token: challenge.token,
  hmac: hmacOf(
    challenge.nonce,
    source.subarray(challenge.offset, challenge.offset + challenge.length),
  ),
});

describe('POST /api/files/instant', () => {
  it('challenges with a random range of a few KiB inside the content', async () => {
    const user = await newUser(server.baseUrl);
    const offsets = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const res = await ask(user);
      expect(res.status).toBe(200);
      const { offset, length, token } = res.body.challenge as Challenge;
      expect(length).toBe(4096);
      expect(offset + length).toBeLessThanOrEqual(bytes.length);
      expect(token).toEqual(expect.any(String));
      offsets.add(offset);
    }
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('201 {file} for the right proof: no bytes move, one more reference', async () => {
    const user = await newUser(server.baseUrl);
    const blobs = await server.blobCount();
    const { challenge } = (await ask(user)).body;
    const res = await ask(user, { proof: proofFor(challenge) });
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({ name: 'copy.bin', size: bytes.length, sha1 });
    expect(await server.blobCount()).toBe(blobs);
    expect((await user.call('GET', '/api/me')).body.user.usedBytes).toBe(bytes.length);
    const download = await user.raw('GET', `/api/files/${res.body.file.id}/content`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const [row] = await server.query<{ ref_count: number }>(
      `SELECT ref_count FROM file_${sha1.slice(-2)} WHERE sha1 = ?`,
      [sha1],
    );
    expect(row!.ref_count).toBeGreaterThanOrEqual(2);
  });

  it('404 not_found for unknown content or a wrong size, so a SHA-1 alone gets nothing', async () => {
    const user = await newUser(server.baseUrl);
    expectError(await ask(user, { sha1: sha1Of('never uploaded') }), 404, 'not_found');
    expectError(await ask(user, { size: bytes.length + 1 }), 404, 'not_found');
  });

  it('403 bad_proof for a wrong proof, and the challenge is used up', async () => {
    const user = await newUser(server.baseUrl);
    const { challenge } = (await ask(user)).body;
    expectError(
      await ask(user, {
        proof: { token: challenge.token, hmac: hmacOf(challenge.nonce, 'guess') },
      }),
      403,
      'bad_proof',
    );
    expectError(await ask(user, { proof: proofFor(challenge) }), 403, 'bad_proof');
    expect((await user.call('GET', '/api/files')).body.items).toEqual([]);
  });

  it('a challenge works once only', async () => {
    const user = await newUser(server.baseUrl);
    const { challenge } = (await ask(user)).body;
    const proof = proofFor(challenge);
    expect((await ask(user, { proof })).status).toBe(201);
    expectError(await ask(user, { proof }), 403, 'bad_proof');
  });

  it('403 for a token of another user, another content, a forged or an expired one', async () => {
    const user = await newUser(server.baseUrl);
    const thief = await newUser(server.baseUrl);
    const { challenge } = (await ask(user)).body;
    const proof = proofFor(challenge);
    expectError(await ask(thief, { proof }), 403, 'bad_proof');

    const other = randomBytes(10_000);
    await holder.upload('other.bin', other);
    expectError(
      await ask(user, { sha1: sha1Of(other), size: other.length, proof }),
      403,
      'bad_proof',
    );

    // Any claim changed (the offset, or the nonce for one the forger chose) breaks the signature.
    const [id, , length, expires, nonce, signature] = challenge.token.split('.');
    const forgedOffset = [id, 0, length, expires, nonce, signature].join('.');
    const start = bytes.subarray(0, Number(length));
    expectError(
      await ask(user, { proof: { token: forgedOffset, hmac: hmacOf(nonce!, start) } }),
      403,
      'bad_proof',
    );
    const forgedNonce = [id, 0, length, expires, 'chosen', signature].join('.');
    expectError(
      await ask(user, { proof: { token: forgedNonce, hmac: hmacOf('chosen', start) } }),
      403,
      'bad_proof',
    );
    expectError(
      await ask(user, { proof: { ...proofFor(challenge), token: 'not.a.token' } }),
      403,
      'bad_proof',
    );

    const fresh = (await ask(user)).body.challenge as Challenge;
    await server.query('UPDATE instant_challenges SET expires_at = ?', [
      new Date(Date.now() - 1000),
    ]);
    expectError(await ask(user, { proof: proofFor(fresh) }), 403, 'bad_proof');
  });

  it('knowing only the SHA-1 and size of a 100-byte file gets nothing: the proof needs the bytes', async () => {
    const secret = randomBytes(100);
    await holder.upload('secret.txt', secret);
    const thief = await newUser(server.baseUrl);
    const want = { name: 'loot.txt', size: secret.length, sha1: sha1Of(secret) };
    const challenge = (await thief.call('POST', '/api/files/instant', want)).body
      .challenge as Challenge;
    // The range is the whole file, so its SHA-1 is the one the thief already knows.
    expect(challenge).toMatchObject({ offset: 0, length: 100 });
    const claim = (proof: object) => thief.call('POST', '/api/files/instant', { ...want, proof });
    // The old proof (the range's SHA-1) is no longer a proof.
    expectError(await claim({ token: challenge.token, sha1: want.sha1 }), 400);
    expectError(await claim({ token: challenge.token, hmac: want.sha1 }), 400);
    // What can be computed from the SHA-1 alone, keyed by the nonce, does not match either.
    expectError(
      await claim({ token: challenge.token, hmac: hmacOf(challenge.nonce, want.sha1) }),
      403,
      'bad_proof',
    );
    const again = (await thief.call('POST', '/api/files/instant', want)).body
      .challenge as Challenge;
    expect(again.nonce).not.toBe(challenge.nonce);
    expectError(
      await claim({ token: again.token, hmac: hmacOf(again.nonce, Buffer.from(want.sha1, 'hex')) }),
      403,
      'bad_proof',
    );
    expect((await thief.call('GET', '/api/files')).body.items).toEqual([]);

    // Whoever holds the bytes proves it, once per nonce.
    const owner = await newUser(server.baseUrl);
    const asked = (await owner.call('POST', '/api/files/instant', want)).body
      .challenge as Challenge;
    const proof = { token: asked.token, hmac: hmacOf(asked.nonce, secret) };
    const got = await owner.call('POST', '/api/files/instant', { ...want, proof });
    expect(got.status).toBe(201);
    expectError(
      await owner.call('POST', '/api/files/instant', { ...want, proof }),
      403,
      'bad_proof',
    );
  });

  it('400 for bad input', async () => {
    const user = await newUser(server.baseUrl);
    expectError(await ask(user, { sha1: 'xyz' }), 400);
    expectError(await ask(user, { size: -1 }), 400);
    expectError(await ask(user, { size: '12' }), 400);
    expectError(await ask(user, { name: '' }), 400, 'invalid_name');
    expectError(await ask(user, { proof: { token: 'x' } }), 400);
  });

  it('proves possession of an empty file', async () => {
    const user = await newUser(server.baseUrl);
    await holder.upload('empty', '');
    const res = await user.call('POST', '/api/files/instant', {
      name: 'e',
      size: 0,
      sha1: sha1Of(''),
    });
    expect(res.body.challenge).toMatchObject({ offset: 0, length: 0 });
    const done = await user.call('POST', '/api/files/instant', {
      name: 'e',
      size: 0,
      sha1: sha1Of(''),
      proof: { token: res.body.challenge.token, hmac: hmacOf(res.body.challenge.nonce, '') },
    });
    expect(done.status).toBe(201);
  });
});
