import { describe, expect, it } from 'vitest';
import { days, makeCert, makePki, nameConstraintsExt, rootOptions, userOptions, type CertOptions, type GenCert } from '@/test/pki/gen';
import type { CertEntry } from '../types';
import { NAME_CONSTRAINT_BUDGET, validatePath } from './validate';

const now = new Date();
const P256 = { key: 'p256' } as const;
function entries(...certs: GenCert[]): CertEntry[] {
  return certs.map((g, i) => ({ ref: `c${i + 1}`, fileName: `c${i + 1}.cer`, source: 'upload', cert: g.cert }));
}
function rules(path: CertEntry[], complete = true) {
  return validatePath(path, { now, complete }).errors.map((e) => [e.ref, e.rule]);
}

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const len = body.length < 128 ? [body.length] : [0x81, body.length];
  return new Uint8Array([tag, ...len, ...body]);
}
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
type Base = { dns: string } | { email: string } | { ip: number[] } | { uri: string };
function base(b: Base): Uint8Array {
  if ('dns' in b) return der(0x82, ascii(b.dns));
  if ('email' in b) return der(0x81, ascii(b.email));
  if ('uri' in b) return der(0x86, ascii(b.uri));
  return der(0x87, new Uint8Array(b.ip));
}
function nameConstraints(permitted: Base[], excluded: Base[] = []) {
  const subtrees = (tag: number, list: Base[]) => (list.length ? [der(tag, ...list.map((b) => der(0x30, base(b))))] : []);
  return { oid: '2.5.29.30', critical: true, der: der(0x30, ...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded)) };
}

async function pkiWith(ca: Partial<CertOptions> = {}, user: Partial<CertOptions> = {}) {
  return makePki({ root: P256, ca: { ...P256, ...ca }, user: { ...P256, ...user } });
}

describe('validatePath', () => {
  it('accepts a healthy path', async () => {
    const p = await pkiWith();
    expect(validatePath(entries(p.user, p.ca, p.root), { now, complete: true })).toEqual({ valid: true, errors: [] });
  });

  it('rejects an issuer that is not a CA and names it', async () => {
    const p = await pkiWith({ basicConstraints: { ca: false } });
    expect(rules(entries(p.user, p.ca, p.root))).toEqual([['c2', 'basic-constraints']]);
    const q = await pkiWith({ basicConstraints: null });
    const v = validatePath(entries(q.user, q.ca, q.root), { now, complete: true });
    expect(v.errors[0].message).toContain('no basic constraints');
  });

  it('rejects an expired intermediate', async () => {
    const p = await pkiWith({ notBefore: days(-400), notAfter: days(-2) });
    const v = validatePath(entries(p.user, p.ca, p.root), { now, complete: true });
    expect(v.errors.map((e) => [e.ref, e.rule])).toEqual([['c2', 'validity']]);
    expect(v.errors[0].message).toMatch(/CA certificate expired on/);
  });

  it('rejects a bad signature on the user certificate', async () => {
    const p = await pkiWith({}, { badSignature: true });
    expect(rules(entries(p.user, p.ca, p.root))).toEqual([['c1', 'signature']]);
  });

  it('rejects a CA without keyCertSign and a CA chain deeper than pathLen', async () => {
    const p = await pkiWith({ keyUsage: ['cRLSign', 'digitalSignature'] });
    expect(rules(entries(p.user, p.ca, p.root))).toEqual([['c2', 'key-usage']]);

    const root = await makeCert(rootOptions(P256));
    const ca = await makeCert({ subject: 'CN=Policy CA', issuer: root, ...P256, basicConstraints: { ca: true, pathLen: 0 } });
    const issuing = await makeCert({ subject: 'CN=Issuing CA', issuer: ca, ...P256, basicConstraints: { ca: true } });
    const user = await makeCert({ ...userOptions(issuing), ...P256 });
    const v = validatePath(entries(user, issuing, ca, root), { now, complete: true });
    expect(v.errors.map((e) => [e.ref, e.rule])).toEqual([['c2', 'path-length']]);
    expect(v.errors[0].message).toContain('CN=Policy CA');

    // The root's own pathLen binds as well.
    const strictRoot = await makeCert(rootOptions({ ...P256, basicConstraints: { ca: true, pathLen: 0 } }));
    const sub = await makeCert({ subject: 'CN=Sub CA', issuer: strictRoot, ...P256, basicConstraints: { ca: true } });
    const leaf = await makeCert({ ...userOptions(sub), ...P256 });
    expect(rules(entries(leaf, sub, strictRoot))).toEqual([['c2', 'path-length']]);
  });

  it('rejects an unknown critical extension and accepts it when not critical', async () => {
    const unknown = { oid: '1.3.6.1.4.1.99999.1', der: new Uint8Array([0x05, 0x00]) };
    const p = await pkiWith({}, { extensions: [{ ...unknown, critical: true }] });
    expect(rules(entries(p.user, p.ca, p.root))).toEqual([['c1', 'critical-extension']]);
    const q = await pkiWith({}, { extensions: [unknown] });
    expect(rules(entries(q.user, q.ca, q.root))).toEqual([]);
  });

  it('enforces DNS, IP and e-mail name constraints', async () => {
    const nc = nameConstraints([{ dns: 'contoso.com' }, { ip: [10, 0, 0, 0, 255, 0, 0, 0] }], [{ email: '.blocked.contoso.com' }]);
    const root = await makeCert(rootOptions(P256));
    const ca = await makeCert({ subject: 'CN=Constrained CA', issuer: root, ...P256, basicConstraints: { ca: true }, extensions: [nc] });
    const user = (san: CertOptions['san']) => makeCert({ ...userOptions(ca), ...P256, san });
    const ok = await user([{ type: 'dns', value: 'host.contoso.com' }, { type: 'ip', value: '10.1.2.3' }, { type: 'rfc822', value: 'alice@contoso.com' }]);
    expect(rules(entries(ok, ca, root))).toEqual([]);
    const badDns = await user([{ type: 'dns', value: 'host.notcontoso.com' }]);
    const v = validatePath(entries(badDns, ca, root), { now, complete: true });
    expect(v.errors.map((e) => e.rule)).toEqual(['name-constraints']);
    expect(v.errors[0].message).toContain('DNS "host.notcontoso.com"');
    const badIp = await user([{ type: 'ip', value: '192.168.1.1' }]);
    expect(rules(entries(badIp, ca, root))).toEqual([['c1', 'name-constraints']]);
    const excluded = await user([{ type: 'rfc822', value: 'bob@mail.blocked.contoso.com' }]);
    expect(rules(entries(excluded, ca, root))).toEqual([['c1', 'name-constraints']]);
  });

  it('says the path does not reach a root when it is incomplete', async () => {
    const p = await pkiWith();
    const v = validatePath(entries(p.user, p.ca), { now, complete: false });
    expect(v.valid).toBe(false);
    expect(v.errors.map((e) => [e.ref, e.rule])).toEqual([['c2', 'trust-anchor']]);
  });

  it('rejects issuer names that do not chain even when the key matches', async () => {
    const p = await pkiWith();
    const user = await makeCert({ ...userOptions(p.ca), ...P256, issuerName: 'CN=Somebody Else' });
    expect(rules(entries(user, p.ca, p.root))).toEqual([['c1', 'name-chaining']]);
  });
});

describe('validatePath: validity and name constraints in full', () => {
  const at = (d: Date, ms: number) => new Date(d.getTime() + ms);

  it('compares validity at one-second resolution', async () => {
    const p = await pkiWith({}, { notAfter: new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000) });
    const end = p.user.cert.notAfter;
    const path = entries(p.user, p.ca, p.root);
    // Within the last second of validity (a fraction past the stamped second) the certificate is still valid.
    expect(validatePath(path, { now: at(end, 999), complete: true }).valid).toBe(true);
    expect(validatePath(path, { now: at(end, 1000), complete: true }).errors.map((e) => e.rule)).toEqual(['validity']);
    const start = p.user.cert.notBefore;
    expect(validatePath(path, { now: at(start, 0), complete: true }).valid).toBe(true);
  });

  async function constrained(nc: ReturnType<typeof nameConstraintsExt>, san: CertOptions['san'], userOver: Partial<CertOptions> = {}) {
    const root = await makeCert(rootOptions(P256));
    const ca = await makeCert({ subject: 'CN=Constrained CA', issuer: root, ...P256, basicConstraints: { ca: true }, extensions: [nc] });
    const user = await makeCert({ ...userOptions(ca), ...P256, san, ...userOver });
    return validatePath(entries(user, ca, root), { now, complete: true });
  }

  it('treats a wildcard SAN as every name it can match', async () => {
    const excl = nameConstraintsExt([], [{ dns: 'secret.contoso.com' }]);
    const v = await constrained(excl, [{ type: 'dns', value: '*.contoso.com' }]);
    expect(v.errors.map((e) => e.message)).toEqual([expect.stringMatching(/DNS "\*\.contoso\.com" can match a name in the excluded names .*secret\.contoso\.com/)]);
    // Names deeper than one label below the wildcard are out of its reach.
    expect((await constrained(nameConstraintsExt([], [{ dns: 'a.secret.contoso.com' }]), [{ type: 'dns', value: '*.contoso.com' }])).valid).toBe(true);
    // A wildcard under an excluded domain is excluded as a whole; under a permitted one it is allowed.
    expect((await constrained(nameConstraintsExt([], [{ dns: 'contoso.com' }]), [{ type: 'dns', value: '*.contoso.com' }])).valid).toBe(false);
    expect((await constrained(nameConstraintsExt([{ dns: 'contoso.com' }]), [{ type: 'dns', value: '*.contoso.com' }])).valid).toBe(true);
    const narrow = await constrained(nameConstraintsExt([{ dns: 'www.contoso.com' }]), [{ type: 'dns', value: '*.contoso.com' }]);
    expect(narrow.errors[0].message).toMatch(/can match names outside the permitted names/);
  });

  it('checks SAN syntax under a permitted subtree: an invalid name is a violation, not a match', async () => {
    const nc = nameConstraintsExt([{ dns: 'contoso.com' }, { email: 'contoso.com' }]);
    for (const [san, why] of [
      [{ type: 'dns', value: '.host.contoso.com' }, /starts with a period/],
      [{ type: 'dns', value: 'host..contoso.com' }, /empty label/],
      [{ type: 'dns', value: 'ho st.contoso.com' }, /characters a host name cannot hold/],
      [{ type: 'rfc822', value: 'alice@evil@contoso.com' }, /more than one "@"/],
    ] as const) {
      const v = await constrained(nc, [san]);
      expect(v.errors.map((e) => [e.rule, e.section]), san.value).toEqual([['name-constraints', 'RFC 5280 4.2.1.6 and 4.2.1.10']]);
      expect(v.errors[0].message).toMatch(why);
    }
    expect((await constrained(nc, [{ type: 'dns', value: 'host.contoso.com' }, { type: 'rfc822', value: 'alice@contoso.com' }])).valid).toBe(true);
  });

  it('makes the path invalid when a constraint itself is malformed', async () => {
    for (const base of [{ dns: '*.contoso.com' }, { dns: 'con toso.com' }, { email: 'a@b@contoso.com' }, { ip: [10, 0, 0, 0, 255, 0, 255, 0] }, { ip: [10, 0, 0, 0] }]) {
      const v = await constrained(nameConstraintsExt([base]), [{ type: 'dns', value: 'host.contoso.com' }]);
      expect(v.errors.map((e) => [e.ref, e.rule]), JSON.stringify(base)).toEqual([['c2', 'name-constraints']]);
      expect(v.errors[0].message).toMatch(/malformed/);
    }
  });

  it('rejects name constraints in an end-entity certificate', async () => {
    const p = await pkiWith({}, { extensions: [nameConstraintsExt([{ dns: 'contoso.com' }])] });
    const v = validatePath(entries(p.user, p.ca, p.root), { now, complete: true });
    expect(v.errors.map((e) => [e.ref, e.rule])).toEqual([['c1', 'name-constraints']]);
    expect(v.errors[0].message).toMatch(/end-entity certificate with a name constraints extension/);
  });

  it('refuses a name-constraint bomb with a message instead of comparing for seconds', async () => {
    const bases = Array.from({ length: 1100 }, (_, i) => ({ dns: `n${i}.contoso.com` }));
    const root = await makeCert(rootOptions(P256));
    const ca = await makeCert({ subject: 'CN=Bomb CA', issuer: root, ...P256, basicConstraints: { ca: true }, extensions: [nameConstraintsExt(bases, bases.map((b) => ({ dns: `x.${b.dns}` })))] });
    const san = Array.from({ length: 1100 }, (_, i) => ({ type: 'dns' as const, value: `h${i}.n${i}.contoso.com` }));
    const user = await makeCert({ ...userOptions(ca), ...P256, san });
    const v = validatePath(entries(user, ca, root), { now, complete: true });
    expect(v.errors.map((e) => [e.ref, e.rule])).toEqual([['c1', 'name-constraints']]);
    expect(v.errors[0].message).toMatch(/more than 1,048,576 comparisons/);
    expect(NAME_CONSTRAINT_BUDGET).toBe(2 ** 20);
  });
});
