// Issue #3's end-to-end path through the real bin/cba-doctor: CRLs and AIA served by a loopback server,
// fetched with --allow-private, refused without it; and large CRLs given with --crl through the whole CLI.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealm, type RealmStandIn } from '@/test/adfs/standins';
import { reportSchema, type Report } from '@/lib/report/schema';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { days, makeCrl, makePki, makeUser, tempDir, type GenCert, type Pki, type TempDir } from '@/test/pki/gen';

const BIN = path.resolve('bin/cba-doctor');
const routes: Record<string, Handler> = {};
let srv: Loopback;
let realm: RealmStandIn;
let pki: Pki;
let revokedUser: GenCert;
let dir: TempDir;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; report: Report; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, 'diagnose', ...args, '--json'], { env: { ...process.env, CBA_DOCTOR_REALM_URL: realm.url, CBA_DOCTOR_ALLOW_PRIVATE: '', ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        resolve({ code, report: reportSchema.parse(JSON.parse(out)), stderr: err });
      } catch (e) {
        reject(new Error(`bad output (${(e as Error).message}): ${out.slice(0, 300)} ${err}`));
      }
    });
  });
}
const status = (r: Report, id: string) => r.checks.find((c) => c.id === id)?.status;

beforeAll(async () => {
  srv = await startLoopback(routes);
  realm = await startRealm({ 'contoso.com': { namespace: 'Managed' } });
  pki = await makePki({ baseUrl: `http://127.0.0.1:${srv.port}` });
  revokedUser = await makeUser(pki, {}, { baseUrl: `http://127.0.0.1:${srv.port}` });
  routes['/aia/contoso-issuing.crt'] = serve(pki.ca.der, 'application/pkix-cert');
  routes['/aia/contoso-root.crt'] = serve(pki.root.der, 'application/pkix-cert');
  routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: pki.root })).der);
  routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: pki.ca, revoked: [{ serial: revokedUser.serial, reason: 'keyCompromise' }] })).der);
  dir = tempDir('cbad-cli-crl-');
});
afterAll(async () => {
  await srv.close();
  await realm.close();
  dir.cleanup();
});

describe('bin/cba-doctor with CRLs on the network', () => {
  it('fetches and judges every CRL on the path with --allow-private', async () => {
    const certs = ['--cert', dir.write('user.cer', pki.user.der), '--cert', dir.write('issuing.cer', pki.ca.der), '--cert', dir.write('root.cer', pki.root.der)];
    srv.hits.length = 0;
    const { code, report } = await cli([...certs, '--upn', 'alice@contoso.com', '--allow-private']);
    expect(report.target).toBe('entra');
    for (const id of ['crl.location', 'crl.fetch', 'crl.download-time', 'crl.size', 'crl.format', 'crl.signature', 'crl.freshness', 'crl.revocation', 'chain.build', 'chain.path'])
      expect([id, status(report, id)]).toEqual([id, 'pass']);
    expect(srv.hits).toEqual(expect.arrayContaining(['/crl/contoso-issuing.crl', '/crl/contoso-root.crl']));
    const fetch = report.checks.find((c) => c.id === 'crl.download-time')!;
    expect(JSON.stringify(fetch.evidence)).toContain('/crl/contoso-issuing.crl');
    expect(code).toBe(0);
  });

  it('completes the chain from AIA and finds a revoked user', async () => {
    const { code, report } = await cli(['--cert', dir.write('revoked.cer', revokedUser.der), '--upn', 'alice@contoso.com', '--allow-private']);
    expect(status(report, 'chain.build')).toMatch(/pass|warn/);
    expect(report.input.certificates).toHaveLength(1);
    const rev = report.checks.find((c) => c.id === 'crl.revocation')!;
    expect(rev.status).toBe('fail');
    expect(JSON.stringify(rev.evidence)).toContain(revokedUser.serial.replace(/^0+/, '').toLowerCase().slice(0, 8));
    expect(code).toBe(1);
  });

  it('reaches nothing on loopback without --allow-private', async () => {
    srv.hits.length = 0;
    const certs = ['--cert', dir.write('user2.cer', pki.user.der), '--cert', dir.write('issuing2.cer', pki.ca.der), '--cert', dir.write('root2.cer', pki.root.der)];
    const { report } = await cli([...certs, '--upn', 'alice@contoso.com', '--target', 'entra']);
    expect(srv.hits).toEqual([]);
    expect(status(report, 'crl.fetch')).toBe('fail');
    expect(JSON.stringify(report.checks.find((c) => c.id === 'crl.fetch')!.evidence)).toMatch(/blocked|policy/i);
  });
});

describe('bin/cba-doctor with large CRL files', () => {
  it('judges revocation from a 6,000-entry CRL given with --crl, offline', async () => {
    const revoked = Array.from({ length: 6000 }, (_, i) => ({ serial: (0x100000 + i).toString(16), date: days(-3) }));
    const certs = ['--cert', dir.write('u.cer', pki.user.der), '--cert', dir.write('i.cer', pki.ca.der), '--cert', dir.write('r.cer', pki.root.der)];
    const rootCrl = dir.write('root.crl', (await makeCrl({ issuer: pki.root })).der);
    const clean = dir.write('clean.crl', (await makeCrl({ issuer: pki.ca, revoked })).der);
    const ok = await cli([...certs, '--crl', clean, '--crl', rootCrl, '--upn', 'alice@contoso.com', '--offline']);
    expect(status(ok.report, 'crl.revocation')).toBe('pass');
    expect(status(ok.report, 'crl.fetch')).toBe('skip');
    expect(ok.code).toBe(0);

    const bad = dir.write('bad.crl', (await makeCrl({ issuer: pki.ca, revoked: [...revoked.slice(0, 3000), { serial: pki.user.serial, date: days(-1), reason: 'certificateHold' }, ...revoked.slice(3000)] })).der);
    const r = await cli([...certs, '--crl', bad, '--crl', rootCrl, '--upn', 'alice@contoso.com', '--offline']);
    const rev = r.report.checks.find((c) => c.id === 'crl.revocation')!;
    expect(rev.status).toBe('fail');
    expect(JSON.stringify(rev.evidence)).toMatch(/certificateHold|hold/i);
    expect(r.code).toBe(1);
  });
});
