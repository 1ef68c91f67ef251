import type { Remediation, Status } from '@/lib/report/schema';
import type { TenantCa, TenantCrlFetch } from '@/lib/entra/types';
import { urlScheme } from '@/lib/net/crl-targets';
import type { CheckDef } from '../types';
import { worst } from '../types';
import { psQuote } from '../cert/common';
import { chainCas, sameDn } from '../config/common';
import { E_CRL, GRAPH, PASTE, findCa, liveMiss, storeCas, tenantOf } from './common';

interface CaTarget {
  ca: string;
  ski: string | null;
  expectedRoot: boolean | null;
  entries: TenantCa[];
  status: Status;
  problems: string[];
  crls: { url: string; kind: 'base' | 'delta'; store: TenantCa['store']; status: Status; result: string; httpStatus?: number; crlIssuer?: string; crlAki?: string | null; fetchError?: string }[];
}

const PKI_PATCH = (url: string, field = 'certificateRevocationListUrl') =>
  `$body = @{ ${field} = ${psQuote(url)} } | ConvertTo-Json\nInvoke-MgGraphRequest -Method PATCH -Uri '${GRAPH}/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/<PKI id>/certificateAuthorities/<CA id>' -Body $body`;

/** Judges one fetched CRL against the CA it is configured on. */
function judgeCrl(f: TenantCrlFetch, ca: { subject: string; ski: string | null }): { status: Status; result: string } {
  if (f.notFetched) return { status: 'skip', result: `not fetched: ${f.notFetched}` };
  const r = f.fetch;
  if (r && !r.ok) {
    const timeout = r.error?.kind === 'timeout';
    return { status: 'fail', result: `the download failed (${r.error?.message ?? `HTTP ${r.httpStatus}`})${timeout ? ' (AADSTS2205012)' : ' (AADSTS500173)'}` };
  }
  if (!f.crl) return { status: 'fail', result: `it is not a CRL Entra ID can read (${f.parseError ?? 'unreadable'}) (AADSTS500174 / AADSTS2205011)` };
  const issuerOk = sameDn(f.crl.issuer, ca.subject);
  const akiOk = !ca.ski || !f.crl.akiKeyId || f.crl.akiKeyId === ca.ski;
  if (!issuerOk || !akiOk)
    return {
      status: 'fail',
      result: `it serves another CA's CRL: issuer ${f.crl.issuer}${f.crl.akiKeyId ? `, AKI ${f.crl.akiKeyId}` : ''}, where Entra ID expects issuer ${ca.subject}${ca.ski ? ` and AKI ${ca.ski}` : ''} (AADSTS2205015)`,
    };
  if (ca.ski && !f.crl.akiKeyId) return { status: 'warn', result: 'the CRL has no Authority Key Identifier; Entra ID matches CRLs to CAs by it (AADSTS500176)' };
  return { status: 'pass', result: `a CRL of this CA (issuer and AKI match)${f.kind === 'delta' && f.crl.deltaCrlIndicator === undefined ? ', though not marked as a delta CRL' : ''}` };
}

function evaluate(name: string, ski: string | null, expectedRoot: boolean | null, entries: TenantCa[], fetches: TenantCrlFetch[], notAfter: Date | null, now: Date): CaTarget {
  const t: CaTarget = { ca: name, ski, expectedRoot, entries, status: 'pass', problems: [], crls: [] };
  const st: Status[] = [];
  const add = (s: Status, p: string) => {
    st.push(s);
    t.problems.push(p);
  };
  if (!entries.length) add('fail', 'it is not in the tenant trust store (AADSTS50017 / AADSTS500176)');
  for (const e of entries) {
    const where = `${e.store === 'pki' ? 'PKI-based store' : 'classic store'}, ${e.where}`;
    if (expectedRoot !== null && e.root !== null && e.root !== expectedRoot)
      add('fail', `it is flagged as ${e.root ? 'a root' : 'an intermediate'} but is ${expectedRoot ? 'a root (self-signed)' : 'an intermediate'} (${where})`);
    const end = notAfter ?? (e.notAfter ? new Date(e.notAfter) : null);
    if (end && !Number.isNaN(end.getTime()) && end < now) add('fail', `its certificate expired on ${end.toISOString().slice(0, 10)} (${where})`);
    if (!e.crlUrl && e.deltaCrlUrl) add('fail', `a delta CRL URL is configured without a base CRL URL (${where}) (AADSTS500177)`);
    else if (!e.crlUrl) add('warn', `no CRL URL is configured (${where}): Entra ID does not check revocation for certificates this CA issued`);
    for (const [kind, url] of [['base', e.crlUrl], ['delta', e.deltaCrlUrl]] as const) {
      if (!url) continue;
      const scheme = urlScheme(url);
      if (scheme === 'https') add('fail', `its ${kind} CRL URL uses HTTPS (${url}); Entra ID's FAQ and limitations pages require HTTP (the CRL page allows HTTPS but recommends HTTP; the stricter reading is used)`);
      else if (scheme !== 'http') add('fail', `its ${kind} CRL URL is not HTTP (${url}); Entra ID fetches CRLs over HTTP only`);
      const f = fetches.find((x) => x.url === url && x.kind === kind);
      if (!f) continue;
      const j = judgeCrl(f, { subject: e.subject ?? name, ski: ski ?? e.ski });
      t.crls.push({ url, kind, store: e.store, status: j.status, result: j.result, httpStatus: f.fetch?.httpStatus, crlIssuer: f.crl?.issuer, crlAki: f.crl?.akiKeyId, fetchError: f.fetch?.error?.message });
      if (j.status !== 'pass' && j.status !== 'skip') add(j.status, `${kind} CRL ${url}: ${j.result}`);
    }
  }
  const pki = entries.find((e) => e.store === 'pki');
  const classic = entries.find((e) => e.store === 'classic');
  if (pki && classic && (pki.crlUrl ?? '') !== (classic.crlUrl ?? ''))
    add('warn', `it is in both stores with different CRL URLs (PKI-based: ${pki.crlUrl ?? 'none'}; classic: ${classic.crlUrl ?? 'none'}), so which CRL Entra ID uses depends on the store`);
  t.status = worst(st, 'pass');
  return t;
}

export const entraTrustStore: CheckDef = {
  id: 'entra.trust-store',
  category: 'entra',
  title: 'The tenant trust store holds the chain with working CRL URLs',
  description:
    'Entra ID validates the certificate against the CAs uploaded to the tenant (PKI-based store or classic store): every CA of the chain must be there, the root flagged as root, none expired. Entra ID downloads the CRL from the URL configured on each CA (not the certificate\'s CDP), over HTTP, and the CRL found there must have that CA as issuer and its SKI as AKI; a delta CRL URL needs a base one.',
  citation: 'Entra CBA: certificate revocation lists (configured CRL URL, issuer/AKI match, delta without base); Entra CBA how-to (PKI-based trust store); Entra CBA FAQ and limitations (HTTP only)',
  reference: E_CRL,
  needs: ['entra', 'chain'],
  applies: (a) => (tenantOf(a)?.pkiStore || tenantOf(a)?.classicStore ? true : `${liveMiss(a, 'pkiStore')}${PASTE.store()}`),
  run(a) {
    const t = tenantOf(a)!;
    const all = storeCas(t);
    const cas = chainCas(a);
    const now = a.ctx.now;
    const targets = cas
      ? cas.map((c) => evaluate(c.subject, c.ski, c.root ? true : c === cas.at(-1) ? null : false, findCa(all, c), t.crlFetches, c.notAfter, now))
      : all.map((e) => evaluate(e.subject ?? e.displayName ?? e.where, e.ski, null, [e], t.crlFetches, null, now));
    const status = worst(targets.map((x) => x.status), 'pass');
    const evidence = {
      basis: cas ? 'chain' : 'store only',
      source: t.source,
      stores: { pki: t.pkiStore?.length ?? null, classic: t.classicStore?.length ?? null },
      cas: targets.map((x) => ({ ca: x.ca, ski: x.ski, status: x.status, problems: x.problems, entries: x.entries.map((e) => ({ store: e.store, where: e.where, root: e.root, crlUrl: e.crlUrl, deltaCrlUrl: e.deltaCrlUrl, notAfter: e.notAfter })), crls: x.crls })),
    };
    const summary = targets
      .map((x) => (x.problems.length ? `${x.ca}: ${x.problems.join('; ')}` : `${x.ca} is in the ${x.entries.map((e) => (e.store === 'pki' ? 'PKI-based' : 'classic')).join(' and ')} store${x.crls.length ? `; its CRL URL serves ${x.crls.map((c) => c.result).join(', ')}` : ''}`))
      .join('. ');
    if (status === 'pass') return { status, summary: `${summary}.`, evidence };
    const remediation: Remediation[] = [];
    for (const x of targets) {
      if (!x.entries.length)
        remediation.push({ text: `Upload ${x.ca} to the PKI-based trust store (Entra admin center > Protection > Security Center > Public key infrastructure), as ${x.expectedRoot ? 'root' : 'intermediate'} with its HTTP CRL URL.` });
      const cdp = cas?.find((c) => c.subject === x.ca)?.crlUrls.find((u) => /^http:/i.test(u));
      if (x.problems.some((p) => /CRL URL|CRL http|another CA's CRL|download failed/.test(p)))
        remediation.push({ text: `Point the CA entry of ${x.ca} at the HTTP URL where this CA publishes its own CRL${cdp ? ` (the CDP in the certificates it issued: ${cdp})` : ''}:`, command: PKI_PATCH(cdp ?? 'http://<host>/<this CA>.crl') });
      if (x.problems.some((p) => /delta CRL URL is configured without/.test(p))) remediation.push({ text: `Set the base CRL URL on ${x.ca} as well (or remove the delta URL):`, command: PKI_PATCH(cdp ?? 'http://<host>/<this CA>.crl') });
    }
    return { status, summary: `${summary}.`, evidence, remediation };
  },
};
