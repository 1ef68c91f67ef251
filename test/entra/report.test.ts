// The tenant inputs in the whole report: the target, cert.san-upn reading the binding result, cert.user-ids
// comparing with the pasted user.
import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { check, diagnoseEntra } from './diagnose';
import { classicStoreGraph, json, methodGraph, pkiStoreGraph, userGraph } from './fixtures';

let pki: Pki;
beforeAll(async () => {
  // A non-routable UPN in the SAN: allowed for Entra native CBA when a binding maps the certificate.
  pki = await makePki({ upn: 'alice@contoso.local' });
});

const skiPolicy = json(methodGraph({ defaultAffinity: 'high', bindings: [{ field: 'SubjectKeyIdentifier', property: 'certificateUserIds', priority: 1 }] }));

describe('Entra tenant data in the report', () => {
  it('sets the target to entra when tenant data is pasted and realm discovery did not answer', async () => {
    const r = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [skiPolicy] });
    expect(r.target).toBe('entra');
    const none = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [] });
    expect(none.target).toBe('unknown');
  });

  it('the classic store alone keeps the target; with Entra-only data, entra.trust-store replaces config.trusted-cas', async () => {
    const store = [{ cert: pki.root, root: true, crl: 'http://pki.contoso.com/crl/contoso-root.crl' }, { cert: pki.ca, root: false, crl: 'http://pki.contoso.com/crl/contoso-issuing.crl' }];
    const ids = ['entra.trust-store', 'config.trusted-cas'];
    const classic = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [json(classicStoreGraph(store))], ids });
    expect(classic.target).toBe('unknown');
    expect(check(classic, 'config.trusted-cas').status).not.toBe('skip');
    const pkiStore = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [json(pkiStoreGraph(store))], ids });
    expect(pkiStore.target).toBe('entra');
    expect(check(pkiStore, 'config.trusted-cas').status).toBe('skip');
    expect(check(pkiStore, 'config.trusted-cas').summary).toContain('entra.trust-store');
    expect(check(pkiStore, 'entra.trust-store').status).toBe('pass');
  });

  it('cert.san-upn: a non-routable SAN UPN is informational when the SKI binding maps the certificate to the user', async () => {
    const user = json(userGraph({ upn: 'alice@contoso.com', ids: [`X509:<SKI>${pki.user.ski}`] }));
    const r = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [skiPolicy, user] });
    const san = check(r, 'cert.san-upn');
    expect(san.status).toBe('info');
    expect(san.summary).toContain('SubjectKeyIdentifier → certificateUserIds maps the certificate to the user');
    expect(check(r, 'entra.user-binding').status).toBe('pass');
  });

  // entra.user-binding fails for that; cert.san-upn stays a warning (issue 10: one cause, one failure).
  it('cert.san-upn: a warning naming the binding, not a second failure, when no binding maps the certificate either', async () => {
    const user = json(userGraph({ upn: 'alice@contoso.com', ids: [] }));
    const r = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [skiPolicy, user] });
    const san = check(r, 'cert.san-upn');
    expect(san.status).toBe('warn');
    expect(san.summary).toContain('no username binding maps the certificate to the user either');
    expect(check(r, 'entra.user-binding').status).toBe('fail');
  });

  it('cert.user-ids compares the values to write with the pasted user\'s certificateUserIds', async () => {
    const user = json(userGraph({ upn: 'alice@contoso.com', ids: [`X509:<SKI>${pki.user.ski}`, 'X509:<PN>bob@contoso.com'] }));
    const r = await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes: [skiPolicy, user] });
    const ids = check(r, 'cert.user-ids');
    expect(ids.status).toBe('info');
    expect(ids.summary).toContain("The pasted user's certificateUserIds (2 values) hold SKI.");
    const values = (ids.evidence as { values: { mapping: string; onUser?: boolean }[] }).values;
    expect(values.find((v) => v.mapping === 'SKI')?.onUser).toBe(true);
    expect(values.find((v) => v.mapping === 'PrincipalName')?.onUser).toBe(false);
  });
});
