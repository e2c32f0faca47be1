// Instant upload (秒传) with proof of possession. Knowing a SHA-1 is not enough to get a file: the
// client must also hash a random range of the content, which only someone holding the bytes can do.
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Op } from 'sequelize';
import { HttpError, notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { FileModels, UserFileRow } from './models.ts';
import type { FileService, NewFile } from './service.ts';

const CHALLENGE_BYTES = 4096;
const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface Challenge {
  offset: number;
  length: number;
  token: string;
}

const badProof = () => new HttpError('bad_proof', 'The proof does not match the content');

export class InstantUploads {
  constructor(
    private readonly models: FileModels,
    private readonly files: FileService,
    private readonly secret: Buffer,
  ) {}

  /** 200 {challenge} when the content exists, else 404 not_found. */
  async challenge(userId: string, sha1: string, size: number): Promise<Challenge> {
    const content = await this.files.contents.find(sha1);
    if (!content || content.size !== size) throw notFound('content');
    const length = Math.min(CHALLENGE_BYTES, size);
    const offset = randomInt(0, size - length + 1);
    const id = newId();
    const expiresAt = Date.now() + CHALLENGE_TTL_MS;
    await this.models.Challenge.create({ id, userId, sha1, expiresAt: new Date(expiresAt) });
    const claims = `${id}.${offset}.${length}.${expiresAt}`;
    return { offset, length, token: `${claims}.${this.sign(userId, sha1, claims)}` };
  }

  /** 201 {file} when the proof is the SHA-1 of the challenged range; else 403 bad_proof. */
  async prove(file: NewFile, token: string, proofSha1: string): Promise<UserFileRow> {
    const [id, offset, length, expiresAt] = this.verifiedClaims(file.userId, file.sha1, token);
    // Single use: whatever the outcome, the challenge is gone after this.
    const consumed = await this.models.Challenge.destroy({
      where: { id, userId: file.userId, sha1: file.sha1, expiresAt: { [Op.gt]: new Date() } },
    });
    if (consumed !== 1 || expiresAt < Date.now()) throw badProof();
    const content = await this.files.contents.find(file.sha1);
    if (!content || content.size !== file.size) throw notFound('content');
    const actual = await this.hashRange(file.sha1, offset, length);
    if (!timingSafeEqual(Buffer.from(actual), Buffer.from(proofSha1))) throw badProof();
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
  private verifiedClaims(
    userId: string,
    sha1: string,
    token: string,
  ): [string, number, number, number] {
    const parts = token.split('.');
    if (parts.length !== 5) throw badProof();
    const [id, offset, length, expiresAt, signature] = parts as [
      string,
      string,
      string,
      string,
      string,
    ];
    const expected = Buffer.from(this.sign(userId, sha1, `${id}.${offset}.${length}.${expiresAt}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badProof();
    return [id, Number(offset), Number(length), Number(expiresAt)];
  }

  /** Reads the range from whichever store holds the bytes now (staging or the object store). */
  private async hashRange(sha1: string, offset: number, length: number): Promise<string> {
    const hash = createHash('sha1');
    if (length > 0) {
      const range = { start: offset, end: offset + length - 1 };
      for await (const chunk of await this.files.contents.open(sha1, range)) {
        hash.update(chunk as Buffer);
      }
    }
    return hash.digest('hex');
  }
}
