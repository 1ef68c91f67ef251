// What the AD FS checks share: when they apply, how a target without an address is judged, and how
// per-target verdicts become one outcome.
import { nslookup } from '@/lib/commands/windows';
import type { ProbeTargetBase } from '@/lib/adfs/types';
import type { NetError } from '@/lib/net/tcp';
import type { Artifacts, ArtifactKey } from '@/lib/report/artifacts';
import type { Remediation, Status } from '@/lib/report/schema';
import { worst, type Outcome, type Prerequisite } from '../types';

export const KB_URL = 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue';
export const ADFS_CERT_AUTH_URL = 'https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/operations/configure-user-certificate-authentication';

/** AD FS checks skip offline, for Entra native CBA, and when there is no federation host. */
export function adfsApplies(a: Artifacts, key: ArtifactKey): true | string {
  if (a.ctx.offline) return 'Offline: the AD FS endpoints were not probed.';
  if (a.ctx.requestedTarget === 'entra') return 'The target is Entra native CBA (--target entra), where sign-in does not go through AD FS.';
  if (a.target === 'entra') return 'Realm discovery says the domain is managed (Entra native CBA), so sign-in does not go through AD FS.';
  if (!a[key]) return 'No federation host: type the AD FS host name, or the address of a user in a federated domain.';
  return true;
}

export interface TargetVerdict {
  target: string;
  status: Status;
  /** Short reason shown in the summary when the target is not fine. */
  reason?: string;
  /** Which kinds of problem, to pick the remediation (refused, untrusted, no-request...). */
  problem?: string | string[];
  evidence: Record<string, unknown>;
}

/** How every AD FS check names a target at the head of its evidence. */
export function targetFacts(t: ProbeTargetBase) {
  return { target: t.target, node: t.node ?? null, address: t.address ?? null };
}

/** A target the probe could not even connect to, because there was no usable address. */
export function unreachableTarget(t: ProbeTargetBase): TargetVerdict | undefined {
  if (t.address) return undefined;
  const e: NetError = t.error ?? { kind: 'other', message: 'no address to connect to' };
  // The network policy refusing an address is a limit of this tool's deployment, not the user's setup.
  const status: Status = e.kind === 'blocked' ? 'error' : 'fail';
  return { target: t.target, status, reason: e.message, problem: e.kind === 'blocked' ? blockedProblem(e) : 'no-address', evidence: { ...targetFacts(t), address: null, status, error: e } };
}

/** 'blocked' for a private address (--allow-private lifts it), 'blocked-always' for one no setting unlocks. */
export function blockedProblem(e: NetError): 'blocked' | 'blocked-always' {
  return e.privateOnly === false ? 'blocked-always' : 'blocked';
}

/** Remediation for targets that had no usable address. */
export function hasProblem(verdicts: TargetVerdict[], p: string): boolean {
  return verdicts.some((v) => (Array.isArray(v.problem) ? v.problem.includes(p) : v.problem === p));
}

export function addressRemediation(verdicts: TargetVerdict[], host: string): Remediation[] {
  const out: Remediation[] = [];
  if (hasProblem(verdicts, 'no-address'))
    out.push({ text: `Publish the federation host in public DNS (an A or AAAA record pointing to the Web Application Proxy or its load balancer), then check it resolves from outside:`, command: nslookup(host) ?? 'nslookup <federation-host>' });
  if (hasProblem(verdicts, 'blocked'))
    out.push({ text: 'The address is private, and this tool does not probe private addresses unless allowed. Where reaching internal servers is intended, run again with --allow-private (or CBA_DOCTOR_ALLOW_PRIVATE=1).' });
  if (hasProblem(verdicts, 'blocked-always'))
    out.push({ text: `${host} points to a cloud metadata or reserved address, which this tool never connects to (no setting changes that) and which no device can use for sign-in. Point the name at the public address of the Web Application Proxy or its load balancer.` });
  return out;
}

/** Combines per-target verdicts: the worst status, and a summary that names the targets that are not fine. */
export function combine(
  verdicts: TargetVerdict[],
  words: { pass: string; subject: string },
  extra: { evidence?: Record<string, unknown>; remediation?: Remediation[] } = {},
): Outcome {
  const status = worst(verdicts.map((v) => v.status));
  const bad = verdicts.filter((v) => v.status !== 'pass' && v.status !== 'info' && v.reason);
  const several = verdicts.length > 1;
  let summary: string;
  if (!bad.length) summary = several ? `${words.pass} (all ${verdicts.length} targets).` : `${words.pass}.`;
  else if (!several) summary = `${words.subject}: ${bad[0].reason}.`;
  else summary = `${words.subject}: ${bad.length} of ${verdicts.length} targets are not fine — ${bad.map((v) => `${v.target}: ${v.reason}`).join('; ')}.`;
  const notes = verdicts.filter((v) => (v.status === 'pass' || v.status === 'info') && v.reason).map((v) => v.reason);
  if (notes.length && !bad.length) summary = `${summary.replace(/\.$/, '')}; ${notes.join('; ')}.`;
  return {
    status,
    summary,
    evidence: { ...extra.evidence, targets: verdicts.map((v) => ({ ...v.evidence, status: v.status })) },
    remediation: status === 'fail' || status === 'warn' ? extra.remediation ?? [] : [],
    parts: verdicts.map((v) => ({ key: v.target, status: v.status, reason: v.reason })),
  };
}

/** Names adfs.dns found unresolvable: the federation host, and each --node given by name. */
export function unresolvedNames(a: Pick<Artifacts, 'adfsDns'>): { name: string; message: string }[] {
  const d = a.adfsDns;
  if (!d) return [];
  const out: { name: string; message: string }[] = [];
  if (d.answer.error || !d.answer.addresses.length) out.push({ name: d.host, message: d.answer.error?.message ?? 'no addresses' });
  for (const n of d.nodes) if (n.answer.error || !n.answer.addresses.length) out.push({ name: n.node, message: n.answer.error?.message ?? 'no addresses' });
  return out;
}

/**
 * Every AD FS probe of a host or node that does not resolve has nothing to connect to: its failure there is
 * adfs.dns's, not a second one. Only the targets that did not resolve are explained (per node with --node).
 */
export const AFTER_DNS: Prerequisite = {
  check: 'adfs.dns',
  explains: ({ a, part }) => {
    if (!part) return undefined;
    const hit = unresolvedNames(a).find((n) => n.name === part.key);
    return hit ? `${hit.name} does not resolve` : undefined;
  },
};

/**
 * Federation metadata is fetched over the same HTTPS endpoint: on a target where adfs.https found no TLS
 * handshake at all (refused, reset, timed out), the metadata request cannot get anywhere either.
 */
export const AFTER_HTTPS: Prerequisite = {
  check: 'adfs.https',
  explains: ({ a, part }) => {
    const h = a.adfsHttps;
    if (!part || !h) return undefined;
    const t = h.targets.find((x) => x.target === part.key);
    if (!t?.sni || t.sni.ok) return undefined;
    return `no TLS handshake on ${part.key} port ${h.port} (${t.sni.error?.message ?? 'failed'})`;
  },
};

/**
 * The probes that speak TLS or HTTP on the certificate binding cannot get anywhere on a target where
 * adfs.cert-port found the port closed (refused or timed out).
 */
export const AFTER_CERT_PORT: Prerequisite = {
  check: 'adfs.cert-port',
  explains: ({ a, part }) => {
    const c = a.adfsCertPort;
    if (!part || !c) return undefined;
    const t = c.targets.find((x) => x.target === part.key);
    if (!t?.tcp || t.tcp.ok || (t.tcp.error?.kind !== 'refused' && t.tcp.error?.kind !== 'timeout')) return undefined;
    return `TCP ${c.binding.host}:${c.binding.port} is closed on ${part.key} (${t.tcp.error.kind === 'refused' ? 'connection refused' : 'no answer'})`;
  },
};

/** Whole days from `now` until `iso` (negative when past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((new Date(iso).getTime() - now.getTime()) / 86_400_000);
}
