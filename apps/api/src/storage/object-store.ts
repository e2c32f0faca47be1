// Where the bytes of a content live for good: local disk, Aliyun OSS or an S3-compatible store.
// One interface, three drivers (issue 4); a driver that forgets a method does not compile.
import type { Readable } from 'node:stream';

/** Inclusive byte range, as in HTTP Range. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectInfo {
  size: number;
  /** The store's entity tag, unquoted; for an object stored in one piece it is the MD5 in hex. */
  etag?: string;
}

/** The ETag without quotes, lowercased (OSS answers in upper case). */
export const plainEtag = (etag: string | undefined): string | undefined =>
  etag?.replace(/"/g, '').toLowerCase() || undefined;

export interface SignedUrlOptions {
  expiresInSeconds: number;
  /** Sent back as the response's Content-Disposition (attachment, UTF-8 name). */
  downloadName: string;
}

export interface ObjectStore {
  readonly driver: 'local' | 'oss' | 's3';
  /** Objects up to this size are stored in one piece (their ETag is their MD5); larger in parts. */
  readonly partSize: number;
  /** Stores `size` bytes from `body` under `key` (multipart for large objects); replaces any. */
  put(key: string, body: Readable, size: number): Promise<void>;
  /** The object's bytes, or one range of them; rejects with ObjectNotFound when it is missing. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Deletes the object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** A short-lived URL that downloads the object directly from the store. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /** Throws with a clear message when the bucket is missing or the credentials are wrong. */
  check(): Promise<void>;
}

export class ObjectNotFound extends Error {
  constructor(key: string) {
    super(`no object ${key}`);
  }
}

const SHA1 = /^[0-9a-f]{40}$/;

/** Object keys come from the SHA-1 only, never from user names: `files/ab/cd/<sha1>`. */
export function objectKeyFor(sha1: string): string {
  if (!SHA1.test(sha1)) throw new Error(`not a sha1: ${sha1}`);
  return `files/${sha1.slice(0, 2)}/${sha1.slice(2, 4)}/${sha1}`;
}
