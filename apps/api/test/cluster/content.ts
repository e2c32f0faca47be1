// Deterministic file content of any size, never held whole: the AES-256-CTR keystream of a seed,
// so any byte range can be generated (and hashed) again on its own, as a stream.
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 16;
const PIECE = 256 * 1024;
const ZEROS = Buffer.alloc(PIECE);

export class Content {
  private readonly key: Buffer;

  constructor(
    seed: string,
    readonly size: number,
  ) {
    this.key = createHash('sha256').update(seed).digest();
  }

  /** Bytes [start, end) as a stream of 256 KiB pieces. */
  stream(start = 0, end = this.size): Readable {
    return Readable.from(this.pieces(start, end));
  }

  /** Bytes [start, end) in memory: for small ranges only (a Range answer, a proof's window). */
  bytes(start: number, end: number): Buffer {
    return Buffer.concat([...this.pieces(start, end)]);
  }

  /** The digest of bytes [start, end), streamed. */
  async digest(algorithm: 'sha1' | 'md5', start = 0, end = this.size): Promise<Buffer> {
    const hash = createHash(algorithm);
    for (const piece of this.pieces(start, end)) hash.update(piece);
    return hash.digest();
  }

  private *pieces(start: number, end: number): Generator<Buffer> {
    const block = Math.floor(start / BLOCK);
    const iv = Buffer.alloc(BLOCK);
    iv.writeBigUInt64BE(BigInt(block), 8); // the counter of the block holding `start`
    const cipher = createCipheriv('aes-256-ctr', this.key, iv);
    let position = block * BLOCK;
    while (position < end) {
      const length = Math.min(PIECE, end - position);
      const piece = cipher.update(ZEROS.subarray(0, length));
      yield position < start ? piece.subarray(start - position) : piece;
      position += length;
    }
  }
}
