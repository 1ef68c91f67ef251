// Runs the real bin/cba-doctor as a whole process (the bundle npm ci builds; test/global-setup.ts rebuilds it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '@/lib/report/schema';

const BIN = path.resolve('bin/cba-doctor');
const pk = (n: string) => path.resolve(`test/fixtures/pkits/certs/${n}.crt`);

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/cba-doctor', () => {
  it('prints help and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('cba-doctor diagnose');
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['diagnose', '--bogus'], 'unknown option'],
    [['diagnose', '--upn', 'not-an-address'], '--upn'],
    [['diagnose', '--at', 'yesterday'], '--at'],
    [['diagnose', '--target', 'cloud'], '--target'],
    [['diagnose', '--cloud', 'azure'], '--cloud must be public or usgov'],
    [['diagnose', '--tls-client-port', '70000'], '--tls-client-port'],
    [['diagnose', '--cert'], 'needs a value'],
    [['diagnose', '--cert', '/nonexistent/user.cer'], 'not found'],
    [['diagnose', '--resolve', 'sts.contoso.com'], 'HOST:ADDRESS'],
  ])('exits 2 on bad usage %j', (args, msg) => {
    const r = run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(msg);
  });

  it('emits schema-valid JSON and exits 1 when a check fails', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
    writeFileSync(path.join(dir, 'junk.cer'), 'hello, this is not a certificate');
    const r = run(['diagnose', '--cert', pk('GoodCACert'), '--cert', pk('ValidCertificatePathTest1EE'), '--cert', path.join(dir, 'junk.cer'), '--offline', '--json']);
    const report = reportSchema.parse(JSON.parse(r.out));
    expect(report.status).toBe('complete');
    const files = report.checks.find((c) => c.id === 'input.files')!;
    expect(files.status).toBe('fail');
    expect(JSON.stringify(files.evidence)).toContain('junk.cer');
    expect(report.input.certificates.map((c) => c.role)).toContain('user');
    expect(r.code).toBe(1);
  });

  it('records --cloud usgov in the report input', () => {
    const r = run(['diagnose', '--offline', '--json', '--cloud', 'usgov']);
    expect(r.code).toBe(0);
    expect(reportSchema.parse(JSON.parse(r.out)).input.cloud).toBe('usgov');
  });

  it('accepts an empty diagnosis (any subset of inputs is valid)', () => {
    const r = run(['diagnose', '--offline', '--json']);
    expect(r.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.out));
    expect(report.checks.every((c) => c.status === 'skip' || c.status === 'info' || c.status === 'pass')).toBe(true);
  });
});
