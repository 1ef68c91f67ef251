// Collectors for realm discovery and the AD FS / WAP probes. They all start at once (no `needs`): each
// waits on the shared plan (lib/adfs/plan) for the host and addresses, then probes every target side by
// side under its own time limit (ctx.timeoutMs). Offline, or with no federation host, they return nothing
// and the checks skip.
import { tcpProbe, Deadline } from '@/lib/net/tcp';
import { probeCertificateRequest } from '@/lib/net/tls-certreq';
import { tlsProbe } from '@/lib/net/tls-probe';
import type { Collector } from '@/lib/report/collector';
import type { ArtifactKey, Artifacts } from '@/lib/report/artifacts';
import { probeBindingTls } from './binding-tls';
import { httpsExchange } from './https-exchange';
import { parseMetadata } from './metadata';
import { envPort, sessionStore, type FederationOptions, type Plan } from './plan';
import { targetFor } from './realm';
import type { AdfsBindingTls, BindingTlsTargetResult, AdfsCertPort, AdfsCertTransport, AdfsHttps, AdfsMetadata, CertPortTarget, CertTransportTarget, HttpsTarget, MetadataTarget, ProbeTargetBase } from './types';

export const METADATA_PATH = '/FederationMetadata/2007-06/FederationMetadata.xml';
export const CERT_TRANSPORT_PATH = '/adfs/services/trust/2005/certificatetransport';
export const CERT_TRANSPORT_WAIT_MS = 5000;
const MAX_METADATA_BYTES = 5 * 1024 * 1024;

/** Runs `fn` for every target that has an address, side by side. */
async function perTarget<T extends ProbeTargetBase>(targets: ProbeTargetBase[], fn: (t: ProbeTargetBase & { address: string }) => Promise<Partial<T>>): Promise<T[]> {
  return Promise.all(targets.map(async (t) => (t.address ? ({ ...t, ...(await fn(t as ProbeTargetBase & { address: string })) } as T) : ({ ...t } as T))));
}

export function createFederationCollectors(o: FederationOptions = {}): Collector[] {
  const opts = (): FederationOptions => ({
    realmUrl: o.realmUrl,
    httpsPort: o.httpsPort ?? envPort(process.env.CBA_DOCTOR_ADFS_HTTPS_PORT),
    certTransportWaitMs: o.certTransportWaitMs,
  });
  let store: ReturnType<typeof sessionStore> | undefined;
  const session = (a: Artifacts) => (store ??= sessionStore(opts()))(a);
  const plan = (a: Artifacts) => session(a).plan;
  const waitMs = o.certTransportWaitMs ?? CERT_TRANSPORT_WAIT_MS;

  const realm: Collector = {
    name: 'realm discovery',
    needs: [],
    provides: ['realm'],
    async run(a) {
      const r = await session(a).realm;
      if (!r) return {};
      const out: Partial<Artifacts> = { realm: r };
      const forced = a.ctx.requestedTarget === 'adfs' || a.ctx.requestedTarget === 'entra';
      if (!forced) out.target = targetFor(r.namespace);
      if (r.filledHost && !a.input.federationHost) out.input = { ...a.input, federationHost: r.filledHost };
      return out;
    },
  };

  const dns: Collector = {
    name: 'federation host DNS',
    needs: [],
    provides: ['adfsDns'],
    async run(a) {
      const p = await plan(a);
      return p ? { adfsDns: p.dns } : {};
    },
  };

  /** A probe collector: waits for the plan, provides nothing without one, then probes under its own time limit. */
  const probe = (name: string, key: ArtifactKey, fn: (p: Plan, a: Artifacts, dl: Deadline) => Promise<Partial<Artifacts>>): Collector => ({
    name,
    needs: [],
    provides: [key],
    async run(a) {
      const p = await plan(a);
      if (!p) return {};
      return fn(p, a, new Deadline(a.ctx.timeoutMs));
    },
  });

  const https = probe('AD FS HTTPS', 'adfsHttps', async (p, a, dl) => {
    const base = { port: p.httpsPort, allowPrivate: a.ctx.allowPrivate };
    const targets = await perTarget<HttpsTarget>(p.hostTargets, async (t) => {
      const [sni, noSni] = await Promise.all([
        tlsProbe({ ...base, address: t.address, servername: p.host, timeoutMs: dl.remaining() }),
        tlsProbe({ ...base, address: t.address, servername: undefined, timeoutMs: dl.remaining() }),
      ]);
      return { sni, noSni };
    });
    const adfsHttps: AdfsHttps = { host: p.host, port: p.httpsPort, targets };
    return { adfsHttps };
  });

  const metadata = probe('AD FS federation metadata', 'adfsMetadata', async (p, a, dl) => {
    const targets = await perTarget<MetadataTarget>(p.hostTargets, async (t) => {
      const { body, ...exchange } = await httpsExchange({
        address: t.address,
        port: p.httpsPort,
        host: p.host,
        method: 'GET',
        path: METADATA_PATH,
        timeoutMs: dl.remaining(),
        allowPrivate: a.ctx.allowPrivate,
        mode: { kind: 'fetch', maxBytes: MAX_METADATA_BYTES },
      });
      if (exchange.outcome !== 'answered' || exchange.status !== 200 || !body) return { exchange };
      const m = parseMetadata(body);
      return { exchange, entityId: m.entityId, problem: m.problem };
    });
    const adfsMetadata: AdfsMetadata = { host: p.host, url: urlOf(p.host, p.httpsPort, METADATA_PATH), targets };
    return { adfsMetadata };
  });

  const certPort = probe('AD FS certificate port', 'adfsCertPort', async (p, a, dl) => {
    const targets = await perTarget<CertPortTarget>(p.bindingTargets, async (t) => {
      const [tcp, certRequest] = await Promise.all([
        tcpProbe({ address: t.address, port: p.binding.port, timeoutMs: dl.remaining(), allowPrivate: a.ctx.allowPrivate }),
        probeCertificateRequest({ address: t.address, port: p.binding.port, servername: p.binding.host, timeoutMs: dl.remaining(), allowPrivate: a.ctx.allowPrivate }),
      ]);
      return { tcp, certRequest };
    });
    const adfsCertPort: AdfsCertPort = { host: p.host, binding: p.binding, targets };
    return { adfsCertPort };
  });

  const certTransport = probe('AD FS certificate transport', 'adfsCertTransport', async (p, a, dl) => {
    const targets = await perTarget<CertTransportTarget>(p.bindingTargets, async (t) => ({
      exchange: await httpsExchange({
        address: t.address,
        port: p.binding.port,
        host: p.binding.host,
        method: 'POST',
        path: CERT_TRANSPORT_PATH,
        timeoutMs: dl.remaining(),
        allowPrivate: a.ctx.allowPrivate,
        mode: { kind: 'wait', waitMs },
      }),
    }));
    const adfsCertTransport: AdfsCertTransport = {
      host: p.host,
      binding: p.binding,
      url: urlOf(p.binding.host, p.binding.port, CERT_TRANSPORT_PATH),
      method: 'POST',
      waitMs,
      targets,
    };
    return { adfsCertTransport };
  });

  const bindingTls = probe('AD FS binding TLS', 'adfsBindingTls', async (p, a, dl) => {
    const base = { allowPrivate: a.ctx.allowPrivate };
    // Both endpoints and every node at once; each endpoint's handshakes run side by side (binding-tls.ts).
    const [certificate, https] = await Promise.all([
      perTarget<BindingTlsTargetResult>(p.bindingTargets, async (t) => ({ probe: await probeBindingTls({ ...base, address: t.address, port: p.binding.port, servername: p.binding.host, timeoutMs: dl.remaining() }) })),
      perTarget<BindingTlsTargetResult>(p.hostTargets, async (t) => ({ probe: await probeBindingTls({ ...base, address: t.address, port: p.httpsPort, servername: p.host, timeoutMs: dl.remaining() }) })),
    ]);
    const adfsBindingTls: AdfsBindingTls = { host: p.host, binding: p.binding, httpsPort: p.httpsPort, certificate, https };
    return { adfsBindingTls };
  });

  return [realm, dns, https, metadata, certPort, certTransport, bindingTls];
}

export function urlOf(host: string, port: number, path: string): string {
  return `https://${host}${port === 443 ? '' : `:${port}`}${path}`;
}

export const FEDERATION_COLLECTORS = createFederationCollectors();
