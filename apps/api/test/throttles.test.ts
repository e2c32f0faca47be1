// Issue 10, item 4: the login and extraction-code throttles hold under concurrency (every attempt is
// counted before its secret is checked), and a limit does not become a lockout for the owner or for
// every visitor of a link.
import { randomBytes } from 'node:crypto';
import { Agent, get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, fromAddress, newUser, uniqueName } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let addresses = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A client at its own address: the server trusts X-Forwarded-For from loopback (the default). */
function from(ip = `10.7.${Math.floor(++addresses / 250)}.${addresses % 250}`): Client {
  return fromAddress(new Client(server.baseUrl), ip);
}

/**
 * The status of a GET sent as one of a burst: bursts go through an agent of their own, 100 sockets
 * at a time, so no connection kept alive by an earlier test is reused at its idle deadline and the
 * server's accept queue is not what is tested (every request is still in flight together).
 */
function burstGet(agent: Agent, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${server.baseUrl}${path}`, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    }).on('error', reject);
  });
}
const burstAgent = () => new Agent({ keepAlive: true, maxSockets: 100 });

/** How many answers had each status. */
const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>(
    (counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
    {},
  );

const PASSWORD = 'correct horse';

async function owner() {
  const username = uniqueName('owner');
  const res = await from().call('POST', '/api/auth/register', { username, password: PASSWORD });
  expect(res.status).toBe(201);
  return username;
}

const login = (client: Client, username: string, password: string) =>
  client.call('POST', '/api/auth/login', { username, password });

describe('login throttle', () => {
  it('40 parallel wrong passwords from one address: exactly 5 are checked, 35 get 429', async () => {
    const username = await owner();
    const attacker = from();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(attacker, username, `wrong password ${i}`)),
    );
    expect(tally(answers.map((answer) => answer.status))).toEqual({ 401: 5, 429: 35 });
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused.body.error.code).toBe('too_many_requests');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // That address is locked out, even with the right password…
    expect((await login(attacker, username, PASSWORD)).status).toBe(429);
    // …but the owner, from an address with no failures, logs in.
    const owned = await login(from(), username, PASSWORD);
    expect(owned.status).toBe(200);
    expect(owned.body.user.username).toBe(username);
  });

  it('an attack spread over addresses gets one try per address; the owner still logs in', async () => {
    const username = await owner();
    // 5 addresses × 5 failures: their first tries open their windows, the other 20 fill the
    // username's global count.
    for (let address = 0; address < 5; address++) {
      const attacker = from();
      for (let i = 0; i < 5; i++)
        expect((await login(attacker, username, `guess ${address}.${i}`)).status).toBe(401);
    }
    const late = from();
    expect((await login(late, username, 'first guess')).status).toBe(401);
    expect((await login(late, username, 'second guess')).status).toBe(429);
    expect((await login(from(), username, PASSWORD)).status).toBe(200);
  });

  it('a right password gives its attempt back: 40 logins from one address all pass', async () => {
    const username = await owner();
    const office = from();
    for (let i = 0; i < 40; i++) expect((await login(office, username, PASSWORD)).status).toBe(200);
  });
});

describe('extraction-code throttle', () => {
  async function sharedWithCode(withCode: boolean | 'short' | 'long' = true) {
    const user = await newUser(server.baseUrl);
    const bytes = randomBytes(5000);
    const file = (await user.upload('plan.bin', bytes)).body.file;
    const created = await user.call('POST', '/api/shares', { fileId: file.id, withCode });
    expect(created.status).toBe(201);
    return { bytes, token: created.body.share.token as string, code: created.body.share.code };
  }
  const wrongCode = (code: string) => (code === 'WXYZ' ? 'ABCD' : 'WXYZ');
  const view = (client: Client, token: string, code: string) =>
    client.call('GET', `/api/public/shares/${token}`, undefined, { 'x-share-code': code });

  it('1,000 parallel wrong codes from one address: exactly 10 are checked; other visitors get the file', async () => {
    const { bytes, token, code } = await sharedWithCode();
    const attackerIp = '10.8.0.1';
    const attacker = from(attackerIp);
    const agent = burstAgent();
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        burstGet(agent, `/api/public/shares/${token}`, {
          'x-forwarded-for': attackerIp,
          'x-share-code': wrongCode(code),
        }),
      ),
    );
    agent.destroy();
    expect(tally(statuses)).toEqual({ 403: 10, 429: 990 });
    expect((await view(attacker, token, code)).status).toBe(429);

    const visitor = from();
    expect((await view(visitor, token, code)).status).toBe(200);
    const content = await visitor.raw('GET', `/api/public/shares/${token}/content?code=${code}`);
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('a link has a ceiling of 1,000 wrong codes over every address', async () => {
    const { token, code } = await sharedWithCode();
    const agent = burstAgent();
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        burstGet(agent, `/api/public/shares/${token}`, {
          'x-forwarded-for': `10.9.${Math.floor(i / 10 / 250)}.${Math.floor(i / 10) % 250}`,
          'x-share-code': wrongCode(code),
        }),
      ),
    );
    agent.destroy();
    expect(tally(statuses)).toEqual({ 403: 1000 });
    expect((await view(from(), token, code)).status).toBe(429);
  });

  it('a right code gives its attempts back: 60 views from one address all pass', async () => {
    const { token, code } = await sharedWithCode();
    const reader = from();
    for (let i = 0; i < 60; i++) expect((await view(reader, token, code)).status).toBe(200);
  });

  it('the owner may choose a long code: 8 characters; true and "short" give 4', async () => {
    const alphabet = '[23456789ABCDEFGHJKMNPQRSTUVWXYZ]';
    const long = await sharedWithCode('long');
    expect(long.code).toMatch(new RegExp(`^${alphabet}{8}$`));
    expect((await view(from(), long.token, long.code)).status).toBe(200);
    expect((await view(from(), long.token, long.code.slice(0, 4))).status).toBe(403);
    expect((await sharedWithCode('short')).code).toMatch(new RegExp(`^${alphabet}{4}$`));
    expect((await sharedWithCode(true)).code).toMatch(new RegExp(`^${alphabet}{4}$`));
  });
});

describe('housekeeping', () => {
  it('sweeps the windows that ended (every address and username tried leaves a row)', async () => {
    const username = await owner();
    expect((await login(from(), username, 'wrong password')).status).toBe(401);
    await server.query('UPDATE throttles SET reset_at = ?', [new Date(Date.now() - 1000)]);
    expect(await server.services.accounts.throttle.sweep()).toBeGreaterThan(0);
    expect(await server.query('SELECT * FROM throttles')).toEqual([]);
  });
});
