// The user-certificate candidates: counted in one pass, they must be exactly those of the pairwise definition
// (not a CA, issuer of no other certificate of the upload), on real PKIs and on every mix of key ids and names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cert } from './cert';
import { isCaCert } from './cert';
import { issues, selectUser } from './collect';
import type { CertEntry } from './types';
import { makeCert, makePki, makeUser } from '@/test/pki/gen';

const pairwise = (certs: CertEntry[]) => certs.filter((e) => !isCaCert(e.cert) && !certs.some((o) => issues(e.cert, o.cert)));
const entry = (cert: Cert, i: number): CertEntry => ({ ref: `c${i + 1}`, fileName: `f${i}.cer`, source: 'upload', cert });

describe('selectUser candidates', () => {
  it('are the end-entity certificates of a real upload, whatever the order', async () => {
    const pki = await makePki();
    const bob = await makeUser(pki, { key: 'p256' }, { upn: 'bob@contoso.com' });
    // A leaf without key identifiers, issued by the CA's name only.
    const bare = await makeCert({ subject: 'CN=Bare', issuer: pki.ca, key: 'p256', aki: false, ski: false });
    const certs = [pki.root, pki.ca, pki.user, bob, bare].map((g, i) => entry(g.cert, i));
    expect(selectUser(certs).candidates.map((e) => e.ref)).toEqual(['c3', 'c4', 'c5']);
    expect(selectUser([...certs].reverse()).candidates.map((e) => e.ref)).toEqual(['c5', 'c4', 'c3']);
    expect(selectUser(certs).candidates).toEqual(pairwise(certs));
  });

  it('match the pairwise definition for any mix of key ids, names and CA flags', () => {
    const ids = fc.constantFrom('k1', 'k2', 'k3');
    const names = fc.constantFrom('n1', 'n2', 'n3');
    const fake = fc.record({ ski: fc.option(ids, { nil: undefined }), aki: fc.option(ids, { nil: undefined }), subject: names, issuer: names, ca: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fake, { maxLength: 8 }), (specs) => {
        const certs = specs.map((s, i) =>
          entry({ version: 3, selfIssued: s.subject === s.issuer, ski: s.ski, aki: s.aki ? { keyId: s.aki } : undefined, subject: { key: s.subject }, issuer: { key: s.issuer }, basicConstraints: s.ca ? { ca: true } : undefined } as unknown as Cert, i),
        );
        expect(selectUser(certs).candidates.map((e) => e.ref)).toEqual(pairwise(certs).map((e) => e.ref));
      }),
      { numRuns: 2000 },
    );
  });
});
