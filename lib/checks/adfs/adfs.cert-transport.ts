import type { CertTransportTarget } from '@/lib/adfs/types';
import type { CheckDef, Outcome } from '../types';
import { addressRemediation, blockedProblem, adfsApplies, combine, KB_URL, targetFacts, unreachableTarget, type TargetVerdict, AFTER_DNS, AFTER_CERT_PORT } from './shared';

function judge(t: CertTransportTarget, waitMs: number): TargetVerdict {
  const unreachable = unreachableTarget(t);
  if (unreachable) return unreachable;
  const x = t.exchange!;
  const evidence = {
    ...targetFacts(t),
    outcome: x.outcome,
    httpStatus: x.status ?? null,
    tlsProtocol: x.tlsProtocol ?? null,
    ms: x.totalMs,
    error: x.error ?? null,
  };
  const s = (waitMs / 1000).toString();
  const v = (status: TargetVerdict['status'], problem?: string, reason?: string): TargetVerdict => ({ target: t.target, status, problem, reason, evidence });
  switch (x.outcome) {
    case 'waiting':
      return v('pass', undefined, `the request was left waiting for ${s} s, as expected`);
    case 'answered':
      if ((x.status ?? 0) >= 400) return v('fail', 'http', `HTTP ${x.status} after ${Math.round(x.totalMs)} ms instead of waiting`);
      return v('pass', undefined, `the endpoint answered HTTP ${x.status} instead of waiting, which is not an error`);
    case 'reset':
      return v('fail', 'reset', `the connection was reset after ${Math.round(x.totalMs)} ms instead of waiting`);
    case 'closed':
      return v('fail', 'closed', `the server closed the connection after ${Math.round(x.totalMs)} ms instead of waiting`);
    default: {
      const e = x.error;
      if (e?.kind === 'blocked') return v('error', blockedProblem(e), e.message);
      return v('fail', e?.kind ?? 'other', `could not send the request: ${e?.message ?? 'unknown error'}`);
    }
  }
}

export const adfsCertTransport: CheckDef = {
  id: 'adfs.cert-transport',
  category: 'adfs',
  title: 'The certificate transport endpoint waits for a certificate',
  description:
    'Sends a request to /adfs/services/trust/2005/certificatetransport on the certificate binding without a client certificate. A working endpoint accepts it and keeps the connection open while it waits for the certificate (the connection "spins"); a reset, a close or an HTTP error means the endpoint is disabled, not published, or blocked.',
  citation: 'KB 4032987 (the CertificateTransport request should spin); CHECKS.md adfs.cert-transport',
  reference: KB_URL,
  needs: ['realm', 'adfsCertTransport'],
  applies: (a) => adfsApplies(a, 'adfsCertTransport'),
  prerequisites: [AFTER_DNS, AFTER_CERT_PORT],
  run(a): Outcome {
    const c = a.adfsCertTransport!;
    const verdicts = c.targets.map((t) => judge(t, c.waitMs));
    const remediation = [
      ...addressRemediation(verdicts, c.binding.host),
      {
        text: 'On an AD FS server, make sure the certificate transport endpoint is enabled and published to the proxy, then restart the AD FS service and the Web Application Proxy:',
        command: `Get-AdfsEndpoint -AddressPath /adfs/services/trust/2005/certificatetransport | Format-List Enabled, Proxy\nEnable-AdfsEndpoint -TargetAddressPath /adfs/services/trust/2005/certificatetransport\nSet-AdfsEndpoint -TargetAddressPath /adfs/services/trust/2005/certificatetransport -Proxy $true`,
      },
      { text: `Check that the URL reservation for port ${c.binding.port} exists for AD FS on every AD FS server and proxy:`, command: 'netsh http show urlacl' },
    ];
    return combine(verdicts, { pass: `${c.url} accepted the request and kept it waiting`, subject: `${c.method} ${c.url}` }, {
      evidence: { url: c.url, method: c.method, waitMs: c.waitMs, binding: { host: c.binding.host, port: c.binding.port, kind: c.binding.kind } },
      remediation,
    });
  },
};
