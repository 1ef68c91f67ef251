// The user-certificate candidates come from an index (issuerOfAnother) instead of a scan of every pair: they must be
// exactly the leaves of the pairwise definition, on real PKIs and on every mix of key ids and names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cert } from './cert';
import { issuerOfAnother, issues, selectUser } from './collect';
import type { CertEntry } from './types';
import { makeCert, makePki, makeUser } from '@/test/pki/gen';

const pairwiseLeaves = (certs: CertEntry[], issued = issues) => certs.filter((e) => !certs.some((o) => issued(e.cert, o.cert)));
const entry = (cert: Cert, i: number): CertEntry => ({ ref: `c${i + 1}`, fileName: `f${i}.cer`, source: 'upload', cert });

describe('selectUser candidates', () => {
  it('are the end-entity certificates of a real upload, whatever the order', async () => {
    const pki = await makePki();
    const bob = await makeUser(pki, { key: 'p256' }, { upn: 'bob@contoso.com' });
    // A leaf without key identifiers, issued by the CA's name only.
    const bare = await makeCert({ subject: 'CN=Bare', issuer: pki.ca, key: 'p256', aki: false, ski: false });
    const certs = [pki.root, pki.ca, pki.user, bob, bare].map((g, i) => entry(g.cert, i));
    const refs = (l: CertEntry[]) => l.map((e) => e.ref).sort();
    expect(refs(selectUser(certs).candidates)).toEqual(['c3', 'c4', 'c5']);
    expect(refs(selectUser([...certs].reverse()).candidates)).toEqual(['c3', 'c4', 'c5']);
    const leaves = issuerOfAnother(certs);
    expect(certs.filter((e) => !leaves(e.cert))).toEqual(pairwiseLeaves(certs));
  });

  it('the index finds exactly the pairwise leaves for any mix of key ids and names', () => {
    // Fake certificates carry no signature, so the predicate here is the key-id/name part of `issues`: the index must
    // never skip a pair that predicate links.
    const byIdsOrNames = (issuer: Cert, subject: Cert) => {
      if (issuer === subject) return false;
      if (subject.aki?.keyId && issuer.ski) return subject.aki.keyId === issuer.ski;
      return subject.issuer.key === issuer.subject.key;
    };
    const ids = fc.constantFrom('k1', 'k2', 'k3');
    const names = fc.constantFrom('n1', 'n2', 'n3');
    const fake = fc.record({ ski: fc.option(ids, { nil: undefined }), aki: fc.option(ids, { nil: undefined }), subject: names, issuer: names });
    fc.assert(
      fc.property(fc.array(fake, { maxLength: 8 }), (specs) => {
        const certs = specs.map((s, i) =>
          entry({ version: 3, selfIssued: s.subject === s.issuer, ski: s.ski, aki: s.aki ? { keyId: s.aki } : undefined, subject: { key: s.subject }, issuer: { key: s.issuer } } as unknown as Cert, i),
        );
        const leaf = issuerOfAnother(certs, byIdsOrNames);
        expect(certs.filter((e) => !leaf(e.cert)).map((e) => e.ref)).toEqual(pairwiseLeaves(certs, byIdsOrNames).map((e) => e.ref));
      }),
      { numRuns: 2000 },
    );
  });
});
