// `npm run bench -- --only load` (bundled by scripts/bench/load.mjs): PostgreSQL + two portal instances + the repo's
// nginx config, all on loopback. Phase 1 drives N diagnoses through nginx, C at a time (offline certificates whose CRLs
// come from a loopback server), and measures throughput and time to a complete report. Phase 2 submits a batch,
// kills one instance (SIGKILL) in the middle, and counts how every accepted report ended: none may stay running.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from '@/test/net/free-port';
import path from 'node:path';
import { makeCrl, makePki, PKI_URLS } from '@/test/pki/gen';
import { startLoopback, type Handler } from '@/test/net/loopback';
import { startPostgres } from '@/test/pg/server';
import { startNginx } from '@/test/nginx';

const root = process.argv[2];
const args = process.argv.slice(3);
const opt = (name: string, d: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const N = opt('n', 200);
const C = opt('concurrency', 20);
const KILL_N = opt('kill-n', 100);
const CRL_DELAY_MS = opt('crl-delay', 100);
const MAX_CONCURRENT = opt('max-concurrent', 4);
const DEADLINE_S = opt('deadline', 20);
const POLL_MS = 200;

const say = (s: string) => process.stderr.write(`load: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  port: number;
  child: ChildProcess;
  log: () => string;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20_000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${out}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/ready`)).ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error(`instance not ready in 60 s: ${out}`);
    await sleep(200);
  }
  return { port, child, log: () => out };
}

function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function main() {
  const t00 = performance.now();
  const pg = await startPostgres();
  const cleanups: (() => Promise<void> | void)[] = [() => pg.stop()];
  try {
    const url = await pg.createDatabase('cba_load');
    // The PKI: CRLs from a loopback server that answers after a short delay (a CRL distribution point on a LAN).
    const routes: Record<string, Handler> = {};
    const crlServer = await startLoopback(routes);
    cleanups.push(() => crlServer.close());
    const base = `http://127.0.0.1:${crlServer.port}`;
    const pki = await makePki({ baseUrl: base });
    const caCrl = (await makeCrl({ issuer: pki.ca })).der;
    const rootCrl = (await makeCrl({ issuer: pki.root })).der;
    const delayed = (body: Uint8Array): Handler => (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length }).end(body), CRL_DELAY_MS);
    };
    routes[new URL(PKI_URLS(base).caCrl).pathname] = delayed(caCrl);
    routes[new URL(PKI_URLS(base).rootCrl).pathname] = delayed(rootCrl);

    const env = {
      CBA_DOCTOR_DATABASE_URL: url,
      CBA_DOCTOR_ALLOW_PRIVATE: '1',
      CBA_DOCTOR_RATE_LIMIT: '0',
      CBA_DOCTOR_MAX_CONCURRENT: String(MAX_CONCURRENT),
      CBA_DOCTOR_DIAGNOSIS_DEADLINE_S: String(DEADLINE_S),
      CBA_DOCTOR_LOG_LEVEL: 'warn',
    };
    say('starting two instances');
    const instances = await Promise.all([startInstance(env), startInstance(env)]);
    cleanups.push(() => {
      for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    });
    const nginx = await startNginx(root, [instances[0].port, instances[1].port]);
    cleanups.push(() => nginx.stop());
    say(`nginx on ${nginx.url}, instances on ${instances.map((i) => i.port).join(' and ')}`);

    const files = [
      ['user.cer', pki.user.der],
      ['issuing.cer', pki.ca.der],
      ['root.cer', pki.root.der],
    ] as const;
    const submit = async (): Promise<{ id?: string; status: number }> => {
      const f = new FormData();
      for (const [name, der] of files) f.append('certificates', new File([new Uint8Array(der)], name));
      try {
        const r = await fetch(`${nginx.url}/api/reports`, { method: 'POST', body: f });
        const body = (await r.json().catch(() => ({}))) as { id?: string };
        return { id: r.status === 202 ? body.id : undefined, status: r.status };
      } catch {
        return { status: 0 };
      }
    };
    const statusOf = async (id: string): Promise<string | undefined> => {
      try {
        const r = await fetch(`${nginx.url}/api/reports/${id}`);
        if (r.status !== 200) return undefined;
        return ((await r.json()) as { status: string }).status;
      } catch {
        return undefined;
      }
    };

    // Phase 1: N diagnoses, C clients, each submits and polls until the report is no longer running.
    say(`phase 1: ${N} diagnoses, ${C} at a time`);
    const times: number[] = [];
    const outcomes: Record<string, number> = {};
    let refused = 0;
    let next = 0;
    const t1 = performance.now();
    const client = async () => {
      while (next < N) {
        next++;
        const t = performance.now();
        const s = await submit();
        if (!s.id) {
          refused++;
          continue;
        }
        const giveUp = Date.now() + 120_000;
        let st: string | undefined = 'running';
        while (Date.now() < giveUp) {
          await sleep(POLL_MS);
          st = await statusOf(s.id);
          if (st && st !== 'running') break;
        }
        outcomes[st ?? 'unreadable'] = (outcomes[st ?? 'unreadable'] ?? 0) + 1;
        if (st === 'complete') times.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: C }, client));
    const wall1 = (performance.now() - t1) / 1000;
    // Both instances took work (the report ids are served by either one directly too).
    const served = await Promise.all(instances.map(async (i) => (await fetch(`http://127.0.0.1:${i.port}/metrics`)).text()));
    const startedBy = served.map((m) => Number(/cba_doctor_diagnoses_started_total\{mode="queue"\} (\d+)/.exec(m)?.[1] ?? 0));

    // Phase 2: submit KILL_N quickly, kill instance 1 once a third have been accepted, then wait for all to end.
    say(`phase 2: ${KILL_N} diagnoses, instance 1 killed after ${Math.floor(KILL_N / 3)} are accepted`);
    const accepted: string[] = [];
    let refused2 = 0;
    let killedAt = 0;
    let i2 = 0;
    const t2 = performance.now();
    const submitter = async () => {
      while (i2 < KILL_N) {
        i2++;
        const s = await submit();
        if (s.id) accepted.push(s.id);
        else refused2++;
        if (!killedAt && accepted.length >= Math.floor(KILL_N / 3)) {
          killedAt = (performance.now() - t2) / 1000;
          instances[0].child.kill('SIGKILL');
          say(`instance 1 killed at ${killedAt.toFixed(1)} s`);
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, submitter));
    const end = Date.now() + 4 * (DEADLINE_S + 15) * 1000 + 60_000;
    let pending = [...accepted];
    const final: Record<string, number> = {};
    while (pending.length && Date.now() < end) {
      const still: string[] = [];
      for (const id of pending) {
        const st = await statusOf(id);
        if (st && st !== 'running') final[st] = (final[st] ?? 0) + 1;
        else still.push(id);
      }
      pending = still;
      if (pending.length) await sleep(1000);
    }
    const wall2 = (performance.now() - t2) / 1000;
    final.running = pending.length;
    // Jobs the killed instance had taken: retried after their expiry (pg-boss counts the retries).
    const { default: pgClient } = await import('pg');
    const db = new pgClient.Client({ connectionString: url });
    await db.connect();
    const retried = Number(
      (await db.query('SELECT (SELECT count(*) FROM cba_doctor_queue.job WHERE retry_count > 0) + (SELECT count(*) FROM cba_doctor_queue.archive WHERE retry_count > 0) AS n')).rows[0].n,
    );
    // Reports stored by the killed instance for POSTs whose answer never reached the client count too.
    const runningInDb = Number((await db.query("SELECT count(*) AS n FROM cba_reports WHERE status = 'running'")).rows[0].n);
    const totalInDb = Number((await db.query('SELECT count(*) AS n FROM cba_reports')).rows[0].n);
    await db.end();

    const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    const lines = [
      `Load benchmark: PostgreSQL 15 + 2 instances (CBA_DOCTOR_MAX_CONCURRENT=${MAX_CONCURRENT} each) + deploy/nginx.conf, loopback, ${new Date().toISOString().slice(0, 10)}, node ${process.version}`,
      `Each diagnosis: 3 uploaded certificates, 2 CRLs from a loopback server (${CRL_DELAY_MS} ms delay each); time to complete measured from the POST to the first poll (every ${POLL_MS} ms) that sees it complete.`,
      '',
      '| phase | diagnoses | clients | accepted | refused/errors | complete | interrupted | still running (lost) | wall time | throughput | p50 to complete | p95 to complete |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| steady | ${N} | ${C} | ${N - refused} | ${refused} | ${outcomes.complete ?? 0} | ${outcomes.interrupted ?? 0} | ${(outcomes.running ?? 0) + (outcomes.unreadable ?? 0)} | ${f(wall1, 1)} s | ${f((outcomes.complete ?? 0) / wall1, 1)}/s | ${f(quantile(times, 0.5))} ms | ${f(quantile(times, 0.95))} ms |`,
      `| one instance killed at ${f(killedAt, 1)} s | ${KILL_N} | 10 | ${accepted.length} | ${refused2} | ${final.complete ?? 0} | ${final.interrupted ?? 0} | ${final.running} | ${f(wall2, 1)} s | | | |`,
      '',
      `Steady phase: instance 1 ran ${startedBy[0]} diagnoses, instance 2 ran ${startedBy[1]}. Kill phase: ${accepted.length} accepted, ${final.running === 0 ? 'none lost' : `${final.running} LOST`}; ` +
        `${retried} jobs were running on the killed instance and were retried on the other after their expiry (${DEADLINE_S} + 15 s); ` +
        `the refused ones are POSTs that instance 1 had received when it died (nginx answers 502 and does not resend a POST). ` +
        `The database holds ${totalInDb} reports (${N + accepted.length} accepted), ${runningInDb} still running. Whole run ${f((performance.now() - t00) / 1000)} s.`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (final.running > 0 || runningInDb > 0 || (outcomes.complete ?? 0) !== N - refused) process.exitCode = 1;
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

main().catch((e) => {
  process.stderr.write(`load bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
