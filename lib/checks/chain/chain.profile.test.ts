import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { genKey, makeCert, makePki, nameConstraintsExt, rootOptions, subjectKey, userOptions, type CertOptions, type GenCert, type Pki } from '@/test/pki/gen';
import { diagnose, result } from '@/test/pki/diagnose';
import type { Target } from '@/lib/report/schema';

type Finding = { rule: string; ref: string; role: string; section: string; status: string; fatal?: boolean };
const ids = ['chain.'];
let pki: Pki;
beforeAll(async () => {
  pki = await makePki();
});

const spkiOf = (k: { publicKey: KeyObject }) => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));
const raw = (oid: string, der: number[], critical = false) => ({ oid, critical, der: new Uint8Array(der) });

async function lint(certs: GenCert[], target?: Target) {
  const r = result(await diagnose({ certs, ids, target }), 'chain.profile');
  return { r, findings: (r.evidence as { findings: Finding[] }).findings };
}
async function userWith(over: Partial<CertOptions>) {
  const user = await makeCert(userOptions(pki.ca, {}, over));
  return lint([user, pki.ca, pki.root]);
}

describe('chain.profile', () => {
  it('passes a clean path', async () => {
    const { r, findings } = await lint([pki.user, pki.ca, pki.root]);
    expect(findings).toEqual([]);
    expect(r.status).toBe('pass');
  });

  it('warns for a user certificate without AKI, and fails it for Entra', async () => {
    const user = await makeCert(userOptions(pki.ca, {}, { aki: false }));
    const adfs = await lint([user, pki.ca, pki.root], 'adfs');
    expect(adfs.findings.map((f) => [f.rule, f.role, f.status, f.section])).toEqual([['aki-missing', 'user', 'warn', 'RFC 5280 4.2.1.1']]);
    expect(adfs.r.status).toBe('warn');
    const entra = await lint([user, pki.ca, pki.root], 'entra');
    expect([entra.r.status, entra.findings[0].status]).toEqual(['fail', 'fail']);
  });

  it('warns for a CA without SKI, and fails it for Entra', async () => {
    const ca = await makeCert({ subject: 'CN=No SKI CA', issuer: pki.root, basicConstraints: { ca: true }, ski: false, keyUsage: ['keyCertSign', 'cRLSign'] });
    const user = await makeCert(userOptions(ca, {}, { aki: false }));
    const entra = await lint([user, ca, pki.root], 'entra');
    expect(entra.findings.filter((f) => f.rule === 'ski-missing').map((f) => [f.role, f.status])).toEqual([['intermediate', 'fail']]);
    expect(entra.r.status).toBe('fail');
    const unknown = await lint([user, ca, pki.root]);
    expect(unknown.r.status).toBe('warn');
  });

  it.each([
    ['aki-critical', { aki: false, extensions: [raw('2.5.29.35', [0x30, 0x06, 0x80, 0x04, 1, 2, 3, 4], true)] }],
    ['serial-zero', { serial: '00' }],
    ['serial-negative', { serial: 'ff01', serialRaw: true }],
    ['serial-too-long', { serial: '11'.repeat(21) }],
    ['duplicate-extension', { extensions: [raw('1.2.3.4.5', [0x05, 0x00]), raw('1.2.3.4.5', [0x05, 0x00])] }],
    ['eku-empty', { eku: null, extensions: [raw('2.5.29.37', [0x30, 0x00])] }],
    ['san-undecodable', { san: null, extensions: [raw('2.5.29.17', [0x30, 0x03, 0x82, 0x05, 0x41])] }],
    ['aia-malformed', { aia: null, extensions: [raw('1.3.6.1.5.5.7.1.1', [0x30, 0x03, 0x02, 0x01, 0x00])] }],
    ['extensions-in-v1-v2', { version: 2 }],
    ['sha1-signature', { hash: 'SHA-1' }],
  ] as [string, Partial<CertOptions>][])('finds %s on the user certificate, with its section', async (rule, over) => {
    const { r, findings } = await userWith(over);
    expect(findings.map((f) => [f.rule, f.ref])).toEqual([[rule, 'c1']]);
    expect(findings[0].section).toMatch(/RFC|NIST|Baseline/);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('1 profile finding');
  });

  it('finds weak and unusual keys: RSA under 2048 bits, an odd RSA size, DSA, P-192, explicit curve parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explicit-'));
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout', '-out', join(dir, 'k.pem')]);
    execFileSync('openssl', ['ec', '-in', join(dir, 'k.pem'), '-param_enc', 'explicit', '-pubout', '-outform', 'DER', '-out', join(dir, 'pub.der')], { stdio: 'ignore' });
    const cases: [string, Uint8Array][] = [
      ['rsa-key-too-small', (await genKey('rsa1024')).spki],
      ['rsa-key-odd-size', spkiOf(generateKeyPairSync('rsa', { modulusLength: 2052 }))],
      ['dsa-key', spkiOf(generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }))],
      ['ec-p192', spkiOf(generateKeyPairSync('ec', { namedCurve: 'prime192v1' }))],
      ['ec-explicit-parameters', new Uint8Array(readFileSync(join(dir, 'pub.der')))],
    ];
    for (const [rule, spki] of cases) {
      const { findings } = await userWith({ key: await subjectKey(spki) });
      expect(findings.map((f) => f.rule), rule).toEqual([rule]);
    }
  });

  it('finds CA-side rules: basic constraints not critical, name constraints not critical, SKI critical', async () => {
    const ca = await makeCert({
      subject: 'CN=Loose CA',
      issuer: pki.root,
      basicConstraints: { ca: true, critical: false },
      keyUsage: ['keyCertSign', 'cRLSign'],
      ski: false,
      extensions: [nameConstraintsExt([{ dns: 'contoso.com' }], [], false), raw('2.5.29.14', [0x04, 0x04, 9, 9, 9, 9], true)],
    });
    const user = await makeCert({ ...userOptions(ca), aki: '09090909' });
    const { findings } = await lint([user, ca, pki.root]);
    expect(findings.map((f) => [f.rule, f.role]).sort()).toEqual([
      ['basic-constraints-not-critical', 'intermediate'],
      ['name-constraints-not-critical', 'intermediate'],
      ['ski-critical', 'intermediate'],
    ]);
  });

  it('flags a root that is not a CA, lacks keyCertSign or has an unknown critical extension; chain.path fails for the fatal ones', async () => {
    const cases: [Partial<CertOptions>, string[], boolean][] = [
      [{ basicConstraints: null }, ['anchor-not-ca'], true],
      [{ keyUsage: ['digitalSignature', 'cRLSign'] }, ['anchor-no-keycertsign'], false],
      [{ extensions: [raw('1.3.6.1.4.1.99999.7', [0x05, 0x00], true)] }, ['unknown-critical-extension'], true],
    ];
    for (const [over, rules, fatal] of cases) {
      const root = await makeCert(rootOptions(over));
      const ca = await makeCert({ subject: 'CN=Issuing', issuer: root, basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'] });
      const user = await makeCert(userOptions(ca));
      const report = await diagnose({ certs: [user, ca, root], ids });
      const findings = (result(report, 'chain.profile').evidence as { findings: Finding[] }).findings;
      expect(findings.map((f) => [f.rule, f.role]), rules[0]).toEqual(rules.map((r) => [r, 'root']));
      expect(!!findings[0].fatal).toBe(fatal);
      const path = result(report, 'chain.path');
      expect(path.status, rules[0]).toBe(fatal ? 'fail' : 'pass');
      if (fatal) expect((path.evidence as { errors: { ref: string }[] }).errors.map((e) => e.ref)).toEqual(['c3']);
    }
  });
});
