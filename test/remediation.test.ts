// Every failing or warning outcome must tell the user what to do. This runs the real pipeline over many
// broken setups at once and inspects every fail/warn result that comes out, whichever check produced it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { Report } from '@/lib/report/schema';
import { days, EKU, makeCert, makeCrl, makePki, makeUser, pkcs12 } from './pki/gen';

async function run(files: { name: string; bytes: Uint8Array }[], extra: { upn?: string; crlFiles?: { name: string; bytes: Uint8Array }[]; pasted?: string[]; target?: 'adfs' | 'entra' } = {}) {
  return runDiagnosis(
    { upn: extra.upn, files, crlFiles: extra.crlFiles ?? [], pasted: (extra.pasted ?? []).map((text) => ({ text })) },
    { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 2000, requestedTarget: extra.target },
    { checks: ALL_CHECKS, collectors: ALL_COLLECTORS },
  );
}

describe('remediation coverage', () => {
  it('gives every fail and warn a remediation, over many broken setups', async () => {
    const pki = await makePki();
    const bad = await makeUser(pki, {
      key: 'rsa1024',
      hash: 'SHA-1',
      eku: [EKU.serverAuth],
      keyUsage: ['keyEncipherment'],
      san: [{ type: 'upn', value: 'alice@contoso.local' }],
      cdp: [['ldap:///CN=Contoso,CN=CDP']],
      notAfter: days(10),
    });
    const expired = await makeUser(pki, { notBefore: days(-400), notAfter: days(-1), san: [{ type: 'rfc822', value: 'alice@contoso.com' }] });
    const notCa = await makeCert({ subject: 'CN=Not A CA', issuer: pki.root, basicConstraints: null, keyUsage: ['digitalSignature'] });
    const orphan = await makeCert({ subject: 'CN=Bob', issuer: notCa, san: [{ type: 'dns', value: 'bob.contoso.com' }], cdp: null });
    const revokedCrl = await makeCrl({ issuer: pki.ca, revoked: [{ serial: pki.user.serial, reason: 'keyCompromise' }], thisUpdate: days(-10), nextUpdate: days(-1) });
    const otherKey = await makeCert({ subject: 'CN=Other', key: 'p256' });
    const forged = await makeCrl({ issuer: pki.ca, signingKey: otherKey.key, aki: false });
    const pasteDir = 'test/fixtures/paste';
    const broken = existsSync(pasteDir) ? readdirSync(pasteDir).filter((f) => f.includes('broken')).map((f) => readFileSync(`${pasteDir}/${f}`, 'utf8')) : [];

    const reports: Report[] = [
      await run([{ name: 'bad.cer', bytes: bad.der }, { name: 'ca.cer', bytes: pki.ca.der }], { upn: 'alice@contoso.com', target: 'entra' }),
      await run([{ name: 'expired.cer', bytes: expired.der }, { name: 'root.cer', bytes: pki.root.der }], { upn: 'alice@contoso.com' }),
      await run([{ name: 'bob.cer', bytes: orphan.der }, { name: 'notca.cer', bytes: notCa.der }, { name: 'root.cer', bytes: pki.root.der }], { upn: 'bob@contoso.com' }),
      await run(
        [{ name: 'user.cer', bytes: pki.user.der }, { name: 'ca.cer', bytes: pki.ca.der }, { name: 'root.cer', bytes: pki.root.der }, { name: 'junk.cer', bytes: new TextEncoder().encode('junk') }, { name: 'empty.cer', bytes: new Uint8Array() }, { name: 'user.pfx', bytes: pkcs12(pki.user) }],
        { upn: 'mallory@contoso.com', crlFiles: [{ name: 'revoked.crl', bytes: revokedCrl.der }, { name: 'forged.crl', bytes: forged.der }, { name: 'junk.crl', bytes: new Uint8Array([1, 2, 3]) }], pasted: broken },
      ),
    ];
    const seen = new Set<string>();
    for (const r of reports) {
      for (const c of r.checks) {
        if (c.status !== 'fail' && c.status !== 'warn') continue;
        seen.add(c.id);
        expect(c.remediation.length, `${c.id} (${c.status}): ${c.summary}`).toBeGreaterThan(0);
        for (const rem of c.remediation) expect(rem.text.trim().length + (rem.command?.length ?? 0), c.id).toBeGreaterThan(10);
      }
    }
    // The scenarios must actually reach a broad set of checks, or this test proves little.
    for (const id of ['input.files', 'cert.validity', 'cert.san-upn', 'cert.eku', 'cert.key-usage', 'cert.key', 'cert.cdp', 'chain.build', 'chain.path', 'crl.revocation', 'crl.freshness', 'crl.signature'])
      expect(seen, id).toContain(id);
    if (broken.length) expect([...seen].filter((id) => id.startsWith('config.')).length).toBeGreaterThanOrEqual(5);
  });
});
