import { netshShowSslcert, opensslSClient } from '@/lib/commands/windows';
import type { CertPortTarget } from '@/lib/adfs/types';
import type { Artifacts } from '@/lib/report/artifacts';
import type { Remediation, Status } from '@/lib/report/schema';
import { worst, type CheckDef, type Outcome } from '../types';
import { addressRemediation, blockedProblem, adfsApplies, hasProblem, ADFS_CERT_AUTH_URL, combine, targetFacts, unreachableTarget, type TargetVerdict, AFTER_DNS, AFTER_CERT_PORT } from './shared';

/** Schannel sends at most 16 KB of CA names and truncates the rest (S-TLS). Nothing documents a warning level
 *  below it, so there is none. */
export const FAIL_BYTES = 16 * 1024;
export const S_TLS_URL = 'https://learn.microsoft.com/en-us/windows-server/security/tls/what-s-new-in-tls-ssl-schannel-ssp-overview#BKMK_TrustedIssuers';

export interface UserCaName {
  key: string;
  display: string;
  role: 'issuing CA' | 'intermediate CA' | 'root CA';
}

/**
 * Names of the CAs above the user certificate: its issuer, then up through the uploaded certificates (and
 * the built chain when there is one), matching issuer to subject names like a client does.
 */
export function userCaNames(a: Pick<Artifacts, 'user' | 'certs' | 'chain'>): UserCaName[] | undefined {
  const user = a.user?.user?.cert;
  if (!user) return undefined;
  const certs = [...(a.certs ?? []), ...(a.chain?.path ?? [])].map((e) => e.cert);
  const out: UserCaName[] = [];
  const add = (key: string, display: string, selfIssued: boolean) => {
    if (out.some((x) => x.key === key)) return false;
    out.push({ key, display, role: out.length === 0 ? 'issuing CA' : selfIssued ? 'root CA' : 'intermediate CA' });
    return true;
  };
  let cur = user;
  for (let depth = 0; depth < 10; depth++) {
    const issuer = certs.find((c) => c !== cur && c.subject.key === cur.issuer.key);
    if (!add(cur.issuer.key, cur.issuer.display, issuer?.selfIssued ?? false) || !issuer || issuer.selfIssued) break;
    cur = issuer;
  }
  // A self-signed issuing CA is both issuing CA and root; keep the issuing label, which is what users look for.
  return out;
}

function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

function judge(t: CertPortTarget, userCas: UserCaName[] | undefined): TargetVerdict {
  const unreachable = unreachableTarget(t);
  if (unreachable) return unreachable;
  const p = t.certRequest!;
  const req = p.request;
  const matched = req && userCas ? userCas.filter((u) => req.authorities.some((n) => n.key === u.key)) : [];
  const evidence: Record<string, unknown> = {
    ...targetFacts(t),
    port: p.port,
    servername: p.servername ?? null,
    tlsVersion: p.tlsVersion ?? null,
    cipherSuite: p.cipherSuite ?? null,
    method: p.method ?? null,
    tls12Refusal: p.tls12Refusal ?? null,
    certificateRequested: p.requested ?? null,
    caCount: req?.authorities.length ?? null,
    listBytes: req?.authoritiesBytes ?? null,
    caNames: req?.authorities.map((n) => n.display) ?? [],
    signatureAlgorithms: req?.signatureAlgorithms ?? [],
    certificateTypes: req?.certificateTypes ?? [],
    userCas: userCas?.map((u) => ({ name: u.display, role: u.role, listed: matched.includes(u) })) ?? null,
    notes: p.notes,
    ms: p.ms,
    error: p.error ?? null,
  };
  const v = (status: Status, problem?: string | string[], reason?: string): TargetVerdict => ({ target: t.target, status, problem, reason, evidence });
  if (!p.ok) {
    if (p.error?.kind === 'blocked') return v('error', blockedProblem(p.error), p.error.message);
    return v('fail', 'handshake', `the TLS handshake on ${p.servername ?? t.address}:${p.port} did not get far enough: ${p.error?.message ?? 'unknown error'}`);
  }
  if (!p.requested || !req) return v('fail', 'no-request', `the server (${p.tlsVersion}) does not ask for a client certificate in the handshake`);
  const parts: { status: Status; problem?: string; reason?: string }[] = [];
  const size = req.authoritiesBytes;
  if (size > FAIL_BYTES) parts.push({ status: 'fail', problem: 'too-big', reason: `the acceptable CA list is ${kb(size)} (${req.authorities.length} names), over 16 KB, so Windows truncates it` });
  const n = req.authorities.length;
  // Name the CAs in the summary when there are few; the evidence always lists them all.
  const list = `${n} name${n === 1 ? '' : 's'}, ${kb(size)}${n && n <= 5 ? `: ${req.authorities.map((a) => a.display).join('; ')}` : ''}`;
  if (n === 0)
    parts.push({
      status: 'pass',
      reason: `a client certificate is requested (${p.tlsVersion}) with an empty CA list, so devices may offer any certificate. Info: an empty list is the Windows default since Windows Server 2012 (SendTrustedIssuerList 0)`,
    });
  else if (!userCas) parts.push({ status: 'info', reason: `a client certificate is requested (${p.tlsVersion}), its CA list has ${list}; upload the user certificate to compare them` });
  else if (matched.length)
    parts.push({ status: 'pass', reason: `a client certificate is requested (${p.tlsVersion}) and its CA list (${list}) names the user's ${matched.map((m) => `${m.role} (${m.display})`).join(' and ')}` });
  else
    parts.push({
      status: 'fail',
      problem: 'no-match',
      reason: `the CA list of the request (${list}) names neither the user's issuing CA (${userCas[0].display}) nor its root, so devices will not offer the certificate`,
    });
  const status = worst(parts.map((x) => x.status));
  return v(status, parts.flatMap((x) => (x.problem ? [x.problem] : [])), parts.map((x) => x.reason).join('; '));
}

function remediation(verdicts: TargetVerdict[], host: string, port: number, userCas: UserCaName[] | undefined): Remediation[] {
  const has = (p: string) => hasProblem(verdicts, p);
  const out = addressRemediation(verdicts, host);
  const show = netshShowSslcert(host, port) ?? 'netsh http show sslcert';
  if (has('handshake')) out.push({ text: `Make sure ${host}:${port} reaches AD FS through the Web Application Proxy and speaks TLS; see adfs.cert-port. Inspect the handshake from outside:`, command: opensslSClient(host, port, '-tls1_2') });
  if (has('no-request'))
    out.push({ text: `On every AD FS server and proxy, the ${host}:${port} binding must have "Negotiate Client Certificate" enabled (and no CTL store). Check it:`, command: show });
  if (has('no-match')) {
    const root = userCas?.find((u) => u.role === 'root CA') ?? userCas?.[userCas.length - 1];
    out.push({
      text: `Install the user's root CA${root ? ` (${root.display})` : ''} in the Trusted Root Certification Authorities store and the issuing CA in the Intermediate Certification Authorities store of every AD FS server and Web Application Proxy, and check that the binding uses no CTL store (such as AdfsTrustedDevices) that leaves them out:`,
      command: `certutil -addstore Root root.cer\ncertutil -addstore CA issuing-ca.cer\n${show}`,
    });
  }
  if (has('too-big'))
    out.push({
      text: 'Shrink the list: remove unneeded certificates from the Trusted Root store of the AD FS servers and proxies (only self-signed roots belong there), or stop Schannel from sending the list at all (the device then offers every certificate; restart afterwards):',
      command: 'certutil -verifystore root\nreg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL /v SendTrustedIssuerList /t REG_DWORD /d 0 /f',
    });
  return out;
}

export const adfsClientCertRequest: CheckDef = {
  id: 'adfs.client-cert-request',
  category: 'adfs',
  title: 'The certificate binding asks for the user\'s certificate',
  description:
    "On the certificate binding, the server's TLS handshake must ask for a client certificate. Its list of acceptable CAs decides which certificates a device offers: it must be empty (the Windows default since Windows Server 2012) or name the user's issuing CA or root, and stay within the 16 KB Windows sends (a larger list is cut short).",
  citation: 'KB 4032987; Schannel trusted issuers (the list is at most 16 KB; SendTrustedIssuerList defaults to 0 since Windows Server 2012); CHECKS.md adfs.client-cert-request',
  sources: [{ key: 'S-TLS', url: S_TLS_URL, says: 'the trusted issuer list is at most 16 KB; since Windows Server 2012 it is not sent by default (SendTrustedIssuerList 0)' }],
  reference: ADFS_CERT_AUTH_URL,
  needs: ['realm', 'adfsCertPort', 'certs', 'user', 'chain'],
  applies: (a) => adfsApplies(a, 'adfsCertPort'),
  prerequisites: [AFTER_DNS, AFTER_CERT_PORT],
  run(a): Outcome {
    const c = a.adfsCertPort!;
    const userCas = userCaNames(a);
    const verdicts = c.targets.map((t) => judge(t, userCas));
    return combine(verdicts, { pass: `${c.binding.host}:${c.binding.port} asks for a client certificate the user's certificate satisfies`, subject: `Client certificate request on ${c.binding.host}:${c.binding.port}` }, {
      evidence: { binding: { host: c.binding.host, port: c.binding.port, kind: c.binding.kind }, failBytes: FAIL_BYTES },
      remediation: remediation(verdicts, c.binding.host, c.binding.port, userCas),
    });
  },
};
