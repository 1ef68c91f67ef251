import { nslookup } from '@/lib/commands/windows';
import type { CheckDef, Outcome } from '../types';
import { psQuote } from '../cert/common';
import { adfsApplies, KB_URL, unresolvedNames } from './shared';

export const adfsDns: CheckDef = {
  id: 'adfs.dns',
  category: 'adfs',
  title: 'The federation host resolves to a public address',
  description:
    'Devices must find the federation host in DNS, and from the Internet they can only reach public addresses. Every address is listed, with the alternate certificate name certauth.<host> and any nodes given.',
  citation: 'KB 4032987; CHECKS.md adfs.dns',
  reference: KB_URL,
  needs: ['realm', 'adfsDns'],
  applies: (a) => adfsApplies(a, 'adfsDns'),
  run(a): Outcome {
    const d = a.adfsDns!;
    const list = (x: typeof d.answer) => x.addresses.map((ad) => ({ address: ad.address, family: ad.family, public: ad.public, range: ad.range ?? null }));
    const evidence = {
      host: d.host,
      hostSource: d.hostSource,
      source: d.answer.source,
      addresses: list(d.answer),
      ms: d.answer.ms,
      error: d.answer.error ?? null,
      certauth: { host: d.certauth.host, source: d.certauth.source, addresses: list(d.certauth), error: d.certauth.error ?? null },
      nodes: d.nodes.map((n) => ({ node: n.node, source: n.answer.source, addresses: list(n.answer), error: n.answer.error ?? null })),
    };
    const override = d.answer.source === 'override' ? ' (from --resolve, not DNS)' : '';
    if (d.answer.error || !d.answer.addresses.length) {
      return {
        status: 'fail',
        summary: `${d.host} does not resolve: ${d.answer.error?.message ?? 'no addresses'}.`,
        evidence: { ...evidence, unresolved: unresolvedNames(a).map((n) => n.name) },
        remediation: [
          { text: `Publish ${d.host} in public DNS (an A or AAAA record pointing to the Web Application Proxy or its load balancer), then check it from a device outside the network:`, command: nslookup(d.host) ?? 'nslookup <federation-host>' },
        ],
      };
    }
    // A --node given by name that does not resolve cannot be probed: the probes of that node are not tested.
    const badNodes = unresolvedNames(a).filter((n) => n.name !== d.host);
    if (badNodes.length) {
      return {
        status: 'fail',
        summary: `${badNodes.length === 1 ? 'Node' : 'Nodes'} ${badNodes.map((n) => `${n.name} (${n.message})`).join(', ')} ${badNodes.length === 1 ? 'does' : 'do'} not resolve, so ${badNodes.length === 1 ? 'it' : 'they'} could not be probed.`,
        evidence: { ...evidence, unresolved: badNodes.map((n) => n.name) },
        remediation: [{ text: 'Give each node as an IP address, or as a name that resolves from where CBA Doctor runs:', command: badNodes.map((n) => `nslookup ${psQuote(n.name)}`).join('\n') }],
      };
    }
    const addrs = d.answer.addresses.map((x) => x.address).join(', ');
    if (d.answer.addresses.every((x) => !x.public)) {
      return {
        status: 'warn',
        summary: `${d.host} resolves only to private addresses${override}: ${addrs}. Devices on the Internet cannot reach it.`,
        evidence,
        remediation: [
          { text: `If devices sign in from outside the corporate network, publish ${d.host} in public DNS with the public address of the Web Application Proxy (split-brain DNS keeps the internal answer inside). Compare with a public resolver:`, command: nslookup(d.host, '8.8.8.8') ?? 'nslookup <federation-host> 8.8.8.8' },
        ],
      };
    }
    return { status: 'pass', summary: `${d.host} resolves${override} to ${addrs}.`, evidence };
  },
};
