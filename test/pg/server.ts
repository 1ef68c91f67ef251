// A throwaway PostgreSQL cluster for tests and the load bench: Debian's postgresql binaries, initdb in a temporary
// directory, a free loopback port, trust authentication for local test users only. When run as root, the cluster
// runs as the `postgres` user (PostgreSQL refuses to run as root). No mocks: the store and queue tests talk to it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '@/test/net/free-port';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PgServer {
  /** postgres://postgres@127.0.0.1:port/postgres */
  adminUrl: string;
  port: number;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install Debian\'s package: `apt-get update && apt-get install -y postgresql` ' +
  '(CI does this in .ci/run), or set CBA_DOCTOR_PG_BIN to the directory holding initdb and pg_ctl.';

export function findPgBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.CBA_DOCTOR_PG_BIN) candidates.push(process.env.CBA_DOCTOR_PG_BIN);
  const base = '/usr/lib/postgresql';
  if (existsSync(base))
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(base, v, 'bin'));
  const which = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  if (which) candidates.push(path.dirname(which));
  return candidates.find((d) => existsSync(path.join(d, 'initdb')) && existsSync(path.join(d, 'pg_ctl')));
}

function pgUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('Running as root, PostgreSQL needs an unprivileged user: the `postgres` user (created by Debian\'s postgresql package) is missing.');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export async function startPostgres(): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin) throw new Error(INSTALL_HINT);
  const dir = mkdtempSync(path.join(tmpdir(), 'cba-pg-'));
  const data = path.join(dir, 'data');
  const user = pgUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const run = (cmd: string, args: string[]) => execFileSync(path.join(bin, cmd), args, { stdio: 'pipe', cwd: dir, ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  const port = await freePort();
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    run('pg_ctl', [
      '-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL with ${bin}: ${err.stderr?.toString() || err.message}`);
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    adminUrl,
    port,
    async createDatabase(name: string) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        /* already down */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
