// Aliyun OSS V1 request signatures, checked the way the service checks them ("Include a V1
// signature in the Authorization header" / "Add signatures to URLs" in the OSS API reference):
//   Signature = base64(hmac-sha1(AccessKeySecret, VERB + "\n" + Content-MD5 + "\n"
//     + Content-Type + "\n" + Date + "\n" + CanonicalizedOSSHeaders + CanonicalizedResource))
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OssError } from './errors.ts';

export interface OssCredential {
  accessKeySecret: string;
  /** Set for STS credentials: every request must carry this token. */
  securityToken?: string;
}

// "Only these sub-resources go into the CanonicalizedResource" (OSS API reference; the ones
// this server and the driver use, plus the response-* overrides a signed URL may carry).
const SUB_RESOURCES = new Set([
  'acl',
  'bucketInfo',
  'location',
  'uploads',
  'uploadId',
  'partNumber',
  'security-token',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
]);

/** "A request whose time differs from the server's by more than 15 minutes is rejected." */
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** `/bucket/key` with the key decoded, as the CanonicalizedResource starts. */
  resource: string;
  query: URLSearchParams;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
};

function canonicalizedOssHeaders(headers: IncomingHttpHeaders): string {
  return Object.keys(headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${header(headers, name).trim()}\n`)
    .join('');
}

function canonicalizedResource(resource: string, query: URLSearchParams): string {
  const subResources = [...new Set(query.keys())]
    .filter((name) => SUB_RESOURCES.has(name))
    .sort()
    .map((name) => (query.get(name) ? `${name}=${query.get(name)}` : name));
  return subResources.length ? `${resource}?${subResources.join('&')}` : resource;
}

function sign(secret: string, request: SignedRequest, date: string): string {
  const stringToSign = [
    request.method,
    header(request.headers, 'content-md5'),
    header(request.headers, 'content-type'),
    date,
    canonicalizedOssHeaders(request.headers) +
      canonicalizedResource(request.resource, request.query),
  ].join('\n');
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Throws the OssError the service would answer with when the request is not properly signed. */
export function verifySignature(
  request: SignedRequest,
  credentials: ReadonlyMap<string, OssCredential>,
  now = Date.now(),
): void {
  const { query } = request;
  const signedUrl = query.has('Signature');
  let accessKeyId: string;
  let signature: string;
  let date: string;
  if (signedUrl) {
    // "Expires replaces Date in the string to sign; the URL is refused once it has passed."
    accessKeyId = query.get('OSSAccessKeyId') ?? '';
    signature = query.get('Signature') ?? '';
    date = query.get('Expires') ?? '';
    if (!(Number(date) * 1000 > now))
      throw new OssError(403, 'AccessDenied', 'Request has expired.');
  } else {
    const match = /^OSS ([^:]+):(.+)$/.exec(header(request.headers, 'authorization'));
    if (!match) throw new OssError(403, 'AccessDenied', 'You have no right to access this object.');
    [, accessKeyId = '', signature = ''] = match;
    // ali-oss sends x-oss-date (no Date header) and signs it in the Date position.
    date = header(request.headers, 'x-oss-date') || header(request.headers, 'date');
    if (!(Math.abs(Date.parse(date) - now) <= MAX_SKEW_MS))
      throw new OssError(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
  }
  const credential = credentials.get(accessKeyId);
  if (!credential)
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
    );
  const token = signedUrl
    ? query.get('security-token')
    : header(request.headers, 'x-oss-security-token');
  if ((credential.securityToken ?? '') !== (token ?? ''))
    throw new OssError(403, 'InvalidAccessKeyId', 'The security token you provided is invalid.');
  if (!same(sign(credential.accessKeySecret, request, date), signature))
    throw new OssError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
}
