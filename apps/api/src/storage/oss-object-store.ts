// The `oss` driver: Aliyun OSS through ali-oss. Large objects go up in parts, several at once,
// read straight from the body stream (ali-oss's multipartUpload wants a file or a Buffer).
import type { Agent } from 'node:http';
import { Readable } from 'node:stream';
import OSS from 'ali-oss';
import { create as contentDisposition } from 'content-disposition';
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

export interface OssObjectStoreOptions {
  /** `oss-cn-hangzhou` or `cn-hangzhou`; ignored when `endpoint` is set. */
  region?: string;
  endpoint?: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Temporary (STS) credentials come with a security token. */
  stsToken?: string;
  /** Bytes per part; objects up to this size go up in one PutObject. Default 8 MiB. */
  partSize?: number;
  /** Parts uploaded at once (and so held in memory). Default 4. */
  parallel?: number;
  /** HTTP agent for an http:// endpoint (connection reuse, name resolution). */
  agent?: Agent;
}

/** "Each part except the last must be at least 100 KB" (OSS UploadPart). */
const MIN_PART_SIZE = 100 * 1024;

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

export class OssObjectStore implements ObjectStore {
  readonly driver = 'oss';
  private readonly client: OSS;
  readonly partSize: number;
  private readonly parallel: number;

  constructor(private readonly options: OssObjectStoreOptions) {
    this.partSize = options.partSize ?? 8 * 1024 * 1024;
    this.parallel = options.parallel ?? 4;
    if (this.partSize < MIN_PART_SIZE)
      throw new Error(`OSS parts must be at least ${MIN_PART_SIZE} bytes`);
    const region = options.region?.replace(/^(?!oss-)/, 'oss-');
    this.client = new OSS({
      ...(options.endpoint ? { endpoint: options.endpoint } : { region }),
      bucket: options.bucket,
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      stsToken: options.stsToken,
      // ali-oss builds `http://` region endpoints unless told otherwise.
      secure: true,
      ...(options.agent && { agent: options.agent }),
    } as OSS.Options);
  }

  async put(key: string, body: Readable, size: number): Promise<void> {
    const exact = exactly(body, size, key);
    if (size <= this.partSize)
      await this.client.putStream(key, exact, { contentLength: size } as OSS.PutStreamOptions);
    else await this.putParts(key, exact);
  }

  /**
   * InitiateMultipartUpload, then UploadPart for each part (at most `parallel` in flight), then
   * CompleteMultipartUpload with the ETags kept here. A failed upload is aborted, best-effort, so
   * its parts stop costing.
   */
  private async putParts(key: string, body: Readable): Promise<void> {
    const { uploadId } = await this.client.initMultipartUpload(key);
    try {
      const parts = await uploadParts(body, {
        partSize: this.partSize,
        parallel: this.parallel,
        uploadPart: async (number, data) =>
          (await this.client.uploadPart(key, uploadId, number, data, 0, data.length)).etag,
      });
      await this.client.completeMultipartUpload(key, uploadId, parts);
    } catch (error) {
      await this.client.abortMultipartUpload(key, uploadId).catch(() => undefined);
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const headers = range ? { Range: `bytes=${range.start}-${range.end}` } : undefined;
    const result = await this.client.getStream(key, { headers }).catch((error: unknown) => {
      throw codeOf(error) === 'NoSuchKey' ? new ObjectNotFound(key) : error;
    });
    const stream = result.stream as Readable;
    // OSS answers a range it cannot parse with the whole object: never pass that off as the range.
    if (range && result.res.status !== 206) {
      stream.destroy();
      throw new Error(`${key}: OSS ignored the range ${headers?.Range}`);
    }
    return stream;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const { res } = await this.client.head(key);
      const headers = res.headers as Record<string, string>;
      return { size: Number(headers['content-length']), etag: plainEtag(headers.etag) };
    } catch (error) {
      if (codeOf(error) === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // OSS answers 204 for a missing object too.
    await this.client.delete(key);
  }

  async signedUrl(
    key: string,
    { expiresInSeconds, downloadName }: SignedUrlOptions,
  ): Promise<string> {
    return this.client.signatureUrl(key, {
      expires: expiresInSeconds,
      response: { 'content-disposition': contentDisposition(downloadName, { type: 'attachment' }) },
    });
  }

  async check(): Promise<void> {
    const { bucket, accessKeyId } = this.options;
    const where = `OSS bucket "${bucket}" at ${this.options.endpoint ?? this.options.region}`;
    await this.client.getBucketInfo(bucket).catch((error: unknown) => {
      const reason = {
        NoSuchBucket: 'does not exist (OSS_BUCKET, OSS_REGION/OSS_ENDPOINT)',
        InvalidAccessKeyId: `rejects the access key id "${accessKeyId}" or its STS token (OSS_ACCESS_KEY_ID)`,
        SignatureDoesNotMatch:
          'rejects the request signature: the access key secret is wrong (OSS_ACCESS_KEY_SECRET)',
        AccessDenied:
          'denies access: the credentials need oss:GetBucketInfo and object read/write on it',
      }[String(codeOf(error))];
      throw new Error(`${where} ${reason ?? `cannot be reached: ${(error as Error).message}`}`, {
        cause: error,
      });
    });
  }
}
