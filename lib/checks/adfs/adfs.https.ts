import { opensslSClient } from '@/lib/commands/windows';
import type { HttpsTarget } from '@/lib/adfs/types';
import type { TlsProbeResult } from '@/lib/net/tls-probe';
import type { Remediation } from '@/lib/report/schema';
import type { CheckDef, Outcome } from '../types';
import { addressRemediation, adfsApplies, hasProblem, combine, daysUntil, KB_URL, targetFacts, unreachableTarget, type TargetVerdict, AFTER_DNS } from './shared';

function noSniFacts(r: TlsProbeResult | undefined) {
  if (!r) return null;
  return { ok: r.ok, protocol: r.protocol ?? null, certificate: r.chain?.[0]?.subject ?? null, error: r.error?.message ?? null };
}

function judge(t: HttpsTarget, host: string, now: Date): TargetVerdict {
  const unreachable = unreachableTarget(t);
  if (unreachable) return unreachable;
  const r = t.sni!;
  const leaf = r.chain?.[0];
  const evidence: Record<string, unknown> = {
    ...targetFacts(t),
    port: r.port,
    servername: host,
    ok: r.ok,
    protocol: r.protocol ?? null,
    cipher: r.cipher ?? null,
    ms: r.ms,
    error: r.error ?? null,
    certificate: leaf
      ? { subject: leaf.subject, issuer: leaf.issuer, dnsNames: leaf.dnsNames, notBefore: leaf.notBefore, notAfter: leaf.notAfter, daysLeft: daysUntil(leaf.notAfter, now), sha256: leaf.sha256 }
      : null,
    chain: r.chain?.map((c) => c.subject) ?? [],
    trusted: r.trusted ?? null,
    trustError: r.trustError ?? null,
    nameMatch: r.nameMatch ?? null,
    nameError: r.nameError ?? null,
    withoutSni: noSniFacts(t.noSni),
  };
  const v = (status: TargetVerdict['status'], problem?: string, reason?: string): TargetVerdict => ({ target: t.target, status, problem, reason, evidence });
  const sniNote = t.noSni ? (t.noSni.ok ? 'a handshake without SNI also works' : 'a handshake without SNI fails (normal for AD FS, which needs SNI)') : undefined;
  if (!r.ok) return v('fail', 'handshake', `the TLS handshake on port ${r.port} failed: ${r.error?.message ?? 'unknown error'}`);
  if (!leaf) return v('fail', 'handshake', 'the server sent no certificate');
  if (r.nameMatch === false) return v('fail', 'name', `the certificate (${leaf.subject}; DNS names ${leaf.dnsNames.join(', ') || 'none'}) is not valid for ${host}`);
  const left = daysUntil(leaf.notAfter, now);
  if (new Date(leaf.notAfter) <= now || r.trustError === 'CERT_HAS_EXPIRED') return v('fail', 'expired', `the certificate expired on ${leaf.notAfter.slice(0, 10)}`);
  if (new Date(leaf.notBefore) > now || r.trustError === 'CERT_NOT_YET_VALID') return v('fail', 'expired', `the certificate is not valid before ${leaf.notBefore.slice(0, 10)}`);
  if (!r.trusted) return v('fail', 'untrusted', `the certificate is not trusted (${r.trustError ?? 'unknown reason'}); issuer ${leaf.issuer}`);
  if (left < 30) return v('warn', 'expiring', `the certificate expires in ${left} day(s), on ${leaf.notAfter.slice(0, 10)}`);
  return v('pass', undefined, sniNote);
}

function remediation(verdicts: TargetVerdict[], host: string, port: number): Remediation[] {
  const has = (p: string) => hasProblem(verdicts, p);
  const out: Remediation[] = addressRemediation(verdicts, host);
  const test = opensslSClient(host, port, '-showcerts');
  if (has('handshake'))
    out.push({ text: `Make sure TCP ${port} reaches the Web Application Proxy (firewall, load balancer) and that the AD FS / WAP service has a certificate bound for ${host}. Test from outside:`, command: test });
  if (has('name') || has('expired') || has('expiring'))
    out.push({
      text: `Bind a valid certificate whose subject alternative names include ${host} (and certauth.${host} for the alternate binding) on every AD FS server and every Web Application Proxy:`,
      command: `# on each AD FS server\nSet-AdfsSslCertificate -Thumbprint <thumbprint>\n# on each Web Application Proxy\nSet-WebApplicationProxySslCertificate -Thumbprint <thumbprint>`,
    });
  if (has('untrusted'))
    out.push({ text: 'Use a certificate from a public CA that devices trust, and have the servers send the intermediate CA certificates with it (install them in the Intermediate Certification Authorities store of each server). Inspect what is sent:', command: test });
  return out;
}

export const adfsHttps: CheckDef = {
  id: 'adfs.https',
  category: 'adfs',
  title: 'AD FS answers HTTPS with a valid certificate',
  description:
    'Connects to the federation host on port 443 with SNI set to its name (per node when nodes are given) and checks the server certificate: valid for the name, trusted, not expired and not expiring within 30 days. Also notes whether a handshake without SNI works, which AD FS does not need to support.',
  citation: 'KB 4032987; CHECKS.md adfs.https',
  reference: KB_URL,
  needs: ['realm', 'adfsHttps'],
  applies: (a) => adfsApplies(a, 'adfsHttps'),
  prerequisites: [AFTER_DNS],
  run(a): Outcome {
    const h = a.adfsHttps!;
    const verdicts = h.targets.map((t) => judge(t, h.host, a.ctx.now));
    return combine(verdicts, { pass: `TLS on ${h.host}:${h.port} works and its certificate is valid, trusted and not expiring soon`, subject: `HTTPS on ${h.host}:${h.port}` }, {
      evidence: { host: h.host, port: h.port },
      remediation: remediation(verdicts, h.host, h.port),
    });
  },
};
