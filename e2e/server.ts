// Starts the production portal (scripts/serve.mjs, as `npm start` does) on a free loopback port with the given environment.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@/test/net/free-port';

const root = path.resolve(import.meta.dirname, '..');

export { freePort };

export interface Portal {
  baseURL: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startPortal(env: Record<string, string>): Promise<Portal> {
  const port = await freePort();
  let out = '';
  // The server `npm start` runs (scripts/serve.mjs: Next's handler with upload-fit timeouts).
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    // PORT too, so settings that default to the portal's port (the certauth listener's redirect) see it.
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited early (code ${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${baseURL}/`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the portal did not answer within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseURL, log: () => out, stop };
}
