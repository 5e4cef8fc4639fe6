import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Client } from 'pg';
import type { CliIo } from './command';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a Node.js script and resolves once it is ready: `readyUrl` answers 200, or (readyUrl null)
 * the script prints "ready". Its last stderr line explains a failure to start.
 */
export function startProcess(args: string[], env: Record<string, string>, readyUrl: string | null, io: CliIo): Promise<ChildProcess> {
  // stdout is read only for the bare servers' "ready"; the API's log lines are dropped (a pipe nobody
  // drains would block its writes).
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', readyUrl === null ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 300_000;
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${stderr.split('\n').filter(Boolean).pop() ?? ''}`));
    };
    child.once('exit', (code) => fail(`${args[0]} exited with ${code} before it was ready`));
    if (readyUrl === null) {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          child.removeAllListeners('exit');
          resolve(child);
        }
      });
      return;
    }
    const poll = (): void => {
      fetch(readyUrl)
        .then((response) => {
          if (response.ok) {
            child.removeAllListeners('exit');
            resolve(child);
          } else throw new Error(String(response.status));
        })
        .catch(() => {
          if (Date.now() > deadline) fail('not ready after 5 minutes');
          else setTimeout(poll, 500);
        });
    };
    io.stderr.write(`starting ${args[0]?.split('/').slice(-3).join('/')} …\n`);
    poll();
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Removes a PostgreSQL schema an API process ran in (benchmarks and the reliability suite use a fresh one each). */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
