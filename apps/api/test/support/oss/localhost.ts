// ali-oss addresses a bucket as `<bucket>.<endpoint host>`. Names under `.localhost` are
// loopback (RFC 6761 §6.3), but glibc without nss-myhostname does not resolve them: the tests
// connect through an agent whose lookup does.
import dns from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

const lookup: LookupFunction = (hostname, options, callback) => {
  if (!hostname.endsWith('.localhost')) return dns.lookup(hostname, options, callback);
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export const localhostAgent = () => new http.Agent({ keepAlive: true, lookup });

/** `fetch` through `agent` (the global fetch has its own resolver). */
export function fetchThrough(agent: http.Agent, url: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) headers.set(name, String(value));
        resolve(
          new Response(Readable.toWeb(res) as ReadableStream, { status: res.statusCode, headers }),
        );
      })
      .on('error', reject);
  });
}
