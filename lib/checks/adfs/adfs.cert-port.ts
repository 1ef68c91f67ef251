import { testNetConnection } from '@/lib/commands/windows';
import type { CertPortTarget } from '@/lib/adfs/types';
import type { CheckDef, Outcome } from '../types';
import { addressRemediation, adfsApplies, ADFS_CERT_AUTH_URL, combine, targetFacts, unreachableTarget, type TargetVerdict, AFTER_DNS } from './shared';

function judge(t: CertPortTarget): TargetVerdict {
  const unreachable = unreachableTarget(t);
  if (unreachable) return unreachable;
  const tcp = t.tcp!;
  const evidence = { ...targetFacts(t), port: tcp.port, ok: tcp.ok, ms: tcp.ms, error: tcp.error ?? null };
  if (tcp.ok) return { target: t.target, status: 'pass', evidence };
  const why = tcp.error?.kind === 'refused' ? 'the connection was refused' : tcp.error?.kind === 'timeout' ? 'no answer (timed out; a firewall probably drops it)' : (tcp.error?.message ?? 'failed');
  return { target: t.target, status: 'fail', problem: tcp.error?.kind ?? 'other', reason: why, evidence };
}

export const adfsCertPort: CheckDef = {
  id: 'adfs.cert-port',
  category: 'adfs',
  title: 'The certificate authentication port is reachable',
  description:
    'AD FS asks for the user certificate on a separate binding: port 49443 of the federation host (or the port given), or certauth.<host> on 443 when that name exists. Devices must be able to open a TCP connection to it, through every firewall in front of the Web Application Proxy.',
  citation: 'KB 4032987 (TCP 49443 must be open between devices, WAP and AD FS); CHECKS.md adfs.cert-port',
  reference: ADFS_CERT_AUTH_URL,
  needs: ['realm', 'adfsCertPort'],
  applies: (a) => adfsApplies(a, 'adfsCertPort'),
  prerequisites: [AFTER_DNS],
  run(a): Outcome {
    const c = a.adfsCertPort!;
    const b = c.binding;
    const verdicts = c.targets.map(judge);
    const where = `${b.host}:${b.port}`;
    const remediation = [
      ...addressRemediation(verdicts, b.host),
      b.kind === 'certauth'
        ? { text: `Allow TCP 443 to ${b.host} through the firewalls in front of the Web Application Proxy, and make sure the name points to it. Test from outside:`, command: testNetConnection(b.host, b.port) }
        : { text: `Open TCP ${b.port} inbound to the Web Application Proxy and from it to the AD FS servers (firewalls and load balancer), then test from outside:`, command: testNetConnection(b.host, b.port) },
    ];
    return combine(verdicts, { pass: `TCP ${where} accepts connections (${b.kind === 'certauth' ? 'alternate certauth binding' : 'certificate authentication port'})`, subject: `TCP ${where}` }, {
      evidence: { binding: { host: b.host, port: b.port, kind: b.kind, why: b.why } },
      remediation,
    });
  },
};
