// A small HTTP client for the tests: JSON calls, form uploads and bearer tokens.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export const md5Of = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
export const sha1Of = (bytes: Uint8Array | string) =>
  createHash('sha1').update(bytes).digest('hex');
/** An instant-upload proof: HMAC-SHA-256 keyed by the challenge's nonce over the range's bytes. */
export const hmacOf = (nonce: string, bytes: Uint8Array | string) =>
  createHmac('sha256', nonce).update(bytes).digest('hex');

let userCounter = 0;
export const uniqueName = (prefix = 'user') =>
  `${prefix}_${process.pid}_${++userCounter}_${randomBytes(2).toString('hex')}`;

export class Client {
  constructor(
    readonly baseUrl: string,
    public token?: string,
  ) {}

  async raw(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token && !headers.has('authorization'))
      headers.set('authorization', `Bearer ${this.token}`);
    return fetch(this.baseUrl + path, { ...init, method, headers, redirect: 'manual' });
  }

  async call<T = any>(
    method: string,
    path: string,
    json?: unknown,
    headers: HeadersInit = {},
  ): Promise<Answer<T>> {
    const init: RequestInit = { headers };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers = { 'content-type': 'application/json', ...headers };
    }
    const res = await this.raw(method, path, init);
    const text = await res.text();
    const isJson = res.headers.get('content-type')?.includes('application/json');
    return {
      status: res.status,
      body: isJson && text ? JSON.parse(text) : text,
      headers: res.headers,
    };
  }

  /** PUT one chunk with its Content-MD5 (or the one given, to test a mismatch). */
  async putChunk(
    uploadId: string,
    index: number,
    bytes: Uint8Array,
    md5 = md5Of(bytes),
  ): Promise<Answer> {
    const res = await this.raw('PUT', `/api/uploads/${uploadId}/chunks/${index}`, {
      headers: { 'content-type': 'application/octet-stream', 'content-md5': md5 },
      body: new Uint8Array(bytes),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  /** Instant upload (秒传) of content the server holds: asks for the challenge, then proves it. */
  async instantUpload(name: string, bytes: Uint8Array): Promise<Answer> {
    const body = { name, size: bytes.length, sha1: sha1Of(bytes) };
    const { challenge } = (await this.call('POST', '/api/files/instant', body)).body;
    const range = bytes.subarray(challenge.offset, challenge.offset + challenge.length);
    return this.call('POST', '/api/files/instant', {
      ...body,
      proof: { token: challenge.token, hmac: hmacOf(challenge.nonce, range) },
    });
  }

  async upload(name: string, bytes: Uint8Array | string, field = 'file'): Promise<Answer> {
    const form = new FormData();
    form.append(field, new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
    const res = await this.raw('POST', '/api/files', { body: form });
    return { status: res.status, body: await res.json(), headers: res.headers };
  }
}

/**
 * The same client, its requests now from `ip` (X-Forwarded-For: the server trusts loopback
 * proxies), as a visitor from its own address.
 */
export function fromAddress<C extends Client>(client: C, ip: string): C & { ip: string } {
  const raw = client.raw.bind(client);
  client.raw = (method, path, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-for', ip);
    return raw(method, path, { ...init, headers });
  };
  return Object.assign(client, { ip });
}

/** Registers a fresh user and logs in; the client carries the bearer token. */
export async function newUser(
  baseUrl: string,
  password = 'correct horse',
): Promise<Client & { username: string }> {
  const username = uniqueName();
  const client = new Client(baseUrl);
  const registered = await client.call('POST', '/api/auth/register', { username, password });
  if (registered.status !== 201)
    throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await client.call('POST', '/api/auth/login', { username, password });
  client.token = login.body.token;
  return Object.assign(client, { username });
}

/** Expects the contract's error shape with this status and code. */
export function expectError(answer: Answer, status: number, code?: string): void {
  if (
    answer.status !== status ||
    typeof answer.body?.error?.code !== 'string' ||
    typeof answer.body.error.message !== 'string'
  ) {
    throw new Error(
      `expected ${status} ${code ?? ''}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  if (code && answer.body.error.code !== code) {
    throw new Error(`expected code ${code}, got ${answer.body.error.code}`);
  }
  if (JSON.stringify(answer.body).includes('    at ')) throw new Error('a stack trace leaked');
}
