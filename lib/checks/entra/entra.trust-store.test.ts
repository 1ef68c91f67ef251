import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCrl, makePki, PKI_URLS, type Pki } from '@/test/pki/gen';
import { serve, startLoopback, type Handler, type Loopback } from '@/test/net/loopback';
import { check, diagnoseEntra } from '@/test/entra/diagnose';
import { classicStoreGraph, json, pkiStoreGraph, pkiStorePowerShell, psJson, type StoreCa } from '@/test/entra/fixtures';

const ID = 'entra.trust-store';
type Ev = { cas: { ca: string; status: string; problems: string[]; crls: { url: string; status: string; result: string; crlIssuer?: string }[] }[] };

let lb: Loopback;
let pki: Pki;
let other: Pki;
let urls: ReturnType<typeof PKI_URLS>;
const routes: Record<string, Handler> = {};
beforeAll(async () => {
  lb = await startLoopback(routes);
  const base = lb.url('');
  urls = PKI_URLS(base);
  pki = await makePki({ baseUrl: base });
  other = await makePki({ root: { subject: 'CN=Fabrikam Root CA, O=Fabrikam, C=US' }, ca: { subject: 'CN=Fabrikam Issuing CA, O=Fabrikam, C=US' } });
  routes['/crl/contoso-issuing.crl'] = serve((await makeCrl({ issuer: pki.ca })).der);
  routes['/crl/contoso-root.crl'] = serve((await makeCrl({ issuer: pki.root })).der);
  routes['/crl/fabrikam-issuing.crl'] = serve((await makeCrl({ issuer: other.ca })).der);
});
afterAll(() => lb?.close());

const healthy = (): StoreCa[] => [
  { cert: pki.root, root: true, crl: urls.rootCrl },
  { cert: pki.ca, root: false, crl: urls.caCrl },
];
const judge = async (pastes: string[], network = true) => check(await diagnoseEntra({ certs: [pki.user, pki.ca, pki.root], pastes, network, ids: [ID] }), ID);

describe('entra.trust-store', () => {
  it('passes the chain in the PKI-based store with CRL URLs serving each CA\'s own CRL (fetched on loopback)', async () => {
    const r = await judge([json(pkiStoreGraph(healthy()))]);
    expect(r.status).toBe('pass');
    const ev = r.evidence as Ev;
    expect(ev.cas.map((c) => c.crls.map((x) => [x.url, x.status]))).toEqual([[[urls.caCrl, 'pass']], [[urls.rootCrl, 'pass']]]);
    expect(lb.hits).toContain('/crl/contoso-issuing.crl');
  });

  it('reads the PowerShell form (certificate as a byte array) to the same verdicts', async () => {
    const g = await judge([json(pkiStoreGraph(healthy()))]);
    const p = await judge([psJson(pkiStorePowerShell(healthy()))]);
    expect(p.status).toBe(g.status);
    // Only where each entry sits in the paste differs.
    const strip = (e: Ev) => JSON.parse(JSON.stringify(e.cas).replace(/"where":"[^"]*"/g, '"where":""'));
    expect(strip(p.evidence as Ev)).toEqual(strip(g.evidence as Ev));
  });

  it("fails a configured CRL URL that serves another CA's CRL (AADSTS2205015)", async () => {
    const cas = healthy();
    cas[1].crl = lb.url('/crl/fabrikam-issuing.crl');
    const r = await judge([json(pkiStoreGraph(cas))]);
    expect(r.status).toBe('fail');
    const issuing = (r.evidence as Ev).cas[0];
    expect(issuing.crls[0].crlIssuer).toBe(other.ca.cert.subject.display);
    expect(r.summary).toContain("it serves another CA's CRL");
    expect(r.summary).toContain('AADSTS2205015');
    // The fix points the CA at the CDP its certificates carry, through Invoke-MgGraphRequest with a quoted value.
    expect(r.remediation.map((x) => x.command ?? '').join('\n')).toContain(`certificateRevocationListUrl = '${urls.caCrl}'`);
  });

  it('fails an HTTPS CRL URL, and a delta CRL URL without a base one (AADSTS500177)', async () => {
    const cas = healthy();
    cas[1].crl = 'https://pki.contoso.com/crl/issuing.crl';
    cas[0].crl = null;
    cas[0].delta = urls.rootCrl;
    const r = await judge([json(pkiStoreGraph(cas))], false);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('uses HTTPS (https://pki.contoso.com/crl/issuing.crl)');
    expect(r.summary).toContain('a delta CRL URL is configured without a base CRL URL');
    expect(r.summary).toContain('AADSTS500177');
  });

  it('fails a CA of the chain that is in neither store', async () => {
    const r = await judge([json(pkiStoreGraph([healthy()[0]]))], false);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(`${pki.ca.cert.subject.display}: it is not in the tenant trust store`);
  });

  it('fails a root flagged as intermediate (classic store)', async () => {
    const cas = healthy();
    cas[0].root = false;
    const r = await judge([json(classicStoreGraph(cas))], false);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('flagged as an intermediate but is a root');
  });

  it('warns when a CA is in both stores with different CRL URLs', async () => {
    const classic = healthy();
    classic[1].crl = `${urls.caCrl}?old`;
    const r = await judge([json(pkiStoreGraph(healthy())), json(classicStoreGraph(classic))], false);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('in both stores with different CRL URLs');
  });

  it('skips with the Graph requests to paste', async () => {
    const r = await judge([], false);
    expect(r.status).toBe('skip');
    expect(r.summary).toContain('/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/{id}/certificateAuthorities');
  });
});
