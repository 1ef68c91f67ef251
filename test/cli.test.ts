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

  it('accepts an empty diagnosis (any subset of inputs is valid)', () => {
    const r = run(['diagnose', '--offline', '--json']);
    expect(r.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.out));
    expect(report.checks.every((c) => c.status === 'skip' || c.status === 'info' || c.status === 'pass')).toBe(true);
  });

  it('--user FILE diagnoses that certificate as the user\'s, whatever the automatic choice would be', () => {
    const base = ['diagnose', '--cert', pk('TrustAnchorRootCertificate'), '--cert', pk('SeparateCertificateandCRLKeysCertificateSigningCACert'), '--at', '2011-04-15T00:00:00Z', '--offline', '--json'];
    const ee = pk('ValidSeparateCertificateandCRLKeysTest19EE');
    const signer = pk('SeparateCertificateandCRLKeysCRLSigningCert');
    const auto = reportSchema.parse(JSON.parse(run([...base, '--cert', signer, '--cert', ee]).out));
    expect(auto.input.certificates.find((c) => c.role === 'user')?.fileName).toBe('ValidSeparateCertificateandCRLKeysTest19EE.crt');
    const forced = reportSchema.parse(JSON.parse(run([...base, '--cert', ee, '--user', signer]).out));
    expect(forced.input.certificates.find((c) => c.role === 'user')?.fileName).toBe('SeparateCertificateandCRLKeysCRLSigningCert.crt');
    expect(forced.checks.find((c) => c.id === 'cert.user')?.summary).toMatch(/as asked/);
    const bad = run(['diagnose', '--user', path.resolve('package.json'), '--offline']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--user');
  });
});
