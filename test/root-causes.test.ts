// Root causes first (issue 10 item 1): one failure per cause, through the real runner and collectors, with
// loopback stand-ins for the AD FS endpoints. Each chain: the root cause fails, what it explains is `skip` with
// blockedBy and a "Not tested: ..." summary, and a check with a failure of its own keeps its verdict.
import { describe, expect, it } from 'vitest';
import { diagnose, result } from '@/test/adfs/harness';
import { tlsStandIns } from '@/test/adfs/servers';
import { adfsHandler, closedPort, FED_HOST } from '@/test/adfs/standins';
import { adfsCertPort } from '@/lib/checks/adfs/adfs.cert-port';
import { adfsCertTransport } from '@/lib/checks/adfs/adfs.cert-transport';
import { adfsClientCertRequest } from '@/lib/checks/adfs/adfs.client-cert-request';
import { adfsDns } from '@/lib/checks/adfs/adfs.dns';
import { adfsHttps } from '@/lib/checks/adfs/adfs.https';
import { adfsMetadata } from '@/lib/checks/adfs/adfs.metadata';
import type { Report } from '@/lib/report/schema';
import { diagnose as diagnosePki, result as resultPki } from '@/test/pki/diagnose';
import { makePki } from '@/test/pki/gen';

const tls = tlsStandIns();
const ADFS = [adfsDns, adfsHttps, adfsMetadata, adfsCertPort, adfsClientCertRequest, adfsCertTransport];
const PROBES = ['adfs.https', 'adfs.metadata', 'adfs.cert-port', 'adfs.client-cert-request', 'adfs.cert-transport'];
const statuses = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('root causes through the pipeline', () => {
  it('an unresolvable federation host: adfs.dns fails, every probe of that host is not tested because of it', async () => {
    // .test names never exist in public DNS (RFC 6761).
    const host = 'sts.does-not-exist.test';
    const r = await diagnose({ federationHost: host }, { checks: ADFS, ctx: { timeoutMs: 3000 } });
    expect(result(r, 'adfs.dns').status).toBe('fail');
    expect(result(r, 'adfs.dns').blockedBy).toBeUndefined();
    for (const id of PROBES) {
      const c = result(r, id);
      expect([id, c.status, c.blockedBy]).toEqual([id, 'skip', ['adfs.dns']]);
      expect(c.summary).toBe(`Not tested: ${host} does not resolve (adfs.dns).`);
      expect(c.remediation).toEqual([]);
      expect(c.evidence.notTested).toEqual([{ target: host, reason: `${host} does not resolve`, blockedBy: 'adfs.dns' }]);
    }
    expect(r.summary).toMatchObject({ verdict: 'fail', rootCauses: ['adfs.dns'], notTested: PROBES.length });
    expect(r.summary.counts.fail).toBe(1);
  });

  it('per node: only the node that does not resolve is not tested; the other node is judged', async () => {
    const port = await tls.serve({ handler: adfsHandler() });
    const bad = 'node2.does-not-exist.test';
    const r = await diagnose(
      { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, nodes: ['127.0.0.1', bad] },
      { checks: [adfsDns, adfsMetadata], ctx: { timeoutMs: 3000 }, federation: { httpsPort: port } },
    );
    const dns = result(r, 'adfs.dns');
    expect(dns.status).toBe('fail');
    expect(dns.summary).toContain(bad);
    const m = result(r, 'adfs.metadata');
    // The reachable node answered metadata; the unresolvable one is not a second failure. Part of the check was
    // not tested, so the result is information rather than a pass.
    expect(m.status).toBe('info');
    expect(m.blockedBy).toEqual(['adfs.dns']);
    expect(m.summary).toContain(`Not tested on ${bad}: ${bad} does not resolve (adfs.dns)`);
    expect(m.summary).toContain('127.0.0.1: pass');
    expect(r.summary.rootCauses).toEqual(['adfs.dns']);
  });

  it('a closed certificate port: adfs.cert-port fails, the probes on that port are not tested because of it', async () => {
    const https = await tls.serve({ handler: adfsHandler() });
    const closed = await closedPort();
    const r = await diagnose(
      { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: closed },
      { checks: ADFS, ctx: { timeoutMs: 3000 }, federation: { httpsPort: https, certTransportWaitMs: 300 } },
    );
    expect(statuses(r)).toMatchObject({ 'adfs.dns': 'warn', 'adfs.cert-port': 'fail', 'adfs.client-cert-request': 'skip', 'adfs.cert-transport': 'skip' });
    for (const id of ['adfs.client-cert-request', 'adfs.cert-transport']) {
      const c = result(r, id);
      expect(c.blockedBy).toEqual(['adfs.cert-port']);
      expect(c.summary).toBe(`Not tested: TCP ${FED_HOST}:${closed} is closed on ${FED_HOST} (connection refused) (adfs.cert-port).`);
    }
    // adfs.dns only warns (a loopback address): it explains nothing. adfs.https fails on its own (the stand-in's
    // TLS root is not trusted here), and comes second: adfs.cert-port blocked two checks.
    expect(r.summary.rootCauses).toEqual(['adfs.cert-port', 'adfs.https']);
    expect(r.summary.notTested).toBe(2);
  });

  it('a host that resolves but refuses TLS: adfs.https keeps its own verdict', async () => {
    const closed = await closedPort();
    const r = await diagnose({ federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' } }, { checks: [adfsDns, adfsHttps], ctx: { timeoutMs: 3000 }, federation: { httpsPort: closed } });
    const c = result(r, 'adfs.https');
    expect(c.status).toBe('fail');
    expect(c.blockedBy).toBeUndefined();
    expect(c.remediation.length).toBeGreaterThan(0);
    expect(r.summary.rootCauses).toEqual(['adfs.https']);
  });
});

describe('root causes of the certificate chain', () => {
  it('no path to a root: chain.build fails, chain.path is not tested because of it', async () => {
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256', aia: null }, user: { key: 'p256', aia: null } });
    const r = await diagnosePki({ certs: [pki.user, pki.root], upn: 'alice@contoso.com', target: 'adfs' });
    const path = resultPki(r, 'chain.path');
    expect(path.status).toBe('skip');
    expect(path.blockedBy).toEqual(['chain.build']);
    expect(path.summary).toBe(`Not tested: the path stops at "${pki.user.cert.subject.display}", whose issuer "${pki.ca.cert.subject.display}" was not found (chain.build).`);
    expect(r.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['chain.build']);
    expect(r.summary.rootCauses).toEqual(['chain.build']);
  });

  it('a user certificate without CRL location: cert.cdp fails; crl.location does not fail on it again and judges the CAs', async () => {
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256', cdp: null } });
    const r = await diagnosePki({ certs: [pki.user, pki.ca, pki.root], upn: 'alice@contoso.com', target: 'adfs' });
    expect(resultPki(r, 'cert.cdp').status).toBe('fail');
    const loc = resultPki(r, 'crl.location');
    expect(loc.blockedBy).toEqual(['cert.cdp']);
    expect(loc.status).toBe('info');
    expect(loc.summary).toBe(
      `Not tested on ${pki.user.cert.subject.display}: the CRL location of the user certificate fails cert.cdp (cert.cdp). Tested on the other target: ${pki.ca.cert.subject.display}: pass (HTTP URL).`,
    );
    expect(r.summary.rootCauses).toContain('cert.cdp');
    expect(r.summary.rootCauses).not.toContain('crl.location');
  });

  it('no path, and a CA in the partial path with a failure of its own: chain.path keeps its verdict', async () => {
    const pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256', aia: null, keyUsage: ['digitalSignature'] }, user: { key: 'p256', aia: null } });
    // The issuing CA is there, the root is not: the path is incomplete and the CA lacks keyCertSign.
    const r = await diagnosePki({ certs: [pki.user, pki.ca], upn: 'alice@contoso.com', target: 'adfs' });
    const path = resultPki(r, 'chain.path');
    expect(path.status).toBe('fail');
    expect(path.blockedBy).toBeUndefined();
    expect(path.summary).toContain('keyCertSign');
  });
});
