// Issue 10, item 14: registration is an operator's choice (REGISTRATION=open|closed, and
// `npm run user:add` when it is closed), throttled per address, and the first account becomes the
// administrator, exactly once however many sign up at the same moment.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { Client, expectError, fromAddress, uniqueName } from './support/client.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let open: TestServer;
let closed: TestServer;

beforeAll(async () => {
  [open, closed] = await Promise.all([
    startTestServer({ REGISTRATIONS_PER_HOUR: '10' }),
    startTestServer({ REGISTRATION: 'closed' }),
  ]);
});
afterAll(() => Promise.all([open.stop(), closed.stop()]));

let addresses = 0;
/** A client at its own address (X-Forwarded-For from loopback is trusted by default). */
function from(server: TestServer): Client {
  const ip = `10.14.${Math.floor(++addresses / 250)}.${addresses % 250}`;
  return fromAddress(new Client(server.baseUrl), ip);
}

const PASSWORD = 'correct horse';
const register = (client: Client, username = uniqueName('reg')) =>
  client.call('POST', '/api/auth/register', { username, password: PASSWORD });

/** Runs `npm run user:add -- <username>`'s entry on the server's data, the password on stdin. */
async function userAdd(server: TestServer, username: string, password = PASSWORD) {
  const entry = fileURLToPath(new URL('../src/user-add.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, username], {
    env: { ...process.env, ...server.env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  child.stdin.end(`${password}\n`);
  const [code] = await once(child, 'exit');
  return { code: code as number, output };
}

describe('the first account', () => {
  it('20 parallel sign-ups on a fresh server: all succeed, exactly one is the administrator', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => register(from(open))));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    const admins = answers.filter((answer) => answer.body.user.role === 'admin');
    expect(admins).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.user.role === 'user')).toHaveLength(19);
    const rows = await open.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin'");
    expect(rows.map((row) => row.id)).toEqual([admins[0]!.body.user.id]);

    // The role is part of the user everywhere: login and /api/me.
    const client = from(open);
    const login = await client.call('POST', '/api/auth/login', {
      username: admins[0]!.body.user.username,
      password: PASSWORD,
    });
    expect(login.body.user.role).toBe('admin');
    client.token = login.body.token;
    expect((await client.call('GET', '/api/me')).body.user.role).toBe('admin');
  });
});

describe('REGISTRATION', () => {
  it('sign-ups are throttled per address: 10 an hour, also in parallel; another address goes on', async () => {
    const crowd = from(open);
    const answers = await Promise.all(Array.from({ length: 15 }, () => register(crowd)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), ...Array(5).fill(429)]);
    expectError(await register(crowd), 429, 'too_many_requests');
    expect((await register(from(open))).status).toBe(201);
  });

  it('closed: 403 registration_closed; the operator adds accounts with user:add, the first one is the administrator', async () => {
    expectError(await register(from(closed)), 403, 'registration_closed');
    expect((await closed.query('SELECT id FROM users')).length).toBe(0);

    const admin = uniqueName('admin');
    const added = await userAdd(closed, admin);
    expect(added).toMatchObject({ code: 0 });
    expect(added.output).toContain(`account ${admin} created (admin)`);
    const login = await from(closed).call('POST', '/api/auth/login', {
      username: admin,
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');

    const second = await userAdd(closed, uniqueName('member'));
    expect(second.output).toMatch(/created \(user\)/);
    const again = await userAdd(closed, admin);
    expect(again.code).toBe(1);
    expect(again.output).toContain('That username is taken');
    const weak = await userAdd(closed, uniqueName('weak'), 'short');
    expect(weak.code).toBe(1);
    expect(weak.output).toContain('password must be at least 8 characters');
  });

  it('REGISTRATION takes open or closed; anything else stops start-up naming it', () => {
    expect(loadConfig({}).registration).toBe('open');
    expect(() => loadConfig({ REGISTRATION: 'invite-only' })).toThrow(ConfigError);
    expect(() => loadConfig({ REGISTRATION: 'invite-only' })).toThrow(/^REGISTRATION: /);
  });
});
