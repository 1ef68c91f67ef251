// Runs the real bin/cba-doctor as a whole process (the bundle npm ci builds; test/global-setup.ts rebuilds it).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('refuses a diagnosis without any certificate, like the portal (exit 2, not a pass)', () => {
    for (const args of [['diagnose', '--offline', '--json'], ['diagnose', '--upn', 'alice@contoso.com', '--offline']]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('no certificate given');
      expect(r.out).toBe('');
    }
  });

  it('says "is a directory" for a directory and "not found" only when the file is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
    for (const flag of ['--cert', '--crl', '--paste']) {
      const args = flag === '--cert' ? [flag, dir] : ['--cert', pk('GoodCACert'), flag, dir];
      const r = run(['diagnose', ...args, '--offline']);
      expect(r.code, flag).toBe(2);
      expect(r.err.trim().split('\n'), flag).toEqual([`cba-doctor: ${flag} is a directory, not a file: ${dir}`]);
      expect(r.err).not.toContain('not found');
    }
  });

  // Tests run as root, which no file mode stops: the CLI runs as "nobody" for these spawns, so the kernel really
  // answers EACCES (on reading a mode-000 file, and on looking inside a mode-700 directory).
  it('exits 2 with one line saying permission denied for a file it may not read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
    chmodSync(dir, 0o755);
    const readable = path.join(dir, 'ca.crt');
    copyFileSync(pk('GoodCACert'), readable);
    chmodSync(readable, 0o644);
    const locked = path.join(dir, 'locked.cer');
    writeFileSync(locked, readFileSync(pk('ValidCertificatePathTest1EE')));
    chmodSync(locked, 0o000);
    const hidden = mkdtempSync(path.join(tmpdir(), 'cli-'));
    chmodSync(hidden, 0o700);
    writeFileSync(path.join(hidden, 'user.cer'), readFileSync(pk('ValidCertificatePathTest1EE')));
    const cases: [string[], string][] = [
      [['--cert', locked], locked],
      [['--cert', readable, '--crl', locked], locked],
      [['--cert', readable, '--paste', locked], locked],
      [['--cert', path.join(hidden, 'user.cer')], path.join(hidden, 'user.cer')],
    ];
    for (const [args, file] of cases) {
      const r = spawnSync(process.execPath, [BIN, 'diagnose', ...args, '--offline'], { encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toContain('permission denied');
      expect(lines[0]).toContain(file);
      expect(lines[0]).not.toContain('not found');
    }
  });

  it('records --cloud usgov in the report input', () => {
    const r = run(['diagnose', '--cert', pk('ValidCertificatePathTest1EE'), '--offline', '--json', '--cloud', 'usgov']);
    expect(r.code).toBeLessThan(2);
    expect(reportSchema.parse(JSON.parse(r.out)).input.cloud).toBe('usgov');
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
