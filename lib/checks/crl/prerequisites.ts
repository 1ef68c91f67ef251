// Which CRL failures follow from another CRL check's failure (root causes first, DESIGN.md "Root causes").
// crl.revocation cannot determine a certificate's status when every CRL that could give it failed to download,
// is expired or is not its CA's CRL: that is the other check's finding, not a second failure. The same for a
// published delta CRL that could not be downloaded or is expired (crl.delta).
import type { CrlDownload } from '@/lib/net/types';
import { failureText } from '@/lib/net/crl-report';
import { isFetchable } from '@/lib/net/crl-targets';
import type { CrlAssessment } from '@/lib/pki/crl/types';
import type { Artifacts } from '@/lib/report/artifacts';
import type { OutcomePart, Prerequisite } from '../types';

/** One place a CRL for the certificate's issuer could have come from: a download named by the certificate
 *  (its CDP, or Freshest CRL for deltas), or any CRL in the set issued by that CA's name. */
interface Source {
  download?: CrlDownload;
  crl?: CrlAssessment;
  label: string;
}

function sources(a: Artifacts, ref: string, kind: 'base' | 'delta'): Source[] {
  const entry = a.chain?.path.find((e) => e.ref === ref);
  if (!entry) return [];
  const issuerKey = entry.cert.issuer.key;
  const assessments = a.revocation?.crls ?? [];
  const out: Source[] = [];
  for (const d of a.crlDownloads ?? []) {
    if (d.forRef !== ref || d.kind !== kind) continue;
    out.push({ download: d, crl: assessments.find((c) => c.url === d.fetch.url), label: d.fetch.url });
  }
  for (const c of assessments) {
    if (c.kind !== kind || out.some((s) => s.crl === c)) continue;
    if (a.crls?.items[c.index]?.issuer.key === issuerKey) out.push({ crl: c, label: c.source });
  }
  return out;
}

function downloadFailed(s: Source): string | undefined {
  const d = s.download;
  if (!d) return undefined;
  if (d.fetch.error?.kind === 'too-big') return undefined; // the server answered: crl.size judges it
  if (d.fetch.error || !d.fetch.ok) return `${d.fetch.url} could not be downloaded (${failureText(d)})`;
  return undefined;
}

function tooSlow(s: Source): string | undefined {
  const f = s.download?.fetch;
  return f?.error?.kind === 'timeout' && f.ttfbMs !== undefined ? `${f.url} did not finish downloading in time` : undefined;
}

function stoppedAtCap(s: Source): string | undefined {
  return s.download?.fetch.error?.kind === 'too-big' ? `${s.download.fetch.url} is too large` : undefined;
}

function notCurrent(s: Source): string | undefined {
  const c = s.crl;
  if (!c || c.freshness === 'current') return undefined;
  if (c.freshness === 'expired') return `the CRL ${s.label} expired on ${c.nextUpdate}`;
  if (c.freshness === 'not-yet-valid') return `the CRL ${s.label} is not valid before ${c.thisUpdate}`;
  return `the CRL ${s.label} has no nextUpdate`;
}

function notFromItsCa(a: Artifacts, ref: string) {
  return (s: Source): string | undefined => {
    const issuer = a.chain?.path.find((e) => e.ref === ref)?.cert.issuer;
    const parsed = s.download?.parsed;
    if (parsed && issuer && parsed.issuer.key !== issuer.key) return `${s.label} serves the CRL of "${parsed.issuer.display}", not of "${issuer.display}"`;
    const c = s.crl;
    if (!c) return undefined;
    if (c.signature !== 'verified') return `the CRL ${s.label} is not signed by "${c.issuer}"'s key`;
    if (c.aki === 'mismatch') return `the CRL ${s.label} names another key identifier than its CA`;
    return undefined;
  };
}

/** When every source was bad in the same way, the words for it. */
function allBad(list: Source[], bad: (s: Source) => string | undefined): string | undefined {
  if (!list.length) return undefined;
  const why = list.map(bad);
  if (why.some((w) => !w)) return undefined;
  return [...new Set(why)].join('; ');
}

/** A certificate whose revocation status is undetermined only because of its CRLs (or its delta CRL). */
function undetermined(a: Artifacts, ref: string): { delta: boolean } | undefined {
  const p = a.revocation?.perCert.find((x) => x.ref === ref);
  if (!p || p.status !== 'undetermined') return undefined;
  return { delta: !!p.delta && (p.delta.status === 'missing' || p.delta.status === 'invalid') };
}

/** Explains an undetermined certificate (crl.revocation part) or a failing delta (crl.delta part, keyed by ref). */
function explainer(check: string, bad: (a: Artifacts, ref: string) => (s: Source) => string | undefined, forDelta: boolean): Prerequisite {
  return {
    check,
    explains: ({ a, part }) => {
      if (!part) return undefined;
      const ref = part.key;
      if (forDelta) return allBad(sources(a, ref, 'delta'), bad(a, ref));
      const u = undetermined(a, ref);
      if (!u) return undefined;
      const base = sources(a, ref, 'base');
      const baseWhy = allBad(base, bad(a, ref));
      if (baseWhy) return baseWhy;
      // The base CRL was fine, but the published delta it needs was not.
      if (u.delta && base.some((s) => s.crl?.usable)) return allBad(sources(a, ref, 'delta'), bad(a, ref));
      return undefined;
    },
  };
}

/** No CRL of the certificate's issuer at all, while a CRL of a CA nobody uploaded was given or served in its place:
 *  crl.signature reports that CRL as another CA's (wrong CRL). */
function wrongCrlInstead(a: Artifacts, ref: string): string | undefined {
  const entry = a.chain?.path.find((e) => e.ref === ref);
  if (!entry || sources(a, ref, 'base').length) return undefined;
  const foreign = (a.revocation?.crls ?? []).filter((c) => c.kind === 'base' && c.signature === 'no-issuer-cert' && !c.caRef);
  if (!foreign.length) return undefined;
  return `no CRL of "${entry.cert.issuer.display}" was given: ${foreign.map((c) => `${c.source} comes from "${c.issuer}"`).join('; ')}`;
}

const fetchBad = () => downloadFailed;
const sizeBad = () => stoppedAtCap;
const slowBad = () => tooSlow;
const freshBad = () => notCurrent;

/** crl.revocation: undetermined because every CRL of the issuer failed in one way another check reports. */
export const REVOCATION_PREREQUISITES: Prerequisite[] = [
  {
    // The path stops at this certificate: without its issuer's certificate no CRL can be checked for it.
    check: 'chain.build',
    explains: ({ a, part }) => {
      const chain = a.chain;
      if (!part || !chain || chain.complete || !undetermined(a, part.key)) return undefined;
      const top = chain.path[chain.path.length - 1];
      if (top?.ref !== part.key) return undefined;
      return `the certificate of its issuer "${top.cert.issuer.display}" is missing, so no CRL can be checked for "${top.cert.subject.display}"`;
    },
  },
  explainer('crl.fetch', fetchBad, false),
  explainer('crl.size', sizeBad, false),
  explainer('crl.download-time', slowBad, false),
  explainer('crl.signature', notFromItsCa, false),
  { check: 'crl.signature', explains: ({ a, part }) => (part && undetermined(a, part.key) ? wrongCrlInstead(a, part.key) : undefined) },
  explainer('crl.freshness', freshBad, false),
  // No HTTP location at all (and no CRL given): nothing to download, which crl.location reports, or cert.cdp for
  // the user certificate (crl.location then leaves that certificate to cert.cdp, CRL_LOCATION_PREREQUISITES).
  { check: 'crl.location', explains: noHttpLocation },
  { check: 'cert.cdp', explains: (x) => (x.part?.key === x.a.user?.user?.ref ? noHttpLocation(x) : undefined) },
];

function noHttpLocation({ a, part }: { a: Artifacts; part?: OutcomePart }): string | undefined {
  if (!part || !undetermined(a, part.key)) return undefined;
  const entry = a.chain?.path.find((e) => e.ref === part.key);
  const urls = (entry?.cert.cdp ?? []).flatMap((d) => d.urls);
  if (!entry || urls.some(isFetchable) || sources(a, part.key, 'base').length) return undefined;
  return `"${entry.cert.subject.display}" names no HTTP CRL location`;
}

/**
 * crl.location: the user certificate's own CRL locations are cert.cdp's finding; when that check failed, the same
 * certificate is not a second root cause here (the CA certificates of the path are still judged).
 */
export const CRL_LOCATION_PREREQUISITES: Prerequisite[] = [
  {
    check: 'cert.cdp',
    explains: ({ a, part, prereq }) => (part && part.key === a.user?.user?.ref ? `the CRL location of the user certificate fails ${prereq.id}` : undefined),
  },
];

/** crl.delta: a published delta CRL that could not be downloaded, or is expired. */
export const DELTA_PREREQUISITES: Prerequisite[] = [explainer('crl.fetch', fetchBad, true), explainer('crl.freshness', freshBad, true)];
