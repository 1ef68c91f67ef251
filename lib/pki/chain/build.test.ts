import { describe, expect, it } from 'vitest';
import { days, genKey, makeCert, makePki, nameConstraintsExt, rootOptions, userOptions, type GenCert } from '@/test/pki/gen';
import type { CertEntry } from '../types';
import { buildChain, MAX_CANDIDATES, MAX_CAS } from './build';

const now = new Date();
let n = 0;
function entry(g: GenCert, source: CertEntry['source'] = 'upload'): CertEntry {
  n++;
  return { ref: `c${n}`, fileName: `${g.subject}.cer`, source, cert: g.cert };
}
const subjects = (path: CertEntry[]) => path.map((e) => e.cert.subject.display);

describe('buildChain', () => {
  it('builds user → issuing CA → root from an unordered set', async () => {
    const pki = await makePki();
    const [root, ca, user] = [entry(pki.root), entry(pki.ca), entry(pki.user)];
    const chain = buildChain({ user, certs: [root, user, ca], now });
    expect(chain.complete).toBe(true);
    expect(chain.path.map((e) => e.ref)).toEqual([user.ref, ca.ref, root.ref]);
    expect(chain.rootSource).toBe('upload');
    expect(chain.links?.map((l) => [l.matchedBy, l.signatureVerified])).toEqual([
      ['key-id+name', true],
      ['key-id+name', true],
    ]);
  });

  it('reports the missing intermediate with its name, key id and AIA location', async () => {
    const pki = await makePki();
    const user = entry(pki.user);
    const chain = buildChain({ user, certs: [user, entry(pki.root)], now });
    expect(chain.complete).toBe(false);
    expect(chain.path).toEqual([user]);
    expect(chain.missing).toEqual({ issuer: pki.ca.cert.subject.display, keyId: pki.ca.ski, aiaUrls: ['http://pki.contoso.com/aia/contoso-issuing.crt'] });
  });

  it('prefers the CA certificate whose key signed the user certificate when a renewed CA keeps its name', async () => {
    const pki = await makePki();
    // Same subject, another key: the CA before a renewal with a new key.
    const oldCa = await makeCert({ subject: pki.ca.subject, issuer: pki.root, basicConstraints: { ca: true }, keyUsage: ['keyCertSign', 'cRLSign'] });
    const user = entry(pki.user);
    const old = entry(oldCa);
    const current = entry(pki.ca);
    const chain = buildChain({ user, certs: [old, user, entry(pki.root), current], now });
    expect(chain.complete).toBe(true);
    expect(chain.path[1]).toBe(current);
    expect(chain.links![0].alternatives).not.toContain(old.ref);
  });

  it('prefers the CA certificate valid now when an expired copy of the same CA is also given', async () => {
    const pki = await makePki();
    const expired = await makeCert({ subject: pki.ca.subject, key: pki.ca.key, issuer: pki.root, basicConstraints: { ca: true }, notBefore: days(-800), notAfter: days(-400) });
    const user = entry(pki.user);
    const stale = entry(expired);
    const current = entry(pki.ca);
    const chain = buildChain({ user, certs: [stale, current, user, entry(pki.root)], now });
    expect(chain.path[1]).toBe(current);
    expect(chain.links![0].alternatives).toEqual([stale.ref]);
  });

  it('follows a cross-signed CA to whichever root is available', async () => {
    const rootA = await makeCert(rootOptions({ subject: 'CN=Root A, O=Contoso' }));
    const rootB = await makeCert(rootOptions({ subject: 'CN=Root B, O=Fabrikam' }));
    const caKey = await genKey();
    const caByA = await makeCert({ subject: 'CN=Shared Issuing CA, O=Contoso', key: caKey, issuer: rootA, basicConstraints: { ca: true } });
    const caByB = await makeCert({ subject: 'CN=Shared Issuing CA, O=Contoso', key: caKey, issuer: rootB, basicConstraints: { ca: true } });
    const userCert = await makeCert(userOptions(caByA));
    const user = entry(userCert);
    const a = entry(caByA);
    const b = entry(caByB);
    const onlyB = buildChain({ user, certs: [user, a, b, entry(rootB)], now });
    expect(onlyB.complete).toBe(true);
    expect(subjects(onlyB.path)).toEqual([userCert.cert.subject.display, caByB.cert.subject.display, rootB.cert.subject.display]);
    expect(onlyB.path[1]).toBe(b);

    const both = buildChain({ user, certs: [user, a, b, entry(rootA), entry(rootB)], now });
    expect(both.complete).toBe(true);
    const other = both.path[1] === a ? b : a;
    expect(both.links![0].alternatives).toEqual([other.ref]);
  });

  it('stops on a loop of CAs that certify each other', async () => {
    const kx = await genKey();
    const ky = await genKey();
    const xSelf = await makeCert({ subject: 'CN=CA X', key: kx, basicConstraints: { ca: true } });
    const ySelf = await makeCert({ subject: 'CN=CA Y', key: ky, basicConstraints: { ca: true } });
    // X certified by Y and Y certified by X; neither self-signed copy is given.
    const xByY = await makeCert({ subject: 'CN=CA X', key: kx, issuer: ySelf, basicConstraints: { ca: true } });
    const yByX = await makeCert({ subject: 'CN=CA Y', key: ky, issuer: xSelf, basicConstraints: { ca: true } });
    const userCert = await makeCert(userOptions(xByY));
    const user = entry(userCert);
    const chain = buildChain({ user, certs: [user, entry(xByY), entry(yByX)], now });
    expect(chain.complete).toBe(false);
    expect(chain.path).toHaveLength(3);
    expect(chain.missing?.issuer).toBe('CN=CA X');
  });

  it('uses a root fetched through AIA and says so', async () => {
    const pki = await makePki();
    const user = entry(pki.user);
    const chain = buildChain({ user, certs: [user, entry(pki.ca)], aiaCerts: [{ ...entry(pki.root, 'aia'), url: 'http://pki.contoso.com/aia/contoso-root.crt' }], now });
    expect(chain.complete).toBe(true);
    expect(chain.rootSource).toBe('aia');
  });

  it('keeps a path whose root signature is broken, so validation can name it', async () => {
    const root = await makeCert(rootOptions({ badSignature: true }));
    const ca = await makeCert({ subject: 'CN=Issuing', issuer: root, basicConstraints: { ca: true } });
    const userCert = await makeCert(userOptions(ca));
    const user = entry(userCert);
    const chain = buildChain({ user, certs: [user, entry(ca), entry(root)], now });
    expect(chain.complete).toBe(true);
    expect(chain.path).toHaveLength(3);
  });
});

describe('buildChain explores every candidate path (RFC 4158)', () => {
  const validOf = (c: ReturnType<typeof buildChain>) => [c.complete, c.validation?.valid];
  const shuffle = <T>(xs: T[], seed: number) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };

  it('picks the valid copy of a duplicated intermediate whatever the file order', async () => {
    const root = await makeCert(rootOptions());
    const key = await genKey();
    // Same name and key twice: one copy limited by a name constraint the user breaks, one without it.
    const constrained = await makeCert({ subject: 'CN=Dup Issuing CA', key, issuer: root, basicConstraints: { ca: true, critical: true }, extensions: [nameConstraintsExt([{ email: 'fabrikam.com' }])] });
    const open = await makeCert({ subject: 'CN=Dup Issuing CA', key, issuer: root, basicConstraints: { ca: true, critical: true } });
    const userCert = await makeCert(userOptions(constrained, {}, { san: [{ type: 'rfc822', value: 'alice@contoso.com' }] }));
    const user = entry(userCert);
    const c = entry(constrained);
    const o = entry(open);
    const r = entry(root);
    for (const certs of [[user, c, o, r], [user, o, c, r], [r, o, c, user], [r, c, o, user]]) {
      const chain = buildChain({ user, certs, now });
      expect(validOf(chain)).toEqual([true, true]);
      expect(chain.path[1]).toBe(o);
      expect(chain.tried).toBe(2);
      expect(chain.candidates?.map((x) => [x.chosen, x.valid])).toEqual([
        [true, true],
        [false, false],
      ]);
      expect(chain.candidates?.[1].problems.map((p) => p.rule)).toEqual(['name-constraints']);
    }
  });

  it('takes the good cross-certificate when the other one is expired or not a CA, in any order', async () => {
    const rootA = await makeCert(rootOptions({ subject: 'CN=Root A, O=Contoso' }));
    const rootB = await makeCert(rootOptions({ subject: 'CN=Root B, O=Fabrikam' }));
    const key = await genKey();
    const expiredByA = await makeCert({ subject: 'CN=Cross CA', key, issuer: rootA, basicConstraints: { ca: true }, notBefore: days(-900), notAfter: days(-10) });
    const noBcByA = await makeCert({ subject: 'CN=Cross CA', key, issuer: rootA, basicConstraints: null });
    const goodByB = await makeCert({ subject: 'CN=Cross CA', key, issuer: rootB, basicConstraints: { ca: true }, notBefore: days(-30) });
    const userCert = await makeCert(userOptions(goodByB));
    const user = entry(userCert);
    const all = [user, entry(expiredByA), entry(noBcByA), entry(goodByB), entry(rootA), entry(rootB)];
    const chosen = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const chain = buildChain({ user, certs: shuffle(all, seed), now });
      expect(validOf(chain)).toEqual([true, true]);
      expect(chain.path.map((e) => e.cert.subject.display)).toEqual([userCert.cert.subject.display, 'CN=Cross CA', 'CN=Root B, O=Fabrikam']);
      chosen.add(chain.path[1].cert.sha256);
      expect(chain.tried).toBe(3);
    }
    expect([...chosen]).toEqual([goodByB.cert.sha256]);
    // Without root B, no path is valid: the best one is reported with the count of the others.
    const noB = buildChain({ user, certs: all.filter((e) => e.cert !== rootB.cert), now });
    expect(validOf(noB)).toEqual([true, false]);
    expect(noB.tried).toBe(3); // two through root A, one stopping at the missing root B
    expect(noB.validation?.errors).toHaveLength(1);
  });

  it('prefers the CA inside a name constraint over one outside it', async () => {
    const root = await makeCert(rootOptions({ extensions: [nameConstraintsExt([{ dns: 'contoso.com' }])] }));
    const key = await genKey();
    const outside = await makeCert({ subject: 'CN=Web CA', key, issuer: root, basicConstraints: { ca: true }, san: [{ type: 'dns', value: 'ca.fabrikam.com' }] });
    const inside = await makeCert({ subject: 'CN=Web CA', key, issuer: root, basicConstraints: { ca: true }, san: [{ type: 'dns', value: 'ca.contoso.com' }] });
    const userCert = await makeCert(userOptions(inside, {}, { san: [{ type: 'dns', value: 'host.contoso.com' }] }));
    const user = entry(userCert);
    for (const certs of [[user, entry(outside), entry(inside), entry(root)], [entry(root), entry(inside), entry(outside), user]]) {
      const chain = buildChain({ user, certs, now });
      expect(validOf(chain)).toEqual([true, true]);
      expect(chain.path[1].cert.sha256).toBe(inside.cert.sha256);
    }
  });

  it('stays bounded on a mesh of cross-signed CAs and says so', async () => {
    const root = await makeCert(rootOptions());
    const keys = await Promise.all(Array.from({ length: 6 }, () => genKey('p256')));
    const self = await Promise.all(keys.map((key, i) => makeCert({ subject: `CN=Mesh ${i}`, key, basicConstraints: { ca: true } })));
    const certs: CertEntry[] = [];
    // Every mesh CA certified by every other: thousands of loop-free orderings.
    for (let i = 0; i < keys.length; i++)
      for (let j = 0; j < keys.length; j++) if (i !== j) certs.push(entry(await makeCert({ subject: `CN=Mesh ${i}`, key: keys[i], issuer: self[j], basicConstraints: { ca: true } })));
    const userCert = await makeCert(userOptions(self[5]));
    const user = entry(userCert);
    // No way out of the mesh: the search ends at its bounds with the longest partial path.
    const closed = buildChain({ user, certs: [user, ...certs], now });
    expect(closed.complete).toBe(false);
    expect(closed.truncated).toBe(true);
    expect(closed.tried).toBeLessThanOrEqual(MAX_CANDIDATES);
    expect(closed.path.length).toBeLessThanOrEqual(MAX_CAS + 1);
    // With a root certifying mesh 0, the shortest valid path is found first.
    const rooted = buildChain({ user, certs: [user, ...certs, entry(await makeCert({ subject: 'CN=Mesh 0', key: keys[0], issuer: root, basicConstraints: { ca: true } })), entry(root)], now });
    expect(validOf(rooted)).toEqual([true, true]);
    expect(rooted.path.map((e) => e.cert.subject.display)).toEqual([userCert.cert.subject.display, 'CN=Mesh 5', 'CN=Mesh 0', rootOptions().subject]);
  });

});
