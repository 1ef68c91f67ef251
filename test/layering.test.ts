// The house rule for imports: domain folders (the sources of facts) sit below the pipeline. They may use the shared
// contracts (artifact keys and types, the collector interface, the report schema and its JSON text) but never the
// orchestration above them (runner, service, queue, collectors list, certauth wiring) nor the checks that judge their
// facts; and test helpers live under test/, never inside lib/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOMAINS = ['pki', 'net', 'adfs', 'paste', 'entra', 'graph', 'device', 'store', 'worker', 'commands'];
const CONTRACTS = new Set(['@/lib/report/artifacts', '@/lib/report/collector', '@/lib/report/schema', '@/lib/report/json']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);

describe('layering', () => {
  it('domain folders import only the shared contracts from the pipeline, and no check', () => {
    const offences: string[] = [];
    for (const d of DOMAINS) {
      const dir = path.join(ROOT, 'lib', d);
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      for (const f of files(dir)) {
        if (/\.test\.tsx?$/.test(f)) continue;
        for (const spec of imports(f)) {
          const upward = spec.startsWith('@/lib/report/') && !CONTRACTS.has(spec);
          const check = spec.startsWith('@/lib/checks/');
          if (upward || check) offences.push(`${path.relative(ROOT, f)} imports ${spec}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('no test helper folder inside lib/', () => {
    const helpers = files(path.join(ROOT, 'lib')).filter((f) => /[\\/]testing[\\/]|[\\/]testing\.tsx?$/.test(f));
    expect(helpers.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
