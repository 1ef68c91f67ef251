import { curlStatus } from '@/lib/commands/windows';
import type { MetadataTarget } from '@/lib/adfs/types';
import type { CheckDef, Outcome } from '../types';
import { addressRemediation, adfsApplies, combine, targetFacts, unreachableTarget, type TargetVerdict, AFTER_DNS, AFTER_HTTPS } from './shared';

function judge(t: MetadataTarget): TargetVerdict {
  const unreachable = unreachableTarget(t);
  if (unreachable) return unreachable;
  const x = t.exchange;
  const evidence = {
    ...targetFacts(t),
    outcome: x?.outcome ?? null,
    httpStatus: x?.status ?? null,
    contentType: x?.contentType ?? null,
    bytes: x?.bytes ?? 0,
    ttfbMs: x?.ttfbMs ?? null,
    totalMs: x?.totalMs ?? null,
    error: x?.error ?? null,
    entityId: t.entityId ?? null,
    problem: t.problem ?? null,
  };
  const v = (status: TargetVerdict['status'], problem?: string, reason?: string): TargetVerdict => ({ target: t.target, status, problem, reason, evidence });
  if (!x || x.outcome !== 'answered') return v('fail', 'unreachable', `no answer: ${x?.error?.message ?? 'unknown error'}`);
  if (x.status !== 200) return v('fail', 'status', `HTTP ${x.status} instead of 200`);
  if (!t.entityId) return v('fail', 'not-metadata', t.problem ?? 'the answer is not federation metadata');
  return v('pass', undefined, `entityID ${t.entityId}`);
}

export const adfsMetadata: CheckDef = {
  id: 'adfs.metadata',
  category: 'adfs',
  title: 'Federation metadata is published',
  description:
    'Fetches /FederationMetadata/2007-06/FederationMetadata.xml from the federation host (per node when nodes are given). A published metadata document with an entityID shows AD FS is reachable through the Web Application Proxy and its endpoints are served.',
  citation: 'CHECKS.md adfs.metadata',
  reference: 'https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/troubleshooting/ad-fs-tshoot-endpoints',
  needs: ['realm', 'adfsMetadata'],
  applies: (a) => adfsApplies(a, 'adfsMetadata'),
  prerequisites: [AFTER_DNS, AFTER_HTTPS],
  run(a): Outcome {
    const m = a.adfsMetadata!;
    const verdicts = m.targets.map(judge);
    const remediation = [
      ...addressRemediation(verdicts, m.host),
      {
        text: 'Check that the metadata endpoint is enabled and published through the Web Application Proxy (on an AD FS server), then fetch it from outside:',
        command: ['Get-AdfsEndpoint -AddressPath /FederationMetadata/2007-06/FederationMetadata.xml | Format-List Enabled, Proxy', curlStatus(m.url)].filter(Boolean).join('\n'),
      },
    ];
    return combine(verdicts, { pass: `${m.url} returns federation metadata`, subject: `Federation metadata at ${m.url}` }, { evidence: { host: m.host, url: m.url }, remediation });
  },
};
