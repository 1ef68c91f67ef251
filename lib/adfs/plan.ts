// The probe plan of one diagnosis: which federation host, its addresses, the nodes, and which
// certificate-authentication binding to test. Computed once and shared by the probe collectors, which all
// start at once and wait only for what they need (realm discovery only when no host was typed), so the
// probes run side by side and a diagnosis ends at about its slowest probe's time limit.
import { checkedAddresses, lookupHost, type DnsAnswer } from '@/lib/net/dns';
import { parseHostLiteral } from '@/lib/net/policy';
import { classifyError } from '@/lib/net/tcp';
import type { Artifacts } from '@/lib/report/artifacts';
import { discoverRealm } from './realm';
import type { AdfsDns, CertBinding, ProbeTargetBase, RealmDiscovery } from './types';

export const DEFAULT_CERT_PORT = 49443;
export const DEFAULT_HTTPS_PORT = 443;

export interface FederationOptions {
  /** Realm discovery endpoint (default CBA_DOCTOR_REALM_URL, else Microsoft's). */
  realmUrl?: string;
  /** Port of the AD FS HTTPS endpoints and of the certauth binding (443; stand-ins use another). */
  httpsPort?: number;
  /** How long a certificate transport request must be left waiting to pass (5 s). */
  certTransportWaitMs?: number;
}

export interface Plan {
  host: string;
  hostSource: 'typed' | 'realm';
  dns: AdfsDns;
  binding: CertBinding;
  httpsPort: number;
  /** Where to connect for the federation host's own endpoints: one per node, or the host itself. */
  hostTargets: ProbeTargetBase[];
  /** Where to connect for the certificate binding. */
  bindingTargets: ProbeTargetBase[];
}

export interface Session {
  realm: Promise<RealmDiscovery | undefined>;
  plan: Promise<Plan | undefined>;
}

export function envPort(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

async function target(label: string, answer: DnsAnswer, allowPrivate: boolean, node?: string): Promise<ProbeTargetBase> {
  try {
    const addrs = await checkedAddresses(answer, allowPrivate);
    return { target: label, node, address: addrs[0].address };
  } catch (e) {
    const error = classifyError(e);
    // Only a private address can be unlocked; cloud metadata and similar addresses are refused whatever the settings.
    if (error.kind === 'blocked')
      error.message += error.privateOnly
        ? '. Set CBA_DOCTOR_ALLOW_PRIVATE=1 (CLI: --allow-private) where probing internal addresses is intended.'
        : '; this address is refused even when private addresses are allowed';
    return { target: label, node, error };
  }
}

/** Whether AD FS probing applies at all: online, not forced to Entra native CBA. */
export function probesApply(a: Pick<Artifacts, 'ctx'>): boolean {
  return !a.ctx.offline && a.ctx.requestedTarget !== 'entra';
}

async function makePlan(a: Artifacts, realm: Promise<RealmDiscovery | undefined>, o: FederationOptions): Promise<Plan | undefined> {
  if (!probesApply(a)) return undefined;
  let host = a.input.federationHost?.trim().toLowerCase().replace(/\.$/, '') || undefined;
  let hostSource: Plan['hostSource'] = 'typed';
  if (!host) {
    host = (await realm)?.filledHost;
    hostSource = 'realm';
  }
  if (!host) return undefined;
  const lo = { resolve: a.input.resolve, timeoutMs: a.ctx.timeoutMs };
  const nodeList = [...new Set((a.input.nodes ?? []).map((n) => n.trim()).filter(Boolean))];
  const certauthName = `certauth.${host}`;
  const [answer, certauth, nodes] = await Promise.all([
    lookupHost(host, lo),
    // A federation host typed as an address has no certauth name to look up.
    parseHostLiteral(host)
      ? Promise.resolve<DnsAnswer>({ host: certauthName, source: 'dns', addresses: [], ms: 0, error: { kind: 'dns', message: 'the federation host is an IP address, so there is no certauth name' } })
      : lookupHost(certauthName, lo),
    Promise.all(nodeList.map(async (node) => ({ node, answer: await lookupHost(node, lo) }))),
  ]);
  const httpsPort = o.httpsPort ?? DEFAULT_HTTPS_PORT;
  let binding: CertBinding;
  if (a.input.tlsClientPort) binding = { host, port: a.input.tlsClientPort, kind: 'port', why: `the certificate authentication port given (${a.input.tlsClientPort})` };
  else if (certauth.addresses.length && !certauth.error)
    binding = { host: certauth.host, port: httpsPort, kind: 'certauth', why: `${certauth.host} resolves, so devices use the alternate certificate binding on port ${httpsPort}` };
  else binding = { host, port: DEFAULT_CERT_PORT, kind: 'port', why: `the default certificate authentication port (${DEFAULT_CERT_PORT}); ${certauth.host} does not resolve` };

  const ap = a.ctx.allowPrivate;
  const nodeTargets = await Promise.all(nodes.map((n) => target(n.node, n.answer, ap, n.node)));
  const hostTargets = nodes.length ? nodeTargets : [await target(host, answer, ap)];
  const bindingTargets = nodes.length ? nodeTargets : binding.kind === 'certauth' ? [await target(binding.host, certauth, ap)] : hostTargets;
  return { host, hostSource, dns: { host, hostSource, answer, certauth, nodes }, binding, httpsPort, hostTargets, bindingTargets };
}

/** One session per diagnosis (keyed by its context object, which the runner never replaces). */
export function sessionStore(o: FederationOptions) {
  const sessions = new WeakMap<object, Session>();
  return (a: Artifacts): Session => {
    let s = sessions.get(a.ctx);
    if (!s) {
      const realm = discoverRealm(a, { url: o.realmUrl });
      const plan = makePlan(a, realm.catch(() => undefined), o);
      // Each collector awaits these and reports its own failure; no rejection may go unobserved meanwhile.
      realm.catch(() => {});
      plan.catch(() => {});
      s = { realm, plan };
      sessions.set(a.ctx, s);
    }
    return s;
  };
}
