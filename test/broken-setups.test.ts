// Issue 17: every broken setup the test generator can make, through the whole pipeline (real collectors, every
// registered check, offline with the CRLs given as files). One cause is one failure: exactly the expected checks
// fail (the rest pass, inform, or are not tested because of them), and every fix of a failing check is addressed
// to the right certificate: its role (user certificate, intermediate CA, root CA) and its subject.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '@/lib/report/schema';
import { diagnose } from '@/test/pki/diagnose';
import { days, EKU, makeCert, makeCrl, makePki, type CertOptions, type GenCert, type GenCrl, type Pki } from '@/test/pki/gen';

const P256 = { key: 'p256' } as const;

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const len = body.length < 128 ? [body.length] : [0x81, body.length];
  return new Uint8Array([tag, ...len, ...body]);
}
/** A critical name constraints extension permitting only e-mail addresses under `domain`. */
function permitEmailsUnder(domain: string) {
  const email = der(0x81, new Uint8Array(Buffer.from(domain, 'latin1')));
  return { oid: '2.5.29.30', critical: true, der: der(0x30, der(0xa0, der(0x30, email))) };
}

interface Setup {
  pki: Pki;
  /** Uploaded certificates (default user, issuing CA, root). */
  certs?: GenCert[];
  /** The issuing CA's CRL and the root's CRL, given as files (defaults: empty current CRLs). */
  caCrl?: GenCrl;
  rootCrl?: GenCrl;
}
interface Fix {
  /** Words that name the certificate's role in the fix. */
  role: RegExp;
  /** Whose subject the fix names. */
  subject: 'user' | 'ca' | 'root';
}
interface Case {
  name: string;
  make: () => Promise<Setup>;
  fails: string[];
  /** Per failing check, who its fix is addressed to. */
  fixes: Record<string, Fix>;
  /** Words no fix of this case may use (the fix of another role). */
  never?: RegExp;
  /** Checks not tested because of the cause: id → blockedBy. */
  blocked?: Record<string, string[]>;
  /** Other expectations on the report (a check that passes with a note...). */
  also?: (r: Report, s: Setup) => void;
}

const pkiWith = (o: { ca?: Partial<CertOptions>; user?: Partial<CertOptions> } = {}) =>
  makePki({ root: P256, ca: { ...P256, aia: null, ...o.ca }, user: { ...P256, aia: null, ...o.user } });

const USER: Fix = { role: /user certificate/i, subject: 'user' };
const CA: Fix = { role: /intermediate CA certificate|issuing CA|CA certificate/i, subject: 'ca' };
const RENEW_CA = /renew (it|the CA certificate) on (that|the) CA/i;

const CASES: Case[] = [
  {
    name: 'expired user certificate',
    make: async () => ({ pki: await pkiWith({ user: { notBefore: days(-400), notAfter: days(-1) } }) }),
    fails: ['cert.validity'],
    fixes: { 'cert.validity': USER },
    never: RENEW_CA,
    also: (r, s) => {
      // chain.path judged the CAs and the links, and names the user finding it left to cert.validity.
      const path = r.checks.find((c) => c.id === 'chain.path')!;
      expect(path.status).toBe('pass');
      expect(path.summary).toContain(`Left to other checks: the user certificate "${s.pki.user.cert.subject.display}" breaks the validity period rule (cert.validity).`);
      expect(path.evidence.leftToOtherChecks).toMatchObject([{ rule: 'validity', check: 'cert.validity', subject: s.pki.user.cert.subject.display }]);
      expect(path.remediation).toEqual([]);
    },
  },
  {
    name: 'expired intermediate CA',
    make: async () => ({ pki: await pkiWith({ ca: { notBefore: days(-800), notAfter: days(-5) } }) }),
    fails: ['chain.path'],
    fixes: { 'chain.path': { role: /intermediate CA certificate/, subject: 'ca' } },
  },
  {
    name: 'intermediate that is not a CA',
    make: async () => ({ pki: await pkiWith({ ca: { basicConstraints: { ca: false } } }) }),
    fails: ['chain.path'],
    fixes: { 'chain.path': { role: /intermediate CA certificate/, subject: 'ca' } },
  },
  {
    name: 'intermediate without keyCertSign',
    make: async () => ({ pki: await pkiWith({ ca: { keyUsage: ['cRLSign', 'digitalSignature'] } }) }),
    fails: ['chain.path'],
    fixes: { 'chain.path': { role: /intermediate CA certificate/, subject: 'ca' } },
  },
  {
    name: 'user certificate with the wrong EKU',
    make: async () => ({ pki: await pkiWith({ user: { eku: [EKU.serverAuth] } }) }),
    fails: ['cert.eku'],
    fixes: { 'cert.eku': USER },
    never: RENEW_CA,
  },
  {
    name: 'revoked user certificate',
    make: async () => {
      const pki = await pkiWith();
      return { pki, caCrl: await makeCrl({ issuer: pki.ca, revoked: [{ serial: pki.user.serial, reason: 'keyCompromise' }] }) };
    },
    fails: ['crl.revocation'],
    fixes: { 'crl.revocation': USER },
    never: RENEW_CA,
  },
  {
    name: 'revoked intermediate CA',
    make: async () => {
      const pki = await pkiWith();
      return { pki, rootCrl: await makeCrl({ issuer: pki.root, revoked: [{ serial: pki.ca.serial, reason: 'cACompromise' }] }) };
    },
    fails: ['crl.revocation'],
    fixes: { 'crl.revocation': { role: /intermediate CA certificate/, subject: 'ca' } },
  },
  {
    name: 'missing intermediate CA',
    make: async () => {
      const pki = await pkiWith();
      return { pki, certs: [pki.user, pki.root] };
    },
    fails: ['chain.build'],
    fixes: { 'chain.build': { role: /CA/, subject: 'ca' } },
    blocked: { 'chain.path': ['chain.build'], 'crl.signature': ['chain.build'], 'crl.revocation': ['chain.build'] },
  },
  {
    name: 'name constraint violation',
    make: async () => {
      const pki = await pkiWith({
        ca: { extensions: [permitEmailsUnder('fabrikam.com')] },
        user: { san: [{ type: 'upn', value: 'alice@contoso.com' }, { type: 'rfc822', value: 'alice@contoso.com' }] },
      });
      return { pki };
    },
    fails: ['chain.path'],
    fixes: { 'chain.path': USER },
  },
  {
    name: 'expired CRL of the issuing CA',
    make: async () => {
      const pki = await pkiWith();
      return { pki, caCrl: await makeCrl({ issuer: pki.ca, thisUpdate: days(-10), nextUpdate: days(-1) }) };
    },
    fails: ['crl.freshness'],
    fixes: { 'crl.freshness': { role: /CA/, subject: 'ca' } },
    blocked: { 'crl.revocation': ['crl.freshness'] },
  },
  {
    name: 'CRL from another CA instead of the issuing CA',
    make: async () => {
      const pki = await pkiWith();
      const other = await makeCert({ subject: 'CN=Fabrikam Issuing CA, O=Fabrikam, C=US', ...P256, basicConstraints: { ca: true } });
      return { pki, caCrl: await makeCrl({ issuer: other }) };
    },
    fails: ['crl.signature'],
    fixes: { 'crl.signature': { role: /issuing CA|CA/, subject: 'ca' } },
    blocked: { 'crl.revocation': ['crl.signature'] },
  },
];

async function run(s: Setup): Promise<Report> {
  const { pki } = s;
  const caCrl = s.caCrl ?? (await makeCrl({ issuer: pki.ca }));
  const rootCrl = s.rootCrl ?? (await makeCrl({ issuer: pki.root }));
  return diagnose({
    files: (s.certs ?? [pki.user, pki.ca, pki.root]).map((g, i) => ({ name: `${['user', 'issuing', 'root'][i] ?? 'cert'}.cer`, bytes: g.der })),
    crlFiles: [
      { name: 'issuing.crl', bytes: caCrl.der },
      { name: 'root.crl', bytes: rootCrl.der },
    ],
    upn: 'alice@contoso.com',
    target: 'adfs',
  });
}

const cn = (g: GenCert) => g.cert.subject.display;

describe('every broken setup the generator makes: one cause, one failure, a fix for the right certificate', () => {
  let healthy: Report;
  beforeAll(async () => {
    healthy = await run({ pki: await pkiWith() });
  });

  it('the healthy setup fails nothing (so every failure below comes from its one change)', () => {
    expect(healthy.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const s = await c.make();
    const r = await run(s);
    const failing = r.checks.filter((x) => x.status === 'fail');
    expect(failing.map((x) => x.id).sort(), failing.map((x) => `${x.id}: ${x.summary}`).join('\n')).toEqual([...c.fails].sort());
    expect(r.checks.filter((x) => x.status === 'error').map((x) => `${x.id}: ${x.summary}`)).toEqual([]);
    expect(r.summary.rootCauses?.[0]).toBe(c.fails[0]);
    for (const x of failing) {
      const fix = c.fixes[x.id];
      const text = x.remediation.map((m) => m.text).join('\n');
      const who = fix.subject === 'user' ? s.pki.user : fix.subject === 'ca' ? s.pki.ca : s.pki.root;
      expect(text, `${x.id} fix names the role`).toMatch(fix.role);
      expect(text, `${x.id} fix names the subject`).toContain(cn(who).split(',')[0]);
      if (c.never) expect(text, `${x.id} fix is for another certificate`).not.toMatch(c.never);
    }
    for (const [id, by] of Object.entries(c.blocked ?? {})) {
      const b = r.checks.find((x) => x.id === id)!;
      expect([id, b.blockedBy, b.status === 'skip' || b.status === 'info']).toEqual([id, by, true]);
      expect(b.summary).toMatch(/^Not tested/);
    }
    c.also?.(r, s);
  });
});
