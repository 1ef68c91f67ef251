// The path-building benchmark's measuring program (bundled by scripts/bench/path.mjs, run as its own process):
// 50 CAs cross-signed in a ring (each certified by the next one and by the one seven further on, every tenth
// also by the root), the user certificate issued by one of them, all in one upload. Times the whole offline
// diagnosis (files → report) several times with the files shuffled, and prints one JSON line.
import 'reflect-metadata';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import { genKey, makeCert, rootOptions, userOptions, type GenCert } from '@/test/pki/gen';

const N = 50;
const RUNS = Math.max(1, Number(process.argv[2]) || 5);

async function world() {
  const root = await makeCert(rootOptions({ key: 'p256' }));
  const keys = await Promise.all(Array.from({ length: N }, () => genKey('p256')));
  // Self-signed stand-ins only sign the cross-certificates; they are not uploaded.
  const self = await Promise.all(keys.map((key, i) => makeCert({ subject: `CN=Mesh CA ${i}, O=Bench`, key, basicConstraints: { ca: true } })));
  const certs: GenCert[] = [root];
  for (let i = 0; i < N; i++) {
    const subject = `CN=Mesh CA ${i}, O=Bench`;
    const ca = { ca: true, critical: true };
    for (const j of [(i + 1) % N, (i + 7) % N]) certs.push(await makeCert({ subject, key: keys[i], issuer: self[j], basicConstraints: ca, keyUsage: ['keyCertSign', 'cRLSign'] }));
    if (i % 10 === 0) certs.push(await makeCert({ subject, key: keys[i], issuer: root, basicConstraints: ca, keyUsage: ['keyCertSign', 'cRLSign'] }));
  }
  const user = await makeCert({ ...userOptions(self[25]), key: 'p256' });
  return [user, ...certs];
}

let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const shuffle = <T>(xs: T[]) => xs.map((x) => [rnd(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

const all = await world();
const ms: number[] = [];
const verdicts = new Set<string>();
let last;
for (let r = 0; r <= RUNS; r++) {
  const files = shuffle(all).map((c, i) => ({ name: `c${i}.cer`, bytes: c.der }));
  const t0 = performance.now();
  const report = await runDiagnosis({ files, crlFiles: [], pasted: [] }, { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 5000 }, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
  const t = performance.now() - t0;
  if (r > 0) ms.push(t); // the first run warms up
  const build = report.checks.find((c) => c.id === 'chain.build')!;
  const path = report.checks.find((c) => c.id === 'chain.path')!;
  const ev = build.evidence as { pathsTried: number; searchBounded: boolean; path: unknown[] };
  last = { tried: ev.pathsTried, bounded: ev.searchBounded, length: ev.path.length };
  verdicts.add(`${build.status}/${path.status}/${JSON.stringify(ev.path.map((p) => (p as { thumbprint: string }).thumbprint))}`);
}
process.stdout.write(JSON.stringify({ certs: all.length, ms, sameVerdict: verdicts.size === 1, ...last }) + '\n');
