// An OSS-protocol server for the `oss` driver's tests (issue 4): exactly the calls the driver
// makes — PutObject, GetObject (Range, response-content-disposition), HeadObject, DeleteObject,
// the multipart calls and GetBucketInfo — with OSS's status codes and XML errors, and every
// request's V1 signature verified (see oss/signature.ts). Virtual-hosted style only, as ali-oss
// addresses it: `<bucket>.localhost:<port>`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DiskBuckets, type CompletedPart } from './oss/disk-buckets.ts';
import { OssError, errorXml, xmlDocument, xmlFields } from './oss/errors.ts';
import { verifySignature, type OssCredential } from './oss/signature.ts';

export interface OssTestServerOptions {
  buckets: string[];
  /** Access key id → secret (and STS token). */
  credentials: Record<string, OssCredential>;
}

export interface OssTestServer {
  /** `http://localhost:<port>`, the endpoint to give ali-oss. */
  endpoint: string;
  /** Multipart uploads neither completed nor aborted: a driver that gave up must abort. */
  uploadsInProgress(): number;
  close(): Promise<void>;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/** The bucket is the Host's first label: `<bucket>.localhost:<port>`. */
function bucketOf(host = ''): string {
  const match = /^([a-z0-9-]+)\.localhost(:\d+)?$/.exec(host);
  if (!match?.[1])
    throw new OssError(400, 'InvalidBucketName', 'Address the bucket as <bucket>.localhost.');
  return match[1];
}

const sendXml = (res: ServerResponse, status: number, root: string, body: string) => {
  res.writeHead(status, { 'Content-Type': 'application/xml' }).end(xmlDocument(root, body));
};

async function bodyText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const md5 = req.headers['content-md5'];
  if (md5 && md5 !== createHash('md5').update(body).digest('base64'))
    throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
  return body.toString('utf8');
}

const contentLength = (req: IncomingMessage) =>
  req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);

/** The driver's `bytes=a-b` range; OSS answers a malformed range with the whole object. */
function rangeOf(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header ?? '');
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : size - 1;
  if (end < start) return undefined;
  if (start >= size)
    throw new OssError(416, 'InvalidRange', 'The requested range cannot be satisfied.');
  return { start, end: Math.min(end, size - 1) };
}

/** The CompleteMultipartUpload body: `<Part><PartNumber>n</PartNumber><ETag>"…"</ETag></Part>`… */
const completedParts = (xml: string): CompletedPart[] =>
  [
    ...xml.matchAll(/<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>([^<]+)<\/ETag>\s*<\/Part>/g),
  ].map(([, number, etag]) => ({
    number: Number(number),
    etag: (etag ?? '').replaceAll('&quot;', '"'),
  }));

async function getObject(buckets: DiskBuckets, call: Call, withBody: boolean): Promise<void> {
  const { req, res, bucket, key, query } = call;
  const size = await buckets.size(bucket, key);
  if (size === undefined) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.');
  const range = withBody ? rangeOf(req.headers.range, size) : undefined;
  const disposition = query.get('response-content-disposition');
  res.writeHead(range ? 206 : 200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': range ? range.end - range.start + 1 : size,
    'Accept-Ranges': 'bytes',
    ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` }),
    ...(disposition && { 'Content-Disposition': disposition }),
  });
  if (!withBody || size === 0) return void res.end();
  await pipeline(createReadStream(buckets.objectPath(bucket, key), range), res);
}

async function objectCall(buckets: DiskBuckets, call: Call): Promise<void> {
  const { req, res, bucket, key, query } = call;
  const uploadId = query.get('uploadId');
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return getObject(buckets, call, req.method === 'GET');
    case 'PUT': {
      const etag = uploadId
        ? await buckets.putPart(
            bucket,
            key,
            uploadId,
            Number(query.get('partNumber')),
            req,
            contentLength(req),
          )
        : await buckets.putObject(bucket, key, req, contentLength(req));
      return void res.writeHead(200, { ETag: etag }).end();
    }
    case 'DELETE':
      await (uploadId ? buckets.abort(bucket, key, uploadId) : buckets.deleteObject(bucket, key));
      return void res.writeHead(204).end();
    case 'POST':
      if (query.has('uploads')) {
        const id = buckets.initiate(bucket, key);
        return sendXml(
          res,
          200,
          'InitiateMultipartUploadResult',
          xmlFields({ Bucket: bucket, Key: key, UploadId: id }),
        );
      }
      if (uploadId) {
        const parts = completedParts(await bodyText(req));
        const etag = await buckets.complete(bucket, key, uploadId, parts);
        return sendXml(
          res,
          200,
          'CompleteMultipartUploadResult',
          xmlFields({ Bucket: bucket, Key: key, ETag: etag }),
        );
      }
  }
  throw new OssError(
    405,
    'MethodNotAllowed',
    `${req.method} is not implemented by the OSS test server.`,
  );
}

function bucketCall(call: Call): void {
  if (call.req.method !== 'GET' || !call.query.has('bucketInfo'))
    throw new OssError(405, 'MethodNotAllowed', 'Only GetBucketInfo is implemented on buckets.');
  sendXml(
    call.res,
    200,
    'BucketInfo',
    `<Bucket>${xmlFields({ Name: call.bucket, StorageClass: 'Standard' })}</Bucket>`,
  );
}

function sendError(call: Pick<Call, 'req' | 'res'>, error: unknown): void {
  const { req, res } = call;
  if (res.headersSent) return void res.destroy();
  const ossError =
    error instanceof OssError ? error : new OssError(500, 'InternalError', String(error));
  const xml = errorXml(ossError);
  req.resume();
  // A HEAD answer has no body: OSS puts the XML error, base64, in the x-oss-err header.
  res.writeHead(ossError.status, {
    'Content-Type': 'application/xml',
    ...(req.method === 'HEAD' && { 'x-oss-err': Buffer.from(xml).toString('base64') }),
  });
  res.end(req.method === 'HEAD' ? undefined : xml);
}

export async function startOssTestServer(options: OssTestServerOptions): Promise<OssTestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'filestore-oss-'));
  const buckets = new DiskBuckets(root, options.buckets);
  const credentials = new Map(Object.entries(options.credentials));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handle = async () => {
      const bucket = bucketOf(req.headers.host);
      const key = decodeURIComponent(url.pathname.slice(1));
      const call = { req, res, bucket, key, query: url.searchParams };
      buckets.requireBucket(bucket);
      verifySignature(
        {
          method: req.method ?? '',
          headers: req.headers,
          resource: `/${bucket}/${key}`,
          query: call.query,
        },
        credentials,
      );
      await (key ? objectCall(buckets, call) : bucketCall(call));
    };
    handle().catch((error: unknown) => sendError({ req, res }, error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://localhost:${port}`,
    uploadsInProgress: () => buckets.uploadsInProgress,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
}
