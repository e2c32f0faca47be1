// Instant upload (秒传) with proof of possession. Knowing a SHA-1 (and the size) is not enough to
// get a file: the client must send HMAC-SHA-256, keyed by a fresh server nonce, of a random range of
// the content, which only someone holding the bytes can compute — also when the range is the whole
// of a small file. Whether content exists is told only within a per-user probe budget.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Op } from 'sequelize';
import type { Throttle, ThrottleRule } from '../auth/throttle.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { FileModels, UserFileRow } from './models.ts';
import type { FileService, NewFile } from './service.ts';

const CHALLENGE_BYTES = 4096;
const CHALLENGE_TTL_MS = 5 * 60 * 1000;

// "Probing answers must not reveal whether content exists faster than an upload would" (issue 10).
// Every challenge and every chunked-upload init asks the question once. 100 a minute lets a person
// drop a big folder (the web client asks twice per file; beyond the budget its files simply upload
// in full), while a script learns at most 100 answers a minute instead of thousands a second.
export const PROBES: ThrottleRule = { limit: 100, windowMs: 60 * 1000 };

export interface Challenge {
  offset: number;
  length: number;
  nonce: string;
  token: string;
}

interface Claims {
  id: string;
  offset: number;
  length: number;
  expiresAt: number;
  nonce: string;
}

const badProof = () => new HttpError('bad_proof', 'The proof does not match the content');

/** Compares two secrets in constant time. */
function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class InstantUploads {
  constructor(
    private readonly models: FileModels,
    private readonly files: FileService,
    private readonly secret: Buffer,
    private readonly probes: Throttle,
  ) {}

  /**
   * Takes one of the user's probes, whether or not the content exists (a miss must cost as much as
   * a hit); false when the budget is used up.
   */
  async takeProbe(userId: string): Promise<boolean> {
    return this.probes.take(`probe:${userId}`, PROBES).then(
      () => true,
      (err: unknown) => {
        if (err instanceof HttpError && err.code === 'too_many_requests') return false;
        throw err;
      },
    );
  }

  /** 200 {challenge} when the content exists, else 404 not_found; 429 beyond the probe budget. */
  async challenge(userId: string, sha1: string, size: number): Promise<Challenge> {
    await this.probes.take(`probe:${userId}`, PROBES);
    const content = await this.files.contents.find(sha1);
    if (!content || content.size !== size) throw notFound('content');
    const id = newId();
    const length = Math.min(CHALLENGE_BYTES, size);
    const offset = randomInt(0, size - length + 1);
    const expiresAt = Date.now() + CHALLENGE_TTL_MS;
    const nonce = randomBytes(16).toString('hex');
    await this.models.Challenge.create({ id, userId, sha1, expiresAt: new Date(expiresAt) });
    const claims = [id, offset, length, expiresAt, nonce].join('.');
    return { offset, length, nonce, token: `${claims}.${this.sign(userId, sha1, claims)}` };
  }

  /** 201 {file} when the proof is the HMAC of the challenged range; else 403 bad_proof. */
  async prove(file: NewFile, token: string, proof: string): Promise<UserFileRow> {
    const { id, offset, length, expiresAt, nonce } = this.verifiedClaims(
      file.userId,
      file.sha1,
      token,
    );
    // Single use: whatever the outcome, the challenge is gone after this.
    const consumed = await this.models.Challenge.destroy({
      where: { id, userId: file.userId, sha1: file.sha1, expiresAt: { [Op.gt]: new Date() } },
    });
    if (consumed !== 1 || expiresAt < Date.now()) throw badProof();
    const content = await this.files.contents.find(file.sha1);
    if (!content || content.size !== file.size) throw notFound('content');
    if (!sameText(proof, await this.rangeHmac(file.sha1, nonce, offset, length))) throw badProof();
    return this.files.addExisting(file);
  }

  async sweep(): Promise<number> {
    return this.models.Challenge.destroy({ where: { expiresAt: { [Op.lte]: new Date() } } });
  }

  private sign(userId: string, sha1: string, claims: string): string {
    return createHmac('sha256', this.secret)
      .update(`${userId}|${sha1}|${claims}`)
      .digest('base64url');
  }

  /** The token's claims when its signature binds them to this user and this content. */
  private verifiedClaims(userId: string, sha1: string, token: string): Claims {
    const parts = token.split('.');
    if (parts.length !== 6) throw badProof();
    const [id, offset, length, expiresAt, nonce, signature] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (!sameText(signature, this.sign(userId, sha1, parts.slice(0, 5).join('.'))))
      throw badProof();
    return {
      id,
      offset: Number(offset),
      length: Number(length),
      expiresAt: Number(expiresAt),
      nonce,
    };
  }

  /** The proof for a range, read from whichever store holds the bytes now (staging or object store). */
  private async rangeHmac(
    sha1: string,
    nonce: string,
    offset: number,
    length: number,
  ): Promise<string> {
    const hmac = createHmac('sha256', nonce);
    if (length > 0) {
      const range = { start: offset, end: offset + length - 1 };
      for await (const chunk of await this.files.contents.open(sha1, range)) {
        hmac.update(chunk as Buffer);
      }
    }
    return hmac.digest('hex');
  }
}
