import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, newUser, type Answer } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let user: Awaited<ReturnType<typeof newUser>>;

// Uploaded in this order; "same-a" and "same-b" tie on size, so the tie-breaker is tested too.
const FILES: [name: string, size: number][] = [
  ['delta.txt', 40],
  ['alpha.txt', 10],
  ['same-b.txt', 25],
  ['charlie.txt', 70],
  ['same-a.txt', 25],
  ['bravo.txt', 5],
  ['echo.txt', 55],
];

beforeAll(async () => {
  server = await startTestServer();
  user = await newUser(server.baseUrl);
  for (const [name, size] of FILES) await user.upload(name, 'x'.repeat(size));
});
afterAll(() => server.stop());

/** Every page of a listing, two items at a time, following nextCursor. */
async function allPages(query: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer = await user.call(
      'GET',
      `/api/files?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    names.push(...page.body.items.map((item: { name: string }) => item.name));
    cursor = page.body.nextCursor;
  } while (cursor);
  return names;
}

const byArrival = FILES.map(([name]) => name);
const bySize = [...FILES]
  .map(([name, size], seq) => ({ name, size, seq }))
  .sort((a, b) => a.size - b.size || a.seq - b.seq)
  .map((file) => file.name);

describe('GET /api/files sorting with keyset pagination', () => {
  it.each([
    ['', [...byArrival].reverse()],
    ['sort=date&order=asc', byArrival],
    ['sort=name', [...byArrival].sort()],
    ['sort=name&order=desc', [...byArrival].sort().reverse()],
    ['sort=size', [...bySize].reverse()],
    ['sort=size&order=asc', bySize],
  ])('%s', async (query, expected) => {
    expect(await allPages(query)).toEqual(expected);
  });

  it('search keeps the sort and pages', async () => {
    expect(await allPages('q=A&sort=name')).toEqual([
      'alpha.txt',
      'bravo.txt',
      'charlie.txt',
      'delta.txt',
      'same-a.txt',
      'same-b.txt',
    ]);
  });

  it('a cursor only continues the listing it came from; garbage is 400 invalid_cursor', async () => {
    const first = await user.call('GET', '/api/files?limit=2&sort=name');
    const cursor = first.body.nextCursor;
    expectError(
      await user.call('GET', `/api/files?sort=size&cursor=${cursor}`),
      400,
      'invalid_cursor',
    );
    expectError(
      await user.call('GET', `/api/files?sort=name&order=desc&cursor=${cursor}`),
      400,
      'invalid_cursor',
    );
    expectError(
      await user.call('GET', '/api/files?cursor=bm90LWEtY3Vyc29y'),
      400,
      'invalid_cursor',
    );
    expectError(await user.call('GET', '/api/files?sort=random'), 400, 'invalid_request');
    expectError(await user.call('GET', '/api/files?order=sideways'), 400, 'invalid_request');
  });
});
