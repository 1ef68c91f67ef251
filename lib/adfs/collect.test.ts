import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '@/lib/checks/registry';
import type { Artifacts, DiagnosisContext } from '@/lib/report/artifacts';
import { createFederationCollectors } from './collect';
import { diagnose, result, targets } from '@/test/adfs/harness';
import {
  adfsHandler,
  FED_HOST,
  serverIdentity,
  startRealm,
  startSilentServer,
  startTlsServer,
  trustRootViaEnv,
  userPki,
  type RealmStandIn,
  type Running,
  type ServerIdentity,
} from '@/test/adfs/standins';
import type { Pki } from '@/test/pki/gen';

let id: ServerIdentity;
let pki: Pki;
let realm: RealmStandIn;
let adfs: Running;
let certPort: Running;
let trust: { undo(): void };

beforeAll(async () => {
  id = await serverIdentity();
  pki = await userPki();
  trust = trustRootViaEnv(id.tlsRoot);
  realm = await startRealm({ 'contoso.com': { namespace: 'Federated', authHost: FED_HOST }, 'fabrikam.com': { namespace: 'Managed' } });
  adfs = await startTlsServer({ id, handler: adfsHandler() });
  certPort = await startTlsServer({ id, requestCert: true, clientCas: [pki.root], handler: adfsHandler({ transport: 'hang' }) });
});
afterAll(async () => {
  trust.undo();
  await Promise.all([realm, adfs, certPort].map((s) => s.close()));
});

const adfsIds = ['realm.namespace', 'realm.sts-host', 'adfs.dns', 'adfs.https', 'adfs.metadata', 'adfs.cert-port', 'adfs.client-cert-request', 'adfs.cert-transport'];
const checks = ALL_CHECKS.filter((c) => adfsIds.includes(c.id));

describe('federation collectors end to end (in process)', () => {
  it('realm discovery fills the host, then every probe runs against it', async () => {
    const r = await diagnose(
      { upn: 'alice@contoso.com', resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: certPort.port },
      { checks, certs: [pki.user, pki.ca, pki.root], federation: { realmUrl: realm.url, httpsPort: adfs.port, certTransportWaitMs: 300 } },
    );
    expect(r.target).toBe('adfs');
    expect(r.input.federationHost).toBe(FED_HOST);
    const status = Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'realm.namespace': 'pass',
      'realm.sts-host': 'pass',
      'adfs.dns': 'warn', // 127.0.0.1 is not reachable from the Internet
      'adfs.https': 'pass',
      'adfs.metadata': 'pass',
      'adfs.cert-port': 'pass',
      'adfs.client-cert-request': 'pass',
      'adfs.cert-transport': 'pass',
    });
    expect(targets(result(r, 'adfs.client-cert-request'))[0].caNames).toEqual([pki.root.cert.subject.display]);
  });

  it('a managed domain skips every AD FS check, even with a host typed', async () => {
    const r = await diagnose(
      { upn: 'bob@fabrikam.com', federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: certPort.port },
      { checks, federation: { realmUrl: realm.url, httpsPort: adfs.port, certTransportWaitMs: 300 } },
    );
    expect(r.target).toBe('entra');
    for (const c of r.checks.filter((x) => x.id.startsWith('adfs.'))) expect(c.status, c.id).toBe('skip');
  });

  it('by default the network policy refuses the loopback stand-ins', async () => {
    const r = await diagnose(
      { upn: 'alice@contoso.com', federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: certPort.port },
      { checks, ctx: { allowPrivate: false }, federation: { realmUrl: realm.url, httpsPort: adfs.port, certTransportWaitMs: 300 } },
    );
    expect(result(r, 'realm.namespace').status).toBe('error');
    for (const id of ['adfs.https', 'adfs.metadata', 'adfs.cert-port', 'adfs.client-cert-request', 'adfs.cert-transport']) {
      const c = result(r, id);
      expect(c.status, id).toMatch(/error|fail/);
      expect(JSON.stringify(c.evidence), id).toMatch(/blocked|refused to connect/);
    }
  });

  it('offline: the collectors provide nothing and the checks skip', async () => {
    const asked = realm.asked.length;
    const r = await diagnose({ upn: 'alice@contoso.com', federationHost: FED_HOST }, { checks, ctx: { offline: true }, federation: { realmUrl: realm.url } });
    expect(r.checks.every((c) => c.status === 'skip')).toBe(true);
    expect(realm.asked.length).toBe(asked);
  });

  it('probes run side by side: with every probe timing out at T, collection ends near T, not at the sum', async () => {
    const silent = await startSilentServer();
    try {
      const T = 1500;
      const ctx: DiagnosisContext = { now: new Date(), offline: false, allowPrivate: true, timeoutMs: T };
      const a: Artifacts = {
        ctx,
        input: { federationHost: FED_HOST, resolve: { [FED_HOST]: '127.0.0.1' }, tlsClientPort: silent.port, files: [], crlFiles: [], pasted: [] },
        target: 'unknown',
      };
      const collectors = createFederationCollectors({ httpsPort: silent.port, certTransportWaitMs: 300 });
      const t0 = performance.now();
      const outs = await Promise.all(collectors.map((c) => c.run(a)));
      const total = performance.now() - t0;
      const all = Object.assign({}, ...outs) as Partial<Artifacts>;
      // Each of these waited for its own time limit...
      expect(all.adfsHttps!.targets[0].sni!.error?.kind).toBe('timeout');
      expect(all.adfsMetadata!.targets[0].exchange!.error?.kind).toBe('timeout');
      expect(all.adfsCertPort!.targets[0].certRequest!.error?.kind).toBe('timeout');
      expect(all.adfsCertTransport!.targets[0].exchange!.error?.kind).toBe('timeout');
      // ...yet the whole collection took far less than their sum (4 × T); the margin is generous on purpose.
      expect(total).toBeLessThan(2.5 * T);
    } finally {
      await silent.close();
    }
  });
});
