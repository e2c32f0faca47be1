// The `s3` driver: AWS S3 or any S3-compatible store (MinIO, Ceph, R2, Aliyun's S3 endpoint).
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition } from 'content-disposition';
import { Readable } from 'node:stream';
import { exactly } from './exact-size.ts';
import { uploadParts } from './multipart.ts';
import {
  ObjectNotFound,
  plainEtag,
  type ByteRange,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrlOptions,
} from './object-store.ts';

export interface S3ObjectStoreOptions {
  /** Custom endpoint for S3-compatible stores; AWS's own endpoint when undefined. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO, Ceph, s3rver). */
  forcePathStyle: boolean;
  /** Objects larger than this go up in parts of this size; S3's minimum part is 5 MiB. */
  partSize?: number;
}

// S3's smallest part: each part in flight is a Buffer, so small parts keep a worker's memory low.
const DEFAULT_PART_SIZE = 5 * 1024 * 1024;
// S3 allows at most 10,000 parts: bigger objects get bigger parts.
const MAX_PARTS = 10_000;
// Parts in flight at once per object: memory is about partSize × (this + 1) per object.
const QUEUE_SIZE = 2;

const statusOf = (err: unknown) =>
  err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;

export class S3ObjectStore implements ObjectStore {
  readonly driver = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  readonly partSize: number;
  /** The bucket and where it lives, as check()'s errors name them. */
  private readonly where: string;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.where = `S3 bucket "${options.bucket}" at ${options.endpoint ?? `AWS ${options.region}`}`;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
      },
      // The SDK's default CRC32 trailers (aws-chunked bodies) are not understood by most
      // S3-compatible stores (R2, Aliyun, older MinIO/Ceph, s3rver): checksum only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    const checked = exactly(body, size, key);
    // The SDK pipes a single PutObject's body into the request, which ignores the body's errors
    // and would wait for the missing bytes forever: abort the request with the body's error.
    // (putParts reads the body itself, so its errors reach it directly.)
    const abort = new AbortController();
    checked.once('error', (err) => abort.abort(err));
    try {
      if (size <= this.partSize)
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: checked,
            ContentLength: size,
          }),
          { abortSignal: abort.signal },
        );
      else await this.putParts(key, checked, Math.max(this.partSize, Math.ceil(size / MAX_PARTS)));
    } catch (err) {
      checked.destroy(); // and, through the pipeline, the caller's body
      throw abort.signal.aborted ? abort.signal.reason : err;
    }
  }

  /**
   * CreateMultipartUpload, UploadPart for each part (QUEUE_SIZE in flight), CompleteMultipartUpload
   * with the ETags kept here. A failed upload is aborted best-effort: some S3-compatible stores
   * (s3rver) refuse AbortMultipartUpload, and a bucket lifecycle rule cleans up after them.
   */
  private async putParts(key: string, body: Readable, partSize: number): Promise<void> {
    const target = { Bucket: this.bucket, Key: key };
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    try {
      const parts = await uploadParts(body, {
        partSize,
        parallel: QUEUE_SIZE,
        uploadPart: async (number, data) => {
          const { ETag } = await this.client.send(
            new UploadPartCommand({
              ...target,
              UploadId,
              PartNumber: number,
              Body: data,
              ContentLength: data.length,
            }),
          );
          if (!ETag) throw new Error(`${key}: part ${number} was stored without an ETag`);
          return ETag;
        },
      });
      await this.client.send(
        new CompleteMultipartUploadCommand({
          ...target,
          UploadId,
          MultipartUpload: {
            Parts: parts.map(({ number, etag }) => ({ PartNumber: number, ETag: etag })),
          },
        }),
      );
    } catch (err) {
      await this.client
        .send(new AbortMultipartUploadCommand({ ...target, UploadId }))
        .catch(() => undefined);
      throw err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range && `bytes=${range.start}-${range.end}`,
        }),
      );
      // In Node the SDK answers with the HTTP response itself: a Readable, never a buffer.
      if (!(Body instanceof Readable)) throw new Error(`${key}: the S3 response has no body`);
      return Body;
    } catch (err) {
      if (statusOf(err) === 404) throw new ObjectNotFound(key);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const { ContentLength, ETag } = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return { size: ContentLength ?? 0, etag: plainEtag(ETag) };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a missing key too.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: contentDisposition(options.downloadName),
      }),
      { expiresIn: options.expiresInSeconds },
    );
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const status = statusOf(err);
      // HEAD answers carry no error body: the status is all there is to go on.
      const problem =
        status === 404
          ? 'does not exist'
          : status === 401 || status === 403
            ? 'refuses the credentials: check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY'
            : status
              ? `answered HTTP ${status}`
              : `is not reachable: ${(err as Error).message}`;
      throw new Error(`${this.where} ${problem}`, { cause: err });
    }
  }
}
