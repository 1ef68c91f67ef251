import { describe, expect, it } from 'vitest';
import { days, genKey, makeCert, makePki, rootOptions, userOptions, type GenCert } from '@/test/pki/gen';
import type { CertEntry } from '../types';
import { buildChain } from './build';

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
