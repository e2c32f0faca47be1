// Entry point of `npm run user:add -- <username>`: creates an account whatever REGISTRATION says,
// the operator's way to let people in when sign-up is closed (the first account of a server is its
// administrator). The password is read from standard input: typed unseen on a terminal, or piped.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { Credentials } from '@filestore/contract';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { closeDatabases, createServices } from './services.ts';

async function readPassword(): Promise<string> {
  const terminal = Boolean(process.stdin.isTTY);
  if (terminal) process.stdout.write('Password: ');
  // Readline echoes what is typed to its output: give it one that shows nothing.
  const unseen = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = createInterface({ input: process.stdin, output: unseen, terminal });
  const password = await lines.question('');
  lines.close();
  if (terminal) process.stdout.write('\n');
  return password;
}

async function addUser(): Promise<string> {
  const username = process.argv[2];
  if (!username) throw new Error('usage: npm run user:add -- <username> (password on stdin)');
  const config = loadConfig();
  const input = Credentials.safeParse({ username, password: await readPassword() });
  if (!input.success) {
    const issue = input.error.issues[0]!;
    throw new Error(`${String(issue.path[0])} ${issue.message}`);
  }
  const services = await createServices(config, createLogger(config.logLevel));
  try {
    const user = await services.accounts.register(input.data.username, input.data.password);
    return `account ${user.username} created (${user.role})`;
  } finally {
    await services.transfer?.queue.close();
    await closeDatabases(services);
  }
}

try {
  console.log(`filestore: ${await addUser()}`);
} catch (err) {
  console.error(`filestore: ${(err as Error).message}`);
  process.exitCode = 1;
}
