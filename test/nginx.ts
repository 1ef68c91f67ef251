// Runs the repository's deploy/nginx.conf on loopback, with the marked lines (`# BENCH:name`) pointed at this run's
// ports and a temporary directory. Debian's nginx (apt-get install -y nginx libnginx-mod-stream).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '@/test/net/free-port';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NGINX_HINT = 'nginx was not found. Install Debian\'s packages: `apt-get update && apt-get install -y nginx libnginx-mod-stream` (CI does this in .ci/run).';

export function findNginx(): string | undefined {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  return w || undefined;
}

export interface NginxPorts {
  listen: number;
  instances: [number, number];
  certauth?: [number, number];
  certauthListen?: number;
}

/** deploy/nginx.conf with this run's ports and paths. Each marked line must be found, so the file and this agree. */
export function renderNginxConf(template: string, dir: string, p: NginxPorts): string {
  const set: Record<string, string> = {
    pid: `pid ${dir}/nginx.pid;`,
    error_log: `error_log ${dir}/error.log warn;`,
    access_log: `access_log ${dir}/access.log;`,
    client_body_temp_path: `client_body_temp_path ${dir}/body;`,
    proxy_temp_path: `proxy_temp_path ${dir}/proxy;`,
    instance1: `server 127.0.0.1:${p.instances[0]} max_fails=1 fail_timeout=5s;`,
    instance2: `server 127.0.0.1:${p.instances[1]} max_fails=1 fail_timeout=5s;`,
    listen: `listen 127.0.0.1:${p.listen};`,
    certauth1: `server 127.0.0.1:${p.certauth?.[0] ?? 1};`,
    certauth2: `server 127.0.0.1:${p.certauth?.[1] ?? 1};`,
    certauth_listen: `listen 127.0.0.1:${p.certauthListen ?? 0};`,
  };
  const seen = new Set<string>();
  const out = template.replace(/^(\s*)(.*?);\s*#\s*BENCH:(\w+).*$/gm, (_m, indent: string, _old: string, name: string) => {
    if (!(name in set)) throw new Error(`deploy/nginx.conf: unknown marker BENCH:${name}`);
    seen.add(name);
    return `${indent}${set[name]}`;
  });
  const missing = Object.keys(set).filter((k) => !seen.has(k));
  if (missing.length) throw new Error(`deploy/nginx.conf: markers missing: ${missing.join(', ')}`);
  return out;
}

export interface RunningNginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startNginx(root: string, instances: [number, number]): Promise<RunningNginx> {
  const bin = findNginx();
  if (!bin) throw new Error(NGINX_HINT);
  const dir = mkdtempSync(path.join(tmpdir(), 'cba-nginx-'));
  chmodSync(dir, 0o777); // workers run as nobody when the master is root
  for (const d of ['body', 'proxy']) mkdirSync(path.join(dir, d), { mode: 0o777 });
  const port = await freePort();
  const conf = renderNginxConf(readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8'), dir, { listen: port, instances, certauthListen: await freePort() });
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  const child: ChildProcess = spawn(bin, ['-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${err}`);
    try {
      if ((await fetch(`${url}/nginx-health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not answer: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
