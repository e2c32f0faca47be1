// The OSS test server's storage: buckets as directories, objects and uploaded parts as files,
// always streamed to disk (never a whole object in memory), written to a temp name and renamed.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OssError } from './errors.ts';

/** "Every part except the last must be at least 100 KB" (CompleteMultipartUpload). */
const MIN_PART_SIZE = 100 * 1024;

export interface CompletedPart {
  number: number;
  etag: string;
}

interface Upload {
  bucket: string;
  key: string;
  /** Part number → ETag of the part stored last under that number. */
  parts: Map<number, string>;
}

const quotedMd5 = (digest: Buffer, suffix = '') =>
  `"${digest.toString('hex').toUpperCase()}${suffix}"`;

export class DiskBuckets {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly root: string,
    private readonly buckets: readonly string[],
  ) {}

  /** Multipart uploads initiated and neither completed nor aborted. */
  get uploadsInProgress(): number {
    return this.uploads.size;
  }

  requireBucket(bucket: string): void {
    if (!this.buckets.includes(bucket))
      throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
  }

  /** Keys may hold any characters: the file name is a hash of the key. */
  objectPath(bucket: string, key: string): string {
    return path.join(this.root, bucket, createHash('sha1').update(key).digest('hex'));
  }

  async size(bucket: string, key: string): Promise<number | undefined> {
    return (await stat(this.objectPath(bucket, key)).catch(() => undefined))?.size;
  }

  async putObject(bucket: string, key: string, body: Readable, length?: number): Promise<string> {
    return this.store(this.objectPath(bucket, key), body, length);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await rm(this.objectPath(bucket, key), { force: true });
  }

  initiate(bucket: string, key: string): string {
    const uploadId = randomUUID().replaceAll('-', '').toUpperCase();
    this.uploads.set(uploadId, { bucket, key, parts: new Map() });
    return uploadId;
  }

  async putPart(
    bucket: string,
    key: string,
    uploadId: string,
    number: number,
    body: Readable,
    length?: number,
  ): Promise<string> {
    const upload = this.upload(bucket, key, uploadId);
    if (!(Number.isInteger(number) && number >= 1 && number <= 10_000))
      throw new OssError(
        400,
        'InvalidArgument',
        'Part number must be an integer between 1 and 10000.',
      );
    const etag = await this.store(this.partPath(uploadId, number), body, length);
    upload.parts.set(number, etag);
    return etag;
  }

  /** Joins the listed parts (which must be ascending, uploaded, with matching ETags). */
  async complete(
    bucket: string,
    key: string,
    uploadId: string,
    parts: CompletedPart[],
  ): Promise<string> {
    const upload = this.upload(bucket, key, uploadId);
    if (!parts.length)
      throw new OssError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.number <= (parts[i - 1]?.number ?? 0))
        throw new OssError(
          400,
          'InvalidPartOrder',
          'The list of parts was not in ascending order.',
        );
      if (upload.parts.get(part.number) !== part.etag)
        throw new OssError(
          400,
          'InvalidPart',
          'One or more of the specified parts could not be found.',
        );
      const size = (await stat(this.partPath(uploadId, part.number))).size;
      if (i < parts.length - 1 && size < MIN_PART_SIZE)
        throw new OssError(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed size.',
        );
    }
    const files = parts.map((part) => this.partPath(uploadId, part.number));
    const joined = Readable.from(
      (async function* () {
        for (const file of files) yield* createReadStream(file);
      })(),
    );
    await this.store(this.objectPath(bucket, key), joined);
    await this.abort(bucket, key, uploadId);
    const md5s = Buffer.concat(parts.map((part) => Buffer.from(part.etag.slice(1, -1), 'hex')));
    // A multipart object's ETag: the MD5 of the parts' MD5s, then "-<number of parts>".
    return quotedMd5(createHash('md5').update(md5s).digest(), `-${parts.length}`);
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    this.upload(bucket, key, uploadId);
    this.uploads.delete(uploadId);
    await rm(path.join(this.root, '.uploads', uploadId), { recursive: true, force: true });
  }

  private upload(bucket: string, key: string, uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key)
      throw new OssError(404, 'NoSuchUpload', 'The specified upload does not exist.');
    return upload;
  }

  private partPath(uploadId: string, number: number): string {
    return path.join(this.root, '.uploads', uploadId, String(number));
  }

  /** Streams `body` to `target`; "IncompleteBody" when fewer bytes came than Content-Length said. */
  private async store(target: string, body: Readable, length?: number): Promise<string> {
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    const md5 = createHash('md5');
    let received = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        received += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, measure, createWriteStream(temp));
      if (length !== undefined && received !== length)
        throw new OssError(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header.',
        );
      await rename(temp, target);
      return quotedMd5(md5.digest());
    } finally {
      await rm(temp, { force: true });
    }
  }
}
